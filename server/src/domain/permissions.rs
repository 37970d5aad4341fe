//! Room default permissions and their `rwua` letter form (read, write, upload, accessible).

use serde::Serialize;

/// The four per-room permission flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RoomDefaults {
    /// May read messages.
    pub read: bool,
    /// May see the room's metadata even without read.
    pub accessible: bool,
    /// May post.
    pub write: bool,
    /// May upload files (needs write too).
    pub upload: bool,
}

/// A letter outside `rwua`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown permission letter {0:?}: use r (read), w (write), u (upload), a (accessible)")]
pub struct BadPermissionLetter(pub char);

impl Default for RoomDefaults {
    fn default() -> Self {
        Self {
            read: true,
            accessible: true,
            write: true,
            upload: true,
        }
    }
}

impl RoomDefaults {
    /// Exactly the letters given are granted, e.g. `"ra"` is a read-only room.
    pub fn from_letters(letters: &str) -> Result<Self, BadPermissionLetter> {
        let mut perms = Self {
            read: false,
            accessible: false,
            write: false,
            upload: false,
        };
        for c in letters.chars() {
            match c {
                'r' => perms.read = true,
                'w' => perms.write = true,
                'u' => perms.upload = true,
                'a' => perms.accessible = true,
                other => return Err(BadPermissionLetter(other)),
            }
        }
        Ok(perms)
    }

    /// The granted flags as letters, in `rwua` order.
    pub fn to_letters(self) -> String {
        [
            (self.read, 'r'),
            (self.write, 'w'),
            (self.upload, 'u'),
            (self.accessible, 'a'),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, c)| *c)
        .collect()
    }

    /// `+read, -write, …` as the reference CLI prints them.
    pub fn describe(self) -> String {
        let sign = |on: bool| if on { '+' } else { '-' };
        format!(
            "{}read, {}write, {}upload, {}accessible",
            sign(self.read),
            sign(self.write),
            sign(self.upload),
            sign(self.accessible)
        )
    }

    /// Whether an anonymous caller can see the room (read or accessible).
    pub fn visible(self) -> bool {
        self.read || self.accessible
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_round_trip() {
        for letters in ["", "r", "ra", "rwua", "wu"] {
            assert_eq!(
                RoomDefaults::from_letters(letters).unwrap().to_letters(),
                letters
            );
        }
        assert_eq!(
            RoomDefaults::from_letters("x"),
            Err(BadPermissionLetter('x'))
        );
    }

    #[test]
    fn a_secret_room_is_invisible() {
        assert!(!RoomDefaults::from_letters("").unwrap().visible());
        assert!(RoomDefaults::from_letters("a").unwrap().visible());
    }
}

/// A caller's effective permissions in one room (§6.1 of the spec), resolved from the room
/// defaults, the caller's override row and the global flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Effective {
    /// Banned in the room or globally.
    pub banned: bool,
    /// Effective read.
    pub read: bool,
    /// Effective accessible.
    pub accessible: bool,
    /// Effective write.
    pub write: bool,
    /// Effective upload.
    pub upload: bool,
    /// Room or global moderator (admins included).
    pub moderator: bool,
    /// Room or global admin.
    pub admin: bool,
    /// Global moderator.
    pub global_moderator: bool,
    /// Global admin.
    pub global_admin: bool,
}

impl Effective {
    /// What an anonymous caller gets: the room defaults, never banned, never a moderator.
    pub fn anonymous(defaults: RoomDefaults) -> Self {
        Self {
            read: defaults.read,
            accessible: defaults.accessible,
            write: defaults.write,
            upload: defaults.upload,
            ..Self::default()
        }
    }

