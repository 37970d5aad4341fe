//! The one-to-one Session protocol to a `05` Session ID (spec client-protocols §4.1–4.2,
//! libsession-util `encrypt_for_recipient` / `decrypt_incoming` / `encode_for_1o1`).
//!
//! `signed = M ‖ A ‖ Ed25519_sign(M ‖ A ‖ Y)` (A: sender Ed25519 key, Y: recipient X25519 key,
//! signed but not sent), sealed to `Y`: `E ‖ crypto_box(signed, nonce = BLAKE2b-192(E ‖ Y))`
//! with a fresh ephemeral X25519 key `E`.

use crypto_box::aead::Aead;
use crypto_box::{PublicKey, SalsaBox, SecretKey};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha512};
use sogs_protocol::ids::SessionId;
use sogs_protocol::signing::verify;
use zeroize::Zeroizing;

use super::{Decrypted, ed25519_to_x25519};
use crate::content::{Content, DecodeError, Envelope, WebSocketMessage, WebSocketRequest};
use crate::identity::Identity;

/// Ephemeral key + Poly1305 tag.
const SEAL_OVERHEAD: usize = 32 + 16;
/// Sender key + signature appended to the message before sealing.
const SIGNED_OVERHEAD: usize = 32 + 64;
/// BLAKE2b key of the deterministic ephemeral seed.
const BOX_HASH_KEY: &[u8] = b"SessionBoxEphemeralHashKey";

/// Why a one-to-one message could not be encrypted or decrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OneToOneError {
    /// The recipient's (or the ephemeral) X25519 key is of small order.
    #[error("the X25519 key is of small order")]
    WeakKey,
    /// Too short to hold the ephemeral key, tag, sender key and signature.
    #[error("one-to-one message too short: {0} bytes")]
    TooShort(usize),
    /// The sealed box does not open with our key.
    #[error("decryption failed")]
    Decrypt,
    /// The message is too large for the cipher.
    #[error("encryption failed")]
    Encrypt,
    /// The sender's signature over `M ‖ A ‖ Y` does not verify.
    #[error("sender signature verification failed")]
    Signature,
    /// The wrapping protobuf is malformed.
    #[error("malformed envelope: {0}")]
    Protobuf(#[from] DecodeError),
    /// The wrapping has no request body or envelope content.
    #[error("the envelope carries no ciphertext")]
    MissingContent,
}

/// Encrypts `message` for `recipient` with a random ephemeral key (`crypto_box_seal`).
pub fn encrypt_for_recipient(
    identity: &Identity,
    recipient: &SessionId,
    message: &[u8],
) -> Result<Vec<u8>, OneToOneError> {
    let mut eph_seed = Zeroizing::new([0u8; 32]);
    OsRng.fill_bytes(eph_seed.as_mut());
    seal(
        &eph_seed,
        recipient.x25519(),
        &sign_for_recipient(identity, recipient, message),
    )
}

/// Encrypts like [`encrypt_for_recipient`] but derives the ephemeral key from
/// `BLAKE2b-256(seed ‖ Y ‖ M, key = "SessionBoxEphemeralHashKey")`, so the output is
/// reproducible (libsession `encrypt_for_recipient_deterministic`).
pub fn encrypt_for_recipient_deterministic(
    identity: &Identity,
    recipient: &SessionId,
    message: &[u8],
) -> Result<Vec<u8>, OneToOneError> {
    let hash = blake2b_simd::Params::new()
        .hash_length(32)
        .key(BOX_HASH_KEY)
        .to_state()
        .update(identity.seed())
        .update(recipient.x25519())
        .update(message)
        .finalize();
    let mut eph_seed = Zeroizing::new([0u8; 32]);
    eph_seed.copy_from_slice(hash.as_bytes());
    seal(
        &eph_seed,
        recipient.x25519(),
        &sign_for_recipient(identity, recipient, message),
    )
}

/// `M ‖ A ‖ Ed25519_sign(M ‖ A ‖ Y)`.
fn sign_for_recipient(
    identity: &Identity,
    recipient: &SessionId,
    message: &[u8],
) -> Zeroizing<Vec<u8>> {
    let mut buf = Zeroizing::new(Vec::with_capacity(message.len() + SIGNED_OVERHEAD));
    buf.extend_from_slice(message);
    buf.extend_from_slice(&identity.ed25519_public());
    buf.extend_from_slice(recipient.x25519());
    let sig = identity.sign(&buf);
    let signed_len = buf.len() - 32;
    buf.truncate(signed_len);
    buf.extend_from_slice(&sig);
    buf
}

/// The sealed-box nonce `BLAKE2b-192(E ‖ Y)`.
fn seal_nonce(ephemeral: &[u8; 32], recipient: &[u8; 32]) -> crypto_box::Nonce {
    let hash = blake2b_simd::Params::new()
        .hash_length(24)
        .to_state()
        .update(ephemeral)
        .update(recipient)
        .finalize();
    *crypto_box::Nonce::from_slice(hash.as_bytes())
}

