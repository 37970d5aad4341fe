//! Queries on `messages`: listings (with whisper visibility), posting with the rate limit,
//! editing and deleting. Sequence numbers, history and
//! tombstone side effects are the triggers' work (see docs/SCHEMA.md).

use sqlx::{PgConnection, PgExecutor};

use crate::domain::message::Selection;

/// Who is looking: decides whisper visibility.
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    /// The caller's user id, if authenticated.
    pub user_id: Option<i64>,
    /// Whether the caller moderates the room.
    pub moderator: bool,
}

/// A message row as listings need it.
#[derive(Debug, Clone)]
pub struct MessageRow {
    /// Message id.
    pub id: i64,
    /// Author's user id.
    pub user: i64,
    /// The id that signed it.
    pub session_id: String,
    /// Post time.
    pub posted: f64,
    /// Edit or deletion time.
    pub edited: Option<f64>,
    /// Last change.
    pub seqno: i64,
    /// Last content change.
    pub seqno_data: i64,
    /// Last reaction change.
    pub seqno_reactions: i64,
    /// Unpadded data; `None` for a deletion.
    pub data: Option<Vec<u8>>,
    /// Padded length.
    pub data_size: Option<i64>,
    /// Signature.
    pub signature: Option<Vec<u8>>,
    /// Whisper to moderators.
    pub whisper_mods: bool,
    /// Recipient of a directed whisper.
    pub whisper_to: Option<String>,
}

/// The messages `viewer` may see in `room_id` for `selection`.
pub async fn list(
    db: impl PgExecutor<'_>,
    room_id: i64,
    viewer: Viewer,
    selection: Selection,
    limit: i64,
) -> Result<Vec<MessageRow>, sqlx::Error> {
    let (since, reactions_only) = match selection {
        Selection::Since {
            seqno,
            reactions_only,
        } => (Some(seqno), reactions_only),
        _ => (None, false),
    };
    let (before, single) = match selection {
        Selection::Before(id) => (Some(id), None),
        Selection::Single(id) => (None, Some(id)),
        _ => (None, None),
    };
    match since {
        Some(seqno) => list_since(db, room_id, viewer, seqno, reactions_only, limit).await,
        None => list_by_id(db, room_id, viewer, before, single, limit).await,
    }
}

/// `since` polling: the hot path, served by the `(room, seqno)` index.
async fn list_since(
    db: impl PgExecutor<'_>,
    room_id: i64,
    viewer: Viewer,
    seqno: i64,
    reactions_only: bool,
    limit: i64,
) -> Result<Vec<MessageRow>, sqlx::Error> {
    sqlx::query_as!(
        MessageRow,
        r#"select m.id, m."user", coalesce(m.signed_as, u.session_id) as "session_id!", m.posted, m.edited,
                  m.seqno, m.seqno_data, m.seqno_reactions, m.data, m.data_size, m.signature,
                  m.whisper_mods, w.session_id as "whisper_to?"
           from messages m
           join users u on u.id = m."user"
           left join users w on w.id = m.whisper
           where m.room = $1 and not m.filtered
             and m.seqno > $4 and ($5 or m.seqno_data > $4)
             and (m.data is not null or m.seqno_creation <= $4)
             and (($3 and (m.whisper_mods or m.whisper = $2 or m."user" = $2 or m.whisper is null))
                  or (not $3 and (m.whisper = $2 or (m.whisper is null and not m.whisper_mods))))
           order by m.seqno
           limit $6"#,
        room_id,
        viewer.user_id,
        viewer.moderator,
        seqno,
        reactions_only,
        limit
    )
    .fetch_all(db)
    .await
}

/// `recent`, `before/{id}` and single-message fetches: live messages only, newest first.
async fn list_by_id(
    db: impl PgExecutor<'_>,
    room_id: i64,
    viewer: Viewer,
    before: Option<i64>,
    single: Option<i64>,
    limit: i64,
) -> Result<Vec<MessageRow>, sqlx::Error> {
    sqlx::query_as!(
        MessageRow,
        r#"select m.id, m."user", coalesce(m.signed_as, u.session_id) as "session_id!", m.posted, m.edited,
                  m.seqno, m.seqno_data, m.seqno_reactions, m.data, m.data_size, m.signature,
                  m.whisper_mods, w.session_id as "whisper_to?"
           from messages m
           join users u on u.id = m."user"
           left join users w on w.id = m.whisper
           where m.room = $1 and not m.filtered and m.data is not null
             and m.id < coalesce($4::bigint, 9223372036854775807)
             and m.id between coalesce($5::bigint, 0) and coalesce($5::bigint, 9223372036854775807)
             and (($3 and (m.whisper_mods or m.whisper = $2 or m."user" = $2 or m.whisper is null))
                  or (not $3 and (m.whisper = $2 or (m.whisper is null and not m.whisper_mods))))
           order by m.id desc
           limit $6"#,
        room_id,
        viewer.user_id,
        viewer.moderator,
        before,
        single,
        limit
    )
    .fetch_all(db)
    .await
}

