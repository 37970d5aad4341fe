//! Committing a batch of posts: one transaction for the whole batch (rate limits decided in
//! order, one insert, one commit), falling back to one transaction per post when a statement
//! fails and that is safe.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use sqlx::{Connection, PgConnection, PgPool};

use super::queue::Pending;
use super::{Outcome, PostError, QueuedPost};
use crate::clock::unix_now;
use crate::config::Settings;
use crate::domain::rate_limit::RateLimit;
use crate::storage::messages;

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
        let since = limit.window_start(unix_now());
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
/// limit is applied, for batches and lone posts alike.
async fn admit(
    conn: &mut PgConnection,
    post: &QueuedPost,
    counts: &mut BatchCounts,
) -> Result<bool, sqlx::Error> {
    if let Some(limit) = post.rate_limit {
        if !limit.allows(counts.recent_posts(conn, post, limit).await?) {
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

/// Why a batch was not committed.
enum BatchError {
    /// A statement failed: the transaction was rolled back.
    Statement(PostError),
    /// The commit failed.
    Commit(sqlx::Error),
}

/// Commits `batch` in one transaction and answers it, or falls back to one transaction per
/// post when that is safe.
pub(super) async fn write_batch(db: &PgPool, settings: &Settings, batch: Vec<Pending>) {
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
        BatchError::Statement(e) => batch.len() > 1 && !e.is_unreachable(),
        // Only an error reported by the server says the transaction surely did not commit.
        BatchError::Commit(e) => batch.len() > 1 && matches!(e, sqlx::Error::Database(_)),
    };
    let e = match error {
        BatchError::Statement(e) => e,
        BatchError::Commit(e) => PostError::Db(e),
    };
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
    let statement = |e: sqlx::Error| BatchError::Statement(PostError::Db(e));
    let mut conn = crate::storage::acquire(db, "posts")
        .await
        .map_err(statement)?;
    let limit = settings.db.statement_timeout();
    let work = async {
        let mut tx = conn.begin().await.map_err(statement)?;
        let mut counts = BatchCounts::default();
        counts.lock_all(&mut tx, posts).await.map_err(statement)?;
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
) -> Result<Vec<Outcome>, PostError> {
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
            (true, None) => return Err(PostError::CountMismatch),
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
) -> Result<Outcome, PostError> {
    let mut conn = crate::storage::acquire(db, "posts").await?;
    let work = async {
        let mut tx = conn.begin().await?;
        let outcome = insert_one(&mut tx, settings, post, &mut BatchCounts::default()).await?;
        tx.commit().await?;
        Ok(outcome)
    };
    Ok(crate::storage::within(settings.db.statement_timeout(), work).await?)
}

/// Answers every post of a failed batch with its error: a lone post with the error itself (so
/// that, say, a client's bad text stays a 400), several with [`PostError::Batch`].
fn answer_failed(mut batch: Vec<Pending>, e: PostError) {
    if batch.len() == 1 {
        if let Some(pending) = batch.pop() {
            let _ = pending.reply.send(Err(e));
        }
        return;
    }
    let shared = Arc::new(e);
    for pending in batch {
        let _ = pending
            .reply
            .send(Err(PostError::Batch(Arc::clone(&shared))));
    }
}
