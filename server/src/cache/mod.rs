//! What each server process keeps in memory so that requests whose answer it already knows do
//! not wait for PostgreSQL: rooms, callers' permissions, users, "nothing newer" marks for
//! direct messages, and each room's newest messages. PostgreSQL stays the truth: every change is announced by triggers on the
//! `sogs_cache` channel (migration 0033) and [`listener`] invalidates what it names.
//!
//! Guarantees (docs/ARCHITECTURE.md, "Caches"):
//! - a change committed by any process or `sogs-admin` reaches every process's caches when the
//!   notification arrives (milliseconds; the tests assert under 1 s);
//! - a change made by a request of this process is visible to its next request: write
//!   requests end with [`Caches::sync`], a barrier through the same channel;
//! - while the listener is not connected, nothing is read from or written to the caches.

pub mod dms;
pub mod listener;
pub mod listing;
pub mod rooms;
pub mod users;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use sqlx::PgPool;
use tokio::sync::{Notify, watch};

/// The channel every invalidation is announced on.
pub const CHANNEL: &str = "sogs_cache";

/// Longest a write request waits for its own barrier before it drops every cache instead.
const SYNC_TIMEOUT: Duration = Duration::from_secs(1);

/// All of a process's caches and the state of its listener.
#[derive(Debug)]
pub struct Caches {
    /// Rooms by id and token, and callers' effective permissions per room.
    pub rooms: rooms::RoomCache,
    /// Users by the id they sign with.
    pub users: users::UserCache,
    /// Direct-message "nothing newer than" marks.
    pub dms: dms::DmCache,
    /// Per room, the newest messages at the room's current sequence.
    pub listings: listing::ListingCache,
    listening: AtomicBool,
    process: u64,
    /// Barrier tickets handed out; the sender announces the highest one so far.
    barrier_wanted: AtomicU64,
    barrier_due: Notify,
    barrier_seen: watch::Sender<u64>,
}

impl Default for Caches {
    fn default() -> Self {
        Self::new()
    }
}

impl Caches {
    /// Empty caches, not in use until the listener connects.
    pub fn new() -> Self {
        let mut process = [0u8; 8];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut process);
        Self {
            rooms: rooms::RoomCache::default(),
            users: users::UserCache::default(),
            dms: dms::DmCache::default(),
            listings: listing::ListingCache::default(),
            listening: AtomicBool::new(false),
            process: u64::from_le_bytes(process),
            barrier_wanted: AtomicU64::new(0),
            barrier_due: Notify::new(),
            barrier_seen: watch::channel(0).0,
        }
    }

    /// Whether the caches may be used: only while notifications are being received.
    pub fn enabled(&self) -> bool {
        self.listening.load(Ordering::Acquire)
    }

    /// Drops everything (the listener (re)connected or lost its connection).
    pub fn clear(&self) {
        self.rooms.clear();
        self.users.clear();
        self.dms.clear();
        self.listings.clear();
    }

    fn set_listening(&self, on: bool) {
        self.clear();
        self.listening.store(on, Ordering::Release);
        // Barriers sent so far are moot: the caches were just emptied. While not listening,
        // nobody would see them at all, so every waiter is released.
        let seen = if on {
            self.barrier_wanted.load(Ordering::Acquire)
        } else {
            u64::MAX
        };
        self.barrier_seen.send_replace(seen);
    }

    /// Applies one notification payload; unknown payloads drop everything (safe).
    pub fn apply(&self, payload: &str) {
        match parse(payload) {
            Some(Notice::Room(room)) => self.rooms.room_changed(room),
            Some(Notice::Defaults(room)) => self.rooms.defaults_changed(room),
            Some(Notice::Sequence(room, seq)) => self.rooms.sequence_moved(room, seq),
            Some(Notice::User(user)) => {
                self.users.user_changed(user);
                self.rooms.user_changed(user);
                self.listings.clear();
            }
            Some(Notice::Override(room, user)) => self.rooms.override_changed(room, user),
            Some(Notice::Dm(recipient, sender)) => self.dms.changed(&[recipient, sender]),
            Some(Notice::Barrier(process, n)) if process == self.process => {
                self.barrier_seen.send_if_modified(|seen| {
                    let newer = n > *seen;
                    *seen = (*seen).max(n);
                    newer
                });
            }
            Some(Notice::Barrier(..)) => {}
            None => {
                tracing::warn!(payload, "unknown cache notification; dropping every cache");
                self.clear();
            }
        }
    }

    /// Returns once every change committed before this call is reflected in this process's
    /// caches: a barrier notification is sent after the call began and awaited on the listener
    /// (notifications arrive in commit order). Concurrent calls share one barrier. Past
    /// [`SYNC_TIMEOUT`] it drops every cache instead.
    pub async fn sync(&self) {
        if !self.enabled() {
            return;
        }
        let ticket = self.barrier_wanted.fetch_add(1, Ordering::AcqRel) + 1;
        let mut seen = self.barrier_seen.subscribe();
        self.barrier_due.notify_one();
        let arrived = tokio::time::timeout(SYNC_TIMEOUT, seen.wait_for(|s| *s >= ticket)).await;
        if !matches!(arrived, Ok(Ok(_))) {
            tracing::warn!("cache barrier not seen in time; dropping every cache");
            self.clear();
        }
    }

    /// Sends barriers for [`sync`](Self::sync) callers, one notification for all the tickets
    /// handed out before it is sent; runs as long as the runtime.
    pub(crate) async fn send_barriers(&self, db: PgPool) {
        loop {
            self.barrier_due.notified().await;
            let upto = self.barrier_wanted.load(Ordering::Acquire);
            let payload = format!("b{}:{upto}", self.process);
            if crate::storage::notify(&db, CHANNEL, &payload)
                .await
                .is_err()
            {
                // Nobody will see it: empty the caches, then release the waiters.
                self.clear();
                self.barrier_seen
                    .send_modify(|seen| *seen = (*seen).max(upto));
            }
        }
    }
}

