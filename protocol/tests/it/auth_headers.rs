//! X-SOGS-* header parsing: exact 400 texts for malformed input, accepted encodings, no panics.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use proptest::prelude::*;
use sogs_protocol::auth_headers::{AuthHeaderError, AuthKey, parse_auth_headers};
use sogs_protocol::ids::BlindScheme;

use crate::vectors::{of_kind, s, server_pk};

mod malformed;

type Headers = [Option<String>; 4];

/// The blinded headers of the `contrib/auth-example.py` vector: pubkey, nonce, timestamp, signature.
fn valid() -> Headers {
    let h = &of_kind("x_sogs_auth")[0]["headers_blinded15"];
    [
        "X-SOGS-Pubkey",
        "X-SOGS-Nonce",
        "X-SOGS-Timestamp",
        "X-SOGS-Signature",
    ]
    .map(|name| Some(s(h, name).to_owned()))
}

fn with(field: usize, value: &str) -> Headers {
    let mut h = valid();
    h[field] = Some(value.to_owned());
    h
}

fn parse(h: &Headers) -> Result<Option<sogs_protocol::auth_headers::AuthHeaders>, AuthHeaderError> {
    parse_auth_headers(
        h[0].as_deref(),
        h[1].as_deref(),
        h[2].as_deref(),
        h[3].as_deref(),
    )
}

fn valid_key_hex() -> String {
    valid()[0].clone().unwrap()[2..].to_owned()
}

/// The valid key plus a point of order 8 (pysogs `test_small_subgroups`).
#[test]
fn missing_and_empty_headers() {
    let none: Headers = [None, None, None, None];
    assert_eq!(parse(&none), Ok(None));
    assert_eq!(
        parse(&[Some(String::new()), None, Some(String::new()), None]),
        Ok(None)
    );
    let mut h = valid();
    h[2] = None;
    assert_eq!(
        parse(&h).unwrap_err().to_string(),
        "Invalid authentication headers: missing 1/4 required X-SOGS-* headers"
    );
    h[1] = Some(String::new());
    assert_eq!(
        parse(&h).unwrap_err().to_string(),
        "Invalid authentication headers: missing 2/4 required X-SOGS-* headers"
    );
    h[3] = None;
    assert_eq!(parse(&h), Err(AuthHeaderError::Missing(3)));
}

#[test]
fn accepted_encodings_decode_to_the_same_values() {
    let v = &of_kind("x_sogs_auth")[0];
    let spk = server_pk(v, "server_pubkey_x25519");
    let reference = parse(&valid()).unwrap().unwrap();
    let [pk, nonce, _, sig] = valid().map(Option::unwrap);
    let sig_bytes = B64.decode(&sig).unwrap();
    let pk_bytes = hex::decode(&pk).unwrap();
    for (what, headers) in [
        ("upper-case hex pubkey", with(0, &pk.to_uppercase())),
        ("base64 pubkey", with(0, &B64.encode(&pk_bytes))),
        ("hex nonce", with(1, s(v, "nonce_hex"))),
        (
            "upper-case hex nonce",
            with(1, &s(v, "nonce_hex").to_uppercase()),
        ),
        ("unpadded nonce", with(1, nonce.trim_end_matches('='))),
        ("unpadded signature", with(3, sig.trim_end_matches('='))),
        ("hex signature", with(3, &hex::encode(&sig_bytes))),
    ] {
        let parsed = parse(&headers).unwrap().unwrap();
        assert_eq!(parsed, reference, "{what}");
        parsed
            .verify(
                &spk,
                "GET",
                "/room/the-best-room/messages/recent",
                "limit=25",
                b"",
            )
            .unwrap();
    }
    assert!(matches!(reference.key(), AuthKey::Blinded(id) if id.scheme() == BlindScheme::Blind15));
}

#[test]
fn timestamp_keeps_the_exact_string() {
    let parsed = parse(&with(2, " +1_642_472_103\t")).unwrap().unwrap();
    assert_eq!(parsed.timestamp(), 1_642_472_103);
    assert_eq!(parsed.timestamp_str(), " +1_642_472_103\t");
    let huge = parse(&with(2, &"9".repeat(5000))).unwrap().unwrap();
    assert_eq!(huge.timestamp(), i64::MAX);
}

#[test]
fn blind25_pubkeys_are_accepted() {
    let key = valid_key_hex();
    let parsed = parse(&with(0, &format!("25{key}"))).unwrap().unwrap();
    assert_eq!(parsed.key().user_id().as_str(), format!("25{key}"));
}

fn opt_string() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        any::<String>().prop_map(Some),
        "[0-9a-fA-F]{60,70}".prop_map(Some)
    ]
}

proptest! {
    #[test]
    fn arbitrary_values_never_panic(pk in opt_string(), n in opt_string(), ts in opt_string(), sig in opt_string()) {
        let _ = parse_auth_headers(pk.as_deref(), n.as_deref(), ts.as_deref(), sig.as_deref());
    }

    #[test]
    fn near_miss_values_never_panic(
        pk in "(00|15|25)?[0-9a-fA-F+/=]{40,68}",
        n in "[0-9a-zA-Z+/=_ -]{18,36}",
        ts in "[ +_0-9\u{a0}-]{0,25}",
        sig in "[0-9a-zA-Z+/=_-]{80,130}",
    ) {
        if let Err(e) = parse_auth_headers(Some(&pk), Some(&n), Some(&ts), Some(&sig)) {
            prop_assert!(e.to_string().starts_with("Invalid authentication"));
        }
    }
}
