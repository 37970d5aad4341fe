//! Request signing: the exact signed byte string (spec §3.4), the three signers and the verifier.

use curve25519_dalek::Scalar;
use curve25519_dalek::edwards::EdwardsPoint;
use ed25519_dalek::Signer as _;
use sha2::{Digest, Sha512};

use crate::blinding::{BlindedKeypair, blind15_keypair, blind25_keypair};
use crate::ids::ServerPubkey;
use crate::point;

mod request;

pub use request::{AuthScheme, RequestSigner, SignedHeaders, sign_request};

/// Why a signature was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// The public key is not a canonical encoding of a point of large order.
    #[error("invalid public key")]
    InvalidPubkey,
    /// The signature does not verify (strict Ed25519).
    #[error("signature verification failed")]
    Invalid,
}

/// Builds the bytes an X-SOGS signature covers:
/// `server_pk ‖ nonce ‖ timestamp ‖ method ‖ path ‖ ["?" ‖ query] ‖ [BLAKE2b-512(body)]`.
///
/// `timestamp` is the header string exactly as sent, `path_decoded` the percent-decoded path,
/// `raw_query` the query string as received (not decoded, without `?`; appended only when
/// non-empty); the body hash is appended only when the body is non-empty.
pub fn signed_message(
    server_pk: &ServerPubkey,
    nonce: &[u8; 16],
    timestamp: &str,
    method: &str,
    path_decoded: &str,
    raw_query: &str,
    body: &[u8],
) -> Vec<u8> {
    let mut msg = Vec::with_capacity(128 + path_decoded.len() + raw_query.len());
    msg.extend_from_slice(server_pk.as_bytes());
    msg.extend_from_slice(nonce);
    msg.extend_from_slice(timestamp.as_bytes());
    msg.extend_from_slice(method.as_bytes());
    msg.extend_from_slice(path_decoded.as_bytes());
    if !raw_query.is_empty() {
        msg.push(b'?');
        msg.extend_from_slice(raw_query.as_bytes());
    }
    if !body.is_empty() {
        msg.extend_from_slice(blake2b_simd::blake2b(body).as_bytes());
    }
    msg
}

/// `reduce(SHA-512(parts…))`.
fn reduce_sha512(parts: &[&[u8]]) -> Scalar {
    let mut hasher = Sha512::new();
    for part in parts {
        hasher.update(part);
    }
    Scalar::from_bytes_mod_order_wide(&hasher.finalize().into())
}

/// Schnorr/Ed25519 signature with nonce `r`: `R = r·G`, `S = r + reduce(SHA512(R‖A‖M))·a`.
fn sign_with_nonce(keys: &BlindedKeypair, r: Scalar, msg: &[u8]) -> [u8; 64] {
    let big_r = EdwardsPoint::mul_base(&r).compress().to_bytes();
    let h = reduce_sha512(&[&big_r, keys.public_key(), msg]);
    let s = r + h * keys.secret();
    let mut sig = [0u8; 64];
    sig[..32].copy_from_slice(&big_r);
    sig[32..].copy_from_slice(s.as_bytes());
    sig
}

/// Plain Ed25519 signature with the user's master key (unblinded `00` auth).
pub fn ed25519_sign(seed: &[u8; 32], msg: &[u8]) -> [u8; 64] {
    ed25519_dalek::SigningKey::from_bytes(seed)
        .sign(msg)
        .to_bytes()
}

/// Blind15 signature as pysogs and Session Desktop make it (spec §3.4): nonce
/// `r = reduce(SHA512(SHA512(seed)[32..64] ‖ kA ‖ M))`. Verifies as Ed25519 under `kA`.
pub fn blind15_sign(seed: &[u8; 32], server_pk: &ServerPubkey, msg: &[u8]) -> [u8; 64] {
    let prefix_source = crate::blinding::expand_seed(seed);
    blind15_sign_with_prefix(seed, server_pk, &prefix_source[32..], msg)
}

/// Blind15 signature as libsession-util `blind15_sign` makes it: the nonce prefix is
/// `SHA512(seed ‖ A)[32..64]` (hash of the 64-byte secret key). Equally valid, different bytes.
pub fn blind15_sign_libsession(seed: &[u8; 32], server_pk: &ServerPubkey, msg: &[u8]) -> [u8; 64] {
    let public = ed25519_dalek::SigningKey::from_bytes(seed)
        .verifying_key()
        .to_bytes();
    let prefix_source: [u8; 64] = Sha512::new()
        .chain_update(seed)
        .chain_update(public)
        .finalize()
        .into();
    blind15_sign_with_prefix(seed, server_pk, &prefix_source[32..], msg)
}

fn blind15_sign_with_prefix(
    seed: &[u8; 32],
    server_pk: &ServerPubkey,
    prefix: &[u8],
    msg: &[u8],
) -> [u8; 64] {
    blind15_sign_with_keys(&blind15_keypair(seed, server_pk), prefix, msg)
}

/// Blind15 signature with an already derived key pair and nonce prefix (`SHA512(seed)[32..]`):
/// a client signing many requests derives them once.
pub(crate) fn blind15_sign_with_keys(keys: &BlindedKeypair, prefix: &[u8], msg: &[u8]) -> [u8; 64] {
    let r = reduce_sha512(&[prefix, keys.public_key(), msg]);
    sign_with_nonce(keys, r, msg)
}

/// Blind25 signature (spec §3.6, libsession-util `blind25_sign`): nonce
/// `r = reduce(BLAKE2b-512(seedhash ‖ A' ‖ M, key = "SessCommBlind25_sig"))` with
/// `seedhash = BLAKE2b-256(seed, key = "SessCommBlind25_seed")`.
pub fn blind25_sign(seed: &[u8; 32], server_pk: &ServerPubkey, msg: &[u8]) -> [u8; 64] {
    let keys = blind25_keypair(seed, server_pk);
    let seedhash = blake2b_simd::Params::new()
        .hash_length(32)
        .key(b"SessCommBlind25_seed")
        .hash(seed);
    let r_hash = blake2b_simd::Params::new()
        .hash_length(64)
        .key(b"SessCommBlind25_sig")
        .to_state()
        .update(seedhash.as_bytes())
        .update(keys.public_key())
        .update(msg)
        .finalize();
    let mut wide = [0u8; 64];
    wide.copy_from_slice(r_hash.as_bytes());
    sign_with_nonce(&keys, Scalar::from_bytes_mod_order_wide(&wide), msg)
}

/// Verifies an Ed25519 signature like libsodium `crypto_sign_verify_detached`: canonical,
/// non-small-order key and `R`, canonical `S` (ed25519-dalek `verify_strict`).
pub fn verify(pubkey: &[u8; 32], msg: &[u8], sig: &[u8; 64]) -> Result<(), SignatureError> {
    let point = point::decompress_canonical(pubkey).ok_or(SignatureError::InvalidPubkey)?;
    if point.is_small_order() {
        return Err(SignatureError::InvalidPubkey);
    }
    let key = ed25519_dalek::VerifyingKey::from_bytes(pubkey)
        .map_err(|_| SignatureError::InvalidPubkey)?;
    let sig = ed25519_dalek::Signature::from_bytes(sig);
    key.verify_strict(msg, &sig)
        .map_err(|_| SignatureError::Invalid)
}
