//! Direct messages: per user and direction, the id up to which the listing is known to hold
//! nothing newer, so a caught-up `GET /inbox/since/<id>` or `/outbox/since/<id>` answers 304
//! without a query.

use std::collections::HashMap;
use std::sync::RwLock;

use super::Epoch;

/// Most marks kept; when full the cache starts over.
const MAX_MARKS: usize = 400_000;

/// Which listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mailbox {
    /// Messages received.
    Inbox,
    /// Messages sent.
    Outbox,
}

/// (user, box) → nothing listed there has an id above this.
#[derive(Debug, Default)]
pub struct DmCache {
    marks: RwLock<HashMap<(i64, Mailbox), i64>>,
    epoch: Epoch,
}

impl DmCache {
    /// Whether the listing is known to hold nothing with an id above `since`.
    pub fn nothing_after(&self, user: i64, which: Mailbox, since: i64) -> bool {
        self.marks
            .read()
            .ok()
            .and_then(|marks| marks.get(&(user, which)).copied())
            .is_some_and(|mark| since >= mark)
    }

    /// The epoch to read before listing from the database.
    pub fn epoch(&self) -> u64 {
        self.epoch.current()
    }

    /// Records that the listing, as loaded while the epoch was `epoch`, holds nothing above `mark`.
    pub fn put(&self, epoch: u64, user: i64, which: Mailbox, mark: i64) {
        if let Ok(mut marks) = self.marks.write() {
            if !self.epoch.unchanged_since(epoch) {
                return;
            }
            if marks.len() >= MAX_MARKS {
                marks.clear();
            }
            marks.insert((user, which), mark);
        }
    }

    /// `i`: a message between these users was stored or deleted.
    pub fn changed(&self, users: &[i64]) {
        if let Ok(mut marks) = self.marks.write() {
            self.epoch.bump();
            for user in users {
                marks.remove(&(*user, Mailbox::Inbox));
                marks.remove(&(*user, Mailbox::Outbox));
            }
        }
    }

    /// Drops everything.
    pub fn clear(&self) {
        if let Ok(mut marks) = self.marks.write() {
            self.epoch.bump();
            marks.clear();
        }
    }
}
