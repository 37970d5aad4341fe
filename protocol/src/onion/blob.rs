//! The outer blob `[u32 LE len][ciphertext][JSON metadata]` POSTed to `/oxen/v4/lsrpc` (spec §4.1).

use serde_json::{Map, Value};
use x25519_dalek::PublicKey;

use super::enc_type::EncType;
use super::error::OnionError;
use super::key_format::decode_key32;

/// Largest onion request accepted, as libsession's parser (10 MiB); checked before anything else.
pub const MAX_ONION_REQUEST_BYTES: usize = 10 * 1024 * 1024;

/// A parsed (still encrypted) onion request.
#[derive(Debug, Clone)]
pub struct OuterBlob<'a> {
    /// The encrypted inner request (`nonce ‖ ciphertext ‖ tag`).
    pub ciphertext: &'a [u8],
    /// The client's ephemeral X25519 key from `ephemeral_key`.
    pub ephemeral_key: PublicKey,
    /// The cipher from `enc_type` (aes-gcm when absent).
    pub enc_type: EncType,
}

/// Splits and checks an outer blob; other metadata keys (`host`, `target`, …) are ignored.
///
/// Checks in order: size cap, length prefix, ciphertext length, JSON object, `enc_type`
/// (absent → aes-gcm; present → a known name), `ephemeral_key`.
pub fn parse_outer_blob(blob: &[u8]) -> Result<OuterBlob<'_>, OnionError> {
    if blob.len() > MAX_ONION_REQUEST_BYTES {
        return Err(OnionError::TooLarge {
            len: blob.len(),
            max: MAX_ONION_REQUEST_BYTES,
        });
    }
    let (prefix, rest) = blob
        .split_first_chunk::<4>()
        .ok_or(OnionError::MissingLengthPrefix)?;
    let declared = u32::from_le_bytes(*prefix);
    let available = rest.len();
    let truncated = || OnionError::CiphertextTruncated {
        declared,
        available,
    };
    let len = usize::try_from(declared).map_err(|_| truncated())?;
    let (ciphertext, metadata) = rest.split_at_checked(len).ok_or_else(truncated)?;
    let metadata: Map<String, Value> =
        serde_json::from_slice(metadata).map_err(OnionError::MetadataJson)?;
    Ok(OuterBlob {
        ciphertext,
        enc_type: enc_type_of(&metadata)?,
        ephemeral_key: ephemeral_key_of(&metadata)?,
    })
}

/// The `enc_type` entry; libsession also refuses a non-string value (including `null`).
fn enc_type_of(metadata: &Map<String, Value>) -> Result<EncType, OnionError> {
    match metadata.get("enc_type") {
        None => Ok(EncType::default()),
        Some(Value::String(name)) => Ok(EncType::parse(name)?),
        Some(_) => Err(OnionError::EncTypeNotString),
    }
}

/// The `ephemeral_key` entry, in any accepted form.
fn ephemeral_key_of(metadata: &Map<String, Value>) -> Result<PublicKey, OnionError> {
    let value = metadata
        .get("ephemeral_key")
        .ok_or(OnionError::MissingEphemeralKey)?;
    let text = value.as_str().ok_or(OnionError::BadEphemeralKey)?;
    let bytes = decode_key32(text).ok_or(OnionError::BadEphemeralKey)?;
    Ok(PublicKey::from(bytes))
}

/// Frames a ciphertext for the server:
/// `u32 LE len ‖ ciphertext ‖ {"ephemeral_key":"<hex>","enc_type":"<name>"}`, the compact
/// metadata our client sends (what a last-hop service node forwards carries more keys).
pub fn encode_outer_blob(
    ciphertext: &[u8],
    ephemeral_key: &PublicKey,
    enc_type: EncType,
) -> Result<Vec<u8>, OnionError> {
    let too_large = |len| OnionError::TooLarge {
        len,
        max: MAX_ONION_REQUEST_BYTES,
    };
    let prefix = u32::try_from(ciphertext.len()).map_err(|_| too_large(ciphertext.len()))?;
    let metadata = format!(
        r#"{{"ephemeral_key":"{}","enc_type":"{}"}}"#,
        hex::encode(ephemeral_key.as_bytes()),
        enc_type.wire_name()
    );
    let blob = [&prefix.to_le_bytes(), ciphertext, metadata.as_bytes()].concat();
    if blob.len() > MAX_ONION_REQUEST_BYTES {
        return Err(too_large(blob.len()));
    }
    Ok(blob)
}
