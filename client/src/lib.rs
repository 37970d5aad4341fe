//! `sogs-client`: a minimal Session Community client; one method per server endpoint.

pub mod api;

pub use api::{Client, ClientError, Response};
