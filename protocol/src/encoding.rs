//! Hex and base64 decoding with the exact acceptance rules of the reference server.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// Standard-alphabet base64 that decodes like Python's `b64decode(validate=True)` once the
/// caller has added the missing padding: canonical padding only, unused trailing bits ignored.
const B64_DECODE: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
        .with_decode_allow_trailing_bits(true),
);

/// Decodes exactly `2 * N` hex digits (either case) into `N` bytes.
pub(crate) fn decode_hex_array<const N: usize>(s: &str) -> Option<[u8; N]> {
    let mut out = [0u8; N];
    if s.len() != 2 * N {
        return None;
    }
    hex::decode_to_slice(s, &mut out).ok()?;
    Some(out)
}

/// Encodes bytes as standard base64 with `=` padding (pysogs `encode_base64`).
pub fn encode_b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Decodes a value of `N` bytes given as hex or base64, as pysogs `utils.decode_hex_or_b64`:
/// exactly `2N` characters means hex; otherwise the length must lie between the unpadded and
/// the padded base64 length, and the base64 must decode to exactly `N` bytes.
///
/// compat(pysogs): Python's `bytes.fromhex` also skips whitespace between digit pairs, which
/// lets a short value through; we accept only plain hex digits (the short value could never
/// verify anyway).
pub(crate) fn decode_hex_or_b64<const N: usize>(s: &str) -> Option<[u8; N]> {
    if s.len() == 2 * N {
        return decode_hex_array(s);
    }
    let padded_len = N.div_ceil(3) * 4;
    let unpadded_len = (N * 4).div_ceil(3);
    if !(unpadded_len..=padded_len).contains(&s.len()) {
        return None;
    }
    decode_b64_exact(s)
}

/// Decodes base64 of exactly `N` bytes (see [`decode_b64`]).
fn decode_b64_exact<const N: usize>(s: &str) -> Option<[u8; N]> {
    decode_b64(s)?.try_into().ok()
}

/// Decodes standard-alphabet base64 as pysogs `utils.decode_base64` does: a 2- or 3-remainder
/// input that does not already end in `=` is padded, then decoded strictly (no URL-safe
/// alphabet, canonical padding).
pub fn decode_b64(s: &str) -> Option<Vec<u8>> {
    let mut input = s.to_owned();
    let rem = s.len() % 4;
    if (2..=3).contains(&rem) && !s.ends_with('=') {
        input.push_str(&"=="[..4 - rem]);
    }
    B64_DECODE.decode(input).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_accepts_both_cases_and_exact_length_only() {
        assert_eq!(decode_hex_array::<2>("abCD"), Some([0xab, 0xcd]));
        assert_eq!(decode_hex_array::<2>("abc"), None);
        assert_eq!(decode_hex_array::<2>("abcde0"), None);
        assert_eq!(decode_hex_array::<2>("ab g"), None);
        assert_eq!(decode_hex_array::<2>("éa"), None);
    }

    #[test]
    fn base64_windows_follow_pysogs() {
        let nonce = [7u8; 16];
        let b64 = encode_b64(&nonce);
        assert_eq!(b64.len(), 24);
        assert_eq!(decode_hex_or_b64::<16>(&b64), Some(nonce));
        assert_eq!(decode_hex_or_b64::<16>(&b64[..22]), Some(nonce));
        assert_eq!(decode_hex_or_b64::<16>(&b64[..23]), None);
        assert_eq!(decode_hex_or_b64::<16>(&format!("{b64}=")), None);
        assert_eq!(decode_hex_or_b64::<16>(&b64[..21]), None);
    }

    #[test]
    fn base64_ignores_unused_trailing_bits_like_python() {
        // "AAAAAAAAAAAAAAAAAAAAAB==" has non-zero bits after the 16th byte.
        assert_eq!(
            decode_hex_or_b64::<16>("AAAAAAAAAAAAAAAAAAAAAB=="),
            Some([0u8; 16])
        );
    }

    #[test]
    fn url_safe_alphabet_is_refused() {
        assert_eq!(decode_hex_or_b64::<16>("-_-_-_-_-_-_-_-_-_-_-w=="), None);
        assert!(decode_hex_or_b64::<16>("+/+/+/+/+/+/+/+/+/+/+w==").is_some());
    }
}
