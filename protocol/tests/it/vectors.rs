//! Loading of the spec vector files (copied verbatim from `shared/spec/`).

use serde_json::Value;
use sogs_protocol::ids::ServerPubkey;

/// `vectors-blinding.json`: a list of vectors, each with a `kind` and a `source`.
pub(crate) fn blinding() -> Vec<Value> {
    serde_json::from_str(include_str!("vectors/vectors-blinding.json")).unwrap()
}

/// `vectors-client.json`: an object of sections.
pub(crate) fn client() -> Value {
    serde_json::from_str(include_str!("vectors/vectors-client.json")).unwrap()
}

/// The vectors of one kind from `vectors-blinding.json`.
pub(crate) fn of_kind(kind: &str) -> Vec<Value> {
    blinding()
        .into_iter()
        .filter(|v| v["kind"] == kind)
        .collect()
}

/// A string field.
pub(crate) fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("missing string field {key}"))
}

/// A hex field decoded to exactly `N` bytes.
pub(crate) fn bytes<const N: usize>(v: &Value, key: &str) -> [u8; N] {
    unhex(s(v, key))
}

/// Hex decoded to exactly `N` bytes.
pub(crate) fn unhex<const N: usize>(hex_str: &str) -> [u8; N] {
    hex::decode(hex_str).unwrap().try_into().unwrap()
}

/// A hex server pubkey field.
pub(crate) fn server_pk(v: &Value, key: &str) -> ServerPubkey {
    ServerPubkey::parse(s(v, key)).unwrap()
}

/// The Ed25519 public key of a seed.
pub(crate) fn ed25519_pk(seed: &[u8; 32]) -> [u8; 32] {
    ed25519_dalek::SigningKey::from_bytes(seed)
        .verifying_key()
        .to_bytes()
}

/// The seed of `seed1`/`seed2` in `blinding_libsession`, named by any field mentioning the
/// digit (`seed1_64byte_sk`, `seed1_seed_only_32_bytes`, `session_id1`); checks `sk = seed ‖ A`.
pub(crate) fn libsession_seed(section: &Value, name: &str) -> [u8; 32] {
    let digit = name.chars().find(char::is_ascii_digit).unwrap();
    let sk = bytes::<64>(section, &format!("seed{digit}_64byte_sk"));
    let seed: [u8; 32] = sk[..32].try_into().unwrap();
    assert_eq!(ed25519_pk(&seed), sk[32..]);
    seed
}

/// The `server_pks` list of `blinding_libsession`.
pub(crate) fn libsession_server_pks(section: &Value) -> Vec<ServerPubkey> {
    let list = section["server_pks"].as_array().unwrap();
    list.iter()
        .map(|v| v.as_str().unwrap().parse().unwrap())
        .collect()
}
