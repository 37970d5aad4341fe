//! Blinded ids: the blind15 and blind25 factors and every id mapping the server needs.
//!
//! Notation as in spec §3.5/§3.6: `reduce` is `crypto_core_ed25519_scalar_reduce` of a 64-byte
//! hash, point multiplications are "noclamp" (libsodium `crypto_scalarmult_ed25519_noclamp`).

use curve25519_dalek::Scalar;

use crate::ids::{BlindScheme, BlindedId, ServerPubkey, SessionId};
use crate::point;

mod keys;

pub(crate) use keys::expand_seed;
pub use keys::{BlindedKeypair, blind_version_signing_key, blind15_keypair, blind25_keypair};

/// Why a blinded id could not be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BlindingError {
    /// The X25519 key of the Session ID has no Ed25519 counterpart in the prime-order group.
    #[error("cannot blind: the Session ID is not a valid curve point")]
    InvalidSessionId,
    /// The Ed25519 (or blinded) key is not a valid point (see [`point::is_valid_point`]).
    #[error("cannot blind: not a valid Ed25519 public key")]
    InvalidEd25519Key,
    /// A blind15 id was expected but a blind25 id was given.
    #[error("expected a 15-blinded id")]
    NotBlind15,
}

/// `reduce(BLAKE2b-512(data…))`, unkeyed.
fn reduce_blake2b(parts: &[&[u8]]) -> Scalar {
    let mut state = blake2b_simd::Params::new().hash_length(64).to_state();
    for part in parts {
        state.update(part);
    }
    let mut wide = [0u8; 64];
    wide.copy_from_slice(state.finalize().as_bytes());
    Scalar::from_bytes_mod_order_wide(&wide)
}

/// The blind15 factor `k = reduce(BLAKE2b-512(server_pk))`, the same for every user.
pub fn blind15_factor(server_pk: &ServerPubkey) -> Scalar {
    reduce_blake2b(&[server_pk.as_bytes()])
}

/// The blind25 factor `k25 = reduce(BLAKE2b-512(0x05 ‖ X ‖ server_pk))` for the user whose
/// X25519 public key is `x25519`.
pub fn blind25_factor(x25519: &[u8; 32], server_pk: &ServerPubkey) -> Scalar {
    reduce_blake2b(&[&[SessionId::PREFIX], x25519, server_pk.as_bytes()])
}

/// `k·P` as a blinded id, failing when `P` is not a valid point.
fn blind_point(
    scheme: BlindScheme,
    k: &Scalar,
    point_bytes: &[u8; 32],
    err: BlindingError,
) -> Result<BlindedId, BlindingError> {
    let blinded = point::mul_noclamp(k, point_bytes).ok_or(err)?;
    Ok(BlindedId::from_key(scheme, blinded.compress().to_bytes()))
}

/// The blind15 id of an Ed25519 public key: `15 ‖ k·A` (the id the user's client sends).
pub fn blinded15_from_ed25519(
    ed25519_pk: &[u8; 32],
    server_pk: &ServerPubkey,
) -> Result<BlindedId, BlindingError> {
    let k = blind15_factor(server_pk);
    blind_point(
        BlindScheme::Blind15,
        &k,
        ed25519_pk,
        BlindingError::InvalidEd25519Key,
    )
}

/// The two blind15 ids a Session ID may have, `[blinded_abs, blinded_neg]`.
///
/// Only the X25519 key is known, so the Ed25519 key's sign is unknown: the server computes
/// `k·A_pos` (XEd25519, sign bit 0) and both sign variants of the result (spec §3.5).
pub fn blind15_candidates(
    session_id: &SessionId,
    server_pk: &ServerPubkey,
) -> Result<[BlindedId; 2], BlindingError> {
    let a_pos =
        point::xed25519_positive(session_id.x25519()).ok_or(BlindingError::InvalidSessionId)?;
    let k = blind15_factor(server_pk);
    let id = blind_point(
        BlindScheme::Blind15,
        &k,
        &a_pos,
        BlindingError::InvalidSessionId,
    )?;
    Ok([id.blinded_abs(), id.blinded_neg()])
}

/// The blind25 id of a Session ID: `25 ‖ k25·A_pos` (no sign ambiguity).
pub fn blind25_from_session(
    session_id: &SessionId,
    server_pk: &ServerPubkey,
) -> Result<BlindedId, BlindingError> {
    blind25_from_x25519(session_id.x25519(), server_pk)
}

/// The blind25 id of an X25519 public key.
fn blind25_from_x25519(
    x25519: &[u8; 32],
    server_pk: &ServerPubkey,
) -> Result<BlindedId, BlindingError> {
    let a_pos = point::xed25519_positive(x25519).ok_or(BlindingError::InvalidSessionId)?;
    let k25 = blind25_factor(x25519, server_pk);
    blind_point(
        BlindScheme::Blind25,
        &k25,
        &a_pos,
        BlindingError::InvalidSessionId,
    )
}

/// The blind25 id of an Ed25519 public key (via its X25519 form, so either sign gives the
/// same id).
pub fn blinded25_from_ed25519(
    ed25519_pk: &[u8; 32],
    server_pk: &ServerPubkey,
) -> Result<BlindedId, BlindingError> {
    let ed = point::decompress_valid(ed25519_pk).ok_or(BlindingError::InvalidEd25519Key)?;
    blind25_from_x25519(&point::to_x25519(&ed), server_pk)
}

/// Maps a blind15 id to the user's blind25 id: `k15⁻¹·kA = ±A`, whose X25519 form does not
/// depend on the sign, then blind25 (pysogs PR #213 `compute_blinded25_id_from_15`).
pub fn blind25_from_blind15(
    blinded15: &BlindedId,
    server_pk: &ServerPubkey,
) -> Result<BlindedId, BlindingError> {
    if blinded15.scheme() != BlindScheme::Blind15 {
        return Err(BlindingError::NotBlind15);
    }
    let k15_inv = blind15_factor(server_pk).invert();
    let ed =
        point::mul_noclamp(&k15_inv, blinded15.key()).ok_or(BlindingError::InvalidEd25519Key)?;
    blind25_from_x25519(&point::to_x25519(&ed), server_pk)
}
