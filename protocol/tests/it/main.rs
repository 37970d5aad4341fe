//! Known-answer tests (spec vectors) and robustness tests for `sogs-protocol`.
#![expect(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] functions panic on malformed fixtures by design"
)]

mod api;
mod auth_headers;
mod blinding;
mod onion;
mod signing;
mod vectors;
mod xeddsa;
