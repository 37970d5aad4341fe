//! What every command needs: settings, the database (managed or by URL) and the server key.

use anyhow::Context as _;
use sogs_server::config::{CommandLineOverrides, Settings};
use sogs_server::keys::ServerKeys;
use sogs_server::storage::Database;

/// Settings, an open database and the server's key.
pub(crate) struct Context {
    pub(crate) settings: Settings,
    pub(crate) db: Database,
    pub(crate) keys: ServerKeys,
}

impl Context {
    /// Opens the database; migrates it when `db.auto_migrate` is on (or `force_migrate`).
    pub(crate) async fn open(
        cli: &CommandLineOverrides,
        force_migrate: bool,
    ) -> anyhow::Result<Self> {
        let settings = Settings::load(cli, &[])?;
        std::fs::create_dir_all(settings.data_dir()).with_context(|| {
            format!(
                "cannot create data directory {}",
                settings.data_dir().display()
            )
        })?;
        let keys = ServerKeys::load_or_create(settings.data_dir())?;
        let db = Database::open_for_maintenance(&settings).await?;
        let ctx = Self { settings, db, keys };
        if force_migrate || ctx.settings.db.auto_migrate {
            if let Err(e) = ctx.db.migrate().await {
                ctx.db.close().await?;
                return Err(e.into());
            }
        }
        Ok(ctx)
    }

    /// The pool.
    pub(crate) fn pool(&self) -> &sqlx::PgPool {
        self.db.pool()
    }

    /// The server public key as hex.
    pub(crate) fn pubkey_hex(&self) -> String {
        self.keys.public().to_string()
    }

    /// Closes the pool and stops the managed cluster if this command started it.
    pub(crate) async fn close(self) -> anyhow::Result<()> {
        self.db
            .close()
            .await
            .context("stopping the managed PostgreSQL cluster")
    }
}
