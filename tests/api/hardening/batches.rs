//! The work of `/batch` and `/sequence` is bounded, not only their answer: once the answer
//! budget or the time budget is spent, later elements are not executed and say so, and a
//! write that was executed always has its answer delivered (never committed behind an error).

use serde_json::{Value, json};
use sogs_protocol::encoding::encode_b64;
use sogs_tests::{TestApp, TestUser, padded};

/// An app whose batch answers hold 20 000 bytes, a room, and a message of ~8 kB of answer.
async fn app_with_big_message() -> (TestApp, String) {
    let app = TestApp::spawn_with(|s| s.server.batch_response_limit_bytes = 20_000).await;
    app.create_room("lobby", "rwua").await;
    let alice = app.client_15(&TestUser::random());
    let posted = alice
        .post_message("lobby", &padded(&[b'x'; 6000]), json!({}))
        .await
        .unwrap();
    let id = posted.json::<Value>().unwrap()["id"].as_i64().unwrap();
    (app, format!("/room/lobby/message/{id}"))
}

/// A signed post of `content` as a batch element.
fn post_element(user: &sogs_client::Client, content: &[u8]) -> Value {
    let data = padded(content);
    let signature = user.signer().unwrap().sign_data(&data);
    json!({"method": "POST", "path": "/room/lobby/message",
           "json": {"data": encode_b64(&data), "signature": encode_b64(&signature)}})
}

fn dm_element(to: &str) -> Value {
    json!({"method": "POST", "path": format!("/inbox/{to}"),
           "json": {"message": encode_b64(b"hello there")}})
}

fn text(body: &Value) -> String {
    let raw =
        sogs_protocol::encoding::decode_b64(body.as_str().unwrap_or_default()).unwrap_or_default();
    String::from_utf8_lossy(&raw).into_owned()
}

async fn message_count(app: &TestApp) -> usize {
    app.client()
        .messages_recent("lobby", Default::default())
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn writes_after_the_answer_is_full_are_not_executed_and_say_so() {
    let (app, read) = app_with_big_message().await;
    let bob = TestUser::random();
    let bob_client = app.client_15(&bob);
    let bob_id = bob_client.signer().unwrap().id();
    let carol = app.client_15(&TestUser::random());
    let elements = [
        json!({"method": "GET", "path": read}),
        json!({"method": "GET", "path": read}),
        json!({"method": "GET", "path": read}),
        post_element(&carol, b"must not be posted"),
        dm_element(&bob_id),
    ];
    for endpoint in ["/batch", "/sequence"] {
        let results = super::batch_results(&carol, endpoint, &json!(elements)).await;
        let codes: Vec<u64> = results.iter().map(|r| r.0).collect();
        if endpoint == "/batch" {
            assert_eq!(codes, [200, 200, 413, 413, 413]);
            for (_, body) in &results[3..] {
                assert!(text(body).starts_with("Not executed"), "{}", text(body));
            }
        } else {
            assert_eq!(
                codes,
                [200, 200, 413],
                "a sequence stops at its first failure"
            );
        }
    }
    assert_eq!(message_count(&app).await, 1, "nothing was posted");
    assert!(
        bob_client.inbox(None).await.unwrap().is_empty(),
        "nothing was delivered"
    );
}

#[tokio::test]
async fn an_executed_write_keeps_its_answer_past_the_answer_budget() {
    let (app, read) = app_with_big_message().await;
    let carol = app.client_15(&TestUser::random());
    // Two reads take ~16 kB of 20 000; the post's answer (~8 kB) goes past, yet it is posted,
    // so its answer is the 201, and only then is the budget spent.
    let elements = [
        json!({"method": "GET", "path": read}),
        json!({"method": "GET", "path": read}),
        post_element(&carol, &[b'y'; 6000]),
        json!({"method": "GET", "path": "/capabilities"}),
    ];
    let results = super::batch_results(&carol, "/batch", &json!(elements)).await;
    let codes: Vec<u64> = results.iter().map(|r| r.0).collect();
    assert_eq!(codes, [200, 200, 201, 413]);
    assert_eq!(message_count(&app).await, 2);
}

#[tokio::test]
async fn past_the_time_budget_no_element_is_executed() {
    let app = TestApp::spawn_with(|s| s.server.batch_time_budget_ms = 0).await;
    app.create_room("lobby", "rwua").await;
    let carol = app.client_15(&TestUser::random());
    let elements = [
        json!({"method": "GET", "path": "/capabilities"}),
        post_element(&carol, b"too late"),
    ];
    let results = super::batch_results(&carol, "/batch", &json!(elements)).await;
    for (code, body) in &results {
        assert_eq!(*code, 503);
        assert!(text(body).contains("time budget"), "{}", text(body));
    }
    assert_eq!(message_count(&app).await, 0);
}
