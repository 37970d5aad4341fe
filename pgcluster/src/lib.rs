//! A PostgreSQL cluster the server manages itself in `<data_dir>/pg`, reachable only over a Unix socket there.
//!
//! PostgreSQL refuses to run as root, so when we are root the cluster runs as the `postgres`
//! system account and its directory is owned by it. The postmaster is started in its own
//! process group, so a Ctrl-C in the terminal reaches only the server, which then stops the
//! cluster cleanly. The cluster's own configuration allows Unix-socket connections only
//! ([`config`]); the server connects as the non-superuser role `sogs` ([`roles`]); one server
//! per data directory holds [`DataDirLock`]; [`Supervisor`] restarts a postmaster that died.

mod config;
mod control;
mod host;
mod lock;
mod roles;
mod supervise;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use sqlx::postgres::PgConnectOptions;

pub use host::find_bin_dir;
pub use lock::{DataDirLock, LOCK_FILE};
pub use supervise::{Supervisor, postmaster_alive, postmaster_pid};

/// Name of the server's role and of its database inside a managed cluster.
pub const DB_NAME: &str = "sogs";
/// The bootstrap superuser of clusters created by this version (`initdb -U`).
pub const SUPERUSER: &str = "postgres";
/// Longest Unix socket path the kernel accepts (sun_path is 108 bytes with its NUL).
const MAX_SOCKET_PATH: usize = 107;
const SOCKET_NAME: &str = ".s.PGSQL.5432";

/// Why the managed cluster could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// No `initdb`/`pg_ctl` on PATH or under /usr/lib/postgresql.
    #[error(
        "PostgreSQL server binaries (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/*/bin; \
         install them with `apt-get install -y postgresql` (Debian package: postgresql), \
         or configure db.url / --database-url to use an existing server"
    )]
    BinariesMissing,
    /// Running as root but there is no unprivileged account to run PostgreSQL as.
    #[error(
        "running as root, but there is no `postgres` system account to run PostgreSQL as; install the Debian package postgresql, or run as an ordinary user"
    )]
    NoSystemAccount,
    /// The socket path would be too long for the kernel.
    #[error(
        "data directory path is too long for a Unix socket ({0} bytes > 107); use a shorter --data-dir"
    )]
    PathTooLong(usize),
    /// The cluster account cannot reach the data directory.
    #[error(
        "the `postgres` account cannot enter {0}; choose a --data-dir whose parent directories are world-searchable (e.g. under /var/lib or /srv)"
    )]
    NotTraversable(PathBuf),
    /// Another server process holds the data directory's lock.
    #[error(
        "data directory {dir} is already in use by another sogs-server (pid {pid}); stop that server first, or give this one its own --data-dir"
    )]
    InUse {
        /// The data directory.
        dir: PathBuf,
        /// The other server's pid as written in its lock file (`unknown` if unreadable).
        pid: String,
    },
    /// The postmaster died and could not be restarted.
    #[error(
        "the managed PostgreSQL cluster in {dir} stopped and could not be restarted after {attempts} attempts ({last}); see {dir}/postgres.log"
    )]
    GaveUp {
        /// The cluster directory.
        dir: PathBuf,
        /// How many restarts were tried.
        attempts: u32,
        /// The last failure.
        last: String,
    },
    /// A command failed.
    #[error("{command} failed: {detail}")]
    Command {
        /// What was run.
        command: String,
        /// Its output or error.
        detail: String,
    },
    /// A filesystem operation failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// A running managed cluster; [`ManagedCluster::stop`] stops it if this process owns it.
///
/// Clones share their state: a [`Supervisor`] works on a clone.
#[derive(Debug, Clone)]
pub struct ManagedCluster {
    pg_dir: PathBuf,
    bin_dir: PathBuf,
    run_as: Option<(u32, u32)>,
    /// The role used for administration (creating roles and databases).
    superuser: String,
    shared: Arc<Shared>,
}

/// State shared between a cluster and its supervisor.
#[derive(Debug, Default)]
struct Shared {
    /// This process started (or adopted) the postmaster and must stop it.
    owned: AtomicBool,
    /// [`ManagedCluster::stop`] was called: the supervisor must not restart any more.
    stopping: AtomicBool,
    /// Serialises `pg_ctl start`/`stop` between the supervisor and shutdown.
    control: Mutex<()>,
}

