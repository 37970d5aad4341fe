//! Any user id (`05`/`15`/`25`) and the unblinded Ed25519 key (`00`) of the auth header.

use serde::{Deserialize, Serialize};

use super::user::{parse_prefixed, prefixed_hex};
use super::{BlindScheme, BlindedId, IdError, SessionId};
use crate::point;

/// The id of a user as stored and shown: an unblinded Session ID or a blinded id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum UserId {
    /// `05…`
    Session(SessionId),
    /// `15…` or `25…`
    Blinded(BlindedId),
}

impl UserId {
    /// Parses a `05`, `15` or `25` id (either case; stored lower-case).
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let (prefix, key) = parse_prefixed(s)?;
        if prefix == SessionId::PREFIX {
            return Ok(Self::Session(SessionId::from_x25519(key)));
        }
        BlindScheme::from_prefix(prefix)
            .map(|scheme| Self::Blinded(BlindedId::from_key(scheme, key)))
            .ok_or(IdError::Prefix {
                expected: "05, 15 or 25",
            })
    }

    /// The canonical (lower-case) 66-character form.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Session(id) => id.as_str(),
            Self::Blinded(id) => id.as_str(),
        }
    }
}

string_id_traits!(UserId);

impl From<SessionId> for UserId {
    fn from(id: SessionId) -> Self {
        Self::Session(id)
    }
}

impl From<BlindedId> for UserId {
    fn from(id: BlindedId) -> Self {
        Self::Blinded(id)
    }
}

/// An unblinded Ed25519 public key as sent in `X-SOGS-Pubkey` (`00` + key); never a stored id.
///
/// Construction checks that the key is a valid point, so it always maps to a Session ID.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UnblindedEd25519 {
    hex: String,
    key: [u8; 32],
    x25519: [u8; 32],
}

impl UnblindedEd25519 {
    /// The id's first byte.
    pub const PREFIX: u8 = 0x00;

    /// Parses `00` + 64 hex digits of a valid Ed25519 public key.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        match parse_prefixed(s)? {
            (Self::PREFIX, key) => Self::from_key(key),
            _ => Err(IdError::Prefix { expected: "00" }),
        }
    }

    /// Wraps a raw Ed25519 public key, refusing one that fails
    /// [`point::is_valid_point`].
    pub fn from_key(key: [u8; 32]) -> Result<Self, IdError> {
        let ed = point::decompress_valid(&key).ok_or(IdError::InvalidPoint)?;
        let x25519 = point::to_x25519(&ed);
        Ok(Self {
            hex: prefixed_hex(Self::PREFIX, &key),
            key,
            x25519,
        })
    }

    /// The Ed25519 public key (without the prefix).
    pub fn key(&self) -> &[u8; 32] {
        &self.key
    }

    /// The canonical (lower-case) 66-character form.
    pub fn as_str(&self) -> &str {
        &self.hex
    }

    /// The user's Session ID: `05` + the X25519 form of the key (libsodium
    /// `crypto_sign_ed25519_pk_to_curve25519`).
    pub fn to_session_id(&self) -> SessionId {
        SessionId::from_x25519(self.x25519)
    }
}

string_id_traits!(UnblindedEd25519);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_id_dispatches_on_prefix() {
        let sid = "05c506fee5118680107a4722f60a05dfcbb5737d6ffc4d163fb60479e279c6095d";
        assert!(matches!(UserId::parse(sid), Ok(UserId::Session(_))));
        let b25 = "25DD332C1DE0038E5B5B6D2D037569C343D1E18500A94716F108F1918C0879CE3B";
        let id = UserId::parse(b25).unwrap();
        assert_eq!(id.as_str(), b25.to_lowercase());
        assert!(matches!(&id, UserId::Blinded(b) if b.scheme() == BlindScheme::Blind25));
        assert_eq!(
            UserId::parse(&format!("ff{}", &sid[2..])),
            Err(IdError::Prefix {
                expected: "05, 15 or 25"
            })
        );
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(serde_json::from_str::<UserId>(&json).unwrap(), id);
    }

    #[test]
    fn unblinded_key_maps_to_session_id() {
        // contrib/auth-example.py identity.
        let pk = "00bac6e71efd7dfa4a83c98ed24f254ab2c267f9ccdb172a5280a0444ad24e89cc";
        let sid = "0588672ccb97f40bb57238989226cf429b575ba355443f47bc76c5ab144a96c65b";
        let key = UnblindedEd25519::parse(pk).unwrap();
        assert_eq!(key.to_session_id().as_str(), sid);
        assert_eq!(
            UnblindedEd25519::from_key([0u8; 32]),
            Err(IdError::InvalidPoint)
        );
    }
}
