//! Closed-group message encryption in the groups-v2 message format (spec client-protocols
//! §5.2–5.3, libsession `encrypt_for_group`): the plaintext goes into a bencoded dict
//! `{"": 1, "a": sender Ed25519 key, "d": data, "s": Ed25519(sender, data ‖ group key)}`,
//! zero-padded so that `24 + 16 + len` is a multiple of 256, and encrypted with
//! XChaCha20-Poly1305 under the group's current key with a random nonce *prepended*.

use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand_core::{OsRng, RngCore};
use sogs_protocol::ids::SessionId;
use sogs_protocol::signing::verify;
use zeroize::Zeroizing;

use super::ed25519_to_x25519;
use crate::identity::Identity;

/// XChaCha20 nonce length.
const NONCE_LEN: usize = 24;
/// Poly1305 tag length.
const TAG_LEN: usize = 16;
/// Ciphertexts (nonce + tag + padded dict) are a multiple of this.
const BLOCK: usize = 256;

/// Why a group message could not be encrypted or decrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum GroupCryptoError {
    /// No known group key opens the message (e.g. sent after we were removed).
    #[error("no group key opens this message")]
    Decrypt,
    /// The message is too large for the cipher.
    #[error("encryption failed")]
    Encrypt,
    /// The decrypted dict is not the expected bencoded structure.
    #[error("malformed group message")]
    Malformed,
    /// The sender's signature does not verify.
    #[error("the sender's signature does not verify")]
    Signature,
    /// A key record is not signed by the group's key.
    #[error("the group key record is not signed by the group")]
    RecordSignature,
}

/// A decrypted group message: the plaintext and its authenticated sender.
#[derive(Clone, PartialEq, Eq)]
pub struct GroupPlaintext {
    /// The plaintext (for Session: an `Envelope` holding the unpadded `Content`).
    pub data: Vec<u8>,
    /// The sender's Ed25519 key.
    pub sender_ed25519: [u8; 32],
    /// The sender's Session ID.
    pub sender: SessionId,
    /// Index of the key (generation) that opened it.
    pub generation: usize,
}

impl std::fmt::Debug for GroupPlaintext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupPlaintext")
            .field("sender", &self.sender)
            .field("generation", &self.generation)
            .finish_non_exhaustive()
    }
}

/// Encrypts `data` from `sender` for the group `group_pk` under `key`, with a random nonce.
pub fn encrypt(
    sender: &Identity,
    group_pk: &[u8; 32],
    key: &[u8; 32],
    data: &[u8],
) -> Result<Vec<u8>, GroupCryptoError> {
    let mut nonce = [0u8; NONCE_LEN];
    OsRng.fill_bytes(&mut nonce);
    encrypt_with_nonce(sender, group_pk, key, data, &nonce)
}

/// [`encrypt`] with a given nonce (never reuse one; for known-answer tests).
pub fn encrypt_with_nonce(
    sender: &Identity,
    group_pk: &[u8; 32],
    key: &[u8; 32],
    data: &[u8],
    nonce: &[u8; NONCE_LEN],
) -> Result<Vec<u8>, GroupCryptoError> {
    let mut signed = Zeroizing::new(data.to_vec());
    signed.extend_from_slice(group_pk);
    let sig = sender.sign(&signed);
    let mut dict = Zeroizing::new(bt_dict(&sender.ed25519_public(), data, &sig));
    let total = (NONCE_LEN + TAG_LEN + dict.len()).div_ceil(BLOCK) * BLOCK;
    dict.resize(total - NONCE_LEN - TAG_LEN, 0);
    let ct = XChaCha20Poly1305::new(key.into())
        .encrypt(XNonce::from_slice(nonce), dict.as_slice())
        .map_err(|_| GroupCryptoError::Encrypt)?;
    let mut out = Vec::with_capacity(NONCE_LEN + ct.len());
    out.extend_from_slice(nonce);
    out.extend_from_slice(&ct);
    Ok(out)
}

