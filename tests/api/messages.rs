//! Posting, listing, editing and deleting messages; whispers; limits; rate limiting.

use reqwest::Method;
use serde_json::{Value, json};
use sogs_client::{Client, MessageQuery};
use sogs_protocol::api::messages::{Message, MessageUpdate, Reactions};
use sogs_protocol::encoding::decode_b64;
use sogs_tests::{TestApp, TestUser, padded};

async fn lobby() -> TestApp {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    app
}

async fn post(client: &Client, text: &str) -> Message {
    let post = client.signed_post(&padded(text.as_bytes()));
    client.create_message("lobby", &post).await.unwrap()
}

/// `lobby`'s `messages/since/{seqno}` (no reaction-only updates are asked for).
async fn since(client: &Client, seqno: i64, limit: Option<u32>) -> Vec<Message> {
    let q = MessageQuery {
        limit,
        ..MessageQuery::default()
    };
    let updates = client.messages_since("lobby", seqno, q).await.unwrap();
    updates
        .into_iter()
        .map(|u| match u {
            MessageUpdate::Message(m) => m,
            MessageUpdate::Reactions(r) => panic!("unexpected reaction update {r:?}"),
        })
        .collect()
}

/// `lobby`'s `messages/recent`.
async fn recent(client: &Client, limit: Option<u32>) -> Vec<Message> {
    let q = MessageQuery {
        limit,
        ..MessageQuery::default()
    };
    client.messages_recent("lobby", q).await.unwrap()
}

fn ids(list: &[Message]) -> Vec<i64> {
    list.iter().map(|m| m.id).collect()
}

/// The bytes of a base64 field.
fn bytes(field: &Option<String>) -> Vec<u8> {
    decode_b64(field.as_deref().unwrap()).unwrap()
}

/// Asserts that `keys` are omitted (not `null`) from the first message of the JSON at `path`.
async fn assert_omitted(client: &Client, path: &str, keys: &[&str]) {
    let raw: Vec<Value> = client.get_json(path).await.unwrap();
    for key in keys {
        assert!(raw[0].get(key).is_none(), "{path}: {key} in {}", raw[0]);
    }
}

#[tokio::test]
async fn a_posted_message_is_listed_with_its_padded_data_and_signature() {
    let app = lobby().await;
    let alice = app.client_15(&TestUser::random());
    let data = padded(b"hello world");
    let resp = alice.post_message("lobby", &data, json!({})).await.unwrap();
    assert_eq!(resp.status, 201);
    let posted: Message = resp.json().unwrap();
    assert_eq!(posted.session_id, alice.signer().unwrap().id());
    assert_eq!(posted.seqno, 1);
    assert_eq!(posted.reactions, Some(Reactions::new()));
    assert_eq!(bytes(&posted.data), data);
    let id = posted.id;

    let client = app.client();
    for (which, list) in [
        ("recent", recent(&client, None).await),
        ("since", since(&client, 0, None).await),
    ] {
        assert_eq!(ids(&list), [id], "{which}");
        let m = &list[0];
        assert_eq!(bytes(&m.data), data, "data comes back re-padded");
        assert_eq!(bytes(&m.signature).len(), 64);
        assert_eq!(m.reactions, Some(Reactions::new()));
        assert!(m.posted > 1.6e9);
    }
    // On the wire, unset keys are omitted rather than null.
    for path in [
        "/room/lobby/messages/recent",
        "/room/lobby/messages/since/0",
    ] {
        let absent = ["edited", "deleted", "whisper", "whisper_mods", "whisper_to"];
        assert_omitted(&client, path, &absent).await;
    }
    let single = client
        .message("lobby", id, MessageQuery::default())
        .await
        .unwrap();
    assert_eq!(single.id, id);
    assert_eq!(client.room("lobby").await.unwrap().message_sequence, 1);
}

#[tokio::test]
async fn posting_needs_a_user_write_permission_and_a_valid_body() {
    let app = lobby().await;
    app.create_room("news", "ra").await;
    let resp = app
        .client()
        .post_message("lobby", b"x", json!({}))
        .await
        .unwrap();
    assert_eq!(
        (resp.status, resp.text().as_str()),
        (401, "X-SOGS-* request authentication required")
    );
    let alice = app.client_15(&TestUser::random());
    let resp = alice.post_message("news", b"x", json!({})).await.unwrap();
    assert_eq!(
        (resp.status, resp.text().as_str()),
        (403, "Permission denied")
    );
    let resp = alice.post_message("nope", b"x", json!({})).await.unwrap();
    assert_eq!(resp.status, 404);
    let bad_bodies = [
        json!({"signature": "A".repeat(86)}),
        json!({"data": "aGk=", "signature": "aGk="}),
        json!({"data": "!!!", "signature": "A".repeat(86)}),
        json!({"data": "aGk="}),
        json!({"data": "aGk=", "signature": "A".repeat(86), "files": ["x"]}),
        json!({"data": "aGk=", "signature": "A".repeat(86), "whisper_to": 5}),
        json!(["data"]),
        json!(null),
    ];
    for body in bad_bodies {
        let resp = alice
            .send_json(Method::POST, "/room/lobby/message", &body)
            .await
            .unwrap();
        assert_eq!(resp.status, 400, "{body}: {}", resp.text());
    }
    let resp = alice
        .request(
            Method::POST,
            "/room/lobby/message",
            &[],
            Some(b"{}".to_vec()),
        )
        .await
        .unwrap();
    assert_eq!(resp.status, 400, "no JSON content type");
    let resp = alice
        .request(
            Method::POST,
            "/room/lobby/message",
            &[("Content-Type", "application/json")],
            Some(b"{".to_vec()),
        )
        .await
        .unwrap();
    assert_eq!(resp.status, 400, "truncated JSON");
}

