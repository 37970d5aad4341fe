//! Rooms (by id and by token) and callers' effective permissions per room.

use std::collections::HashMap;
use std::sync::RwLock;

use super::Epoch;
use crate::domain::permissions::Effective;
use crate::domain::room::Room;

/// Most rooms kept; when full the cache starts over (a server has tens of rooms).
const MAX_ROOMS: usize = 10_000;
/// Most (room, user) permission entries kept; when full the map starts over.
const MAX_PERMISSIONS: usize = 200_000;

/// Rooms and permissions. Room rows change rarely except for `message_sequence`, which moves
/// in place (monotonically) on `s` notifications without a reload.
#[derive(Debug, Default)]
pub struct RoomCache {
    rooms: RwLock<Rooms>,
    permissions: RwLock<HashMap<(i64, i64), Effective>>,
    epoch: Epoch,
}

#[derive(Debug, Default)]
struct Rooms {
    by_id: HashMap<i64, Room>,
    by_token: HashMap<String, i64>,
    /// Highest sequence announced per room, so a row loaded just before a post is not older.
    sequence_floor: HashMap<i64, i64>,
}

impl RoomCache {
    /// The room with this token (any case) and, for a user, their permissions in it.
    pub fn get(&self, token: &str, user: Option<i64>) -> Option<(Room, Option<Effective>)> {
        let room = {
            let rooms = self.rooms.read().ok()?;
            let id = rooms.by_token.get(&token.to_ascii_lowercase())?;
            rooms.by_id.get(id)?.clone()
        };
        let perms = match user {
            Some(user) => Some(*self.permissions.read().ok()?.get(&(room.id, user))?),
            None => None,
        };
        Some((room, perms))
    }

    /// The epoch to read before loading from the database.
    pub fn epoch(&self) -> u64 {
        self.epoch.current()
    }

    /// Stores a room (and a user's permissions in it) loaded while the epoch was `epoch`.
    pub fn put(&self, epoch: u64, mut room: Room, user: Option<(i64, Effective)>) {
        if let Ok(mut rooms) = self.rooms.write() {
            if !self.epoch.unchanged_since(epoch) {
                return;
            }
            if rooms.by_id.len() >= MAX_ROOMS {
                *rooms = Rooms::default();
            }
            if let Some(floor) = rooms.sequence_floor.get(&room.id) {
                room.message_sequence = room.message_sequence.max(*floor);
            }
            rooms
                .by_token
                .insert(room.token.to_ascii_lowercase(), room.id);
            let id = room.id;
            rooms.by_id.insert(id, room);
            if let (Some((user, perms)), Ok(mut permissions)) = (user, self.permissions.write()) {
                if permissions.len() >= MAX_PERMISSIONS {
                    permissions.clear();
                }
                permissions.insert((id, user), perms);
            }
        }
    }

    /// `r`: the row changed (name, image, info_updates, active users…) or was deleted.
    pub fn room_changed(&self, room: i64) {
        self.invalidate(|rooms, _| {
            if let Some(old) = rooms.by_id.remove(&room) {
                rooms.by_token.remove(&old.token.to_ascii_lowercase());
            }
        });
    }

    /// `d`: default permissions changed, so did everyone's effective permissions there.
    pub fn defaults_changed(&self, room: i64) {
        self.invalidate(|rooms, permissions| {
            if let Some(old) = rooms.by_id.remove(&room) {
                rooms.by_token.remove(&old.token.to_ascii_lowercase());
            }
            permissions.retain(|(r, _), _| *r != room);
        });
    }

    /// `s`: only the message sequence moved (no epoch change: the move is applied in place,
    /// and rows loaded later are raised to it).
    pub fn sequence_moved(&self, room: i64, sequence: i64) {
        if let Ok(mut rooms) = self.rooms.write() {
            let floor = rooms.sequence_floor.entry(room).or_insert(sequence);
            *floor = (*floor).max(sequence);
            if let Some(cached) = rooms.by_id.get_mut(&room) {
                cached.message_sequence = cached.message_sequence.max(sequence);
            }
        }
    }

    /// `u`: a user's global flags changed: their permissions everywhere.
    pub fn user_changed(&self, user: i64) {
        self.invalidate(|_, permissions| permissions.retain(|(_, u), _| *u != user));
    }

    /// `p`: one override row changed.
    pub fn override_changed(&self, room: i64, user: i64) {
        self.invalidate(|_, permissions| {
            permissions.remove(&(room, user));
        });
    }

    /// Runs an invalidation under the rooms lock (which [`put`](Self::put) also holds while it
    /// checks the epoch and stores), raising the epoch.
    fn invalidate(&self, change: impl FnOnce(&mut Rooms, &mut HashMap<(i64, i64), Effective>)) {
        let rooms = self.rooms.write();
        let permissions = self.permissions.write();
        if let (Ok(mut rooms), Ok(mut permissions)) = (rooms, permissions) {
            self.epoch.bump();
            change(&mut rooms, &mut permissions);
        }
    }

    /// Drops everything.
    pub fn clear(&self) {
        self.invalidate(|rooms, permissions| {
            *rooms = Rooms::default();
            permissions.clear();
        });
    }
}
