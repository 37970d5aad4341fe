//! Blinding known-answer tests: every blind15/blind25 vector of `vectors-blinding.json` and the
//! blinding entries of `vectors-client.json`.

use serde_json::Value;
use sogs_protocol::blinding::{
    blind15_candidates, blind15_factor, blind15_keypair, blind25_from_blind15,
    blind25_from_session, blind25_keypair, blinded15_from_ed25519, blinded25_from_ed25519,
};
use sogs_protocol::ids::{BlindScheme, BlindedId, ServerPubkey, SessionId, UnblindedEd25519};

use crate::vectors::{
    bytes, client, ed25519_pk, libsession_seed, libsession_server_pks, of_kind, s, server_pk,
};

fn session_of_seed(seed: &[u8; 32]) -> SessionId {
    UnblindedEd25519::from_key(ed25519_pk(seed))
        .unwrap()
        .to_session_id()
}

#[test]
fn blind15_derivations() {
    let vectors = of_kind("blind15_derivation");
    assert_eq!(vectors.len(), 20);
    for v in &vectors {
        let spk = server_pk(v, "server_pubkey_x25519");
        let seed = bytes::<32>(v, "ed25519_seed");
        let expected = BlindedId::parse(s(v, "blinded15_id")).unwrap();
        assert_eq!(hex::encode(ed25519_pk(&seed)), s(v, "ed25519_pubkey"));
        assert_eq!(session_of_seed(&seed).as_str(), s(v, "session_id"));
        assert_eq!(blind15_keypair(&seed, &spk).id(), expected);
        assert_eq!(
            blinded15_from_ed25519(&ed25519_pk(&seed), &spk).unwrap(),
            expected
        );
        let sign_bit = expected.key()[31] & 0x80 != 0;
        assert_eq!(sign_bit, v["blinded15_sign_bit_set"].as_bool().unwrap());
        let session = SessionId::parse(s(v, "session_id")).unwrap();
        let [abs, neg] = blind15_candidates(&session, &spk).unwrap();
        assert_eq!(abs.as_str(), s(v, "blinded15_abs_id_server_computes"));
        assert_eq!(expected.blinded_abs(), abs);
        assert_eq!(if sign_bit { neg } else { abs }, expected);
    }
}

fn check_blind25(v: &Value) {
    let spk = server_pk(v, "server_pubkey_x25519");
    let seed = bytes::<32>(v, "ed25519_seed");
    let pk = ed25519_pk(&seed);
    let expected = BlindedId::parse(s(v, "blinded25_id")).unwrap();
    assert_eq!(expected.scheme(), BlindScheme::Blind25);
    assert_eq!(
        pk[31] & 0x80 != 0,
        v["ed25519_pubkey_sign_bit_set"].as_bool().unwrap()
    );
    let session = SessionId::parse(s(v, "session_id")).unwrap();
    assert_eq!(session_of_seed(&seed), session);
    assert_eq!(blind25_from_session(&session, &spk).unwrap(), expected);
    assert_eq!(blind25_keypair(&seed, &spk).id(), expected);
    assert_eq!(blinded25_from_ed25519(&pk, &spk).unwrap(), expected);
    // 15 → 25 gives the same id from either sign variant of the 15 id.
    let b15 = blinded15_from_ed25519(&pk, &spk).unwrap();
    assert_eq!(blind25_from_blind15(&b15, &spk).unwrap(), expected);
    assert_eq!(
        blind25_from_blind15(&b15.blinded_abs(), &spk).unwrap(),
        expected
    );
    assert_eq!(
        blind25_from_blind15(&b15.blinded_neg(), &spk).unwrap(),
        expected
    );
    if let Some(pk_hex) = v["ed25519_pubkey"].as_str() {
        assert_eq!(hex::encode(pk), pk_hex);
    }
    // PR #213's commented-out values lack the sign correction; the JSON flags the wrong ones.
    if let Some(matches) = v["pr213_test_value_matches"].as_bool() {
        assert_eq!(s(v, "pr213_test_value") == expected.as_str(), matches);
    }
}

#[test]
fn blind25_derivations() {
    let vectors = of_kind("blind25_derivation");
    assert_eq!(vectors.len(), 23);
    vectors.iter().for_each(check_blind25);
}

#[test]
fn blind25_refuses_a_25_id_as_15_input() {
    let v = &of_kind("blind25_derivation")[0];
    let id = BlindedId::parse(s(v, "blinded25_id")).unwrap();
    assert!(blind25_from_blind15(&id, &server_pk(v, "server_pubkey_x25519")).is_err());
}

