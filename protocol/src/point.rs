//! Ed25519 point checks and conversions with libsodium's semantics.

use curve25519_dalek::Scalar;
use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
use curve25519_dalek::montgomery::MontgomeryPoint;

/// True when `bytes` is a usable Ed25519 public key, as libsodium's
/// `crypto_core_ed25519_is_valid_point`: a canonical encoding of a point on the curve that is
/// not of small order and lies in the prime-order subgroup.
pub fn is_valid_point(bytes: &[u8; 32]) -> bool {
    decompress_valid(bytes).is_some()
}

/// Decompresses `bytes` if it passes [`is_valid_point`].
pub(crate) fn decompress_valid(bytes: &[u8; 32]) -> Option<EdwardsPoint> {
    let point = decompress_canonical(bytes)?;
    (!point.is_small_order() && point.is_torsion_free()).then_some(point)
}

/// Decompresses `bytes` only if it is the canonical encoding of a curve point (y < p, and no
/// "negative zero" x).
pub(crate) fn decompress_canonical(bytes: &[u8; 32]) -> Option<EdwardsPoint> {
    let point = CompressedEdwardsY(*bytes).decompress()?;
    (point.compress().as_bytes() == bytes).then_some(point)
}

/// libsodium `crypto_scalarmult_ed25519_noclamp`: `k·P` for a valid `P`, refusing an identity
/// result.
pub(crate) fn mul_noclamp(k: &Scalar, point_bytes: &[u8; 32]) -> Option<EdwardsPoint> {
    let product = decompress_valid(point_bytes)? * k;
    (product != EdwardsPoint::default()).then_some(product)
}

/// XEd25519 conversion of an X25519 public key to the Ed25519 point with sign bit 0, as
/// compressed bytes (`y = (u − 1)/(u + 1)`). `None` when `u` is not on the curve.
pub(crate) fn xed25519_positive(x25519: &[u8; 32]) -> Option<[u8; 32]> {
    let point = MontgomeryPoint(*x25519).to_edwards(0)?;
    Some(point.compress().to_bytes())
}

/// The X25519 public key of an Ed25519 point (`u = (1 + y)/(1 − y)`), as libsodium's
/// `crypto_sign_ed25519_pk_to_curve25519`.
pub(crate) fn to_x25519(point: &EdwardsPoint) -> [u8; 32] {
    point.to_montgomery().to_bytes()
}

/// True when the compressed encoding has its sign bit (bit 7 of byte 31) set.
pub(crate) fn sign_bit(bytes: &[u8; 32]) -> bool {
    bytes[31] & 0x80 != 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use curve25519_dalek::constants::ED25519_BASEPOINT_POINT;

    /// The eight torsion points, as multiples of a point of order 8.
    fn eight_torsion() -> Vec<EdwardsPoint> {
        let t8 = crate::encoding::decode_hex_array(
            "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
        )
        .and_then(|b| CompressedEdwardsY(b).decompress())
        .unwrap();
        (0..8u8).map(|i| t8 * Scalar::from(i)).collect()
    }

    #[test]
    fn basepoint_is_valid() {
        assert!(is_valid_point(
            ED25519_BASEPOINT_POINT.compress().as_bytes()
        ));
    }

    #[test]
    fn small_order_and_mixed_points_are_invalid() {
        for t in eight_torsion() {
            assert!(!is_valid_point(t.compress().as_bytes()));
            let mixed = ED25519_BASEPOINT_POINT + t;
            let expected = t == EdwardsPoint::default();
            assert_eq!(is_valid_point(mixed.compress().as_bytes()), expected);
        }
    }

    #[test]
    fn non_canonical_encoding_is_invalid() {
        // y = p + 1: a non-canonical encoding of y = 1 (the identity).
        let mut p_plus_1 = [0xffu8; 32];
        p_plus_1[0] = 0xee;
        p_plus_1[31] = 0x7f;
        assert!(!is_valid_point(&p_plus_1));
        // Basepoint with its sign bit flipped is a valid (negated) point, so still valid.
        let mut neg = ED25519_BASEPOINT_POINT.compress().to_bytes();
        neg[31] ^= 0x80;
        assert!(is_valid_point(&neg));
    }
}
