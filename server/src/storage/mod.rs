//! Database access: opening the pool (managed cluster or URL) and one module of queries per table group.

pub mod cleanup;
pub mod cluster;
pub mod files;
pub mod inbox;
pub mod messages;
pub mod moderation;
pub mod modlog;
pub mod overrides;
pub mod permissions;
pub mod pins;
pub mod reactions;
pub mod rooms;
pub mod stats;
pub mod users;

use std::str::FromStr;

use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

use crate::config::Settings;
use cluster::{ClusterError, ManagedCluster};

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

/// The connection pool, plus the managed cluster when there is one.
#[derive(Debug)]
pub struct Database {
    pool: PgPool,
    cluster: Option<ManagedCluster>,
}

impl Database {
    /// Connects to `db.url`, or starts (or reuses) the managed cluster when it is empty.
    pub async fn open(settings: &Settings) -> Result<Self, OpenError> {
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
        let pool = PgPoolOptions::new()
            .max_connections(settings.db.max_connections)
            .connect_with(options)
            .await
            .map_err(OpenError::Connect)?;
        Ok(Self { pool, cluster })
    }

    /// Applies every pending migration.
    pub async fn migrate(&self) -> Result<(), OpenError> {
        crate::MIGRATOR.run(&self.pool).await?;
        Ok(())
    }

    /// The connection pool.
    pub fn pool(&self) -> &PgPool {
        &self.pool
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