/// A new post.
#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    /// Room id.
    pub room: i64,
    /// Author.
    pub user: i64,
    /// The signing id when it differs from the author's displayed id.
    pub signed_as: Option<&'a str>,
    /// Unpadded data.
    pub data: &'a [u8],
    /// Padded length.
    pub data_size: i64,
    /// 64-byte signature.
    pub signature: &'a [u8],
    /// Quarantined by a filter.
    pub filtered: bool,
    /// Directed whisper recipient.
    pub whisper: Option<i64>,
    /// Whisper to moderators.
    pub whisper_mods: bool,
}

/// How many posts `user` made in `room` since `since` (deleted and filtered ones count).
pub async fn count_recent_posts(
    db: impl PgExecutor<'_>,
    room_id: i64,
    user_id: i64,
    since: f64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select count(*) as "n!" from messages where "user" = $2 and room = $1 and posted >= $3"#,
        room_id,
        user_id,
        since
    )
    .fetch_one(db)
    .await
}

/// The first half of every poster lock's key: the class of advisory locks that serialise one
/// user's posts (no other advisory lock uses it).
const POSTER_LOCK_CLASS: i32 = 7001;

/// The second half of a poster's advisory lock key (the first is [`POSTER_LOCK_CLASS`]).
fn poster_key(user_id: i64) -> i32 {
    (user_id % i64::from(i32::MAX)) as i32
}

