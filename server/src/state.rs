//! The state every handler shares: one object, registered once.

use std::sync::Arc;

use sqlx::PgPool;

use crate::budget::ByteBudget;
use crate::cache::Caches;
use crate::config::Settings;
use crate::domain::filter::WordList;
use crate::keys::ServerKeys;
use crate::limits::SenderLimiter;
use crate::writeback::activity::ActivityBuffer;
use crate::writeback::nonces::NonceWriter;
use crate::writeback::posts::PostWriter;

/// Everything a handler may need; cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct AppState {
    /// The PostgreSQL pool (the process's only one: `db.max_connections`, plus one listener
    /// connection for cache invalidation).
    pub db: PgPool,
    /// Rooms, permissions, users and DM marks kept in memory, invalidated by NOTIFY.
    pub caches: Arc<Caches>,
    /// Batched nonce consumption.
    pub nonces: NonceWriter,
    /// New posts, committed in groups.
    pub posts: PostWriter,
    /// Write-behind activity timestamps.
    pub activity: Arc<ActivityBuffer>,
    /// Validated settings.
    pub settings: Arc<Settings>,
    /// The server's X25519 key pair.
    pub keys: ServerKeys,
    /// The profanity word list (built-in plus `messages.profanity_custom`).
    pub words: WordList,
    /// Pubkeys that already passed the Ed25519 point check.
    pub valid_keys: KeyCache,
    /// `direct_messages.rate_limit_*`, per sender.
    pub dm_limiter: SenderLimiter,
    /// Request bodies in memory (`server.unauthenticated_body_budget_bytes`).
    pub body_budget: Arc<ByteBudget>,
    /// Answers in memory (`server.answer_budget_bytes`).
    pub answer_budget: Arc<ByteBudget>,
}

/// A bounded set of X-SOGS pubkeys known to be valid Ed25519 points, so the costly
/// prime-order check runs once per key rather than once per request. Purely a cache: when
/// full it starts over.
#[derive(Debug, Default)]
pub struct KeyCache(std::sync::Mutex<std::collections::HashSet<[u8; 32]>>);

impl KeyCache {
    const CAPACITY: usize = 100_000;

    /// Whether `key` is a valid point, computing and remembering it when unknown.
    pub fn is_valid(&self, key: &[u8; 32]) -> bool {
        if self.0.lock().is_ok_and(|set| set.contains(key)) {
            return true;
        }
        let valid = sogs_protocol::point::is_valid_point(key);
        if let (true, Ok(mut set)) = (valid, self.0.lock()) {
            if set.len() >= Self::CAPACITY {
                set.clear();
            }
            set.insert(*key);
        }
        valid
    }
}

impl AppState {
    /// Builds the state with the API's route table and starts its background tasks (cache
    /// listener, nonce writers, post writer, activity flush) on the current runtime; fails if
    /// the custom word list cannot be read.
    pub fn new(db: PgPool, settings: Arc<Settings>, keys: ServerKeys) -> std::io::Result<Self> {
        let custom_path = &settings.messages.profanity_custom;
        let custom = if custom_path.is_empty() {
            None
        } else {
            Some(std::fs::read_to_string(custom_path).map_err(|e| {
                std::io::Error::new(
                    e.kind(),
                    format!("messages.profanity_custom {custom_path}: {e}"),
                )
            })?)
        };
        let words = WordList::new(custom.as_deref());
        let settings_dm = settings.direct_messages.clone();
        let caches = Arc::new(Caches::new());
        if settings.server.memory_caches {
            crate::cache::listener::spawn(Arc::clone(&caches), db.clone());
        }
        let body_budget = ByteBudget::new(settings.server.unauthenticated_body_budget_bytes);
        let answer_budget = ByteBudget::new(settings.server.answer_budget_bytes);
        Ok(Self {
            nonces: NonceWriter::start(db.clone(), &settings.db),
            posts: PostWriter::start(db.clone(), Arc::clone(&settings)),
            activity: ActivityBuffer::start(db.clone(), settings.db.statement_timeout()),
            caches,
            db,
            settings,
            keys,
            words,
            valid_keys: KeyCache::default(),
            dm_limiter: SenderLimiter::new(
                settings_dm.rate_limit_messages,
                settings_dm.rate_limit_secs,
            ),
            body_budget,
            answer_budget,
        })
    }
}
