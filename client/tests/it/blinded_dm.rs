//! Community inbox DMs: every case of `blinded_dm_libsession_keys` (blind15 and blind25), both
//! directions, and the refusals.

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde_json::Value;
use sogs_client::content::Content;
use sogs_client::e2e::blinded_dm::{
    BlindedDmError, decrypt, encrypt, encrypt_content, encrypt_with_nonce, shared_key,
};
use sogs_client::identity::Identity;
use sogs_protocol::ids::{BlindedId, ServerPubkey};

use crate::vectors::{client, hex_arr, hex_bytes, libsession_identity, s, server_pk};

struct Case {
    v: &'static Value,
    spk: ServerPubkey,
    alice: Identity,
    bob: Identity,
    sender: BlindedId,
    recipient: BlindedId,
}

fn case(scheme: &str) -> Case {
    let dm = &client()["blinded_dm_libsession_keys"];
    let v = &dm[scheme];
    Case {
        v,
        spk: server_pk(dm, "server_pk"),
        alice: libsession_identity(s(dm, "sender")),
        bob: libsession_identity(s(dm, "recipient")),
        sender: BlindedId::parse(s(v, "sender_blinded_id")).unwrap(),
        recipient: BlindedId::parse(s(v, "recipient_blinded_id")).unwrap(),
    }
}

const SCHEMES: [&str; 2] = ["blind15", "blind25"];

#[test]
fn both_parties_derive_the_vector_shared_key() {
    for scheme in SCHEMES {
        let c = case(scheme);
        for who in [&c.alice, &c.bob] {
            let key = shared_key(who, &c.spk, &c.sender, &c.recipient).unwrap();
            assert_eq!(hex::encode(*key), s(c.v, "shared_key"), "{scheme}");
        }
    }
}

#[test]
fn encryption_with_the_vector_nonce_gives_the_vector_ciphertext() {
    for scheme in SCHEMES {
        let c = case(scheme);
        let plaintext = s(c.v, "plaintext_utf8").as_bytes();
        let nonce = hex_arr(c.v, "nonce");
        let ct = encrypt_with_nonce(&c.alice, &c.spk, &c.recipient, plaintext, &nonce).unwrap();
        assert_eq!(hex::encode(ct), s(c.v, "ciphertext"), "{scheme}");
    }
}

#[test]
fn recipient_and_sender_both_decrypt_the_vector_ciphertext() {
    for scheme in SCHEMES {
        let c = case(scheme);
        let ct = hex_bytes(c.v, "ciphertext");
        for who in [&c.bob, &c.alice] {
            let got = decrypt(who, &c.spk, &c.sender, &c.recipient, &ct).unwrap();
            assert_eq!(got.message, s(c.v, "plaintext_utf8").as_bytes(), "{scheme}");
            assert_eq!(got.sender, c.alice.session_id());
            assert_eq!(got.sender_ed25519, c.alice.ed25519_public());
        }
    }
}

#[test]
fn a_padded_content_round_trips_through_the_inbox() {
    for scheme in SCHEMES {
        let c = case(scheme);
        let content = Content::text("hi Bob", 1_700_000_000_123);
        let ct = encrypt_content(&c.alice, &c.spk, &c.recipient, &content).unwrap();
        assert_eq!(ct.len(), 1 + 160 + 32 + 16 + 24);
        let got = decrypt(&c.bob, &c.spk, &c.sender, &c.recipient, &ct).unwrap();
        assert_eq!(got.content().unwrap(), content);
    }
}

#[test]
fn tampered_truncated_or_versioned_data_is_refused() {
    let c = case("blind15");
    let ct = hex_bytes(c.v, "ciphertext");
    let mut tampered = ct.clone();
    tampered[5] ^= 1;
    let mut v1 = ct.clone();
    v1[0] = 1;
    for (data, err) in [
        (tampered, BlindedDmError::Decrypt),
        (v1, BlindedDmError::Version(1)),
        (ct[..72].to_vec(), BlindedDmError::TooShort(72)),
    ] {
        assert_eq!(
            decrypt(&c.bob, &c.spk, &c.sender, &c.recipient, &data),
            Err(err)
        );
    }
}

#[test]
fn mixed_schemes_and_third_parties_are_refused() {
    let c15 = case("blind15");
    let c25 = case("blind25");
    let ct = hex_bytes(c15.v, "ciphertext");
    assert_eq!(
        decrypt(&c15.bob, &c15.spk, &c15.sender, &c25.recipient, &ct),
        Err(BlindedDmError::SchemeMismatch)
    );
    let eve = Identity::from_session_seed(&[9; 16]);
    assert_eq!(
        decrypt(&eve, &c15.spk, &c15.sender, &c15.recipient, &ct),
        Err(BlindedDmError::Decrypt)
    );
    let invalid = BlindedId::parse(&format!("15{}", "00".repeat(32))).unwrap();
    assert_eq!(
        encrypt(&c15.alice, &c15.spk, &invalid, b"x"),
        Err(BlindedDmError::InvalidBlindedKey)
    );
}

#[test]
fn an_embedded_key_that_does_not_blind_to_the_sender_is_refused() {
    let c = case("blind15");
    let key = shared_key(&c.alice, &c.spk, &c.sender, &c.recipient).unwrap();
    let mallory = Identity::from_session_seed(&[7; 16]);
    let mut inner = b"forged".to_vec();
    inner.extend(mallory.ed25519_public());
    let nonce = [3u8; 24];
    let mut data = vec![0u8];
    data.extend(
        XChaCha20Poly1305::new(key.as_ref().into())
            .encrypt(XNonce::from_slice(&nonce), inner.as_slice())
            .unwrap(),
    );
    data.extend(nonce);
    assert_eq!(
        decrypt(&c.bob, &c.spk, &c.sender, &c.recipient, &data),
        Err(BlindedDmError::SenderMismatch)
    );
}
