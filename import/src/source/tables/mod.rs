//! The pysogs tables the importer reads, one plain struct each, with the columns it selects:
//! here the people and permission tables, in [`content`] the posts, files and messages. Casts
//! keep both backends alike (pysogs's PostgreSQL schema uses `citext` for room tokens).

use super::super::ImportError;
use super::value::RowReader;

/// How a table is paged.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Key {
    /// By this integer column, ascending (keyset paging).
    Id(&'static str),
    /// In this order, by offset (tables without an id).
    Order(&'static str),
}

/// A pysogs table read into `Self`, one row at a time.
pub(crate) trait Table: Sized {
    /// The source table.
    const NAME: &'static str;
    /// The select list, in the order [`Table::read`] takes the cells.
    const COLUMNS: &'static str;
    /// How to page through it.
    const KEY: Key;
    /// Converts one row.
    fn read(row: &mut RowReader) -> Result<Self, ImportError>;
    /// The paging key of a [`Key::Id`] table.
    fn key(&self) -> i64 {
        0
    }
}

macro_rules! table {
    ($ty:ident, $name:literal, $columns:literal, $key:expr, |$r:ident| $body:expr $(, key = $k:ident)?) => {
        impl Table for $ty {
            const NAME: &'static str = $name;
            const COLUMNS: &'static str = $columns;
            const KEY: Key = $key;
            fn read($r: &mut RowReader) -> Result<Self, ImportError> {
                Ok($body)
            }
            $(fn key(&self) -> i64 {
                self.$k
            })?
        }
    };
}

mod content;

pub(crate) use content::*;

/// `users`.
#[derive(Debug, Clone)]
pub(crate) struct UserRow {
    pub(crate) id: i64,
    pub(crate) session_id: String,
    pub(crate) created: f64,
    pub(crate) last_active: f64,
    pub(crate) banned: bool,
    pub(crate) moderator: bool,
    pub(crate) admin: bool,
    pub(crate) visible_mod: bool,
}

table!(
    UserRow,
    "users",
    "id, session_id, created, last_active, banned, moderator, admin, visible_mod",
    Key::Id("id"),
    |r| UserRow {
        id: r.i64()?,
        session_id: r.text()?,
        created: r.f64()?,
        last_active: r.f64()?,
        banned: r.bool()?,
        moderator: r.bool()?,
        admin: r.bool()?,
        visible_mod: r.bool()?,
    },
    key = id
);

/// `rooms`.
#[derive(Debug, Clone)]
pub(crate) struct RoomRow {
    pub(crate) id: i64,
    pub(crate) token: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) image: Option<i64>,
    pub(crate) created: f64,
    pub(crate) message_sequence: i64,
    pub(crate) info_updates: i64,
    pub(crate) active_users: i64,
    pub(crate) read: bool,
    pub(crate) accessible: bool,
    pub(crate) write: bool,
    pub(crate) upload: bool,
}

table!(
    RoomRow,
    "rooms",
    "id, CAST(token AS TEXT), name, description, image, created, message_sequence, info_updates, \
     active_users, read, accessible, write, upload",
    Key::Id("id"),
    |r| RoomRow {
        id: r.i64()?,
        token: r.text()?,
        name: r.text()?,
        description: r.opt_text()?,
        image: r.opt_i64()?,
        created: r.f64()?,
        message_sequence: r.i64()?,
        info_updates: r.i64()?,
        active_users: r.i64()?,
        read: r.bool()?,
        accessible: r.bool()?,
        write: r.bool()?,
        upload: r.bool()?,
    },
    key = id
);

/// `user_permission_overrides`: room bans, permission overrides, room moderators and admins.
#[derive(Debug, Clone)]
pub(crate) struct OverrideRow {
    pub(crate) room: i64,
    pub(crate) user: i64,
    pub(crate) banned: bool,
    pub(crate) read: Option<bool>,
    pub(crate) accessible: Option<bool>,
    pub(crate) write: Option<bool>,
    pub(crate) upload: Option<bool>,
    pub(crate) moderator: bool,
    pub(crate) admin: bool,
    pub(crate) visible_mod: bool,
}

