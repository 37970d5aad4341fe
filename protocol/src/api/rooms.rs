//! Room details: `GET /rooms`, `GET /room/{token}` and the `details` of `pollInfo`.

use serde::{Deserialize, Serialize};

/// A pinned message in a room's details.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PinnedMessage {
    /// Message id.
    pub id: i64,
    /// When it was pinned, epoch seconds.
    pub pinned_at: f64,
    /// Session id of the admin who pinned it.
    pub pinned_by: String,
}

/// Room details object (`GET /rooms`, `GET /room/{token}`, `pollInfo.details`).
///
/// Optional keys are omitted, not `null`, exactly as the reference server omits them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoomDetails {
    /// Room token in its stored case.
    pub token: String,
    /// Display name.
    pub name: String,
    /// Description, omitted when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Counter of room-info changes.
    pub info_updates: i64,
    /// Current message sequence.
    pub message_sequence: i64,
    /// Creation time, epoch seconds.
    pub created: f64,
    /// Users active within `active_users_cutoff` seconds.
    pub active_users: i64,
    /// The activity window in seconds.
    pub active_users_cutoff: i64,
    /// File id of the room image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_id: Option<i64>,
    /// Pinned messages in pin order; omitted when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pinned_messages: Vec<PinnedMessage>,
    /// Visible moderators that are not admins, sorted.
    pub moderators: Vec<String>,
    /// Visible admins, sorted.
    pub admins: Vec<String>,
    /// Hidden moderators (only shown to moderators, only when any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hidden_moderators: Vec<String>,
    /// Hidden admins (only shown to moderators, only when any).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hidden_admins: Vec<String>,
    /// Caller may read.
    pub read: bool,
    /// Caller may write.
    pub write: bool,
    /// Caller may upload (write and upload).
    pub upload: bool,
    /// Present (true) when the caller is a moderator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderator: Option<bool>,
    /// Present (true) when the caller is an admin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin: Option<bool>,
    /// Present (true) when the caller is a global moderator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global_moderator: Option<bool>,
    /// Present (true) when the caller is a global admin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global_admin: Option<bool>,
    /// Room default `read`, shown to moderators only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_read: Option<bool>,
    /// Room default `accessible`, shown to moderators only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_accessible: Option<bool>,
    /// Room default `write`, shown to moderators only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_write: Option<bool>,
    /// Room default `upload`, shown to moderators only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_upload: Option<bool>,
}
