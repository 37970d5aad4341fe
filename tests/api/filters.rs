//! Profanity and alphabet filters: silent quarantine, 429 rejection, per-room overrides,
//! moderator exemption, undecodable data.

use serde_json::{Value, json};
use sogs_client::{Client, MessageQuery};
use sogs_server::config::RoomOverrides;
use sogs_server::domain::filter::Alphabet;
use sogs_tests::{TestApp, TestUser};

fn message(body: &str, name: Option<&str>) -> Vec<u8> {
    sogs_tests::session_message(body, name)
}

/// A raw post: its exact status and its JSON answer (or text, for a refusal).
async fn post(client: &Client, room: &str, data: Vec<u8>) -> (u16, Value) {
    let resp = client.post_message(room, &data, json!({})).await.unwrap();
    (
        resp.status,
        resp.json().unwrap_or_else(|_| Value::String(resp.text())),
    )
}

async fn visible_count(app: &TestApp, room: &str) -> usize {
    app.client()
        .messages_recent(room, MessageQuery::default())
        .await
        .unwrap()
        .len()
}

#[tokio::test]
async fn silent_filtering_quarantines_and_loud_filtering_answers_429() {
    let app = TestApp::spawn_with(|s| {
        s.messages.profanity_filter = true;
        s.messages.alphabet_filters = vec![Alphabet::Cyrillic];
        s.room.insert(
            "loud".into(),
            RoomOverrides {
                profanity_silent: Some(false),
                ..RoomOverrides::default()
            },
        );
    })
    .await;
    for room in ["quiet", "loud"] {
        app.create_room(room, "rwua").await;
    }
    let alice = app.client_15(&TestUser::random());
    let (status, body) = post(&alice, "quiet", message("well shit", None)).await;
    assert_eq!((status, body["filtered"].clone()), (201, json!(true)));
    let (status, body) = post(&alice, "quiet", message("hello", Some("fuck face"))).await;
    assert_eq!(
        (status, body["filtered"].clone()),
        (201, json!(true)),
        "display names are filtered too"
    );
    let (status, body) = post(&alice, "quiet", message("привет", None)).await;
    assert_eq!((status, body["filtered"].clone()), (201, json!(true)));
    let (status, body) = post(&alice, "quiet", message("hello", None)).await;
    assert_eq!((status, body.get("filtered")), (201, None));
    assert_eq!(
        visible_count(&app, "quiet").await,
        1,
        "quarantined posts are never shown"
    );

    let (status, text) = post(&alice, "loud", message("sh1t", None)).await;
    assert_eq!(
        (status, text),
        (429, json!("filtration rejected message (profanity)"))
    );
    assert_eq!(visible_count(&app, "loud").await, 0);
}

#[tokio::test]
async fn moderators_are_exempt_unless_configured_and_undecodable_data_passes() {
    let app = TestApp::spawn_with(|s| {
        s.messages.profanity_filter = true;
        s.messages.profanity_silent = false;
    })
    .await;
    app.create_room("lobby", "rwua").await;
    let (alice, moderator) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    app.make_mod(&moderator, Some("lobby"), false).await;
    assert_eq!(
        post(&moderator, "lobby", message("shit", None)).await.0,
        201
    );
    assert_eq!(
        post(&alice, "lobby", b"\xff\xff not protobuf shit".to_vec())
            .await
            .0,
        201
    );
    assert_eq!(post(&alice, "lobby", message("shit", None)).await.0, 429);
}

#[tokio::test]
async fn a_filtered_edit_is_dropped_silently_or_refused() {
    let app = TestApp::spawn_with(|s| {
        s.messages.profanity_filter = true;
        s.room.insert(
            "loud".into(),
            RoomOverrides {
                profanity_silent: Some(false),
                ..RoomOverrides::default()
            },
        );
    })
    .await;
    for room in ["quiet", "loud"] {
        app.create_room(room, "rwua").await;
    }
    let alice = app.client_15(&TestUser::random());
    for (room, status) in [("quiet", 200), ("loud", 429)] {
        let id = post(&alice, room, message("clean", None)).await.1["id"]
            .as_i64()
            .unwrap();
        let resp = alice
            .edit_message(room, id, &message("shit", None))
            .await
            .unwrap();
        assert_eq!(resp.status, status, "{room}");
        let shown = app
            .client()
            .message(room, id, MessageQuery::default())
            .await
            .unwrap();
        assert_eq!(shown.edited, None, "{room}: the edit was not applied");
    }
}

#[tokio::test]
async fn a_custom_word_list_adds_to_the_built_in_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("words.txt");
    std::fs::write(&path, "durian\n").unwrap();
    let app = TestApp::spawn_with(|s| {
        s.messages.profanity_filter = true;
        s.messages.profanity_silent = false;
        s.messages.profanity_custom = path.to_string_lossy().into_owned();
    })
    .await;
    app.create_room("lobby", "rwua").await;
    let alice = app.client_15(&TestUser::random());
    assert_eq!(
        post(&alice, "lobby", message("I love durian", None))
            .await
            .0,
        429
    );
    alice.room("lobby").await.unwrap();
}
