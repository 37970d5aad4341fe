//! Wire protocol of Session Community servers (SOGS), shared by the server, the admin tool and the client.
//!
//! - [`ids`]: typed identifiers (Session IDs, blinded ids, room tokens, the server key);
//! - [`blinding`]: blind15/blind25 factors, id mappings and client key pairs;
//! - [`signing`]: the exact X-SOGS signed bytes, the signers and the verifier;
//! - [`auth_headers`]: parsing of the X-SOGS-* header values with the reference's 400 texts;
//! - [`point`]: Ed25519 point validity as libsodium defines it;
//! - [`onion`]: onion-request framing and encryption (outer blob, v4 and v3 inner formats);
//! - [`content`]: the Session protobuf subset (`Content`, attachments, envelopes) and padding;
//! - [`api`]: JSON wire types of the endpoints;
//! - [`encoding`]: base64 and hex exactly as the reference server accepts them;
//! - [`xeddsa`]: XEdDSA signatures of unblinded `05` ids (signed with the X25519 key).
#![warn(missing_docs)]

pub mod api;
pub mod auth_headers;
pub mod blinding;
pub mod content;
pub mod encoding;
pub mod ids;
pub mod onion;
pub mod point;
pub mod signing;
pub mod time;
pub mod xeddsa;
