//! The built `sogs-admin` binary: room commands against a database URL.

use sogs_tests::TestApp;
use sogs_tests::binaries::admin;

/// Runs `sogs-admin` on the app's database, then waits until the server's caches reflect what
/// it changed (as they do within milliseconds, by notification, in production).
pub(crate) async fn admin_on(app: &TestApp, args: &[&str]) -> std::process::Output {
    let data_dir = app.data_dir.path().to_str().unwrap();
    let mut full = vec!["--database-url", &app.database.url, "--data-dir", data_dir];
    full.extend_from_slice(args);
    let out = admin(&full);
    app.sync().await;
    out
}

pub(crate) fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub(crate) fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test]
async fn a_room_added_with_the_cli_is_served_in_any_case() {
    let app = TestApp::spawn().await;
    let out = admin_on(
        &app,
        &[
            "room",
            "add",
            "Lobby",
            "--name",
            "The Lobby",
            "--description",
            "hi",
        ],
    )
    .await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains(&format!("/Lobby?public_key={}", app.pubkey_hex())),
        "{}",
        stdout(&out)
    );
    let rooms = app.client().rooms().await.unwrap();
    assert_eq!(rooms.len(), 1);
    assert_eq!(rooms[0].name, "The Lobby");
    assert_eq!(rooms[0].description.as_deref(), Some("hi"));
    assert_eq!(app.client().room("LOBBY").await.unwrap().token, "Lobby");
}

#[tokio::test]
async fn invalid_tokens_are_refused_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    for bad in ["has space", "café", "a/b", &"x".repeat(65), ""] {
        let out = admin_on(&app, &["room", "add", bad]).await;
        assert!(!out.status.success(), "{bad:?} was accepted");
        assert!(
            stderr(&out).contains("invalid room token"),
            "{bad:?}: {}",
            stderr(&out)
        );
    }
    let count: i64 = sqlx::query_scalar("select count(*) from rooms")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn a_duplicate_token_in_another_case_is_refused() {
    let app = TestApp::spawn().await;
    assert!(
        admin_on(&app, &["room", "add", "lobby"])
            .await
            .status
            .success()
    );
    let out = admin_on(&app, &["room", "add", "LOBBY"]).await;
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("room 'LOBBY' already exists"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn rooms_can_be_listed_shown_updated_and_deleted() {
    let app = TestApp::spawn().await;
    assert!(
        admin_on(&app, &["room", "add", "news", "--perms", "ra"])
            .await
            .status
            .success()
    );
    let list: serde_json::Value =
        serde_json::from_slice(&admin_on(&app, &["room", "list", "--json"]).await.stdout).unwrap();
    assert_eq!(list[0]["token"], "news");
    assert_eq!(list[0]["default_permissions"], "ra");

    let out = admin_on(
        &app,
        &[
            "room",
            "update",
            "NEWS",
            "--name",
            "News\u{7}!",
            "--perms",
            "rwua",
            "--json",
        ],
    )
    .await;
    assert!(out.status.success(), "{}", stderr(&out));
    let shown: serde_json::Value = serde_json::from_slice(
        &admin_on(&app, &["room", "show", "news", "--json"])
            .await
            .stdout,
    )
    .unwrap();
    assert_eq!(shown["name"], "News!");
    assert_eq!(shown["default_permissions"], "rwua");
    assert_eq!(shown["info_updates"], 1);

    let url = stdout(&admin_on(&app, &["room", "url", "news"]).await);
    assert_eq!(
        url.trim(),
        format!("http://127.0.0.1:3000/news?public_key={}", app.pubkey_hex())
    );

    let refused = admin_on(&app, &["room", "delete", "news"]).await;
    assert!(!refused.status.success(), "deleted without confirmation");
    assert_eq!(app.client().rooms().await.unwrap().len(), 1);
    let deleted = admin_on(&app, &["room", "delete", "news", "--yes"]).await;
    assert!(deleted.status.success(), "{}", stderr(&deleted));
    assert!(app.client().rooms().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_unknown_room_is_a_clear_error() {
    let app = TestApp::spawn().await;
    let out = admin_on(&app, &["room", "show", "ghost"]).await;
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("no such room: ghost"),
        "{}",
        stderr(&out)
    );
}

#[tokio::test]
async fn a_room_image_can_be_set_from_a_file() {
    let app = TestApp::spawn().await;
    assert!(
        admin_on(&app, &["room", "add", "lobby"])
            .await
            .status
            .success()
    );
    let image = app.data_dir.path().join("logo.png");
    std::fs::write(&image, b"\x89PNG fake image").unwrap();
    let out = admin_on(&app, &["room", "image", "lobby", image.to_str().unwrap()]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let room = app.client().room("lobby").await.unwrap();
    let id = room.image_id.unwrap();
    let file = app.client().download_file("lobby", id).await.unwrap();
    assert_eq!(file, b"\x89PNG fake image");
    let expiry: Option<f64> = sqlx::query_scalar("select expiry from files")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(expiry, None);
}

#[tokio::test]
async fn room_show_prints_the_statistics_block() {
    let app = TestApp::spawn().await;
    assert!(
        admin_on(&app, &["room", "add", "lobby"])
            .await
            .status
            .success()
    );
    let alice = app.client_15(&sogs_tests::TestUser::random());
    let hello = alice.signed_post(b"hello");
    let id = alice.create_message("lobby", &hello).await.unwrap().id;
    alice.add_reaction("lobby", id, "👍").await.unwrap();
    alice.poll_info("lobby", 0).await.unwrap();
    app.state.activity.flush(&app.state.db).await.unwrap();
    let out = stdout(&admin_on(&app, &["room", "show", "lobby"]).await);
    for line in [
        "Messages: 1 (0.0 MB)",
        "Attachments: 0 (0.0 MB)",
        "Reactions: 1; top 5: 👍 (1)",
        "Active users: 1 (1d), 1 (7d), 1 (14d), 1 (30d)",
        "Default permissions: +read, +write, +upload, +accessible",
        "Moderators: 0 admins (0 hidden), 0 moderators (0 hidden)",
    ] {
        assert!(out.contains(line), "missing {line:?} in\n{out}");
    }
}
