//! Signing known-answer tests: the X-SOGS auth example, the client X-SOGS cases, blind15/blind25
//! signatures, plus verifier refusals.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde_json::Value;
use sogs_protocol::auth_headers::parse_auth_headers;
use sogs_protocol::blinding::{blind15_keypair, blind25_keypair};
use sogs_protocol::ids::ServerPubkey;
use sogs_protocol::signing::{
    AuthScheme, SignatureError, SignedHeaders, blind15_sign, blind15_sign_libsession, blind25_sign,
    ed25519_sign, sign_request, signed_message, verify,
};

use crate::vectors::{
    bytes, client, ed25519_pk, libsession_seed, libsession_server_pks, of_kind, s, server_pk,
};

/// Asserts that `headers` equals a JSON object of X-SOGS-* headers.
fn assert_headers(headers: &SignedHeaders, expected: &Value) {
    for (name, value) in headers.pairs() {
        assert_eq!(value, s(expected, name), "{name}");
    }
}

/// Parses and verifies headers as the server would.
fn server_accepts(
    headers: &SignedHeaders,
    spk: &ServerPubkey,
    method: &str,
    path: &str,
    body: &[u8],
) {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let parsed = parse_auth_headers(
        Some(&headers.pubkey_hex),
        Some(&headers.nonce_b64),
        Some(&headers.timestamp),
        Some(&headers.signature_b64),
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        parsed.key().ed25519_key().to_vec(),
        hex::decode(&headers.pubkey_hex[2..]).unwrap()
    );
    parsed.verify(spk, method, path, query, body).unwrap();
    assert_eq!(
        parsed.verify(spk, method, "/other", query, body),
        Err(SignatureError::Invalid)
    );
}

#[test]
fn x_sogs_auth_example() {
    let v = &of_kind("x_sogs_auth")[0];
    let seed = bytes::<32>(v, "ed25519_seed");
    let spk = server_pk(v, "server_pubkey_x25519");
    let nonce = bytes::<16>(v, "nonce_hex");
    let ts = v["timestamp"].as_i64().unwrap();
    let (method, full_path) = (s(v, "method"), s(v, "path"));
    assert!(v["body"].is_null());
    let (path, query) = full_path.split_once('?').unwrap();
    for (scheme, key) in [
        (AuthScheme::Unblinded, "headers_unblinded"),
        (AuthScheme::Blind15, "headers_blinded15"),
    ] {
        let headers = sign_request(&seed, scheme, &spk, &nonce, ts, method, path, query, b"");
        assert_headers(&headers, &v[key]);
        server_accepts(&headers, &spk, method, full_path, b"");
    }
    let unblinded = parse_auth_headers(
        Some(s(&v["headers_unblinded"], "X-SOGS-Pubkey")),
        Some(s(&v["headers_unblinded"], "X-SOGS-Nonce")),
        Some(s(&v["headers_unblinded"], "X-SOGS-Timestamp")),
        Some(s(&v["headers_unblinded"], "X-SOGS-Signature")),
    );
    assert_eq!(
        unblinded.unwrap().unwrap().key().user_id().as_str(),
        s(v, "session_id")
    );
}

#[test]
fn client_x_sogs_cases() {
    let sec = &client()["sogs_client_side"];
    let spk = server_pk(&sec["server"], "x25519_public");
    let xs = &sec["x_sogs_cases"];
    let seed = bytes::<32>(xs, "user_ed25519_seed");
    assert_eq!(hex::encode(ed25519_pk(&seed)), s(xs, "user_ed25519_pk"));
    assert_eq!(
        blind15_keypair(&seed, &spk).id().as_str(),
        s(xs, "user_blinded15_id")
    );
    let nonce = bytes::<16>(xs, "nonce_hex");
    let ts = xs["timestamp"].as_i64().unwrap();
    for case in xs["cases"].as_array().unwrap() {
        let (method, full_path) = (s(case, "method"), s(case, "path"));
        let (path, query) = full_path.split_once('?').unwrap_or((full_path, ""));
        let body = case["body_utf8"].as_str().unwrap_or("").as_bytes();
        let msg = signed_message(&spk, &nonce, &ts.to_string(), method, path, query, body);
        assert_eq!(hex::encode(&msg), s(case, "to_sign_hex"), "{full_path}");
        let scheme = if case["blinded"].as_bool().unwrap() {
            AuthScheme::Blind15
        } else {
            AuthScheme::Unblinded
        };
        let headers = sign_request(&seed, scheme, &spk, &nonce, ts, method, path, query, body);
        assert_headers(&headers, &case["headers"]);
        server_accepts(&headers, &spk, method, full_path, body);
    }
    let msg0 = hex::decode(s(&xs["cases"][0], "to_sign_hex")).unwrap();
    let libsession_sig = blind15_sign_libsession(&seed, &spk, &msg0);
    assert_eq!(
        B64.encode(libsession_sig),
        s(xs, "case0_libsession_blind15_signature_b64")
    );
}

