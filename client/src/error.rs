//! The error type of the high-level operations (communities, DMs, groups) the CLI runs.

use crate::api::ClientError;
use crate::e2e::blinded_dm::BlindedDmError;
use crate::e2e::groups::GroupCryptoError;
use crate::profile::ProfileError;
use crate::room_url::RoomUrlError;

/// Why a high-level operation failed; each variant displays as one clear line.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Talking to the server failed.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The profile could not be read or written.
    #[error(transparent)]
    Profile(#[from] ProfileError),
    /// A join URL is invalid.
    #[error("invalid room URL: {0}")]
    RoomUrl(#[from] RoomUrlError),
    /// A DM could not be encrypted.
    #[error("direct message: {0}")]
    Dm(#[from] BlindedDmError),
    /// Group encryption failed.
    #[error("group: {0}")]
    Group(#[from] GroupCryptoError),
    /// A group's room refuses us although we hold the group's keys: its admin removed us
    /// (and revoked our access to the room).
    #[error("you are no longer a member of group {group}: its room refuses access ({cause})")]
    NoLongerMember {
        /// The group's name.
        group: String,
        /// The room's refusal.
        cause: ClientError,
    },
    /// The server answered something a Session client would refuse.
    #[error("{0}")]
    Protocol(String),
    /// The user named something that does not exist or gave a bad argument.
    #[error("{0}")]
    Usage(String),
}

impl Error {
    /// A [`Error::Usage`] from any message.
    pub fn usage(msg: impl Into<String>) -> Self {
        Self::Usage(msg.into())
    }
}

/// Result of high-level operations.
pub type Result<T, E = Error> = std::result::Result<T, E>;
