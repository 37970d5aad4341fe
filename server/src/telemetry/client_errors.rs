//! Client errors in the log: what actix-http logs at ERROR when a client sends a malformed
//! request (a bad request line or header, a head too large, a connection cut or timed out) is
//! the client's fault, not the server's. Such events are logged again at WARN, at most
//! [`PER_WINDOW`] a minute, with a count of the ones left out; anyone can send them, so a
//! flood must not fill the operator's logs. Real server errors keep their ERROR level.

use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};

/// The target of the WARN lines written in their place.
pub const TARGET: &str = "sogs_server::client_errors";

/// Client errors logged per window; the rest are counted.
const PER_WINDOW: u32 = 10;

/// The window of [`PER_WINDOW`].
const WINDOW: Duration = Duration::from_secs(60);

/// What actix-http's dispatcher says of a connection a client spoiled (its `DispatchError`s
/// for parse errors, I/O errors and timeouts); other dispatch errors are the server's.
const CLIENT_CAUSES: [&str; 4] = [
    "stream error: request parse error",
    "stream error: I/O error",
    "stream error: request did not complete within",
    "stream error: connection shutdown timeout",
];

/// The layer: vetoes client-error events and writes the admitted ones at WARN.
#[derive(Debug)]
pub struct ClientErrors {
    gate: Mutex<Gate>,
}

impl ClientErrors {
    /// A layer whose first window starts now.
    pub fn new() -> Self {
        Self {
            gate: Mutex::new(Gate::new(Instant::now())),
        }
    }
}

impl Default for ClientErrors {
    fn default() -> Self {
        Self::new()
    }
}

impl<S: Subscriber> Layer<S> for ClientErrors {
    fn event_enabled(&self, event: &Event<'_>, _ctx: Context<'_, S>) -> bool {
        let Some(message) = client_error(event) else {
            return true;
        };
        let verdict = match self.gate.lock() {
            Ok(mut gate) => gate.admit(Instant::now()),
            Err(_) => Verdict::Drop,
        };
        // Logged outside the lock: these events come back through this layer (and pass).
        if let Verdict::Log { left_out } = verdict {
            if left_out > 0 {
                tracing::warn!(
                    target: TARGET,
                    left_out,
                    "{left_out} more client errors were not logged in the previous minute"
                );
            }
            let origin = event.metadata().target();
            let message = message.strip_prefix("stream error: ").unwrap_or(&message);
            tracing::warn!(target: TARGET, origin, "client error: {message}");
        }
        false
    }
}

/// The message of `event` if it is a client error that actix-http logged at ERROR.
fn client_error(event: &Event<'_>) -> Option<String> {
    let meta = event.metadata();
    if *meta.level() != Level::ERROR || !meta.target().starts_with("actix_http::") {
        return None;
    }
    let mut message = Message(None);
    event.record(&mut message);
    let message = message.0?;
    is_client_cause(&message).then_some(message)
}

/// Whether actix-http's `message` blames the client.
fn is_client_cause(message: &str) -> bool {
    CLIENT_CAUSES.iter().any(|cause| message.starts_with(cause))
}

/// Collects an event's `message` field.
struct Message(Option<String>);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            self.0 = Some(format!("{value:?}"));
        }
    }
}

/// Whether to log a client error.
#[derive(Debug, PartialEq, Eq)]
enum Verdict {
    /// Log it, after a line saying how many of the previous window were left out (if any).
    Log { left_out: u64 },
    /// Count it only.
    Drop,
}

/// At most [`PER_WINDOW`] client errors per [`WINDOW`].
#[derive(Debug)]
struct Gate {
    started: Instant,
    logged: u32,
    dropped: u64,
}

impl Gate {
    fn new(now: Instant) -> Self {
        Self {
            started: now,
            logged: 0,
            dropped: 0,
        }
    }

    fn admit(&mut self, now: Instant) -> Verdict {
        let mut left_out = 0;
        if now.duration_since(self.started) >= WINDOW {
            left_out = self.dropped;
            *self = Self::new(now);
        }
        if self.logged < PER_WINDOW {
            self.logged += 1;
            Verdict::Log { left_out }
        } else {
            self.dropped += 1;
            Verdict::Drop
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_ten_a_minute_are_logged_then_the_rest_are_counted() {
        let start = Instant::now();
        let mut gate = Gate::new(start);
        for _ in 0..PER_WINDOW {
            assert_eq!(gate.admit(start), Verdict::Log { left_out: 0 });
        }
        for _ in 0..25 {
            assert_eq!(gate.admit(start + Duration::from_secs(59)), Verdict::Drop);
        }
        let next = start + WINDOW;
        assert_eq!(gate.admit(next), Verdict::Log { left_out: 25 });
        assert_eq!(gate.admit(next), Verdict::Log { left_out: 0 });
    }

    #[test]
    fn only_client_caused_dispatch_errors_are_client_errors() {
        for client in [
            "stream error: request parse error: invalid Header provided",
            "stream error: request parse error: message head is too large",
            "stream error: I/O error: Connection reset by peer (os error 104)",
            "stream error: request did not complete within the specified timeout",
        ] {
            assert!(is_client_cause(client), "{client}");
        }
        for server in [
            "stream error: service error",
            "stream error: body error: boom",
            "Response payload stream error: x",
            "Internal server error: unexpected eof",
        ] {
            assert!(!is_client_cause(server), "{server}");
        }
    }
}
