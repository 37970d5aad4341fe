//! Reading a request body into memory, bounded four ways: the request's own limit, the
//! process's budget for bodies in memory (every body is unauthenticated while it arrives: the
//! signature covers it), a whole-body deadline, and a minimum transfer rate that cuts a body
//! which stalls after its first seconds.

use std::sync::Arc;
use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::web;
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use tokio::time::{Instant, MissedTickBehavior};

use crate::budget::{ByteBudget, Charge};
use crate::dispatch::ApiResponse;
use crate::error::ApiError;

/// The minimum rate is measured over consecutive windows of this length; the first window is
/// free, so a client may take that long to start sending.
pub const RATE_WINDOW: Duration = Duration::from_secs(5);

/// The rules one body is read under.
#[derive(Debug, Clone)]
pub struct BodyRules {
    /// Most bytes this request may send.
    pub limit: usize,
    /// The whole body must have arrived by then.
    pub timeout: Duration,
    /// Fewest bytes per second after the first window (0: no minimum).
    pub min_rate: usize,
}

/// Why a body could not be read.
#[derive(Debug)]
pub enum BodyError {
    /// More than the request's limit.
    TooLarge(usize),
    /// Not all there by the deadline.
    TimedOut,
    /// Slower than the minimum rate over a whole window.
    TooSlow(usize),
    /// The process's body budget is spent.
    Busy,
    /// The transfer itself failed.
    Broken(String),
}

impl BodyError {
    /// The answer (after which the front door closes the connection).
    pub fn into_response(self) -> ApiResponse {
        match self {
            Self::TooLarge(limit) => ApiError::status(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("Request body too large: the limit for this request is {limit} bytes"),
            )
            .into_response(),
            Self::TimedOut => ApiError::status(
                StatusCode::REQUEST_TIMEOUT,
                "Request body not received in time",
            )
            .into_response(),
            Self::TooSlow(rate) => ApiError::status(
                StatusCode::REQUEST_TIMEOUT,
                format!("Request body too slow: send at least {rate} bytes per second"),
            )
            .into_response(),
            Self::Busy => crate::budget::busy("Server busy: too many request bodies in transit"),
            Self::Broken(e) => {
                ApiError::bad_request(format!("Invalid request body: {e}")).into_response()
            }
        }
    }
}

/// Reads the whole body, charging every byte to `budget` as it arrives; the returned charge
/// holds the bytes until the request is done. A declared length over the limit, or over what
/// the budget has left, is refused before any byte is read.
pub async fn read_body(
    payload: web::Payload,
    declared: Option<usize>,
    rules: &BodyRules,
    budget: &Arc<ByteBudget>,
) -> Result<(Bytes, Charge), BodyError> {
    if declared.is_some_and(|len| len > rules.limit) {
        return Err(BodyError::TooLarge(rules.limit));
    }
    if declared.is_some_and(|len| len > budget.available()) {
        return Err(BodyError::Busy);
    }
    if declared == Some(0) {
        // No body: no timers to set.
        return Ok((Bytes::new(), budget.empty()));
    }
    tokio::time::timeout(rules.timeout, receive(payload, rules, budget.empty()))
        .await
        .unwrap_or(Err(BodyError::TimedOut))
}

/// Bytes received so far, measured against the minimum rate window by window.
#[derive(Debug)]
struct Progress {
    received: usize,
    window_start: Instant,
    at_window_start: usize,
    first_window: bool,
}

impl Progress {
    fn new() -> Self {
        Self {
            received: 0,
            window_start: Instant::now(),
            at_window_start: 0,
            first_window: true,
        }
    }

    /// Whether the window that just ended (if one did) fell short of `min_rate`.
    fn too_slow(&mut self, now: Instant, min_rate: usize) -> bool {
        if now.duration_since(self.window_start) < RATE_WINDOW {
            return false;
        }
        let wanted = min_rate.saturating_mul(RATE_WINDOW.as_secs() as usize);
        let slow = !self.first_window && self.received - self.at_window_start < wanted;
        self.first_window = false;
        self.window_start = now;
        self.at_window_start = self.received;
        slow
    }
}

async fn receive(
    mut payload: web::Payload,
    rules: &BodyRules,
    mut charge: Charge,
) -> Result<(Bytes, Charge), BodyError> {
    // Keep the chunks as they arrive and join them once at the end: a slow body holds
    // exactly what it sent, never a doubled buffer (a declared length is only a claim).
    let mut chunks = Vec::new();
    let mut progress = Progress::new();
    let mut ticks = tokio::time::interval_at(
        Instant::now() + Duration::from_secs(1),
        Duration::from_secs(1),
    );
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            chunk = payload.next() => {
                let Some(chunk) = chunk else { break };
                let chunk = chunk.map_err(|e| BodyError::Broken(e.to_string()))?;
                progress.received += chunk.len();
                if progress.received > rules.limit {
                    return Err(BodyError::TooLarge(rules.limit));
                }
                if !charge.grow(chunk.len()) {
                    return Err(BodyError::Busy);
                }
                chunks.push(chunk);
            }
            now = ticks.tick() => {
                if rules.min_rate > 0 && progress.too_slow(now, rules.min_rate) {
                    return Err(BodyError::TooSlow(rules.min_rate));
                }
            }
        }
    }
    Ok((join(chunks, progress.received), charge))
}

fn join(mut chunks: Vec<Bytes>, len: usize) -> Bytes {
    if chunks.len() == 1 {
        return chunks.pop().unwrap_or_default();
    }
    let mut body = BytesMut::with_capacity(len);
    for chunk in chunks {
        body.extend_from_slice(&chunk);
    }
    body.freeze()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_window_is_free_and_later_ones_must_reach_the_rate() {
        let mut progress = Progress::new();
        let start = progress.window_start;
        progress.received = 10;
        assert!(
            !progress.too_slow(start + Duration::from_secs(1), 100),
            "window not over"
        );
        assert!(
            !progress.too_slow(start + RATE_WINDOW, 100),
            "the first window is free"
        );
        progress.received += 500;
        assert!(
            !progress.too_slow(start + RATE_WINDOW * 2, 100),
            "500 bytes in 5 s is 100/s"
        );
        progress.received += 499;
        assert!(
            progress.too_slow(start + RATE_WINDOW * 3, 100),
            "499 bytes in 5 s is too slow"
        );
    }

    #[test]
    fn a_burst_then_a_stall_is_cut_at_the_end_of_the_next_window() {
        let mut progress = Progress::new();
        let start = progress.window_start;
        progress.received = 9_500_000;
        assert!(!progress.too_slow(start + RATE_WINDOW, 16_384));
        assert!(progress.too_slow(start + RATE_WINDOW * 2, 16_384));
    }
}
