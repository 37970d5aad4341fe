//! The LISTEN loop: one dedicated connection per process receives `sogs_cache` notifications
//! and applies them. The caches are in use only while it is connected; on any loss they are
//! dropped and stay unused until it is back.

use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;
use sqlx::postgres::PgListener;

use super::{CHANNEL, Caches};

/// Starts the loop (and the barrier sender) on the current runtime; they run for as long as
/// the runtime does.
pub fn spawn(caches: Arc<Caches>, db: PgPool) -> tokio::task::JoinHandle<()> {
    let barriers = Arc::clone(&caches);
    let barrier_db = db.clone();
    tokio::spawn(async move { barriers.send_barriers(barrier_db).await });
    tokio::spawn(run(caches, db))
}

async fn run(caches: Arc<Caches>, db: PgPool) {
    let mut wait = Duration::from_millis(100);
    loop {
        match listen(&caches, &db).await {
            Ok(()) => wait = Duration::from_millis(100),
            Err(e) => {
                tracing::warn!(error = %e, retry_in = ?wait, "cache listener disconnected; caches off");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(5));
            }
        }
    }
}

/// Connects, turns the caches on, and applies notifications until the connection is lost.
async fn listen(caches: &Caches, db: &PgPool) -> Result<(), sqlx::Error> {
    let mut listener = PgListener::connect_with(db).await?;
    listener.listen(CHANNEL).await?;
    // Anything changed while we were away is unknown: start empty.
    caches.set_listening(true);
    let outcome = loop {
        match listener.try_recv().await {
            Ok(Some(notification)) => caches.apply(notification.payload()),
            // The connection was lost (notifications may be lost with it).
            Ok(None) => break Ok(()),
            Err(e) => break Err(e),
        }
    };
    caches.set_listening(false);
    outcome
}
