//! Moderation rules shared by the HTTP routes and the admin CLI: which rooms a request targets,
//! what a moderator grant change means, who may ban whom (spec §2.4, §6.4).

use crate::domain::permissions::Effective;

/// Where a moderation action applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Server-wide (the flags on `users`).
    Global,
    /// Every room where the caller holds the power (`["*"]`).
    AllRooms,
    /// Exactly these room tokens.
    Rooms(Vec<String>),
}

impl Scope {
    /// Parses the `rooms` / `global` pair of a `/user/<id>/…` body (pysogs
    /// `extract_rooms_or_global`): exactly one must be given, `"*"` must stand alone.
    pub fn parse(rooms: Option<Vec<String>>, global: bool) -> Result<Self, &'static str> {
        let rooms = rooms.filter(|r| !r.is_empty());
        match (rooms, global) {
            (Some(_), true) => Err("Invalid request: cannot specify both 'rooms' and 'global'"),
            (None, false) => Err("Invalid request: neither 'rooms' nor 'global' specified"),
            (None, true) => Ok(Self::Global),
            (Some(r), false) if r.len() > 1 && r.iter().any(|t| t == "*") => {
                Err("Invalid request: room '*' must be the only rooms value")
            }
            (Some(r), false) if r == ["*"] => Ok(Self::AllRooms),
            (Some(r), false) => Ok(Self::Rooms(r)),
        }
    }
}

/// A change to someone's moderator role, from the `admin` / `moderator` pair of
/// `POST /user/<id>/moderator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModChange {
    /// Grant admin (and so moderator).
    AddAdmin,
    /// Grant moderator, keeping admin if present.
    AddModerator,
    /// Remove moderator and admin.
    RemoveModerator,
    /// Remove admin only.
    RemoveAdmin,
    /// Remove admin, then grant moderator.
    DemoteToModerator,
}

impl ModChange {
    /// The change an `(admin, moderator)` pair asks for; `Err` for the impossible pairs.
    pub fn from_flags(admin: Option<bool>, moderator: Option<bool>) -> Result<Self, &'static str> {
        match (admin, moderator) {
            (None, None) => {
                Err("Invalid request: at least one of admin/moderator must be specified")
            }
            (Some(true), Some(false)) => {
                Err("Invalid request: admin=true with moderator=false is impossible")
            }
            (Some(true), _) => Ok(Self::AddAdmin),
            (None, Some(true)) => Ok(Self::AddModerator),
            (_, Some(false)) => Ok(Self::RemoveModerator),
            (Some(false), None) => Ok(Self::RemoveAdmin),
            (Some(false), Some(true)) => Ok(Self::DemoteToModerator),
        }
    }

    /// The `(moderator, admin)` flags a grant sets, or `None` for a pure removal.
    pub fn grant(self) -> Option<(bool, bool)> {
        match self {
            Self::AddAdmin => Some((true, true)),
            Self::AddModerator => Some((true, false)),
            Self::DemoteToModerator => Some((true, false)),
            Self::RemoveModerator | Self::RemoveAdmin => None,
        }
    }

    /// The moderation-log action.
    pub fn action(self) -> ModAction {
        match self {
            Self::AddAdmin => ModAction::AddAdmin,
            Self::AddModerator | Self::DemoteToModerator => ModAction::AddModerator,
            Self::RemoveModerator => ModAction::RemoveModerator,
            Self::RemoveAdmin => ModAction::RemoveAdmin,
        }
    }
}

/// Why a ban is refused (each answered 403 `Permission denied`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BanRefused {
    /// The caller is not a moderator of the room (or not a global moderator).
    #[error("the caller is not a moderator")]
    NotModerator,
    /// Nobody may ban themself.
    #[error("self-ban not permitted")]
    SelfBan,
    /// Global moderators and admins cannot be banned.
    #[error("global mods/admins cannot be banned")]
    GlobalModerator,
    /// Banning a room moderator or admin needs an admin.
    #[error("only admins can ban room mods/admins")]
    NeedsAdmin,
}

/// The room-ban rule (pysogs `Room.ban_user`): `actor` bans `target` (their effective
/// permissions in the room, and whether they are the same user).
pub fn check_room_ban(
    actor: &Effective,
    target: &Effective,
    same_user: bool,
) -> Result<(), BanRefused> {
    if !actor.moderator {
        Err(BanRefused::NotModerator)
    } else if same_user {
        Err(BanRefused::SelfBan)
    } else if target.global_moderator {
        Err(BanRefused::GlobalModerator)
    } else if target.moderator && !actor.admin {
        Err(BanRefused::NeedsAdmin)
    } else {
        Ok(())
    }
}

/// The global-ban rule (pysogs `User.ban`): a global moderator bans a non-moderator.
pub fn check_global_ban(
    actor_global_mod: bool,
    target_global_mod: bool,
    same_user: bool,
) -> Result<(), BanRefused> {
    if !actor_global_mod {
        Err(BanRefused::NotModerator)
    } else if same_user {
        Err(BanRefused::SelfBan)
    } else if target_global_mod {
        Err(BanRefused::GlobalModerator)
    } else {
        Ok(())
    }
}

/// Parses a ban duration such as `1d`, `2h`, `30m`, `45s` or `90` (seconds) into seconds.
pub fn parse_duration(text: &str) -> Result<f64, String> {
    let text = text.trim();
    let (number, unit) = match text.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&text[..i], c),
        _ => (text, 's'),
    };
    let scale = match unit {
        's' => 1.0,
        'm' => 60.0,
        'h' => 3600.0,
        'd' => 86_400.0,
        'w' => 604_800.0,
        _ => {
            return Err(format!(
                "unknown duration unit in {text:?}: use s, m, h, d or w"
            ));
        }
    };
    match number.parse::<f64>() {
        Ok(n) if n > 0.0 && n.is_finite() => Ok(n * scale),
        _ => Err(format!(
            "invalid duration {text:?}: expected e.g. 1d, 2h, 30m"
        )),
    }
}

