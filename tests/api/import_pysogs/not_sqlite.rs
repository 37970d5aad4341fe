//! A `--from` file that is not a pysogs database is named for what it is (missing, empty, not
//! SQLite, truncated, without tables), not reported as an unexpected schema.

use std::path::PathBuf;

use sogs_tests::TestDatabase;

use super::fixture::Fixture;
use super::{rows_in, run_admin};

/// The sources, each with what the refusal must say after its path.
fn cases(fx: &Fixture) -> Vec<(&'static str, PathBuf)> {
    let dir = fx.dir.path();
    let empty = dir.join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let text = dir.join("notes.db");
    std::fs::write(&text, "[db]\nurl = sqlite:///sogs.db\n".repeat(200)).unwrap();
    let truncated = fx.write_sqlite();
    let whole = std::fs::read(&truncated).unwrap();
    std::fs::write(&truncated, &whole[..whole.len() / 2]).unwrap();
    let no_tables = dir.join("blank.db");
    rusqlite::Connection::open(&no_tables)
        .unwrap()
        .execute_batch("PRAGMA user_version = 7")
        .unwrap();
    vec![
        (" does not exist", dir.join("missing.db")),
        (" is not a file", dir.to_path_buf()),
        (" is empty (0 bytes), not an SQLite database", empty),
        (" is not an SQLite database", text),
        (" is truncated or corrupt", truncated),
        (" is an SQLite database without any table", no_tables),
    ]
}

#[tokio::test]
async fn a_source_that_is_not_a_pysogs_sqlite_database_is_named_for_what_it_is() {
    let fx = Fixture::new();
    let database = TestDatabase::create().await;
    let data_dir = tempfile::tempdir().unwrap();

    for (what, from) in cases(&fx) {
        let out = run_admin(&fx, &database, data_dir.path(), &from);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        let want = format!("cannot read the pysogs database: {}{what}", from.display());
        assert!(stderr.contains(&want), "want {want:?} in {stderr}");
        assert!(!stderr.contains("schema"), "{stderr}");
    }
    assert_eq!(rows_in(&database.pool().await).await, 0);
}
