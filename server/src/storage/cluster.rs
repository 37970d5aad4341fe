//! A PostgreSQL cluster the server manages itself in `<data_dir>/pg`, reachable only over a Unix socket there.
//!
//! PostgreSQL refuses to run as root, so when we are root the cluster runs as the `postgres`
//! system account and its directory is owned by it. The postmaster is started in its own
//! process group, so a Ctrl-C in the terminal reaches only the server, which then stops the
//! cluster cleanly.

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use sqlx::postgres::PgConnectOptions;

/// Name of the role and the database inside a managed cluster.
pub const DB_NAME: &str = "sogs";
/// Account the cluster runs as when the server runs as root.
const SYSTEM_ACCOUNT: &str = "postgres";
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

/// A running managed cluster; [`ManagedCluster::stop`] stops it if this process started it.
#[derive(Debug)]
pub struct ManagedCluster {
    pg_dir: PathBuf,
    bin_dir: PathBuf,
    run_as: Option<(u32, u32)>,
    started_here: bool,
}

impl ManagedCluster {
    /// Initialises `<data_dir>/pg` on first use, then starts it unless it is already running.
    pub fn start(data_dir: &Path) -> Result<Self, ClusterError> {
        let bin_dir = find_bin_dir().ok_or(ClusterError::BinariesMissing)?;
        std::fs::create_dir_all(data_dir)?;
        let data_dir = std::fs::canonicalize(data_dir)?;
        let pg_dir = data_dir.join("pg");
        let socket_len = pg_dir.join(SOCKET_NAME).as_os_str().len();
        if socket_len > MAX_SOCKET_PATH {
            return Err(ClusterError::PathTooLong(socket_len));
        }
        let run_as = account_for_cluster()?;
        let mut cluster = Self {
            pg_dir,
            bin_dir,
            run_as,
            started_here: false,
        };
        if run_as.is_some() {
            open_path_for_account(&data_dir)?;
        }
        prepare_private_dir(&cluster.pg_dir, run_as)?;
        if !cluster.pg_dir.join("PG_VERSION").exists() {
            cluster.initdb()?;
        }
        if !cluster.is_running() {
            cluster.pg_ctl_start()?;
            cluster.started_here = true;
        }
        Ok(cluster)
    }

    /// Connection options for the cluster's `sogs` database over its Unix socket.
    pub fn connect_options(&self) -> PgConnectOptions {
        PgConnectOptions::new()
            .host(&self.pg_dir.to_string_lossy())
            .username(DB_NAME)
            .database(DB_NAME)
    }

    /// The cluster directory.
    pub fn dir(&self) -> &Path {
        &self.pg_dir
    }

    /// Whether this process started the postmaster (and so must stop it).
    pub fn started_here(&self) -> bool {
        self.started_here
    }