/// One parsed notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Notice {
    Room(i64),
    Defaults(i64),
    Sequence(i64, i64),
    User(i64),
    Override(i64, i64),
    Dm(i64, i64),
    Barrier(u64, u64),
}

fn parse(payload: &str) -> Option<Notice> {
    let (kind, rest) = payload.split_at_checked(1)?;
    let one = || rest.parse::<i64>().ok();
    let two = || {
        let (a, b) = rest.split_once(':')?;
        Some((a.parse::<i64>().ok()?, b.parse::<i64>().ok()?))
    };
    Some(match kind {
        "r" => Notice::Room(one()?),
        "d" => Notice::Defaults(one()?),
        "s" => two().map(|(room, seq)| Notice::Sequence(room, seq))?,
        "u" => Notice::User(one()?),
        "p" => two().map(|(room, user)| Notice::Override(room, user))?,
        "i" => two().map(|(recipient, sender)| Notice::Dm(recipient, sender))?,
        "b" => {
            let (process, n) = rest.split_once(':')?;
            Notice::Barrier(process.parse().ok()?, n.parse().ok()?)
        }
        _ => return None,
    })
}

/// A counter raised by every invalidation of one cache: a value loaded from the database is
/// stored only if no invalidation happened while it was being loaded.
#[derive(Debug, Default)]
pub struct Epoch(AtomicU64);

impl Epoch {
    /// The current value, read before a database load.
    pub fn current(&self) -> u64 {
        self.0.load(Ordering::Acquire)
    }

    /// Marks an invalidation.
    pub fn bump(&self) {
        self.0.fetch_add(1, Ordering::AcqRel);
    }

    /// Whether nothing was invalidated since `seen` was read.
    pub fn unchanged_since(&self, seen: u64) -> bool {
        self.current() == seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_parse() {
        assert_eq!(parse("r12"), Some(Notice::Room(12)));
        assert_eq!(parse("d3"), Some(Notice::Defaults(3)));
        assert_eq!(parse("s3:99"), Some(Notice::Sequence(3, 99)));
        assert_eq!(parse("u7"), Some(Notice::User(7)));
        assert_eq!(parse("p3:7"), Some(Notice::Override(3, 7)));
        assert_eq!(parse("i7:8"), Some(Notice::Dm(7, 8)));
        assert_eq!(
            parse("b18446744073709551615:2"),
            Some(Notice::Barrier(u64::MAX, 2))
        );
        for bad in ["", "x1", "r", "rx", "s3", "p3:", "é"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
    }
}
