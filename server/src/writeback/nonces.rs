//! Nonce consumption in batches. Nonces stay in PostgreSQL (unique across every process, so a
//! request replayed to another process is refused), but concurrent requests' nonces are
//! inserted by one statement and each request is answered whether its nonce was new. A local
//! set of nonces this process recently consumed refuses obvious replays without a round trip.
//!
//! A request waits at most `db.acquire_timeout_secs` for its nonce, queueing included: when the
//! database does not answer, writers stuck on earlier batches must not add their wait to it.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sqlx::PgPool;
use tokio::sync::{mpsc, oneshot};

use crate::config::DbSettings;

/// Most nonces one statement inserts.
const MAX_BATCH: usize = 512;
/// Writers running at once: while one batch is in the database the next one forms.
const WRITERS: usize = 2;
/// How long a nonce stays in the local set (a generation; two are kept).
const LOCAL_GENERATION: Duration = Duration::from_secs(600);
/// Most nonces in one local generation.
const LOCAL_MAX: usize = 500_000;

type Reply = oneshot::Sender<Result<bool, Arc<sqlx::Error>>>;

struct Pending {
    user: i64,
    nonce: [u8; 16],
    reply: Reply,
}

/// Hands nonces to the batch writers and remembers recent ones.
#[derive(Debug)]
pub struct NonceWriter {
    queue: mpsc::UnboundedSender<Pending>,
    recent: Mutex<Recent>,
    /// The most a request waits for its answer.
    wait: Duration,
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending").field("user", &self.user).finish()
    }
}

impl NonceWriter {
    /// Starts the writers on the current runtime: a request waits at most
    /// `db.acquire_timeout_secs` for its nonce, a batch's statement at most
    /// `db.statement_timeout_secs`.
    pub fn start(db: PgPool, settings: &DbSettings) -> Self {
        let (queue, receiver) = mpsc::unbounded_channel();
        let receiver = Arc::new(tokio::sync::Mutex::new(receiver));
        for _ in 0..WRITERS {
            let limit = settings.statement_timeout();
            tokio::spawn(write_batches(db.clone(), Arc::clone(&receiver), limit));
        }
        Self {
            queue,
            recent: Mutex::new(Recent::default()),
            wait: settings.acquire_timeout(),
        }
    }

    /// Consumes `nonce` for `user`: `true` if it was never used before (by anyone, in any
    /// process), `false` for a replay.
    pub async fn consume(&self, user: i64, nonce: [u8; 16]) -> Result<bool, sqlx::Error> {
        if !self.remember(nonce) {
            return Ok(false);
        }
        let (reply, answer) = oneshot::channel();
        self.queue
            .send(Pending { user, nonce, reply })
            .map_err(|_| sqlx::Error::PoolClosed)?;
        let answered = match tokio::time::timeout(self.wait, answer).await {
            Ok(Ok(answered)) => answered.map_err(|e| clone_error(&e)),
            Ok(Err(_)) => Err(sqlx::Error::PoolClosed),
            Err(_) => Err(crate::storage::no_answer(self.wait)),
        };
        if answered.is_err() {
            // Perhaps not recorded: let a retry of the same request be judged by the database.
            self.forget(&nonce);
        }
        answered
    }

    /// Adds to the local set; `false` if it was already there.
    fn remember(&self, nonce: [u8; 16]) -> bool {
        self.recent
            .lock()
            .map_or(true, |mut recent| recent.insert(nonce))
    }

    fn forget(&self, nonce: &[u8; 16]) {
        if let Ok(mut recent) = self.recent.lock() {
            recent.current.remove(nonce);
        }
    }
}

/// Keeps an unreachable database an "unavailable" error (503) rather than an internal one.
fn clone_error(e: &sqlx::Error) -> sqlx::Error {
    if crate::storage::is_unreachable(e) {
        sqlx::Error::PoolTimedOut
    } else {
        sqlx::Error::Protocol(format!("nonce batch failed: {e}"))
    }
}

/// Two generations of recently consumed nonces.
#[derive(Debug)]
struct Recent {
    current: HashSet<[u8; 16]>,
    previous: HashSet<[u8; 16]>,
    started: Instant,
}

impl Default for Recent {
    fn default() -> Self {
        Self {
            current: HashSet::new(),
            previous: HashSet::new(),
            started: Instant::now(),
        }
    }
}

impl Recent {
    fn insert(&mut self, nonce: [u8; 16]) -> bool {
        if self.started.elapsed() > LOCAL_GENERATION || self.current.len() >= LOCAL_MAX {
            self.previous = std::mem::take(&mut self.current);
            self.started = Instant::now();
        }
        !self.previous.contains(&nonce) && self.current.insert(nonce)
    }
}

async fn write_batches(
    db: PgPool,
    receiver: Arc<tokio::sync::Mutex<mpsc::UnboundedReceiver<Pending>>>,
    limit: Duration,
) {
    loop {
        let mut batch = Vec::new();
        {
            let mut receiver = receiver.lock().await;
            if receiver.recv_many(&mut batch, MAX_BATCH).await == 0 {
                return;
            }
        }
        // Requests that gave up waiting need no answer.
        batch.retain(|p| !p.reply.is_closed());
        if !batch.is_empty() {
            answer(&db, batch, limit).await;
        }
    }
}

/// Inserts one batch (its statement given at most `limit`) and answers each request; within a
/// batch only the first of two equal nonces is new.
async fn answer(db: &PgPool, batch: Vec<Pending>, limit: Duration) {
    let mut first: HashMap<[u8; 16], usize> = HashMap::new();
    let (mut users, mut nonces) = (Vec::new(), Vec::new());
    for (i, pending) in batch.iter().enumerate() {
        if let std::collections::hash_map::Entry::Vacant(slot) = first.entry(pending.nonce) {
            slot.insert(i);
            users.push(pending.user);
            nonces.push(pending.nonce.to_vec());
        }
    }
    let inserted = match crate::storage::acquire(db, "nonces").await {
        Ok(mut conn) => {
            let insert = crate::storage::nonces::insert_many(&mut conn, &users, &nonces);
            crate::storage::within(limit, insert).await
        }
        Err(e) => Err(e),
    };
    match inserted {
        Ok(inserted) => {
            let inserted: HashSet<Vec<u8>> = inserted.into_iter().collect();
            for (i, pending) in batch.into_iter().enumerate() {
                let fresh = first.get(&pending.nonce) == Some(&i)
                    && inserted.contains(pending.nonce.as_slice());
                let _ = pending.reply.send(Ok(fresh));
            }
        }
        Err(e) => {
            let e = Arc::new(e);
            for pending in batch {
                let _ = pending.reply.send(Err(Arc::clone(&e)));
            }
        }
    }
}