/// Decrypts with the newest key that opens `ciphertext` and verifies the sender's signature.
pub fn decrypt(
    keys: &[[u8; 32]],
    group_pk: &[u8; 32],
    ciphertext: &[u8],
) -> Result<GroupPlaintext, GroupCryptoError> {
    if ciphertext.len() < NONCE_LEN + TAG_LEN {
        return Err(GroupCryptoError::Decrypt);
    }
    let (nonce, ct) = ciphertext.split_at(NONCE_LEN);
    let (generation, plain) = keys
        .iter()
        .enumerate()
        .rev()
        .find_map(|(i, key)| {
            let plain = XChaCha20Poly1305::new(key.into())
                .decrypt(XNonce::from_slice(nonce), ct)
                .ok()?;
            Some((i, Zeroizing::new(plain)))
        })
        .ok_or(GroupCryptoError::Decrypt)?;
    let (sender_ed25519, data, sig) = parse_bt_dict(&plain).ok_or(GroupCryptoError::Malformed)?;
    let mut signed = data.clone();
    signed.extend_from_slice(group_pk);
    verify(&sender_ed25519, &signed, &sig).map_err(|_| GroupCryptoError::Signature)?;
    let x25519 = ed25519_to_x25519(&sender_ed25519).ok_or(GroupCryptoError::Signature)?;
    Ok(GroupPlaintext {
        data,
        sender_ed25519,
        sender: SessionId::from_x25519(x25519),
        generation,
    })
}

/// `d 0:i1e 1:a32:<pk> 1:d<n>:<data> 1:s64:<sig> e`.
fn bt_dict(sender_pk: &[u8; 32], data: &[u8], sig: &[u8; 64]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + 128);
    out.extend_from_slice(b"d0:i1e1:a32:");
    out.extend_from_slice(sender_pk);
    out.extend_from_slice(format!("1:d{}:", data.len()).as_bytes());
    out.extend_from_slice(data);
    out.extend_from_slice(b"1:s64:");
    out.extend_from_slice(sig);
    out.push(b'e');
    out
}

/// Parses the dict written by [`bt_dict`] (trailing zero padding allowed; `z` unsupported).
fn parse_bt_dict(buf: &[u8]) -> Option<([u8; 32], Vec<u8>, [u8; 64])> {
    let mut rest = buf.strip_prefix(b"d0:i1e")?;
    let (mut pk, mut data, mut sig) = (None, None, None);
    while let Some(tail) = rest.strip_prefix(b"1:") {
        let (&key, tail) = tail.split_first()?;
        let (value, tail) = bt_string(tail)?;
        match key {
            b'a' => pk = value.try_into().ok(),
            b'd' => data = Some(value.to_vec()),
            b's' => sig = value.try_into().ok(),
            _ => return None,
        }
        rest = tail;
    }
    let padding = rest.strip_prefix(b"e")?;
    padding.iter().all(|&b| b == 0).then_some(())?;
    Some((pk?, data?, sig?))
}

/// Reads one bencoded string `<len>:<bytes>`.
fn bt_string(buf: &[u8]) -> Option<(&[u8], &[u8])> {
    let colon = buf.iter().position(|&b| b == b':')?;
    let len: usize = std::str::from_utf8(&buf[..colon]).ok()?.parse().ok()?;
    let body = buf.get(colon + 1..colon + 1 + len)?;
    Some((body, &buf[colon + 1 + len..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_other_keys() {
        let alice = Identity::from_session_seed(&[1; 16]);
        let (group_pk, k0, k1) = ([9u8; 32], [3u8; 32], [4u8; 32]);
        let ct = encrypt(&alice, &group_pk, &k1, b"hello group").unwrap();
        assert_eq!(ct.len() % BLOCK, 0);
        let opened = decrypt(&[k0, k1], &group_pk, &ct).unwrap();
        assert_eq!(
            (
                opened.data.as_slice(),
                opened.sender.clone(),
                opened.generation
            ),
            (&b"hello group"[..], alice.session_id(), 1)
        );
        assert_eq!(
            decrypt(&[k0], &group_pk, &ct),
            Err(GroupCryptoError::Decrypt)
        );
        assert_eq!(
            decrypt(&[k1], &[8u8; 32], &ct),
            Err(GroupCryptoError::Signature)
        );
    }
}
