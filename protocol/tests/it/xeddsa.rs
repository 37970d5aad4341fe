//! XEdDSA against the libsodium-made vectors in `vectors/xeddsa/` (see its README).

use serde_json::Value;
use sogs_protocol::xeddsa;

use crate::vectors::{bytes, s};

fn vectors() -> Vec<Value> {
    let file: Value = serde_json::from_str(include_str!("vectors/xeddsa/xeddsa.json")).unwrap();
    file["vectors"].as_array().unwrap().clone()
}

#[test]
fn every_vector_verifies_or_is_refused_as_expected() {
    let all = vectors();
    assert_eq!(all.len(), 28);
    for v in &all {
        let msg = hex::decode(s(v, "msg")).unwrap();
        let result = xeddsa::verify(&bytes(v, "x25519_pk"), &msg, &bytes(v, "signature"));
        assert_eq!(result.is_ok(), v["valid"] == true, "{}", s(v, "case"));
    }
}

#[test]
fn signing_reproduces_the_valid_vectors_of_both_sign_bits() {
    let valid: Vec<Value> = vectors()
        .into_iter()
        .filter(|v| v["valid"] == true)
        .collect();
    let sign_bits: Vec<u8> = valid
        .iter()
        .map(|v| bytes::<32>(v, "ed25519_pk")[31] >> 7)
        .collect();
    assert!(sign_bits.contains(&0) && sign_bits.contains(&1));
    for v in &valid {
        let msg = hex::decode(s(v, "msg")).unwrap();
        let sig = xeddsa::sign_with_random(&bytes(v, "ed25519_seed"), &msg, &bytes(v, "random"));
        assert_eq!(hex::encode(sig), s(v, "signature"), "{}", s(v, "case"));
        assert_eq!(
            xeddsa::ed25519_of_x25519(&bytes(v, "x25519_pk")).map(hex::encode),
            Some(s(v, "xed25519_pk").to_owned())
        );
    }
}
