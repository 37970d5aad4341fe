//! Posts with group commit. Every new message raises its room's sequence (a row lock held until
//! commit) and costs one WAL flush, so one transaction per post serialises a busy room on
//! commits. Here concurrent posts go to one writer task ([`queue`]) that inserts up to
//! [`MAX_BATCH`] of them in one transaction and commits once ([`batch`]; `synchronous_commit`
//! stays on: a post is answered only once it is durable). Each post keeps its own id and
//! sequence number (the triggers assign them), and the rate limit
//! ([`crate::domain::rate_limit`]) counts the posts accepted earlier in the same batch.
//!
//! If any statement of a batch fails (say a foreign key, because a user was purged
//! meanwhile), the batch is rolled back and each of its posts runs again in a transaction of
//! its own, so a post is answered 201 only when its own transaction committed.
//!
//! A transaction gets at most `db.statement_timeout_secs` once it has its connection: a database
//! that stops answering (stopped, partitioned) fails the batch with an "unreachable" error
//! (503) instead of holding every later post. Whether a transaction abandoned during its
//! commit committed is unknown, so it is never answered 201 and never retried.

mod batch;
mod queue;

use std::sync::Arc;

pub use batch::{BatchCounts, insert_one};
pub use queue::PostWriter;

use crate::domain::message::remove_padding;
use crate::domain::rate_limit::RateLimit;
use crate::storage::messages::NewMessage;

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

/// What became of a post.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Outcome {
    /// Committed.
    Posted(Posted),
    /// Refused: the poster reached the room's rate limit (nothing was written).
    RateLimited,
}

/// Why a post was not written (mapped to its HTTP answer in [`crate::error`]).
#[derive(Debug, thiserror::Error)]
pub enum PostError {
    /// The post's own transaction failed with this error.
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    /// The writer task is gone (the server is shutting down): unavailable.
    #[error("the post writer has stopped")]
    WriterGone,
    /// The batch the post was in failed with this error (each of its posts gets it): unavailable
    /// when the database was unreachable, else internal.
    #[error("post batch failed: {0}")]
    Batch(Arc<PostError>),
    /// The batch insert stored fewer posts than were admitted: internal.
    #[error("post batch stored fewer posts than it admitted")]
    CountMismatch,
}

impl PostError {
    /// Whether the database (or the writer) could not be reached: a 503, not a 500.
    pub fn is_unreachable(&self) -> bool {
        match self {
            Self::Db(e) => crate::storage::is_unreachable(e),
            Self::WriterGone => true,
            Self::Batch(e) => e.is_unreachable(),
            Self::CountMismatch => false,
        }
    }
}
