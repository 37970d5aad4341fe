//! The post queue: requests hand their posts to the one writer task and wait for their own
//! answer; the writer takes up to [`MAX_BATCH`] waiting posts at a time.

use std::sync::Arc;

use sqlx::PgPool;
use tokio::sync::{mpsc, oneshot};

use super::batch::write_batch;
use super::{MAX_BATCH, Outcome, PostError, QueuedPost};
use crate::config::Settings;

/// Where the writer answers one post.
pub(super) type Reply = oneshot::Sender<Result<Outcome, PostError>>;

/// A post waiting for the writer, and where to answer it.
#[derive(Debug)]
pub(super) struct Pending {
    /// The post.
    pub(super) post: QueuedPost,
    /// Its answer.
    pub(super) reply: Reply,
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
    pub async fn insert(&self, post: QueuedPost) -> Result<Outcome, PostError> {
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Pending { post, reply })
            .map_err(|_| PostError::WriterGone)?;
        answer.await.unwrap_or(Err(PostError::WriterGone))
    }
}

/// The writer task: writes the waiting posts batch after batch until every sender is gone.
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
