//! The schema's triggers and views, checked by server/tests/sql/triggers_check.sql (run with
//! psql against a fresh migrated database; it asserts every behaviour and rolls back).

use std::process::Command;

use sogs_pgcluster::find_bin_dir;
use sogs_tests::TestDatabase;

#[tokio::test]
async fn every_trigger_and_view_behaves_as_specified() {
    let database = TestDatabase::create().await;
    let psql = find_bin_dir().expect("PostgreSQL binaries").join("psql");
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../server/tests/sql/triggers_check.sql"
    );
    let out = Command::new(psql)
        .args([
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            &database.url,
            "-f",
            script,
        ])
        .output()
        .expect("run psql");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("all checks passed"));
}
