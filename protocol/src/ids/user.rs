//! Session IDs (`05` + X25519) and blinded IDs (`15`/`25` + Ed25519), canonically lower-case hex.

use serde::{Deserialize, Serialize};

use crate::encoding::decode_hex_array;

/// Why an id or key string was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The string does not have the expected length (in bytes).
    #[error("expected {expected} hex characters, got {got}")]
    Length {
        /// Required length.
        expected: usize,
        /// Length given.
        got: usize,
    },
    /// The string contains something other than hex digits.
    #[error("expected hex digits only")]
    NotHex,
    /// The first byte is not one this id type allows.
    #[error("expected an id starting with {expected}")]
    Prefix {
        /// The accepted prefixes, for the message.
        expected: &'static str,
    },
    /// The key is not a valid Ed25519 public key (see [`crate::point::is_valid_point`]).
    #[error("not a valid Ed25519 public key")]
    InvalidPoint,
}

/// Splits a 66-character hex id into its prefix byte and 32-byte key.
pub(super) fn parse_prefixed(s: &str) -> Result<(u8, [u8; 32]), IdError> {
    if s.len() != 66 {
        return Err(IdError::Length {
            expected: 66,
            got: s.len(),
        });
    }
    let raw: [u8; 33] = decode_hex_array(s).ok_or(IdError::NotHex)?;
    let mut key = [0u8; 32];
    key.copy_from_slice(&raw[1..]);
    Ok((raw[0], key))
}

/// Lower-case hex of `prefix ‖ key`.
pub(super) fn prefixed_hex(prefix: u8, key: &[u8; 32]) -> String {
    format!("{prefix:02x}{}", hex::encode(key))
}

/// An unblinded Session ID: `05` followed by the user's X25519 public key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SessionId {
    hex: String,
    key: [u8; 32],
}

impl SessionId {
    /// The id's first byte.
    pub const PREFIX: u8 = 0x05;

    /// Parses `05` + 64 hex digits (either case; stored lower-case).
    pub fn parse(s: &str) -> Result<Self, IdError> {
        match parse_prefixed(s)? {
            (Self::PREFIX, key) => Ok(Self::from_x25519(key)),
            _ => Err(IdError::Prefix { expected: "05" }),
        }
    }

    /// The Session ID of an X25519 public key.
    pub fn from_x25519(key: [u8; 32]) -> Self {
        Self {
            hex: prefixed_hex(Self::PREFIX, &key),
            key,
        }
    }

    /// The canonical (lower-case) 66-character form.
    pub fn as_str(&self) -> &str {
        &self.hex
    }

    /// The X25519 public key (without the prefix).
    pub fn x25519(&self) -> &[u8; 32] {
        &self.key
    }
}

string_id_traits!(SessionId);

/// Which blinding scheme a blinded id uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BlindScheme {
    /// `15…` ids: one blinding factor per server (what SOGS and Session Desktop use).
    Blind15,
    /// `25…` ids: a per-user factor, no sign ambiguity (libsession-util, pysogs PR #213).
    Blind25,
}

impl BlindScheme {
    /// The id prefix byte: `0x15` or `0x25`.
    pub const fn prefix(self) -> u8 {
        match self {
            Self::Blind15 => 0x15,
            Self::Blind25 => 0x25,
        }
    }

    /// The scheme with the given prefix byte, if any.
    pub const fn from_prefix(prefix: u8) -> Option<Self> {
        match prefix {
            0x15 => Some(Self::Blind15),
            0x25 => Some(Self::Blind25),
            _ => None,
        }
    }
}

/// A blinded id: `15` or `25` followed by a blinded Ed25519 public key.
///
/// Parsing checks only the form (prefix and hex), as the reference's URL converters do; the
/// X-SOGS header parser checks the point as well.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct BlindedId {
    hex: String,
    scheme: BlindScheme,
    key: [u8; 32],
}

impl BlindedId {
    /// Parses `15`/`25` + 64 hex digits (either case; stored lower-case).
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let (prefix, key) = parse_prefixed(s)?;
        let scheme = BlindScheme::from_prefix(prefix).ok_or(IdError::Prefix {
            expected: "15 or 25",
        })?;
        Ok(Self::from_key(scheme, key))
    }

    /// The blinded id of a blinded Ed25519 public key.
    pub fn from_key(scheme: BlindScheme, key: [u8; 32]) -> Self {
        Self {
            hex: prefixed_hex(scheme.prefix(), &key),
            scheme,
            key,
        }
    }

    /// The blinding scheme (from the prefix).
    pub fn scheme(&self) -> BlindScheme {
        self.scheme
    }

    /// The blinded Ed25519 public key (without the prefix).
    pub fn key(&self) -> &[u8; 32] {
        &self.key
    }

    /// The canonical (lower-case) 66-character form.
    pub fn as_str(&self) -> &str {
        &self.hex
    }

    /// The "positive" form: sign bit (bit 7 of byte 31, the top bit of hex digit 64) cleared.
    /// pysogs stores and looks up blind15 users by this form.
    pub fn blinded_abs(&self) -> Self {
        let mut key = self.key;
        key[31] &= 0x7f;
        Self::from_key(self.scheme, key)
    }

    /// The "negative" form: sign bit (bit 7 of byte 31) set.
    pub fn blinded_neg(&self) -> Self {
        let mut key = self.key;
        key[31] |= 0x80;
        Self::from_key(self.scheme, key)
    }
}

string_id_traits!(BlindedId);

#[cfg(test)]
mod tests {
    use super::*;

    const SID: &str = "05c506fee5118680107a4722f60a05dfcbb5737d6ffc4d163fb60479e279c6095d";
    const B15: &str = "15f8fbeb20cdde5e0cc0ec84e0b3705ca6090c7b23e8132589970473a5592ba388";

    #[test]
    fn session_id_is_lower_cased() {
        let id = SessionId::parse(&SID.to_uppercase()).unwrap();
        assert_eq!(id.as_str(), SID);
        assert_eq!(id.to_string(), SID);
        assert_eq!(hex::encode(id.x25519()), SID[2..]);
    }

    #[test]
    fn session_id_refusals() {
        assert_eq!(
            SessionId::parse(B15),
            Err(IdError::Prefix { expected: "05" })
        );
        assert_eq!(
            SessionId::parse(&SID[1..]),
            Err(IdError::Length {
                expected: 66,
                got: 65
            })
        );
        assert_eq!(
            SessionId::parse(&SID.replace('c', "g")),
            Err(IdError::NotHex)
        );
    }

    #[test]
    fn blinded_abs_and_neg_flip_hex_digit_64() {
        let id = BlindedId::parse(B15).unwrap();
        assert_eq!(id.scheme(), BlindScheme::Blind15);
        assert_eq!(&id.blinded_abs().as_str()[64..], "08");
        assert_eq!(id.blinded_neg(), id);
        assert_eq!(id.blinded_abs().blinded_neg(), id);
    }

    #[test]
    fn serde_round_trip_and_refusal() {
        let id: BlindedId = serde_json::from_str(&format!("\"{}\"", B15.to_uppercase())).unwrap();
        assert_eq!(serde_json::to_string(&id).unwrap(), format!("\"{B15}\""));
        assert!(serde_json::from_str::<BlindedId>(&format!("\"{SID}\"")).is_err());
    }
}
