//! A session-pysogs instance built by the test: the tables and columns the importer reads, in
//! the reference's shape (our own DDL), filled with every kind of row, as a SQLite file or in a
//! PostgreSQL schema, plus an uploads directory and the key file.

use std::path::PathBuf;

use sogs_protocol::ids::ServerPubkey;
use sogs_protocol::signing::AuthScheme;
use sogs_tests::{TestUser, padded};

/// pysogs's tables, with `{INT}`, `{BLOB}` standing for each backend's types.
const DDL: &str = r#"
CREATE TABLE users (id {INT} PRIMARY KEY, session_id TEXT NOT NULL UNIQUE, created FLOAT NOT NULL,
    last_active FLOAT NOT NULL, banned BOOLEAN NOT NULL DEFAULT FALSE,
    moderator BOOLEAN NOT NULL DEFAULT FALSE, admin BOOLEAN NOT NULL DEFAULT FALSE,
    visible_mod BOOLEAN NOT NULL DEFAULT FALSE);
CREATE TABLE rooms (id {INT} PRIMARY KEY, token TEXT NOT NULL UNIQUE, name TEXT NOT NULL,
    description TEXT, image {INT}, created FLOAT NOT NULL, message_sequence {INT} NOT NULL,
    info_updates {INT} NOT NULL, active_users {INT} NOT NULL, read BOOLEAN NOT NULL,
    accessible BOOLEAN NOT NULL, write BOOLEAN NOT NULL, upload BOOLEAN NOT NULL);
CREATE TABLE messages (id {INT} PRIMARY KEY, room {INT} NOT NULL, "user" {INT} NOT NULL,
    posted FLOAT NOT NULL, edited FLOAT, seqno {INT} NOT NULL, seqno_data {INT} NOT NULL,
    seqno_reactions {INT} NOT NULL, seqno_creation {INT} NOT NULL, data {BLOB},
    data_size {INT}, signature {BLOB}, filtered BOOLEAN NOT NULL DEFAULT FALSE, whisper {INT},
    whisper_mods BOOLEAN NOT NULL DEFAULT FALSE);
CREATE TABLE message_history (message {INT} NOT NULL, replaced FLOAT NOT NULL,
    data TEXT NOT NULL, signature {BLOB} NOT NULL);
CREATE TABLE pinned_messages (room {INT} NOT NULL, message {INT} NOT NULL,
    pinned_by {INT} NOT NULL, pinned_at FLOAT NOT NULL, PRIMARY KEY (room, message));
CREATE TABLE files (id {INT} PRIMARY KEY, room {INT}, uploader {INT}, message {INT},
    size {INT} NOT NULL, uploaded FLOAT NOT NULL, expiry FLOAT, filename TEXT,
    path TEXT NOT NULL);
CREATE TABLE reactions (id {INT} PRIMARY KEY, message {INT} NOT NULL, reaction TEXT NOT NULL);
CREATE TABLE user_reactions (reaction {INT} NOT NULL, "user" {INT} NOT NULL, at FLOAT NOT NULL,
    PRIMARY KEY (reaction, "user"));
CREATE TABLE room_users (room {INT} NOT NULL, "user" {INT} NOT NULL, last_active FLOAT NOT NULL,
    PRIMARY KEY (room, "user"));
CREATE TABLE user_permission_overrides (room {INT} NOT NULL, "user" {INT} NOT NULL,
    banned BOOLEAN NOT NULL DEFAULT FALSE, read BOOLEAN, accessible BOOLEAN, write BOOLEAN,
    upload BOOLEAN, moderator BOOLEAN NOT NULL DEFAULT FALSE,
    admin BOOLEAN NOT NULL DEFAULT FALSE, visible_mod BOOLEAN NOT NULL DEFAULT TRUE,
    PRIMARY KEY (room, "user"));
CREATE TABLE user_permission_futures (room {INT} NOT NULL, "user" {INT} NOT NULL,
    at FLOAT NOT NULL, read BOOLEAN, write BOOLEAN, upload BOOLEAN);
CREATE TABLE user_ban_futures (room {INT}, "user" {INT} NOT NULL, at FLOAT NOT NULL,
    banned BOOLEAN NOT NULL);
