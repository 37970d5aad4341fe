//! One server per data directory: an exclusive `flock` on `<data_dir>/sogs-server.lock`,
//! held for the life of the process. The kernel drops it when the process dies (even by
//! SIGKILL), so a stale lock file never blocks a start; holding the lock also proves that a
//! managed cluster found running was left behind by a server that is gone.

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use nix::errno::Errno;
use nix::fcntl::{Flock, FlockArg};

use super::ClusterError;

/// Name of the lock file in the data directory; it holds the owning server's pid.
pub const LOCK_FILE: &str = "sogs-server.lock";

/// Data directories (canonical) whose lock this process holds.
static HELD: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The data directory's lock; released when dropped (or when the process dies).
#[derive(Debug)]
pub struct DataDirLock {
    dir: PathBuf,
    _file: Flock<File>,
}

impl DataDirLock {
    /// Takes the lock of `data_dir` (created with mode 0700 if missing) and writes our pid
    /// into it, or fails with [`ClusterError::InUse`] naming the server that holds it.
    pub fn acquire(data_dir: &Path) -> Result<Self, ClusterError> {
        if !data_dir.exists() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(data_dir)?;
        }
        let dir = std::fs::canonicalize(data_dir)?;
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o644)
            .open(dir.join(LOCK_FILE))?;
        let mut file = match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
            Ok(locked) => locked,
            Err((file, Errno::EWOULDBLOCK)) => {
                let pid = read_pid(file).unwrap_or_else(|| "unknown".to_owned());
                return Err(ClusterError::InUse { dir, pid });
            }
            Err((_, errno)) => return Err(std::io::Error::from(errno).into()),
        };
        file.set_len(0)?;
        file.rewind()?;
        writeln!(*file, "{}", std::process::id())?;
        held().push(dir.clone());
        Ok(Self { dir, _file: file })
    }

    /// The (canonical) data directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

impl Drop for DataDirLock {
    fn drop(&mut self) {
        let mut held = held();
        if let Some(at) = held.iter().position(|d| *d == self.dir) {
            held.swap_remove(at);
        }
    }
}

/// Whether this process holds the lock of `data_dir` (given in canonical form).
pub(super) fn held_by_this_process(data_dir: &Path) -> bool {
    held().iter().any(|d| d == data_dir)
}

fn held() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    HELD.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The pid another server wrote into the lock file.
fn read_pid(mut file: File) -> Option<String> {
    let mut text = String::new();
    file.read_to_string(&mut text).ok()?;
    let pid = text.trim();
    (!pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())).then(|| pid.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_directory_names_the_holder() {
        let Ok(dir) = tempfile::tempdir() else { return };
        let first = DataDirLock::acquire(dir.path());
        assert!(first.is_ok(), "{first:?}");
        assert!(held_by_this_process(
            &std::fs::canonicalize(dir.path()).unwrap_or_default()
        ));
        let message = DataDirLock::acquire(dir.path())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            message.contains(&format!("pid {}", std::process::id())),
            "{message}"
        );
        drop(first);
        assert!(DataDirLock::acquire(dir.path()).is_ok());
    }
}
