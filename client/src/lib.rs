//! `sogs-client`: a minimal Session Community client; one method per server endpoint.

pub mod api;
pub mod content;
pub mod e2e;
pub mod identity;
pub mod mnemonic;
pub mod onion;
pub mod signer;

pub use api::{Client, ClientError, Response};
pub use signer::Signer;