#[tokio::test]
async fn files_given_as_strings_are_accepted() {
    let app = lobby().await;
    let alice = app.client_15(&TestUser::random());
    let resp = alice
        .post_message("lobby", b"x", json!({"files": ["12", 13]}))
        .await
        .unwrap();
    assert_eq!(resp.status, 201, "{}", resp.text());
}

#[tokio::test]
async fn whispers_are_seen_by_exactly_the_right_people() {
    let app = lobby().await;
    let (moderator, bob, carol) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    app.make_mod(&moderator, Some("lobby"), false).await;
    carol.room("lobby").await.unwrap();
    let bob_id = bob.signer().unwrap().id();
    let resp = carol
        .post_message("lobby", b"psst", json!({"whisper_to": bob_id}))
        .await
        .unwrap();
    assert_eq!(
        (resp.status, resp.text().as_str()),
        (403, "Permission denied")
    );
    let whisper = |data: &[u8], to_mods: bool, to_bob: bool| {
        let mut post = moderator.signed_post(data);
        post.whisper_mods = to_mods;
        post.whisper_to = to_bob.then(|| bob_id.clone());
        let moderator = moderator.clone();
        async move { moderator.create_message("lobby", &post).await.unwrap() }
    };
    let to_bob = whisper(b"to bob", false, true).await;
    assert_eq!(
        (
            to_bob.whisper,
            to_bob.whisper_mods,
            to_bob.whisper_to.clone()
        ),
        (Some(true), Some(false), Some(bob_id.clone()))
    );
    let to_mods = whisper(b"mods", true, false).await;
    let both = whisper(b"both", true, true).await;
    let public = post(&carol, "hi all").await;
    let [to_bob, to_mods, both, public] = [to_bob, to_mods, both, public].map(|m| m.id);

    let seen = |list: Vec<Message>| {
        let mut v = ids(&list);
        v.sort();
        v
    };
    assert_eq!(
        seen(since(&moderator, 0, None).await),
        [to_bob, to_mods, both, public]
    );
    assert_eq!(seen(since(&bob, 0, None).await), [to_bob, both, public]);
    assert_eq!(seen(recent(&carol, None).await), [public]);
    assert_eq!(seen(recent(&app.client(), None).await), [public]);
    let q = MessageQuery::default();
    let hidden = carol.message("lobby", to_bob, q).await.unwrap_err();
    assert_eq!(hidden.status(), Some(404));
    assert_eq!(bob.message("lobby", to_bob, q).await.unwrap().id, to_bob);
    let listed = bob.message("lobby", both, q).await.unwrap();
    assert_eq!(
        (listed.whisper_mods, listed.whisper_to),
        (Some(true), Some(bob_id))
    );
}

#[tokio::test]
async fn only_the_author_edits_and_an_edit_is_a_new_update() {
    let app = lobby().await;
    let (alice, bob, admin) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    app.make_mod(&admin, Some("lobby"), true).await;
    let id = post(&alice, "first").await.id;
    for other in [&bob, &admin] {
        let resp = other
            .edit_message("lobby", id, &padded(b"hacked"))
            .await
            .unwrap();
        assert_eq!(
            (resp.status, resp.text().as_str()),
            (403, "Permission denied")
        );
    }
    let resp = alice
        .edit_message("lobby", id, &padded(b"second"))
        .await
        .unwrap();
    assert_eq!(
        (resp.status, resp.json::<Value>().unwrap()),
        (200, json!({}))
    );
    let list = since(&app.client(), 1, None).await;
    assert_eq!(ids(&list), [id]);
    assert_eq!(list[0].seqno, 2);
    assert_eq!(bytes(&list[0].data), padded(b"second"));
    assert!(list[0].edited.is_some());
    let resp = alice.edit_message("lobby", 999_999, b"x").await.unwrap();
    assert_eq!(
        (resp.status, resp.text().as_str()),
        (404, "No such post: 999999")
    );
    let history: i64 = sqlx::query_scalar("select count(*) from message_history")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(history, 1);
}

