//! The `enc_type` of an onion request: which AEAD protects the request and its reply.

use std::fmt;
use std::str::FromStr;

use super::error::UnknownEncType;

/// The symmetric cipher named by the metadata's `enc_type` (spec §4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum EncType {
    /// AES-256-GCM, `iv12 ‖ ct ‖ tag16`; the default when `enc_type` is absent.
    #[default]
    Aes256Gcm,
    /// XChaCha20-Poly1305 (IETF), `nonce24 ‖ ct ‖ tag16`.
    XChaCha20Poly1305,
}

/// Authentication tag length of both ciphers.
pub(crate) const TAG_LEN: usize = 16;

impl EncType {
    /// Parses an `enc_type` name: `aes-gcm`/`gcm` or `xchacha20`/`xchacha20-poly1305`
    /// (exact, case-sensitive, as libsession's `parse_enc_type`).
    pub fn parse(name: &str) -> Result<Self, UnknownEncType> {
        match name {
            "aes-gcm" | "gcm" => Ok(Self::Aes256Gcm),
            "xchacha20" | "xchacha20-poly1305" => Ok(Self::XChaCha20Poly1305),
            other => Err(UnknownEncType(other.to_owned())),
        }
    }

    /// The name clients send: `aes-gcm` or `xchacha20`.
    pub fn wire_name(self) -> &'static str {
        match self {
            Self::Aes256Gcm => "aes-gcm",
            Self::XChaCha20Poly1305 => "xchacha20",
        }
    }

    /// Nonce (IV) length prefixed to every ciphertext: 12 or 24.
    pub fn nonce_len(self) -> usize {
        match self {
            Self::Aes256Gcm => 12,
            Self::XChaCha20Poly1305 => 24,
        }
    }

    /// Bytes a ciphertext adds to its plaintext: nonce plus the 16-byte tag.
    pub fn overhead(self) -> usize {
        self.nonce_len() + TAG_LEN
    }
}

impl FromStr for EncType {
    type Err = UnknownEncType;
    fn from_str(s: &str) -> Result<Self, UnknownEncType> {
        Self::parse(s)
    }
}

impl fmt::Display for EncType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.wire_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_to_their_cipher_and_unknown_names_fail() {
        for (name, want) in [
            ("aes-gcm", EncType::Aes256Gcm),
            ("gcm", EncType::Aes256Gcm),
            ("xchacha20", EncType::XChaCha20Poly1305),
            ("xchacha20-poly1305", EncType::XChaCha20Poly1305),
        ] {
            assert_eq!(name.parse::<EncType>(), Ok(want));
        }
        for bad in ["aes-cbc", "AES-GCM", "", "xchacha"] {
            assert_eq!(EncType::parse(bad), Err(UnknownEncType(bad.to_owned())));
        }
        assert_eq!(EncType::default(), EncType::Aes256Gcm);
    }
}
