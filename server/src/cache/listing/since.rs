//! The since window: the rows of a room holding its highest seqnos (live messages and
//! tombstones), answering `messages/since/<n>` whenever it holds every row above `n`.

use sogs_protocol::api::messages::MessageUpdate;

use super::reactions::{ReactionIndex, WindowReactions};
use super::{Sequenced, WINDOW, visible};
use crate::domain::message::Selection;
use crate::storage::messages::Viewer;
use crate::storage::window::SinceRow;

/// The unfiltered rows with the highest seqnos of one room at one sequence.
#[derive(Debug)]
pub struct SinceWindow {
    sequence: i64,
    /// Whether the window holds every unfiltered row of the room.
    complete: bool,
    /// By seqno, ascending (seqnos are unique within a room: each is one step of its sequence).
    rows: Vec<SinceRow>,
    reactions: ReactionIndex,
}

impl SinceWindow {
    /// A window of `rows` (highest seqno first, at most [`WINDOW`]) for the room at `sequence`.
    pub fn new(sequence: i64, mut rows: Vec<SinceRow>, found: WindowReactions) -> Self {
        let complete = (rows.len() as i64) < WINDOW;
        rows.reverse();
        Self {
            sequence,
            complete,
            rows,
            reactions: ReactionIndex::new(found),
        }
    }

    /// Whether every row with a seqno above `since` is in the window: all rows are, or every
    /// row left out has a seqno below the lowest one kept, hence at most `since`.
    pub fn covers(&self, since: i64) -> bool {
        self.complete
            || self
                .rows
                .first()
                .is_some_and(|m| since >= m.message.row.seqno - 1)
    }

    /// The `since/<n>` answer for `viewer` (`t=r` when `reactions_only`), exactly as the
    /// database path selects and renders it, or `None` when the window does not cover `since`.
    pub fn updates(
        &self,
        viewer: Viewer,
        since: i64,
        reactions_only: bool,
        limit: i64,
        reactors: i64,
    ) -> Option<Vec<MessageUpdate>> {
        if !self.covers(since) {
            return None;
        }
        let limit = usize::try_from(limit).ok()?;
        let selection = Selection::Since {
            seqno: since,
            reactions_only,
        };
        let start = self.rows.partition_point(|m| m.message.row.seqno <= since);
        let updates = self.rows[start..]
            .iter()
            .filter(|m| selected(m, since, reactions_only) && visible(&m.message, viewer))
            .take(limit)
            .map(|m| {
                let row = &m.message.row;
                let reactions = row
                    .data
                    .is_some()
                    .then(|| self.reactions.of(row.id, viewer.user_id, reactors));
                crate::domain::listing::update_of(row.clone(), selection, reactions)
            })
            .collect();
        Some(updates)
    }
}

/// The row conditions of `list_since` other than whisper visibility: changed after `since`
/// (its content, unless reaction-only rows were asked for), and a tombstone only for a post
/// the poller may have seen.
fn selected(m: &SinceRow, since: i64, reactions_only: bool) -> bool {
    let row = &m.message.row;
    row.seqno > since
        && (reactions_only || row.seqno_data > since)
        && (row.data.is_some() || m.seqno_creation <= since)
}

impl Sequenced for SinceWindow {
    fn sequence(&self) -> i64 {
        self.sequence
    }
}
