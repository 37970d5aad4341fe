//! Loading `vectors-client.json` and small accessors.

use std::sync::OnceLock;

use serde_json::Value;
use sogs_client::identity::Identity;
use sogs_protocol::ids::ServerPubkey;

/// The whole vector file.
pub(crate) fn client() -> &'static Value {
    static VECTORS: OnceLock<Value> = OnceLock::new();
    VECTORS
        .get_or_init(|| serde_json::from_str(include_str!("vectors/vectors-client.json")).unwrap())
}

/// A string field.
pub(crate) fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("missing string {key}"))
}

/// A hex field as bytes.
pub(crate) fn hex_bytes(v: &Value, key: &str) -> Vec<u8> {
    hex::decode(s(v, key)).unwrap()
}

/// A hex field as an array.
pub(crate) fn hex_arr<const N: usize>(v: &Value, key: &str) -> [u8; N] {
    hex_bytes(v, key).try_into().unwrap()
}

/// A server key field.
pub(crate) fn server_pk(v: &Value, key: &str) -> ServerPubkey {
    ServerPubkey::parse(s(v, key)).unwrap()
}

/// Key `name` ("A" or "B") of `keys_from_libsession_session_encrypt_tests`.
pub(crate) fn libsession_key(name: &str) -> &'static Value {
    &client()["keys_from_libsession_session_encrypt_tests"][name]
}

/// The identity of libsession test key `name`.
pub(crate) fn libsession_identity(name: &str) -> Identity {
    Identity::from_seed(&hex_arr(libsession_key(name), "ed25519_seed"))
}
