//! Client-side blinded key pairs derived from the user's 32-byte Ed25519 seed.

use std::fmt;

use curve25519_dalek::edwards::EdwardsPoint;
use curve25519_dalek::{Scalar, scalar::clamp_integer};
use sha2::{Digest, Sha512};
use zeroize::Zeroize;

use super::{blind15_factor, blind25_factor};
use crate::ids::{BlindScheme, BlindedId, ServerPubkey};
use crate::point;

/// A blinded secret scalar and its public key (`public = secret·G`).
///
/// The secret is wiped on drop; `Debug` shows only the public key.
#[derive(Clone)]
pub struct BlindedKeypair {
    scheme: BlindScheme,
    secret: Scalar,
    public: [u8; 32],
}

impl BlindedKeypair {
    fn new(scheme: BlindScheme, secret: Scalar) -> Self {
        let public = EdwardsPoint::mul_base(&secret).compress().to_bytes();
        Self {
            scheme,
            secret,
            public,
        }
    }

    /// The blinding scheme.
    pub fn scheme(&self) -> BlindScheme {
        self.scheme
    }

    /// The blinded secret scalar (`k·a`, or `±k25·a` for blind25).
    pub fn secret(&self) -> &Scalar {
        &self.secret
    }

    /// The blinded Ed25519 public key.
    pub fn public_key(&self) -> &[u8; 32] {
        &self.public
    }

    /// The blinded id of this key pair (`15…`/`25…` + public key).
    pub fn id(&self) -> BlindedId {
        BlindedId::from_key(self.scheme, self.public)
    }
}

impl Drop for BlindedKeypair {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

impl fmt::Debug for BlindedKeypair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BlindedKeypair({})", self.id())
    }
}

/// SHA-512 of the seed: its first half, clamped, is the Ed25519 secret scalar; its second half
/// is the nonce prefix of standard Ed25519 signing.
pub(crate) fn expand_seed(seed: &[u8; 32]) -> [u8; 64] {
    Sha512::digest(seed).into()
}

/// The Ed25519 secret scalar `a` of a seed: `SHA512(seed)[0..32]` clamped (equal to libsodium
/// `crypto_sign_ed25519_sk_to_curve25519`), reduced mod L.
pub(crate) fn ed25519_scalar(seed: &[u8; 32]) -> Scalar {
    let mut expanded = expand_seed(seed);
    let mut half = [0u8; 32];
    half.copy_from_slice(&expanded[..32]);
    let scalar = Scalar::from_bytes_mod_order(clamp_integer(half));
    half.zeroize();
    expanded.zeroize();
    scalar
}

/// The blind15 key pair: `ka = k·a`, `kA = ka·G` (spec §3.4). Its public key may be the
/// "negative" one of the two candidates the server computes.
pub fn blind15_keypair(seed: &[u8; 32], server_pk: &ServerPubkey) -> BlindedKeypair {
    let secret = blind15_factor(server_pk) * ed25519_scalar(seed);
    BlindedKeypair::new(BlindScheme::Blind15, secret)
}

/// The blind25 key pair (spec §3.6): `a' = ±k25·a`, negated when the real Ed25519 public key
/// has its sign bit set, so that `a'·G = k25·A_pos` always.
pub fn blind25_keypair(seed: &[u8; 32], server_pk: &ServerPubkey) -> BlindedKeypair {
    let a = ed25519_scalar(seed);
    let big_a = EdwardsPoint::mul_base(&a);
    let mut k25 = blind25_factor(&point::to_x25519(&big_a), server_pk);
    if point::sign_bit(big_a.compress().as_bytes()) {
        k25 = -k25;
    }
    BlindedKeypair::new(BlindScheme::Blind25, k25 * a)
}

/// The "07" version-check signing key of libsession-util `blind_version_key_pair`: an Ed25519
/// key whose seed is `BLAKE2b-256(seed, key = "VersionCheckKey_sig")`.
///
/// Not used by SOGS (only by the file server's `/session_version`); kept for the client.
pub fn blind_version_signing_key(seed: &[u8; 32]) -> ed25519_dalek::SigningKey {
    let hash = blake2b_simd::Params::new()
        .hash_length(32)
        .key(b"VersionCheckKey_sig")
        .hash(seed);
    let mut blind_seed = [0u8; 32];
    blind_seed.copy_from_slice(hash.as_bytes());
    let key = ed25519_dalek::SigningKey::from_bytes(&blind_seed);
    blind_seed.zeroize();
    key
}
