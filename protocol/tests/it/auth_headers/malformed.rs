//! The table of malformed X-SOGS-* header values, each with its exact 400 text.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD as B64, URL_SAFE};
use curve25519_dalek::edwards::CompressedEdwardsY;

use super::{Headers, parse, valid, valid_key_hex, with};

const PK_ENC: &str = "Invalid authentication: X-SOGS-Pubkey is not a valid 66-hex digit id";
const PK_PREFIX: &str = "Invalid authentication: X-SOGS-Pubkey must be 00- or 15- prefixed";
const PK_POINT: &str = "Invalid authentication: given X-SOGS-Pubkey is not a valid Ed25519 pubkey";
const NONCE: &str =
    "Invalid authentication: X-SOGS-Nonce must be 16 bytes (encoded as base64 or hex)";
const SIG: &str = "Invalid authentication: X-SOGS-Signature is not base64[88]";
const TS: &str = "Invalid authentication: X-SOGS-Timestamp is not a valid timestamp";

fn torsion_mixed_key_hex() -> String {
    let point = |h: &str| {
        CompressedEdwardsY(crate::vectors::unhex(h))
            .decompress()
            .unwrap()
    };
    let t8 = point("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a");
    hex::encode((point(&valid_key_hex()) + t8).compress().as_bytes())
}

/// The smallest y whose encoding is not a curve point.
fn off_curve_key_hex() -> String {
    (2u8..)
        .map(|y| {
            let mut b = [0u8; 32];
            b[0] = y;
            b
        })
        .find(|b| CompressedEdwardsY(*b).decompress().is_none())
        .map(hex::encode)
        .unwrap()
}

