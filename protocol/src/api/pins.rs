//! Pinning messages (admins): `POST /room/{token}/pin/{id}`, `…/unpin/{id}` and `…/unpin/all`.
//!
//! The bodies are ignored (clients send `{}`); `pin` answers
//! [`InfoUpdates`](super::common::InfoUpdates).

use serde::{Deserialize, Serialize};

/// Answer of `POST /room/{token}/unpin/{id}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unpinned {
    /// Whether the message was pinned.
    pub unpinned: bool,
    /// The room's `info_updates` afterwards.
    pub info_updates: i64,
}

/// Answer of `POST /room/{token}/unpin/all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnpinnedAll {
    /// How many messages were unpinned.
    pub unpinned: i64,
    /// The room's `info_updates` afterwards.
    pub info_updates: i64,
}
