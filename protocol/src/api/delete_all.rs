//! Deleting every post of a user: `DELETE /room/{token}/all/{id}` (answers
//! [`Empty`](super::common::Empty), 404 when nothing was deleted) and `DELETE /rooms/all/{id}`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Answer of `DELETE /rooms/all/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletedEverywhere {
    /// Messages deleted in all.
    pub total: i64,
    /// Messages deleted per room token, for every room where the caller was allowed (0 included);
    /// other rooms are absent.
    pub rooms: BTreeMap<String, i64>,
}
