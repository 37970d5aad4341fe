//! The reactions of a window's messages as the database reported them once, answered per
//! request with the caller's own `you` flag and the asked number of reactors.

use std::collections::{HashMap, HashSet};

use sogs_protocol::api::messages::{ReactionInfo, Reactions};

use super::MAX_REACTORS;
use crate::storage::reactions::ReactionRow;

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

/// One reaction of a cached message.
#[derive(Debug, Clone)]
struct CachedReaction {
    reaction: String,
    count: i64,
    /// Session ids of the first reactors, by time.
    first: Vec<String>,
    users: HashSet<i64>,
}

/// Message id → its reactions, in creation order.
#[derive(Debug, Default)]
pub(super) struct ReactionIndex {
    by_message: HashMap<i64, Vec<CachedReaction>>,
}

impl ReactionIndex {
    /// Indexes what the database reported.
    pub(super) fn new(found: WindowReactions) -> Self {
        let mut first: HashMap<i64, Vec<String>> = HashMap::new();
        for (reaction, session_id) in found.first_reactors {
            first.entry(reaction).or_default().push(session_id);
        }
        let mut users: HashMap<i64, HashSet<i64>> = HashMap::new();
        for (reaction, user) in found.reactors {
            users.entry(reaction).or_default().insert(user);
        }
        let mut by_message: HashMap<i64, Vec<CachedReaction>> = HashMap::new();
        for summary in found.summaries {
            by_message
                .entry(summary.message)
                .or_default()
                .push(CachedReaction {
                    count: summary.count,
                    first: first.remove(&summary.id).unwrap_or_default(),
                    users: users.remove(&summary.id).unwrap_or_default(),
                    reaction: summary.reaction,
                });
        }
        Self { by_message }
    }

    /// The reactions of `message` as `viewer` sees them, with up to `reactors` reactors each
    /// (none at all, not even an empty list, for 0), as `http::messages::reactions_of` renders
    /// them from the database.
    pub(super) fn of(&self, message: i64, viewer: Option<i64>, reactors: i64) -> Reactions {
        let Some(cached) = self.by_message.get(&message) else {
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
