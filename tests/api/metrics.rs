//! Prometheus metrics on their own listener: counters move with requests, labelled by route
//! pattern; the public port has no `/metrics`; `listen = ""` binds nothing.
//!
//! The recorder is process-wide and other tests' servers record into it too, so the checks
//! compare "at least this much more" between two scrapes.

use reqwest::Method;
use serde_json::json;
use sogs_tests::{TestApp, TestUser, padded};

const POLL: &str = "/room/{token}/messages/since/{seqno}";

async fn metrics_app() -> TestApp {
    let app = TestApp::spawn_with(|s| s.metrics.listen = "127.0.0.1:0".into()).await;
    app.create_room("lobby", "rwua").await;
    app
}

async fn scrape(app: &TestApp) -> String {
    let port = app.metrics_port.unwrap();
    let resp = reqwest::get(format!("http://127.0.0.1:{port}/metrics"))
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    resp.text().await.unwrap()
}

/// The sum of the samples of `name` carrying every label of `labels` (0 when none).
fn value(text: &str, name: &str, labels: &[(&str, &str)]) -> f64 {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let (series, v) = line.rsplit_once(' ')?;
            let (metric, rest) = match series.split_once('{') {
                Some((m, rest)) => (m, rest.trim_end_matches('}')),
                None => (series, ""),
            };
            (metric == name
                && labels
                    .iter()
                    .all(|(k, val)| rest.split(',').any(|l| l == format!("{k}=\"{val}\""))))
            .then(|| v.parse::<f64>().ok())
            .flatten()
        })
        .sum()
}

#[tokio::test]
async fn requests_posts_and_uploads_move_the_counters() {
    let app = metrics_app().await;
    let alice = app.client_15(&TestUser::random());
    alice.get("/room/lobby").await.unwrap();
    let before = scrape(&app).await;

    let poll = alice.get("/room/lobby/messages/since/0").await.unwrap();
    assert_eq!(poll.status, 200, "{}", poll.text());
    let post = alice
        .post_message("lobby", &padded(b"hello metrics"), json!({}))
        .await
        .unwrap();
    assert_eq!(post.status, 201, "{}", post.text());
    let file = vec![7u8; 1234];
    let up = alice
        .request(Method::POST, "/room/lobby/file", &[], Some(file.clone()))
        .await
        .unwrap();
    assert_eq!(up.status, 201, "{}", up.text());
    let missing = app.client().get("/no/such/route").await.unwrap();
    assert_eq!(missing.status, 404);

    let after = scrape(&app).await;
    let grew = |name: &str, labels: &[(&str, &str)], by: f64| {
        let (b, a) = (value(&before, name, labels), value(&after, name, labels));
        assert!(
            a >= b + by,
            "{name}{labels:?}: {b} -> {a}, expected +{by}\n{after}"
        );
    };
    let poll_200 = [("route", POLL), ("method", "GET"), ("status", "200")];
    grew("sogs_requests_total", &poll_200, 1.0);
    let post_201 = [
        ("route", "/room/{token}/message"),
        ("method", "POST"),
        ("status", "201"),
    ];
    grew("sogs_requests_total", &post_201, 1.0);
    let upload_201 = [("route", "/room/{token}/file"), ("status", "201")];
    grew("sogs_requests_total", &upload_201, 1.0);
    grew(
        "sogs_requests_total",
        &[("route", "unmatched"), ("status", "404")],
        1.0,
    );
    grew(
        "sogs_request_duration_seconds_count",
        &[("route", POLL)],
        1.0,
    );
    grew(
        "sogs_requests_authenticated_total",
        &[("kind", "signed")],
        3.0,
    );
    grew(
        "sogs_requests_authenticated_total",
        &[("kind", "anonymous")],
        1.0,
    );
    grew(
        "sogs_db_pool_acquire_seconds_count",
        &[("path", "nonces")],
        1.0,
    );
    grew(
        "sogs_db_pool_acquire_seconds_count",
        &[("path", "posts")],
        1.0,
    );
    grew(
        "sogs_db_pool_acquire_seconds_count",
        &[("path", "probe")],
        1.0,
    );
    grew("sogs_posts_total", &[], 1.0);
    grew("sogs_uploads_total", &[], 1.0);
    grew("sogs_upload_bytes_total", &[], file.len() as f64);

    assert!(
        after.contains("# TYPE sogs_request_duration_seconds histogram"),
        "{after}"
    );
    assert!(
        after.contains("sogs_db_pool_connections{state=\"idle\"}"),
        "{after}"
    );
    assert!(
        after.contains("sogs_db_pool_connections{state=\"in_use\"}"),
        "{after}"
    );
    assert!(
        after.contains("sogs_room_active_users{room=\"lobby\"}"),
        "{after}"
    );
    // No raw path ever becomes a label.
    assert!(!after.contains("route=\"/room/lobby"), "{after}");
    app.stop().await;
}

#[tokio::test]
async fn the_public_port_has_no_metrics() {
    let app = metrics_app().await;
    let resp = reqwest::get(format!("{}/metrics", app.address))
        .await
        .unwrap();
    assert_eq!(resp.status(), 404);
    let port = app.metrics_port.unwrap();
    let other = reqwest::get(format!("http://127.0.0.1:{port}/other"))
        .await
        .unwrap();
    assert_eq!(other.status(), 404);
    app.stop().await;
}

#[tokio::test]
async fn an_empty_listen_binds_no_metrics_listener() {
    let app = TestApp::spawn_with(|s| s.metrics.listen = String::new()).await;
    assert_eq!(app.metrics_port, None);
    app.stop().await;
}

#[tokio::test]
async fn a_taken_metrics_address_leaves_the_server_serving_without_metrics() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let app = TestApp::spawn_with(move |s| s.metrics.listen = addr).await;
    assert_eq!(app.metrics_port, None);
    let caps = app.client().get("/capabilities").await.unwrap();
    assert_eq!(caps.status, 200);
    drop(taken);
    app.stop().await;
}

#[tokio::test]
async fn rooms_not_readable_by_everyone_are_counted_by_id_and_their_tokens_never_shown() {
    let app = metrics_app().await;
    let suffix = hex::encode(&TestUser::random().seed[..6]);
    let hidden = app.create_room(&format!("hidden_{suffix}"), "").await;
    let peek = app.create_room(&format!("peek_{suffix}"), "a").await;
    let open = app.create_room(&format!("open_{suffix}"), "r").await;
    for (room, active) in [(&hidden, 7), (&peek, 3), (&open, 5)] {
        app.sql(&format!(
            "update rooms set active_users = {active} where id = {}",
            room.id
        ))
        .await;
    }
    let text = scrape(&app).await;
    for room in [&hidden, &peek] {
        assert!(!text.contains(&room.token), "{}: {text}", room.token);
    }
    let active = |labels: &[(&str, &str)]| value(&text, "sogs_room_active_users", labels);
    assert_eq!(
        active(&[("room_id", &hidden.id.to_string())]),
        7.0,
        "{text}"
    );
    assert_eq!(active(&[("room_id", &peek.id.to_string())]), 3.0, "{text}");
    assert_eq!(active(&[("room", &open.token)]), 5.0, "{text}");
    assert_eq!(active(&[("room_id", &open.id.to_string())]), 0.0, "{text}");
    app.stop().await;
}
