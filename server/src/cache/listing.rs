//! The listing window: per room, the newest live messages (up to [`WINDOW`]) with their
//! reactions, valid for exactly one room sequence. Every change to a room's messages or
//! reactions moves its sequence, so a window whose sequence is not the room's current one is
//! simply rebuilt; `recent` and `before` inside the window are answered without a query, with
//! whisper visibility and the caller's own reactions decided per request, as the SQL does.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, RwLock};

use sogs_protocol::api::messages::{Message, ReactionInfo, Reactions};

use super::Epoch;
use crate::storage::messages::Viewer;
use crate::storage::reactions::ReactionRow;
use crate::storage::window::WindowRow;

/// Messages kept per room (the largest page a listing returns).
pub const WINDOW: i64 = 256;
/// Reactors kept per reaction (the largest `reactors` a listing accepts).
pub const MAX_REACTORS: i64 = 20;

/// One reaction of a cached message.
#[derive(Debug, Clone)]
struct CachedReaction {
    reaction: String,
    count: i64,
    /// Session ids of the first reactors, by time.
    first: Vec<String>,
    users: HashSet<i64>,
}

/// The newest messages of one room at one sequence.
#[derive(Debug)]
pub struct Window {
    sequence: i64,
    /// Whether the window holds every live message of the room.
    complete: bool,
    /// Newest first.
    rows: Vec<WindowRow>,
    reactions: HashMap<i64, Vec<CachedReaction>>,
}

/// What the database said about a window's reactions.
#[derive(Debug, Default)]
pub struct WindowReactions {
    /// Reaction rows with counts, in creation order.
    pub summaries: Vec<ReactionRow>,
    /// `(reaction id, session id)` of the first reactors, by time.
    pub first_reactors: Vec<(i64, String)>,
    /// `(reaction id, user id)` of every reactor.
    pub reactors: Vec<(i64, i64)>,
}

impl Window {
    /// A window of `rows` (newest first, at most [`WINDOW`]) for the room at `sequence`.
    pub fn new(sequence: i64, rows: Vec<WindowRow>, found: WindowReactions) -> Self {
        let mut first: HashMap<i64, Vec<String>> = HashMap::new();
        for (reaction, session_id) in found.first_reactors {
            first.entry(reaction).or_default().push(session_id);
        }
        let mut users: HashMap<i64, HashSet<i64>> = HashMap::new();
        for (reaction, user) in found.reactors {
            users.entry(reaction).or_default().insert(user);
        }
        let mut reactions: HashMap<i64, Vec<CachedReaction>> = HashMap::new();
        for summary in found.summaries {
            reactions
                .entry(summary.message)
                .or_default()
                .push(CachedReaction {
                    count: summary.count,
                    first: first.remove(&summary.id).unwrap_or_default(),
                    users: users.remove(&summary.id).unwrap_or_default(),
                    reaction: summary.reaction,
                });
        }
        Self {
            sequence,
            complete: (rows.len() as i64) < WINDOW,
            rows,
            reactions,
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
                    let reactions = self.reactions_of(m.row.id, viewer.user_id, reactors);
                    crate::http::messages::message_of(m.row.clone(), Some(reactions))
                })
                .collect(),
        )
    }

    fn reactions_of(&self, message: i64, viewer: Option<i64>, reactors: i64) -> Reactions {
        let Some(cached) = self.reactions.get(&message) else {
            return Reactions::new();
        };
        let shown = usize::try_from(reactors.clamp(0, MAX_REACTORS)).unwrap_or(0);
        cached
            .iter()
            .enumerate()
            .map(|(index, r)| {
                let info = ReactionInfo {
                    index: index as i64,
                    count: r.count,
                    reactors: (reactors > 0).then(|| r.first.iter().take(shown).cloned().collect()),
                    you: viewer.is_some_and(|v| r.users.contains(&v)).then_some(true),
                };
                (r.reaction.clone(), info)
            })
            .collect()
    }
}

/// Whisper visibility, exactly as the listing queries decide it (spec §6.6).
fn visible(m: &WindowRow, viewer: Viewer) -> bool {
    let to_viewer = viewer.user_id.is_some() && m.whisper == viewer.user_id;
    if viewer.moderator {
        m.row.whisper_mods || to_viewer || viewer.user_id == Some(m.row.user) || m.whisper.is_none()
    } else {
        to_viewer || (m.whisper.is_none() && !m.row.whisper_mods)
    }
}

/// Room id → its window.
#[derive(Debug, Default)]
pub struct ListingCache {
    windows: RwLock<HashMap<i64, Arc<Window>>>,
    epoch: Epoch,
}

impl ListingCache {
    /// The room's window if it was built at `sequence`.
    pub fn get(&self, room: i64, sequence: i64) -> Option<Arc<Window>> {
        let windows = self.windows.read().ok()?;
        windows
            .get(&room)
            .filter(|w| w.sequence == sequence)
            .cloned()
    }

    /// The epoch to read before loading a window.
    pub fn epoch(&self) -> u64 {
        self.epoch.current()
    }

    /// Stores a window built while the epoch was `epoch`.
    pub fn put(&self, epoch: u64, room: i64, window: Arc<Window>) {
        if let Ok(mut windows) = self.windows.write() {
            if self.epoch.unchanged_since(epoch) {
                windows.insert(room, window);
            }
        }
    }

    /// Drops every window (a user's session id, shown in listings, may have changed).
    pub fn clear(&self) {
        if let Ok(mut windows) = self.windows.write() {
            self.epoch.bump();
            windows.clear();
        }
    }
}
