//! Messages the server posts itself (filter replies): a text `Content` under a display name,
//! signed by an Ed25519 key derived from a server secret and that name, shown as a `15` id.
//!
//! The derivation is the reference's (spec §7.5, "Auto-reply"): Ed25519 seed =
//! BLAKE2b-256(`name ‖ secret`, key `sogsfiltering`), so a server keeps the bot ids it had under
//! pysogs. One key per display name keeps Session clients from merging different bot names into
//! one profile, and the signature verifies like any unblinded (`15`) poster's.

use ed25519_dalek::SigningKey;

use super::{Content, DataMessage, LokiProfile};

/// The BLAKE2b key of the derivation, so the derived keys are unrelated to other uses of the
/// same secret.
const DERIVATION_KEY: &[u8] = b"sogsfiltering";

impl Content {
    /// A text message `body` shown under `display_name`, sent at `timestamp_ms` (set both as
    /// `dataMessage.timestamp` and `sigTimestamp`).
    pub fn named_text(body: &str, display_name: &str, timestamp_ms: u64) -> Self {
        Self {
            data_message: Some(DataMessage {
                body: Some(body.to_owned()),
                timestamp: Some(timestamp_ms),
                profile: Some(LokiProfile {
                    display_name: Some(display_name.to_owned()),
                    profile_picture: None,
                }),
                ..DataMessage::default()
            }),
            sig_timestamp: Some(timestamp_ms),
            ..Self::default()
        }
    }
}

/// A signing identity of the server for one display name.
#[derive(Clone)]
pub struct BotIdentity {
    key: SigningKey,
}

impl std::fmt::Debug for BotIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BotIdentity")
            .field("session_id", &self.session_id())
            .finish()
    }
}

impl BotIdentity {
    /// The identity for `name` (`secret`: the server's X25519 private key bytes): Ed25519
    /// seed = keyed BLAKE2b-256 of `name ‖ secret`.
    pub fn derive(secret: &[u8; 32], name: &str) -> Self {
        let hash = blake2b_simd::Params::new()
            .hash_length(32)
            .key(DERIVATION_KEY)
            .to_state()
            .update(name.as_bytes())
            .update(secret)
            .finalize();
        let mut seed = [0u8; 32];
        seed.copy_from_slice(hash.as_bytes());
        Self {
            key: SigningKey::from_bytes(&seed),
        }
    }

    /// The id the messages are shown under: `15` + the Ed25519 public key in hex.
    pub fn session_id(&self) -> String {
        format!("15{}", hex::encode(self.key.verifying_key().as_bytes()))
    }

    /// The Ed25519 public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.key.verifying_key().to_bytes()
    }

    /// Signs `data` (a post's padded bytes).
    pub fn sign(&self, data: &[u8]) -> [u8; 64] {
        use ed25519_dalek::Signer as _;
        self.key.sign(data).to_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_get_distinct_verifiable_identities() {
        let secret = [7u8; 32];
        let (a, b) = (
            BotIdentity::derive(&secret, "SOGS"),
            BotIdentity::derive(&secret, "Filter"),
        );
        assert_ne!(a.session_id(), b.session_id());
        assert_eq!(
            a.session_id(),
            BotIdentity::derive(&secret, "SOGS").session_id()
        );
        let data = Content::named_text("hi", "SOGS", 1).encode_padded();
        let sig = a.sign(&data);
        assert!(crate::signing::verify(&a.public_key(), &data, &sig).is_ok());
        let decoded = Content::decode_padded(&data)
            .ok()
            .and_then(|c| c.data_message);
        let name = decoded.and_then(|d| d.profile).and_then(|p| p.display_name);
        assert_eq!(name.as_deref(), Some("SOGS"));
    }
}
