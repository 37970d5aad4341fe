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
        Self { read: true, accessible: true, write: true, upload: true }
    }
}

impl RoomDefaults {
    /// Exactly the letters given are granted, e.g. `"ra"` is a read-only room.
    pub fn from_letters(letters: &str) -> Result<Self, BadPermissionLetter> {
        let mut perms = Self { read: false, accessible: false, write: false, upload: false };
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
        [(self.read, 'r'), (self.write, 'w'), (self.upload, 'u'), (self.accessible, 'a')]
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
            assert_eq!(RoomDefaults::from_letters(letters).unwrap().to_letters(), letters);
        }
        assert_eq!(RoomDefaults::from_letters("x"), Err(BadPermissionLetter('x')));
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

    fn plain(&self, flag: bool) -> bool {
        self.moderator || (!self.banned && flag)
    }

    /// May see the room at all (its metadata).
    pub fn can_access(&self) -> bool {
        self.plain(self.accessible || self.read)
    }

    /// May read messages.
    pub fn can_read(&self) -> bool {
        self.plain(self.read)
    }

    /// May post.
    pub fn can_write(&self) -> bool {
        self.plain(self.write)
    }

    /// May upload: write and upload.
    pub fn can_upload(&self) -> bool {
        self.plain(self.write && self.upload)
    }
}

#[cfg(test)]
mod effective_tests {
    use super::*;

    fn user(banned: bool, read: bool, write: bool, moderator: bool) -> Effective {
        Effective { banned, read, accessible: false, write, upload: true, moderator, ..Effective::default() }
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
                (perms.can_access(), perms.can_read(), perms.can_write(), perms.can_upload()),
                (access, read, write, upload),
                "{perms:?}"
            );
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
