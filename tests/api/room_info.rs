//! `pollInfo`, `PUT /room/{token}`, and a poll shaped exactly like Session Desktop's.

use reqwest::Method;
use serde_json::{Value, json};
use sogs_tests::{TestApp, TestUser, padded};

#[tokio::test]
async fn poll_info_includes_details_only_when_info_changed() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let alice = app.client_15(&TestUser::random());
    let info: Value = alice
        .get("/room/lobby/pollInfo/0")
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(info["token"], "lobby");
    assert_eq!(
        (
            info["read"].clone(),
            info["write"].clone(),
            info["upload"].clone()
        ),
        (json!(true), json!(true), json!(true))
    );
    assert!(
        info.get("details").is_none(),
        "info_updates is 0 and so is the caller's"
    );
    app.sql("update rooms set name = 'Lobby!'").await;
    let info: Value = alice
        .get("/room/lobby/pollInfo/0")
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(info["details"]["name"], "Lobby!");
    app.state.activity.flush(&app.state.db).await.unwrap();
    let activity: i64 = sqlx::query_scalar("select count(*) from room_users")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(activity, 1, "pollInfo records room activity");
    app.create_room("secret", "").await;
    assert_eq!(
        alice.get("/room/secret/pollInfo/0").await.unwrap().status,
        403
    );
}

#[tokio::test]
async fn admins_update_room_info_and_each_field_bumps_info_updates() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let (admin, moderator) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    app.make_mod(&admin, Some("lobby"), true).await;
    app.make_mod(&moderator, Some("lobby"), false).await;
    let before = app.client().room("lobby").await.unwrap()["info_updates"]
        .as_i64()
        .unwrap();
    let resp = admin
        .send_json(
            Method::PUT,
            "/room/lobby",
            &json!({"name": "New\u{1}Name", "description": "a\tb\u{2}"}),
        )
        .await
        .unwrap();
    assert_eq!(
        resp.json::<Value>().unwrap(),
        json!({"info_updates": before + 2})
    );
    let room = app.client().room("lobby").await.unwrap();
    assert_eq!(
        (room["name"].clone(), room["description"].clone()),
        (json!("NewName"), json!("a\tb"))
    );
    let resp = admin
        .send_json(
            Method::PUT,
            "/room/lobby",
            &json!({"default_write": false, "default_upload": 0}),
        )
        .await
        .unwrap();
    assert_eq!(
        resp.json::<Value>().unwrap(),
        json!({"info_updates": before + 2}),
        "defaults do not bump"
    );
    assert_eq!(app.client().room("lobby").await.unwrap()["write"], false);
    let resp = admin
        .send_json(Method::PUT, "/room/lobby", &json!({"description": null}))
        .await
        .unwrap();
    assert_eq!(resp.status, 200);
    assert!(
        app.client()
            .room("lobby")
            .await
            .unwrap()
            .get("description")
            .is_none()
    );

    for (body, status) in [
        (json!({}), 400),
        (json!({"name": null}), 400),
        (json!({"name": 5}), 400),
        (json!({"default_read": "yes"}), 400),
        (json!({"image": 12345}), 406),
        (json!([1]), 400),
    ] {
        let resp = admin
            .send_json(Method::PUT, "/room/lobby", &body)
            .await
            .unwrap();
        assert_eq!(resp.status, status, "{body}: {}", resp.text());
    }
    let resp = moderator
        .send_json(Method::PUT, "/room/lobby", &json!({"name": "x"}))
        .await
        .unwrap();
    assert_eq!(
        (resp.status, resp.text().as_str()),
        (403, "This endpoint requires admin room permissions")
    );
    let resp = app
        .client()
        .send_json(Method::PUT, "/room/lobby", &json!({"name": "x"}))
        .await
        .unwrap();
    assert_eq!(resp.status, 401);
}

#[tokio::test]
async fn a_desktop_shaped_batch_poll_returns_what_the_client_needs() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    app.sql("update rooms set name = 'The Lobby'").await; // info_updates 1: pollInfo/0 has details
    let (alice, bob) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    let first: Value = alice
        .post_message("lobby", &padded(b"one"), json!({}))
        .await
        .unwrap()
        .json()
        .unwrap();
    let id = first["id"].as_i64().unwrap();
    let poll = |since: Option<i64>| {
        let messages = match since {
            Some(n) => format!("/room/lobby/messages/since/{n}?t=r&reactors=5"),
            None => "/room/lobby/messages/recent?reactors=5".into(),
        };
        json!([
            {"method": "GET", "path": "/capabilities"},
            {"method": "GET", "path": "/room/lobby/pollInfo/0"},
            {"method": "GET", "path": messages},
        ])
    };
    let results: Value = bob
        .send_json(Method::POST, "/batch", &poll(None))
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(results.as_array().unwrap().len(), 3);
    assert_eq!(
        results[0]["body"]["capabilities"],
        json!(["blind", "reactions", "sogs"])
    );
    let info = &results[1]["body"];
    for key in ["token", "active_users", "read", "write", "upload"] {
        assert!(info.get(key).is_some(), "pollInfo lacks {key}");
    }
    for key in ["admins", "moderators", "name"] {
        assert!(info["details"].get(key).is_some(), "details lack {key}");
    }
    let messages = results[2]["body"].as_array().unwrap();
    assert_eq!(messages[0]["id"], id);
    for key in [
        "id",
        "seqno",
        "session_id",
        "posted",
        "data",
        "signature",
        "reactions",
    ] {
        assert!(messages[0].get(key).is_some(), "message lacks {key}");
    }
    let cursor = messages[0]["seqno"].as_i64().unwrap();

    bob.request(
        Method::PUT,
        &format!("/room/lobby/reaction/{id}/👍"),
        &[],
        None,
    )
    .await
    .unwrap();
    let second: Value = alice
        .post_message("lobby", &padded(b"two"), json!({}))
        .await
        .unwrap()
        .json()
        .unwrap();
    let results: Value = bob
        .send_json(Method::POST, "/batch", &poll(Some(cursor)))
        .await
        .unwrap()
        .json()
        .unwrap();
    let updates = results[2]["body"].as_array().unwrap();
    assert_eq!(updates.len(), 2);
    let keys: Vec<_> = updates[0].as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys, ["id", "reactions", "seqno"], "a reaction-only update");
    assert_eq!(updates[0]["reactions"]["👍"]["you"], true);
    assert_eq!(updates[1]["id"], second["id"]);
    let seqnos: Vec<_> = updates
        .iter()
        .map(|u| u["seqno"].as_i64().unwrap())
        .collect();
    assert!(seqnos[0] < seqnos[1]);
}
