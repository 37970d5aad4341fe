//! Path parameters of the API routes, parsed with the reference's rules.
//!
//! Room tokens and user ids are [`crate::ids::RoomToken`], [`crate::ids::UserId`] (`/user/{id}`,
//! `/room/{token}/all/{id}`) and [`crate::ids::BlindedId`] (`/inbox/{id}`, the permission
//! routes). This module adds the integers (Werkzeug's `int` converter: ASCII digits only, no
//! sign) and the reaction text.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a path integer was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PathIntError {
    /// Empty, or not only ASCII digits: the route does not match (404).
    #[error("not a non-negative decimal integer")]
    NotDigits,
    /// Digits, but beyond `i64`: 404 for an id (no such row can exist), 400 for a bound such
    /// as a seqno.
    #[error("number out of range")]
    OutOfRange,
}

/// Parses a path integer: ASCII digits only (`-1`, `+1`, `1.0` and `` are [`PathIntError::NotDigits`]).
pub fn parse_path_int(raw: &str) -> Result<i64, PathIntError> {
    if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PathIntError::NotDigits);
    }
    raw.parse().map_err(|_| PathIntError::OutOfRange)
}

/// A path integer type ([`MessageId`], [`FileId`], [`Seqno`], [`DirectMessageId`]), so that a
/// server can parse any of them with one generic helper.
pub trait PathInt: Sized {
    /// Parses the path segment ([`parse_path_int`]).
    fn from_path(raw: &str) -> Result<Self, PathIntError>;
}

/// A plain counter: `/room/{token}/pollInfo/{info_updated}`.
impl PathInt for i64 {
    fn from_path(raw: &str) -> Result<Self, PathIntError> {
        parse_path_int(raw)
    }
}

/// Declares an `i64` newtype for a path integer.
macro_rules! path_int {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// Parses the path segment ([`parse_path_int`]).
            pub fn from_path(raw: &str) -> Result<Self, PathIntError> {
                parse_path_int(raw).map(Self)
            }
        }

        impl PathInt for $name {
            fn from_path(raw: &str) -> Result<Self, PathIntError> {
                parse_path_int(raw).map(Self)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

path_int!(
    /// A message id: `/room/{token}/message/{id}`, `…/messages/before/{id}`, `…/pin/{id}`,
    /// `…/unpin/{id}`, `…/reaction(s)/{id}/…`, `…/reactors/{id}/…`.
    MessageId
);
path_int!(
    /// A file id: `/room/{token}/file/{id}[/{filename}]`.
    FileId
);
path_int!(
    /// A room message sequence number: `/room/{token}/messages/since/{seqno}`.
    Seqno
);
path_int!(
    /// A direct-message id: `/inbox/since/{id}`, `/outbox/since/{id}`.
    DirectMessageId
);

/// A reaction: 1 to 12 Unicode code points, none a control character (emoji joiners and
/// variation selectors are format characters, so they pass).
///
/// The `{reaction}` of `/room/{token}/reaction/{id}/{reaction}`, `…/reactions/{id}/{reaction}`
/// and `…/reactors/{id}/{reaction}`, percent-decoded; it may contain `/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Reaction(String);

/// A reaction that is empty, too long or holds a control character (400).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("Invalid reaction: must be 1 to 12 characters, no control characters")]
pub struct InvalidReaction;

impl Reaction {
    /// Longest reaction, in Unicode code points.
    pub const MAX_CHARS: usize = 12;

    /// Checks a (percent-decoded) reaction.
    pub fn parse(reaction: &str) -> Result<Self, InvalidReaction> {
        let chars = reaction.chars().count();
        if (1..=Self::MAX_CHARS).contains(&chars) && !reaction.chars().any(char::is_control) {
            Ok(Self(reaction.to_owned()))
        } else {
            Err(InvalidReaction)
        }
    }

    /// The reaction text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Reaction {
    type Error = InvalidReaction;
    fn try_from(s: String) -> Result<Self, InvalidReaction> {
        Self::parse(&s)
    }
}

impl From<Reaction> for String {
    fn from(r: Reaction) -> String {
        r.0
    }
}

impl fmt::Display for Reaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Reaction {
    fn as_ref(&self) -> &str {
        &self.0
    }
}
