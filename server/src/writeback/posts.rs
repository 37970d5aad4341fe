//! Posts with group commit. Every new message raises its room's sequence (a row lock held until
//! commit) and costs one WAL flush, so one transaction per post serialises a busy room on
//! commits. Here concurrent posts go to one writer task that inserts up to [`MAX_BATCH`] of
//! them in one transaction and commits once (`synchronous_commit` stays on: a post is answered
//! only once it is durable). Each post keeps its own id and sequence number (the triggers
//! assign them), and the rate limit counts the posts accepted earlier in the same batch.
//!
//! If any statement of a batch fails (say a foreign key, because a user was purged
//! meanwhile), the batch is rolled back and each of its posts runs again in a transaction of
//! its own, so a post is answered 201 only when its own transaction committed.
//!
//! A transaction gets at most `db.statement_timeout_secs` once it has its connection: a database
//! that stops answering (stopped, partitioned) fails the batch with an "unreachable" error
//! (503) instead of holding every later post. Whether a transaction abandoned during its
//! commit committed is unknown, so it is never answered 201 and never retried.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use sqlx::{Connection, PgConnection, PgPool};
use tokio::sync::{mpsc, oneshot};

use crate::clock::unix_now;
use crate::config::Settings;
use crate::domain::message::remove_padding;
use crate::storage::messages::{self, NewMessage};

/// A stored post (what [`Outcome::Posted`] carries).
pub use crate::storage::messages::Posted;

/// Most posts one transaction inserts.
const MAX_BATCH: usize = 128;

/// A post that passed the handler's checks (permissions, body, whisper target, filters) and
/// waits for the writer.
#[derive(Debug, Clone)]
pub struct QueuedPost {
    /// Room id.
    pub room: i64,
    /// Author.
    pub user: i64,
    /// The signing id when it differs from the author's displayed id.
    pub signed_as: Option<String>,
    /// Data as posted (padded).
    pub data: Vec<u8>,
    /// 64-byte signature.
    pub signature: Vec<u8>,
    /// Quarantined by a filter.
    pub filtered: bool,
    /// Directed whisper recipient.
    pub whisper: Option<i64>,
    /// Whisper to moderators.
    pub whisper_mods: bool,
    /// Uploads to attach.
    pub files: Vec<i64>,
    /// The room's post rate limit for this poster; `None` for room admins and unlimited rooms.
    pub rate_limit: Option<RateLimit>,
}

impl QueuedPost {
    fn new_message(&self) -> NewMessage<'_> {
        NewMessage {
            room: self.room,
            user: self.user,
            signed_as: self.signed_as.as_deref(),
            data: remove_padding(&self.data),
            data_size: self.data.len() as i64,
            signature: &self.signature,
            filtered: self.filtered,
            whisper: self.whisper,
            whisper_mods: self.whisper_mods,
        }
    }
}

/// At most `posts` posts per user and room within `secs` seconds.
#[derive(Debug, Clone, Copy)]
pub struct RateLimit {
    /// Posts allowed in the window (more than zero).
    pub posts: i64,
    /// The window.
    pub secs: f64,
}

impl RateLimit {
    /// The limit `(posts, secs)` as configured; `None` when posting is unlimited (`posts == 0`).
    pub fn from_settings((posts, secs): (u32, f64)) -> Option<Self> {
        (posts > 0).then_some(Self {
            posts: i64::from(posts),
            secs,
        })
    }
}

/// What became of a post.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outcome {
    /// Committed.
    Posted(Posted),
    /// Refused: the poster reached the room's rate limit (nothing was written).
    RateLimited,
}

/// The rate-limit state of one transaction: the posters it has locked and, per (user, room),
/// how many recent posts it knows of (found in the database plus accepted since).
#[derive(Debug, Default)]
pub struct BatchCounts {
    locked: HashSet<i64>,
    recent: HashMap<(i64, i64), i64>,
}

impl BatchCounts {
    /// Locks every rate-limited poster of `posts` up front, in one fixed order.
    async fn lock_all(
        &mut self,
        conn: &mut PgConnection,
        posts: &[&QueuedPost],
    ) -> Result<(), sqlx::Error> {
        let users: Vec<i64> = posts
            .iter()
            .filter(|p| p.rate_limit.is_some())
            .map(|p| p.user)
            .collect();
        messages::lock_posters(conn, &users).await?;
        self.locked.extend(users);
        Ok(())
    }

