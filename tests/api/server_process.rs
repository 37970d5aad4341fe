//! The built `sogs-server` binary with its managed PostgreSQL: start, restart, SIGTERM, config errors.

use std::path::Path;
use std::process::Command;

use nix::sys::signal::Signal;
use sogs_tests::binaries::{ServerProcess, admin, binary};

fn data_dir() -> tempfile::TempDir {
    // Short path: the cluster's Unix socket lives inside it.
    tempfile::Builder::new()
        .prefix("sogs-")
        .tempdir_in("/tmp")
        .unwrap()
}

fn postgres_is_running(data: &Path) -> bool {
    let Ok(pid_file) = std::fs::read_to_string(data.join("pg/postmaster.pid")) else {
        return false;
    };
    let pid: i32 = pid_file
        .lines()
        .next()
        .unwrap_or("")
        .trim()
        .parse()
        .unwrap_or(0);
    pid > 0 && nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), None).is_ok()
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
        !postgres_is_running(data.path()),
        "sogs-admin left its PostgreSQL running"
    );

    let first = ServerProcess::start(&["--data-dir", dir]);
    let urls = first.join_urls();
    assert_eq!(urls.len(), 1, "{:?}", first.startup_log);
    let room = sogs_client::Client::new(&first.address)
        .room("lobby")
        .await
        .unwrap();
    assert_eq!(room["token"], "lobby");
    assert!(first.stop_with(Signal::SIGTERM));
    assert!(
        !postgres_is_running(data.path()),
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
    assert!(!postgres_is_running(data.path()));
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
