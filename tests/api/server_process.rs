//! The built `sogs-server` binary with its managed PostgreSQL: start, restart, SIGTERM, config
//! errors, and the managed cluster's hardening (supervision, one server per data directory,
//! adoption of a left-over cluster, socket-only configuration, non-superuser role).

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use nix::sys::signal::Signal;
use sogs_tests::binaries::{
    ServerProcess, admin, binary, poll_until, postmaster_pid, postmaster_running, server_exits,
};

fn data_dir() -> tempfile::TempDir {
    // Short path: the cluster's Unix socket lives inside it.
    tempfile::Builder::new()
        .prefix("sogs-")
        .tempdir_in("/tmp")
        .unwrap()
}

/// Whether `GET /rooms` (which reads the database) answers 200.
async fn rooms_answer(server: &ServerProcess) -> bool {
    sogs_client::Client::new(&server.address)
        .rooms()
        .await
        .is_ok()
}

/// The pid of the live postmaster of `data`, waiting up to 20 s for one other than `old`.
async fn new_postmaster(data: &Path, old: Option<i32>) -> Option<i32> {
    poll_until(Duration::from_secs(20), || async {
        postmaster_pid(data).filter(|pid| Some(*pid) != old && postmaster_running(data))
    })
    .await
}

/// Sends SIGKILL to `pid`.
fn kill_hard(pid: i32) {
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), Signal::SIGKILL).unwrap();
}

#[tokio::test]
async fn restarts_reuse_key_and_data_and_sigterm_stops_postgres() {
    let data = data_dir();
    let dir = data.path().to_str().unwrap();
    let added = admin(&["--data-dir", dir, "room", "add", "lobby"]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    assert!(
        !postmaster_running(data.path()),
        "sogs-admin left its PostgreSQL running"
    );

    let first = ServerProcess::start(&["--data-dir", dir]);
    let urls = first.join_urls();
    assert_eq!(urls.len(), 1, "{:?}", first.startup_log);
    let room = sogs_client::Client::new(&first.address)
        .room("lobby")
        .await
        .unwrap();
    assert_eq!(room.token, "lobby");
    assert!(first.stop_with(Signal::SIGTERM));
    assert!(
        !postmaster_running(data.path()),
        "PostgreSQL still running after SIGTERM"
    );

    let second = ServerProcess::start(&["--data-dir", dir]);
    assert_eq!(second.join_urls(), urls);
    assert_eq!(
        sogs_client::Client::new(&second.address)
            .rooms()
            .await
            .unwrap()
            .len(),
        1
    );
    assert!(second.stop_with(Signal::SIGINT));
    assert!(!postmaster_running(data.path()));
}

#[test]
fn default_config_prints_annotated_toml() {
    let out = Command::new(binary("sogs-server"))
        .arg("default-config")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("[server]") && text.contains("# "), "{text}");
    text.parse::<toml::Table>().unwrap();
}

#[test]
fn an_unknown_config_key_stops_startup_naming_the_key() {
    let dir = data_dir();
    let config = dir.path().join("sogs.toml");
    std::fs::write(&config, "[server]\nlisten_port = 1\n").unwrap();
    let out = Command::new(binary("sogs-server"))
        .arg("--config")
        .arg(&config)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("listen_port"), "{err}");
}

#[test]
fn a_bad_environment_value_stops_startup_naming_the_key() {
    let out = Command::new(binary("sogs-server"))
        .env("SOGS__SERVER__BASE_URL", "ftp://nope")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("server.base_url"), "{err}");
}

#[tokio::test]
async fn a_killed_postmaster_is_restarted_and_requests_work_again() {
    let data = data_dir();
    let server = ServerProcess::start(&["--data-dir", data.path().to_str().unwrap()]);
    assert!(rooms_answer(&server).await, "{:?}", server.startup_log);
    let old = postmaster_pid(data.path()).unwrap();
    kill_hard(old);

    let new = new_postmaster(data.path(), Some(old)).await;
    assert!(new.is_some(), "no new postmaster within 20 s");
    let served = poll_until(Duration::from_secs(20), || async {
        rooms_answer(&server).await.then_some(())
    })
    .await;
    assert!(served.is_some(), "GET /rooms did not recover within 20 s");
    assert_eq!(
        postmaster_pid(data.path()),
        new,
        "the postmaster changed again"
    );
    assert!(server.stop_with(Signal::SIGTERM));
    assert!(
        !postmaster_running(data.path()),
        "PostgreSQL still running after SIGTERM"
    );
}

