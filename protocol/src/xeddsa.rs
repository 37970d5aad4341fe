//! XEdDSA (Signal's XEd25519), which Session uses for unblinded `05` ids: a message signature
//! made with the X25519 private key and checked against the X25519 public key (spec
//! client-protocols §1.7). Verification converts the X25519 key `u` to the Edwards point with
//! sign bit 0 (`y = (u − 1)/(u + 1)`) and runs a strict Ed25519 verification; signing uses
//! the Ed25519 scalar whose public point has sign bit 0 (negating it when needed).
//! Known-answer vectors: `protocol/tests/it/vectors/xeddsa/`.

use curve25519_dalek::Scalar;
use curve25519_dalek::edwards::EdwardsPoint;
use curve25519_dalek::scalar::clamp_integer;
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha512};
use zeroize::Zeroizing;

use crate::point;
use crate::signing::{SignatureError, verify as ed25519_verify};

/// `hash_1` of the XEdDSA spec: SHA-512 prefixed with `2^256 − 2` (little-endian).
const HASH1_PREFIX: [u8; 32] = {
    let mut prefix = [0xff; 32];
    prefix[0] = 0xfe;
    prefix
};

/// The Ed25519 public key (sign bit 0) that XEdDSA signatures of `x25519_pk` verify under;
/// `None` when `x25519_pk` is not a canonical field element or has no Edwards point.
pub fn ed25519_of_x25519(x25519_pk: &[u8; 32]) -> Option<[u8; 32]> {
    is_canonical_field_element(x25519_pk).then_some(())?;
    point::xed25519_positive(x25519_pk)
}

/// Verifies an XEdDSA signature of `msg` by the owner of the X25519 key `x25519_pk` (the 32
/// bytes of a `05` Session ID after the prefix).
pub fn verify(x25519_pk: &[u8; 32], msg: &[u8], sig: &[u8; 64]) -> Result<(), SignatureError> {
    let ed = ed25519_of_x25519(x25519_pk).ok_or(SignatureError::InvalidPubkey)?;
    ed25519_verify(&ed, msg, sig)
}

/// XEdDSA signature of `msg` by the identity with Ed25519 `seed`, with fresh random bytes.
pub fn sign(seed: &[u8; 32], msg: &[u8]) -> [u8; 64] {
    let mut random = Zeroizing::new([0u8; 64]);
    OsRng.fill_bytes(random.as_mut());
    sign_with_random(seed, msg, &random)
}

/// XEdDSA signature with given random bytes `Z` (for known-answer tests; never reuse `Z`).
pub fn sign_with_random(seed: &[u8; 32], msg: &[u8], random: &[u8; 64]) -> [u8; 64] {
    let raw = Zeroizing::new(ed25519_dalek::SigningKey::from_bytes(seed).to_scalar_bytes());
    let mut a = Scalar::from_bytes_mod_order(clamp_integer(*raw));
    let mut big_a = EdwardsPoint::mul_base(&a).compress().to_bytes();
    if point::sign_bit(&big_a) {
        a = -a;
        big_a[31] &= 0x7f;
    }
    let r = reduce(&[&HASH1_PREFIX, a.as_bytes(), msg, random]);
    let big_r = EdwardsPoint::mul_base(&r).compress().to_bytes();
    let s = r + reduce(&[&big_r, &big_a, msg]) * a;
    let mut sig = [0u8; 64];
    sig[..32].copy_from_slice(&big_r);
    sig[32..].copy_from_slice(s.as_bytes());
    sig
}

/// `reduce(SHA-512(parts…))`.
fn reduce(parts: &[&[u8]]) -> Scalar {
    let mut hasher = Sha512::new();
    for part in parts {
        hasher.update(part);
    }
    Scalar::from_bytes_mod_order_wide(&hasher.finalize().into())
}

/// True when `u` (little-endian) is below `p = 2^255 − 19`, as the XEdDSA spec requires.
fn is_canonical_field_element(u: &[u8; 32]) -> bool {
    let top_set = u[31] & 0x80 != 0;
    let at_least_p = u[31] == 0x7f && u[1..31].iter().all(|&b| b == 0xff) && u[0] >= 0xed;
    !top_set && !at_least_p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_verifies_for_both_sign_bits() {
        let mut seen = [false; 2];
        for i in 0..16u8 {
            let seed = [i; 32];
            let key = ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key();
            seen[usize::from(key.to_bytes()[31] >> 7)] = true;
            let x = key.to_montgomery().to_bytes();
            let sig = sign(&seed, b"data");
            assert_eq!(verify(&x, b"data", &sig), Ok(()));
            assert_eq!(verify(&x, b"other", &sig), Err(SignatureError::Invalid));
        }
        assert_eq!(seen, [true, true]);
    }

    #[test]
    fn non_canonical_keys_are_refused() {
        let mut p = [0xffu8; 32];
        p[0] = 0xed;
        p[31] = 0x7f;
        assert!(!is_canonical_field_element(&p));
        p[0] = 0xec;
        assert!(is_canonical_field_element(&p));
        assert!(!is_canonical_field_element(&[0x80; 32]));
    }
}