/// Every kind of moderation-log entry; [`ModAction::as_str`] is the `action` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModAction {
    /// A user made admin.
    AddAdmin,
    /// A user made moderator (or an admin demoted to moderator).
    AddModerator,
    /// A moderator removed.
    RemoveModerator,
    /// An admin removed.
    RemoveAdmin,
    /// A user banned (details: `until`).
    Ban,
    /// A ban lifted.
    Unban,
    /// Permission overrides set (details: the changes).
    SetPermissions,
    /// Permission changes scheduled for later (details: the request).
    SchedulePermissions,
    /// All of a user's posts deleted (details: `count`).
    DeleteAllPosts,
    /// Someone else's message deleted (details: `message`).
    DeleteMessage,
    /// Reactions removed by a moderator (details: `message`, `reaction`, `removed`).
    DeleteReactions,
    /// A message pinned (details: `message`).
    Pin,
    /// One or every message unpinned (details: `message`, `unpinned`).
    Unpin,
    /// Room details changed (details: `fields`).
    UpdateRoom,
    /// The room image set (details: `file`).
    SetRoomImage,
    /// A room deleted (details: `token`, `name`).
    DeleteRoom,
    /// A session-pysogs instance imported (details: source and counts).
    ImportPysogs,
}

impl ModAction {
    /// The name stored in `moderation_log.action`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AddAdmin => "add_admin",
            Self::AddModerator => "add_moderator",
            Self::RemoveModerator => "remove_moderator",
            Self::RemoveAdmin => "remove_admin",
            Self::Ban => "ban",
            Self::Unban => "unban",
            Self::SetPermissions => "set_permissions",
            Self::SchedulePermissions => "schedule_permissions",
            Self::DeleteAllPosts => "delete_all_posts",
            Self::DeleteMessage => "delete_message",
            Self::DeleteReactions => "delete_reactions",
            Self::Pin => "pin",
            Self::Unpin => "unpin",
            Self::UpdateRoom => "update_room",
            Self::SetRoomImage => "set_room_image",
            Self::DeleteRoom => "delete_room",
            Self::ImportPysogs => "import_pysogs",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rooms(r: &[&str]) -> Option<Vec<String>> {
        Some(r.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1d"), Ok(86_400.0));
        assert_eq!(parse_duration("2h"), Ok(7200.0));
        assert_eq!(parse_duration("30m"), Ok(1800.0));
        assert_eq!(parse_duration("90"), Ok(90.0));
        for bad in ["", "d", "-1h", "3y", "1.5.2m"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn scopes() {
        assert_eq!(Scope::parse(None, true), Ok(Scope::Global));
        assert_eq!(Scope::parse(rooms(&["*"]), false), Ok(Scope::AllRooms));
        assert_eq!(
            Scope::parse(rooms(&["a", "b"]), false),
            Ok(Scope::Rooms(vec!["a".into(), "b".into()]))
        );
        for (r, g) in [
            (rooms(&["a"]), true),
            (None, false),
            (rooms(&[]), false),
            (rooms(&["*", "a"]), false),
        ] {
            assert!(Scope::parse(r.clone(), g).is_err(), "{r:?} {g}");
        }
    }

    #[test]
    fn moderator_flag_table() {
        use ModChange::*;
        let t = Some(true);
        let f = Some(false);
        let cases = [
            ((t, None), Ok(AddAdmin)),
            ((t, t), Ok(AddAdmin)),
            ((None, t), Ok(AddModerator)),
            ((None, f), Ok(RemoveModerator)),
            ((f, f), Ok(RemoveModerator)),
            ((f, None), Ok(RemoveAdmin)),
            ((f, t), Ok(DemoteToModerator)),
        ];
        for ((admin, moderator), expected) in cases {
            assert_eq!(
                ModChange::from_flags(admin, moderator),
                expected,
                "{admin:?} {moderator:?}"
            );
        }
        assert!(ModChange::from_flags(t, f).is_err());
        assert!(ModChange::from_flags(None, None).is_err());
    }

    #[test]
    fn room_ban_table() {
        let plain = Effective::default();
        let moderator = Effective {
            moderator: true,
            ..plain
        };
        let admin = Effective {
            admin: true,
            ..moderator
        };
        let global = Effective {
            global_moderator: true,
            ..moderator
        };
        let cases = [
            (plain, plain, false, Err(BanRefused::NotModerator)),
            (moderator, plain, true, Err(BanRefused::SelfBan)),
            (admin, global, false, Err(BanRefused::GlobalModerator)),
            (moderator, moderator, false, Err(BanRefused::NeedsAdmin)),
            (admin, moderator, false, Ok(())),
            (moderator, plain, false, Ok(())),
        ];
        for (actor, target, same, expected) in cases {
            assert_eq!(
                check_room_ban(&actor, &target, same),
                expected,
                "{actor:?} {target:?}"
            );
        }
        assert_eq!(
            check_global_ban(true, true, false),
            Err(BanRefused::GlobalModerator)
        );
        assert_eq!(
            check_global_ban(false, false, false),
            Err(BanRefused::NotModerator)
        );
        assert_eq!(check_global_ban(true, false, false), Ok(()));
    }
}
