//! Reaction endpoints: `/room/{token}/reaction/…`, `/room/{token}/reactions/…` and
//! `/room/{token}/reactors/…`. The reactions shown on messages are in [`super::messages`].

use serde::{Deserialize, Serialize};

/// Answer of `PUT /room/{token}/reaction/{id}/{reaction}` (the body is an ignored `{}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReactionAdded {
    /// False when the caller had already reacted so (not an error).
    pub added: bool,
    /// The message's seqno after the change.
    pub seqno: i64,
}

/// Answer of `DELETE /room/{token}/reaction/{id}/{reaction}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReactionRemoved {
    /// False when the caller had not reacted so.
    pub removed: bool,
    /// The message's seqno after the change.
    pub seqno: i64,
}

/// Answer of `DELETE /room/{token}/reactions/{id}[/{reaction}]` (moderators).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReactionsCleared {
    /// How many user reactions were removed.
    pub removed: i64,
    /// The message's seqno after the change.
    pub seqno: i64,
}

/// One element of the answer of `GET /room/{token}/reactors/{id}/{reaction}`: the pair
/// `[session_id, at]`, in reaction order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reactor(
    /// The reactor's session id.
    pub String,
    /// When they reacted, epoch seconds.
    pub f64,
);