table!(
    OverrideRow,
    "user_permission_overrides",
    "room, \"user\", banned, read, accessible, write, upload, moderator, admin, visible_mod",
    Key::Order("room, \"user\""),
    |r| OverrideRow {
        room: r.i64()?,
        user: r.i64()?,
        banned: r.bool()?,
        read: r.opt_bool()?,
        accessible: r.opt_bool()?,
        write: r.opt_bool()?,
        upload: r.opt_bool()?,
        moderator: r.bool()?,
        admin: r.bool()?,
        visible_mod: r.bool()?,
    }
);

/// `user_permission_futures`: scheduled read/write/upload changes.
#[derive(Debug, Clone)]
pub(crate) struct PermFutureRow {
    pub(crate) room: i64,
    pub(crate) user: i64,
    pub(crate) at: f64,
    pub(crate) read: Option<bool>,
    pub(crate) write: Option<bool>,
    pub(crate) upload: Option<bool>,
}

table!(
    PermFutureRow,
    "user_permission_futures",
    "room, \"user\", at, read, write, upload",
    Key::Order("at, room, \"user\""),
    |r| PermFutureRow {
        room: r.i64()?,
        user: r.i64()?,
        at: r.f64()?,
        read: r.opt_bool()?,
        write: r.opt_bool()?,
        upload: r.opt_bool()?,
    }
);

/// `user_ban_futures`: scheduled bans and unbans (room NULL = global).
#[derive(Debug, Clone)]
pub(crate) struct BanFutureRow {
    pub(crate) room: Option<i64>,
    pub(crate) user: i64,
    pub(crate) at: f64,
    pub(crate) banned: bool,
}

table!(
    BanFutureRow,
    "user_ban_futures",
    "room, \"user\", at, banned",
    Key::Order("at, room, \"user\", banned"),
    |r| BanFutureRow {
        room: r.opt_i64()?,
        user: r.i64()?,
        at: r.f64()?,
        banned: r.bool()?
    }
);

/// `room_users`: recent activity per room.
#[derive(Debug, Clone)]
pub(crate) struct RoomUserRow {
    pub(crate) room: i64,
    pub(crate) user: i64,
    pub(crate) last_active: f64,
}

table!(
    RoomUserRow,
    "room_users",
    "room, \"user\", last_active",
    Key::Order("room, \"user\""),
    |r| RoomUserRow {
        room: r.i64()?,
        user: r.i64()?,
        last_active: r.f64()?
    }
);

/// `needs_blinding`: unblinded users whose grants move to their blinded id at first login
/// (read with the user's session id, which gives the blind25 id our schema also keeps).
#[derive(Debug, Clone)]
pub(crate) struct NeedsBlindingRow {
    pub(crate) blinded_abs: String,
    pub(crate) user: i64,
    pub(crate) session_id: Option<String>,
}

table!(
    NeedsBlindingRow,
    "needs_blinding LEFT JOIN users ON users.id = needs_blinding.\"user\"",
    "needs_blinding.blinded_abs, needs_blinding.\"user\", users.session_id",
    Key::Order("needs_blinding.\"user\""),
    |r| NeedsBlindingRow {
        blinded_abs: r.text()?,
        user: r.i64()?,
        session_id: r.opt_text()?
    }
);

/// `user_request_nonces`: nonces already used (replay protection carries over).
#[derive(Debug, Clone)]
pub(crate) struct NonceRow {
    pub(crate) user: i64,
    pub(crate) nonce: Vec<u8>,
    pub(crate) expiry: f64,
}

table!(
    NonceRow,
    "user_request_nonces",
    "\"user\", nonce, expiry",
    Key::Order("nonce"),
    |r| NonceRow {
        user: r.i64()?,
        nonce: r.bytes()?,
        expiry: r.f64()?
    }
);
