//! `sogs-client`: a minimal Session Community client; one method per server endpoint, plus
//! the client side of communities, blinded DMs and closed groups used by the CLI.

pub mod api;
pub mod community;
pub mod dm;
pub mod e2e;
pub mod error;
pub mod group;
pub mod identity;
pub mod mailbox;
pub mod mnemonic;
pub mod onion;
pub mod profile;
pub mod room_url;
pub mod signer;

pub use api::{Client, ClientError, MessageQuery, Response};
pub use signer::Signer;

/// The Session protobuf subset and padding (shared with the server, which filters on it).
pub use sogs_protocol::content;
