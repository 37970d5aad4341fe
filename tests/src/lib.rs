//! Test harness: one temporary PostgreSQL cluster per test process, one database per test,
//! the real server on port 0, and helpers to run the built binaries.

pub mod binaries;
pub mod cluster;

use std::sync::Arc;

use sogs_client::Client;
use sogs_server::config::Settings;
use sogs_server::keys::ServerKeys;
use sogs_server::startup::Application;
use sogs_server::state::AppState;
use sqlx::PgPool;

pub use cluster::TestDatabase;

/// A running server on a fresh database.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    /// The bound port.
    pub port: u16,
    /// Pool on the test database.
    pub db: PgPool,
    /// The test database (its URL is handed to `sogs-admin`).
    pub database: TestDatabase,
    /// The shared state the server runs with.
    pub state: Arc<AppState>,
    /// Data directory of this server (key file).
    pub data_dir: tempfile::TempDir,
    handle: actix_web::dev::ServerHandle,
}

impl TestApp {
    /// Starts a server with default settings on a new database.
    pub async fn spawn() -> Self {
        Self::spawn_with(|_| {}).await
    }

    /// Starts a server on a new database after `configure` adjusts the settings.
    pub async fn spawn_with(configure: impl FnOnce(&mut Settings)) -> Self {
        let database = TestDatabase::create().await;
        let data_dir = tempfile::tempdir().expect("temp dir");
        let mut settings = Settings::default();
        settings.server.listen = "127.0.0.1:0".parse().expect("address");
        settings.server.data_dir = data_dir.path().to_path_buf();
        settings.db.url = database.url.clone();
        settings.db.max_connections = 5;
        configure(&mut settings);
        let keys = ServerKeys::load_or_create(data_dir.path()).expect("server key");
        let db = database.pool().await;
        sogs_server::storage::users::upsert_system_user(&db, keys.public()).await.expect("system user");
        let state = Arc::new(AppState::new(db.clone(), Arc::new(settings), keys));
        let app = Application::build(Arc::clone(&state)).expect("bind");
        let port = app.port();
        let handle = app.handle();
        tokio::spawn(app.run_until_stopped());
        Self { address: format!("http://127.0.0.1:{port}"), port, db, database, state, data_dir, handle }
    }

    /// An anonymous client for this server.
    pub fn client(&self) -> Client {
        Client::new(&self.address)
    }

    /// The server's public key as hex.
    pub fn pubkey_hex(&self) -> String {
        self.state.keys.public().to_string()
    }

    /// Stops the server.
    pub async fn stop(self) {
        self.handle.stop(true).await;
    }
}

impl TestApp {
    /// Creates a room directly through the server library (as `sogs-admin room add` does).
    pub async fn create_room(&self, token: &str, perms: &str) -> sogs_server::domain::room::Room {
        let defaults = sogs_server::domain::permissions::RoomDefaults::from_letters(perms).expect("perms");
        let new = sogs_server::storage::rooms::NewRoom { token, name: token, description: None, defaults };
        sogs_server::storage::rooms::insert(&self.db, &new).await.expect("create room")
    }
}
