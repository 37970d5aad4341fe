//! Encrypted group attachments. Each file gets a fresh random 32-byte key and 24-byte nonce:
//! stored bytes = `nonce ‖ XChaCha20-Poly1305(key, nonce, file, ad = AD_PREFIX ‖ group key)`.
//! The key and the SHA-256 of the stored bytes travel in the message's `AttachmentPointer`
//! (`key`, `digest`), inside the group-encrypted message, so only holders of the group key
//! that encrypted the message can fetch and open the file; the server stores ciphertext only.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::groups::GroupCryptoError;

/// XChaCha20 nonce length.
const NONCE_LEN: usize = 24;
/// Associated-data prefix: binds a file to its purpose and group.
const AD_PREFIX: &[u8] = b"sogs-group-attachment";

/// An encrypted file ready to upload, with what the pointer must carry.
pub struct SealedFile {
    /// What to upload: nonce ‖ ciphertext ‖ tag.
    pub stored: Vec<u8>,
    /// The file's key.
    pub key: Zeroizing<[u8; 32]>,
    /// SHA-256 of `stored`.
    pub digest: [u8; 32],
}

/// Encrypts `file` for the group with Ed25519 key `group_pk` under a fresh key and nonce.
pub fn seal(group_pk: &[u8; 32], file: &[u8]) -> Result<SealedFile, GroupCryptoError> {
    let mut key = Zeroizing::new([0u8; 32]);
    let mut nonce = [0u8; NONCE_LEN];
    OsRng.fill_bytes(key.as_mut());
    OsRng.fill_bytes(&mut nonce);
    let ad = [AD_PREFIX, group_pk].concat();
    let ct = XChaCha20Poly1305::new(key.as_ref().into())
        .encrypt(
            XNonce::from_slice(&nonce),
            Payload {
                msg: file,
                aad: &ad,
            },
        )
        .map_err(|_| GroupCryptoError::Encrypt)?;
    let stored = [&nonce[..], &ct].concat();
    let digest = Sha256::digest(&stored).into();
    Ok(SealedFile {
        stored,
        key,
        digest,
    })
}

/// Checks `stored` against `digest` (when given) and decrypts it with `key`.
pub fn open(
    group_pk: &[u8; 32],
    key: &[u8],
    digest: Option<&[u8]>,
    stored: &[u8],
) -> Result<Vec<u8>, GroupCryptoError> {
    if digest.is_some_and(|d| d != Sha256::digest(stored).as_slice()) {
        return Err(GroupCryptoError::Decrypt);
    }
    let key: &[u8; 32] = key.try_into().map_err(|_| GroupCryptoError::Malformed)?;
    if stored.len() < NONCE_LEN {
        return Err(GroupCryptoError::Decrypt);
    }
    let (nonce, ct) = stored.split_at(NONCE_LEN);
    let ad = [AD_PREFIX, group_pk].concat();
    XChaCha20Poly1305::new(key.into())
        .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad: &ad })
        .map_err(|_| GroupCryptoError::Decrypt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_tampering_or_another_group() {
        let group = [7u8; 32];
        let sealed = seal(&group, b"holiday photo").unwrap();
        assert!(!sealed.stored.windows(7).any(|w| w == b"holiday"));
        let open_with = |g: &[u8; 32], stored: &[u8]| {
            open(g, sealed.key.as_ref(), Some(&sealed.digest), stored)
        };
        assert_eq!(open_with(&group, &sealed.stored).unwrap(), b"holiday photo");
        assert_eq!(
            open_with(&[8u8; 32], &sealed.stored),
            Err(GroupCryptoError::Decrypt)
        );
        let mut tampered = sealed.stored.clone();
        tampered[30] ^= 1;
        assert_eq!(open_with(&group, &tampered), Err(GroupCryptoError::Decrypt));
        assert_ne!(
            seal(&group, b"holiday photo").unwrap().stored,
            sealed.stored
        );
    }
}
