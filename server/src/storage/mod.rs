//! Database access: opening the pool (the managed cluster of `sogs-pgcluster`, or a URL) and one
//! module of queries per table group.

pub mod cleanup;
pub mod files;
pub mod inbox;
pub mod messages;
pub mod moderation;
pub mod modlog;
pub mod nonces;
pub mod overrides;
pub mod permissions;
pub mod pins;
pub mod reactions;
pub mod rooms;
pub mod stats;
pub mod users;
pub mod window;

use std::future::Future;
use std::str::FromStr;
use std::time::{Duration, Instant};

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, Executor as _, PgConnection, PgPool};

use crate::config::{DbSettings, Settings};
use sogs_pgcluster::{ClusterError, ManagedCluster};

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The managed cluster could not be started.
    #[error("managed PostgreSQL: {0}")]
    Cluster(#[from] ClusterError),
    /// The URL could not be parsed.
    #[error("db.url is not a valid PostgreSQL URL: {0}")]
    BadUrl(sqlx::Error),
    /// Connecting failed.
    #[error("cannot connect to PostgreSQL: {0}")]
    Connect(sqlx::Error),
    /// A migration failed.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Sends a notification on `channel` (committed at once: it is its own transaction).
pub async fn notify(db: &PgPool, channel: &str, payload: &str) -> Result<(), sqlx::Error> {
    sqlx::query!("select pg_notify($1, $2)", channel, payload)
        .execute(db)
        .await?;
    Ok(())
}

/// A pooled connection for `path` (a batched writer or the metrics probe), its wait recorded
/// in `sogs_db_pool_acquire_seconds`.
pub async fn acquire(
    pool: &PgPool,
    path: &'static str,
) -> Result<sqlx::pool::PoolConnection<sqlx::Postgres>, sqlx::Error> {
    let started = Instant::now();
    let conn = pool.acquire().await;
    crate::metrics::pool_acquired(path, started.elapsed());
    conn
}

/// Pool options from `[db]`: the pool size, how long a request waits for a connection, and
/// `statement_timeout` set on every connection the pool opens.
pub fn pool_options(db: &DbSettings) -> PgPoolOptions {
    let timeout = db.statement_timeout();
    maintenance_pool_options(db).after_connect(move |conn, _| {
        Box::pin(async move { set_statement_timeout(conn, timeout).await })
    })
}

/// Pool options without a statement timeout, for work whose statements may rightly run long
/// (`sogs-admin`, the importer).
fn maintenance_pool_options(db: &DbSettings) -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(db.max_connections)
        .acquire_timeout(db.acquire_timeout())
}

/// Sets the connection's `statement_timeout` (zero: none), in whole milliseconds rounded up
/// (a positive timeout never becomes none) and at most PostgreSQL's largest (about 24 days).
async fn set_statement_timeout(
    conn: &mut PgConnection,
    timeout: Duration,
) -> Result<(), sqlx::Error> {
    let millis = timeout.as_micros().div_ceil(1000).min(MAX_TIMEOUT_MILLIS);
    let sql = format!("set statement_timeout = {millis}");
    conn.execute(sql.as_str()).await?;
    Ok(())
}

/// PostgreSQL's largest `statement_timeout`, in milliseconds (`INT_MAX`).
const MAX_TIMEOUT_MILLIS: u128 = 2_147_483_647;

/// Database work bounded on this side: past `limit` the work is dropped (a connection with a
/// query in flight returns to the pool only once it answers a ping, else it is closed; a
/// transaction not committed is rolled back) and the answer is [`no_answer`]. PostgreSQL's own `statement_timeout` cannot help when the database does not
/// answer at all (stopped, network partition).
pub async fn within<T>(
    limit: Duration,
    work: impl Future<Output = Result<T, sqlx::Error>>,
) -> Result<T, sqlx::Error> {
    tokio::time::timeout(limit, work)
        .await
        .unwrap_or_else(|_| Err(no_answer(limit)))
}

/// The error of database work abandoned after `limit`: counts as unreachable (503).
pub fn no_answer(limit: Duration) -> sqlx::Error {
    sqlx::Error::Io(std::io::Error::new(
        std::io::ErrorKind::TimedOut,
        format!(
            "the database did not answer within {} s",
            limit.as_secs_f64()
        ),
    ))
}

