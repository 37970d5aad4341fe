//! The state every handler shares: one object, registered once.

use std::sync::Arc;

use sqlx::PgPool;

use crate::config::Settings;
use crate::domain::filter::WordList;
use crate::http::router::Router;
use crate::keys::ServerKeys;

/// Everything a handler may need; cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct AppState {
    /// The PostgreSQL pool.
    pub db: PgPool,
    /// Validated settings.
    pub settings: Arc<Settings>,
    /// The server's X25519 key pair.
    pub keys: ServerKeys,
    /// The route table used for direct, batch and onion requests alike.
    pub router: Router,
    /// The profanity word list (built-in plus `messages.profanity_custom`).
    pub words: WordList,
}

impl AppState {
    /// Builds the state with the API's route table; fails if the custom word list cannot be read.
    pub fn new(db: PgPool, settings: Arc<Settings>, keys: ServerKeys) -> std::io::Result<Self> {
        let custom_path = &settings.messages.profanity_custom;
        let custom = if custom_path.is_empty() {
            None
        } else {
            Some(std::fs::read_to_string(custom_path).map_err(|e| {
                std::io::Error::new(e.kind(), format!("messages.profanity_custom {custom_path}: {e}"))
            })?)
        };
        let words = WordList::new(custom.as_deref());
        Ok(Self { db, settings, keys, router: crate::http::routes(), words })
    }
}
