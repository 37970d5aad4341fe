//! One onion round trip from both ends: the server decrypts a request and encrypts its reply;
//! the client builds a request blob and decrypts the reply.

use rand_core::{OsRng, RngCore};
use x25519_dalek::{PublicKey, StaticSecret};

use super::blob::{encode_outer_blob, parse_outer_blob};
use super::enc_type::EncType;
use super::error::{CryptoError, OnionError};
use super::key::SharedKey;
use crate::encoding::encode_b64;
use crate::ids::ServerPubkey;

/// Server side: parses and decrypts an outer blob with the server's X25519 secret; returns the
/// inner plaintext and the key to encrypt the reply with (same cipher, same key).
///
/// Any error means a plain (unencrypted) HTTP 400.
pub fn decrypt_request(
    server_secret: &StaticSecret,
    blob: &[u8],
) -> Result<(Vec<u8>, SharedKey), OnionError> {
    let outer = parse_outer_blob(blob)?;
    let key = SharedKey::for_server(outer.enc_type, server_secret, &outer.ephemeral_key)?;
    let plaintext = key.decrypt(outer.ciphertext)?;
    Ok((plaintext, key))
}

/// Server side: encrypts a reply with a fresh nonce. A v4 reply is sent as these raw bytes.
pub fn encrypt_response(key: &SharedKey, plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
    key.encrypt(plaintext)
}

/// Server side, v3 (spec §4.4): the encrypted reply, base64-encoded (standard, padded).
pub fn encrypt_v3_response(key: &SharedKey, plaintext: &[u8]) -> Result<String, CryptoError> {
    Ok(encode_b64(&key.encrypt(plaintext)?))
}

/// Client side: encrypts `plaintext` to the server under a fresh ephemeral key and nonce and
/// frames it; returns the blob to POST and the key that decrypts the reply.
pub fn build_request_blob(
    server_pub: &ServerPubkey,
    enc_type: EncType,
    plaintext: &[u8],
) -> Result<(Vec<u8>, SharedKey), OnionError> {
    let mut secret = zeroize::Zeroizing::new([0u8; 32]);
    let mut nonce = [0u8; 24];
    OsRng
        .try_fill_bytes(secret.as_mut())
        .and_then(|()| OsRng.try_fill_bytes(&mut nonce))
        .map_err(|_| CryptoError::Rng)?;
    let ephemeral = StaticSecret::from(*secret);
    let nonce = nonce.get(..enc_type.nonce_len()).unwrap_or(&nonce);
    build_request_blob_with(server_pub, &ephemeral, enc_type, nonce, plaintext)
}

/// Client side, deterministic: [`build_request_blob`] with a given ephemeral secret and nonce
/// (for vectors and tests; never reuse either in real traffic).
pub fn build_request_blob_with(
    server_pub: &ServerPubkey,
    ephemeral: &StaticSecret,
    enc_type: EncType,
    nonce: &[u8],
    plaintext: &[u8],
) -> Result<(Vec<u8>, SharedKey), OnionError> {
    let server_pub = PublicKey::from(*server_pub.as_bytes());
    let key = SharedKey::for_client(enc_type, ephemeral, &server_pub)?;
    let ciphertext = key.encrypt_with_nonce(nonce, plaintext)?;
    let blob = encode_outer_blob(&ciphertext, &PublicKey::from(ephemeral), enc_type)?;
    Ok((blob, key))
}

/// Client side: decrypts the server's raw reply bytes (v4; decode base64 first for v3).
pub fn decrypt_response(key: &SharedKey, reply: &[u8]) -> Result<Vec<u8>, CryptoError> {
    key.decrypt(reply)
}
