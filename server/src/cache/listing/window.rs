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
        let page = self.select(viewer, before, limit)?;
        Some(self.render(&page, viewer, reactors))
    }

    /// The rows [`listing`](Self::listing) would show, not yet rendered (so that a caller
    /// can weigh them first, with [`encoded_len`]).
    pub fn select(
        &self,
        viewer: Viewer,
        before: Option<i64>,
        limit: i64,
    ) -> Option<Vec<&WindowRow>> {
        let limit = usize::try_from(limit).ok()?;
        let page: Vec<&WindowRow> = self
            .rows
            .iter()
            .filter(|m| before.is_none_or(|b| m.row.id < b) && visible(m, viewer))
            .take(limit)
            .collect();
        (page.len() >= limit || self.complete).then_some(page)
    }

    /// The selected rows as wire messages, with their reactions as `viewer` sees them.
    pub fn render(&self, page: &[&WindowRow], viewer: Viewer, reactors: i64) -> Vec<Message> {
        page.iter()
            .map(|m| {
                let reactions = self.reactions.of(m.row.id, viewer.user_id, reactors);
                crate::domain::listing::message_of(m.row.clone(), Some(reactions))
            })
            .collect()
    }
}

/// Bytes of base64 the rows' data will take in an answer.
pub fn encoded_len(page: &[&WindowRow]) -> usize {
    page.iter()
        .map(|m| m.row.data.as_ref().map_or(0, |d| d.len().div_ceil(3) * 4))
        .sum()
}

impl Sequenced for Window {
    fn sequence(&self) -> i64 {
        self.sequence
    }
}