/// `E ‖ crypto_box(signed)` with the ephemeral key of libsodium `crypto_box_seed_keypair(seed)`.
fn seal(
    eph_seed: &[u8; 32],
    recipient: &[u8; 32],
    signed: &[u8],
) -> Result<Vec<u8>, OneToOneError> {
    let mut eph_secret = Zeroizing::new([0u8; 32]);
    eph_secret.copy_from_slice(&Sha512::digest(eph_seed)[..32]);
    check_contributory(&eph_secret, recipient)?;
    let secret = SecretKey::from_bytes(*eph_secret);
    let ephemeral = secret.public_key().to_bytes();
    let sealed = SalsaBox::new(&PublicKey::from_bytes(*recipient), &secret)
        .encrypt(&seal_nonce(&ephemeral, recipient), signed)
        .map_err(|_| OneToOneError::Encrypt)?;
    let mut out = Vec::with_capacity(32 + sealed.len());
    out.extend_from_slice(&ephemeral);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Refuses a small-order peer key, as libsodium's `crypto_box_beforenm` does.
fn check_contributory(secret: &[u8; 32], peer: &[u8; 32]) -> Result<(), OneToOneError> {
    let shared = x25519_dalek::StaticSecret::from(*secret)
        .diffie_hellman(&x25519_dalek::PublicKey::from(*peer));
    if shared.was_contributory() {
        Ok(())
    } else {
        Err(OneToOneError::WeakKey)
    }
}

/// Opens a message sealed to us and verifies the sender's signature.
pub fn decrypt_incoming(
    identity: &Identity,
    ciphertext: &[u8],
) -> Result<Decrypted, OneToOneError> {
    if ciphertext.len() < SEAL_OVERHEAD + SIGNED_OVERHEAD {
        return Err(OneToOneError::TooShort(ciphertext.len()));
    }
    let mut ephemeral = [0u8; 32];
    ephemeral.copy_from_slice(&ciphertext[..32]);
    let our_secret = identity.x25519_secret();
    let our_public = identity.x25519_public();
    check_contributory(&our_secret, &ephemeral)?;
    let mut buf = SalsaBox::new(
        &PublicKey::from_bytes(ephemeral),
        &SecretKey::from_bytes(*our_secret),
    )
    .decrypt(&seal_nonce(&ephemeral, &our_public), &ciphertext[32..])
    .map_err(|_| OneToOneError::Decrypt)?;
    let msg_len = buf.len() - SIGNED_OVERHEAD;
    let mut sender_ed25519 = [0u8; 32];
    sender_ed25519.copy_from_slice(&buf[msg_len..msg_len + 32]);
    let mut sig = [0u8; 64];
    sig.copy_from_slice(&buf[msg_len + 32..]);
    buf.truncate(msg_len + 32);
    buf.extend_from_slice(&our_public);
    verify(&sender_ed25519, &buf, &sig).map_err(|_| OneToOneError::Signature)?;
    buf.truncate(msg_len);
    let x25519 = ed25519_to_x25519(&sender_ed25519).ok_or(OneToOneError::Signature)?;
    Ok(Decrypted {
        message: buf,
        sender: SessionId::from_x25519(x25519),
        sender_ed25519,
    })
}

/// What a client stores in the recipient's swarm: `pad(content)` encrypted, in an `Envelope`
/// (type 6, `timestamp_ms`, device 1), in a libsession-style `WebSocketMessage`.
pub fn encode_for_1o1(
    identity: &Identity,
    recipient: &SessionId,
    content: &Content,
    timestamp_ms: u64,
) -> Result<Vec<u8>, OneToOneError> {
    let ciphertext = encrypt_for_recipient(identity, recipient, &content.encode_padded())?;
    let envelope = Envelope::session_message(ciphertext, timestamp_ms).encode();
    let message = WebSocketMessage {
        request: Some(WebSocketRequest::libsession(envelope)),
    };
    Ok(message.encode())
}

/// Unwraps a swarm message (`WebSocketMessage` → `Envelope`) and decrypts its content.
pub fn decode_1o1(
    identity: &Identity,
    data: &[u8],
) -> Result<(Envelope, Decrypted), OneToOneError> {
    let request = WebSocketMessage::decode(data)?
        .request
        .ok_or(OneToOneError::MissingContent)?;
    let envelope = Envelope::decode(&request.body)?;
    let ciphertext = envelope
        .content
        .as_deref()
        .ok_or(OneToOneError::MissingContent)?;
    let decrypted = decrypt_incoming(identity, ciphertext)?;
    Ok((envelope, decrypted))
}
