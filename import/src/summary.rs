//! The import's account: rows per kind in the source, written, skipped (with why), and found
//! in the target afterwards; printed by `sogs-admin import-pysogs`.

use std::collections::BTreeMap;
use std::fmt;

/// A kind of row, in the order they are copied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// `users`, the system user included.
    Users,
    /// `rooms`.
    Rooms,
    /// `messages` (posts, tombstones, whispers).
    Messages,
    /// `message_history`.
    History,
    /// `reactions`.
    Reactions,
    /// `user_reactions`.
    Reactors,
    /// `files` (with their content).
    Files,
    /// `pinned_messages`.
    Pins,
    /// `user_permission_overrides`.
    Overrides,
    /// `user_permission_futures`.
    PermissionFutures,
    /// `user_ban_futures`.
    BanFutures,
    /// `room_users`.
    RoomActivity,
    /// `needs_blinding`.
    NeedsBlinding,
    /// `inbox`.
    Inbox,
    /// `user_request_nonces`.
    Nonces,
}

impl Kind {
    /// The label shown in the summary and the progress bar.
    pub fn label(self) -> &'static str {
        match self {
            Self::Users => "users",
            Self::Rooms => "rooms",
            Self::Messages => "messages",
            Self::History => "message history",
            Self::Reactions => "reactions",
            Self::Reactors => "reactors",
            Self::Files => "files",
            Self::Pins => "pinned messages",
            Self::Overrides => "permission overrides",
            Self::PermissionFutures => "permission futures",
            Self::BanFutures => "ban futures",
            Self::RoomActivity => "room activity",
            Self::NeedsBlinding => "needs_blinding",
            Self::Inbox => "direct messages",
            Self::Nonces => "request nonces",
        }
    }
}

/// The numbers of one kind.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KindCount {
    /// Rows in the source table.
    pub source: u64,
    /// Rows written (to be written, in a dry run).
    pub written: u64,
    /// Rows left out, by reason.
    pub skipped: BTreeMap<&'static str, u64>,
    /// Rows found in the target after writing (`None` in a dry run).
    pub target: Option<u64>,
}

impl KindCount {
    /// Rows left out, for every reason.
    pub fn skipped_total(&self) -> u64 {
        self.skipped.values().sum()
    }
}

/// Everything an import did or, in a dry run, would do.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Nothing was written.
    pub dry_run: bool,
    /// The public key of the imported server key (hex), as in join URLs.
    pub server_pubkey: String,
    /// Per kind.
    pub counts: BTreeMap<Kind, KindCount>,
    /// Upload bytes copied into PostgreSQL.
    pub file_bytes: u64,
    /// Things found in the source that are not carried over.
    pub notes: Vec<String>,
}

impl Summary {
    /// An empty account.
    pub fn new(dry_run: bool, server_pubkey: String) -> Self {
        Self {
            dry_run,
            server_pubkey,
            counts: BTreeMap::new(),
            file_bytes: 0,
            notes: Vec::new(),
        }
    }

    /// The numbers of `kind` (zero if it was never counted).
    pub fn count(&self, kind: Kind) -> KindCount {
        self.counts.get(&kind).cloned().unwrap_or_default()
    }

    pub(crate) fn entry(&mut self, kind: Kind) -> &mut KindCount {
        self.counts.entry(kind).or_default()
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (verb, target) = match self.dry_run {
            true => ("would import", "-"),
            false => ("imported", "in target"),
        };
        writeln!(
            f,
            "{:<22}{:>10}{:>14}{:>10}{:>11}",
            "", "source", verb, "skipped", target
        )?;
        for (kind, c) in &self.counts {
            let found = c.target.map_or_else(|| "-".to_owned(), |n| n.to_string());
            writeln!(
                f,
                "{:<22}{:>10}{:>14}{:>10}{:>11}",
                kind.label(),
                c.source,
                c.written,
                c.skipped_total(),
                found
            )?;
            for (reason, n) in &c.skipped {
                writeln!(f, "  skipped {n}: {reason}")?;
            }
        }
        writeln!(f, "upload bytes: {}", self.file_bytes)?;
        for note in &self.notes {
            writeln!(f, "not carried over: {note}")?;
        }
        write!(f, "server public key: {}", self.server_pubkey)
    }
}
