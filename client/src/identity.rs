//! A Session identity: Ed25519 seed → Ed25519 key pair → X25519 key pair → Session ID (`05…`),
//! plus its blinded views for one Community server (via `sogs_protocol::blinding`).
//!
//! Session derives everything from a 16-byte seed padded with 16 zero bytes to the 32-byte
//! Ed25519 seed (spec client-protocols §6); other 32-byte seeds work too but have no 13-word
//! recovery phrase.

use std::fmt;

use curve25519_dalek::scalar::clamp_integer;
use ed25519_dalek::{Signer as _, SigningKey};
use rand_core::CryptoRngCore;
use sogs_protocol::blinding::{BlindedKeypair, blind15_keypair, blind25_keypair};
use sogs_protocol::ids::{BlindedId, ServerPubkey, SessionId};
use zeroize::Zeroizing;

use crate::mnemonic::{self, MnemonicError};

/// A user's long-term keys. The secret is wiped on drop; `Debug` shows only the Session ID.
#[derive(Clone)]
pub struct Identity {
    signing: SigningKey,
}

impl Identity {
    /// The identity of a 32-byte Ed25519 seed.
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        Self {
            signing: SigningKey::from_bytes(seed),
        }
    }

    /// The identity of a 16-byte Session seed (Ed25519 seed = `seed ‖ 16 zero bytes`).
    pub fn from_session_seed(seed: &[u8; 16]) -> Self {
        let mut full = Zeroizing::new([0u8; 32]);
        full[..16].copy_from_slice(seed);
        Self::from_seed(&full)
    }

    /// A new identity from 16 random bytes, as Session creates accounts.
    pub fn generate(rng: &mut impl CryptoRngCore) -> Self {
        let mut seed = Zeroizing::new([0u8; 16]);
        rng.fill_bytes(seed.as_mut());
        Self::from_session_seed(&seed)
    }

    /// Restores an identity from its 13-word recovery phrase.
    pub fn from_phrase(phrase: &str) -> Result<Self, MnemonicError> {
        let seed = mnemonic::phrase_to_seed(phrase)?;
        Ok(Self::from_session_seed(&seed))
    }

    /// The 13-word recovery phrase, or `None` when the seed is not a padded 16-byte Session seed.
    pub fn recovery_phrase(&self) -> Option<Zeroizing<String>> {
        let seed = self.seed();
        if seed[16..].iter().any(|&b| b != 0) {
            return None;
        }
        let mut short = Zeroizing::new([0u8; 16]);
        short.copy_from_slice(&seed[..16]);
        Some(mnemonic::seed_to_phrase(&short))
    }

    /// The 32-byte Ed25519 seed (the secret; pass it to request signers).
    pub fn seed(&self) -> &[u8; 32] {
        self.signing.as_bytes()
    }

    /// The Ed25519 signing key.
    pub fn signing_key(&self) -> &SigningKey {
        &self.signing
    }

    /// The Ed25519 public key.
    pub fn ed25519_public(&self) -> [u8; 32] {
        self.signing.verifying_key().to_bytes()
    }

    /// The X25519 private key: libsodium `crypto_sign_ed25519_sk_to_curve25519`, i.e. the
    /// clamped first half of `SHA-512(seed)`.
    pub fn x25519_secret(&self) -> Zeroizing<[u8; 32]> {
        let raw = Zeroizing::new(self.signing.to_scalar_bytes());
        Zeroizing::new(clamp_integer(*raw))
    }

    /// The X25519 public key: the Montgomery form of the Ed25519 public key.
    pub fn x25519_public(&self) -> [u8; 32] {
        self.signing.verifying_key().to_montgomery().to_bytes()
    }

    /// The Session ID: `05` + the X25519 public key.
    pub fn session_id(&self) -> SessionId {
        SessionId::from_x25519(self.x25519_public())
    }

    /// A plain Ed25519 signature with the master key.
    pub fn sign(&self, msg: &[u8]) -> [u8; 64] {
        self.signing.sign(msg).to_bytes()
    }

    /// The blind15 key pair for the server whose X25519 key is `server_pk`.
    pub fn blind15(&self, server_pk: &ServerPubkey) -> BlindedKeypair {
        blind15_keypair(self.seed(), server_pk)
    }

    /// The blind25 key pair for the server whose X25519 key is `server_pk`.
    pub fn blind25(&self, server_pk: &ServerPubkey) -> BlindedKeypair {
        blind25_keypair(self.seed(), server_pk)
    }

    /// The `15…` id this identity has on the server (the exact key, either sign).
    pub fn blinded15_id(&self, server_pk: &ServerPubkey) -> BlindedId {
        self.blind15(server_pk).id()
    }

    /// The `25…` id this identity has on the server.
    pub fn blinded25_id(&self, server_pk: &ServerPubkey) -> BlindedId {
        self.blind25(server_pk).id()
    }
}

impl fmt::Debug for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Identity({})", self.session_id())
    }
}
