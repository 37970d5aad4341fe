//! Queries on `pinned_messages` (info_updates and file lifetimes follow by trigger).

use sqlx::PgConnection;

/// Pins (or re-pins, moving it last) a message, if it is still a regular one when the pin
/// is written (a deletion racing the pin wins).
pub async fn pin(
    conn: &mut PgConnection,
    room_id: i64,
    message_id: i64,
    by: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"insert into pinned_messages (room, message, pinned_by)
           select $1, $2, $3 from messages
           where id = $2 and room = $1 and data is not null and not filtered
             and whisper is null and not whisper_mods
           for share
           on conflict (room, message) do update
           set pinned_by = excluded.pinned_by, pinned_at = extract(epoch from clock_timestamp())"#,
        room_id,
        message_id,
        by
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Unpins one message (`Some`) or all (`None`), giving their attachments the configured
/// lifetime again (`lifetime_secs` from upload; `None`: they stay permanent; the room image
/// is never touched). Returns how many pins were removed.
pub async fn unpin(
    conn: &mut PgConnection,
    room_id: i64,
    message_id: Option<i64>,
    lifetime_secs: Option<f64>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"with unpinned as (
               delete from pinned_messages where room = $1 and ($2::bigint is null or message = $2)
               returning message
           ), released as (
               update files set expiry = uploaded + $3::float8
               where $3::float8 is not null and expiry is null
                 and message in (select message from unpinned)
                 and id is distinct from (select image from rooms where id = $1)
               returning 1
           )
           select count(*) as "n!" from unpinned"#,
        room_id,
        message_id,
        lifetime_secs
    )
    .fetch_one(conn)
    .await
}

/// The room's current `info_updates`.
pub async fn info_updates(conn: &mut PgConnection, room_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!("select info_updates from rooms where id = $1", room_id)
        .fetch_one(conn)
        .await
}
