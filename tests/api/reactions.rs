//! Reactions: add/remove, moderator removal, reactor lists, reaction-only poll rows, seqno costs.

use reqwest::Method;
use serde_json::{Value, json};
use sogs_client::Client;
use sogs_tests::{TestApp, TestUser, padded};

async fn lobby_with_message() -> (TestApp, Client, i64) {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let alice = app.client_15(&TestUser::random());
    let resp = alice
        .post_message("lobby", &padded(b"react to me"), json!({}))
        .await
        .unwrap();
    let id = resp.json::<Value>().unwrap()["id"].as_i64().unwrap();
    (app, alice, id)
}

async fn react(client: &Client, method: Method, id: i64, reaction: &str) -> (u16, Value) {
    let path = format!("/room/lobby/reaction/{id}/{reaction}");
    let resp = client.request(method, &path, &[], None).await.unwrap();
    (
        resp.status,
        resp.json().unwrap_or_else(|_| Value::String(resp.text())),
    )
}

async fn get_json(client: &Client, path: &str) -> Value {
    client.get(path).await.unwrap().json().unwrap()
}

#[tokio::test]
async fn reactions_are_added_once_counted_and_listed() {
    let (app, alice, id) = lobby_with_message().await;
    let bob = app.client_15(&TestUser::random());
    assert_eq!(
        react(&alice, Method::PUT, id, "👍").await,
        (200, json!({"added": true, "seqno": 2}))
    );
    assert_eq!(
        react(&alice, Method::PUT, id, "👍").await,
        (200, json!({"added": false, "seqno": 2}))
    );
    assert_eq!(
        react(&bob, Method::PUT, id, "%F0%9F%91%8D").await,
        (200, json!({"added": true, "seqno": 3}))
    );
    assert_eq!(react(&bob, Method::PUT, id, "🍍").await.0, 200);

    let message = get_json(&bob, &format!("/room/lobby/message/{id}?reactors=1")).await;
    let reactions = &message["reactions"];
    assert_eq!(reactions["👍"]["index"], 0);
    assert_eq!(reactions["👍"]["count"], 2);
    assert_eq!(
        reactions["👍"]["reactors"],
        json!([alice.signer().unwrap().id()])
    );
    assert_eq!(reactions["👍"]["you"], true);
    assert_eq!(
        reactions["🍍"],
        json!({"index": 1, "count": 1, "reactors": [bob.signer().unwrap().id()], "you": true})
    );
    let anonymous = get_json(
        &app.client(),
        &format!("/room/lobby/message/{id}?reactors=0"),
    )
    .await;
    assert_eq!(
        anonymous["reactions"]["👍"],
        json!({"index": 0, "count": 2})
    );

    let reactors = get_json(&app.client(), &format!("/room/lobby/reactors/{id}/👍")).await;
    assert_eq!(reactors.as_array().unwrap().len(), 2);
    assert_eq!(reactors[0][0], alice.signer().unwrap().id());
    assert!(reactors[0][1].as_f64().unwrap() > 1.6e9);
    let limited = get_json(
        &app.client(),
        &format!("/room/lobby/reactors/{id}/👍?limit=1"),
    )
    .await;
    assert_eq!(limited.as_array().unwrap().len(), 1);

    assert_eq!(
        react(&bob, Method::DELETE, id, "🍍").await,
        (200, json!({"removed": true, "seqno": 5}))
    );
    assert_eq!(
        react(&bob, Method::DELETE, id, "🍍").await,
        (200, json!({"removed": false, "seqno": 5}))
    );
    let message = get_json(&bob, &format!("/room/lobby/message/{id}")).await;
    assert!(message["reactions"].get("🍍").is_none());
}

#[tokio::test]
async fn reaction_only_rows_have_exactly_id_seqno_and_reactions() {
    let (app, alice, id) = lobby_with_message().await;
    react(&alice, Method::PUT, id, "❤️").await;
    let updates = get_json(&app.client(), "/room/lobby/messages/since/1?t=r&reactors=5").await;
    assert_eq!(
        updates,
        json!([{"id": id, "seqno": 2, "reactions": {"❤️": {"index": 0, "count": 1, "reactors": [alice.signer().unwrap().id()]}}}])
    );
    // Without t=r the reaction change is not an update; from 0 it is the whole message.
    assert_eq!(
        get_json(&app.client(), "/room/lobby/messages/since/1").await,
        json!([])
    );
    let full = get_json(&app.client(), "/room/lobby/messages/since/0?t=r").await;
    assert!(full[0]["data"].is_string());
}

#[tokio::test]
async fn bad_reactions_and_irregular_messages_are_refused() {
    let (app, alice, id) = lobby_with_message().await;
    let long = "x".repeat(13);
    assert_eq!(react(&alice, Method::PUT, id, &long).await.0, 400);
    assert_eq!(react(&alice, Method::PUT, 99_999, "👍").await.0, 404);
    assert_eq!(react(&app.client(), Method::PUT, id, "👍").await.0, 401);
    alice
        .request(
            Method::DELETE,
            &format!("/room/lobby/message/{id}"),
            &[],
            None,
        )
        .await
        .unwrap();
    assert_eq!(react(&alice, Method::PUT, id, "👍").await.0, 404);
}

#[tokio::test]
async fn deleting_a_message_with_k_reactions_advances_the_sequence_by_1_plus_k() {
    let (app, alice, id) = lobby_with_message().await;
    for reaction in ["a", "b", "c"] {
        react(&alice, Method::PUT, id, reaction).await;
    }
    let bob = app.client_15(&TestUser::random());
    react(&bob, Method::PUT, id, "a").await;
    let before = get_json(&app.client(), "/room/lobby").await["message_sequence"]
        .as_i64()
        .unwrap();
    alice
        .request(
            Method::DELETE,
            &format!("/room/lobby/message/{id}"),
            &[],
            None,
        )
        .await
        .unwrap();
    let after = get_json(&app.client(), "/room/lobby").await["message_sequence"]
        .as_i64()
        .unwrap();
    assert_eq!(after - before, 1 + 4);
}

#[tokio::test]
async fn moderators_remove_all_reactions_or_one_kind() {
    let (app, alice, id) = lobby_with_message().await;
    let moderator = app.client_15(&TestUser::random());
    app.make_mod(&moderator, Some("lobby"), false).await;
    for reaction in ["a", "b"] {
        react(&alice, Method::PUT, id, reaction).await;
        react(&moderator, Method::PUT, id, reaction).await;
    }
    let path = |suffix: &str| format!("/room/lobby/reactions/{id}{suffix}");
    let resp = alice
        .request(Method::DELETE, &path("/a"), &[], None)
        .await
        .unwrap();
    assert_eq!(
        (resp.status, resp.text().as_str()),
        (403, "This endpoint requires moderator room permissions")
    );
    let resp = app
        .client()
        .request(Method::DELETE, &path(""), &[], None)
        .await
        .unwrap();
    assert_eq!(resp.status, 401);
    let resp = moderator
        .request(Method::DELETE, &path("/a"), &[], None)
        .await
        .unwrap();
    assert_eq!(resp.json::<Value>().unwrap()["removed"], 2);
    let resp = moderator
        .request(Method::DELETE, &path(""), &[], None)
        .await
        .unwrap();
    assert_eq!(resp.json::<Value>().unwrap()["removed"], 2);
    assert_eq!(
        get_json(&app.client(), &format!("/room/lobby/message/{id}")).await["reactions"],
        json!({})
    );
}
