//! Writes taken off the request path: nonces are consumed in batches and posts committed in
//! groups (each request still waits for its own answer), and activity timestamps are buffered
//! and flushed every second.

pub mod activity;
pub mod nonces;
pub mod posts;
