//! A user's permission override row in one room and its wire form (pysogs `addExtraPermInfo`).

use sogs_protocol::api::permissions::UserPermissions;

use crate::domain::permissions::RoomDefaults;

/// One `user_permission_overrides` row; `None` permissions follow the room default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Override {
    /// The user's displayed session id.
    pub session_id: String,
    /// Banned from the room.
    pub banned: bool,
    /// Read override.
    pub read: Option<bool>,
    /// Accessible override.
    pub accessible: Option<bool>,
    /// Write override.
    pub write: Option<bool>,
    /// Upload override.
    pub upload: Option<bool>,
    /// Room moderator.
    pub moderator: bool,
    /// Room admin.
    pub admin: bool,
    /// Listed publicly as a moderator.
    pub visible_mod: bool,
}

impl Override {
    /// The simplified permissions clients see: set permissions only, `admin` or `moderator`
    /// (not both), `hidden` for hidden mods, `banned` only when true.
    pub fn simplified(&self) -> UserPermissions {
        let flag = |on: bool| on.then_some(true);
        UserPermissions {
            read: self.read,
            accessible: self.accessible,
            write: self.write,
            upload: self.upload,
            moderator: flag(self.moderator && !self.admin),
            admin: flag(self.moderator && self.admin),
            hidden: flag(self.moderator && !self.visible_mod),
            banned: flag(self.banned),
        }
    }
}

/// A change to one tri-state permission: leave it, or set it to a value or back to the default.
pub type PermChange = Option<Option<bool>>;

/// A permission and its `default_<p>` reset were both given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a permission and its default flag were both given")]
pub struct BothGiven;

/// The changes of `POST /room/<t>/permissions/<id>`, in `read, accessible, write, upload` order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OverrideChanges {
    /// Read.
    pub read: PermChange,
    /// Accessible.
    pub accessible: PermChange,
    /// Write.
    pub write: PermChange,
    /// Upload.
    pub upload: PermChange,
}

impl OverrideChanges {
    /// Combines a permission's value and its `default_<p>` flag; both given is an error.
    pub fn combine(value: Option<bool>, reset: bool) -> Result<PermChange, BothGiven> {
        match (value, reset) {
            (Some(_), true) => Err(BothGiven),
            (Some(v), false) => Ok(Some(Some(v))),
            (None, true) => Ok(Some(None)),
            (None, false) => Ok(None),
        }
    }

    /// Whether nothing would change.
    pub fn is_empty(&self) -> bool {
        [self.read, self.accessible, self.write, self.upload]
            .iter()
            .all(Option::is_none)
    }
}

impl OverrideChanges {
    /// The changes named by `rwua` letter sets: `add` grants, `remove` revokes, `clear` resets
    /// to the room default. A letter may appear in only one set.
    pub fn from_letters(add: &str, remove: &str, clear: &str) -> Result<Self, String> {
        let mut changes = Self::default();
        for (letters, change) in [(add, Some(true)), (remove, Some(false)), (clear, None)] {
            for c in letters.chars() {
                let slot = match c {
                    'r' => &mut changes.read,
                    'w' => &mut changes.write,
                    'u' => &mut changes.upload,
                    'a' => &mut changes.accessible,
                    other => {
                        return Err(format!(
                            "unknown permission letter {other:?}: use r, w, u or a"
                        ));
                    }
                };
                if slot.replace(change).is_some() {
                    return Err(format!("permission letter {c:?} given more than once"));
                }
            }
        }
        Ok(changes)
    }

    /// Room defaults with these changes applied; a reset (clear) has no meaning there.
    pub fn apply_to_defaults(&self, defaults: RoomDefaults) -> Result<RoomDefaults, String> {
        let pick = |change: PermChange, current: bool| match change {
            None => Ok(current),
            Some(Some(v)) => Ok(v),
            Some(None) => Err("room defaults cannot be cleared: use --add or --remove".to_owned()),
        };
        Ok(RoomDefaults {
            read: pick(self.read, defaults.read)?,
            accessible: pick(self.accessible, defaults.accessible)?,
            write: pick(self.write, defaults.write)?,
            upload: pick(self.upload, defaults.upload)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn simplification_table() {
        let base = Override::default();
        let cases = [
            (
                Override {
                    moderator: true,
                    visible_mod: true,
                    ..base.clone()
                },
                json!({"moderator": true}),
            ),
            (
                Override {
                    moderator: true,
                    admin: true,
                    ..base.clone()
                },
                json!({"admin": true, "hidden": true}),
            ),
            (
                Override {
                    read: Some(true),
                    write: Some(false),
                    ..base.clone()
                },
                json!({"read": true, "write": false}),
            ),
            (
                Override {
                    banned: true,
                    ..base.clone()
                },
                json!({"banned": true}),
            ),
            (base.clone(), json!({})),
        ];
        for (row, expected) in cases {
            let simplified = serde_json::to_value(row.simplified()).unwrap();
            assert_eq!(simplified, expected, "{row:?}");
        }
    }

    #[test]
    fn letter_sets() {
        let c = OverrideChanges::from_letters("r", "wu", "a").unwrap();
        assert_eq!(
            (c.read, c.write, c.upload, c.accessible),
            (
                Some(Some(true)),
                Some(Some(false)),
                Some(Some(false)),
                Some(None)
            )
        );
        assert!(OverrideChanges::from_letters("r", "r", "").is_err());
        assert!(OverrideChanges::from_letters("x", "", "").is_err());
        let defaults = RoomDefaults::default();
        let read_only = OverrideChanges::from_letters("", "wu", "")
            .unwrap()
            .apply_to_defaults(defaults)
            .unwrap();
        assert_eq!(read_only.to_letters(), "ra");
        assert!(
            OverrideChanges::from_letters("", "", "r")
                .unwrap()
                .apply_to_defaults(defaults)
                .is_err()
        );
    }

    #[test]
    fn a_value_and_its_default_flag_conflict() {
        assert_eq!(
            OverrideChanges::combine(Some(false), false),
            Ok(Some(Some(false)))
        );
        assert_eq!(OverrideChanges::combine(None, true), Ok(Some(None)));
        assert_eq!(OverrideChanges::combine(None, false), Ok(None));
        assert!(OverrideChanges::combine(Some(true), true).is_err());
    }
}
