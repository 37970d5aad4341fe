//! Room statistics for `sogs-admin room list/show` (the reference CLI's printout).

use sqlx::PgExecutor;

/// Counts describing one room.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RoomStats {
    /// Live messages.
    pub messages: i64,
    /// Bytes of live message data.
    pub message_bytes: i64,
    /// Files of the room.
    pub attachments: i64,
    /// Bytes of those files.
    pub attachment_bytes: i64,
    /// Reactor rows in total.
    pub reactions: i64,
    /// The five most used reactions with their counts.
    pub top_reactions: Vec<(String, i64)>,
    /// Users active within 1, 7, 14 and 30 days.
    pub active: [i64; 4],
    /// Admins and hidden admins, moderators and hidden moderators.
    pub moderators: [i64; 4],
}

/// Gathers the statistics of one room (`now` in epoch seconds).
pub async fn room_stats(
    db: &sqlx::PgPool,
    room_id: i64,
    now: f64,
) -> Result<RoomStats, sqlx::Error> {
    let counts = sqlx::query!(
        r#"select
             (select count(*) from messages where room = $1 and data is not null) as "messages!",
             (select coalesce(sum(data_size), 0)::bigint from messages where room = $1 and data is not null) as "message_bytes!",
             (select count(*) from files where room = $1) as "attachments!",
             (select coalesce(sum(size), 0)::bigint from files where room = $1) as "attachment_bytes!",
             (select count(*) from user_reactions ur join reactions r on r.id = ur.reaction
                join messages m on m.id = r.message where m.room = $1) as "reactions!",
             (select count(*) from room_users where room = $1 and last_active >= $2::float8 - 86400) as "d1!",
             (select count(*) from room_users where room = $1 and last_active >= $2::float8 - 7 * 86400) as "d7!",
             (select count(*) from room_users where room = $1 and last_active >= $2::float8 - 14 * 86400) as "d14!",
             (select count(*) from room_users where room = $1 and last_active >= $2::float8 - 30 * 86400) as "d30!",
             (select count(*) from room_moderators where room = $1 and "user" <> 0 and admin and visible_mod) as "admins!",
             (select count(*) from room_moderators where room = $1 and "user" <> 0 and admin and not visible_mod) as "hidden_admins!",
             (select count(*) from room_moderators where room = $1 and "user" <> 0 and not admin and visible_mod) as "mods!",
             (select count(*) from room_moderators where room = $1 and "user" <> 0 and not admin and not visible_mod) as "hidden_mods!""#,
        room_id,
        now
    )
    .fetch_one(db)
    .await?;
    Ok(RoomStats {
        messages: counts.messages,
        message_bytes: counts.message_bytes,
        attachments: counts.attachments,
        attachment_bytes: counts.attachment_bytes,
        reactions: counts.reactions,
        top_reactions: top_reactions(db, room_id).await?,
        active: [counts.d1, counts.d7, counts.d14, counts.d30],
        moderators: [
            counts.admins,
            counts.hidden_admins,
            counts.mods,
            counts.hidden_mods,
        ],
    })
}

async fn top_reactions(
    db: impl PgExecutor<'_>,
    room_id: i64,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select r.reaction, count(*) as "n!"
           from user_reactions ur join reactions r on r.id = ur.reaction join messages m on m.id = r.message
           where m.room = $1
           group by r.reaction order by count(*) desc, r.reaction limit 5"#,
        room_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.reaction, r.n)).collect())
}
