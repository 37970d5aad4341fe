//! Queries on `pinned_messages` (info_updates and file lifetimes follow by trigger).

use sqlx::PgConnection;

/// Pins (or re-pins, moving it last) a message.
pub async fn pin(
    conn: &mut PgConnection,
    room_id: i64,
    message_id: i64,
    by: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"insert into pinned_messages (room, message, pinned_by) values ($1, $2, $3)
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

/// Unpins one message (`Some`) or all (`None`); returns how many pins were removed.
pub async fn unpin(
    conn: &mut PgConnection,
    room_id: i64,
    message_id: Option<i64>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "delete from pinned_messages where room = $1 and ($2::bigint is null or message = $2)",
        room_id,
        message_id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// The room's current `info_updates`.
pub async fn info_updates(conn: &mut PgConnection, room_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!("select info_updates from rooms where id = $1", room_id)
        .fetch_one(conn)
        .await
}