fn malformed_cases() -> Vec<(&'static str, Headers, &'static str)> {
    let [pk, nonce, _, sig] = valid().map(Option::unwrap);
    let key = valid_key_hex();
    let nonce_bytes = B64.decode(&nonce).unwrap();
    let nonce_hex = hex::encode(&nonce_bytes);
    let sig_hex = hex::encode(B64.decode(&sig).unwrap());
    let pk_b64 =
        |prefix: u8, key: &str| B64.encode([&[prefix][..], &hex::decode(key).unwrap()].concat());
    let zeros = "0".repeat(64);
    let identity = format!("01{}", "0".repeat(62));
    let non_canonical = format!("ee{}7f", "f".repeat(60));
    vec![
        (
            "pubkey: bad hex",
            with(0, &format!("15{}", key.replace(&key[..2], "zz"))),
            PK_ENC,
        ),
        ("pubkey: 65 hex", with(0, &pk[..65]), PK_ENC),
        ("pubkey: 67 hex", with(0, &format!("{pk}0")), PK_ENC),
        (
            "pubkey: 43 base64",
            with(0, &pk_b64(0x15, &key)[..43]),
            PK_ENC,
        ),
        (
            "pubkey: url-safe base64",
            with(0, &URL_SAFE.encode([0xfbu8; 33])),
            PK_ENC,
        ),
        (
            "pubkey: base64 of 32 bytes",
            with(0, &B64.encode([1u8; 32])),
            PK_ENC,
        ),
        (
            "pubkey: non-ASCII, 66 bytes",
            with(0, &"é".repeat(33)),
            PK_ENC,
        ),
        ("pubkey: huge", with(0, &"0".repeat(1 << 20)), PK_ENC),
        ("pubkey: whitespace only", with(0, " "), PK_ENC),
        ("pubkey: 05 prefix", with(0, &format!("05{key}")), PK_PREFIX),
        ("pubkey: ff prefix", with(0, &format!("ff{key}")), PK_PREFIX),
        (
            "pubkey: 05 prefix in base64",
            with(0, &pk_b64(0x05, &key)),
            PK_PREFIX,
        ),
        (
            "pubkey: 00 + order-4 point",
            with(0, &format!("00{zeros}")),
            PK_POINT,
        ),
        (
            "pubkey: 15 + identity",
            with(0, &format!("15{identity}")),
            PK_POINT,
        ),
        (
            "pubkey: 15 + non-canonical y",
            with(0, &format!("15{non_canonical}")),
            PK_POINT,
        ),
        (
            "pubkey: 15 + torsion component",
            with(0, &format!("15{}", torsion_mixed_key_hex())),
            PK_POINT,
        ),
        (
            "pubkey: 00 + torsion component",
            with(0, &format!("00{}", torsion_mixed_key_hex())),
            PK_POINT,
        ),
        (
            "pubkey: 25 + off-curve",
            with(0, &format!("25{}", off_curve_key_hex())),
            PK_POINT,
        ),
        (
            "pubkey: base64 small order",
            with(0, &pk_b64(0x15, &zeros)),
            PK_POINT,
        ),
        ("nonce: 31 hex", with(1, &nonce_hex[..31]), NONCE),
        ("nonce: 30 hex", with(1, &nonce_hex[..30]), NONCE),
        ("nonce: 34 hex", with(1, &format!("{nonce_hex}ff")), NONCE),
        (
            "nonce: non-hex 32 chars",
            with(1, &nonce_hex.replace(&nonce_hex[..1], "g")),
            NONCE,
        ),
        (
            "nonce: too much padding",
            with(1, &format!("{nonce}=")),
            NONCE,
        ),
        ("nonce: wrong padding", with(1, &nonce[..23]), NONCE),
        ("nonce: short base64", with(1, &nonce[..18]), NONCE),
        (
            "nonce: url-safe base64",
            with(1, &URL_SAFE.encode([0xfbu8; 16])),
            NONCE,
        ),
        (
            "nonce: inner space",
            with(1, &format!("{} {}", &nonce[..11], &nonce[12..])),
            NONCE,
        ),
        (
            "nonce: 24 data chars",
            with(1, &B64.encode([7u8; 18])),
            NONCE,
        ),
        (
            "nonce: non-ASCII, 32 bytes",
            with(1, &"é".repeat(16)),
            NONCE,
        ),
        (
            "nonce: hex with inner space",
            with(1, &format!("{} {}", &nonce_hex[..16], &nonce_hex[17..])),
            NONCE,
        ),
        ("signature: chopped", with(3, &sig[..84]), SIG),
        ("signature: 87 chars", with(3, &sig[..87]), SIG),
        ("signature: 89 chars", with(3, &format!("{sig}=")), SIG),
        ("signature: 127 hex", with(3, &sig_hex[..127]), SIG),
        (
            "signature: non-hex 128",
            with(3, &format!("x{}", &sig_hex[1..])),
            SIG,
        ),
        (
            "signature: url-safe",
            with(3, &URL_SAFE.encode([0xfbu8; 64])),
            SIG,
        ),
        ("signature: huge", with(3, &"A".repeat(10 << 20)), SIG),
        ("timestamp: trailing letter", with(2, "1642472103a"), TS),
        ("timestamp: float", with(2, "1642472103.5"), TS),
        ("timestamp: trailing underscore", with(2, "1642472103_"), TS),
        ("timestamp: hex", with(2, "0x61e5c1a7"), TS),
        ("timestamp: Arabic-Indic digits", with(2, "١٦٤٢"), TS),
        ("timestamp: whitespace only", with(2, "  "), TS),
        ("timestamp: double sign", with(2, "--1642472103"), TS),
        ("timestamp: inner space", with(2, "1642 472103"), TS),
        (
            "order: bad pubkey before bad nonce",
            [
                Some("x".into()),
                Some("y".into()),
                Some("z".into()),
                Some("w".into()),
            ],
            PK_ENC,
        ),
        (
            "order: bad nonce before bad signature",
            [
                Some(pk.clone()),
                Some("y".into()),
                Some("z".into()),
                Some("w".into()),
            ],
            NONCE,
        ),
        (
            "order: bad signature before bad timestamp",
            [
                Some(pk.clone()),
                Some(nonce.clone()),
                Some("z".into()),
                Some("w".into()),
            ],
            SIG,
        ),
    ]
}

#[test]
fn malformed_headers_get_the_exact_400_text() {
    let cases = malformed_cases();
    assert!(cases.len() >= 30);
    for (what, headers, expected) in cases {
        match parse(&headers) {
            Err(e) => assert_eq!(e.to_string(), expected, "{what}"),
            Ok(_) => panic!("{what}: accepted"),
        }
    }
}
