//! When PostgreSQL goes away: requests that need it get 503 with `Retry-After` within the
//! acquire timeout, `/health` says so, and service resumes without a restart once it is back.

use std::time::{Duration, Instant};

use sogs_server::config::Settings;
use sogs_tests::outage::DbProxy;
use sogs_tests::{TestApp, TestDatabase, TestUser};

fn settings(s: &mut Settings) {
    s.db.acquire_timeout_secs = 1.0;
}

#[tokio::test]
async fn a_lost_database_gives_503_with_retry_after_then_recovers() {
    let database = TestDatabase::create().await;
    let mut proxy = DbProxy::start(&database).await;
    let mut db_settings = Settings::default();
    settings(&mut db_settings);
    let pool = proxy.pool(&database, &db_settings.db);
    let app = TestApp::spawn_on(database, pool, settings).await;
    app.create_room("lobby", "rwua").await;
    let alice = app.client_15(&TestUser::random());
    assert_eq!(alice.get("/room/lobby").await.unwrap().status, 200);
    assert_eq!(
        app.client().get("/health").await.unwrap().text(),
        r#"{"db":"ok"}"#
    );

    proxy.cut();
    let started = Instant::now();
    let resp = alice.get("/room/lobby").await.unwrap();
    assert_eq!(
        (resp.status, resp.text().as_str()),
        (503, "Database unavailable: try again shortly")
    );
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "answered within the acquire timeout"
    );
    let direct = sogs_client::Client::new(&app.address);
    let raw = reqwest::get(format!("{}/room/lobby", app.address))
        .await
        .unwrap();
    assert_eq!(raw.status(), 503);
    assert_eq!(raw.headers()["retry-after"], "5");
    let health = direct.get("/health").await.unwrap();
    assert_eq!(
        (health.status, health.text().as_str()),
        (503, r#"{"db":"unreachable"}"#)
    );
    assert_eq!(
        direct.get("/capabilities").await.unwrap().status,
        200,
        "no database needed"
    );

    proxy.restore().await;
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let status = alice.get("/room/lobby").await.unwrap().status;
        if status == 200 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "still {status} after the database came back"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(direct.get("/health").await.unwrap().status, 200);
}

#[tokio::test]
async fn start_up_retries_an_unreachable_database_then_gives_up_clearly() {
    // A port nobody listens on: bind one, note it, close it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let data_dir = tempfile::tempdir().unwrap();
    let url = format!("postgres://sogs@127.0.0.1:{port}/sogs");
    let config = data_dir.path().join("sogs.toml");
    std::fs::write(
        &config,
        "[db]\nacquire_timeout_secs = 1.0\nconnect_retry_secs = 4.0\n",
    )
    .unwrap();
    let out = tokio::task::spawn_blocking(move || {
        let dir = data_dir.path().to_str().unwrap().to_owned();
        let config = config.to_str().unwrap().to_owned();
        sogs_tests::binaries::server_exits(
            &[
                "--config",
                &config,
                "--data-dir",
                &dir,
                "--database-url",
                &url,
            ],
            Duration::from_secs(30),
        )
    })
    .await
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("database not reachable yet; retrying"),
        "{stderr}"
    );
    assert!(stderr.contains("cannot connect to PostgreSQL"), "{stderr}");
}
