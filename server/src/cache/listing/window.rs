//! The by-id window: the newest live messages of a room, answering `recent` and `before`.

use sogs_protocol::api::messages::Message;

use super::reactions::{ReactionIndex, WindowReactions};
use super::{Sequenced, WINDOW, visible};
use crate::storage::messages::Viewer;
use crate::storage::window::WindowRow;

/// The newest live messages of one room at one sequence.
#[derive(Debug)]
pub struct Window {
    sequence: i64,
    /// Whether the window holds every live message of the room.
    complete: bool,
    /// Newest first.
    rows: Vec<WindowRow>,
    reactions: ReactionIndex,
}

impl Window {
    /// A window of `rows` (newest first, at most [`WINDOW`]) for the room at `sequence`.
    pub fn new(sequence: i64, rows: Vec<WindowRow>, found: WindowReactions) -> Self {
        Self {
            sequence,
            complete: (rows.len() as i64) < WINDOW,
            rows,
            reactions: ReactionIndex::new(found),
        }
    }

    /// The messages `viewer` sees below `before` (newest first, at most `limit`), or `None`
    /// when the window cannot tell (it may lack older messages the viewer would see).
    pub fn listing(
        &self,
        viewer: Viewer,
        before: Option<i64>,
        limit: i64,
        reactors: i64,
    ) -> Option<Vec<Message>> {
        let limit = usize::try_from(limit).ok()?;
        let page: Vec<&WindowRow> = self
            .rows
            .iter()
            .filter(|m| before.is_none_or(|b| m.row.id < b) && visible(m, viewer))
            .take(limit)
            .collect();
        if page.len() < limit && !self.complete {
            return None;
        }
        Some(
            page.into_iter()
                .map(|m| {
                    let reactions = self.reactions.of(m.row.id, viewer.user_id, reactors);
                    crate::domain::listing::message_of(m.row.clone(), Some(reactions))
                })
                .collect(),
        )
    }
}

impl Sequenced for Window {
    fn sequence(&self) -> i64 {
        self.sequence
    }
}
