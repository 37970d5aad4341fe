//! Per-user permission overrides and scheduled permission/ban changes of one room
//! (`/room/<t>/permissions…`, `/room/<t>/futurePermissions…`, spec §2.2, §6.2, §6.3).

use sogs_protocol::api::permissions::FuturePermission;
use sqlx::{PgConnection, PgExecutor};

use crate::domain::overrides::{Override, OverrideChanges, PermChange};

/// The override rows of a room (or of one user there), ordered by session id.
pub async fn list(
    db: impl PgExecutor<'_>,
    room: i64,
    user: Option<i64>,
) -> Result<Vec<Override>, sqlx::Error> {
    sqlx::query_as!(
        Override,
        r#"select u.session_id, o.banned, o.read, o.accessible, o.write, o.upload,
                  o.moderator, o.admin, o.visible_mod
           from user_permission_overrides o join users u on u.id = o."user"
           where o.room = $1 and ($2::bigint is null or o."user" = $2)
           order by u.session_id"#,
        room,
        user
    )
    .fetch_all(db)
    .await
}

fn split(change: PermChange) -> (bool, Option<bool>) {
    (change.is_some(), change.flatten())
}

/// Applies `changes` to the user's override row (creating it; an empty row is removed).
pub async fn set(
    conn: &mut PgConnection,
    room: i64,
    user: i64,
    changes: &OverrideChanges,
) -> Result<(), sqlx::Error> {
    let (set_r, r) = split(changes.read);
    let (set_a, a) = split(changes.accessible);
    let (set_w, w) = split(changes.write);
    let (set_u, u) = split(changes.upload);
    sqlx::query!(
        r#"insert into user_permission_overrides as o (room, "user", read, accessible, write, upload)
           values ($1, $2, $4, $6, $8, $10)
           on conflict (room, "user") do update set
               read = case when $3 then $4 else o.read end,
               accessible = case when $5 then $6 else o.accessible end,
               write = case when $7 then $8 else o.write end,
               upload = case when $9 then $10 else o.upload end"#,
        room, user, set_r, r, set_a, a, set_w, w, set_u, u
    )
    .execute(&mut *conn)
    .await?;
    delete_if_empty(conn, room, user).await
}

/// Deletes the user's override row if it holds nothing: a fresh row with only defaults never
/// passes the update trigger that removes empty rows.
pub async fn delete_if_empty(
    conn: &mut PgConnection,
    room: i64,
    user: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"delete from user_permission_overrides
           where room = $1 and "user" = $2 and not (banned or moderator or admin)
             and read is null and accessible is null and write is null and upload is null"#,
        room,
        user
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Drops the scheduled changes of the named permissions; rows left with nothing are deleted.
pub async fn unschedule(
    conn: &mut PgConnection,
    room: i64,
    user: i64,
    read: bool,
    write: bool,
    upload: bool,
) -> Result<(), sqlx::Error> {
    // Rows that would be left with nothing go first; the others lose the named values.
    sqlx::query!(
        r#"delete from user_permission_futures
           where room = $1 and "user" = $2
             and ($3 or read is null) and ($4 or write is null) and ($5 or upload is null)"#,
        room,
        user,
        read,
        write,
        upload
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        r#"update user_permission_futures
           set read = case when $3 then null else read end,
               write = case when $4 then null else write end,
               upload = case when $5 then null else upload end
           where room = $1 and "user" = $2"#,
        room,
        user,
        read,
        write,
        upload
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Schedules a permission change at `at` (`None` leaves a permission unchanged).
pub async fn schedule(
    conn: &mut PgConnection,
    room: i64,
    user: i64,
    at: f64,
    values: [Option<bool>; 3],
) -> Result<(), sqlx::Error> {
    let [read, write, upload] = values;
    sqlx::query!(
        r#"insert into user_permission_futures (room, "user", at, read, write, upload)
           values ($1, $2, $3, $4, $5, $6)"#,
        room,
        user,
        at,
        read,
        write,
        upload
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The scheduled permission changes and room bans of a room (or of one user there), by time.
pub async fn futures(
    db: impl PgExecutor<'_>,
    room: i64,
    user: Option<i64>,
) -> Result<Vec<FuturePermission>, sqlx::Error> {
    sqlx::query_as!(
        FuturePermission,
        r#"select u.session_id as "session_id?", f.at as "at!", f.read as "read?", f.write as "write?",
                  f.upload as "upload?", f.banned as "banned?"
           from (
               select "user", at, read, write, upload, null::boolean as banned
               from user_permission_futures where room = $1
               union all
               select "user", at, null, null, null, banned from user_ban_futures where room = $1
           ) f join users u on u.id = f."user"
           where $2::bigint is null or f."user" = $2
           order by f.at"#,
        room,
        user
    )
    .fetch_all(db)
    .await
}