    /// Stops the cluster with a fast shutdown if this process started it.
    pub fn stop(&self) -> Result<(), ClusterError> {
        if !self.started_here {
            return Ok(());
        }
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.dir_str(),
                "-m",
                "fast",
                "-w",
                "-t",
                "60",
                "stop",
            ],
        )
        .map(drop)
    }

    fn initdb(&self) -> Result<(), ClusterError> {
        tracing::info!(pg.dir = %self.pg_dir.display(), "initialising managed PostgreSQL cluster");
        let pg_dir = self.dir_str();
        self.run(
            "initdb",
            &[
                "-D",
                &pg_dir,
                "-U",
                DB_NAME,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-instructions",
            ],
        )?;
        self.pg_ctl_start()?;
        let created = self.run(
            "psql",
            &[
                "-h",
                &pg_dir,
                "-U",
                DB_NAME,
                "-d",
                "postgres",
                "-v",
                "ON_ERROR_STOP=1",
                "-qc",
                "create database sogs",
            ],
        );
        self.run("pg_ctl", &["-D", &pg_dir, "-m", "fast", "-w", "stop"])?;
        created.map(drop)
    }

    fn pg_ctl_start(&self) -> Result<(), ClusterError> {
        let dir = self.dir_str();
        let options = format!("-c listen_addresses='' -k {dir} -c unix_socket_permissions=0700");
        let log = self.pg_dir.join("postgres.log");
        self.run(
            "pg_ctl",
            &[
                "-D",
                &dir,
                "-l",
                &log.to_string_lossy(),
                "-w",
                "-t",
                "60",
                "-o",
                &options,
                "start",
            ],
        )
        .map(drop)
    }

    fn is_running(&self) -> bool {
        self.run("pg_ctl", &["-D", &self.dir_str(), "status"])
            .is_ok()
    }

    fn dir_str(&self) -> String {
        self.pg_dir.to_string_lossy().into_owned()
    }

    fn run(&self, program: &str, args: &[&str]) -> Result<Output, ClusterError> {
        let mut command = Command::new(self.bin_dir.join(program));
        command
            .args(args)
            .current_dir(&self.pg_dir)
            .env("LC_ALL", "C.UTF-8");
        // Our own process group: a terminal's Ctrl-C must not reach the postmaster directly.
        command.process_group(0);
        if let Some((uid, gid)) = self.run_as {
            command.uid(uid).gid(gid).env("HOME", &self.pg_dir);
        }
        let output = command
            .output()
            .map_err(|e| command_error(program, e.to_string()))?;
        if output.status.success() {
            Ok(output)
        } else {
            let detail = String::from_utf8_lossy(&output.stderr).trim().to_owned();
            Err(command_error(program, detail))
        }
    }
}

fn command_error(program: &str, detail: String) -> ClusterError {
    ClusterError::Command {
        command: program.to_owned(),
        detail,
    }
}

/// Finds the directory holding `initdb` and `pg_ctl`: PATH first, then the newest Debian version.
pub fn find_bin_dir() -> Option<PathBuf> {
    let has_tools = |dir: &Path| {
        ["initdb", "pg_ctl", "psql"]
            .iter()
            .all(|t| dir.join(t).is_file())
    };
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            if has_tools(&dir) {
                // Follow Debian's symlinks to the versioned directory, which holds every tool.
                let real = std::fs::canonicalize(dir.join("initdb")).ok();
                return Some(
                    real.and_then(|p| p.parent().map(Path::to_path_buf))
                        .unwrap_or(dir),
                );
            }
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            Some((version, e.path().join("bin")))
        })
        .filter(|(_, bin)| has_tools(bin))
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

/// `Some((uid, gid))` of the account the cluster must run as, when we are root.
fn account_for_cluster() -> Result<Option<(u32, u32)>, ClusterError> {
    if !nix::unistd::geteuid().is_root() {
        return Ok(None);
    }
    let user = nix::unistd::User::from_name(SYSTEM_ACCOUNT)
        .ok()
        .flatten()
        .ok_or(ClusterError::NoSystemAccount)?;
    Ok(Some((user.uid.as_raw(), user.gid.as_raw())))
}

/// Makes sure the cluster account can reach `dir`: the directory itself becomes 0711
/// (searchable, not listable), and every ancestor must already be searchable by others.
fn open_path_for_account(dir: &Path) -> Result<(), ClusterError> {
    let mode = std::fs::metadata(dir)?.permissions().mode();
    if mode & 0o001 == 0 {
        std::fs::set_permissions(
            dir,
            std::fs::Permissions::from_mode((mode & 0o7777) | 0o711),
        )?;
    }
    for ancestor in dir.ancestors().skip(1) {
        let mode = std::fs::metadata(ancestor)?.permissions().mode();
        if mode & 0o001 == 0 {
            return Err(ClusterError::NotTraversable(ancestor.to_path_buf()));
        }
    }
    Ok(())
}

/// Creates the cluster directory with mode 0700, owned by the cluster account.
fn prepare_private_dir(dir: &Path, owner: Option<(u32, u32)>) -> Result<(), ClusterError> {
    std::fs::create_dir_all(dir)?;
    if let Some((uid, gid)) = owner {
        std::os::unix::fs::chown(dir, Some(uid), Some(gid))?;
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    Ok(())
}
