//! Answers shared by several resources: the empty object and `{"info_updates": n}`.

use serde::{Deserialize, Serialize};

/// The empty object `{}`.
///
/// Answer of `PUT|DELETE /room/{token}/message/{id}`, `DELETE /room/{token}/all/{id}`,
/// `POST /user/{id}/ban` and `POST /user/{id}/unban`. Also the (ignored) body of
/// `POST /room/{token}/pin/{id}` and `PUT /room/{token}/reaction/{id}/{reaction}`: any object
/// deserializes into it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Empty {}

/// A room's new `info_updates` counter.
///
/// Answer of `PUT /room/{token}` and `POST /room/{token}/pin/{id}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InfoUpdates {
    /// The room's `info_updates` after the change.
    pub info_updates: i64,
}