CREATE TABLE needs_blinding (blinded_abs TEXT NOT NULL PRIMARY KEY,
    "user" {INT} NOT NULL UNIQUE);
CREATE TABLE inbox (id {INT} PRIMARY KEY, recipient {INT} NOT NULL, sender {INT} NOT NULL,
    body {BLOB} NOT NULL, posted_at FLOAT, expiry FLOAT);
CREATE TABLE user_request_nonces ("user" {INT} NOT NULL, nonce {BLOB} NOT NULL UNIQUE,
    expiry FLOAT NOT NULL);
"#;

/// One bound value; NULLs carry their column's type (PostgreSQL needs it).
#[derive(Debug, Clone)]
pub(crate) enum P {
    I(i64),
    F(f64),
    T(String),
    B(Vec<u8>),
    Bool(bool),
    NullI,
    NullF,
    NullT,
    NullB,
    NullBool,
    /// `message_history.data`: bytes in SQLite, `\x…` text in PostgreSQL (as pysogs stores it).
    History(Vec<u8>),
}

/// The people of the fixture, by pysogs user id.
#[derive(Debug, Clone, Copy)]
pub(crate) struct People {
    pub(crate) alice: TestUser,
    pub(crate) bob: TestUser,
    pub(crate) moderator: TestUser,
    pub(crate) hidden: TestUser,
    pub(crate) admin: TestUser,
    pub(crate) banned: TestUser,
    pub(crate) gbanned: TestUser,
    pub(crate) dave: TestUser,
    pub(crate) muted: TestUser,
    pub(crate) carol: TestUser,
}

/// A generated pysogs instance.
pub(crate) struct Fixture {
    pub(crate) dir: tempfile::TempDir,
    pub(crate) key: [u8; 32],
    pub(crate) pubkey: ServerPubkey,
    pub(crate) people: People,
    pub(crate) now: f64,
    pub(crate) image: Vec<u8>,
    pub(crate) attachment: Vec<u8>,
    pub(crate) document: Vec<u8>,
}

/// The signature stored for message `id` (any 64 bytes: the server does not re-verify).
pub(crate) fn sig(id: i64) -> Vec<u8> {
    vec![id as u8; 64]
}

/// A direct message body.
pub(crate) fn dm_body(id: i64) -> Vec<u8> {
    format!("encrypted dm {id}").into_bytes()
}

/// The stored (unpadded) content of message `id` and the padded size pysogs records.
pub(crate) fn content(text: &str) -> (Vec<u8>, i64) {
    (
        text.as_bytes().to_vec(),
        padded(text.as_bytes()).len() as i64,
    )
}

/// `n` random bytes.
pub(crate) fn random_bytes(n: usize) -> Vec<u8> {
    use rand_core::RngCore;
    let mut v = vec![0u8; n];
    rand_core::OsRng.fill_bytes(&mut v);
    v
}

impl Fixture {
    /// New random people, key and upload contents; writes the uploads and the key file.
    pub(crate) fn new() -> Self {
        let key: [u8; 32] = random_bytes(32).try_into().unwrap();
        let pubkey = *sogs_server::keys::ServerKeys::from_secret_bytes(key).public();
        let r = TestUser::random;
        let people = People {
            alice: r(),
            bob: r(),
            moderator: r(),
            hidden: r(),
            admin: r(),
            banned: r(),
            gbanned: r(),
            dave: r(),
            muted: r(),
            carol: r(),
        };
        let fixture = Self {
            dir: tempfile::tempdir().unwrap(),
            key,
            pubkey,
            people,
            now: sogs_server::clock::unix_now(),
            image: random_bytes(3000),
            attachment: random_bytes(70_000),
            document: b"an unattached document".to_vec(),
        };
        fixture.write_files();
        fixture
    }

    fn write_files(&self) {
        let lobby = self.uploads().join("lobby");
        std::fs::create_dir_all(&lobby).unwrap();
        std::fs::write(lobby.join("1_lobby.png"), &self.image).unwrap();
        std::fs::write(lobby.join("2_cat.jpg"), &self.attachment).unwrap();
        std::fs::create_dir_all(self.uploads().join("news")).unwrap();
        std::fs::write(self.document_path(), &self.document).unwrap();
        // pysogs's old place of the document, still there with other bytes of the same size
        let old = self.old_document_path();
        std::fs::create_dir_all(old.parent().unwrap()).unwrap();
        std::fs::write(old, self.document.to_ascii_uppercase()).unwrap();
        std::fs::write(self.key_path(), self.key).unwrap();
    }

