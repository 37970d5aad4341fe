//! Pinning: admins only, pin order, info_updates, room details.

use reqwest::Method;
use serde_json::json;
use sogs_protocol::api::common::InfoUpdates;
use sogs_protocol::api::room_info::UpdateRoom;
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
        let post = admin.signed_post(&padded(text.as_bytes()));
        ids.push(admin.create_message("lobby", &post).await.unwrap().id);
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
    let info0 = app.client().room("lobby").await.unwrap().info_updates;
    assert_eq!(
        admin.pin_message("lobby", ids[1]).await.unwrap(),
        InfoUpdates {
            info_updates: info0 + 1
        }
    );
    admin.pin_message("lobby", ids[0]).await.unwrap();
    let room = app.client().room("lobby").await.unwrap();
    let pinned: Vec<_> = room.pinned_messages.iter().map(|p| p.id).collect();
    assert_eq!(pinned, [ids[1], ids[0]]);
    assert_eq!(
        room.pinned_messages[0].pinned_by,
        admin.signer().unwrap().id()
    );
    // Re-pinning moves a pin to the end.
    admin.pin_message("lobby", ids[1]).await.unwrap();
    let room = app.client().room("lobby").await.unwrap();
    assert_eq!(room.pinned_messages[1].id, ids[1]);
    let missing = admin.pin_message("lobby", 99999).await.unwrap_err();
    assert_eq!(missing.status(), Some(404));

    assert!(admin.unpin_message("lobby", ids[0]).await.unwrap().unpinned);
    assert_eq!(admin.unpin_all("lobby").await.unwrap().unpinned, 1);
    let room = app.client().room("lobby").await.unwrap();
    assert!(room.pinned_messages.is_empty());
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
    let post = alice.signed_post(&padded(b"hi"));
    let id = alice.create_message("lobby", &post).await.unwrap().id;
    alice.add_reaction("lobby", id, "👍").await.unwrap();
    admin.pin_message("lobby", id).await.unwrap();
    admin.unpin_all("lobby").await.unwrap();
    let rename = UpdateRoom {
        name: Some("x".into()),
        ..UpdateRoom::default()
    };
    admin.update_room("lobby", &rename).await.unwrap();
    admin.clear_reactions("lobby", id, None).await.unwrap();
    admin.delete_message("lobby", id).await.unwrap();
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
