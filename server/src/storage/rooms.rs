//! Queries on `rooms`: create, look up (case-insensitive token), list, update, delete.

use sqlx::PgExecutor;

use crate::domain::permissions::{Effective, RoomDefaults};
use crate::domain::room::Room;

/// Fields of a new room.
#[derive(Debug, Clone)]
pub struct NewRoom<'a> {
    /// Token (already validated).
    pub token: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Optional description.
    pub description: Option<&'a str>,
    /// Default permissions.
    pub defaults: RoomDefaults,
}

/// Fields to change on a room; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct RoomChanges {
    /// New name.
    pub name: Option<String>,
    /// New description (`Some(None)` clears it).
    pub description: Option<Option<String>>,
    /// New default permissions.
    pub defaults: Option<RoomDefaults>,
}

/// Why a room could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateRoomError {
    /// A room with that token (in any case) exists.
    #[error("room '{0}' already exists")]
    Duplicate(String),
    /// Any other database failure.
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

struct RoomRow {
    id: i64,
    token: String,
    name: String,
    description: Option<String>,
    image: Option<i64>,
    created: f64,
    message_sequence: i64,
    info_updates: i64,
    active_users: i64,
    read: bool,
    accessible: bool,
    write: bool,
    upload: bool,
}

impl From<RoomRow> for Room {
    fn from(r: RoomRow) -> Self {
        Room {
            id: r.id,
            token: r.token,
            name: r.name,
            description: r.description,
            image: r.image,
            created: r.created,
            message_sequence: r.message_sequence,
            info_updates: r.info_updates,
            active_users: r.active_users,
            defaults: RoomDefaults {
                read: r.read,
                accessible: r.accessible,
                write: r.write,
                upload: r.upload,
            },
        }
    }
}

/// Creates a room; a token already used in any case is [`CreateRoomError::Duplicate`].
pub async fn insert(db: impl PgExecutor<'_>, room: &NewRoom<'_>) -> Result<Room, CreateRoomError> {
    let d = room.defaults;
    sqlx::query_as!(
        RoomRow,
        r#"insert into rooms (token, name, description, read, accessible, write, upload)
           values ($1, $2, $3, $4, $5, $6, $7)
           returning id, token, name, description, image, created, message_sequence,
                     info_updates, active_users, read, accessible, write, upload"#,
        room.token,
        room.name,
        room.description,
        d.read,
        d.accessible,
        d.write,
        d.upload
    )
    .fetch_one(db)
    .await
    .map(Room::from)
    .map_err(
        |e| match e.as_database_error().and_then(|d| d.constraint()) {
            Some("rooms_token_key") => CreateRoomError::Duplicate(room.token.to_owned()),
            _ => CreateRoomError::Db(e),
        },
    )
}

/// The room with this token, compared case-insensitively.
pub async fn find_by_token(
    db: impl PgExecutor<'_>,
    token: &str,
) -> Result<Option<Room>, sqlx::Error> {
    let row = sqlx::query_as!(
        RoomRow,
        r#"select id, token, name, description, image, created, message_sequence,
                  info_updates, active_users, read, accessible, write, upload
           from rooms where lower(token) = lower($1)"#,
        token
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(Room::from))
}

/// Every room, ordered by token.
pub async fn list_all(db: impl PgExecutor<'_>) -> Result<Vec<Room>, sqlx::Error> {
    let rows = sqlx::query_as!(
        RoomRow,
        r#"select id, token, name, description, image, created, message_sequence,
                  info_updates, active_users, read, accessible, write, upload
           from rooms order by token"#
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(Room::from).collect())
}

/// Applies `changes`; name and description are separate statements, as in the reference
/// (each raises `info_updates` by one). Returns the updated room, or `None` if it does not exist.
pub async fn update(
    conn: &mut sqlx::PgConnection,
    room_id: i64,
    changes: &RoomChanges,
) -> Result<Option<Room>, sqlx::Error> {
    if let Some(name) = &changes.name {
        sqlx::query!(
            "update rooms set name = $2 where id = $1 and name <> $2",
            room_id,
            name
        )
        .execute(&mut *conn)
        .await?;
    }
    if let Some(description) = &changes.description {
        sqlx::query!(
            "update rooms set description = $2 where id = $1 and description is distinct from $2",
            room_id,
            description.as_deref()
        )
        .execute(&mut *conn)
        .await?;
    }
    if let Some(d) = changes.defaults {
        sqlx::query!(
            "update rooms set read = $2, accessible = $3, write = $4, upload = $5 where id = $1",
            room_id,
            d.read,
            d.accessible,
            d.write,
            d.upload
        )
        .execute(&mut *conn)
        .await?;
    }
    find_by_id(conn, room_id).await
}

/// The room with this id.
pub async fn find_by_id(
    db: impl PgExecutor<'_>,
    room_id: i64,
) -> Result<Option<Room>, sqlx::Error> {
    let row = sqlx::query_as!(
        RoomRow,
        r#"select id, token, name, description, image, created, message_sequence,
                  info_updates, active_users, read, accessible, write, upload
           from rooms where id = $1"#,
        room_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(Room::from))
}

