//! Requests that would cost more than they should: nested batches, batch answer budgets, body
//! limits decided before the body is read, and bodies that never finish arriving.

use std::time::Duration;

use serde_json::{Value, json};
use sogs_tests::{TestApp, TestUser, padded};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

#[tokio::test]
async fn batches_cannot_contain_batches() {
    let app = TestApp::spawn().await;
    let inner = json!([{"method": "GET", "path": "/capabilities"}]);
    let nested = json!([
        {"method": "POST", "path": "/batch", "json": inner},
        {"method": "POST", "path": "/sequence", "json": inner},
        {"method": "GET", "path": "/capabilities"},
    ]);
    assert_eq!(
        super::batch_codes(&app.client(), "/batch", &nested).await,
        [400, 400, 200]
    );
    assert_eq!(
        super::batch_codes(&app.client(), "/sequence", &nested).await,
        [400]
    );
}

#[tokio::test]
async fn a_batch_answer_has_a_total_budget_after_which_elements_answer_413() {
    let app = TestApp::spawn_with(|s| s.server.batch_response_limit_bytes = 20_000).await;
    app.create_room("lobby", "rwua").await;
    let alice = app.client_15(&TestUser::random());
    let resp = alice
        .post_message("lobby", &padded(&[b'x'; 6000]), json!({}))
        .await
        .unwrap();
    let id = resp.json::<Value>().unwrap()["id"].as_i64().unwrap();
    let path = format!("/room/lobby/message/{id}");
    let elements: Vec<Value> = (0..5)
        .map(|_| json!({"method": "GET", "path": path}))
        .collect();
    // Each answer is ~8 kB of base64 in JSON: two fit in 20 000 bytes, the rest do not.
    assert_eq!(
        super::batch_codes(&app.client(), "/batch", &json!(elements)).await,
        [200, 200, 413, 413, 413]
    );
}

#[tokio::test]
async fn ordinary_routes_have_a_small_body_limit() {
    let app = TestApp::spawn_with(|s| s.server.body_limit_bytes = 4096).await;
    app.create_room("lobby", "rwua").await;
    // Direct HTTP: an onion request carries its inner body within the onion limit.
    let alice = app.client_15(&TestUser::random());
    let alice = sogs_client::Client::new(&app.address).signed(alice.signer().unwrap().clone());
    let big = alice
        .post_message("lobby", &padded(&[b'x'; 4000]), json!({}))
        .await
        .unwrap();
    assert_eq!(big.status, 413, "{}", big.text());
    let small = alice
        .post_message("lobby", &padded(b"fits"), json!({}))
        .await
        .unwrap();
    assert_eq!(small.status, 201);
}

/// Sends `head` (a request line and headers) and `body`, then reads the answer until the server
/// closes the connection, within `wait`; its status line, or `None` when it never closed.
async fn raw_status(app: &TestApp, head: &str, body: &[u8], wait: Duration) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", app.port)).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut answer = Vec::new();
    tokio::time::timeout(wait, stream.read_to_end(&mut answer))
        .await
        .ok()?
        .ok()?;
    let text = String::from_utf8_lossy(&answer).into_owned();
    text.lines().next().map(str::to_owned)
}

#[tokio::test]
async fn a_large_upload_without_authentication_is_refused_before_its_body_is_sent() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let head = "POST /room/lobby/file HTTP/1.1\r\nHost: x\r\nContent-Length: 9000000\r\n\r\n";
    let status = raw_status(&app, head, b"", Duration::from_secs(10)).await;
    assert_eq!(status.as_deref(), Some("HTTP/1.1 401 Unauthorized"));
    let head = "POST /room/lobby/message HTTP/1.1\r\nHost: x\r\nContent-Length: 9000000\r\n\r\n";
    let status = raw_status(&app, head, b"", Duration::from_secs(10)).await;
    assert_eq!(status.as_deref(), Some("HTTP/1.1 413 Payload Too Large"));
}

#[tokio::test]
async fn a_body_that_stalls_gets_408_and_the_connection_closes() {
    let app = TestApp::spawn_with(|s| s.server.body_timeout_secs = 1.0).await;
    let head = "POST /batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
    let status = raw_status(&app, head, b"[{\"method\"", Duration::from_secs(10)).await;
    assert_eq!(status.as_deref(), Some("HTTP/1.1 408 Request Timeout"));
}