impl ManagedCluster {
    /// Initialises `<data_dir>/pg` on first use, (re)writes its hardened configuration, then
    /// starts it unless it is already running.
    ///
    /// A cluster found running is adopted (stopped by [`Self::stop`]) when this process holds
    /// the data directory's [`DataDirLock`]: the server that left it running is gone.
    pub fn start(data_dir: &Path) -> Result<Self, ClusterError> {
        let bin_dir = find_bin_dir().ok_or(ClusterError::BinariesMissing)?;
        std::fs::create_dir_all(data_dir)?;
        let data_dir = std::fs::canonicalize(data_dir)?;
        let pg_dir = data_dir.join("pg");
        let socket_len = pg_dir.join(SOCKET_NAME).as_os_str().len();
        if socket_len > MAX_SOCKET_PATH {
            return Err(ClusterError::PathTooLong(socket_len));
        }
        let run_as = host::account_for_cluster()?;
        if run_as.is_some() {
            host::open_path_for_account(&data_dir)?;
        }
        host::prepare_private_dir(&pg_dir, run_as)?;
        let cluster = Self {
            pg_dir,
            bin_dir,
            run_as,
            superuser: SUPERUSER.to_owned(),
            shared: Arc::default(),
        };
        cluster.bring_up(&data_dir)
    }

    /// Initialises if needed, configures, starts or adopts, and checks the roles.
    fn bring_up(mut self, data_dir: &Path) -> Result<Self, ClusterError> {
        let fresh = !self.pg_dir.join("PG_VERSION").exists();
        if fresh {
            self.initdb()?;
        }
        config::write(&self.pg_dir, self.run_as)?;
        if self.is_running() {
            if lock::held_by_this_process(data_dir) {
                tracing::info!(pg.dir = %self.pg_dir.display(),
                    "adopting the managed PostgreSQL cluster left running by an earlier server");
                self.set_owned();
            }
        } else {
            self.pg_ctl_start()?;
            self.set_owned();
        }
        if let Err(e) = self.ensure_roles(fresh) {
            let _ = self.stop();
            return Err(e);
        }
        Ok(self)
    }

    /// Connection options for the cluster's `sogs` database, as the role `sogs`, over its
    /// Unix socket.
    pub fn connect_options(&self) -> PgConnectOptions {
        PgConnectOptions::new()
            .host(&self.pg_dir.to_string_lossy())
            .username(DB_NAME)
            .database(DB_NAME)
    }

    /// Connection options for the `postgres` database as the cluster's superuser (for
    /// administration such as creating databases; the test harness uses it).
    pub fn admin_connect_options(&self) -> PgConnectOptions {
        PgConnectOptions::new()
            .host(&self.pg_dir.to_string_lossy())
            .username(&self.superuser)
            .database("postgres")
    }

    /// The cluster directory.
    pub fn dir(&self) -> &Path {
        &self.pg_dir
    }

    /// Whether this process started or adopted the postmaster (and so must stop it).
    pub fn started_here(&self) -> bool {
        self.shared.owned.load(Ordering::SeqCst)
    }

    /// A supervisor that restarts the postmaster when it dies (see [`Supervisor::run`]).
    pub fn supervisor(&self) -> Supervisor {
        Supervisor::new(self.clone())
    }

    /// Stops the cluster with a fast shutdown if this process owns it and it is running.
    /// Any [`Supervisor`] stops restarting it.
    pub fn stop(&self) -> Result<(), ClusterError> {
        self.shared.stopping.store(true, Ordering::SeqCst);
        let _control = self.control();
        if !self.started_here() || !self.is_running() {
            return Ok(());
        }
        self.pg_ctl_stop()
    }

    /// Starts the postmaster again after it died, unless shutdown began or it already runs.
    fn restart(&self) -> Result<(), ClusterError> {
        let _control = self.control();
        if self.shared.stopping.load(Ordering::SeqCst) || self.is_running() {
            return Ok(());
        }
        self.pg_ctl_start()?;
        self.set_owned();
        Ok(())
    }

    fn set_owned(&self) {
        self.shared.owned.store(true, Ordering::SeqCst);
    }

    fn control(&self) -> MutexGuard<'_, ()> {
        self.shared
            .control
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether a live postmaster is recorded in `postmaster.pid`.
    fn is_running(&self) -> bool {
        supervise::postmaster_alive(&self.pg_dir)
    }

    fn dir_str(&self) -> String {
        self.pg_dir.to_string_lossy().into_owned()
    }
}
