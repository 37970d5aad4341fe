//! Per-route request metrics, registered once: recording a request is an index computation and
//! two atomic updates, with no label allocation and no registry lookup on the hot path.

use std::sync::OnceLock;
use std::time::Duration;

use ::http::{Method, StatusCode};
use metrics::{Counter, Histogram, SharedString, counter, histogram};

use super::enabled;

/// Methods with a pre-registered counter slot; others are looked up on use.
const METHODS: [Method; 4] = [Method::GET, Method::POST, Method::PUT, Method::DELETE];

/// Statuses with a pre-registered counter slot; others are looked up on use.
const STATUSES: [u16; 20] = [
    200, 201, 204, 206, 304, 400, 401, 403, 404, 405, 406, 408, 409, 413, 415, 425, 429, 500, 502,
    503,
];

/// The request counter and latency histogram of one route pattern.
#[derive(Debug)]
pub struct RouteMetrics {
    route: SharedString,
    duration: OnceLock<Histogram>,
    counts: Box<[OnceLock<Counter>]>,
}

impl RouteMetrics {
    /// The metrics of route pattern `pattern` (the `route` label).
    pub fn new(pattern: &str) -> Self {
        Self::labelled(SharedString::from(std::sync::Arc::<str>::from(pattern)))
    }

    /// The metrics of requests no route matched (`route="unmatched"`), shared process-wide.
    pub fn unmatched() -> &'static Self {
        static UNMATCHED: OnceLock<RouteMetrics> = OnceLock::new();
        UNMATCHED.get_or_init(|| Self::labelled(SharedString::const_str("unmatched")))
    }

    fn labelled(route: SharedString) -> Self {
        let counts = (0..METHODS.len() * STATUSES.len())
            .map(|_| OnceLock::new())
            .collect();
        Self {
            route,
            duration: OnceLock::new(),
            counts,
        }
    }

    /// Counts one request (`sogs_requests_total{route,method,status}`) and records its
    /// handling time (`sogs_request_duration_seconds{route}`); a no-op while metrics are off.
    pub fn record(&self, method: &Method, status: StatusCode, took: Duration) {
        if !enabled() {
            return;
        }
        self.duration
            .get_or_init(
                || histogram!("sogs_request_duration_seconds", "route" => self.route.clone()),
            )
            .record(took.as_secs_f64());
        match slot(method, status) {
            Some(i) => self.counts[i]
                .get_or_init(|| self.counter(method, status))
                .increment(1),
            None => self.counter(method, status).increment(1),
        }
    }

    fn counter(&self, method: &Method, status: StatusCode) -> Counter {
        counter!(
            "sogs_requests_total",
            "route" => self.route.clone(),
            "method" => method_label(method),
            "status" => status.as_u16().to_string()
        )
    }
}

/// The pre-registered slot of `method` and `status`, if they have one.
fn slot(method: &Method, status: StatusCode) -> Option<usize> {
    let m = METHODS.iter().position(|known| known == method)?;
    let s = STATUSES
        .iter()
        .position(|&known| known == status.as_u16())?;
    Some(m * STATUSES.len() + s)
}

fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::PATCH => "PATCH",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_method_and_status_has_its_own_slot() {
        let mut seen = std::collections::HashSet::new();
        for method in METHODS {
            for status in STATUSES {
                let status = StatusCode::from_u16(status).unwrap();
                assert!(seen.insert(slot(&method, status).unwrap()));
            }
        }
        assert_eq!(seen.len(), METHODS.len() * STATUSES.len());
        assert_eq!(slot(&Method::HEAD, StatusCode::OK), None);
        assert_eq!(slot(&Method::GET, StatusCode::IM_A_TEAPOT), None);
    }
}
