//! This device's copy of one server's inbox and outbox: the items exactly as the server sent
//! them (still end-to-end encrypted), fetched incrementally and deduplicated by id, and kept
//! after the server expires them. Each device of an account keeps its own copy; all converge
//! on what the server holds, which is what a device restored from the recovery phrase can
//! recover.

use serde::{Deserialize, Serialize};

/// One server's DMs as fetched so far, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Mailbox {
    /// Highest inbox id fetched (`GET /inbox/since/<id>` continues from here).
    #[serde(default)]
    pub inbox_cursor: i64,
    /// Highest outbox id fetched.
    #[serde(default)]
    pub outbox_cursor: i64,
    /// The items, sorted by id (an id appears at most once per direction).
    #[serde(default)]
    pub items: Vec<StoredDm>,
}

/// An inbox or outbox item as the server returned it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredDm {
    /// Server DM id (inbox and outbox share one sequence).
    pub id: i64,
    /// True for an outbox item (sent by this account, from any of its devices).
    pub outgoing: bool,
    /// The sender's blinded id.
    pub sender: String,
    /// The recipient's blinded id, as addressed.
    pub recipient: String,
    /// Server time in seconds.
    pub posted_at: f64,
    /// The encrypted message, base64.
    pub message: String,
}

impl Mailbox {
    /// Adds `item` unless this direction already has its id; returns whether it was new.
    pub fn insert(&mut self, item: StoredDm) -> bool {
        let cursor = if item.outgoing {
            &mut self.outbox_cursor
        } else {
            &mut self.inbox_cursor
        };
        *cursor = (*cursor).max(item.id);
        let key = (item.id, item.outgoing);
        match self
            .items
            .binary_search_by_key(&key, |i| (i.id, i.outgoing))
        {
            Ok(_) => false,
            Err(at) => {
                self.items.insert(at, item);
                true
            }
        }
    }

    /// The cursor of one direction.
    pub fn cursor(&self, outgoing: bool) -> i64 {
        if outgoing {
            self.outbox_cursor
        } else {
            self.inbox_cursor
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: i64, outgoing: bool) -> StoredDm {
        StoredDm {
            id,
            outgoing,
            sender: "15aa".into(),
            recipient: "15bb".into(),
            posted_at: 1.0,
            message: "AA==".into(),
        }
    }

    #[test]
    fn inserting_is_idempotent_and_keeps_id_order() {
        let mut mailbox = Mailbox::default();
        assert!(mailbox.insert(item(5, false)));
        assert!(mailbox.insert(item(2, true)));
        assert!(
            mailbox.insert(item(5, true)),
            "a DM to ourselves is in both boxes"
        );
        assert!(!mailbox.insert(item(5, false)));
        assert!(mailbox.insert(item(3, false)));
        let ids: Vec<(i64, bool)> = mailbox.items.iter().map(|i| (i.id, i.outgoing)).collect();
        assert_eq!(ids, [(2, true), (3, false), (5, false), (5, true)]);
        assert_eq!((mailbox.cursor(false), mailbox.cursor(true)), (5, 5));
    }
}