/// Connects, retrying an unreachable database for `db.connect_retry_secs` with a log line per
/// attempt (a database that answers with an error, such as a bad password, fails at once).
async fn connect_with_retry(
    db: &DbSettings,
    pool: PgPoolOptions,
    options: PgConnectOptions,
) -> Result<PgPool, OpenError> {
    let deadline = Instant::now() + Duration::from_secs_f64(db.connect_retry_secs);
    let mut wait = Duration::from_millis(250);
    loop {
        match pool.clone().connect_with(options.clone()).await {
            Ok(pool) => return Ok(pool),
            Err(e) if is_unreachable(&e) && Instant::now() + wait < deadline => {
                tracing::warn!(error = %e, retry_in = ?wait, "database not reachable yet; retrying");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(5));
            }
            Err(e) => return Err(OpenError::Connect(e)),
        }
    }
}

/// Whether an error means the database could not be reached or did not answer in time (down,
/// restarting, frozen, overloaded), as opposed to a query or configuration error.
pub fn is_unreachable(e: &sqlx::Error) -> bool {
    matches!(
        e,
        sqlx::Error::Io(_)
            | sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::WorkerCrashed
    ) || matches!(e, sqlx::Error::Database(db) if db.code().is_some_and(|c| {
        c.starts_with("57P") || c == QUERY_CANCELED
    }))
}

/// SQLSTATE 57014: a statement cancelled, here by `statement_timeout`.
const QUERY_CANCELED: &str = "57014";

/// The connection pool, plus the managed cluster when there is one.
#[derive(Debug)]
pub struct Database {
    pool: PgPool,
    cluster: Option<ManagedCluster>,
}

impl Database {
    /// Connects to `db.url`, or starts (or reuses) the managed cluster when it is empty; every
    /// connection has `db.statement_timeout_secs`.
    pub async fn open(settings: &Settings) -> Result<Self, OpenError> {
        Self::open_with(settings, pool_options(&settings.db)).await
    }

    /// As [`Self::open`], without the statement timeout: for `sogs-admin` and the importer,
    /// whose statements (a room's deletion, a bulk copy) may rightly run long.
    pub async fn open_for_maintenance(settings: &Settings) -> Result<Self, OpenError> {
        Self::open_with(settings, maintenance_pool_options(&settings.db)).await
    }

    async fn open_with(settings: &Settings, pool: PgPoolOptions) -> Result<Self, OpenError> {
        let (options, cluster) = if settings.db.url.is_empty() {
            let data_dir = settings.data_dir().to_path_buf();
            let cluster = tokio::task::spawn_blocking(move || ManagedCluster::start(&data_dir))
                .await
                .map_err(|e| ClusterError::Io(std::io::Error::other(e)))??;
            (cluster.connect_options(), Some(cluster))
        } else {
            (
                PgConnectOptions::from_str(&settings.db.url).map_err(OpenError::BadUrl)?,
                None,
            )
        };
        let pool = match connect_with_retry(&settings.db, pool, options).await {
            Ok(pool) => pool,
            Err(e) => {
                if let Some(cluster) = cluster {
                    let _ = tokio::task::spawn_blocking(move || cluster.stop()).await;
                }
                return Err(e);
            }
        };
        Ok(Self { pool, cluster })
    }

    /// Applies every pending migration, on a connection of its own without a statement
    /// timeout (rewriting a large table may rightly take long), closed afterwards.
    pub async fn migrate(&self) -> Result<(), OpenError> {
        let mut conn = self
            .pool
            .acquire()
            .await
            .map_err(sqlx::migrate::MigrateError::Execute)?
            .detach();
        set_statement_timeout(&mut conn, Duration::ZERO)
            .await
            .map_err(sqlx::migrate::MigrateError::Execute)?;
        crate::MIGRATOR.run(&mut conn).await?;
        // Closing is only politeness: the migrations are committed.
        let _ = conn.close().await;
        Ok(())
    }

    /// The connection pool.
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// The managed cluster, when there is one (no `db.url`).
    pub fn cluster(&self) -> Option<&ManagedCluster> {
        self.cluster.as_ref()
    }

    /// Closes the pool, then stops the managed cluster if this process started it.
    pub async fn close(self) -> Result<(), ClusterError> {
        self.pool.close().await;
        match self.cluster {
            Some(cluster) => tokio::task::spawn_blocking(move || cluster.stop())
                .await
                .map_err(|e| ClusterError::Io(std::io::Error::other(e)))?,
            None => Ok(()),
        }
    }
}
