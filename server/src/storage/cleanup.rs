//! Queries of the background cleanup task (spec §10): each takes an explicit `now` (epoch
//! seconds) so tests can drive time.

use sqlx::{PgConnection, PgExecutor};

use crate::storage::overrides::delete_if_empty;

/// Deletes nonces past their expiry; returns how many.
pub async fn expire_nonces(db: impl PgExecutor<'_>, now: f64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!("delete from user_request_nonces where expiry < $1", now)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

/// Deletes edit history replaced before `cutoff`; returns how many rows.
pub async fn prune_message_history(
    db: impl PgExecutor<'_>,
    cutoff: f64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!("delete from message_history where replaced < $1", cutoff)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

/// Deletes activity older than `prune_before`, then recounts every room's `active_users` as
/// those active since `active_since`; returns how many activity rows were deleted.
pub async fn prune_room_activity(
    conn: &mut PgConnection,
    prune_before: f64,
    active_since: f64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "delete from room_users where last_active < $1",
        prune_before
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!(
        r#"update rooms r set active_users = c.n
           from (select r2.id, count(u.room) as n
                 from rooms r2 left join room_users u on u.room = r2.id and u.last_active >= $1
                 group by r2.id) c
           where c.id = r.id and r.active_users is distinct from c.n"#,
        active_since
    )
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected())
}

/// A due permission change.
struct DueChange {
    room: i64,
    user: i64,
    read: Option<bool>,
    write: Option<bool>,
    upload: Option<bool>,
}

/// Applies and deletes the permission futures due at `now`, oldest first; a value equal to
/// the room default becomes NULL (§6.3). Returns how many were applied.
pub async fn apply_permission_futures(
    conn: &mut PgConnection,
    now: f64,
) -> Result<u64, sqlx::Error> {
    let due = sqlx::query_as!(
        DueChange,
        r#"with gone as (
               delete from user_permission_futures where at <= $1
               returning room, "user", at, read, write, upload
           )
           select room, "user" as user, read, write, upload from gone order by at"#,
        now
    )
    .fetch_all(&mut *conn)
    .await?;
    for c in &due {
        sqlx::query!(
            r#"insert into user_permission_overrides as o (room, "user", read, write, upload)
               select r.id, $2, nullif($3, r.read), nullif($4, r.write), nullif($5, r.upload)
               from rooms r where r.id = $1
               on conflict (room, "user") do update set
                   read = case when $3::boolean is null then o.read else excluded.read end,
                   write = case when $4::boolean is null then o.write else excluded.write end,
                   upload = case when $5::boolean is null then o.upload else excluded.upload end"#,
            c.room,
            c.user,
            c.read,
            c.write,
            c.upload
        )
        .execute(&mut *conn)
        .await?;
        delete_if_empty(conn, c.room, c.user).await?;
    }
    Ok(due.len() as u64)
}

/// A due ban or unban.
struct DueBan {
    room: Option<i64>,
    user: i64,
    banned: bool,
}

/// Applies and deletes the ban futures due at `now` (room NULL: global). Moderators are never
/// banned by a scheduled change. Returns how many were applied.
pub async fn apply_ban_futures(conn: &mut PgConnection, now: f64) -> Result<u64, sqlx::Error> {
    let due = sqlx::query_as!(
        DueBan,
        r#"with gone as (
               delete from user_ban_futures where at <= $1 returning room, "user", at, banned
           )
           select room as "room?", "user" as user, banned from gone order by at"#,
        now
    )
    .fetch_all(&mut *conn)
    .await?;
    for b in &due {
        match b.room {
            None => {
                sqlx::query!(
                    "update users set banned = $2 where id = $1 and not (moderator and $2)",
                    b.user,
                    b.banned
                )
                .execute(&mut *conn)
                .await?;
            }
            Some(room) => {
                sqlx::query!(
                    r#"insert into user_permission_overrides as o (room, "user", banned) values ($1, $2, $3)
                       on conflict (room, "user") do update set banned = $3 where not (o.moderator and $3)"#,
                    room,
                    b.user,
                    b.banned
                )
                .execute(&mut *conn)
                .await?;
                delete_if_empty(conn, room, b.user).await?;
            }
        }
    }
    Ok(due.len() as u64)
}

/// Deletes files whose expiry is before `now` (expired uploads, files of deleted posts or
/// rooms, replaced room images); the content goes with the row.
pub async fn prune_files(db: impl PgExecutor<'_>, now: f64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!("delete from files where expiry < $1", now)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

/// Deletes direct messages whose expiry is before `now`.
pub async fn prune_direct_messages(db: impl PgExecutor<'_>, now: f64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!("delete from inbox where expiry < $1", now)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

/// Ids of up to `limit` live messages of `room` posted before `cutoff` that are not pinned,
/// oldest first, locked for the caller's transaction (another pass skips them).
pub async fn messages_past_retention(
    conn: &mut PgConnection,
    room: i64,
    cutoff: f64,
    limit: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select m.id from messages m
           where m.room = $1 and m.posted < $2 and m.data is not null
             and not exists (select 1 from pinned_messages p where p.room = m.room and p.message = m.id)
           order by m.posted
           limit $3
           for update of m skip locked"#,
        room,
        cutoff,
        limit
    )
    .fetch_all(&mut *conn)
    .await
}
