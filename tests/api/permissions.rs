//! `/room/<t>/permissions…` and `/room/<t>/futurePermissions…`: overrides, a timed mute, errors.

use reqwest::Method;
use serde_json::{Value, json};
use sogs_client::Client;
use sogs_server::cleanup::apply_permission_updates;
use sogs_server::clock::unix_now;
use sogs_tests::{TestApp, TestUser, padded};

async fn post(client: &Client, path: &str, body: Value) -> (u16, String) {
    let resp = client.send_json(Method::POST, path, &body).await.unwrap();
    (resp.status, resp.text())
}

#[tokio::test]
async fn a_timed_mute_applies_at_its_time_and_returns_to_the_default() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let (moderator, user) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    app.make_mod(&moderator, Some("lobby"), false).await;
    let sid = user.signer().unwrap().id();
    let perms = format!("/room/lobby/permissions/{sid}");
    let futures = format!("/room/lobby/futurePermissions/{sid}");

    assert_eq!(
        moderator.get_json::<Value>(&perms).await.unwrap(),
        json!({})
    );
    assert_eq!(
        post(&moderator, &perms, json!({"write": false})).await,
        (200, r#"{"write":false}"#.into())
    );
    assert_eq!(
        user.post_message("lobby", &padded(b"hi"), json!({}))
            .await
            .unwrap()
            .status,
        403
    );
    let all: Value = moderator.get_json("/room/lobby/permissions").await.unwrap();
    assert_eq!(all[&sid], json!({"write": false}));
    assert_eq!(
        all[moderator.signer().unwrap().id()],
        json!({"moderator": true})
    );

    let (status, body) = post(&moderator, &futures, json!({"write": true, "in": 60})).await;
    assert_eq!(status, 200, "{body}");
    let listed: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(listed[0]["write"], true);
    assert!(listed[0].get("session_id").is_none() && listed[0].get("read").is_none());
    let room_list: Value = moderator
        .get_json("/room/lobby/futurePermissions")
        .await
        .unwrap();
    assert_eq!(room_list[0]["session_id"], sid);

    assert_eq!(
        apply_permission_updates(&app.db, unix_now() + 61.0)
            .await
            .unwrap(),
        1
    );
    app.sync().await;
    assert_eq!(
        user.post_message("lobby", &padded(b"hi"), json!({}))
            .await
            .unwrap()
            .status,
        201
    );
    assert_eq!(
        moderator.get_json::<Value>(&perms).await.unwrap(),
        json!({})
    );
    assert_eq!(
        moderator.get_json::<Value>(&futures).await.unwrap(),
        json!([])
    );
}

#[tokio::test]
async fn setting_a_permission_unschedules_it_unless_asked_not_to() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let (moderator, user) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    app.make_mod(&moderator, Some("lobby"), false).await;
    let sid = user.signer().unwrap().id();
    let (perms, futures) = (
        format!("/room/lobby/permissions/{sid}"),
        format!("/room/lobby/futurePermissions/{sid}"),
    );
    post(
        &moderator,
        &futures,
        json!({"write": true, "read": false, "in": 60}),
    )
    .await;
    post(
        &moderator,
        &perms,
        json!({"upload": false, "unschedule": false}),
    )
    .await;
    post(
        &moderator,
        &perms,
        json!({"write": false, "unschedule": false}),
    )
    .await;
    assert_eq!(
        moderator.get_json::<Value>(&futures).await.unwrap()[0]["write"],
        true
    );
    post(&moderator, &perms, json!({"write": false})).await;
    let left: Value = moderator.get_json(&futures).await.unwrap();
    assert_eq!(left.as_array().unwrap().len(), 1);
    assert!(
        left[0].get("write").is_none() && left[0]["read"] == false,
        "{left}"
    );
    post(&moderator, &perms, json!({"read": true})).await;
    assert_eq!(
        moderator.get_json::<Value>(&futures).await.unwrap(),
        json!([])
    );
    let (_, body) = post(
        &moderator,
        &perms,
        json!({"default_write": true, "default_upload": true, "read": null}),
    )
    .await;
    assert_eq!(body, r#"{"read":true}"#);
}

#[tokio::test]
async fn permission_routes_refuse_bad_requests() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let (moderator, user) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    app.make_mod(&moderator, Some("lobby"), false).await;
    let sid = user.signer().unwrap().id();
    let (perms, futures) = (
        format!("/room/lobby/permissions/{sid}"),
        format!("/room/lobby/futurePermissions/{sid}"),
    );
    let bad = [
        (&perms, json!({"write": true, "default_write": true})),
        (&perms, json!({})),
        (&perms, json!({"read": "yes"})),
        (&futures, json!({"in": 60})),
        (&futures, json!({"write": true})),
        (&futures, json!({"write": true, "in": 0})),
        (&futures, json!({"write": true, "in": 1e9})),
        (&futures, json!({"write": true, "in": "60"})),
    ];
    for (path, body) in bad {
        assert_eq!(
            post(&moderator, path, body.clone()).await.0,
            400,
            "{path} {body}"
        );
    }
    let session = TestUser::random().session_id();
    assert_eq!(
        moderator
            .get(&format!("/room/lobby/permissions/{session}"))
            .await
            .unwrap()
            .status,
        404
    );
    assert_eq!(
        post(&user, &perms, json!({"write": false})).await,
        (
            403,
            "This endpoint requires moderator room permissions".into()
        )
    );
    let anonymous = app.client().get("/room/lobby/permissions").await.unwrap();
    assert_eq!(
        (anonymous.status, anonymous.text().as_str()),
        (401, "X-SOGS-* request authentication required")
    );
    assert_eq!(
        moderator
            .get("/room/nope/futurePermissions")
            .await
            .unwrap()
            .status,
        404
    );
}