/// Deletes a room with everything in it; returns whether it existed.
pub async fn delete(db: impl PgExecutor<'_>, room_id: i64) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!("delete from rooms where id = $1", room_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// One moderator of a room, as the `room_moderators` view lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomModerator {
    /// Room id.
    pub room: i64,
    /// Moderator's session id.
    pub session_id: String,
    /// Admin (implies moderator).
    pub admin: bool,
    /// Listed publicly.
    pub visible: bool,
}

/// Moderators and admins of the given rooms (room and global grants), without the system user.
pub async fn moderators(
    db: impl PgExecutor<'_>,
    room_ids: &[i64],
) -> Result<Vec<RoomModerator>, sqlx::Error> {
    sqlx::query_as!(
        RoomModerator,
        r#"select room as "room!", session_id as "session_id!", admin as "admin!",
                  visible_mod as "visible!"
           from room_moderators
           where room = any($1) and "user" <> 0
           order by session_id"#,
        room_ids
    )
    .fetch_all(db)
    .await
}

/// A pinned message of a room.
#[derive(Debug, Clone, PartialEq)]
pub struct Pin {
    /// Room id.
    pub room: i64,
    /// Message id.
    pub message: i64,
    /// Pin time.
    pub pinned_at: f64,
    /// Session id of who pinned it.
    pub pinned_by: String,
}

/// Pinned messages of the given rooms, in pin order.
pub async fn pins(db: impl PgExecutor<'_>, room_ids: &[i64]) -> Result<Vec<Pin>, sqlx::Error> {
    sqlx::query_as!(
        Pin,
        r#"select p.room, p.message, p.pinned_at, u.session_id as pinned_by
           from pinned_messages p join users u on u.id = p.pinned_by
           where p.room = any($1)
           order by p.pinned_at"#,
        room_ids
    )
    .fetch_all(db)
    .await
}

/// The room with this token and, for an authenticated caller, their effective permissions in
/// it, in one round trip.
pub async fn find_with_permissions(
    db: impl PgExecutor<'_>,
    token: &str,
    user_id: Option<i64>,
) -> Result<Option<(Room, Option<Effective>)>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select r.id, r.token, r.name, r.description, r.image, r.created, r.message_sequence,
                  r.info_updates, r.active_users, r.read, r.accessible, r.write, r.upload,
                  p.banned as "p_banned?", p.read as "p_read?", p.accessible as "p_accessible?",
                  p.write as "p_write?", p.upload as "p_upload?", p.moderator as "p_moderator?",
                  p.admin as "p_admin?", u.moderator as "g_moderator?", u.admin as "g_admin?"
           from rooms r
           left join user_permissions p on p.room = r.id and p."user" = $2
           left join users u on u.id = $2
           where lower(r.token) = lower($1)"#,
        token,
        user_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| {
        let perms = user_id.map(|_| Effective {
            banned: r.p_banned.unwrap_or(false),
            read: r.p_read.unwrap_or(false),
            accessible: r.p_accessible.unwrap_or(false),
            write: r.p_write.unwrap_or(false),
            upload: r.p_upload.unwrap_or(false),
            moderator: r.p_moderator.unwrap_or(false),
            admin: r.p_admin.unwrap_or(false),
            global_moderator: r.g_moderator.unwrap_or(false),
            global_admin: r.g_admin.unwrap_or(false),
        });
        let room = Room::from(RoomRow {
            id: r.id,
            token: r.token,
            name: r.name,
            description: r.description,
            image: r.image,
            created: r.created,
            message_sequence: r.message_sequence,
            info_updates: r.info_updates,
            active_users: r.active_users,
            read: r.read,
            accessible: r.accessible,
            write: r.write,
            upload: r.upload,
        });
        (room, perms)
    }))
}

/// Records many `(rooms[i], users[i])` as active at `now` (skipping rows written within 10 s
/// and pairs whose room or user no longer exists), without waiting for the WAL flush.
pub async fn touch_activity_many(
    db: &mut sqlx::PgConnection,
    rooms: &[i64],
    users: &[i64],
    now: f64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"with relaxed as (select set_config('synchronous_commit', 'off', true))
           insert into room_users (room, "user", last_active)
           select t.room, t.usr, $3::float8 from unnest($1::bigint[], $2::bigint[]) as t(room, usr), relaxed
           where exists (select 1 from rooms where id = t.room)
             and exists (select 1 from users where id = t.usr)
           on conflict (room, "user") do update set last_active = excluded.last_active
           where room_users.last_active < excluded.last_active - 10"#,
        rooms,
        users,
        now
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Makes a live file of this room the room image (the file becomes permanent; the previous
/// image expires by trigger). `false` if no such file is in the room.
pub async fn set_image(
    conn: &mut sqlx::PgConnection,
    room_id: i64,
    file_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query!(
        r#"with f as (
               update files set expiry = null
               where id = $2 and room = $1 and (expiry is null or expiry > extract(epoch from now()))
               returning id
           )
           update rooms set image = (select id from f) where id = $1 and exists (select 1 from f)"#,
        room_id,
        file_id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}