/// Serialises posts of one user (for the rate limit) until the transaction ends.
pub async fn lock_poster(conn: &mut PgConnection, user_id: i64) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "select pg_advisory_xact_lock($1::int, $2::int)",
        POSTER_LOCK_CLASS,
        poster_key(user_id)
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// [`lock_poster`] for several users in one statement, in ascending key order, so that
/// transactions locking overlapping sets of posters never wait on each other in a cycle.
pub async fn lock_posters(conn: &mut PgConnection, user_ids: &[i64]) -> Result<(), sqlx::Error> {
    let mut keys: Vec<i32> = user_ids.iter().map(|&id| poster_key(id)).collect();
    keys.sort_unstable();
    keys.dedup();
    if keys.is_empty() {
        return Ok(());
    }
    // A function scan returns the array's elements in order, and each row's lock is taken as
    // that row is produced.
    sqlx::query!(
        "select pg_advisory_xact_lock($1::int, k) from unnest($2::int[]) as k",
        POSTER_LOCK_CLASS,
        &keys
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// A stored post.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Posted {
    /// Message id.
    pub id: i64,
    /// Post time (the transaction's).
    pub posted: f64,
    /// Its sequence number in the room.
    pub seqno: i64,
}

/// Inserts a post.
pub async fn insert(conn: &mut PgConnection, m: &NewMessage<'_>) -> Result<Posted, sqlx::Error> {
    let row = sqlx::query!(
        r#"insert into messages (room, "user", signed_as, data, data_size, signature, filtered, whisper, whisper_mods)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           returning id, posted, seqno"#,
        m.room,
        m.user,
        m.signed_as,
        m.data,
        m.data_size,
        m.signature,
        m.filtered,
        m.whisper,
        m.whisper_mods
    )
    .fetch_one(conn)
    .await?;
    Ok(Posted {
        id: row.id,
        posted: row.posted,
        seqno: row.seqno,
    })
}

/// Inserts several posts with one statement, in the given order (ids and seqnos are assigned
/// in that order by the identity and the triggers); returns each one stored, in the same order.
pub async fn insert_many(
    conn: &mut PgConnection,
    posts: &[NewMessage<'_>],
) -> Result<Vec<Posted>, sqlx::Error> {
    let rooms: Vec<i64> = posts.iter().map(|m| m.room).collect();
    let users: Vec<i64> = posts.iter().map(|m| m.user).collect();
    let signed_as: Vec<Option<String>> = posts
        .iter()
        .map(|m| m.signed_as.map(str::to_owned))
        .collect();
    let data: Vec<Vec<u8>> = posts.iter().map(|m| m.data.to_vec()).collect();
    let sizes: Vec<i64> = posts.iter().map(|m| m.data_size).collect();
    let signatures: Vec<Vec<u8>> = posts.iter().map(|m| m.signature.to_vec()).collect();
    let filtered: Vec<bool> = posts.iter().map(|m| m.filtered).collect();
    let whispers: Vec<Option<i64>> = posts.iter().map(|m| m.whisper).collect();
    let whisper_mods: Vec<bool> = posts.iter().map(|m| m.whisper_mods).collect();
    let mut rows = sqlx::query!(
        r#"insert into messages (room, "user", signed_as, data, data_size, signature, filtered, whisper, whisper_mods)
           select room, usr, signed_as, data, data_size, signature, filtered, whisper, whisper_mods
           from unnest($1::bigint[], $2::bigint[], $3::text[], $4::bytea[], $5::bigint[],
                       $6::bytea[], $7::bool[], $8::bigint[], $9::bool[])
                with ordinality as t(room, usr, signed_as, data, data_size, signature, filtered,
                                     whisper, whisper_mods, ord)
           order by ord
           returning id, posted, seqno"#,
        &rooms,
        &users,
        &signed_as as &[Option<String>],
        &data,
        &sizes,
        &signatures,
        &filtered,
        &whispers as &[Option<i64>],
        &whisper_mods
    )
    .fetch_all(conn)
    .await?;
    // Rows are inserted in `ord` order, so ids ascend in input order.
    rows.sort_by_key(|r| r.id);
    Ok(rows
        .into_iter()
        .map(|r| Posted {
            id: r.id,
            posted: r.posted,
            seqno: r.seqno,
        })
        .collect())
}

/// The author of a live (not deleted) message in the room, locked for update.
pub async fn live_author_for_update(
    conn: &mut PgConnection,
    room_id: i64,
    message_id: i64,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select "user" from messages where id = $2 and room = $1 and data is not null for update"#,
        room_id,
        message_id
    )
    .fetch_optional(conn)
    .await
}

/// Replaces a message's data and signature (history, seqno and `edited` follow by trigger when
/// the data changes).
pub async fn edit(
    conn: &mut PgConnection,
    message_id: i64,
    data: &[u8],
    data_size: i64,
    signature: &[u8],
    signed_as: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update messages set data = $2, data_size = $3, signature = $4, signed_as = $5 where id = $1",
        message_id,
        data,
        data_size,
        signature,
        signed_as
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// Turns messages into tombstones (reactions, pins and attachments follow by trigger); returns
/// how many were live.
pub async fn delete(conn: &mut PgConnection, message_ids: &[i64]) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        "update messages set data = null, data_size = null, signature = null where id = any($1) and data is not null",
        message_ids
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Whether the message is a "regular" one: live, unfiltered and not a whisper (reactions and
/// pins are allowed only on these).
pub async fn is_regular(
    db: impl PgExecutor<'_>,
    room_id: i64,
    message_id: i64,
) -> Result<bool, sqlx::Error> {
    let found = sqlx::query_scalar!(
        r#"select exists (
               select 1 from messages
               where id = $2 and room = $1 and data is not null and not filtered
                 and whisper is null and not whisper_mods
           ) as "found!""#,
        room_id,
        message_id
    )
    .fetch_one(db)
    .await?;
    Ok(found)
}

/// Attaches uploaded files to a message: only the poster's own, unattached, recent (1 h)
/// uploads in the same room; `expiry` becomes `expires_at` (None: never).
pub async fn attach_files(
    conn: &mut PgConnection,
    room_id: i64,
    user_id: i64,
    message_id: i64,
    file_ids: &[i64],
    expires_at: Option<f64>,
) -> Result<u64, sqlx::Error> {
    if file_ids.is_empty() {
        return Ok(0);
    }
    let done = sqlx::query!(
        r#"update files set message = $3, expiry = $5
           where id = any($4) and room = $1 and uploader = $2 and message is null
             and uploaded >= extract(epoch from now()) - $6::float8 and expiry is not null"#,
        room_id,
        user_id,
        message_id,
        file_ids,
        expires_at,
        crate::storage::files::UNATTACHED_LIFETIME_SECS
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}