    /// The pysogs uploads directory.
    pub(crate) fn uploads(&self) -> PathBuf {
        self.dir.path().join("uploads")
    }

    /// The pysogs key file.
    pub(crate) fn key_path(&self) -> PathBuf {
        self.dir.path().join("key_x25519")
    }

    /// Where the document's copy is: under the uploads directory.
    pub(crate) fn document_path(&self) -> PathBuf {
        self.uploads().join("news/4_doc.txt")
    }

    /// The document's `files.path`: absolute, outside the uploads directory (the instance
    /// moved); only its copy under the uploads directory may be read.
    pub(crate) fn old_document_path(&self) -> PathBuf {
        self.dir.path().join("old/uploads/news/4_doc.txt")
    }

    /// `user`'s blind15 id on this server.
    pub(crate) fn id15(&self, user: &TestUser) -> String {
        sogs_client::Signer::new(user.seed, AuthScheme::Blind15, self.pubkey).id()
    }

    /// Builds `sogs.db` in the fixture directory; returns its path.
    pub(crate) fn write_sqlite(&self) -> PathBuf {
        let path = self.dir.path().join("sogs.db");
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(&ddl("INTEGER", "BLOB")).unwrap();
        for (sql, params) in self.rows() {
            let values: Vec<rusqlite::types::Value> = params.iter().map(sqlite_value).collect();
            conn.execute(&sql, rusqlite::params_from_iter(values))
                .unwrap();
        }
        path
    }

    /// Creates the tables in `schema` of the database at `url` and fills them.
    pub(crate) async fn write_postgres(&self, pool: &sqlx::PgPool, schema: &str) {
        let ddl = format!(
            "create schema {schema}; set search_path = {schema};{}",
            ddl("BIGINT", "BYTEA")
        );
        let mut conn = pool.acquire().await.unwrap();
        sqlx::raw_sql(&ddl).execute(&mut *conn).await.unwrap();
        for (sql, params) in self.rows() {
            let mut q = sqlx::query(&sql);
            for p in params {
                q = match p {
                    P::I(v) => q.bind(v),
                    P::F(v) => q.bind(v),
                    P::T(v) => q.bind(v),
                    P::B(v) => q.bind(v),
                    P::Bool(v) => q.bind(v),
                    P::NullI => q.bind(None::<i64>),
                    P::NullF => q.bind(None::<f64>),
                    P::NullT => q.bind(None::<String>),
                    P::NullB => q.bind(None::<Vec<u8>>),
                    P::NullBool => q.bind(None::<bool>),
                    P::History(v) => q.bind(format!("\\x{}", hex::encode(v))),
                };
            }
            q.execute(&mut *conn).await.unwrap();
        }
        sqlx::raw_sql("set search_path = public")
            .execute(&mut *conn)
            .await
            .unwrap();
    }
}

fn ddl(int: &str, blob: &str) -> String {
    DDL.replace("{INT}", int).replace("{BLOB}", blob)
}

fn sqlite_value(p: &P) -> rusqlite::types::Value {
    use rusqlite::types::Value as V;
    match p {
        P::I(v) => V::Integer(*v),
        P::F(v) => V::Real(*v),
        P::T(v) => V::Text(v.clone()),
        P::B(v) | P::History(v) => V::Blob(v.clone()),
        P::Bool(v) => V::Integer(i64::from(*v)),
        P::NullI | P::NullF | P::NullT | P::NullB | P::NullBool => V::Null,
    }
}

/// `INSERT INTO table (columns) VALUES ($1, …)` with its values.
pub(crate) fn insert(table: &str, cells: &[(&str, P)]) -> (String, Vec<P>) {
    let columns: Vec<String> = cells.iter().map(|(c, _)| format!("\"{c}\"")).collect();
    let marks: Vec<String> = (1..=cells.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        columns.join(", "),
        marks.join(", ")
    );
    (sql, cells.iter().map(|(_, p)| p.clone()).collect())
}
