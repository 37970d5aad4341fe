//! `sogs-admin import-pysogs`: a generated session-pysogs instance (SQLite or PostgreSQL,
//! uploads, key) is imported, then served and checked through the API; a second run, a
//! non-empty target, a foreign key, a missing upload, an upload outside the uploads directory
//! and a source that is not a database are refused without writing anything.

mod checks;
mod fixture;
mod not_sqlite;
mod outside;
mod people;
mod rows;

use std::path::Path;

use sogs_import::{ImportError, ImportOptions, Kind, NoProgress, Summary};
use sogs_tests::binaries::admin;
use sogs_tests::{TestApp, TestDatabase};
use sqlx::PgPool;

use fixture::Fixture;

/// `(kind, rows in the source, rows imported)` for the fixture.
const EXPECTED: &[(Kind, u64, u64)] = &[
    (Kind::Users, 11, 11),
    (Kind::Rooms, 3, 3),
    (Kind::Messages, 7, 7),
    (Kind::History, 2, 2),
    (Kind::Reactions, 2, 2),
    (Kind::Reactors, 3, 3),
    (Kind::Files, 4, 3),
    (Kind::Pins, 1, 1),
    (Kind::Overrides, 5, 5),
    (Kind::PermissionFutures, 1, 1),
    (Kind::BanFutures, 2, 2),
    (Kind::RoomActivity, 2, 2),
    (Kind::NeedsBlinding, 1, 1),
    (Kind::Inbox, 2, 2),
    (Kind::Nonces, 2, 1),
];

fn assert_counts(summary: &Summary) {
    for &(kind, source, written) in EXPECTED {
        let c = summary.count(kind);
        assert_eq!((c.source, c.written), (source, written), "{kind:?}");
        let target = (!summary.dry_run).then_some(written);
        assert_eq!(c.target, target, "{kind:?}");
    }
}

async fn import(
    fx: &Fixture,
    from: &str,
    pool: &PgPool,
    dry_run: bool,
) -> Result<Summary, ImportError> {
    let options = ImportOptions {
        from: from.to_owned(),
        uploads: fx.uploads(),
        key: fx.key,
        dry_run,
    };
    sogs_import::run(pool, &options, &NoProgress).await
}

/// Rows in the tables an import writes, the system user aside.
async fn rows_in(pool: &PgPool) -> i64 {
    sqlx::query_scalar(
        "select (select count(*) from rooms) + (select count(*) from users where id <> 0)
              + (select count(*) from messages) + (select count(*) from files)
              + (select count(*) from inbox) + (select count(*) from moderation_log)",
    )
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Serves the imported database with the data directory the key was installed in.
async fn serve(database: TestDatabase, data_dir: &Path) -> TestApp {
    let pool = database.pool().await;
    let dir = data_dir.to_path_buf();
    TestApp::spawn_on(database, pool, move |s| s.server.data_dir = dir).await
}

fn run_admin(
    fx: &Fixture,
    db: &TestDatabase,
    data_dir: &Path,
    from: &Path,
) -> std::process::Output {
    admin(&[
        "--database-url",
        &db.url,
        "--data-dir",
        data_dir.to_str().unwrap(),
        "import-pysogs",
        "--from",
        // pysogs's own `[db] url` form
        &format!("sqlite:///{}", from.display()),
        "--uploads",
        fx.uploads().to_str().unwrap(),
        "--key",
        fx.key_path().to_str().unwrap(),
    ])
}

#[tokio::test]
async fn an_imported_sqlite_instance_is_served_with_the_same_ids_bytes_and_permissions() {
    let fx = Fixture::new();
    let sqlite = fx.write_sqlite();
    let database = TestDatabase::create().await;
    let data_dir = tempfile::tempdir().unwrap();

    let out = run_admin(&fx, &database, data_dir.path(), &sqlite);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = |label: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(label))
            .map(|l| l.split_whitespace().collect::<Vec<_>>())
    };
    assert_eq!(
        line("messages"),
        Some(vec!["messages", "7", "7", "0", "7"]),
        "{stdout}"
    );
    assert_eq!(
        line("files"),
        Some(vec!["files", "4", "3", "1", "3"]),
        "{stdout}"
    );
    assert!(
        stdout.contains("skipped 1: expired upload whose content is gone"),
        "{stdout}"
    );
    assert!(stdout.contains("server key written to"), "{stdout}");
    let installed = std::fs::read(data_dir.path().join(sogs_server::keys::KEY_FILE)).unwrap();
    assert_eq!(installed, fx.key);

    let pool = database.pool().await;
    let before = rows_in(&pool).await;
    let again = run_admin(&fx, &database, data_dir.path(), &sqlite);
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert_eq!(again.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("already holds an import from session-pysogs"),
        "{stderr}"
    );
    assert_eq!(
        rows_in(&pool).await,
        before,
        "the second run changed nothing"
    );

    let app = serve(database, data_dir.path()).await;
    checks::everything(&app, &fx).await;
}

