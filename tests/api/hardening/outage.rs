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
