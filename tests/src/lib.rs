//! Test harness: one temporary PostgreSQL cluster per test process, one database per test,
//! the real server on port 0, and helpers to run the built binaries.
#![expect(
    clippy::expect_used,
    reason = "a test harness: a failed set-up step must abort the test loudly"
)]

pub mod binaries;
pub mod cluster;
pub mod outage;

use std::sync::Arc;

use sogs_client::Client;
use sogs_protocol::onion::EncType;
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
    /// The metrics listener's port (tests turn metrics on with `[metrics] listen`).
    pub metrics_port: Option<u16>,
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
        let pool = database.pool().await;
        Self::spawn_on(database, pool, configure).await
    }

    /// Starts a server on `database` whose handlers use `server_pool` (for example one that
    /// reaches the database through a proxy the test can cut); `db` stays a direct pool.
    pub async fn spawn_on(
        database: TestDatabase,
        server_pool: PgPool,
        configure: impl FnOnce(&mut Settings),
    ) -> Self {
        let data_dir = tempfile::tempdir().expect("temp dir");
        let mut settings = Settings::default();
        settings.server.listen = "127.0.0.1:0".parse().expect("address");
        settings.server.data_dir = data_dir.path().to_path_buf();
        settings.db.url = database.url.clone();
        settings.db.max_connections = 5;
        // Off unless a test asks: the default port would clash between servers.
        settings.metrics.listen = String::new();
        configure(&mut settings);
        let keys = ServerKeys::load_or_create(&settings.server.data_dir).expect("server key");
        let db = database.pool().await;
        sogs_server::storage::users::upsert_system_user(&db, keys.public())
            .await
            .expect("system user");
        let state =
            Arc::new(AppState::new(server_pool, Arc::new(settings), keys).expect("app state"));
        let app = Application::build(Arc::clone(&state)).expect("bind");
        let port = app.port();
        let metrics_port = app.metrics_port();
        let handle = app.handle();
        tokio::spawn(app.run_until_stopped());
        Self {
            address: format!("http://127.0.0.1:{port}"),
            port,
            metrics_port,
            db,
            database,
            state,
            data_dir,
            handle,
        }
    }

    /// An anonymous client for this server. With `SOGS_TEST_ONION=1` (or `=xchacha20`) every
    /// request goes through `/oxen/v4/lsrpc`, so the whole suite can run both ways.
    pub fn client(&self) -> Client {
        let direct = Client::new(&self.address);
        match std::env::var("SOGS_TEST_ONION").as_deref() {
            Ok("1") | Ok("aes-gcm") => direct.via_onion(self.onion_config(EncType::Aes256Gcm)),
            Ok("xchacha20") => direct.via_onion(self.onion_config(EncType::XChaCha20Poly1305)),
            _ => direct,
        }
    }

    /// Onion settings for this server.
    pub fn onion_config(&self, enc_type: EncType) -> sogs_client::onion::OnionConfig {
        sogs_client::onion::OnionConfig {
            server_pk: *self.state.keys.public(),
            enc_type,
        }
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
        let defaults =
            sogs_server::domain::permissions::RoomDefaults::from_letters(perms).expect("perms");
        let new = sogs_server::storage::rooms::NewRoom {
            token,
            name: token,
            description: None,
            defaults,
        };
        sogs_server::storage::rooms::insert(&self.db, &new)
            .await
            .expect("create room")
    }
}

/// A test identity: an Ed25519 seed.
#[derive(Debug, Clone, Copy)]
pub struct TestUser {
    /// The Ed25519 seed.
    pub seed: [u8; 32],
}

impl TestUser {
    /// A fresh random identity.
    pub fn random() -> Self {
        let mut seed = [0u8; 32];
        getrandom_fill(&mut seed);
        Self { seed }
    }

    /// Its `05…` Session ID.
    pub fn session_id(&self) -> sogs_protocol::ids::SessionId {
        let ed = ed25519_dalek::SigningKey::from_bytes(&self.seed).verifying_key();
        sogs_protocol::ids::SessionId::from_x25519(ed.to_montgomery().to_bytes())
    }
}

fn getrandom_fill(buf: &mut [u8]) {
    use rand_core::RngCore;
    rand_core::OsRng.fill_bytes(buf);
}

impl TestApp {
    /// A client signing as `user` with `scheme`.
    pub fn client_as(&self, user: &TestUser, scheme: sogs_protocol::signing::AuthScheme) -> Client {
        let signer = sogs_client::Signer::new(user.seed, scheme, *self.state.keys.public());
        self.client().signed(signer)
    }