#[test]
fn client_blinding_libsession_ids() {
    let sec = &client()["blinding_libsession"];
    let spks = libsession_server_pks(sec);
    let seed_of = |name: &str| libsession_seed(sec, name);
    for case in sec["blind25_id"].as_array().unwrap() {
        let sid_name = s(case, "session_id");
        let session = SessionId::parse(s(sec, sid_name)).unwrap();
        assert_eq!(session_of_seed(&seed_of(sid_name)), session);
        let spk = &spks[case["server_pk_index"].as_u64().unwrap() as usize];
        assert_eq!(
            blind25_from_session(&session, spk).unwrap().as_str(),
            s(case, "blinded")
        );
    }
    for case in sec["blind15_id"].as_array().unwrap() {
        let sid_name = s(case, "session_id");
        let session = SessionId::parse(s(sec, sid_name)).unwrap();
        let spk = &spks[case["server_pk_index"].as_u64().unwrap() as usize];
        let candidates = blind15_candidates(&session, spk).unwrap();
        let positive = BlindedId::parse(s(case, "blinded_positive")).unwrap();
        assert!(candidates.contains(&positive));
        let from_keypair = blind15_keypair(&seed_of(sid_name), spk).id();
        assert!(candidates.contains(&from_keypair));
        if let Some(kp) = case["blinded_from_keypair (self)"].as_str() {
            assert_eq!(from_keypair.as_str(), kp);
        }
    }
}

#[test]
fn client_blind_version_keypair() {
    let sec = &client()["blinding_libsession"];
    let bv = &sec["blind_version"];
    let key = sogs_protocol::blinding::blind_version_signing_key(&libsession_seed(sec, "seed1"));
    assert_eq!(
        hex::encode(key.verifying_key().as_bytes()),
        s(bv, "keypair_pubkey_for_seed1")
    );
    assert_eq!(
        hex::encode(key.to_keypair_bytes()),
        s(bv, "keypair_sk_for_seed1")
    );
    let msg = b"1234567890GET/session_version?platform=desktop";
    let sig = sogs_protocol::signing::ed25519_sign(&key.to_bytes(), msg);
    assert_eq!(
        hex::encode(sig),
        s(bv, "blind_version_sign(seed1, desktop, 1234567890)")
    );
}

#[test]
fn client_blinding_pysogs_cases() {
    let sec = &client()["blinding_pysogs"];
    let spk = server_pk(sec, "server_pk");
    for case in sec["cases"].as_array().unwrap() {
        let seed = bytes::<32>(case, "ed25519_seed");
        let session = session_of_seed(&seed);
        assert_eq!(session.as_str(), s(case, "session_id"));
        assert_eq!(
            blind15_keypair(&seed, &spk).id().as_str(),
            s(case, "blinded15_id_from_keypair")
        );
        assert_eq!(
            blind15_candidates(&session, &spk).unwrap()[0].as_str(),
            s(case, "blinded15_abs_id")
        );
        assert_eq!(
            blind25_from_session(&session, &spk).unwrap().as_str(),
            s(case, "blinded25_id")
        );
    }
}

#[test]
fn client_server_key_and_factor() {
    let server = &client()["sogs_client_side"]["server"];
    let spk = ServerPubkey::from_secret(&bytes::<32>(server, "x25519_private"));
    assert_eq!(spk, server_pk(server, "x25519_public"));
    assert_eq!(
        hex::encode(blind15_factor(&spk).as_bytes()),
        s(server, "blind15_k")
    );
}

#[test]
fn client_keys_and_blinded_dm_ids() {
    let all = client();
    let keys = &all["keys_from_libsession_session_encrypt_tests"];
    let dm = &all["blinded_dm_libsession_keys"];
    let spk = server_pk(dm, "server_pk");
    for (who, role) in [("A", "sender_blinded_id"), ("B", "recipient_blinded_id")] {
        let k = &keys[who];
        let seed = bytes::<32>(k, "ed25519_seed");
        assert_eq!(hex::encode(ed25519_pk(&seed)), s(k, "ed25519_pk"));
        assert_eq!(session_of_seed(&seed).as_str(), s(k, "session_id"));
        assert_eq!(
            hex::encode(session_of_seed(&seed).x25519()),
            s(k, "x25519_pk")
        );
        assert_eq!(
            blind15_keypair(&seed, &spk).id().as_str(),
            s(&dm["blind15"], role)
        );
        assert_eq!(
            blind25_keypair(&seed, &spk).id().as_str(),
            s(&dm["blind25"], role)
        );
    }
}
