//! Known-answer and property tests of the client-only cryptography, against
//! `vectors/vectors-client.json` (a verbatim copy of `spec/vectors-client.json`).
#![expect(
    clippy::unwrap_used,
    reason = "test helpers outside #[test] functions panic on malformed fixtures by design"
)]

mod blinded_dm;
mod content;
mod groups;
mod identity;
mod mnemonic;
mod one_to_one;
mod props;
mod vectors;