    /// A client signing as `user` with blind15, as Session clients do.
    pub fn client_15(&self, user: &TestUser) -> Client {
        self.client_as(user, sogs_protocol::signing::AuthScheme::Blind15)
    }

    /// Runs one SQL statement on the test database (test set-up only), then waits until the
    /// server's caches reflect it, as they do after the server's own writes.
    pub async fn sql(&self, statement: &str) {
        sqlx::raw_sql(statement)
            .execute(&self.db)
            .await
            .expect("test SQL");
        self.sync().await;
    }

    /// Waits until every change committed so far is reflected in the server's caches.
    pub async fn sync(&self) {
        self.state.caches.sync().await;
    }
}

/// Builds a `Session`-padded message body: `content ‖ 0x80 ‖ zeros` to a multiple of 160 bytes.
pub fn padded(content: &[u8]) -> Vec<u8> {
    let mut data = content.to_vec();
    data.push(0x80);
    data.resize(data.len().div_ceil(160) * 160, 0);
    data
}

/// A Session `Content` text message as a client posts it (padded), with an optional profile
/// display name.
pub fn session_message(body: &str, name: Option<&str>) -> Vec<u8> {
    use sogs_protocol::content::{Content, LokiProfile};
    let mut content = Content::text(body, 1_700_000_000_000);
    if let (Some(name), Some(dm)) = (name, content.data_message.as_mut()) {
        dm.profile = Some(LokiProfile {
            display_name: Some(name.into()),
            profile_picture: None,
        });
    }
    content.encode_padded()
}

/// Decodes a base64 field of a JSON answer.
pub fn b64(value: &serde_json::Value) -> Vec<u8> {
    sogs_protocol::encoding::decode_b64(value.as_str().expect("a base64 string"))
        .expect("valid base64")
}

impl TestApp {
    /// Creates a user row for `client`'s identity and makes it a room or global moderator/admin.
    pub async fn make_mod(&self, client: &Client, room: Option<&str>, admin: bool) {
        let id = client.signer().expect("a signed client").id();
        client
            .get("/room/__no_such_room__")
            .await
            .expect("authenticate once");
        let user_id: i64 = sqlx::query_scalar("select id from users where session_id = $1")
            .bind(&id)
            .fetch_one(&self.db)
            .await
            .expect("user row");
        match room {
            Some(token) => {
                sqlx::query(
                    r#"insert into user_permission_overrides (room, "user", moderator, admin)
                       select id, $2, true, $3 from rooms where token = $1"#,
                )
                .bind(token)
                .bind(user_id)
                .bind(admin)
                .execute(&self.db)
                .await
                .expect("room moderator");
            }
            None => {
                sqlx::query("update users set moderator = true, admin = $2 where id = $1")
                    .bind(user_id)
                    .bind(admin)
                    .execute(&self.db)
                    .await
                    .expect("global moderator");
            }
        }
        self.sync().await;
    }
}

impl TestApp {
    /// The join URL of room `token` on this server.
    pub fn room_url(&self, token: &str) -> String {
        format!("{}/{token}?public_key={}", self.address, self.pubkey_hex())
    }

    /// Grants `seed`'s blind15 user read/write/upload on room `token` (as a moderator's
    /// `POST /room/<t>/permissions/<id>` would); the user must have made a request before.
    pub async fn grant(&self, seed: &[u8; 32], token: &str) {
        let id = sogs_client::Signer::new(
            *seed,
            sogs_protocol::signing::AuthScheme::Blind15,
            *self.state.keys.public(),
        )
        .id();
        sqlx::query(
            r#"insert into user_permission_overrides (room, "user", read, write, upload)
               select r.id, u.id, true, true, true from rooms r, users u where r.token = $1 and u.session_id = $2"#,
        )
        .bind(token)
        .bind(&id)
        .execute(&self.db)
        .await
        .expect("grant room access");
        self.sync().await;
    }

    /// Tables and `bytea` columns of the database that contain `needle`.
    pub async fn bytea_columns_containing(&self, needle: &[u8]) -> Vec<String> {
        let columns: Vec<(String, String)> = sqlx::query_as(
            "select table_name::text, column_name::text from information_schema.columns
             where table_schema = 'public' and data_type = 'bytea'",
        )
        .fetch_all(&self.db)
        .await
        .expect("bytea columns");
        let mut found = Vec::new();
        for (table, column) in columns {
            let sql =
                format!(r#"select count(*) from "{table}" where position($1 in "{column}") > 0"#);
            let n: i64 = sqlx::query_scalar(&sql)
                .bind(needle)
                .fetch_one(&self.db)
                .await
                .expect("search");
            if n > 0 {
                found.push(format!("{table}.{column}"));
            }
        }
        found
    }
}
