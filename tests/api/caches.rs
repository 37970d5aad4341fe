//! The per-process caches: answers come from memory until a notification invalidates them,
//! and losing the LISTEN connection drops everything.

use std::time::{Duration, Instant};

use sogs_client::{Client, MessageQuery};
use sogs_tests::{TestApp, TestUser, padded};

/// Renames the room without firing triggers (so no notification is sent): only a process
/// that reads the database sees the new name.
async fn rename_silently(app: &TestApp, name: &str) {
    let mut tx = app.db.begin().await.unwrap();
    for sql in [
        "alter table rooms disable trigger rooms_notify_cache",
        &format!("update rooms set name = '{name}' where token = 'lobby'"),
        "alter table rooms enable trigger rooms_notify_cache",
    ] {
        sqlx::query(sql).execute(&mut *tx).await.unwrap();
    }
    tx.commit().await.unwrap();
}

async fn room_name(app: &TestApp) -> String {
    app.client().room("lobby").await.unwrap().name
}

/// Waits until the server's cache listener is connected.
async fn listening(app: &TestApp) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !app.state.caches.enabled() {
        assert!(
            Instant::now() < deadline,
            "the cache listener never connected"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_cached_room_is_served_from_memory_until_a_notification() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    listening(&app).await;
    assert_eq!(room_name(&app).await, "lobby");
    rename_silently(&app, "Silent").await;
    assert_eq!(room_name(&app).await, "lobby", "served from the cache");
    app.sql("update rooms set name = 'Loud' where token = 'lobby'")
        .await;
    assert_eq!(
        room_name(&app).await,
        "Loud",
        "the trigger's notification invalidated it"
    );
}

#[tokio::test]
async fn losing_the_listener_connection_drops_every_cache() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    listening(&app).await;
    let user = app.client_15(&TestUser::random());
    let recent = || user.messages_recent("lobby", MessageQuery::default());
    recent().await.unwrap();
    assert_eq!(room_name(&app).await, "lobby");
    rename_silently(&app, "Silent").await;
    assert_eq!(room_name(&app).await, "lobby");

    let killed: i64 = sqlx::query_scalar(
        "select count(*) from (select pg_terminate_backend(pid) from pg_stat_activity
         where datname = current_database() and query ilike 'listen%') t",
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(killed, 1, "one listener connection per process");
    let deadline = Instant::now() + Duration::from_secs(5);
    while room_name(&app).await != "Silent" {
        assert!(
            Instant::now() < deadline,
            "caches survived the lost listener"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Signed requests keep working through the reconnect.
    recent().await.unwrap();
}

/// A second server process on `cached`'s database and key that reads everything from
/// PostgreSQL (`memory_caches = false`).
async fn direct_twin(cached: &TestApp) -> TestApp {
    let database = cached.database.clone();
    let pool = database.pool().await;
    let key_dir = cached.data_dir.path().to_path_buf();
    let direct = TestApp::spawn_on(database, pool, |s| {
        s.server.memory_caches = false;
        s.server.data_dir = key_dir;
    })
    .await;
    assert_eq!(direct.pubkey_hex(), cached.pubkey_hex(), "one server key");
    direct
}

/// Asserts that both processes answer every path alike for every viewer (`None`: anonymous),
/// as JSON: omitted keys and nulls must match too.
async fn assert_same_answers(
    cached: &TestApp,
    direct: &TestApp,
    viewers: &[Option<&TestUser>],
    paths: &[String],
) {
    for user in viewers {
        let (from_cache, from_db) = match user {
            Some(u) => (cached.client_15(u), direct.client_15(u)),
            None => (cached.client(), direct.client()),
        };
        for path in paths {
            let want: serde_json::Value = from_db.get_json(path).await.unwrap();
            // Twice: the first may build the window, the second is served from it.
            for _ in 0..2 {
                let got: serde_json::Value = from_cache.get_json(path).await.unwrap();
                assert_eq!(got, want, "{path} as {:?}", user.map(|u| u.seed[0]));
            }
        }
    }
}

/// The room's id and current message sequence.
async fn lobby_sequence(app: &TestApp) -> (i64, i64) {
    sqlx::query_as("select id, message_sequence from rooms where token = 'lobby'")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// The listing window answers exactly what the database does, for every kind of viewer:
/// whispers to moderators and to one user, reactions with `you`, `reactors`, `before`.
#[tokio::test]
async fn the_listing_window_answers_like_the_database() {
    let cached = TestApp::spawn().await;
    cached.create_room("lobby", "rwua").await;
    listening(&cached).await;
    let (moderator, alice, bob) = (TestUser::random(), TestUser::random(), TestUser::random());
    let m = cached.client_15(&moderator);
    cached.make_mod(&m, Some("lobby"), false).await;
    let (a, b) = (cached.client_15(&alice), cached.client_15(&bob));
    b.capabilities().await.unwrap();
    let bob_id = b.signer().unwrap().id();
    let ids = post_all(&[
        (&a, Whisper::None),
        (&m, Whisper::Mods),
        (&m, Whisper::To(&bob_id)),
        (&b, Whisper::None),
        (&a, Whisper::None),
    ])
    .await;
    for (client, emoji) in [(&a, "👍"), (&b, "👍"), (&m, "🎉"), (&b, "🎉")] {
        client.add_reaction("lobby", ids[0], emoji).await.unwrap();
    }

    let direct = direct_twin(&cached).await;
    let paths = [
        "/room/lobby/messages/recent".to_owned(),
        "/room/lobby/messages/recent?limit=2&reactors=1".to_owned(),
        "/room/lobby/messages/recent?reactors=0".to_owned(),
        format!("/room/lobby/messages/before/{}", ids[4]),
        format!("/room/lobby/messages/before/{}?limit=1", ids[3]),
    ];
    let viewers = [None, Some(&alice), Some(&bob), Some(&moderator)];
    assert_same_answers(&cached, &direct, &viewers, &paths).await;
    let (room, sequence) = lobby_sequence(&cached).await;
    let window = cached.state.caches.listings.get(room, sequence);
    assert!(window.is_some(), "the answers came from the window");
}

/// `messages/since/<n>` from the since window answers exactly what the database does: new
/// posts, an edit, a deletion (tombstones only for posts the poller saw), reactions added and
/// removed (reaction-only updates with `t=r`), whispers, `limit` and `reactors`, for every
/// kind of viewer; and past the window it falls back to the database.
#[tokio::test]
async fn the_since_window_answers_like_the_database() {
    let cached = TestApp::spawn().await;
    cached.create_room("lobby", "rwua").await;
    listening(&cached).await;
    let (moderator, alice, bob, carol) = (
        TestUser::random(),
        TestUser::random(),
        TestUser::random(),
        TestUser::random(),
    );
    let m = cached.client_15(&moderator);
    cached.make_mod(&m, Some("lobby"), false).await;
    let (a, b, c) = (
        cached.client_15(&alice),
        cached.client_15(&bob),
        cached.client_15(&carol),
    );
    b.capabilities().await.unwrap();
    let bob_id = b.signer().unwrap().id();
    let ids = post_all(&[
        (&a, Whisper::None),
        (&m, Whisper::Mods),
        (&m, Whisper::To(&bob_id)),
        (&b, Whisper::None),
        (&a, Whisper::None),
        (&c, Whisper::None),
        (&b, Whisper::None),
    ])
    .await;
    for (client, id, emoji) in [
        (&a, ids[0], "👍"),
        (&b, ids[0], "👍"),
        (&m, ids[0], "🎉"),
        (&b, ids[0], "🎉"),
        (&c, ids[6], "👍"),
        (&a, ids[3], "❤"),
    ] {
        client.add_reaction("lobby", id, emoji).await.unwrap();
    }
    b.remove_reaction("lobby", ids[0], "👍").await.unwrap();
    let edit = a.signed_edit(&padded(b"edited"));
    a.update_message("lobby", ids[4], &edit).await.unwrap();
    b.delete_message("lobby", ids[6]).await.unwrap();
    c.add_reaction("lobby", ids[5], "🎉").await.unwrap();
    let last = a.signed_post(&padded(b"last"));
    a.create_message("lobby", &last).await.unwrap();

    let direct = direct_twin(&cached).await;
    let (room, sequence) = lobby_sequence(&cached).await;
    let queries = [
        "",
        "?t=r",
        "?t=r&reactors=0",
        "?reactors=1",
        "?t=r&reactors=5",
        "?t=r&limit=2",
        "?limit=2",
    ];
    let paths: Vec<String> = (0..=sequence)
        .flat_map(|k| {
            queries
                .iter()
                .map(move |q| format!("/room/lobby/messages/since/{k}{q}"))
        })
        .collect();
    let viewers = [
        None,
        Some(&alice),
        Some(&carol),
        Some(&bob),
        Some(&moderator),
    ];
    assert_same_answers(&cached, &direct, &viewers, &paths).await;
    let window = cached.state.caches.listings.get_since(room, sequence);
    assert!(
        window.is_some_and(|w| w.covers(0)),
        "the answers came from the since window"
    );

    // Beyond 256 rows the window covers only pollers at most one row behind its lowest seqno.
    cached
        .sql(
            "insert into messages (room, \"user\", data, data_size, signature)
             select r.id, m.\"user\", '\\x78', 1, decode(repeat('00', 64), 'hex')
             from rooms r, (select \"user\" from messages order by id limit 1) m,
                  generate_series(1, 300)
             where r.token = 'lobby'",
        )
        .await;
    let (room, sequence) = lobby_sequence(&cached).await;
    let (lowest,): (i64,) = sqlx::query_as(
        "select min(seqno) from (select seqno from messages where room = $1 and not filtered
         order by seqno desc limit 256) top",
    )
    .bind(room)
    .fetch_one(&cached.db)
    .await
    .unwrap();
    let paths: Vec<String> = [0, lowest - 2, lowest - 1, lowest, sequence - 3]
        .into_iter()
        .flat_map(|k| {
            ["?limit=256", "?t=r&limit=3"]
                .into_iter()
                .map(move |q| format!("/room/lobby/messages/since/{k}{q}"))
        })
        .collect();
    assert_same_answers(&cached, &direct, &[None, Some(&moderator)], &paths).await;
    let window = cached.state.caches.listings.get_since(room, sequence);
    let window = window.expect("the since window was built");
    assert!(window.covers(lowest - 1) && !window.covers(lowest - 2));
}

/// Who a post is whispered to.
enum Whisper<'a> {
    None,
    Mods,
    To(&'a str),
}

/// Posts `x` to the lobby from each client, whispered as given; returns the ids.
async fn post_all(posts: &[(&Client, Whisper<'_>)]) -> Vec<i64> {
    let mut ids = Vec::new();
    for (client, whisper) in posts {
        let mut post = client.signed_post(&padded(b"x"));
        match whisper {
            Whisper::None => {}
            Whisper::Mods => post.whisper_mods = true,
            Whisper::To(id) => post.whisper_to = Some(id.to_string()),
        }
        ids.push(client.create_message("lobby", &post).await.unwrap().id);
    }
    ids
}
