//! Posting, listing, editing and deleting messages; whispers; limits; rate limiting.

use reqwest::Method;
use serde_json::{Value, json};
use sogs_client::Client;
use sogs_tests::{TestApp, TestUser, b64, padded};

async fn lobby() -> TestApp {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    app
}

async fn post(client: &Client, text: &str) -> Value {
    let resp = client
        .post_message("lobby", &padded(text.as_bytes()), json!({}))
        .await
        .unwrap();
    assert_eq!(resp.status, 201, "{}", resp.text());
    resp.json().unwrap()
}

async fn get_json(client: &Client, path: &str) -> Value {
    let resp = client.get(path).await.unwrap();
    assert_eq!(resp.status, 200, "{path}: {}", resp.text());
    resp.json().unwrap()
}

fn ids(list: &Value) -> Vec<i64> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_posted_message_is_listed_with_its_padded_data_and_signature() {
    let app = lobby().await;
    let alice = app.client_15(&TestUser::random());
    let data = padded(b"hello world");
    let resp = alice.post_message("lobby", &data, json!({})).await.unwrap();
    assert_eq!(resp.status, 201);
    let posted: Value = resp.json().unwrap();
    assert_eq!(posted["session_id"], alice.signer().unwrap().id());
    assert_eq!(posted["seqno"], 1);
    assert_eq!(posted["reactions"], json!({}));
    assert_eq!(b64(&posted["data"]), data);
    let id = posted["id"].as_i64().unwrap();

    for path in [
        "/room/lobby/messages/recent",
        "/room/lobby/messages/since/0",
    ] {
        let list = get_json(&app.client(), path).await;
        assert_eq!(ids(&list), [id], "{path}");
        let m = &list[0];
        assert_eq!(b64(&m["data"]), data, "data comes back re-padded");
        assert_eq!(b64(&m["signature"]).len(), 64);
        assert_eq!(m["reactions"], json!({}));
        assert!(m["posted"].as_f64().unwrap() > 1.6e9);
        for absent in ["edited", "deleted", "whisper", "whisper_mods", "whisper_to"] {
            assert!(m.get(absent).is_none(), "{absent}: {m}");
        }
    }
    let single = get_json(&app.client(), &format!("/room/lobby/message/{id}")).await;
    assert_eq!(single["id"], id);
    assert_eq!(
        get_json(&app.client(), "/room/lobby").await["message_sequence"],
        1
    );
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
    carol.get("/room/lobby").await.unwrap();
    let bob_id = bob.signer().unwrap().id();
    let resp = carol
        .post_message("lobby", b"psst", json!({"whisper_to": bob_id}))
        .await
        .unwrap();
    assert_eq!(
        (resp.status, resp.text().as_str()),
        (403, "Permission denied")
    );
    let to_bob = moderator
        .post_message("lobby", b"to bob", json!({"whisper_to": bob_id}))
        .await
        .unwrap();
    assert_eq!(to_bob.status, 201);
    let to_bob: Value = to_bob.json().unwrap();
    assert_eq!(
        (
            to_bob["whisper"].clone(),
            to_bob["whisper_mods"].clone(),
            to_bob["whisper_to"].clone()
        ),
        (json!(true), json!(false), json!(bob_id))
    );
    let to_mods: Value = moderator
        .post_message("lobby", b"mods", json!({"whisper_mods": true}))
        .await
        .unwrap()
        .json()
        .unwrap();
    let both: Value = moderator
        .post_message(
            "lobby",
            b"both",
            json!({"whisper_mods": true, "whisper_to": bob_id}),
        )
        .await
        .unwrap()
        .json()
        .unwrap();
    let public = post(&carol, "hi all").await;
    let [to_bob, to_mods, both, public] =
        [&to_bob, &to_mods, &both, &public].map(|m| m["id"].as_i64().unwrap());

    let seen = |list: Value| {
        let mut v = ids(&list);
        v.sort();
        v
    };
    assert_eq!(
        seen(get_json(&moderator, "/room/lobby/messages/since/0").await),
        [to_bob, to_mods, both, public]
    );
    assert_eq!(
        seen(get_json(&bob, "/room/lobby/messages/since/0").await),
        [to_bob, both, public]
    );
    assert_eq!(
        seen(get_json(&carol, "/room/lobby/messages/recent").await),
        [public]
    );
    assert_eq!(
        seen(get_json(&app.client(), "/room/lobby/messages/recent").await),
        [public]
    );
    assert_eq!(
        carol
            .get(&format!("/room/lobby/message/{to_bob}"))
            .await
            .unwrap()
            .status,
        404
    );
    assert_eq!(
        bob.get(&format!("/room/lobby/message/{to_bob}"))
            .await
            .unwrap()
            .status,
        200
    );
    let listed = get_json(&bob, &format!("/room/lobby/message/{both}")).await;
    assert_eq!(
        (listed["whisper_mods"].clone(), listed["whisper_to"].clone()),
        (json!(true), json!(bob_id))
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
    let id = post(&alice, "first").await["id"].as_i64().unwrap();
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
    let list = get_json(&app.client(), "/room/lobby/messages/since/1").await;
    assert_eq!(ids(&list), [id]);
    assert_eq!(list[0]["seqno"], 2);
    assert_eq!(b64(&list[0]["data"]), padded(b"second"));
    assert!(list[0]["edited"].as_f64().is_some());
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
    let first = post(&alice, "one").await["id"].as_i64().unwrap();
    let second = post(&alice, "two").await["id"].as_i64().unwrap();
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
    let resp = alice
        .request(
            Method::DELETE,
            &format!("/room/lobby/message/{first}"),
            &[],
            None,
        )
        .await
        .unwrap();
    assert_eq!(resp.status, 200);
    let resp = moderator
        .request(
            Method::DELETE,
            &format!("/room/lobby/message/{second}"),
            &[],
            None,
        )
        .await
        .unwrap();
    assert_eq!(resp.status, 200);
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
    let after_first = get_json(&app.client(), "/room/lobby/messages/since/1").await;
    assert_eq!(ids(&after_first), [first]);
    let after_both = get_json(&app.client(), "/room/lobby/messages/since/2").await;
    assert_eq!(ids(&after_both), [first, second]);
    let tombstone = &after_both[0];
    assert_eq!(
        (tombstone["deleted"].clone(), tombstone["data"].clone()),
        (json!(true), Value::Null)
    );
    assert!(tombstone.get("signature").is_none() && tombstone.get("reactions").is_none());
    assert!(
        get_json(&app.client(), "/room/lobby/messages/since/0")
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert!(
        get_json(&app.client(), "/room/lobby/messages/recent")
            .await
            .as_array()
            .unwrap()
            .is_empty()
    );
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
    let recent = get_json(&app.client(), "/room/lobby/messages/recent").await;
    assert_eq!(recent.as_array().unwrap().len(), 100);
    assert_eq!(recent[0]["id"], 300);
    assert_eq!(
        get_json(&app.client(), "/room/lobby/messages/recent?limit=1000")
            .await
            .as_array()
            .unwrap()
            .len(),
        256
    );
    assert_eq!(
        get_json(&app.client(), "/room/lobby/messages/recent?limit=0")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        get_json(&app.client(), "/room/lobby/messages/recent?limit=-5")
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let before = get_json(&app.client(), "/room/lobby/messages/before/10?limit=3").await;
    assert_eq!(ids(&before), [9, 8, 7]);
    let since = get_json(&app.client(), "/room/lobby/messages/since/295?limit=3").await;
    assert_eq!(ids(&since), [296, 297, 298]);
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
