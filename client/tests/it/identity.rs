//! Identity derivation: `mnemonic.session_id_derivation`, libsession keys A/B, and the blinded
//! ids of `sogs_client_side.x_sogs_cases`, `blinded_dm_libsession_keys` and `blinding_pysogs`.

use sogs_client::identity::Identity;
use sogs_protocol::ids::ServerPubkey;

use crate::vectors::{client, hex_arr, libsession_identity, libsession_key, s, server_pk};

#[test]
fn session_seed_derives_the_session_id_of_the_vector() {
    let v = &client()["mnemonic"]["session_id_derivation"];
    let id = Identity::from_session_seed(&hex_arr(v, "seed16_hex"));
    assert_eq!(
        hex::encode(id.seed()),
        s(v, "ed25519_seed_hex (seed16 || 16 zero bytes)")
    );
    assert_eq!(hex::encode(id.ed25519_public()), s(v, "ed25519_pubkey"));
    assert_eq!(hex::encode(*id.x25519_secret()), s(v, "x25519_private"));
    assert_eq!(id.session_id().as_str(), s(v, "session_id"));
}

#[test]
fn recovery_phrase_restores_the_same_identity() {
    let words = s(&client()["mnemonic"]["cases"][0], "words");
    let id = Identity::from_phrase(words).unwrap();
    assert_eq!(
        id.session_id().as_str(),
        s(&client()["mnemonic"]["session_id_derivation"], "session_id")
    );
    assert_eq!(id.recovery_phrase().unwrap().as_str(), words);
}

#[test]
fn libsession_keys_a_and_b_derive_their_ids() {
    for name in ["A", "B"] {
        let v = libsession_key(name);
        let id = libsession_identity(name);
        assert_eq!(hex::encode(id.ed25519_public()), s(v, "ed25519_pk"));
        assert_eq!(hex::encode(id.x25519_public()), s(v, "x25519_pk"));
        assert_eq!(id.session_id().as_str(), s(v, "session_id"));
        assert!(
            id.recovery_phrase().is_some(),
            "16-byte seed padded with zeros"
        );
    }
}

#[test]
fn a_full_32_byte_seed_has_no_recovery_phrase() {
    let seed = hex_arr::<32>(&client()["blinding_pysogs"]["cases"][0], "ed25519_seed");
    assert!(Identity::from_seed(&seed).recovery_phrase().is_none());
}

#[test]
fn blinded_ids_match_the_vectors() {
    let x = &client()["sogs_client_side"]["x_sogs_cases"];
    let spk = server_pk(&client()["sogs_client_side"]["server"], "x25519_public");
    let id = Identity::from_seed(&hex_arr(x, "user_ed25519_seed"));
    assert_eq!(id.session_id().as_str(), s(x, "user_session_id"));
    assert_eq!(id.blinded15_id(&spk).as_str(), s(x, "user_blinded15_id"));

    let dm = &client()["blinded_dm_libsession_keys"];
    let spk = server_pk(dm, "server_pk");
    for (scheme, blind25) in [("blind15", false), ("blind25", true)] {
        for (role, name) in [("sender_blinded_id", "A"), ("recipient_blinded_id", "B")] {
            let id = libsession_identity(name);
            let got = if blind25 {
                id.blinded25_id(&spk)
            } else {
                id.blinded15_id(&spk)
            };
            assert_eq!(got.as_str(), s(&dm[scheme], role), "{scheme} {role}");
        }
    }
}

#[test]
fn pysogs_seeds_derive_their_session_and_blinded_ids() {
    let v = &client()["blinding_pysogs"];
    let spk: ServerPubkey = server_pk(v, "server_pk");
    for case in v["cases"].as_array().unwrap() {
        let id = Identity::from_seed(&hex_arr(case, "ed25519_seed"));
        assert_eq!(id.session_id().as_str(), s(case, "session_id"));
        assert_eq!(
            id.blinded15_id(&spk).as_str(),
            s(case, "blinded15_id_from_keypair")
        );
        assert_eq!(
            id.blinded15_id(&spk).blinded_abs().as_str(),
            s(case, "blinded15_abs_id")
        );
        assert_eq!(id.blinded25_id(&spk).as_str(), s(case, "blinded25_id"));
    }
}

#[test]
fn debug_shows_only_the_session_id() {
    let id = libsession_identity("A");
    let debug = format!("{id:?}");
    assert_eq!(debug, format!("Identity({})", id.session_id()));
    assert!(!debug.contains(&hex::encode(id.seed())));
}