#[tokio::test]
async fn a_postgresql_instance_imports_the_same_way() {
    let fx = Fixture::new();
    let source = TestDatabase::create().await;
    fx.write_postgres(&source.pool().await, "pysogs").await;
    let from = format!("{}&options[search_path]=pysogs", source.url);
    let database = TestDatabase::create().await;

    let summary = import(&fx, &from, &database.pool().await, false)
        .await
        .unwrap();
    assert_counts(&summary);
    let data_dir = tempfile::tempdir().unwrap();
    sogs_import::key::install(data_dir.path(), &fx.key).unwrap();
    let app = serve(database, data_dir.path()).await;
    checks::rooms(&app, &fx).await;
    checks::messages(&app, &fx).await;
    checks::whispers_and_tombstones(&app, &fx).await;
    checks::files(&app, &fx).await;
    checks::direct_messages(&app, &fx).await;
}

#[tokio::test]
async fn a_dry_run_checks_everything_and_writes_nothing() {
    let fx = Fixture::new();
    let sqlite = fx.write_sqlite();
    let database = TestDatabase::create().await;
    let pool = database.pool().await;

    let summary = import(&fx, sqlite.to_str().unwrap(), &pool, true)
        .await
        .unwrap();
    assert!(summary.dry_run);
    assert_counts(&summary);
    assert_eq!(
        summary.file_bytes,
        (fx.image.len() + fx.attachment.len() + fx.document.len()) as u64
    );
    assert_eq!(rows_in(&pool).await, 0);
    // and the real run still works afterwards
    assert_counts(
        &import(&fx, sqlite.to_str().unwrap(), &pool, false)
            .await
            .unwrap(),
    );
}

#[tokio::test]
async fn a_target_with_rooms_is_refused() {
    let fx = Fixture::new();
    let sqlite = fx.write_sqlite();
    let app = TestApp::spawn().await;
    app.create_room("mine", "rwua").await;

    let refused = import(&fx, sqlite.to_str().unwrap(), &app.db, false).await;
    assert!(
        matches!(&refused, Err(ImportError::NotEmpty(what)) if what == "1 rooms"),
        "{refused:?}"
    );
    let users: i64 = sqlx::query_scalar("select count(*) from users where id <> 0")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(users, 0);
}

#[tokio::test]
async fn a_key_that_is_not_the_sources_is_refused() {
    let mut fx = Fixture::new();
    let sqlite = fx.write_sqlite();
    fx.key = [9; 32];
    let database = TestDatabase::create().await;
    let pool = database.pool().await;

    let refused = import(&fx, sqlite.to_str().unwrap(), &pool, false).await;
    assert!(matches!(refused, Err(ImportError::Key(_))), "{refused:?}");
    assert_eq!(rows_in(&pool).await, 0);
}

#[tokio::test]
async fn a_missing_upload_stops_the_import_before_anything_is_written() {
    let fx = Fixture::new();
    let sqlite = fx.write_sqlite();
    std::fs::remove_file(fx.uploads().join("lobby/2_cat.jpg")).unwrap();
    let database = TestDatabase::create().await;
    let pool = database.pool().await;

    for dry_run in [true, false] {
        let refused = import(&fx, sqlite.to_str().unwrap(), &pool, dry_run).await;
        assert!(
            matches!(refused, Err(ImportError::Upload { id: 2, .. })),
            "{refused:?}"
        );
    }
    assert_eq!(rows_in(&pool).await, 0);
}
