//! Property tests: arbitrary input never panics a parser, and encoders round-trip.

use proptest::prelude::*;
use sogs_protocol::onion::bencode::{decode_list, encode_list};
use sogs_protocol::onion::{
    EncType, decrypt_request, encode_v4_request, encode_v4_response, parse_outer_blob,
    parse_v3_request, parse_v4_request, parse_v4_response,
};
use x25519_dalek::StaticSecret;

/// Bytes that look like a framed blob: a small length prefix, then bytes and JSON-ish text.
fn blob_like() -> impl Strategy<Value = Vec<u8>> {
    (
        0u32..80,
        prop::collection::vec(any::<u8>(), 0..80),
        "[{}\":, a-z0-9_]{0,80}",
    )
        .prop_map(|(len, ct, meta)| [&len.to_le_bytes()[..], &ct, meta.as_bytes()].concat())
}

/// Well-formed metadata (valid key forms, both ciphers) around arbitrary ciphertext, so the
/// key exchange and the AEADs see garbage too.
fn blob_with_valid_metadata() -> impl Strategy<Value = Vec<u8>> {
    let key = prop_oneof![
        "[0-9a-f]{64}",
        "[A-Za-z0-9+/]{43}=?",
        "[ybndrfg8ejkmcpqxot1uwisza345h769]{52}",
        "[ -~]{32}",
    ];
    let enc_type = prop_oneof![Just("aes-gcm"), Just("gcm"), Just("xchacha20")];
    (prop::collection::vec(any::<u8>(), 0..80), key, enc_type).prop_map(|(ct, key, enc_type)| {
        let meta = serde_json::json!({ "ephemeral_key": key, "enc_type": enc_type }).to_string();
        let len = u32::try_from(ct.len()).unwrap_or(0).to_le_bytes();
        [&len[..], &ct, meta.as_bytes()].concat()
    })
}

/// Bytes drawn mostly from the bencode alphabet.
fn bencode_like() -> impl Strategy<Value = Vec<u8>> {
    "[lie0-9:{}\"a-z]{0,40}".prop_map(String::into_bytes)
}

fn header() -> impl Strategy<Value = (String, String)> {
    ("[A-Za-z0-9-]{1,12}", "[ -~]{0,20}").prop_filter("content-length is dropped", |(n, _)| {
        !n.eq_ignore_ascii_case("content-length")
    })
}

proptest! {
    #[test]
    fn decrypt_request_never_panics(blob in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = decrypt_request(&StaticSecret::from([9u8; 32]), &blob);
    }

    #[test]
    fn decrypt_request_never_panics_on_near_misses(blob in blob_like()) {
        let _ = parse_outer_blob(&blob);
        let _ = decrypt_request(&StaticSecret::from([9u8; 32]), &blob);
    }

    #[test]
    fn garbage_ciphertext_under_valid_metadata_fails_cleanly(blob in blob_with_valid_metadata()) {
        prop_assert!(parse_outer_blob(&blob).is_ok());
        prop_assert!(decrypt_request(&StaticSecret::from([9u8; 32]), &blob).is_err());
    }

    #[test]
    fn bencode_and_v4_parsers_never_panic(input in prop::collection::vec(any::<u8>(), 0..120)) {
        let _ = decode_list(&input, 0, 8);
        let _ = parse_v4_request(&input);
        let _ = parse_v4_response(&input);
    }

    #[test]
    fn bencode_parsers_never_panic_on_near_misses(input in bencode_like()) {
        let _ = decode_list(&input, 1, 2);
        let _ = parse_v4_request(&input);
        let _ = parse_v4_response(&input);
    }

    #[test]
    fn v3_parser_never_panics(input in prop::collection::vec(any::<u8>(), 0..120), text in r#"\{[a-z"{}:, \[\]0-9]{0,60}"#) {
        let _ = parse_v3_request(&input);
        let _ = parse_v3_request(text.as_bytes());
    }

    #[test]
    fn bencode_lists_round_trip(items in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..30), 0..5)) {
        let refs: Vec<&[u8]> = items.iter().map(Vec::as_slice).collect();
        let wire = encode_list(&refs);
        prop_assert_eq!(decode_list(&wire, 0, 5).unwrap(), refs);
    }

    #[test]
    fn v4_requests_round_trip(
        method in "[A-Z]{1,7}",
        path in "/[ -~]{0,30}",
        headers in prop::collection::vec(header(), 0..4),
        body in prop::option::of(prop::collection::vec(any::<u8>(), 0..40)),
    ) {
        let wire = encode_v4_request(&method, &path, &headers, body.as_deref());
        let parsed = parse_v4_request(&wire).unwrap();
        prop_assert_eq!((parsed.method, parsed.endpoint, parsed.body), (method, path, body));
        // JSON objects keep the last of duplicate names; compare against that.
        let mut want: Vec<(String, String)> = Vec::new();
        for (n, v) in headers {
            want.retain(|(m, _)| *m != n);
            want.push((n, v));
        }
        let mut got = parsed.headers;
        got.sort();
        want.sort();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn v4_responses_round_trip(code in 100u16..600, body in prop::collection::vec(any::<u8>(), 0..40)) {
        let headers = [("Content-Type".to_owned(), "application/json".to_owned())];
        let parsed = parse_v4_response(&encode_v4_response(code, &headers, &body)).unwrap();
        prop_assert_eq!(parsed.code, code);
        prop_assert_eq!(parsed.header("content-type"), Some("application/json"));
        prop_assert_eq!(parsed.body, body);
    }

    #[test]
    fn client_blobs_decrypt_on_the_server(plaintext in prop::collection::vec(any::<u8>(), 0..64), xchacha in any::<bool>()) {
        let enc_type = if xchacha { EncType::XChaCha20Poly1305 } else { EncType::Aes256Gcm };
        let server_pub = sogs_protocol::ids::ServerPubkey::from_secret(&[9u8; 32]);
        let (blob, _) = sogs_protocol::onion::build_request_blob(&server_pub, enc_type, &plaintext).unwrap();
        let (got, key) = decrypt_request(&StaticSecret::from([9u8; 32]), &blob).unwrap();
        prop_assert_eq!(got, plaintext);
        prop_assert_eq!(key.enc_type(), enc_type);
    }
}
