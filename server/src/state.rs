//! The state every handler shares: one object, registered once.

use std::sync::Arc;

use sqlx::PgPool;

use crate::config::Settings;
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
}

impl AppState {
    /// Builds the state with the API's route table.
    pub fn new(db: PgPool, settings: Arc<Settings>, keys: ServerKeys) -> Self {
        Self { db, settings, keys, router: crate::http::routes() }
    }
}