#[test]
fn a_second_server_on_the_same_data_directory_refuses_to_start() {
    let data = data_dir();
    let dir = data.path().to_str().unwrap();
    let first = ServerProcess::start(&["--data-dir", dir]);

    let second = server_exits(&["--data-dir", dir], Duration::from_secs(60));
    assert!(!second.status.success());
    let err = String::from_utf8_lossy(&second.stderr);
    let canonical = std::fs::canonicalize(data.path()).unwrap();
    assert!(err.contains(canonical.to_str().unwrap()), "{err}");
    assert!(err.contains(&format!("pid {}", first.pid())), "{err}");
    assert!(
        postmaster_running(data.path()),
        "the refused server stopped PostgreSQL"
    );
    assert!(first.stop_with(Signal::SIGTERM));
}

#[tokio::test]
async fn a_cluster_left_by_a_killed_server_is_adopted_and_stopped() {
    let data = data_dir();
    let dir = data.path().to_str().unwrap();
    let first = ServerProcess::start(&["--data-dir", dir]);
    let left = postmaster_pid(data.path());
    assert!(!first.stop_with(Signal::SIGKILL));
    assert!(
        postmaster_running(data.path()),
        "the postmaster should outlive a SIGKILLed server"
    );

    let second = ServerProcess::start(&["--data-dir", dir]);
    assert_eq!(
        postmaster_pid(data.path()),
        left,
        "the running cluster should be reused"
    );
    assert!(rooms_answer(&second).await);
    assert!(second.stop_with(Signal::SIGTERM));
    assert!(
        !postmaster_running(data.path()),
        "the adopted cluster was left running"
    );
}

#[tokio::test]
async fn the_cluster_is_socket_only_and_its_role_is_not_a_superuser() {
    let data = data_dir();
    let dir = data.path().to_str().unwrap();
    let pg = data.path().join("pg");
    assert!(ServerProcess::start(&["--data-dir", dir]).stop_with(Signal::SIGTERM));
    assert_hardened(&pg);

    // Loosen the files by hand; the next start rewrites them.
    let conf = pg.join("postgresql.conf");
    let loosened = std::fs::read_to_string(&conf).unwrap() + "listen_addresses = '*'\n";
    std::fs::write(&conf, loosened).unwrap();
    std::fs::write(pg.join("pg_hba.conf"), "host all all 0.0.0.0/0 trust\n").unwrap();
    let server = ServerProcess::start(&["--data-dir", dir]);
    assert_hardened(&pg);

    let options = sqlx::postgres::PgConnectOptions::new()
        .host(pg.to_str().unwrap())
        .username("sogs")
        .database("sogs");
    let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect_with(&options)
        .await
        .unwrap();
    let row: (bool, String, String) = sqlx::query_as(
        "select rolsuper, current_setting('listen_addresses'), \
         (select pg_get_userbyid(datdba)::text from pg_database where datname = 'sogs') \
         from pg_roles where rolname = 'sogs'",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(row, (false, String::new(), "sogs".to_owned()));
    drop(conn);
    assert!(server.stop_with(Signal::SIGTERM));
}

#[test]
fn a_postmaster_that_cannot_be_restarted_makes_the_server_exit_with_an_error() {
    let data = data_dir();
    let mut server = ServerProcess::start(&["--data-dir", data.path().to_str().unwrap()]);
    // Without its configuration file PostgreSQL cannot start again.
    let pg = data.path().join("pg");
    std::fs::rename(pg.join("postgresql.conf"), pg.join("postgresql.conf.away")).unwrap();
    kill_hard(postmaster_pid(data.path()).unwrap());

    // Five attempts with backoff take about 16 s.
    let status = server.wait_exit(Duration::from_secs(90));
    assert!(
        status.is_some(),
        "the server kept running without its database"
    );
    assert!(!status.unwrap().success());
    assert!(!postmaster_running(data.path()));
}

/// The cluster's files allow nothing but the Unix socket, whatever options start it.
fn assert_hardened(pg: &Path) {
    let conf = std::fs::read_to_string(pg.join("postgresql.conf")).unwrap();
    let last = conf.lines().rfind(|l| !l.trim().is_empty()).unwrap();
    assert_eq!(last.trim(), "include = 'sogs-server.conf'", "{conf}");
    let ours = std::fs::read_to_string(pg.join("sogs-server.conf")).unwrap();
    assert!(ours.contains("listen_addresses = ''"), "{ours}");
    assert!(ours.contains("unix_socket_permissions = 0700"), "{ours}");
    let socket_dir = format!("unix_socket_directories = '{}'", pg.display());
    assert!(ours.contains(&socket_dir), "{ours}");
    let hba = std::fs::read_to_string(pg.join("pg_hba.conf")).unwrap();
    let rules: Vec<&str> = hba
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    assert_eq!(rules, ["local   all       all   trust"], "{hba}");
}
