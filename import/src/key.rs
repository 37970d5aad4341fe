//! The pysogs key file (raw 32-byte X25519 private key, the same format as ours) becomes our
//! `<data_dir>/key_x25519`, so every existing join URL (`?public_key=…`) stays valid.

use std::fs;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use sogs_server::keys::KEY_FILE;

/// What [`install`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyInstalled {
    /// There was no key: the imported one was written.
    Written,
    /// The same key was already there.
    Unchanged,
    /// A different key was there; it was kept under this name and replaced.
    Replaced {
        /// Where the previous key now is.
        backup: PathBuf,
    },
}

/// Why a key file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The file is not a raw 32-byte key.
    #[error("{0} is not a key file: it must hold exactly 32 bytes")]
    BadLength(PathBuf),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> KeyFileError + '_ {
    move |source| KeyFileError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Reads a raw 32-byte private key (pysogs's `key_x25519`).
pub fn read(path: &Path) -> Result<[u8; 32], KeyFileError> {
    let bytes = fs::read(path).map_err(io(path))?;
    bytes
        .try_into()
        .map_err(|_| KeyFileError::BadLength(path.to_path_buf()))
}

/// Makes `key` the server key of `data_dir` (mode 0600). A different existing key is renamed
/// to `key_x25519.before-import-<unix time>`, never deleted.
pub fn install(data_dir: &Path, key: &[u8; 32]) -> Result<KeyInstalled, KeyFileError> {
    let path = data_dir.join(KEY_FILE);
    let outcome = match fs::read(&path) {
        Ok(existing) if existing == key => return Ok(KeyInstalled::Unchanged),
        Ok(_) => {
            let stamp = sogs_server::clock::unix_now() as u64;
            let backup = data_dir.join(format!("{KEY_FILE}.before-import-{stamp}"));
            fs::rename(&path, &backup).map_err(io(&path))?;
            KeyInstalled::Replaced { backup }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => KeyInstalled::Written,
        Err(e) => return Err(io(&path)(e)),
    };
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .map_err(io(&path))?;
    file.write_all(key).map_err(io(&path))?;
    file.sync_all().map_err(io(&path))?;
    Ok(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_different_key_is_kept_as_a_backup_and_the_same_key_is_left_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(
            install(dir.path(), &[1; 32]).ok(),
            Some(KeyInstalled::Written)
        );
        assert_eq!(
            install(dir.path(), &[1; 32]).ok(),
            Some(KeyInstalled::Unchanged)
        );
        let Ok(KeyInstalled::Replaced { backup }) = install(dir.path(), &[2; 32]) else {
            panic!("expected a replacement");
        };
        assert_eq!(fs::read(backup).ok(), Some(vec![1; 32]));
        assert_eq!(read(&dir.path().join(KEY_FILE)).ok(), Some([2; 32]));
    }
}
