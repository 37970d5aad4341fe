//! The newest live messages of a room with everything needed to decide, per viewer, which of
//! them they may see (for the in-memory listing window), and their reactions' reactors.

use sqlx::PgExecutor;

use super::messages::MessageRow;

/// One live, unfiltered message of the window and whom it is whispered to.
#[derive(Debug, Clone)]
pub struct WindowRow {
    /// The message as listings render it.
    pub row: MessageRow,
    /// The user a directed whisper is for.
    pub whisper: Option<i64>,
}

/// The newest `limit` live, unfiltered messages of the room, newest first, whispers included.
pub async fn newest(
    db: impl PgExecutor<'_>,
    room_id: i64,
    limit: i64,
) -> Result<Vec<WindowRow>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select m.id, m."user", coalesce(m.signed_as, u.session_id) as "session_id!", m.posted,
                  m.edited, m.seqno, m.seqno_data, m.seqno_reactions, m.data, m.data_size,
                  m.signature, m.whisper_mods, m.whisper, w.session_id as "whisper_to?"
           from messages m
           join users u on u.id = m."user"
           left join users w on w.id = m.whisper
           where m.room = $1 and not m.filtered and m.data is not null
           order by m.id desc
           limit $2"#,
        room_id,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| WindowRow {
            whisper: r.whisper,
            row: MessageRow {
                id: r.id,
                user: r.user,
                session_id: r.session_id,
                posted: r.posted,
                edited: r.edited,
                seqno: r.seqno,
                seqno_data: r.seqno_data,
                seqno_reactions: r.seqno_reactions,
                data: r.data,
                data_size: r.data_size,
                signature: r.signature,
                whisper_mods: r.whisper_mods,
                whisper_to: r.whisper_to,
            },
        })
        .collect())
}

/// Every reactor of the given reaction rows: `(reaction id, user id)`.
pub async fn reactor_ids(
    db: impl PgExecutor<'_>,
    reaction_ids: &[i64],
) -> Result<Vec<(i64, i64)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select reaction, "user" from user_reactions where reaction = any($1)"#,
        reaction_ids
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.reaction, r.user)).collect())
}
