//! The listing windows, per room and valid for exactly one room sequence (every change to a
//! room's messages or reactions moves it, so a window whose sequence is not the room's current
//! one is simply rebuilt):
//! - [`Window`]: the newest live messages by id, answering `recent` and `before`;
//! - [`SinceWindow`]: the rows holding the highest seqnos, tombstones included, answering
//!   `since/<n>` when it holds every row above `n`.
//!
//! Both keep their messages' reactions; whisper visibility and the caller's own reactions are
//! decided per request, exactly as the SQL does.

mod reactions;
mod since;
mod window;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

pub use reactions::WindowReactions;
pub use since::SinceWindow;
pub use window::{Window, encoded_len};

use super::Epoch;
use crate::storage::messages::Viewer;
use crate::storage::window::WindowRow;

/// Messages kept per room and window (the largest page a listing returns).
pub const WINDOW: i64 = 256;
/// Reactors kept per reaction (the largest `reactors` a listing accepts).
pub const MAX_REACTORS: i64 = 20;

/// Whisper visibility, exactly as the listing queries decide it (spec §6.6).
fn visible(m: &WindowRow, viewer: Viewer) -> bool {
    let to_viewer = viewer.user_id.is_some() && m.whisper == viewer.user_id;
    if viewer.moderator {
        m.row.whisper_mods || to_viewer || viewer.user_id == Some(m.row.user) || m.whisper.is_none()
    } else {
        to_viewer || (m.whisper.is_none() && !m.row.whisper_mods)
    }
}

/// A window built for one room sequence.
trait Sequenced {
    /// The room sequence the window was built at.
    fn sequence(&self) -> i64;
}

/// Room id → its window of one kind.
#[derive(Debug)]
struct Slots<T> {
    windows: RwLock<HashMap<i64, Arc<T>>>,
}

impl<T> Default for Slots<T> {
    fn default() -> Self {
        Self {
            windows: RwLock::default(),
        }
    }
}

impl<T: Sequenced> Slots<T> {
    fn get(&self, room: i64, sequence: i64) -> Option<Arc<T>> {
        let windows = self.windows.read().ok()?;
        windows
            .get(&room)
            .filter(|w| w.sequence() == sequence)
            .cloned()
    }

    /// Stores `window` unless `epoch` says a clear happened since it was loaded (checked
    /// under the lock, so a concurrent [`ListingCache::clear`] either sees it or refuses it).
    fn put(&self, epoch: &Epoch, loaded_at: u64, room: i64, window: Arc<T>) {
        if let Ok(mut windows) = self.windows.write() {
            if epoch.unchanged_since(loaded_at) {
                windows.insert(room, window);
            }
        }
    }

    fn clear(&self) {
        if let Ok(mut windows) = self.windows.write() {
            windows.clear();
        }
    }
}

/// Room id → its windows.
#[derive(Debug, Default)]
pub struct ListingCache {
    windows: Slots<Window>,
    since: Slots<SinceWindow>,
    epoch: Epoch,
}

impl ListingCache {
    /// The room's by-id window if it was built at `sequence`.
    pub fn get(&self, room: i64, sequence: i64) -> Option<Arc<Window>> {
        self.windows.get(room, sequence)
    }

    /// The room's since window if it was built at `sequence`.
    pub fn get_since(&self, room: i64, sequence: i64) -> Option<Arc<SinceWindow>> {
        self.since.get(room, sequence)
    }

    /// The epoch to read before loading a window.
    pub fn epoch(&self) -> u64 {
        self.epoch.current()
    }

    /// Stores a by-id window built while the epoch was `epoch`.
    pub fn put(&self, epoch: u64, room: i64, window: Arc<Window>) {
        self.windows.put(&self.epoch, epoch, room, window);
    }

    /// Stores a since window built while the epoch was `epoch`.
    pub fn put_since(&self, epoch: u64, room: i64, window: Arc<SinceWindow>) {
        self.since.put(&self.epoch, epoch, room, window);
    }

    /// Drops every window (a user's session id, shown in listings, may have changed).
    pub fn clear(&self) {
        self.epoch.bump();
        self.windows.clear();
        self.since.clear();
    }
}