    /// The poster's recent posts in the room, this transaction's included; locks the poster
    /// first unless done already.
    async fn recent_posts(
        &mut self,
        conn: &mut PgConnection,
        post: &QueuedPost,
        limit: RateLimit,
    ) -> Result<i64, sqlx::Error> {
        let key = (post.user, post.room);
        if let Some(&n) = self.recent.get(&key) {
            return Ok(n);
        }
        if !self.locked.contains(&post.user) {
            messages::lock_poster(conn, post.user).await?;
            self.locked.insert(post.user);
        }
        let since = unix_now() - limit.secs;
        let n = messages::count_recent_posts(&mut *conn, post.room, post.user, since).await?;
        self.recent.insert(key, n);
        Ok(n)
    }

    /// Counts an inserted post.
    fn accepted(&mut self, post: &QueuedPost) {
        if let Some(n) = self.recent.get_mut(&(post.user, post.room)) {
            *n += 1;
        }
    }
}

/// Posts one message in the open transaction `conn`: checks the rate limit (429 as
/// [`Outcome::RateLimited`]), inserts it and attaches its files (posts run alone).
pub async fn insert_one(
    conn: &mut PgConnection,
    settings: &Settings,
    post: &QueuedPost,
    counts: &mut BatchCounts,
) -> Result<Outcome, sqlx::Error> {
    if !admit(conn, post, counts).await? {
        return Ok(Outcome::RateLimited);
    }
    let posted = messages::insert(conn, &post.new_message()).await?;
    attach(conn, settings, post, posted.id, posted.posted).await?;
    Ok(Outcome::Posted(posted))
}

/// Whether the post is within its rate limit (counting it when it is): the one place the rate
/// limit is decided, for batches and lone posts alike.
async fn admit(
    conn: &mut PgConnection,
    post: &QueuedPost,
    counts: &mut BatchCounts,
) -> Result<bool, sqlx::Error> {
    if let Some(limit) = post.rate_limit {
        if counts.recent_posts(conn, post, limit).await? >= limit.posts {
            return Ok(false);
        }
    }
    counts.accepted(post);
    Ok(true)
}

/// Attaches the post's uploads, with the attachment lifetime counted from its post time.
async fn attach(
    conn: &mut PgConnection,
    settings: &Settings,
    post: &QueuedPost,
    id: i64,
    posted: f64,
) -> Result<(), sqlx::Error> {
    let expiry = settings.attachment_expiry(posted);
    messages::attach_files(conn, post.room, post.user, id, &post.files, expiry).await?;
    Ok(())
}

type Reply = oneshot::Sender<Result<Outcome, sqlx::Error>>;

#[derive(Debug)]
struct Pending {
    post: QueuedPost,
    reply: Reply,
}

/// Hands posts to the writer task.
#[derive(Debug)]
pub struct PostWriter {
    queue: mpsc::UnboundedSender<Pending>,
}

impl PostWriter {
    /// Starts the writer on the current runtime. There is one: batches take room row locks,
    /// so two at once in this process would only wait on each other.
    pub fn start(db: PgPool, settings: Arc<Settings>) -> Self {
        let (queue, receiver) = mpsc::unbounded_channel();
        tokio::spawn(write_batches(db, settings, receiver));
        Self { queue }
    }

    /// Posts `post` and waits until it is committed (or refused, or failed).
    pub async fn insert(&self, post: QueuedPost) -> Result<Outcome, sqlx::Error> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Pending { post, reply })
            .map_err(|_| sqlx::Error::PoolClosed)?;
        answer.await.unwrap_or(Err(sqlx::Error::PoolClosed))
    }
}

async fn write_batches(
    db: PgPool,
    settings: Arc<Settings>,
    mut receiver: mpsc::UnboundedReceiver<Pending>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while receiver.recv_many(&mut batch, MAX_BATCH).await > 0 {
        // A post whose request is gone is not written, as a dropped transaction would not be.
        batch.retain(|p: &Pending| !p.reply.is_closed());
        // Room row locks in ascending room order (arrival order within a room), the same
        // order in every process; the rate limit is per room, so this changes no verdict.
        batch.sort_by_key(|p| p.post.room);
        write_batch(&db, &settings, std::mem::take(&mut batch)).await;
    }
}

/// Why a batch was not committed.
enum BatchError {
    /// A statement failed: the transaction was rolled back.
    Statement(sqlx::Error),
    /// The commit failed.
    Commit(sqlx::Error),
}

