//! The per-process caches: answers come from memory until a notification invalidates them,
//! and losing the LISTEN connection drops everything.

use std::time::{Duration, Instant};

use sogs_tests::{TestApp, TestUser};

/// Renames the room without firing triggers (so no notification is sent): only a process
/// that reads the database sees the new name.
async fn rename_silently(app: &TestApp, name: &str) {
    let mut tx = app.db.begin().await.unwrap();
    for sql in [
        "alter table rooms disable trigger rooms_notify_cache",
        &format!("update rooms set name = '{name}' where token = 'lobby'"),
        "alter table rooms enable trigger rooms_notify_cache",
    ] {
        sqlx::query(sql).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
}

async fn room_name(app: &TestApp) -> String {
    let room = app.client().room("lobby").await.unwrap();
    room["name"].as_str().unwrap().to_owned()
}

/// Waits until the server's cache listener is connected.
async fn listening(app: &TestApp) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !app.state.caches.enabled() {
        assert!(
            Instant::now() < deadline,
            "the cache listener never connected"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_cached_room_is_served_from_memory_until_a_notification() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    listening(&app).await;
    assert_eq!(room_name(&app).await, "lobby");
    rename_silently(&app, "Silent").await;
    assert_eq!(room_name(&app).await, "lobby", "served from the cache");
    app.sql("update rooms set name = 'Loud' where token = 'lobby'")
        .await;
    assert_eq!(
        room_name(&app).await,
        "Loud",
        "the trigger's notification invalidated it"
    );
}

#[tokio::test]
async fn losing_the_listener_connection_drops_every_cache() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    listening(&app).await;
    let user = app.client_15(&TestUser::random());
    user.get("/room/lobby/messages/recent").await.unwrap();
    assert_eq!(room_name(&app).await, "lobby");
    rename_silently(&app, "Silent").await;
    assert_eq!(room_name(&app).await, "lobby");

    let killed: i64 = sqlx::query_scalar(
        "select count(*) from (select pg_terminate_backend(pid) from pg_stat_activity
         where datname = current_database() and query ilike 'listen%') t",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(killed, 1, "one listener connection per process");
    let deadline = Instant::now() + Duration::from_secs(5);
    while room_name(&app).await != "Silent" {
        assert!(
            Instant::now() < deadline,
            "caches survived the lost listener"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Signed requests keep working through the reconnect.
    assert_eq!(
        user.get("/room/lobby/messages/recent")
            .await
            .unwrap()
            .status,
        200
    );
}