#[test]
fn client_community_post_signature() {
    let sec = &client()["sogs_client_side"];
    let spk = server_pk(&sec["server"], "x25519_public");
    let seed = bytes::<32>(&sec["x_sogs_cases"], "user_ed25519_seed");
    let post = &sec["community_post"]["post_body_json"];
    let data = B64.decode(s(post, "data")).unwrap();
    assert_eq!(
        B64.encode(blind15_sign(&seed, &spk, &data)),
        s(post, "signature")
    );
}

#[test]
fn libsession_blind15_and_blind25_signatures() {
    let sec = &client()["blinding_libsession"];
    let spks = libsession_server_pks(sec);
    for (list, blind25) in [("blind15_sign", false), ("blind25_sign", true)] {
        for case in sec[list].as_array().unwrap() {
            let seed = libsession_seed(sec, s(case, "sk"));
            let spk = &spks[case["server_pk_index"].as_u64().unwrap() as usize];
            let msg = s(case, "message_utf8").as_bytes();
            let (sig, public) = if blind25 {
                (
                    blind25_sign(&seed, spk, msg),
                    *blind25_keypair(&seed, spk).public_key(),
                )
            } else {
                (
                    blind15_sign_libsession(&seed, spk, msg),
                    *blind15_keypair(&seed, spk).public_key(),
                )
            };
            assert_eq!(hex::encode(sig), s(case, "signature"), "{list} {msg:?}");
            verify(&public, msg, &sig).unwrap();
        }
    }
}

#[test]
fn blind25_signature_vectors() {
    let vectors = of_kind("blind25_signature");
    assert_eq!(vectors.len(), 6);
    for v in &vectors {
        let seed = bytes::<32>(v, "ed25519_seed");
        let spk = server_pk(v, "server_pubkey_x25519");
        let msg = s(v, "message_utf8").as_bytes();
        let keys = blind25_keypair(&seed, &spk);
        assert_eq!(keys.id().as_str(), s(v, "blinded25_id"));
        let sig = blind25_sign(&seed, &spk, msg);
        assert_eq!(hex::encode(sig), s(v, "signature"));
        verify(keys.public_key(), msg, &sig).unwrap();
    }
}

#[test]
fn every_scheme_round_trips_through_the_server_parser() {
    let seed = [42u8; 32];
    let spk = ServerPubkey([9u8; 32]);
    let body = br#"{"a":1}"#;
    for scheme in [
        AuthScheme::Unblinded,
        AuthScheme::Blind15,
        AuthScheme::Blind25,
    ] {
        let h = sign_request(
            &seed,
            scheme,
            &spk,
            &[1; 16],
            1_700_000_000,
            "POST",
            "/room/x/reaction/1/🍍",
            "",
            body,
        );
        server_accepts(&h, &spk, "POST", "/room/x/reaction/1/🍍", body);
    }
}

#[test]
fn signed_message_layout() {
    let spk = ServerPubkey([1u8; 32]);
    let nonce = [2u8; 16];
    let bare = signed_message(&spk, &nonce, "12", "GET", "/p", "", b"");
    assert_eq!(bare, [&[1u8; 32][..], &[2u8; 16], b"12GET/p"].concat());
    let full = signed_message(&spk, &nonce, "12", "GET", "/p", "a=%20", b"xy");
    let hash = blake2b_simd::blake2b(b"xy");
    assert_eq!(full, [&bare[..], b"?a=%20", hash.as_bytes()].concat());
    // The decoded path is what gets signed, however it travelled.
    let encoded = "/test_encoding/%E2%9D%A4%EF%B8%8F";
    let decoded = percent_encoding::percent_decode_str(encoded)
        .decode_utf8()
        .unwrap();
    assert_eq!(decoded, "/test_encoding/❤️");
}

#[test]
fn verify_refusals() {
    let seed = [5u8; 32];
    let msg = b"hello";
    let pk = ed25519_pk(&seed);
    let sig = ed25519_sign(&seed, msg);
    verify(&pk, msg, &sig).unwrap();
    let mut flipped = sig;
    flipped[10] ^= 4;
    assert_eq!(verify(&pk, msg, &flipped), Err(SignatureError::Invalid));
    assert_eq!(verify(&pk, b"hellO", &sig), Err(SignatureError::Invalid));
    // S + L: same equation, non-canonical scalar.
    let mut malleable = sig;
    let l: [u8; 32] =
        crate::vectors::unhex("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
    let mut carry = 0u16;
    for i in 0..32 {
        let sum = u16::from(malleable[32 + i]) + u16::from(l[i]) + carry;
        malleable[32 + i] = sum as u8;
        carry = sum >> 8;
    }
    assert_eq!(verify(&pk, msg, &malleable), Err(SignatureError::Invalid));
    let mut identity = [0u8; 32];
    identity[0] = 1;
    assert_eq!(
        verify(&identity, msg, &sig),
        Err(SignatureError::InvalidPubkey)
    );
}
