//! Decoding of the metadata's `ephemeral_key` in the forms libsession's `parse_x25519_pubkey`
//! accepts: raw 32 bytes, 64 hex digits, 43/44 base64 characters or 52 base32z characters.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// The z-base-32 alphabet (oxenc `base32z`), value = index.
const BASE32Z: &[u8; 32] = b"ybndrfg8ejkmcpqxot1uwisza345h769";

/// Base64 decoding config: padding optional, unused trailing bits ignored (as oxenc).
const B64_CONFIG: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(true);

/// Standard-alphabet base64 (`+/`).
const B64_STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, B64_CONFIG);

/// URL-safe base64 (`-_`), which oxenc also decodes.
const B64_URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, B64_CONFIG);

/// Decodes a 32-byte key by the length of its text, as libsession does; `None` if the text
/// fits none of the forms.
///
/// libsession falls back to the all-zero key for unrecognised text (which then fails the key
/// exchange); we refuse it here instead.
pub(crate) fn decode_key32(text: &str) -> Option<[u8; 32]> {
    match text.len() {
        32 => text.as_bytes().try_into().ok(),
        64 => crate::encoding::decode_hex_array(text),
        43 => decode_base64(text),
        44 if text.ends_with('=') => decode_base64(text),
        52 => decode_base32z(text),
        _ => None,
    }
}

/// Base64 (either alphabet) of exactly 32 bytes.
fn decode_base64(text: &str) -> Option<[u8; 32]> {
    let bytes = B64_STANDARD
        .decode(text)
        .or_else(|_| B64_URL_SAFE.decode(text))
        .ok()?;
    bytes.try_into().ok()
}

/// z-base-32 of exactly 32 bytes (52 characters; the last 4 bits are ignored).
fn decode_base32z(text: &str) -> Option<[u8; 32]> {
    let mut out = Vec::with_capacity(32);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let value = BASE32Z.iter().position(|&a| a == c)?;
        acc = (acc << 5) | u32::try_from(value).ok()?;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).ok()?);
        }
        acc &= (1 << bits) - 1;
    }
    out.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY_HEX: &str = "8167e97672005c669a48858c69895f395ca235219ac3f7a4210022b1f910e652";

    fn key() -> [u8; 32] {
        crate::encoding::decode_hex_array(KEY_HEX).unwrap()
    }

    #[test]
    fn every_accepted_form_decodes_to_the_same_key() {
        let b64 = base64::engine::general_purpose::STANDARD.encode(key());
        assert_eq!(decode_key32(KEY_HEX), Some(key()));
        assert_eq!(decode_key32(&KEY_HEX.to_uppercase()), Some(key()));
        assert_eq!(decode_key32(&b64), Some(key()));
        assert_eq!(decode_key32(b64.trim_end_matches('=')), Some(key()));
        let url = base64::engine::general_purpose::URL_SAFE.encode(key());
        assert_eq!(decode_key32(&url), Some(key()));
        assert_eq!(
            decode_key32("0123456789abcdefghijklmnopqrstuv"),
            Some(*b"0123456789abcdefghijklmnopqrstuv")
        );
    }

    #[test]
    fn base32z_decodes_known_text() {
        // 32 zero bytes are 52 'y's; 0xff.. is 51 '9's and a final 'o' (4 trailing bits).
        assert_eq!(decode_key32(&"y".repeat(52)), Some([0u8; 32]));
        assert_eq!(
            decode_key32(&format!("{}o", "9".repeat(51))),
            Some([0xff; 32])
        );
        assert_eq!(decode_key32(&format!("{}l", "y".repeat(51))), None);
    }

    #[test]
    fn other_lengths_and_bad_digits_are_refused() {
        assert_eq!(decode_key32(""), None);
        assert_eq!(decode_key32(&KEY_HEX[..63]), None);
        assert_eq!(decode_key32(&format!("{}zz", &KEY_HEX[..62])), None);
        assert_eq!(decode_key32(&"A".repeat(44)), None);
        assert_eq!(decode_key32(&"*".repeat(43)), None);
    }
}
