//! Watching the managed postmaster while the server runs: when it dies it is restarted with
//! backoff (PostgreSQL recovers from the crash itself); after repeated failures the
//! supervisor gives up, so that the server exits and its service manager restarts it.

use std::path::Path;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::unistd::Pid;

use super::{ClusterError, ManagedCluster};

/// How often `postmaster.pid` is checked.
const POLL: Duration = Duration::from_millis(500);
/// Restart attempts before giving up.
const MAX_ATTEMPTS: u32 = 5;
/// Wait before the first attempt; doubled before each further one (0.5 + 1 + 2 + 4 + 8 s).
const FIRST_DELAY: Duration = Duration::from_millis(500);
/// A postmaster that ran this long after a restart counts as recovered: attempts start over.
const STABLE: Duration = Duration::from_secs(30);

/// Restarts the managed postmaster when it dies; see [`Supervisor::run`].
#[derive(Debug)]
pub struct Supervisor {
    cluster: ManagedCluster,
}

impl Supervisor {
    pub(super) fn new(cluster: ManagedCluster) -> Self {
        Self { cluster }
    }

    /// Runs until the postmaster cannot be brought back: polls it every 0.5 s, restarts it
    /// (up to 5 attempts with doubling delays, counted across restarts that did not stay up
    /// for 30 s) and resolves with the error only when it gives up.
    pub async fn run(self) -> ClusterError {
        let mut attempts = 0;
        let mut last_restart: Option<Instant> = None;
        loop {
            let pid = self.wait_for_exit().await;
            tracing::warn!(
                postmaster.pid = pid,
                pg.dir = %self.cluster.dir().display(),
                "the managed PostgreSQL postmaster has exited; restarting it"
            );
            if last_restart.is_none_or(|at| at.elapsed() >= STABLE) {
                attempts = 0;
            }
            if let Err(e) = self.restart(&mut attempts).await {
                tracing::error!(error = %e, "giving up on the managed PostgreSQL cluster");
                return e;
            }
            last_restart = Some(Instant::now());
        }
    }

    /// Waits until no live postmaster is recorded; returns the pid it last saw, if any.
    async fn wait_for_exit(&self) -> Option<i32> {
        loop {
            match postmaster_pid(self.cluster.dir()) {
                Some(pid) if process_alive(pid) => tokio::time::sleep(POLL).await,
                pid => return pid,
            }
        }
    }

    /// Tries to start the postmaster until it runs or `attempts` reaches [`MAX_ATTEMPTS`].
    async fn restart(&self, attempts: &mut u32) -> Result<(), ClusterError> {
        let mut last = "it kept stopping after each restart".to_owned();
        while *attempts < MAX_ATTEMPTS {
            tokio::time::sleep(FIRST_DELAY * 2u32.pow(*attempts)).await;
            *attempts += 1;
            match self.start_once().await {
                Ok(()) => {
                    let pid = postmaster_pid(self.cluster.dir());
                    tracing::info!(
                        attempt = *attempts,
                        postmaster.pid = pid,
                        "managed PostgreSQL restarted"
                    );
                    return Ok(());
                }
                Err(e) => {
                    tracing::warn!(attempt = *attempts, error = %e, "restarting managed PostgreSQL failed");
                    last = e.to_string();
                }
            }
        }
        Err(ClusterError::GaveUp {
            dir: self.cluster.dir().to_path_buf(),
            attempts: *attempts,
            last,
        })
    }

    /// One `pg_ctl start`, off the async runtime.
    async fn start_once(&self) -> Result<(), ClusterError> {
        let cluster = self.cluster.clone();
        tokio::task::spawn_blocking(move || cluster.restart())
            .await
            .map_err(|e| ClusterError::Io(std::io::Error::other(e)))?
    }
}

/// Whether `postmaster.pid` in `pg_dir` names a live process.
pub fn postmaster_alive(pg_dir: &Path) -> bool {
    postmaster_pid(pg_dir).is_some_and(process_alive)
}

/// The pid on the first line of `postmaster.pid`, if the file exists.
pub fn postmaster_pid(pg_dir: &Path) -> Option<i32> {
    let text = std::fs::read_to_string(pg_dir.join("postmaster.pid")).ok()?;
    text.lines()
        .next()?
        .trim()
        .parse()
        .ok()
        .filter(|pid| *pid > 0)
}

/// Whether `pid` exists and is not a zombie (a dead postmaster whose parent has not reaped
/// it yet, e.g. when the server itself is PID 1 in a container).
fn process_alive(pid: i32) -> bool {
    match nix::sys::signal::kill(Pid::from_raw(pid), None) {
        Ok(()) | Err(Errno::EPERM) => !is_zombie(pid),
        Err(_) => false,
    }
}

/// Whether `/proc/<pid>/stat` says the process is a zombie (false where there is no /proc).
fn is_zombie(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            // The state follows the command name, which is in parentheses and may contain any.
            let (_, after) = stat.rsplit_once(')')?;
            after.split_whitespace().next().map(|state| state == "Z")
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_an_unused_pid_is_not() {
        let me = i32::try_from(std::process::id()).unwrap_or(1);
        assert!(process_alive(me));
        assert!(!process_alive(i32::MAX));
    }

    #[test]
    fn no_pid_file_means_no_postmaster() {
        assert!(!postmaster_alive(Path::new("/nonexistent-sogs-pg")));
    }
}
