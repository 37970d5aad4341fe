//! `pollInfo`, `PUT /room/{token}`, and a poll shaped exactly like Session Desktop's.

use reqwest::Method;
use serde_json::json;
use sogs_client::Response;
use sogs_protocol::api::batch::{SubRequest, SubResponse};
use sogs_protocol::api::capabilities::Capabilities;
use sogs_protocol::api::common::InfoUpdates;
use sogs_protocol::api::messages::{Message, MessageUpdate};
use sogs_protocol::api::room_info::{PollInfo, UpdateRoom};
use sogs_tests::{TestApp, TestUser, padded};

#[tokio::test]
async fn poll_info_includes_details_only_when_info_changed() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let alice = app.client_15(&TestUser::random());
    let info = alice.poll_info("lobby", 0).await.unwrap();
    assert_eq!(info.token, "lobby");
    assert_eq!((info.read, info.write, info.upload), (true, true, true));
    assert!(
        info.details.is_none(),
        "info_updates is 0 and so is the caller's"
    );
    app.sql("update rooms set name = 'Lobby!'").await;
    let info = alice.poll_info("lobby", 0).await.unwrap();
    assert_eq!(info.details.map(|d| d.name).as_deref(), Some("Lobby!"));
    app.state.activity.flush(&app.state.db).await.unwrap();
    let activity: i64 = sqlx::query_scalar("select count(*) from room_users")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(activity, 1, "pollInfo records room activity");
    app.create_room("secret", "").await;
    let refused = alice.poll_info("secret", 0).await.unwrap_err();
    assert_eq!(refused.status(), Some(403));
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
    let room_info = || async { app.client().room("lobby").await.unwrap() };
    let before = room_info().await.info_updates;
    let update = UpdateRoom {
        name: Some("New\u{1}Name".into()),
        description: Some(Some("a\tb\u{2}".into())),
        ..UpdateRoom::default()
    };
    assert_eq!(
        admin.update_room("lobby", &update).await.unwrap(),
        InfoUpdates {
            info_updates: before + 2
        }
    );
    let room = room_info().await;
    assert_eq!(
        (room.name.as_str(), room.description.as_deref()),
        ("NewName", Some("a\tb"))
    );
    // An integer default is accepted as a boolean (a typed body cannot send one).
    let resp = admin
        .send_json(
            Method::PUT,
            "/room/lobby",
            &json!({"default_write": false, "default_upload": 0}),
        )
        .await
        .unwrap();
    assert_eq!(
        resp.json::<InfoUpdates>().unwrap().info_updates,
        before + 2,
        "defaults do not bump"
    );
    assert!(!room_info().await.write);
    let clear = UpdateRoom {
        description: Some(None),
        ..UpdateRoom::default()
    };
    admin.update_room("lobby", &clear).await.unwrap();
    assert_eq!(room_info().await.description, None);

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
    let first = alice
        .create_message("lobby", &alice.signed_post(&padded(b"one")))
        .await
        .unwrap();
    let poll = |since: Option<i64>| {
        let messages = match since {
            Some(n) => format!("/room/lobby/messages/since/{n}?t=r&reactors=5"),
            None => "/room/lobby/messages/recent?reactors=5".into(),
        };
        serde_json::from_value::<Vec<SubRequest>>(json!([
            {"method": "GET", "path": "/capabilities"},
            {"method": "GET", "path": "/room/lobby/pollInfo/0"},
            {"method": "GET", "path": messages},
        ]))
        .unwrap()
    };
    let results = bob.batch(&poll(None)).await.unwrap();
    let [caps, info, messages] = <[SubResponse; 3]>::try_from(results)
        .unwrap()
        .map(Response::from);
    let caps: Capabilities = caps.ok_json().unwrap();
    assert_eq!(caps.capabilities, ["blind", "reactions", "sogs"]);
    // Typed parsing checks the keys Desktop needs: token, active_users, read, write, upload,
    // and in the details admins, moderators and name.
    let info: PollInfo = info.ok_json().unwrap();
    assert_eq!(info.details.map(|d| d.name).as_deref(), Some("The Lobby"));
    let messages: Vec<Message> = messages.ok_json().unwrap();
    let m = &messages[0];
    assert_eq!(m.id, first.id);
    assert!(m.data.is_some() && m.signature.is_some() && m.reactions.is_some());
    let cursor = m.seqno;

    bob.add_reaction("lobby", first.id, "👍").await.unwrap();
    let second = alice
        .create_message("lobby", &alice.signed_post(&padded(b"two")))
        .await
        .unwrap();
    let results = bob.batch(&poll(Some(cursor))).await.unwrap();
    let updates: Vec<MessageUpdate> = Response::from(results[2].clone()).ok_json().unwrap();
    // A reaction-only update has exactly `id`, `seqno` and `reactions` (it refuses other keys).
    let [
        MessageUpdate::Reactions(reacted),
        MessageUpdate::Message(new),
    ] = &updates[..]
    else {
        panic!("a reaction-only update, then the new message: {updates:?}");
    };
    assert_eq!(reacted.id, first.id);
    assert_eq!(reacted.reactions["👍"].you, Some(true));
    assert_eq!(new.id, second.id);
    assert!(reacted.seqno < new.seqno);
}
