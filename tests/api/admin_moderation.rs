//! The built `sogs-admin` binary: moderators, bans, permissions, purges and the moderation log.

use serde_json::{Value, json};
use sogs_tests::{TestApp, TestUser, padded};

use crate::admin_cli::{admin_on, stderr, stdout};

#[tokio::test]
async fn moderators_appointed_and_bans_set_with_the_cli_apply_and_are_logged() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let person = TestUser::random();
    let sid = person.session_id().to_string();
    let out = admin_on(&app, &["moderator", "add", &sid, "--room", "lobby"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let client = app.client_15(&person);
    assert_eq!(client.room("lobby").await.unwrap().moderator, Some(true));
    assert!(
        !admin_on(&app, &["moderator", "add", &sid])
            .await
            .status
            .success()
    );

    let user = app.client_15(&TestUser::random());
    let uid = user.signer().unwrap().id();
    user.room("lobby").await.unwrap();
    let out = admin_on(&app, &["ban", &uid, "--room", "lobby", "--duration", "2h"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(user.get("/room/lobby").await.unwrap().status, 404);
    assert!(
        !admin_on(&app, &["ban", &uid, "--global", "--duration", "2y"])
            .await
            .status
            .success()
    );
    let out = admin_on(&app, &["unban", &uid, "--room", "lobby"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    user.room("lobby").await.unwrap();
    let logged: Vec<String> =
        sqlx::query_scalar("select action from moderation_log where actor is null order by id")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(logged, ["add_moderator", "ban", "unban"]);
}

#[tokio::test]
async fn global_moderators_are_listed_hidden_by_default() {
    let app = TestApp::spawn().await;
    let (a, m) = (
        TestUser::random().session_id().to_string(),
        TestUser::random().session_id().to_string(),
    );
    assert!(
        admin_on(&app, &["moderator", "add", &a, "--global", "--admin"])
            .await
            .status
            .success()
    );
    assert!(
        admin_on(&app, &["moderator", "add", &m, "--global", "--visible"])
            .await
            .status
            .success()
    );
    let text = stdout(&admin_on(&app, &["moderator", "list"]).await);
    assert!(
        text.starts_with("1 global admins (1 hidden), 1 moderators (0 hidden):"),
        "{text}"
    );
    assert!(
        text.contains(&format!("- {a} (hidden admin)"))
            && text.contains(&format!("- {m} (moderator)")),
        "{text}"
    );
    let listed: Value = serde_json::from_slice(
        &admin_on(&app, &["moderator", "list", "--json"])
            .await
            .stdout,
    )
    .unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert!(
        admin_on(&app, &["moderator", "remove", &m, "--global"])
            .await
            .status
            .success()
    );
    assert!(
        stdout(&admin_on(&app, &["moderator", "list"]).await)
            .starts_with("1 global admins (1 hidden), 0 moderators")
    );
}

#[tokio::test]
async fn perms_set_changes_room_defaults_and_user_overrides() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let out = admin_on(&app, &["perms", "set", "lobby", "--remove", "wu", "--json"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap()["default_permissions"],
        "ra"
    );
    let person = TestUser::random();
    let client = app.client_15(&person);
    let uid = client.signer().unwrap().id();
    assert!(
        admin_on(
            &app,
            &["perms", "set", "lobby", "--user", &uid, "--add", "w"]
        )
        .await
        .status
        .success()
    );
    let hi = client.signed_post(&padded(b"hi"));
    client.create_message("lobby", &hi).await.unwrap();
    assert!(
        admin_on(
            &app,
            &["perms", "set", "lobby", "--user", &uid, "--clear", "w"]
        )
        .await
        .status
        .success()
    );
    assert_eq!(
        client
            .post_message("lobby", &padded(b"hi"), json!({}))
            .await
            .unwrap()
            .status,
        403
    );
    for bad in [
        &["perms", "set", "lobby", "--clear", "r"][..],
        &["perms", "set", "lobby", "--add", "r", "--remove", "r"],
        &["perms", "set", "lobby"],
    ] {
        assert!(!admin_on(&app, bad).await.status.success(), "{bad:?}");
    }
}

#[tokio::test]
async fn user_purge_confirms_deletes_and_is_logged() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let client = app.client_15(&TestUser::random());
    let uid = client.signer().unwrap().id();
    for _ in 0..2 {
        let spam = client.signed_post(&padded(b"spam"));
        client.create_message("lobby", &spam).await.unwrap();
    }
    assert!(
        !admin_on(&app, &["user", "purge", &uid])
            .await
            .status
            .success(),
        "purged without confirmation"
    );
    let out = admin_on(
        &app,
        &["user", "purge", &uid, "--room", "lobby", "--yes", "--json"],
    )
    .await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        json!({"total": 2, "rooms": {"lobby": 2}})
    );
    let log: Value = serde_json::from_slice(
        &admin_on(
            &app,
            &["modlog", "--room", "lobby", "--since", "1h", "--json"],
        )
        .await
        .stdout,
    )
    .unwrap();
    assert_eq!(log[0]["action"], "delete_all_posts");
    assert_eq!(log[0]["target"], uid);
    assert!(stdout(&admin_on(&app, &["modlog"]).await).contains("(operator) delete_all_posts"));
}

#[tokio::test]
async fn room_update_image_and_delete_by_the_cli_are_logged() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let image = app.data_dir.path().join("logo.png");
    std::fs::write(&image, b"\x89PNG fake image").unwrap();
    succeed(&app, &["room", "update", "lobby", "--name", "The Lobby"]).await;
    succeed(&app, &["room", "image", "lobby", image.to_str().unwrap()]).await;
    let log = modlog(&app, &["--room", "lobby"]).await;
    assert_eq!(actions(&log), ["update_room", "set_room_image"]);
    assert_eq!(log[0]["actor"], Value::Null);
    assert_eq!(details(&log[0])["fields"], json!(["name"]));

    succeed(&app, &["room", "delete", "lobby", "--yes"]).await;
    let log = modlog(&app, &[]).await;
    assert_eq!(
        actions(&log),
        ["update_room", "set_room_image", "delete_room"]
    );
    // The room is gone (its column is NULL now); the entry keeps its token.
    assert_eq!(details(&log[2])["token"], "lobby");
    assert!(stdout(&admin_on(&app, &["modlog"]).await).contains("delete_room"));
}

async fn succeed(app: &TestApp, args: &[&str]) {
    let out = admin_on(app, args).await;
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
}

async fn modlog(app: &TestApp, filter: &[&str]) -> Value {
    let mut args = vec!["modlog", "--since", "1h", "--json"];
    args.extend_from_slice(filter);
    serde_json::from_slice(&admin_on(app, &args).await.stdout).unwrap()
}

fn actions(log: &Value) -> Vec<&str> {
    let entries = log.as_array().unwrap().iter();
    entries.map(|e| e["action"].as_str().unwrap()).collect()
}

fn details(entry: &Value) -> Value {
    serde_json::from_str(entry["details"].as_str().unwrap()).unwrap()
}
