//! The background cleanup task (pysogs `cleanup.py`, spec §10): single steps taking an explicit
//! `now`, [`run_once`] for one pass, and [`run_forever`] for the server's loop.

use std::time::Duration;

use serde::Serialize;
use sqlx::PgPool;

use crate::clock::unix_now;
use crate::config::Settings;
use crate::storage::cleanup as q;
use crate::storage::{messages, rooms};

const DAY: f64 = 86_400.0;

/// Messages one retention transaction deletes; a room with more repeats until done.
const RETENTION_BATCH: i64 = 1_000;

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Expired files deleted.
    pub files: u64,
    /// Expired direct messages deleted.
    pub direct_messages: u64,
    /// Edit history rows deleted.
    pub message_history: u64,
    /// Room activity rows deleted.
    pub room_activity: u64,
    /// Scheduled permission changes and bans applied.
    pub permission_updates: u64,
    /// Nonces expired.
    pub nonces: u64,
    /// Messages deleted because they were older than their room's retention.
    pub expired_messages: u64,
}

/// Applies the permission and ban futures due at `now`, in one transaction.
pub async fn apply_permission_updates(pool: &PgPool, now: f64) -> Result<u64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let perms = q::apply_permission_futures(&mut tx, now).await?;
    let bans = q::apply_ban_futures(&mut tx, now).await?;
    tx.commit().await?;
    Ok(perms + bans)
}

/// Deletes files expired at `now`.
pub async fn prune_files(pool: &PgPool, now: f64) -> Result<u64, sqlx::Error> {
    q::prune_files(pool, now).await
}

/// Deletes direct messages expired at `now`.
pub async fn prune_direct_messages(pool: &PgPool, now: f64) -> Result<u64, sqlx::Error> {
    q::prune_direct_messages(pool, now).await
}

/// Deletes nonces expired at `now`.
pub async fn expire_nonces(pool: &PgPool, now: f64) -> Result<u64, sqlx::Error> {
    q::expire_nonces(pool, now).await
}

/// Deletes edit history older than the configured threshold.
pub async fn prune_message_history(
    pool: &PgPool,
    settings: &Settings,
    now: f64,
) -> Result<u64, sqlx::Error> {
    q::prune_message_history(pool, now - settings.cleanup.history_prune_days * DAY).await
}

/// Deletes old room activity and recounts `rooms.active_users`.
pub async fn prune_room_activity(
    pool: &PgPool,
    settings: &Settings,
    now: f64,
) -> Result<u64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let rooms = &settings.rooms;
    let pruned = q::prune_room_activity(
        &mut tx,
        now - rooms.active_prune_threshold_days * DAY,
        now - rooms.active_threshold_days * DAY,
    )
    .await?;
    tx.commit().await?;
    Ok(pruned)
}

/// Deletes the messages older than their room's retention (`[messages] retention_days`, or
/// the room's override; 0 keeps forever) as a moderator deletion does: each becomes a
/// tombstone, and the triggers move the room's sequence, remove reactions and let the
/// attachments expire. Pinned messages are kept. Returns how many were deleted.
pub async fn expire_messages(
    pool: &PgPool,
    settings: &Settings,
    now: f64,
) -> Result<u64, sqlx::Error> {
    if !any_retention(settings) {
        return Ok(0);
    }
    let mut deleted = 0;
    for room in rooms::list_all(pool).await? {
        let days = settings.retention_days_for(&room.token);
        if days > 0.0 {
            deleted += expire_room_messages(pool, room.id, now - days * DAY).await?;
        }
    }
    Ok(deleted)
}

/// Whether any room may have a retention limit.
fn any_retention(settings: &Settings) -> bool {
    settings.messages.retention_days > 0.0
        || settings
            .room
            .values()
            .any(|o| o.retention_days.is_some_and(|d| d > 0.0))
}

/// Deletes a room's unpinned messages posted before `cutoff`, in batches.
async fn expire_room_messages(pool: &PgPool, room: i64, cutoff: f64) -> Result<u64, sqlx::Error> {
    let mut deleted = 0;
    loop {
        let mut tx = pool.begin().await?;
        let ids = q::messages_past_retention(&mut tx, room, cutoff, RETENTION_BATCH).await?;
        deleted += messages::delete(&mut tx, &ids).await?;
        tx.commit().await?;
        if (ids.len() as i64) < RETENTION_BATCH {
            return Ok(deleted);
        }
    }
}

/// One full pass at `now`.
pub async fn run_once(pool: &PgPool, settings: &Settings, now: f64) -> Result<Counts, sqlx::Error> {
    Ok(Counts {
        // First, so the attachments of expired messages can go in the same pass.
        expired_messages: expire_messages(pool, settings, now).await?,
        files: prune_files(pool, now).await?,
        direct_messages: prune_direct_messages(pool, now).await?,
        message_history: prune_message_history(pool, settings, now).await?,
        room_activity: prune_room_activity(pool, settings, now).await?,
        permission_updates: apply_permission_updates(pool, now).await?,
        nonces: expire_nonces(pool, now).await?,
    })
}

/// Runs a pass every `[cleanup] interval_secs` until the future is dropped; failures are
/// logged and retried at the next tick.
pub async fn run_forever(state: std::sync::Arc<crate::state::AppState>) {
    let (pool, settings) = (&state.db, &state.settings);
    let period = Duration::from_secs_f64(settings.cleanup.interval_secs.max(0.1));
    let mut ticker = tokio::time::interval(period);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        state.dm_limiter.forget_idle();
        match run_once(pool, settings, unix_now())
            .await
            .inspect(crate::metrics::cleanup)
        {
            Ok(counts) if counts != Counts::default() => tracing::info!(?counts, "cleanup pass"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "cleanup pass failed"),
        }
    }
}
