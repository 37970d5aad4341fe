//! The server's X25519 public key (`?public_key=` in join URLs, first 32 bytes of signed requests).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::IdError;
use crate::encoding::decode_hex_array;

/// The server's X25519 public key; displayed and parsed as 64 hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ServerPubkey(pub [u8; 32]);

impl ServerPubkey {
    /// Parses 64 hex digits (either case).
    pub fn parse(s: &str) -> Result<Self, IdError> {
        if s.len() != 64 {
            return Err(IdError::Length {
                expected: 64,
                got: s.len(),
            });
        }
        decode_hex_array(s).map(Self).ok_or(IdError::NotHex)
    }

    /// The public key of an X25519 private key (clamped scalar multiplication of the base point).
    pub fn from_secret(secret: &[u8; 32]) -> Self {
        let secret = x25519_dalek::StaticSecret::from(*secret);
        Self(x25519_dalek::PublicKey::from(&secret).to_bytes())
    }

    /// The raw 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// Lower-case hex.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl fmt::Display for ServerPubkey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Debug for ServerPubkey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ServerPubkey({})", self.to_hex())
    }
}

impl std::str::FromStr for ServerPubkey {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        Self::parse(s)
    }
}

impl TryFrom<String> for ServerPubkey {
    type Error = IdError;
    fn try_from(s: String) -> Result<Self, IdError> {
        Self::parse(&s)
    }
}

impl From<ServerPubkey> for String {
    fn from(pk: ServerPubkey) -> String {
        pk.to_hex()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_display_and_secret() {
        let hex = "AD438BFAE31F6C093D61D4339255EA798092C9FADD07B97827F4B0AE9DEE7C1C";
        let pk = ServerPubkey::parse(hex).unwrap();
        assert_eq!(pk.to_string(), hex.to_lowercase());
        let secret =
            decode_hex_array("a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0")
                .unwrap();
        assert_eq!(ServerPubkey::from_secret(&secret), pk);
        assert_eq!(
            ServerPubkey::parse("ab"),
            Err(IdError::Length {
                expected: 64,
                got: 2
            })
        );
    }
}
