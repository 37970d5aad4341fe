//! Write-behind for activity timestamps: `users.last_active` and room activity (`room_users`)
//! are recorded in memory and flushed at most every second, in one statement each. A crash
//! loses at most the last second of these timestamps, nothing else (docs/ARCHITECTURE.md).

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sqlx::PgPool;

/// How often the buffer is flushed.
pub const FLUSH_EVERY: Duration = Duration::from_secs(1);

/// Users and (room, user) pairs seen active since the last flush.
#[derive(Debug, Default)]
pub struct ActivityBuffer {
    pending: Mutex<Pending>,
}

#[derive(Debug, Default)]
struct Pending {
    users: HashSet<i64>,
    rooms: HashSet<(i64, i64)>,
}

impl ActivityBuffer {
    /// Starts the flush loop on the current runtime; a flush gets at most `limit` (a database
    /// that stops answering must not stop the loop).
    pub fn start(db: PgPool, limit: Duration) -> Arc<Self> {
        let buffer = Arc::new(Self::default());
        tokio::spawn(flush_forever(Arc::clone(&buffer), db, limit));
        buffer
    }

    /// The user made an authenticated request.
    pub fn user_seen(&self, user: i64) {
        if let Ok(mut pending) = self.pending.lock() {
            pending.users.insert(user);
        }
    }

    /// The user polled or read a room.
    pub fn room_seen(&self, room: i64, user: i64) {
        if let Ok(mut pending) = self.pending.lock() {
            pending.rooms.insert((room, user));
        }
    }

    /// Writes what was recorded (also called at shutdown).
    pub async fn flush(&self, db: &PgPool) -> Result<(), sqlx::Error> {
        let taken = match self.pending.lock() {
            Ok(mut pending) => std::mem::take(&mut *pending),
            Err(_) => return Ok(()),
        };
        if taken.users.is_empty() && taken.rooms.is_empty() {
            return Ok(());
        }
        let now = crate::clock::unix_now();
        let mut conn = crate::storage::acquire(db, "activity").await?;
        if !taken.users.is_empty() {
            let users: Vec<i64> = taken.users.into_iter().collect();
            crate::storage::users::touch_many(&mut conn, &users, now).await?;
        }
        if !taken.rooms.is_empty() {
            let (rooms, users): (Vec<i64>, Vec<i64>) = taken.rooms.into_iter().unzip();
            crate::storage::rooms::touch_activity_many(&mut conn, &rooms, &users, now).await?;
        }
        Ok(())
    }
}

async fn flush_forever(buffer: Arc<ActivityBuffer>, db: PgPool, limit: Duration) {
    let mut ticker = tokio::time::interval(FLUSH_EVERY);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        if let Err(e) = crate::storage::within(limit, buffer.flush(&db)).await {
            tracing::warn!(error = %e, "activity flush failed (timestamps of the last second lost)");
        }
    }
}
