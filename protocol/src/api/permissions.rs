//! Per-user room permissions and their scheduled changes (moderators):
//! `/room/{token}/permissions[/{id}]` and `/room/{token}/futurePermissions[/{id}]`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::quirks;

/// One user's permission override, simplified as pysogs `addExtraPermInfo` does: only the
/// overridden permissions, `admin` or `moderator` (never both), `hidden` for a hidden moderator,
/// `banned` only when true. `{}` when the user has no override.
///
/// Answer of `GET|POST /room/{token}/permissions/{id}`; the values of [`RoomPermissions`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserPermissions {
    /// Read override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<bool>,
    /// Accessible override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessible: Option<bool>,
    /// Write override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write: Option<bool>,
    /// Upload override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload: Option<bool>,
    /// Present (true) for a room moderator that is not an admin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moderator: Option<bool>,
    /// Present (true) for a room admin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin: Option<bool>,
    /// Present (true) for a moderator or admin not shown in the room details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden: Option<bool>,
    /// Present (true) when banned from the room.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub banned: Option<bool>,
}

/// Answer of `GET /room/{token}/permissions`: every override row of the room, by session id.
pub type RoomPermissions = BTreeMap<String, UserPermissions>;

/// Body of `POST /room/{token}/permissions/{id}`, answered with the user's [`UserPermissions`].
///
/// `read`/`accessible`/`write`/`upload` take `true`, `false` or `null` (no change; any other type
/// is 400); `default_<p>` resets `<p>` to the room default when truthy ([`quirks::truthy`]);
/// `unschedule` is true unless exactly `false` ([`quirks::unless_false`]). See
/// [`SetPermissions::validate`] for the rules between fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct SetPermissions {
    /// Set the read override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<bool>,
    /// Set the accessible override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessible: Option<bool>,
    /// Set the write override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write: Option<bool>,
    /// Set the upload override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload: Option<bool>,
    /// Reset the read override to the room default.
    #[serde(
        default,
        skip_serializing_if = "is_false",
        deserialize_with = "quirks::truthy"
    )]
    pub default_read: bool,
    /// Reset the accessible override to the room default.
    #[serde(
        default,
        skip_serializing_if = "is_false",
        deserialize_with = "quirks::truthy"
    )]
    pub default_accessible: bool,
    /// Reset the write override to the room default.
    #[serde(
        default,
        skip_serializing_if = "is_false",
        deserialize_with = "quirks::truthy"
    )]
    pub default_write: bool,
    /// Reset the upload override to the room default.
    #[serde(
        default,
        skip_serializing_if = "is_false",
        deserialize_with = "quirks::truthy"
    )]
    pub default_upload: bool,
    /// Clear scheduled changes of each permission being set (default true).
    #[serde(
        default = "yes",
        skip_serializing_if = "is_true",
        deserialize_with = "quirks::unless_false"
    )]
    pub unschedule: bool,
}

super::quirks::object_only!(SetPermissions);

impl Default for SetPermissions {
    fn default() -> Self {
        Self {
            read: None,
            accessible: None,
            write: None,
            upload: None,
            default_read: false,
            default_accessible: false,
            default_write: false,
            default_upload: false,
            unschedule: true,
        }
    }
}

impl SetPermissions {
    /// `(name, value, reset)` of each permission, in `read, accessible, write, upload` order.
    pub fn changes(&self) -> [(&'static str, Option<bool>, bool); 4] {
        [
            ("read", self.read, self.default_read),
            ("accessible", self.accessible, self.default_accessible),
            ("write", self.write, self.default_write),
            ("upload", self.upload, self.default_upload),
        ]
    }

    /// The server's 400 texts: a permission given with its `default_` reset, or nothing to change.
    pub fn validate(&self) -> Result<(), String> {
        if let Some((p, ..)) = self
            .changes()
            .iter()
            .find(|(_, v, reset)| v.is_some() && *reset)
        {
            return Err(format!(
                "Invalid request: cannot use `{p}` with `default_{p}`"
            ));
        }
        if self
            .changes()
            .iter()
            .all(|(_, v, reset)| v.is_none() && !reset)
        {
            return Err("Invalid request: no permission to change".into());
        }
        Ok(())
    }
}

/// One scheduled change: a permission change or a room ban/unban (`banned: false` is an unban).
///
/// Elements of the answers of `GET /room/{token}/futurePermissions` (with `session_id`) and of
/// `GET|POST /room/{token}/futurePermissions/{id}` (without), ordered by `at`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FuturePermission {
    /// The user; omitted in the per-user lists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    /// When it applies, epoch seconds.
    pub at: f64,
    /// New read override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<bool>,
    /// New write override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write: Option<bool>,
    /// New upload override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload: Option<bool>,
    /// Ban (true) or unban (false).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub banned: Option<bool>,
}

/// Body of `POST /room/{token}/futurePermissions/{id}`, answered with the user's
/// `Vec<`[`FuturePermission`]`>`.
///
/// At least one of `read`/`write`/`upload` (`true`/`false`; `null` means unchanged) and
/// `in`, a number of seconds in (0, 1e9); see [`SchedulePermissions::validate`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct SchedulePermissions {
    /// Future read override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read: Option<bool>,
    /// Future write override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write: Option<bool>,
    /// Future upload override.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload: Option<bool>,
    /// Seconds from now (`in` on the wire; an integer or a float).
    #[serde(rename = "in", default, skip_serializing_if = "Option::is_none")]
    pub delay: Option<f64>,
}

super::quirks::object_only!(SchedulePermissions);

impl SchedulePermissions {
    /// The server's 400 texts, checked in its order; `Ok` holds the delay.
    pub fn validate(&self) -> Result<f64, &'static str> {
        if self.read.is_none() && self.write.is_none() && self.upload.is_none() {
            return Err("Invalid request: one of read, write or upload is required");
        }
        self.delay
            .filter(|d| *d > 0.0 && *d < 1e9)
            .ok_or("Invalid request: `in` must be a number of seconds in (0, 1e9)")
    }
}

fn yes() -> bool {
    true
}

fn is_true(b: &bool) -> bool {
    *b
}

fn is_false(b: &bool) -> bool {
    !*b
}
