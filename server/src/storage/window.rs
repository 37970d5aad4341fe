//! The newest live messages of a room (by id) and the rows holding its highest seqnos (live
//! or deleted), with everything needed to decide, per viewer, which of them they may see (for
//! the in-memory listing windows), and their reactions' reactors.

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

/// One unfiltered message (live or a tombstone) of the since window.
#[derive(Debug, Clone)]
pub struct SinceRow {
    /// The message and whom it is whispered to.
    pub message: WindowRow,
    /// The room sequence at which it was posted (tombstones are shown only to pollers that
    /// may have seen the post).
    pub seqno_creation: i64,
}

/// A row as both window queries select it.
struct Record {
    id: i64,
    user: i64,
    session_id: String,
    posted: f64,
    edited: Option<f64>,
    seqno: i64,
    seqno_data: i64,
    seqno_reactions: i64,
    seqno_creation: i64,
    data: Option<Vec<u8>>,
    data_size: Option<i64>,
    signature: Option<Vec<u8>>,
    whisper_mods: bool,
    whisper: Option<i64>,
    whisper_to: Option<String>,
}

impl From<Record> for SinceRow {
    fn from(r: Record) -> Self {
        Self {
            seqno_creation: r.seqno_creation,
            message: WindowRow {
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
            },
        }
    }
}

/// The newest `limit` live, unfiltered messages of the room, newest first, whispers included.
pub async fn newest(
    db: impl PgExecutor<'_>,
    room_id: i64,
    limit: i64,
) -> Result<Vec<WindowRow>, sqlx::Error> {
    let rows = sqlx::query_as!(
        Record,
        r#"select m.id, m."user", coalesce(m.signed_as, u.session_id) as "session_id!", m.posted,
                  m.edited, m.seqno, m.seqno_data, m.seqno_reactions, m.seqno_creation, m.data,
                  m.data_size, m.signature, m.whisper_mods, m.whisper,
                  w.session_id as "whisper_to?"
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
        .map(|r| SinceRow::from(r).message)
        .collect())
}

/// The `limit` unfiltered messages of the room with the highest seqnos, tombstones and
/// whispers included, highest first.
pub async fn highest(
    db: impl PgExecutor<'_>,
    room_id: i64,
    limit: i64,
) -> Result<Vec<SinceRow>, sqlx::Error> {
    let rows = sqlx::query_as!(
        Record,
        r#"select m.id, m."user", coalesce(m.signed_as, u.session_id) as "session_id!", m.posted,
                  m.edited, m.seqno, m.seqno_data, m.seqno_reactions, m.seqno_creation, m.data,
                  m.data_size, m.signature, m.whisper_mods, m.whisper,
                  w.session_id as "whisper_to?"
           from messages m
           join users u on u.id = m."user"
           left join users w on w.id = m.whisper
           where m.room = $1 and not m.filtered
           order by m.seqno desc
           limit $2"#,
        room_id,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(SinceRow::from).collect())
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
