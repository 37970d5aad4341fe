//! Onion requests: every vector of `vectors-onion.json` and the onion entries of
//! `vectors-client.json`, in both directions.

use serde_json::Value;
use sogs_protocol::onion::{
    CryptoError, EncType, OnionError, SharedKey, decrypt_request, decrypt_response,
    encrypt_response, parse_outer_blob, parse_v4_request, parse_v4_response,
};
use x25519_dalek::{PublicKey, StaticSecret};

use crate::vectors::{bytes, client, s};

mod client_side;
mod formats;
mod malformed;
mod props;

/// `vectors-onion.json`: a list of vectors, each with a `kind` and a `source`.
fn onion_vectors() -> Vec<Value> {
    serde_json::from_str(include_str!("vectors/vectors-onion.json")).unwrap()
}

fn onion_vector(kind: &str) -> Value {
    let vector = onion_vectors().into_iter().find(|v| v["kind"] == kind);
    let vector = vector.unwrap();
    assert!(!s(&vector, "source").is_empty());
    vector
}

fn secret(v: &Value, key: &str) -> StaticSecret {
    StaticSecret::from(bytes::<32>(v, key))
}

fn unhex(v: &Value, key: &str) -> Vec<u8> {
    hex::decode(s(v, key)).unwrap()
}

/// The server-side key of an outer blob (the vector's enc_type and ephemeral key).
fn server_key(server: &StaticSecret, blob: &[u8]) -> SharedKey {
    decrypt_request(server, blob).unwrap().1
}

/// The client-side key from its ephemeral secret.
fn client_key(enc_type: EncType, client: &StaticSecret, server_pub: &[u8; 32]) -> SharedKey {
    SharedKey::for_client(enc_type, client, &PublicKey::from(*server_pub)).unwrap()
}

#[test]
fn libsession_parser_requests_decrypt_to_hello_world_and_replies_round_trip() {
    let v = onion_vector("onion_parser_libsession");
    let (server, client_secret) = (
        secret(&v, "server_x25519_priv"),
        secret(&v, "client_ephemeral_priv"),
    );
    let server_pub = bytes::<32>(&v, "server_x25519_pub");
    assert_eq!(PublicKey::from(&server).to_bytes(), server_pub);
    assert_eq!(
        PublicKey::from(&client_secret).to_bytes(),
        bytes::<32>(&v, "client_ephemeral_pub")
    );
    for (field, enc_type) in [
        ("request_aes_gcm_hex", EncType::Aes256Gcm),
        ("request_xchacha20_hex", EncType::XChaCha20Poly1305),
    ] {
        let blob = unhex(&v, field);
        let outer = parse_outer_blob(&blob).unwrap();
        assert_eq!(outer.enc_type, enc_type);
        assert_eq!(
            outer.ephemeral_key.to_bytes(),
            bytes::<32>(&v, "client_ephemeral_pub")
        );
        let (plaintext, key) = decrypt_request(&server, &blob).unwrap();
        assert_eq!(plaintext, s(&v, "decrypted_payload_utf8").as_bytes());
        let reply = encrypt_response(&key, b"Goodbye world").unwrap();
        assert_eq!(reply.len(), enc_type.nonce_len() + 13 + 16);
        let client = client_key(enc_type, &client_secret, &server_pub);
        assert_eq!(decrypt_response(&client, &reply).unwrap(), b"Goodbye world");
    }
}

#[test]
fn libsession_client_copy_of_the_parser_vectors_matches() {
    let c = &client()["onion_libsession"]["parser_request_wire"];
    let server = secret(c, "b_server_priv");
    for field in ["request_aes_gcm", "request_xchacha20"] {
        let (plaintext, _) = decrypt_request(&server, &unhex(c, field)).unwrap();
        assert_eq!(plaintext, s(c, "payload_utf8").as_bytes());
    }
}

#[test]
fn libsession_hop_encryption_decrypts_and_rejects_broken_ciphertexts() {
    let h = &client()["onion_libsession"]["hop_encryption"];
    let server = secret(h, "b_server_priv");
    let client_pub = PublicKey::from(bytes::<32>(h, "A_client_pub"));
    assert_eq!(
        PublicKey::from(&server).to_bytes(),
        bytes::<32>(h, "B_server_pub")
    );
    for (enc_type, ok, broken) in [
        (EncType::Aes256Gcm, "enc_gcm", &["enc_gcm_broken1"][..]),
        (
            EncType::XChaCha20Poly1305,
            "enc_xchacha20",
            &["enc_xchacha20_broken1", "enc_xchacha20_broken2"][..],
        ),
    ] {
        let key = SharedKey::for_server(enc_type, &server, &client_pub).unwrap();
        assert_eq!(
            key.decrypt(&unhex(h, ok)).unwrap(),
            s(h, "plaintext_utf8").as_bytes()
        );
        for field in broken {
            assert_eq!(
                key.decrypt(&unhex(h, field)),
                Err(CryptoError::Authentication)
            );
        }
    }
}

