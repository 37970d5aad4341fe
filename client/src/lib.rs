//! `sogs-client`: a minimal Session Community client; one method per server endpoint.

pub mod api;
pub mod e2e;
pub mod identity;
pub mod mnemonic;
pub mod onion;
pub mod signer;

pub use api::{Client, ClientError, Response};
pub use signer::Signer;

/// The Session protobuf subset and padding (shared with the server, which filters on it).
pub use sogs_protocol::content;
