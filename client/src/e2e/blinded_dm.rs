//! Community inbox DMs between blinded ids (spec client-protocols §3, libsession-util
//! `encrypt_for_blinded_recipient` / `decrypt_from_blinded_recipient`).
//!
//! Key: `BLAKE2b-256(s·R ‖ S ‖ R)` with `S`/`R` the sender's and recipient's blinded keys, and
//! `s` the sender's unblinded scalar `a` (blind15, where both sides share `k`) or blinded scalar
//! `±k25·a` (blind25); the recipient computes the same point from its side. Wire format:
//! `0x00 ‖ XChaCha20-Poly1305(key, nonce, message ‖ sender Ed25519 key) ‖ nonce` (nonce last).

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use curve25519_dalek::Scalar;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use rand_core::{OsRng, RngCore};
use sogs_protocol::blinding::{blinded15_from_ed25519, blinded25_from_ed25519};
use sogs_protocol::ids::{BlindScheme, BlindedId, ServerPubkey, SessionId};
use sogs_protocol::point::is_valid_point;
use zeroize::Zeroizing;

use super::{Decrypted, ed25519_to_x25519};
use crate::content::Content;
use crate::identity::Identity;

/// The format version byte that starts every blinded DM.
pub const VERSION: u8 = 0;
/// XChaCha20 nonce length.
const NONCE_LEN: usize = 24;
/// Poly1305 tag length.
const TAG_LEN: usize = 16;
/// Shortest valid message: version, tag, nonce and the 32-byte sender key.
const MIN_LEN: usize = 1 + TAG_LEN + NONCE_LEN + 32;

/// Why a blinded DM could not be encrypted or decrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BlindedDmError {
    /// One id is `15…` and the other `25…`.
    #[error("sender and recipient ids use different blinding schemes")]
    SchemeMismatch,
    /// The other party's blinded key is not a valid Ed25519 point.
    #[error("the other party's blinded id is not a valid Ed25519 public key")]
    InvalidBlindedKey,
    /// Too short to hold a version byte, tag, nonce and sender key.
    #[error("blinded message too short: {0} bytes")]
    TooShort(usize),
    /// The first byte is not [`VERSION`].
    #[error("unsupported blinded message version {0}")]
    Version(u8),
    /// Authentication failed: wrong key, wrong ids or corrupted data.
    #[error("decryption failed")]
    Decrypt,
    /// The message is too large for the cipher.
    #[error("encryption failed")]
    Encrypt,
    /// The embedded sender key is not a valid Ed25519 public key.
    #[error("the embedded sender key is not a valid Ed25519 public key")]
    InvalidSenderKey,
    /// The embedded sender key does not blind to the sender id.
    #[error("the embedded sender key does not match the blinded sender id")]
    SenderMismatch,
}

/// Our own blinded id under `scheme` (the exact key, either sign).
fn own_id(identity: &Identity, server_pk: &ServerPubkey, scheme: BlindScheme) -> BlindedId {
    match scheme {
        BlindScheme::Blind15 => identity.blinded15_id(server_pk),
        BlindScheme::Blind25 => identity.blinded25_id(server_pk),
    }
}

/// The scalar we multiply the other party's blinded key by: `a` (blind15) or `±k25·a` (blind25).
fn own_scalar(
    identity: &Identity,
    server_pk: &ServerPubkey,
    scheme: BlindScheme,
) -> Zeroizing<Scalar> {
    Zeroizing::new(match scheme {
        BlindScheme::Blind15 => identity.signing_key().to_scalar(),
        BlindScheme::Blind25 => *identity.blind25(server_pk).secret(),
    })
}

/// The symmetric key of a DM from `sender` to `recipient`, one of which must be our own id
/// (when `sender` is ours we compute as the sender, otherwise as the recipient).
pub fn shared_key(
    identity: &Identity,
    server_pk: &ServerPubkey,
    sender: &BlindedId,
    recipient: &BlindedId,
) -> Result<Zeroizing<[u8; 32]>, BlindedDmError> {
    let scheme = sender.scheme();
    if recipient.scheme() != scheme {
        return Err(BlindedDmError::SchemeMismatch);
    }
    let own = own_id(identity, server_pk, scheme);
    // A sender who only knew our 05 id may have addressed the other sign of our blind15 key
    // (spec §3.5); its point is then the negation of ours.
    let (other, negate) = if *sender == own {
        (recipient, false)
    } else {
        (
            sender,
            *recipient != own && recipient.blinded_abs() == own.blinded_abs(),
        )
    };
    let point = decompress(other.key()).ok_or(BlindedDmError::InvalidBlindedKey)?;
    let scalar = own_scalar(identity, server_pk, scheme);
    let shared = if negate {
        -(point * *scalar)
    } else {
        point * *scalar
    };
    if shared == EdwardsPoint::default() {
        return Err(BlindedDmError::InvalidBlindedKey);
    }
    let shared = Zeroizing::new(shared.compress().to_bytes());
    let hash = blake2b_simd::Params::new()
        .hash_length(32)
        .to_state()
        .update(shared.as_ref())
        .update(sender.key())
        .update(recipient.key())
        .finalize();
    let mut key = Zeroizing::new([0u8; 32]);
    key.copy_from_slice(hash.as_bytes());
    Ok(key)
}

