//! The server's X25519 key pair: generated on first start, stored in `<data_dir>/key_x25519` (mode 0600).

use std::fs;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use sogs_protocol::ids::ServerPubkey;
use x25519_dalek::{PublicKey, StaticSecret};

/// File name of the raw 32-byte private key inside the data directory.
pub const KEY_FILE: &str = "key_x25519";

/// The server's long-term X25519 key pair.
#[derive(Clone)]
pub struct ServerKeys {
    secret: StaticSecret,
    public: ServerPubkey,
}

/// Why the key file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// Reading or writing the key file failed.
    #[error("key file {path}: {source}")]
    Io {
        /// The key file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file exists but is not 32 bytes.
    #[error("key file {0} must contain exactly 32 bytes")]
    BadLength(String),
}

impl std::fmt::Debug for ServerKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServerKeys")
            .field("public", &self.public.to_string())
            .finish()
    }
}

impl ServerKeys {
    /// Builds the pair from raw private key bytes.
    pub fn from_secret_bytes(bytes: [u8; 32]) -> Self {
        let secret = StaticSecret::from(bytes);
        let public = ServerPubkey(PublicKey::from(&secret).to_bytes());
        Self { secret, public }
    }

    /// Loads the key from `<data_dir>/key_x25519`, creating it (0600) on first use.
    pub fn load_or_create(data_dir: &Path) -> Result<Self, KeyError> {
        let path = data_dir.join(KEY_FILE);
        let io = |source| KeyError::Io {
            path: path.display().to_string(),
            source,
        };
        match fs::read(&path) {
            Ok(bytes) => {
                let raw: [u8; 32] = bytes
                    .try_into()
                    .map_err(|_| KeyError::BadLength(path.display().to_string()))?;
                Ok(Self::from_secret_bytes(raw))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let keys = Self::from_secret_bytes(
                    StaticSecret::random_from_rng(rand_core::OsRng).to_bytes(),
                );
                let mut file = fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(&path)
                    .map_err(io)?;
                file.write_all(keys.secret.as_bytes()).map_err(io)?;
                file.sync_all().map_err(io)?;
                Ok(keys)
            }
            Err(e) => Err(io(e)),
        }
    }

    /// The public key clients put in `?public_key=` and sign requests against.
    pub fn public(&self) -> &ServerPubkey {
        &self.public
    }

    /// The private key, for onion-request decryption.
    pub fn secret(&self) -> &StaticSecret {
        &self.secret
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_key_is_created_once_with_mode_0600_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = ServerKeys::load_or_create(dir.path()).unwrap();
        let second = ServerKeys::load_or_create(dir.path()).unwrap();
        assert_eq!(first.public(), second.public());
        let mode = fs::metadata(dir.path().join(KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn a_truncated_key_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(KEY_FILE), [1u8; 31]).unwrap();
        assert!(matches!(
            ServerKeys::load_or_create(dir.path()),
            Err(KeyError::BadLength(_))
        ));
    }
}
