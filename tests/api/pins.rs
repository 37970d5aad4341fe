//! Pinning: admins only, pin order, info_updates, room details.

use reqwest::Method;
use serde_json::{Value, json};
use sogs_tests::{TestApp, TestUser, padded};

#[tokio::test]
async fn admins_pin_and_unpin_and_the_room_shows_pins_in_order() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let (admin, moderator) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    app.make_mod(&admin, Some("lobby"), true).await;
    app.make_mod(&moderator, Some("lobby"), false).await;
    let mut ids = Vec::new();
    for text in ["one", "two"] {
        let resp = admin
            .post_message("lobby", &padded(text.as_bytes()), json!({}))
            .await
            .unwrap();
        ids.push(resp.json::<Value>().unwrap()["id"].as_i64().unwrap());
    }
    let pin = |client: &sogs_client::Client, path: String| {
        let client = client.clone();
        async move {
            client
                .send_json(Method::POST, &path, &json!({}))
                .await
                .unwrap()
        }
    };
    for (client, expected) in [(&moderator, 403), (&app.client(), 403)] {
        let resp = pin(client, format!("/room/lobby/pin/{}", ids[0])).await;
        assert_eq!(
            (resp.status, resp.text().as_str()),
            (expected, "Permission denied")
        );
    }
    let info0 = app.client().room("lobby").await.unwrap()["info_updates"]
        .as_i64()
        .unwrap();
    let resp = pin(&admin, format!("/room/lobby/pin/{}", ids[1])).await;
    assert_eq!(
        resp.json::<Value>().unwrap(),
        json!({"info_updates": info0 + 1})
    );
    pin(&admin, format!("/room/lobby/pin/{}", ids[0])).await;
    let room = app.client().room("lobby").await.unwrap();
    let pinned: Vec<_> = room["pinned_messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert_eq!(pinned, [ids[1], ids[0]]);
    assert_eq!(
        room["pinned_messages"][0]["pinned_by"],
        admin.signer().unwrap().id()
    );
    // Re-pinning moves a pin to the end.
    pin(&admin, format!("/room/lobby/pin/{}", ids[1])).await;
    let room = app.client().room("lobby").await.unwrap();
    assert_eq!(room["pinned_messages"][1]["id"], ids[1]);
    assert_eq!(
        pin(&admin, "/room/lobby/pin/99999".into()).await.status,
        404
    );

    let resp = pin(&admin, format!("/room/lobby/unpin/{}", ids[0])).await;
    assert_eq!(resp.json::<Value>().unwrap()["unpinned"], true);
    let resp = pin(&admin, "/room/lobby/unpin/all".into()).await;
    assert_eq!(resp.json::<Value>().unwrap()["unpinned"], 1);
    assert!(
        app.client()
            .room("lobby")
            .await
            .unwrap()
            .get("pinned_messages")
            .is_none()
    );
}

#[tokio::test]
async fn moderator_actions_on_content_are_logged() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let (admin, alice) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    app.make_mod(&admin, Some("lobby"), true).await;
    let posted: Value = alice
        .post_message("lobby", &padded(b"hi"), json!({}))
        .await
        .unwrap()
        .json()
        .unwrap();
    let id = posted["id"].as_i64().unwrap();
    alice
        .request(
            Method::PUT,
            &format!("/room/lobby/reaction/{id}/👍"),
            &[],
            None,
        )
        .await
        .unwrap();
    admin
        .send_json(Method::POST, &format!("/room/lobby/pin/{id}"), &json!({}))
        .await
        .unwrap();
    admin
        .send_json(Method::POST, "/room/lobby/unpin/all", &json!({}))
        .await
        .unwrap();
    admin
        .send_json(Method::PUT, "/room/lobby", &json!({"name": "x"}))
        .await
        .unwrap();
    admin
        .request(
            Method::DELETE,
            &format!("/room/lobby/reactions/{id}"),
            &[],
            None,
        )
        .await
        .unwrap();
    admin
        .request(
            Method::DELETE,
            &format!("/room/lobby/message/{id}"),
            &[],
            None,
        )
        .await
        .unwrap();
    let actions: Vec<String> = sqlx::query_scalar("select action from moderation_log order by id")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert_eq!(
        actions,
        [
            "pin",
            "unpin",
            "update_room",
            "delete_reactions",
            "delete_message"
        ]
    );
}