/// Decompresses a key that passes libsodium's point validity check.
fn decompress(bytes: &[u8; 32]) -> Option<EdwardsPoint> {
    is_valid_point(bytes)
        .then(|| CompressedEdwardsY(*bytes).decompress())
        .flatten()
}

/// Encrypts `message` for `recipient` with a random nonce.
pub fn encrypt(
    identity: &Identity,
    server_pk: &ServerPubkey,
    recipient: &BlindedId,
    message: &[u8],
) -> Result<Vec<u8>, BlindedDmError> {
    let mut nonce = [0u8; NONCE_LEN];
    OsRng.fill_bytes(&mut nonce);
    encrypt_with_nonce(identity, server_pk, recipient, message, &nonce)
}

/// Encrypts `message` for `recipient` with the given nonce (never reuse one; for tests).
pub fn encrypt_with_nonce(
    identity: &Identity,
    server_pk: &ServerPubkey,
    recipient: &BlindedId,
    message: &[u8],
    nonce: &[u8; NONCE_LEN],
) -> Result<Vec<u8>, BlindedDmError> {
    let sender = own_id(identity, server_pk, recipient.scheme());
    let key = shared_key(identity, server_pk, &sender, recipient)?;
    let mut inner = Zeroizing::new(Vec::with_capacity(message.len() + 32));
    inner.extend_from_slice(message);
    inner.extend_from_slice(&identity.ed25519_public());
    let ciphertext = XChaCha20Poly1305::new(key.as_ref().into())
        .encrypt(XNonce::from_slice(nonce), inner.as_slice())
        .map_err(|_| BlindedDmError::Encrypt)?;
    let mut out = Vec::with_capacity(1 + ciphertext.len() + NONCE_LEN);
    out.push(VERSION);
    out.extend_from_slice(&ciphertext);
    out.extend_from_slice(nonce);
    Ok(out)
}

/// Pads and encrypts a `Content` for `recipient`: the `message` of `POST /inbox/<id>`
/// (libsession `encode_for_community_inbox`).
pub fn encrypt_content(
    identity: &Identity,
    server_pk: &ServerPubkey,
    recipient: &BlindedId,
    content: &Content,
) -> Result<Vec<u8>, BlindedDmError> {
    encrypt(identity, server_pk, recipient, &content.encode_padded())
}

/// Decrypts an inbox message (we are `recipient`) or an outbox copy (we are `sender`), and
/// checks that the embedded Ed25519 key blinds to `sender`.
pub fn decrypt(
    identity: &Identity,
    server_pk: &ServerPubkey,
    sender: &BlindedId,
    recipient: &BlindedId,
    data: &[u8],
) -> Result<Decrypted, BlindedDmError> {
    if data.len() < MIN_LEN {
        return Err(BlindedDmError::TooShort(data.len()));
    }
    if data[0] != VERSION {
        return Err(BlindedDmError::Version(data[0]));
    }
    let (ciphertext, nonce) = data[1..].split_at(data.len() - 1 - NONCE_LEN);
    let key = shared_key(identity, server_pk, sender, recipient)?;
    let mut plain = XChaCha20Poly1305::new(key.as_ref().into())
        .decrypt(XNonce::from_slice(nonce), ciphertext)
        .map_err(|_| BlindedDmError::Decrypt)?;
    let split = plain.len() - 32;
    let mut sender_ed25519 = [0u8; 32];
    sender_ed25519.copy_from_slice(&plain[split..]);
    plain.truncate(split);
    let session_id = check_sender(&sender_ed25519, sender, server_pk)?;
    Ok(Decrypted {
        message: plain,
        sender: session_id,
        sender_ed25519,
    })
}

/// Checks that `ed25519` blinds to `sender` (either sign for blind15) and returns its Session ID.
fn check_sender(
    ed25519: &[u8; 32],
    sender: &BlindedId,
    server_pk: &ServerPubkey,
) -> Result<SessionId, BlindedDmError> {
    let reblinded = match sender.scheme() {
        BlindScheme::Blind15 => blinded15_from_ed25519(ed25519, server_pk),
        BlindScheme::Blind25 => blinded25_from_ed25519(ed25519, server_pk),
    }
    .map_err(|_| BlindedDmError::InvalidSenderKey)?;
    let matches = match sender.scheme() {
        BlindScheme::Blind15 => reblinded.blinded_abs() == sender.blinded_abs(),
        BlindScheme::Blind25 => reblinded == *sender,
    };
    if !matches {
        return Err(BlindedDmError::SenderMismatch);
    }
    let x25519 = ed25519_to_x25519(ed25519).ok_or(BlindedDmError::InvalidSenderKey)?;
    Ok(SessionId::from_x25519(x25519))
}