#[test]
fn constructed_v4_keys_match_the_vector_on_both_sides() {
    let v = onion_vector("onion_v4_constructed");
    let (server, client_secret) = (
        secret(&v, "server_x25519_priv"),
        secret(&v, "client_ephemeral_priv"),
    );
    let (server_pub, client_pub) = (
        bytes::<32>(&v, "server_x25519_pub"),
        bytes::<32>(&v, "client_ephemeral_pub"),
    );
    let shared = bytes::<32>(&v, "x25519_shared_aB");
    assert_eq!(
        server
            .diffie_hellman(&PublicKey::from(client_pub))
            .to_bytes(),
        shared
    );
    for (enc_type, field) in [
        (
            EncType::XChaCha20Poly1305,
            "xchacha20_key_blake2b32(aB||A||B)",
        ),
        (
            EncType::Aes256Gcm,
            "aes_gcm_key_hmac_sha256(key='LOKI',msg=aB)",
        ),
    ] {
        let want = bytes::<32>(&v, field);
        assert_eq!(
            SharedKey::derive(enc_type, &shared, &client_pub, &server_pub).as_bytes(),
            &want
        );
        let server_side = SharedKey::for_server(enc_type, &server, &PublicKey::from(client_pub));
        assert_eq!(server_side.unwrap().as_bytes(), &want);
        assert_eq!(
            client_key(enc_type, &client_secret, &server_pub).as_bytes(),
            &want
        );
    }
}

#[test]
fn constructed_v4_requests_decrypt_parse_and_re_encrypt_byte_exact() {
    let v = onion_vector("onion_v4_constructed");
    let (server, client_secret) = (
        secret(&v, "server_x25519_priv"),
        secret(&v, "client_ephemeral_priv"),
    );
    let inner = s(&v, "inner_v4_request_utf8").as_bytes();
    for (field, enc_type) in [
        ("request_xchacha20_hex", EncType::XChaCha20Poly1305),
        ("request_aes_gcm_hex", EncType::Aes256Gcm),
    ] {
        let blob = unhex(&v, field);
        let (plaintext, _) = decrypt_request(&server, &blob).unwrap();
        assert_eq!(plaintext, inner);
        let request = parse_v4_request(&plaintext).unwrap();
        assert_eq!(
            (request.method.as_str(), request.endpoint.as_str()),
            ("GET", "/room/some-room")
        );
        assert_eq!(request.header("some-header"), Some("12345"));
        assert_eq!(request.body, None);
        // Client direction: the same nonce (bytes 0, 1, 2, …) gives the same ciphertext.
        let outer = parse_outer_blob(&blob).unwrap();
        let nonce: Vec<u8> = (0u8..).take(enc_type.nonce_len()).collect();
        let key = client_key(
            enc_type,
            &client_secret,
            &bytes::<32>(&v, "server_x25519_pub"),
        );
        assert_eq!(
            key.encrypt_with_nonce(&nonce, inner).unwrap(),
            outer.ciphertext
        );
    }
}

#[test]
fn constructed_v4_response_encrypts_byte_exact_and_parses() {
    let v = onion_vector("onion_v4_constructed");
    let server = secret(&v, "server_x25519_priv");
    let key = server_key(&server, &unhex(&v, "request_xchacha20_hex"));
    let plaintext = s(&v, "response_plaintext_utf8").as_bytes();
    let nonce: Vec<u8> = (0x64u8..=0x7b).collect();
    let wire = unhex(&v, "response_xchacha20_hex(with 24-byte nonce 0x64..0x7b)");
    assert_eq!(key.encrypt_with_nonce(&nonce, plaintext).unwrap(), wire);
    let client = client_key(
        EncType::XChaCha20Poly1305,
        &secret(&v, "client_ephemeral_priv"),
        &bytes::<32>(&v, "server_x25519_pub"),
    );
    let response = parse_v4_response(&decrypt_response(&client, &wire).unwrap()).unwrap();
    assert_eq!(response.code, 200);
    assert_eq!(response.header("Content-Type"), Some("application/json"));
    assert_eq!(response.body, br#"{"id": 123}"#);
}

#[test]
fn a_blob_over_the_size_cap_is_refused_before_parsing() {
    let blob = vec![0u8; sogs_protocol::onion::MAX_ONION_REQUEST_BYTES + 1];
    let err = parse_outer_blob(&blob).unwrap_err();
    assert!(matches!(err, OnionError::TooLarge { .. }), "{err}");
}
