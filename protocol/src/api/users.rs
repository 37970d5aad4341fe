//! Moderation of users: `POST /user/{id}/moderator`, `POST /user/{id}/ban` and
//! `POST /user/{id}/unban` (`{id}`: any `05`/`15`/`25` id).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The `rooms` / `global` pair of every `/user/{id}/…` body; also the whole body of
/// `POST /user/{id}/unban`.
///
/// Exactly one must be given: a non-empty list of tokens (`["*"]` alone: every room where the
/// caller has the power) or `global: true`. Those rules are checked by the server after
/// parsing, with its own 400 texts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct RoomsOrGlobal {
    /// Room tokens, or `["*"]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rooms: Option<Vec<String>>,
    /// Server-wide (global moderators and admins only); `null` or absent means false.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global: Option<bool>,
}

super::quirks::object_only!(RoomsOrGlobal);

/// Body of `POST /user/{id}/moderator`, answered with [`ModeratorUpdated`].
///
/// `(admin, moderator)`: `(true, null|true)` adds an admin, `(null, true)` a moderator,
/// `(null|false, false)` removes both, `(false, null)` removes admin only, `(false, true)`
/// demotes an admin to moderator; `(true, false)` and `(null, null)` are 400.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SetModerator {
    /// Where.
    #[serde(flatten)]
    pub scope: RoomsOrGlobal,
    /// Grant (true) or remove (false) moderator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderator: Option<bool>,
    /// Grant (true) or remove (false) admin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin: Option<bool>,
    /// Listed in the room details; defaults to true for rooms, false for global grants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visible: Option<bool>,
}

/// Answer of `POST /user/{id}/moderator`: the new `info_updates` of every touched room (every
/// room for a global change), by token.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModeratorUpdated {
    /// Room token to its `info_updates`.
    pub info_updates: BTreeMap<String, i64>,
}

/// Body of `POST /user/{id}/ban`, answered with [`Empty`](super::common::Empty).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BanUser {
    /// Where.
    #[serde(flatten)]
    pub scope: RoomsOrGlobal,
    /// Seconds until an automatic unban; `null`, absent or `0` ban for good.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeout: Option<f64>,
}