/// Commits `batch` in one transaction and answers it, or falls back to one transaction per
/// post when that is safe.
async fn write_batch(db: &PgPool, settings: &Settings, batch: Vec<Pending>) {
    if batch.is_empty() {
        return;
    }
    let posts: Vec<&QueuedPost> = batch.iter().map(|p| &p.post).collect();
    let error = match commit_together(db, settings, &posts).await {
        Ok(outcomes) => {
            for (pending, outcome) in batch.into_iter().zip(outcomes) {
                let _ = pending.reply.send(Ok(outcome));
            }
            return;
        }
        Err(error) => error,
    };
    let retry = match &error {
        // A single post already ran alone; an unreachable database fails every retry.
        BatchError::Statement(e) => batch.len() > 1 && !crate::storage::is_unreachable(e),
        // Only an error reported by the server says the transaction surely did not commit.
        BatchError::Commit(e) => batch.len() > 1 && matches!(e, sqlx::Error::Database(_)),
    };
    let (BatchError::Statement(e) | BatchError::Commit(e)) = error;
    if !retry {
        answer_failed(batch, e);
        return;
    }
    tracing::debug!(error = %e, posts = batch.len(), "post batch failed; posting one by one");
    for pending in batch {
        let outcome = commit_alone(db, settings, &pending.post).await;
        let _ = pending.reply.send(outcome);
    }
}

/// One transaction for all `posts`, in their order.
async fn commit_together(
    db: &PgPool,
    settings: &Settings,
    posts: &[&QueuedPost],
) -> Result<Vec<Outcome>, BatchError> {
    let mut conn = crate::storage::acquire(db, "posts")
        .await
        .map_err(BatchError::Statement)?;
    let limit = settings.db.statement_timeout();
    let work = async {
        let mut tx = conn.begin().await.map_err(BatchError::Statement)?;
        let mut counts = BatchCounts::default();
        counts
            .lock_all(&mut tx, posts)
            .await
            .map_err(BatchError::Statement)?;
        let outcomes = insert_admitted(&mut tx, settings, posts, &mut counts)
            .await
            .map_err(BatchError::Statement)?;
        tx.commit().await.map_err(BatchError::Commit)?;
        Ok(outcomes)
    };
    // Abandoned: perhaps during the commit, so counted as a commit that failed on this side.
    tokio::time::timeout(limit, work)
        .await
        .unwrap_or_else(|_| Err(BatchError::Commit(crate::storage::no_answer(limit))))
}

/// Decides every post's rate limit in order, inserts the admitted ones with one statement and
/// attaches their files.
async fn insert_admitted(
    conn: &mut PgConnection,
    settings: &Settings,
    posts: &[&QueuedPost],
    counts: &mut BatchCounts,
) -> Result<Vec<Outcome>, sqlx::Error> {
    let mut admitted = Vec::with_capacity(posts.len());
    for post in posts {
        admitted.push(admit(conn, post, counts).await?);
    }
    let new: Vec<_> = posts
        .iter()
        .zip(&admitted)
        .filter(|(_, ok)| **ok)
        .map(|(post, _)| post.new_message())
        .collect();
    let mut stored = messages::insert_many(conn, &new).await?.into_iter();
    let mut outcomes = Vec::with_capacity(posts.len());
    for (post, ok) in posts.iter().zip(admitted) {
        let outcome = match (ok, if ok { stored.next() } else { None }) {
            (true, Some(posted)) => {
                attach(conn, settings, post, posted.id, posted.posted).await?;
                Outcome::Posted(posted)
            }
            (true, None) => return Err(sqlx::Error::RowNotFound),
            (false, _) => Outcome::RateLimited,
        };
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

/// One post in its own transaction (what every post did before group commit).
async fn commit_alone(
    db: &PgPool,
    settings: &Settings,
    post: &QueuedPost,
) -> Result<Outcome, sqlx::Error> {
    let mut conn = crate::storage::acquire(db, "posts").await?;
    let work = async {
        let mut tx = conn.begin().await?;
        let outcome = insert_one(&mut tx, settings, post, &mut BatchCounts::default()).await?;
        tx.commit().await?;
        Ok(outcome)
    };
    crate::storage::within(settings.db.statement_timeout(), work).await
}

/// Answers every post of a failed batch with its error (a lone post with the error itself,
/// so that, say, a client's bad text stays a 400).
fn answer_failed(mut batch: Vec<Pending>, e: sqlx::Error) {
    if batch.len() == 1 {
        if let Some(pending) = batch.pop() {
            let _ = pending.reply.send(Err(e));
        }
        return;
    }
    for pending in batch {
        let _ = pending.reply.send(Err(clone_error(&e)));
    }
}

/// One batch error for each of its posts; keeps an unreachable database an "unavailable"
/// error (503) rather than an internal one.
fn clone_error(e: &sqlx::Error) -> sqlx::Error {
    if crate::storage::is_unreachable(e) {
        sqlx::Error::PoolTimedOut
    } else {
        sqlx::Error::Protocol(format!("post batch failed: {e}"))
    }
}
