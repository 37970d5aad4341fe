//! Typed identifiers parsed once at the edge: room tokens, user ids and the server key.

use std::fmt;

/// Implements `Display`, `FromStr`, `TryFrom<String>`, `TryFrom<&str>`, `AsRef<str>` and
/// `From<T> for String` for a type with `parse(&str) -> Result<Self, IdError>` and `as_str()`.
macro_rules! string_id_traits {
    ($ty:ident) => {
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl std::str::FromStr for $ty {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                Self::parse(s)
            }
        }
        impl TryFrom<String> for $ty {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> {
                Self::parse(&s)
            }
        }
        impl TryFrom<&str> for $ty {
            type Error = IdError;
            fn try_from(s: &str) -> Result<Self, IdError> {
                Self::parse(s)
            }
        }
        impl AsRef<str> for $ty {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
        impl From<$ty> for String {
            fn from(id: $ty) -> String {
                id.as_str().to_owned()
            }
        }
    };
}

mod server_key;
mod user;
mod user_id;

pub use server_key::ServerPubkey;
pub use user::{BlindScheme, BlindedId, IdError, SessionId};
pub use user_id::{UnblindedEd25519, UserId};

/// A room token: 1–64 ASCII characters of `[A-Za-z0-9_-]`, compared case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RoomToken(String);

/// Why a room token was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoomTokenError {
    /// The token is empty.
    #[error("room token must not be empty")]
    Empty,
    /// The token is longer than 64 characters.
    #[error("room token must be at most 64 characters, got {0}")]
    TooLong(usize),
    /// The token contains a character outside `[A-Za-z0-9_-]`.
    #[error("room token may contain only ASCII letters, digits, '_' and '-', found {0:?}")]
    BadChar(char),
}

impl RoomToken {
    /// Longest accepted token, in characters.
    pub const MAX_LEN: usize = 64;

    /// Parses a token, keeping its case.
    pub fn parse(token: &str) -> Result<Self, RoomTokenError> {
        if token.is_empty() {
            return Err(RoomTokenError::Empty);
        }
        if let Some(bad) = token
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '_' || *c == '-'))
        {
            return Err(RoomTokenError::BadChar(bad));
        }
        if token.len() > Self::MAX_LEN {
            return Err(RoomTokenError::TooLong(token.len()));
        }
        Ok(Self(token.to_owned()))
    }

    /// The token as given (its stored case).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RoomToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for RoomToken {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_tokens_keep_their_case() {
        for t in ["a", "Lobby", "the-best_room", &"x".repeat(64)] {
            assert_eq!(RoomToken::parse(t).unwrap().as_str(), t);
        }
    }

    #[test]
    fn invalid_tokens_are_refused() {
        assert_eq!(RoomToken::parse(""), Err(RoomTokenError::Empty));
        assert_eq!(
            RoomToken::parse(&"x".repeat(65)),
            Err(RoomTokenError::TooLong(65))
        );
        assert_eq!(RoomToken::parse("a b"), Err(RoomTokenError::BadChar(' ')));
        assert_eq!(RoomToken::parse("café"), Err(RoomTokenError::BadChar('é')));
        assert_eq!(RoomToken::parse("a/b"), Err(RoomTokenError::BadChar('/')));
    }
}
