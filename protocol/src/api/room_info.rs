//! Room polling and room updates: `GET /room/{token}/pollInfo/{info_updated}` and `PUT /room/{token}`.

use serde::{Deserialize, Serialize};

use super::quirks;
use super::rooms::RoomDetails;

/// Answer of `GET /room/{token}/pollInfo/{info_updated}`.
///
/// Role flags are present (`true`) only when they hold; the `default_*` values only for
/// moderators; `details` only when the room's `info_updates` differs from `{info_updated}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PollInfo {
    /// Room token in its stored case.
    pub token: String,
    /// Users active within the room's activity window.
    pub active_users: i64,
    /// Caller may read.
    pub read: bool,
    /// Caller may write.
    pub write: bool,
    /// Caller may upload (write and upload).
    pub upload: bool,
    /// The full room details, when they changed since `{info_updated}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<RoomDetails>,
    /// Present (true) when the caller is a moderator (admins included).
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

/// Body of `PUT /room/{token}` (admins), answered with
/// [`InfoUpdates`](super::common::InfoUpdates).
///
/// Every field is optional but at least one must be given ([`UpdateRoom::validate`]); unknown
/// keys are ignored. `name` and `image` may not be `null`; `description: null` clears the
/// description; the `default_*` flags take a boolean or an integer ([`quirks::bool_or_int`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct UpdateRoom {
    /// New display name (control characters are removed by the server).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "quirks::non_null"
    )]
    pub name: Option<String>,
    /// `Some(None)` clears the description (`null`); `None` leaves it.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "quirks::nullable"
    )]
    pub description: Option<Option<String>>,
    /// File id of a file uploaded to this room, to become the room image (406 otherwise).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "quirks::non_null"
    )]
    pub image: Option<i64>,
    /// New room default `read`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "quirks::bool_or_int"
    )]
    pub default_read: Option<bool>,
    /// New room default `accessible`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "quirks::bool_or_int"
    )]
    pub default_accessible: Option<bool>,
    /// New room default `write`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "quirks::bool_or_int"
    )]
    pub default_write: Option<bool>,
    /// New room default `upload`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "quirks::bool_or_int"
    )]
    pub default_upload: Option<bool>,
}

super::quirks::object_only!(UpdateRoom);

impl UpdateRoom {
    /// The body keys this type knows, in the server's order.
    pub const FIELDS: [&'static str; 7] = [
        "name",
        "description",
        "image",
        "default_read",
        "default_accessible",
        "default_write",
        "default_upload",
    ];

    /// The keys that were given, in [`Self::FIELDS`] order.
    pub fn fields(&self) -> Vec<&'static str> {
        let given = [
            self.name.is_some(),
            self.description.is_some(),
            self.image.is_some(),
            self.default_read.is_some(),
            self.default_accessible.is_some(),
            self.default_write.is_some(),
            self.default_upload.is_some(),
        ];
        Self::FIELDS
            .into_iter()
            .zip(given)
            .filter_map(|(field, given)| given.then_some(field))
            .collect()
    }

    /// The server's 400 text when no field is given.
    pub fn validate(&self) -> Result<(), String> {
        if self.fields().is_empty() {
            return Err(format!(
                "Invalid request: give at least one of {}",
                Self::FIELDS.join(", ")
            ));
        }
        Ok(())
    }
}
