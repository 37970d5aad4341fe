//! The client-side vectors of `vectors-client.json` (`sogs_client_side.onion_v4_to_sogs`):
//! a `/capabilities` request blob for both ciphers and an AES-GCM response, byte-exact.

use sogs_protocol::ids::ServerPubkey;
use sogs_protocol::onion::{
    EncType, build_request_blob_with, decrypt_request, decrypt_response, encode_v4_request,
    encode_v4_response, parse_v4_request, parse_v4_response,
};

use super::{client_key, secret, server_key, unhex};
use crate::vectors::{bytes, client, s};

#[test]
fn client_side_capabilities_request_is_byte_exact_for_both_ciphers() {
    let c = &client()["sogs_client_side"]["onion_v4_to_sogs"];
    let server_pub = ServerPubkey::parse(s(c, "server_x25519_public")).unwrap();
    let ephemeral = secret(c, "client_ephemeral_private");
    let want = s(c, "v4_plaintext_request_utf8").as_bytes();
    let parsed = parse_v4_request(want).unwrap();
    assert_eq!(
        (parsed.method.as_str(), parsed.endpoint.as_str()),
        ("GET", "/capabilities")
    );
    let inner = encode_v4_request("GET", "/capabilities", &parsed.headers, None);
    assert_eq!(inner, want);
    for (enc_type, nonce, wire, key_field) in [
        (
            EncType::Aes256Gcm,
            "aes_gcm_iv",
            "body_posted_to_/oxen/v4/lsrpc_hex (aes-gcm)",
            "aes_gcm_key_hmac_sha256_LOKI",
        ),
        (
            EncType::XChaCha20Poly1305,
            "xchacha_nonce",
            "body_posted_to_/oxen/v4/lsrpc_hex (xchacha20)",
            "xchacha_key_blake2b32(shared||eph_pk||server_pk)",
        ),
    ] {
        let nonce = unhex(c, nonce);
        let (blob, key) =
            build_request_blob_with(&server_pub, &ephemeral, enc_type, &nonce, &inner).unwrap();
        assert_eq!(hex::encode(&blob), s(c, wire));
        assert_eq!(key.as_bytes(), &bytes::<32>(c, key_field));
        let (plaintext, _) = decrypt_request(&secret(c, "server_x25519_private"), &blob).unwrap();
        assert_eq!(plaintext, inner);
    }
}

#[test]
fn client_side_request_with_body_and_response_are_byte_exact() {
    let c = &client()["sogs_client_side"]["onion_v4_to_sogs"];
    let headers = [("Content-Type".to_owned(), "application/json".to_owned())];
    let with_body = encode_v4_request(
        "POST",
        "/room/lobby/message",
        &headers,
        Some(br#"{"text":"hi"}"#),
    );
    assert_eq!(
        with_body,
        s(c, "v4_plaintext_request_with_body_utf8").as_bytes()
    );
    let parsed = parse_v4_request(&with_body).unwrap();
    assert_eq!(parsed.body.as_deref(), Some(&br#"{"text":"hi"}"#[..]));

    let body = br#"{"capabilities":["blind","reactions","sogs"]}"#;
    let response_headers = [("Content-Type".to_owned(), "application/json".to_owned())];
    let plaintext = encode_v4_response(200, &response_headers, body);
    assert_eq!(plaintext, s(c, "v4_plaintext_response_utf8").as_bytes());
    let server = secret(c, "server_x25519_private");
    let request = unhex(c, "body_posted_to_/oxen/v4/lsrpc_hex (aes-gcm)");
    let key = server_key(&server, &request);
    let wire = key
        .encrypt_with_nonce(&unhex(c, "response_iv"), &plaintext)
        .unwrap();
    assert_eq!(
        hex::encode(&wire),
        s(c, "response_wire_hex (aes-gcm, raw bytes, not base64)")
    );
    let client_side = client_key(
        EncType::Aes256Gcm,
        &secret(c, "client_ephemeral_private"),
        &bytes::<32>(c, "server_x25519_public"),
    );
    let response = parse_v4_response(&decrypt_response(&client_side, &wire).unwrap()).unwrap();
    assert_eq!((response.code, response.body.as_slice()), (200, &body[..]));
}
