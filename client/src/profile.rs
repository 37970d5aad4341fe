//! The profile directory: the identity key (`identity`, hex Ed25519 seed) and the client state
//! (`state.json`: display name, joined rooms, groups and their keys, timers, and each server's
//! [`Mailbox`] of fetched, still encrypted DMs). Both files are written with mode 0600 in a
//! 0700 directory, atomically (write then rename).

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::group::GroupState;
use crate::identity::Identity;
use crate::mailbox::Mailbox;

/// File holding the hex Ed25519 seed.
const IDENTITY_FILE: &str = "identity";
/// File holding [`State`] as JSON.
const STATE_FILE: &str = "state.json";

/// Why the profile could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// There is no identity yet.
    #[error("no identity in {0}: run `sogs-client id new` or `sogs-client id restore`")]
    NoIdentity(PathBuf),
    /// `id new`/`id restore` would overwrite an identity.
    #[error("{0} already holds an identity (use --force to replace it)")]
    Exists(PathBuf),
    /// A file is not in the expected format.
    #[error("corrupt profile file {0}")]
    Corrupt(PathBuf),
    /// Reading or writing failed.
    #[error("profile {path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// A room this profile has joined.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct JoinedRoom {
    /// The join URL (share form).
    pub url: String,
    /// The canonical room token returned by the server.
    pub token: String,
    /// The room's display name.
    pub name: String,
    /// The server's capabilities at join time.
    pub capabilities: Vec<String>,
}

/// Everything but the key: display name, rooms, groups, disappearing-message timers.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    /// The display name sent in every message's profile.
    pub display_name: Option<String>,
    /// Joined rooms.
    #[serde(default)]
    pub rooms: Vec<JoinedRoom>,
    /// Closed groups this identity belongs to (with their keys).
    #[serde(default)]
    pub groups: Vec<GroupState>,
    /// Disappearing-message timers in seconds, by conversation (room token, id or group id).
    #[serde(default)]
    pub timers: BTreeMap<String, u64>,
    /// The DMs fetched so far, by server base URL (one inbox per server).
    #[serde(default)]
    pub mailboxes: BTreeMap<String, Mailbox>,
}

/// A profile directory.
#[derive(Debug, Clone)]
pub struct Profile {
    dir: PathBuf,
}

impl Profile {
    /// The profile in `dir` (created on first write).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Stores `identity`, refusing to replace an existing one unless `force`.
    pub fn save_identity(&self, identity: &Identity, force: bool) -> Result<(), ProfileError> {
        let path = self.dir.join(IDENTITY_FILE);
        if path.exists() && !force {
            return Err(ProfileError::Exists(self.dir.clone()));
        }
        let hex = Zeroizing::new(hex::encode(identity.seed()));
        self.write(IDENTITY_FILE, hex.as_bytes())
    }

    /// Loads the identity.
    pub fn identity(&self) -> Result<Identity, ProfileError> {
        let path = self.dir.join(IDENTITY_FILE);
        let text = match fs::read_to_string(&path) {
            Ok(text) => Zeroizing::new(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ProfileError::NoIdentity(self.dir.clone()));
            }
            Err(source) => return Err(ProfileError::Io { path, source }),
        };
        let mut seed = Zeroizing::new([0u8; 32]);
        hex::decode_to_slice(text.trim(), seed.as_mut())
            .map_err(|_| ProfileError::Corrupt(path))?;
        Ok(Identity::from_seed(&seed))
    }

    /// Loads the state (empty when there is none yet).
    pub fn state(&self) -> Result<State, ProfileError> {
        let path = self.dir.join(STATE_FILE);
        match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|_| ProfileError::Corrupt(path)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::default()),
            Err(source) => Err(ProfileError::Io { path, source }),
        }
    }

    /// Saves the state.
    pub fn save_state(&self, state: &State) -> Result<(), ProfileError> {
        let json = serde_json::to_vec_pretty(state)
            .map_err(|_| ProfileError::Corrupt(self.dir.join(STATE_FILE)))?;
        self.write(STATE_FILE, &json)
    }

    /// Writes `name` with mode 0600 through a temporary file and a rename.
    fn write(&self, name: &str, bytes: &[u8]) -> Result<(), ProfileError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| ProfileError::Io { path, source }
        };
        fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&self.dir)
            .map_err(io(&self.dir))?;
        let tmp = self.dir.join(format!(".{name}.tmp"));
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)
            .map_err(io(&tmp))?;
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(io(&tmp))?;
        let path = self.dir.join(name);
        fs::rename(&tmp, &path).map_err(io(&path))
    }
}

impl State {
    /// The mailbox of `community`'s server (empty until first read).
    pub fn mailbox(&mut self, community: &crate::community::Community) -> &mut Mailbox {
        self.mailboxes
            .entry(community.url().server.clone())
            .or_default()
    }

    /// The joined room named by `room`: a token (case-insensitive) or a join URL.
    pub fn room(&self, room: &str) -> Option<&JoinedRoom> {
        self.rooms
            .iter()
            .find(|r| r.token.eq_ignore_ascii_case(room) || r.url == room)
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn identity_round_trips_with_private_permissions() {
        let dir = tempfile_dir();
        let profile = Profile::new(&dir);
        assert!(matches!(
            profile.identity(),
            Err(ProfileError::NoIdentity(_))
        ));
        let id = Identity::from_session_seed(&[7u8; 16]);
        profile.save_identity(&id, false).unwrap();
        assert!(matches!(
            profile.save_identity(&id, false),
            Err(ProfileError::Exists(_))
        ));
        assert_eq!(profile.identity().unwrap().session_id(), id.session_id());
        let mode = fs::metadata(dir.join(IDENTITY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        fs::remove_dir_all(dir).unwrap();
    }

    fn tempfile_dir() -> PathBuf {
        let mut n = [0u8; 8];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut n);
        std::env::temp_dir().join(format!("sogs-client-test-{}", hex::encode(n)))
    }
}