#[tokio::test]
async fn deletion_leaves_a_tombstone_only_for_pollers_who_saw_the_message() {
    let app = lobby().await;
    let (alice, bob, moderator) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    app.make_mod(&moderator, Some("lobby"), false).await;
    let first = post(&alice, "one").await.id;
    let second = post(&alice, "two").await.id;
    let resp = bob
        .request(
            Method::DELETE,
            &format!("/room/lobby/message/{first}"),
            &[],
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        (resp.status, resp.text().as_str()),
        (403, "Permission denied")
    );
    alice.delete_message("lobby", first).await.unwrap();
    moderator.delete_message("lobby", second).await.unwrap();
    let resp = alice
        .request(
            Method::DELETE,
            &format!("/room/lobby/message/{first}"),
            &[],
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        (resp.status, resp.text().as_str()),
        (404, &*format!("No such post: {first}"))
    );

    // A poller that saw message 1 (seqno 1) gets both tombstones; one that saw nothing gets none.
    let client = app.client();
    assert_eq!(ids(&since(&client, 1, None).await), [first]);
    let after_both = since(&client, 2, None).await;
    assert_eq!(ids(&after_both), [first, second]);
    let tombstone = &after_both[0];
    assert_eq!((tombstone.deleted, &tombstone.data), (Some(true), &None));
    let path = "/room/lobby/messages/since/2";
    assert_omitted(&client, path, &["signature", "reactions"]).await;
    assert!(since(&client, 0, None).await.is_empty());
    assert!(recent(&client, None).await.is_empty());
}

#[tokio::test]
async fn recent_and_before_list_newest_first_and_limit_is_clamped() {
    let app = lobby().await;
    app.sql(
        r#"insert into users (id, session_id, canonical_id) values (100, '05aa', '05aa');
           insert into messages (room, "user", data, data_size, signature)
           select 1, 100, '\x01', 1, decode(repeat('00', 64), 'hex') from generate_series(1, 300)"#,
    )
    .await;
    let client = app.client();
    let newest = recent(&client, None).await;
    assert_eq!(newest.len(), 100);
    assert_eq!(newest[0].id, 300);
    assert_eq!(recent(&client, Some(1000)).await.len(), 256);
    assert_eq!(recent(&client, Some(0)).await.len(), 1);
    // A negative limit cannot be typed: sent raw.
    let negative: Vec<Value> = client
        .get_json("/room/lobby/messages/recent?limit=-5")
        .await
        .unwrap();
    assert_eq!(negative.len(), 1);
    let q = MessageQuery {
        limit: Some(3),
        ..MessageQuery::default()
    };
    let before = client.messages_before("lobby", 10, q).await.unwrap();
    assert_eq!(ids(&before), [9, 8, 7]);
    assert_eq!(ids(&since(&client, 295, Some(3)).await), [296, 297, 298]);
    assert_eq!(
        app.client()
            .get("/room/lobby/messages/recent?limit=abc")
            .await
            .unwrap()
            .status,
        400
    );
}

#[tokio::test]
async fn absurd_numbers_in_paths_are_4xx() {
    let app = lobby().await;
    let huge = "99999999999999999999999";
    for (path, status) in [
        (format!("/room/lobby/messages/since/{huge}"), 400),
        (format!("/room/lobby/messages/before/{huge}"), 400),
        (format!("/room/lobby/message/{huge}"), 404),
        ("/room/lobby/messages/since/-1".to_owned(), 404),
        ("/room/lobby/message/abc".to_owned(), 404),
        ("/room/lobby/pollInfo/x".to_owned(), 404),
    ] {
        assert_eq!(
            app.client().get(&path).await.unwrap().status,
            status,
            "{path}"
        );
    }
}

#[tokio::test]
async fn the_post_rate_limit_applies_to_moderators_but_not_admins() {
    let app = lobby().await;
    let (alice, moderator, admin) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    app.make_mod(&moderator, Some("lobby"), false).await;
    app.make_mod(&admin, Some("lobby"), true).await;
    for client in [&alice, &moderator] {
        for _ in 0..5 {
            post(client, "spam").await;
        }
        let resp = client.post_message("lobby", b"x", json!({})).await.unwrap();
        assert_eq!((resp.status, resp.text().as_str()), (429, "Rate limited"));
    }
    for _ in 0..8 {
        post(&admin, "announcement").await;
    }
}

#[tokio::test]
async fn the_rate_limit_is_configurable_globally_and_per_room() {
    let app = TestApp::spawn_with(|s| {
        s.messages.rate_limit_posts = 2;
        s.room.insert(
            "Quiet".into(),
            sogs_server::config::RoomOverrides {
                rate_limit_posts: Some(1),
                ..Default::default()
            },
        );
        s.room.insert(
            "free".into(),
            sogs_server::config::RoomOverrides {
                rate_limit_posts: Some(0),
                ..Default::default()
            },
        );
    })
    .await;
    for token in ["lobby", "quiet", "free"] {
        app.create_room(token, "rwua").await;
    }
    let alice = app.client_15(&TestUser::random());
    let statuses = |room: &'static str, n: usize| {
        let alice = alice.clone();
        async move {
            let mut out = Vec::new();
            for _ in 0..n {
                out.push(
                    alice
                        .post_message(room, b"x", json!({}))
                        .await
                        .unwrap()
                        .status,
                );
            }
            out
        }
    };
    assert_eq!(statuses("lobby", 3).await, [201, 201, 429]);
    assert_eq!(statuses("quiet", 2).await, [201, 429]);
    assert_eq!(statuses("free", 6).await, [201; 6]);
}
