//! `/batch` and `/sequence`: sub-requests run through the same handlers as the outer caller.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{Value, json};
use sogs_client::Client;
use sogs_protocol::api::batch::{SubRequest, SubRequestMethod, SubResponse};
use sogs_protocol::api::capabilities::Capabilities;
use sogs_protocol::api::rooms::RoomDetails;
use sogs_tests::{TestApp, TestUser};

/// A `GET` sub-request of `path`.
fn get(path: &str) -> SubRequest {
    SubRequest {
        method: SubRequestMethod::Get,
        path: path.to_owned(),
        headers: None,
        json: None,
        b64: None,
        bytes: None,
    }
}

fn codes(results: &[SubResponse]) -> Vec<u16> {
    results.iter().map(|r| r.code).collect()
}

/// The JSON body of a `/capabilities` sub-response.
fn capabilities(result: &SubResponse) -> Capabilities {
    serde_json::from_value(result.body.clone()).unwrap()
}

/// The JSON body of a `/room/{token}` sub-response.
fn room(result: &SubResponse) -> RoomDetails {
    serde_json::from_value(result.body.clone()).unwrap()
}

/// A raw `POST` of `body` (for malformed batches): status and JSON (or text) answer.
async fn post_json(client: &Client, path: &str, body: &Value) -> (u16, Value) {
    let resp = client
        .request(
            Method::POST,
            path,
            &[("Content-Type", "application/json")],
            Some(body.to_string().into_bytes()),
        )
        .await
        .unwrap();
    let parsed = resp.json().unwrap_or_else(|_| Value::String(resp.text()));
    (resp.status, parsed)
}

#[tokio::test]
async fn a_batch_runs_every_subrequest_and_returns_each_response() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let requests = [
        get("/capabilities"),
        get("/room/nope"),
        get("/capabilities?required=foo"),
        get("/room/lobby"),
    ];
    let results = app.client().batch(&requests).await.unwrap();
    assert_eq!(codes(&results), [200, 404, 412, 200]);
    assert_eq!(results[0].headers["content-type"], "application/json");
    let caps = capabilities(&results[0]);
    assert_eq!(caps.capabilities, ["blind", "reactions", "sogs"]);
    let refused = capabilities(&results[2]);
    assert_eq!(refused.missing, Some(vec!["foo".to_owned()]));
    assert_eq!(room(&results[3]).token, "lobby");
    // A text body comes back as base64.
    assert_eq!(results[1].body, "Tm8gc3VjaCByb29tOiBub3Bl");
}

#[tokio::test]
async fn a_sequence_stops_after_the_first_failure() {
    let app = TestApp::spawn().await;
    let requests = [
        get("/capabilities"),
        get("/room/nope"),
        get("/capabilities"),
    ];
    let results = app.client().sequence(&requests).await.unwrap();
    assert_eq!(codes(&results), [200, 404]);
}

#[tokio::test]
async fn subrequests_inherit_the_outer_user_and_ignore_inner_auth_headers() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let admin = app.client_15(&TestUser::random());
    admin.room("lobby").await.unwrap();
    app.sql("update users set moderator = true, admin = true where id <> 0")
        .await;
    let stranger = app
        .client_15(&TestUser::random())
        .signer()
        .unwrap()
        .sign_now("GET", "/room/lobby", b"");
    let inner_headers: BTreeMap<String, String> = stranger
        .pairs()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let requests = [SubRequest {
        headers: Some(inner_headers),
        ..get("/room/lobby")
    }];
    let results = admin.batch(&requests).await.unwrap();
    assert_eq!(room(&results[0]).admin, Some(true), "{results:?}");
    // Anonymous outer request: the inner headers do not authenticate anybody.
    let results = app.client().batch(&requests).await.unwrap();
    assert_eq!(room(&results[0]).admin, None);
}

#[tokio::test]
async fn an_invalid_element_fails_the_whole_batch_before_anything_runs() {
    let app = TestApp::spawn().await;
    let bad_elements = [
        json!({"method": "PATCH", "path": "/capabilities"}),
        json!({"method": "GET", "path": "capabilities"}),
        json!({"method": "GET", "path": "/x", "json": {}}),
        json!({"method": "POST", "path": "/x"}),
        json!({"method": "POST", "path": "/x", "json": 1, "bytes": "a"}),
        json!({"method": "POST", "path": "/x", "b64": "!!!"}),
        json!({"method": "GET", "path": "/x", "headers": {"a": 1}}),
        json!({"path": "/x"}),
    ];
    for bad in bad_elements {
        let body = json!([{"method": "GET", "path": "/capabilities"}, bad]);
        let (status, text) = post_json(&app.client(), "/batch", &body).await;
        assert_eq!(status, 400, "{bad}: {text}");
        assert!(text.as_str().unwrap().starts_with("Invalid"), "{text}");
    }
    for not_a_list in [json!({}), json!("x"), json!(null)] {
        let (status, _) = post_json(&app.client(), "/batch", &not_a_list).await;
        assert_eq!(status, 400);
    }
    let resp = app
        .client()
        .request(Method::POST, "/batch", &[], Some(b"[]".to_vec()))
        .await
        .unwrap();
    assert_eq!(resp.status, 400, "a JSON body needs the JSON content type");
}

#[tokio::test]
async fn batches_are_bounded_in_size_and_cannot_nest_onion_requests() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let many: Vec<Value> = (0..257)
        .map(|_| json!({"method": "GET", "path": "/capabilities"}))
        .collect();
    let (status, _) = post_json(&app.client(), "/batch", &json!(many)).await;
    assert_eq!(status, 400);
    let onion = json!([{"method": "POST", "path": "/oxen/v4/lsrpc", "b64": "AAAA"}]);
    assert_eq!(post_json(&app.client(), "/batch", &onion).await.0, 400);

    let alice = app.client_15(&TestUser::random());
    let big = vec![7u8; 9_000_000];
    let id = alice.upload_file("lobby", big, None).await.unwrap().id;
    let path = format!("/room/lobby/file/{id}");
    let results = app.client().batch(&[get(&path), get(&path)]).await.unwrap();
    assert_eq!(
        codes(&results),
        [200, 413],
        "the second file would pass the batch's file budget"
    );
}
