//! Closed-group messages: `one_to_one_and_groups.groups_v2` (fixed key and nonce, no compression).

use sogs_client::e2e::groups::{decrypt, encrypt_with_nonce};
use sogs_client::identity::Identity;

use crate::vectors::{client, hex_arr, hex_bytes, s};

#[test]
fn group_message_matches_the_groups_v2_vector_and_decrypts() {
    let v = &client()["one_to_one_and_groups"]["groups_v2"];
    let sender = Identity::from_seed(&hex_arr(v, "sender_ed25519_seed"));
    let group = Identity::from_seed(&hex_arr(v, "group_ed25519_seed"));
    let group_pk = group.ed25519_public();
    assert_eq!(format!("03{}", hex::encode(group_pk)), s(v, "group_id"));
    let key: [u8; 32] = hex_arr(v, "group_enc_key");
    let plaintext = hex_bytes(
        v,
        "plaintext_envelope_hex (type=7, Content unencrypted inside)",
    );
    let nonce: [u8; 24] = hex_arr(v, "nonce");
    let ct = encrypt_with_nonce(&sender, &group_pk, &key, &plaintext, &nonce).unwrap();
    assert_eq!(
        hex::encode(&ct),
        s(
            v,
            "ciphertext_hex (nonce||xchacha20poly1305(bt_dict||zero padding to make total%256==0))"
        )
    );
    let opened = decrypt(&[[0u8; 32], key], &group_pk, &ct).unwrap();
    assert_eq!(opened.data, plaintext);
    assert_eq!(opened.sender, sender.session_id());
    assert_eq!(opened.generation, 1);
}
