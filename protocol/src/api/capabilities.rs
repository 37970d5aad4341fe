//! General endpoints: `GET /capabilities` and `GET /health`.

use serde::{Deserialize, Serialize};

/// The core SOGS API.
pub const SOGS: &str = "sogs";
/// Message reactions.
pub const REACTIONS: &str = "reactions";
/// Blinded ids are required (`users.require_blind_keys`).
pub const BLIND: &str = "blind";

/// Answer of `GET /capabilities[?required=a,b]`: 200, or 412 with `missing`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capabilities {
    /// The server's capabilities, sorted (default `["blind", "reactions", "sogs"]`).
    pub capabilities: Vec<String>,
    /// The `required` entries the server lacks, in request order; only in the 412 answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing: Option<Vec<String>>,
}

/// Answer of `GET /health` (not in the reference server): 200 `{"db": "ok"}` or
/// 503 `{"db": "unreachable"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// Whether a database connection answered a ping.
    pub db: DbStatus,
}

/// The database's state in [`Health`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DbStatus {
    /// A connection answered in time.
    Ok,
    /// No connection answered within `db.acquire_timeout_secs`.
    Unreachable,
}
