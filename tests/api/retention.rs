//! Message retention: the cleanup pass deletes messages older than the room's retention as a
//! moderator deletion would (tombstones for `since` pollers), keeps pinned and recent ones,
//! and honours per-room overrides; `sogs-admin room show` shows the retention.

use sogs_client::{Client, MessageQuery};
use sogs_protocol::api::messages::MessageUpdate;
use sogs_protocol::content::Content;
use sogs_server::cleanup::run_once;
use sogs_server::clock::unix_now;
use sogs_server::config::RoomOverrides;
use sogs_tests::{TestApp, TestUser};

use crate::admin_cli::{admin_on, stderr, stdout};

const DAY: f64 = 86_400.0;

/// Posts a text message; returns its id.
async fn post(client: &Client, room: &str, body: &str) -> i64 {
    let data = Content::text(body, 1_700_000_000_000).encode_padded();
    let post = client.signed_post(&data);
    client.create_message(room, &post).await.unwrap().id
}

/// The room's current message sequence.
async fn sequence(client: &Client, room: &str) -> i64 {
    client.room(room).await.unwrap().message_sequence
}

/// `messages/since/<seqno>` as `(id, deleted)` pairs.
async fn since(client: &Client, room: &str, seqno: i64) -> Vec<(i64, bool)> {
    let list = client.messages_since(room, seqno, MessageQuery::default());
    let rows = list.await.unwrap().into_iter();
    rows.map(|u| {
        let MessageUpdate::Message(m) = u else {
            panic!("unexpected reaction update {u:?}")
        };
        let deleted = m.deleted == Some(true);
        assert_eq!(deleted, m.data.is_none(), "{m:?}");
        (m.id, deleted)
    })
    .collect()
}

/// Makes messages look `days` older than they are.
async fn age(app: &TestApp, ids: &[i64], days: f64) {
    sqlx::query("update messages set posted = posted - $2 where id = any($1)")
        .bind(ids)
        .bind(days * DAY)
        .execute(&app.db)
        .await
        .unwrap();
}

#[tokio::test]
async fn old_messages_become_tombstones_while_pinned_and_recent_ones_stay() {
    let app = TestApp::spawn_with(|s| {
        s.messages.retention_days = 30.0;
        let days = |d| RoomOverrides {
            retention_days: Some(d),
            ..RoomOverrides::default()
        };
        s.room.insert("archive".into(), days(0.0));
        s.room.insert("Fast".into(), days(1.0));
    })
    .await;
    for room in ["lobby", "archive", "fast"] {
        app.create_room(room, "rwua").await;
    }
    let alice = app.client_15(&TestUser::random());
    let old = post(&alice, "lobby", "old").await;
    let pinned = post(&alice, "lobby", "old but pinned").await;
    let recent = post(&alice, "lobby", "recent").await;
    let archived = post(&alice, "archive", "kept forever").await;
    let fast = post(&alice, "fast", "gone after a day").await;
    app.sql(&format!(
        "insert into pinned_messages (room, message, pinned_by) select room, id, 0 from messages where id = {pinned}"
    ))
    .await;
    age(&app, &[old, pinned, archived], 10.0).await;
    let settings = app.state.settings.clone();
    let now = unix_now();
    let seq = sequence(&alice, "lobby").await;
    let fast_seq = sequence(&alice, "fast").await;

    // 15 days on: nothing in the lobby is 30 days old yet (the aged ones are 25); the "fast"
    // room's post is past its one day.
    let counts = run_once(&app.db, &settings, now + 15.0 * DAY)
        .await
        .unwrap();
    assert_eq!(counts.expired_messages, 1, "{counts:?}");
    app.sync().await;
    assert_eq!(since(&alice, "fast", fast_seq).await, [(fast, true)]);
    assert_eq!(since(&alice, "lobby", seq).await, []);

    // 21 days later still: the aged messages are 31 days old, the others 21.
    let counts = run_once(&app.db, &settings, now + 21.0 * DAY)
        .await
        .unwrap();
    assert_eq!(
        counts.expired_messages, 1,
        "only the unpinned old message: {counts:?}"
    );
    app.sync().await;
    assert_eq!(since(&alice, "lobby", seq).await, [(old, true)]);
    let recent_of = |room: &'static str| alice.messages_recent(room, MessageQuery::default());
    let live: Vec<i64> = recent_of("lobby")
        .await
        .unwrap()
        .iter()
        .map(|m| m.id)
        .collect();
    assert_eq!(live, [recent, pinned]);
    let archive = recent_of("archive").await.unwrap();
    assert_eq!(archive[0].id, archived, "retention 0 keeps forever");

    // A second pass finds nothing more to do.
    let counts = run_once(&app.db, &settings, now + 21.0 * DAY)
        .await
        .unwrap();
    assert_eq!(counts.expired_messages, 0);
}

#[tokio::test]
async fn room_show_prints_the_retention_and_warns_without_a_base_url() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let out = admin_on(&app, &["room", "show", "lobby"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Retention: keep forever"),
        "{}",
        stdout(&out)
    );
    assert!(
        stderr(&out).contains("set server.base_url in the config"),
        "{}",
        stderr(&out)
    );

    let config = app.data_dir.path().join("sogs.toml");
    std::fs::write(
        &config,
        "[server]\nbase_url = \"https://sogs.example.net\"\n\n[messages]\nretention_days = 30.0\n",
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let out = admin_on(&app, &["--config", config, "room", "show", "lobby"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Retention: 30 days"),
        "{}",
        stdout(&out)
    );
    assert!(!stderr(&out).contains("base_url"), "{}", stderr(&out));
    let out = admin_on(&app, &["room", "url", "lobby"]).await;
    assert!(
        stderr(&out).contains("only works on this machine"),
        "{}",
        stderr(&out)
    );
}
