//! Users by the id they sign requests with (`15…`, `25…`, `05…`), for authentication.

use std::collections::HashMap;
use std::sync::RwLock;

use super::Epoch;
use crate::domain::user::User;

/// Most users kept; when full the cache starts over.
const MAX_USERS: usize = 200_000;

/// Signing id → user row (global flags included).
#[derive(Debug, Default)]
pub struct UserCache {
    users: RwLock<HashMap<String, User>>,
    epoch: Epoch,
}

impl UserCache {
    /// The user who signs as `id`, if cached.
    pub fn get(&self, id: &str) -> Option<User> {
        self.users.read().ok()?.get(id).cloned()
    }

    /// The epoch to read before loading from the database.
    pub fn epoch(&self) -> u64 {
        self.epoch.current()
    }

    /// Stores a user loaded while the epoch was `epoch`.
    pub fn put(&self, epoch: u64, id: &str, user: User) {
        if let Ok(mut users) = self.users.write() {
            if !self.epoch.unchanged_since(epoch) {
                return;
            }
            if users.len() >= MAX_USERS {
                users.clear();
            }
            users.insert(id.to_owned(), user);
        }
    }

    /// `u`: forgets the user under every id they were cached by.
    pub fn user_changed(&self, user: i64) {
        if let Ok(mut users) = self.users.write() {
            self.epoch.bump();
            users.retain(|_, cached| cached.id != user);
        }
    }

    /// Drops everything.
    pub fn clear(&self) {
        if let Ok(mut users) = self.users.write() {
            self.epoch.bump();
            users.clear();
        }
    }
}
