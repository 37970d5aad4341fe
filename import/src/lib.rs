//! `sogs-admin import-pysogs`: moves a whole session-pysogs instance (its SQLite or
//! PostgreSQL database, its uploads directory and its key) into an empty database of ours,
//! keeping every id, seqno and timestamp, in one transaction, and verifies the counts.
//!
//! Order: open the source snapshot and check its shape; lock and check the target (empty, not
//! imported before); disable our triggers (they would renumber what we copy); copy table by
//! table ([`write`]); set sequences and counters; re-enable triggers; re-count and compare;
//! log the import; announce a cache flush; commit. `--dry-run` reads and checks everything the
//! same way and writes nothing. The key file is installed by the caller after the commit
//! ([`key::install`]).

mod check;
mod files;
pub mod key;
mod source;
mod summary;
mod target;
mod write;

use std::path::PathBuf;

use sogs_protocol::ids::ServerPubkey;
use sqlx::PgPool;

pub use summary::{Kind, KindCount, Summary};

use check::Known;
use source::Source;

/// What to import and how.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// The pysogs database: path of `sogs.db` or a `postgresql://` URL.
    pub from: String,
    /// The pysogs uploads directory (`files.path` is resolved against it; nothing outside it
    /// is read).
    pub uploads: PathBuf,
    /// The pysogs server key (raw 32-byte X25519 private key).
    pub key: [u8; 32],
    /// Read and check everything, write nothing.
    pub dry_run: bool,
}

/// Why an import stopped (nothing was written in every case).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The source database cannot be opened or read.
    #[error("cannot read the pysogs database: {0}")]
    Source(String),
    /// The uploads directory does not exist or is not a directory.
    #[error("uploads directory {0}")]
    UploadsDir(String),
    /// The source does not have the expected tables, columns or types.
    #[error("unexpected pysogs schema: {0}")]
    Schema(String),
    /// A row breaks a rule of our schema (the message names it).
    #[error("{0}")]
    Invalid(String),
    /// An upload's content is missing or does not match its row.
    #[error("upload {id}: {reason}")]
    Upload {
        /// The file id.
        id: i64,
        /// What is wrong.
        reason: String,
    },
    /// The key file does not belong to the source database.
    #[error("{0}")]
    Key(String),
    /// The target already holds data.
    #[error("the target database is not empty ({0}); import-pysogs only runs on a new database")]
    NotEmpty(String),
    /// The target already holds an import.
    #[error("this database already holds an import from session-pysogs ({0}); it runs only once")]
    AlreadyImported(String),
    /// Re-counting the target disagreed with what was written.
    #[error("counts differ after writing ({0}); nothing was imported")]
    Mismatch(String),
    /// A statement on the target failed.
    #[error("writing {what}: {source}")]
    Write {
        /// The kind of row being written.
        what: &'static str,
        /// The database error.
        source: sqlx::Error,
    },
    /// The target database failed outside of a row write.
    #[error("target database: {0}")]
    Target(#[from] sqlx::Error),
}

/// Progress of the copy, for a progress bar.
pub trait Progress {
    /// A new stage (one kind of row) with `total` rows begins.
    fn stage(&self, name: &str, total: u64);
    /// `n` more rows of the current stage are done.
    fn advance(&self, n: u64);
    /// The current stage is over.
    fn finish_stage(&self);
}

/// No progress display (tests, non-terminals).
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn stage(&self, _: &str, _: u64) {}
    fn advance(&self, _: u64) {}
    fn finish_stage(&self) {}
}

/// What every row check and write may need.
pub(crate) struct Env {
    pub(crate) server_pk: ServerPubkey,
    /// Canonical (symbolic links resolved).
    pub(crate) uploads: PathBuf,
    pub(crate) dry_run: bool,
}

/// Imports (or, with `dry_run`, checks) the pysogs instance into `pool`'s database.
pub async fn run(
    pool: &PgPool,
    opts: &ImportOptions,
    progress: &dyn Progress,
) -> Result<Summary, ImportError> {
    let source = Source::open(&opts.from).await?;
    let outcome = run_with(pool, &source, opts, progress).await;
    source.close().await;
    outcome
}

async fn run_with(
    pool: &PgPool,
    source: &Source,
    opts: &ImportOptions,
    progress: &dyn Progress,
) -> Result<Summary, ImportError> {
    let uploads = files::uploads_dir(&opts.uploads)?;
    write::probe_all(source).await?;
    let keys = sogs_server::keys::ServerKeys::from_secret_bytes(opts.key);
    let env = Env {
        server_pk: *keys.public(),
        uploads,
        dry_run: opts.dry_run,
    };
    let mut summary = Summary::new(opts.dry_run, env.server_pk.to_string());
    summary.notes = write::not_carried_over(source).await?;
    let mut tx = pool.begin().await?;
    target::lock_and_check_empty(&mut tx).await?;
    if !opts.dry_run {
        target::disable_triggers(&mut tx).await?;
    }
    let mut known = Known::default();
    write::copy_all(source, &mut tx, &env, &mut known, &mut summary, progress).await?;
    if opts.dry_run {
        known.check_room_images()?;
        tx.rollback().await?;
        return Ok(summary);
    }
    target::finish(&mut tx, &known, &env).await?;
    target::verify(&mut tx, &mut summary, known.source_had_system_user).await?;
    target::record(&mut tx, &opts.from, &summary).await?;
    tx.commit().await?;
    Ok(summary)
}
