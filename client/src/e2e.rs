//! End-to-end encryption between users: community inbox DMs to blinded ids ([`blinded_dm`])
//! and the one-to-one Session protocol to `05` Session IDs ([`one_to_one`]), closed-group
//! messages ([`groups`]) and their attachments ([`attachment`]).

use std::fmt;

use sogs_protocol::ids::SessionId;

use crate::content::{Content, DecodeError};

pub mod attachment;
pub mod blinded_dm;
pub mod groups;
pub mod one_to_one;

/// A decrypted message and its authenticated sender. `Debug` omits the plaintext.
#[derive(Clone, PartialEq, Eq)]
pub struct Decrypted {
    /// The plaintext (for Session messages: a padded `Content`).
    pub message: Vec<u8>,
    /// The sender's Session ID, derived from `sender_ed25519`.
    pub sender: SessionId,
    /// The sender's unblinded Ed25519 public key, proven by the decryption.
    pub sender_ed25519: [u8; 32],
}

impl Decrypted {
    /// The plaintext as a padded `Content` (what Session clients encrypt).
    pub fn content(&self) -> Result<Content, DecodeError> {
        Content::decode_padded(&self.message)
    }
}

impl fmt::Debug for Decrypted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Decrypted")
            .field("message_len", &self.message.len())
            .field("sender", &self.sender)
            .finish_non_exhaustive()
    }
}

/// The X25519 public key (Montgomery form) of a valid Ed25519 public key.
fn ed25519_to_x25519(ed25519: &[u8; 32]) -> Option<[u8; 32]> {
    let point = curve25519_dalek::edwards::CompressedEdwardsY(*ed25519).decompress()?;
    Some(point.to_montgomery().to_bytes())
}
