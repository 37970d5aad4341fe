//! Moderator grants, bans and the moderation log (spec §2.4, §6.4, §6.5). Every function
//! takes the caller's transaction, so an action and its log entry commit together.

use sqlx::PgConnection;

/// A room where the caller holds moderation power.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoweredRoom {
    /// Room id.
    pub id: i64,
    /// Room token.
    pub token: String,
}

/// The rooms where `user` is a moderator (or an admin, with `need_admin`), limited to
/// `tokens` (case-insensitive) when given, ordered by token.
pub async fn rooms_with_power(
    conn: &mut PgConnection,
    user: i64,
    tokens: Option<&[String]>,
    need_admin: bool,
) -> Result<Vec<PoweredRoom>, sqlx::Error> {
    let lowered: Option<Vec<String>> = tokens.map(|t| t.iter().map(|s| s.to_lowercase()).collect());
    sqlx::query_as!(
        PoweredRoom,
        r#"select r.id, r.token from rooms r
           join user_permissions p on p.room = r.id and p."user" = $1
           where p.moderator and (not $3 or p.admin)
             and ($2::text[] is null or lower(r.token) = any($2))
           order by r.token"#,
        user,
        lowered.as_deref(),
        need_admin
    )
    .fetch_all(&mut *conn)
    .await
}

/// Grants room moderator (keeping `admin` when `None`) with the given visibility; lifts a room ban.
pub async fn set_room_moderator(
    conn: &mut PgConnection,
    room: i64,
    user: i64,
    admin: Option<bool>,
    visible: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"insert into user_permission_overrides (room, "user", moderator, admin, visible_mod)
           values ($1, $2, true, coalesce($3, false), $4)
           on conflict (room, "user") do update
           set banned = false, moderator = true,
               admin = coalesce($3, user_permission_overrides.admin), visible_mod = $4"#,
        room,
        user,
        admin,
        visible
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Removes room admin, and moderator too unless `admin_only`.
pub async fn remove_room_moderator(
    conn: &mut PgConnection,
    room: i64,
    user: i64,
    admin_only: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"update user_permission_overrides
           set admin = false,
               moderator = moderator and $3,
               visible_mod = case when $3 then visible_mod else true end
           where room = $1 and "user" = $2"#,
        room,
        user,
        admin_only
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Grants global moderator (keeping `admin` when `None`) with the given visibility; lifts a global ban.
pub async fn set_global_moderator(
    conn: &mut PgConnection,
    user: i64,
    admin: Option<bool>,
    visible: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update users set banned = false, moderator = true, admin = coalesce($2, admin), visible_mod = $3 where id = $1",
        user,
        admin,
        visible
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Removes global admin, and moderator too unless `admin_only`.
pub async fn remove_global_moderator(
    conn: &mut PgConnection,
    user: i64,
    admin_only: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update users set admin = false, moderator = moderator and $2 where id = $1",
        user,
        admin_only
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Bans `user` from `room` (`None`: globally), demoting a room moderator, and replaces the
/// scheduled bans/unbans with an unban at `until` when given.
pub async fn ban(
    conn: &mut PgConnection,
    room: Option<i64>,
    user: i64,
    until: Option<f64>,
) -> Result<(), sqlx::Error> {
    match room {
        Some(room) => {
            sqlx::query!(
                r#"insert into user_permission_overrides (room, "user", banned, moderator, admin)
                   values ($1, $2, true, false, false)
                   on conflict (room, "user") do update set banned = true, moderator = false, admin = false"#,
                room,
                user
            )
            .execute(&mut *conn)
            .await?;
        }
        None => {
            sqlx::query!("update users set banned = true where id = $1", user)
                .execute(&mut *conn)
                .await?;
        }
    }
    replace_ban_futures(conn, room, user, until).await
}

/// Lifts a ban from `room` (`None`: the global ban, whose scheduled changes are dropped too).
pub async fn unban(
    conn: &mut PgConnection,
    room: Option<i64>,
    user: i64,
) -> Result<(), sqlx::Error> {
    match room {
        Some(room) => {
            sqlx::query!(
                r#"update user_permission_overrides set banned = false
                   where room = $1 and "user" = $2 and banned"#,
                room,
                user
            )
            .execute(&mut *conn)
            .await?;
            Ok(())
        }
        None => {
            sqlx::query!("update users set banned = false where id = $1", user)
                .execute(&mut *conn)
                .await?;
            replace_ban_futures(conn, None, user, None).await
        }
    }
}

async fn replace_ban_futures(
    conn: &mut PgConnection,
    room: Option<i64>,
    user: i64,
    until: Option<f64>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"delete from user_ban_futures where room is not distinct from $1 and "user" = $2"#,
        room,
        user
    )
    .execute(&mut *conn)
    .await?;
    if let Some(at) = until {
        sqlx::query!(
            r#"insert into user_ban_futures (room, "user", at, banned) values ($1, $2, $3, false)"#,
            room,
            user,
            at
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// `(token, info_updates)` of the given rooms, or of every room when `None`, ordered by token.
pub async fn info_updates(
    conn: &mut PgConnection,
    rooms: Option<&[i64]>,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let rows = sqlx::query!(
        "select token, info_updates from rooms where $1::bigint[] is null or id = any($1) order by token",
        rooms
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.token, r.info_updates))
        .collect())
}

/// The flags on a `users` row: `(global moderator, global admin)`.
pub async fn global_flags(conn: &mut PgConnection, user: i64) -> Result<(bool, bool), sqlx::Error> {
    let row = sqlx::query!("select moderator, admin from users where id = $1", user)
        .fetch_one(&mut *conn)
        .await?;
    Ok((row.moderator, row.admin))
}

/// Tombstones every live post of `user` in `room` and expires their uploads there (except the
/// room image); returns how many posts were deleted.
pub async fn delete_user_posts(
    conn: &mut PgConnection,
    room: i64,
    user: i64,
) -> Result<u64, sqlx::Error> {
    let ids = sqlx::query_scalar!(
        r#"select id from messages where room = $1 and "user" = $2 and data is not null"#,
        room,
        user
    )
    .fetch_all(&mut *conn)
    .await?;
    let deleted = crate::storage::messages::delete(conn, &ids).await?;
    sqlx::query!(
        r#"update files set expiry = 0
           where room = $1 and uploader = $2
             and id is distinct from (select image from rooms where id = $1)"#,
        room,
        user
    )
    .execute(&mut *conn)
    .await?;
    Ok(deleted)
}

/// A global moderator or admin.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GlobalModerator {
    /// Displayed session id.
    pub session_id: String,
    /// Global admin.
    pub admin: bool,
    /// Listed publicly.
    pub visible: bool,
}

/// Every global moderator and admin except the system user, admins first.
pub async fn global_moderators(
    db: impl sqlx::PgExecutor<'_>,
) -> Result<Vec<GlobalModerator>, sqlx::Error> {
    sqlx::query_as!(
        GlobalModerator,
        r#"select session_id, admin, visible_mod as visible from users
           where moderator and id <> 0 order by admin desc, session_id"#
    )
    .fetch_all(db)
    .await
}