    /// The one permission check (spec §6.1, pysogs `check_permission`): admins pass everything;
    /// moderators pass everything but [`Need::Admin`]; everyone else must be unbanned and hold
    /// the flag (`accessible` is satisfied by read too, `upload` needs write as well).
    pub fn allows(&self, need: Need) -> bool {
        if self.admin {
            return true;
        }
        match need {
            Need::Admin => false,
            _ if self.moderator => true,
            Need::Moderator => false,
            Need::Access => !self.banned && (self.accessible || self.read),
            Need::Read => !self.banned && self.read,
            Need::Write => !self.banned && self.write,
            Need::Upload => !self.banned && self.write && self.upload,
        }
    }

    /// May see the room at all (its metadata).
    pub fn can_access(&self) -> bool {
        self.allows(Need::Access)
    }

    /// May read messages.
    pub fn can_read(&self) -> bool {
        self.allows(Need::Read)
    }

    /// May post.
    pub fn can_write(&self) -> bool {
        self.allows(Need::Write)
    }

    /// May upload: write and upload.
    pub fn can_upload(&self) -> bool {
        self.allows(Need::Upload)
    }
}

/// What a room operation requires of its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// See the room's metadata (`accessible` or `read`).
    Access,
    /// Read messages.
    Read,
    /// Post.
    Write,
    /// Upload files (write and upload).
    Upload,
    /// Room or global moderator.
    Moderator,
    /// Room or global admin.
    Admin,
}

#[cfg(test)]
mod effective_tests {
    use super::*;

    fn user(banned: bool, read: bool, write: bool, moderator: bool) -> Effective {
        Effective {
            banned,
            read,
            accessible: false,
            write,
            upload: true,
            moderator,
            ..Effective::default()
        }
    }

    #[test]
    fn resolution_table() {
        // (effective row, access, read, write, upload)
        let cases = [
            (user(false, true, true, false), true, true, true, true),
            (user(true, true, true, false), false, false, false, false),
            (user(false, false, false, false), false, false, false, false),
            (user(false, false, false, true), true, true, true, true),
            (user(false, true, false, false), true, true, false, false),
        ];
        for (perms, access, read, write, upload) in cases {
            assert_eq!(
                (
                    perms.can_access(),
                    perms.can_read(),
                    perms.can_write(),
                    perms.can_upload()
                ),
                (access, read, write, upload),
                "{perms:?}"
            );
        }
    }

    #[test]
    fn roles_pass_checks_in_the_reference_order() {
        use Need::*;
        let banned_mod = Effective {
            banned: true,
            moderator: true,
            ..Effective::default()
        };
        let admin = Effective {
            admin: true,
            moderator: true,
            ..Effective::default()
        };
        let plain = Effective {
            read: true,
            accessible: true,
            write: true,
            upload: true,
            ..Effective::default()
        };
        let no_write_upload = Effective {
            upload: true,
            ..plain
        };
        let no_write = Effective {
            write: false,
            ..plain
        };
        let accessible_only = Effective {
            accessible: true,
            ..Effective::default()
        };
        // (perms, [Access, Read, Write, Upload, Moderator, Admin])
        let cases = [
            (admin, [true, true, true, true, true, true]),
            (banned_mod, [true, true, true, true, true, false]),
            (plain, [true, true, true, true, false, false]),
            (
                Effective {
                    banned: true,
                    ..plain
                },
                [false, false, false, false, false, false],
            ),
            (no_write, [true, true, false, false, false, false]),
            (
                Effective {
                    write: false,
                    ..no_write_upload
                },
                [true, true, false, false, false, false],
            ),
            (accessible_only, [true, false, false, false, false, false]),
            (Effective::default(), [false; 6]),
        ];
        for (perms, expected) in cases {
            let got = [Access, Read, Write, Upload, Moderator, Admin].map(|n| perms.allows(n));
            assert_eq!(got, expected, "{perms:?}");
        }
    }

    #[test]
    fn anonymous_callers_get_the_defaults() {
        let secret = Effective::anonymous(RoomDefaults::from_letters("").unwrap_or_default());
        assert!(!secret.can_access());
        let read_only = Effective::anonymous(RoomDefaults::from_letters("ra").unwrap_or_default());
        assert!(read_only.can_read() && !read_only.can_write());
    }
}
