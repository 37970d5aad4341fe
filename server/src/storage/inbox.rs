//! Queries on `inbox`: blinded direct messages (one table serves inbox and outbox).

use sqlx::PgExecutor;

/// A direct message as listed.
#[derive(Debug, Clone)]
pub struct DirectMessage {
    /// Message id.
    pub id: i64,
    /// Post time.
    pub posted_at: f64,
    /// Expiry time.
    pub expires_at: f64,
    /// Sender id (as it sent).
    pub sender: String,
    /// Recipient id (as addressed).
    pub recipient: String,
    /// The opaque (encrypted) body.
    pub message: Vec<u8>,
}

/// A new direct message.
#[derive(Debug, Clone)]
pub struct NewDirectMessage<'a> {
    /// Sender's user id.
    pub sender: i64,
    /// The sender's signing id when it differs from their displayed id.
    pub sender_as: Option<&'a str>,
    /// Recipient's user id.
    pub recipient: i64,
    /// The recipient id as addressed, when it differs from their displayed id.
    pub recipient_as: Option<&'a str>,
    /// Opaque body.
    pub body: &'a [u8],
    /// Expiry time.
    pub expiry: f64,
}

/// A stored DM's id and time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoredDirectMessage {
    /// Message id.
    pub id: i64,
    /// Post time.
    pub posted_at: f64,
}

/// Stores a DM.
pub async fn insert(
    db: impl PgExecutor<'_>,
    dm: &NewDirectMessage<'_>,
) -> Result<StoredDirectMessage, sqlx::Error> {
    let row = sqlx::query!(
        r#"insert into inbox (sender, sender_as, recipient, recipient_as, body, expiry)
           values ($1, $2, $3, $4, $5, $6) returning id, posted_at"#,
        dm.sender,
        dm.sender_as,
        dm.recipient,
        dm.recipient_as,
        dm.body,
        dm.expiry
    )
    .fetch_one(db)
    .await?;
    Ok(StoredDirectMessage {
        id: row.id,
        posted_at: row.posted_at,
    })
}

/// Messages received (`outbox` false) or sent (`outbox` true) by `user_id` with id above
/// `after`, oldest first (two statements, so each direction uses its own index).
pub async fn list(
    db: impl PgExecutor<'_>,
    user_id: i64,
    outbox: bool,
    after: i64,
    limit: i64,
) -> Result<Vec<DirectMessage>, sqlx::Error> {
    if outbox {
        sqlx::query_as!(
            DirectMessage,
            r#"select i.id, i.posted_at, i.expiry as expires_at,
                      coalesce(i.sender_as, s.session_id) as "sender!",
                      coalesce(i.recipient_as, r.session_id) as "recipient!",
                      i.body as message
               from inbox i join users s on s.id = i.sender join users r on r.id = i.recipient
               where i.sender = $1 and i.id > $2
               order by i.id limit $3"#,
            user_id,
            after,
            limit
        )
        .fetch_all(db)
        .await
    } else {
        sqlx::query_as!(
            DirectMessage,
            r#"select i.id, i.posted_at, i.expiry as expires_at,
                      coalesce(i.sender_as, s.session_id) as "sender!",
                      coalesce(i.recipient_as, r.session_id) as "recipient!",
                      i.body as message
               from inbox i join users s on s.id = i.sender join users r on r.id = i.recipient
               where i.recipient = $1 and i.id > $2
               order by i.id limit $3"#,
            user_id,
            after,
            limit
        )
        .fetch_all(db)
        .await
    }
}

/// Deletes every message received by `user_id`; returns how many.
pub async fn delete_received(db: impl PgExecutor<'_>, user_id: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!("delete from inbox where recipient = $1", user_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}

/// A possible DM recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// User id.
    pub id: i64,
    /// Globally banned.
    pub banned: bool,
    /// Their displayed session id.
    pub session_id: String,
}

/// A possible recipient, by session or canonical id.
pub async fn find_recipient(
    db: impl PgExecutor<'_>,
    session_id: &str,
    canonical_id: &str,
) -> Result<Option<Recipient>, sqlx::Error> {
    let row = sqlx::query!(
        "select id, banned, session_id from users where session_id = $1 or canonical_id = $2 limit 1",
        session_id,
        canonical_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Recipient {
        id: r.id,
        banned: r.banned,
        session_id: r.session_id,
    }))
}

/// Whether the user is banned globally or in any room.
pub async fn is_banned_anywhere(
    db: impl PgExecutor<'_>,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select exists (select 1 from users where id = $1 and banned)
               or exists (select 1 from user_permission_overrides where "user" = $1 and banned) as "banned!""#,
        user_id
    )
    .fetch_one(db)
    .await
}
