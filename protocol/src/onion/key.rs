//! The symmetric key of one onion exchange: derivation (spec §4.2), encryption and decryption.

use std::fmt;

use aes_gcm::Aes256Gcm;
use chacha20poly1305::XChaCha20Poly1305;
use chacha20poly1305::aead::{Aead, KeyInit};
use hmac::{Hmac, Mac};
use rand_core::{OsRng, RngCore};
use sha2::Sha256;
use x25519_dalek::{PublicKey, StaticSecret};
use zeroize::Zeroizing;

use super::enc_type::EncType;
use super::error::CryptoError;

/// The HMAC key `"LOKI"` zero-padded to SHA-256's 64-byte block, which HMAC defines as the
/// same key (RFC 2104 §2), so no fallible variable-length constructor is needed.
const LOKI_HMAC_KEY: [u8; 64] = {
    let mut key = [0u8; 64];
    key[0] = b'L';
    key[1] = b'O';
    key[2] = b'K';
    key[3] = b'I';
    key
};

/// The cipher and 32-byte key shared by a client and the server for one request and its reply.
///
/// The server gets it from [`decrypt_request`](super::decrypt_request) and encrypts its reply
/// with it; the client gets it from [`build_request_blob`](super::build_request_blob) and
/// decrypts the reply with it. The key is wiped on drop and never printed.
#[derive(Clone)]
pub struct SharedKey {
    enc_type: EncType,
    key: Zeroizing<[u8; 32]>,
}

impl SharedKey {
    /// Derives the key from the X25519 output `shared` (= aB = bA): for xchacha20
    /// BLAKE2b-256(shared ‖ client_pub ‖ server_pub), for aes-gcm HMAC-SHA256(key "LOKI", shared).
    pub fn derive(
        enc_type: EncType,
        shared: &[u8; 32],
        client_pub: &[u8; 32],
        server_pub: &[u8; 32],
    ) -> Self {
        let key = match enc_type {
            EncType::XChaCha20Poly1305 => blake2b_256(&[shared, client_pub, server_pub]),
            EncType::Aes256Gcm => hmac_loki(shared),
        };
        Self { enc_type, key }
    }

    /// The server's side: X25519 of its secret with the client's ephemeral key.
    pub fn for_server(
        enc_type: EncType,
        server_secret: &StaticSecret,
        client_pub: &PublicKey,
    ) -> Result<Self, CryptoError> {
        let shared = contributory_exchange(server_secret, client_pub)?;
        let server_pub = PublicKey::from(server_secret);
        Ok(Self::derive(
            enc_type,
            &shared,
            client_pub.as_bytes(),
            server_pub.as_bytes(),
        ))
    }

    /// The client's side: X25519 of its ephemeral secret with the server's public key.
    pub fn for_client(
        enc_type: EncType,
        client_secret: &StaticSecret,
        server_pub: &PublicKey,
    ) -> Result<Self, CryptoError> {
        let shared = contributory_exchange(client_secret, server_pub)?;
        let client_pub = PublicKey::from(client_secret);
        Ok(Self::derive(
            enc_type,
            &shared,
            client_pub.as_bytes(),
            server_pub.as_bytes(),
        ))
    }

    /// The cipher this key is for.
    pub fn enc_type(&self) -> EncType {
        self.enc_type
    }

    /// The raw 32-byte key (secret; for known-answer tests).
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.key
    }

    /// Encrypts with a fresh random nonce: `nonce ‖ ciphertext ‖ tag`.
    pub fn encrypt(&self, plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let mut buf = [0u8; 24];
        OsRng
            .try_fill_bytes(&mut buf)
            .map_err(|_| CryptoError::Rng)?;
        let nonce = buf.get(..self.enc_type.nonce_len()).unwrap_or(&buf);
        self.encrypt_with_nonce(nonce, plaintext)
    }

    /// Encrypts with the given nonce (12 bytes for aes-gcm, 24 for xchacha20); for tests and
    /// vectors only: reusing a nonce with one key breaks both ciphers.
    pub fn encrypt_with_nonce(
        &self,
        nonce: &[u8],
        plaintext: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        let sealed = match self.enc_type {
            EncType::Aes256Gcm => {
                let nonce: [u8; 12] = fixed_nonce(nonce)?;
                Aes256Gcm::new(&(*self.key).into()).encrypt(&nonce.into(), plaintext)
            }
            EncType::XChaCha20Poly1305 => {
                let nonce: [u8; 24] = fixed_nonce(nonce)?;
                XChaCha20Poly1305::new(&(*self.key).into()).encrypt(&nonce.into(), plaintext)
            }
        };
        let sealed = sealed.map_err(|_| CryptoError::PlaintextTooLong)?;
        Ok([nonce, &sealed].concat())
    }

    /// Decrypts `nonce ‖ ciphertext ‖ tag`.
    pub fn decrypt(&self, ciphertext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let too_short = CryptoError::CiphertextTooShort {
            len: ciphertext.len(),
            min: self.enc_type.overhead(),
        };
        if ciphertext.len() < self.enc_type.overhead() {
            return Err(too_short);
        }
        let opened = match self.enc_type {
            EncType::Aes256Gcm => {
                let (nonce, sealed) = ciphertext.split_first_chunk::<12>().ok_or(too_short)?;
                Aes256Gcm::new(&(*self.key).into()).decrypt(&(*nonce).into(), sealed)
            }
            EncType::XChaCha20Poly1305 => {
                let (nonce, sealed) = ciphertext.split_first_chunk::<24>().ok_or(too_short)?;
                XChaCha20Poly1305::new(&(*self.key).into()).decrypt(&(*nonce).into(), sealed)
            }
        };
        opened.map_err(|_| CryptoError::Authentication)
    }
}

impl fmt::Debug for SharedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedKey")
            .field("enc_type", &self.enc_type)
            .finish_non_exhaustive()
    }
}

/// A nonce of exactly `N` bytes.
fn fixed_nonce<const N: usize>(nonce: &[u8]) -> Result<[u8; N], CryptoError> {
    nonce.try_into().map_err(|_| CryptoError::NonceLength {
        expected: N,
        got: nonce.len(),
    })
}

/// Unkeyed BLAKE2b with a 32-byte output over the concatenated parts.
fn blake2b_256(parts: &[&[u8; 32]]) -> Zeroizing<[u8; 32]> {
    let mut state = blake2b_simd::Params::new().hash_length(32).to_state();
    for part in parts {
        state.update(*part);
    }
    let mut out = Zeroizing::new([0u8; 32]);
    // The hash length is 32, so the lengths match.
    out.copy_from_slice(state.finalize().as_bytes());
    out
}

/// HMAC-SHA256 with key `"LOKI"` over the shared secret.
fn hmac_loki(shared: &[u8; 32]) -> Zeroizing<[u8; 32]> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new(&LOKI_HMAC_KEY.into());
    mac.update(shared);
    Zeroizing::new(mac.finalize().into_bytes().into())
}

/// X25519, refusing a small-order peer key (as libsodium does).
fn contributory_exchange(secret: &StaticSecret, peer: &PublicKey) -> Result<[u8; 32], CryptoError> {
    let shared = secret.diffie_hellman(peer);
    if !shared.was_contributory() {
        return Err(CryptoError::NonContributory);
    }
    Ok(*shared.as_bytes())
}
