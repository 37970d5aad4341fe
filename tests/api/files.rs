//! Uploads and downloads (contents in PostgreSQL), lifetimes, room images.

use reqwest::Method;
use serde_json::json;
use sogs_client::{Client, Response};
use sogs_protocol::api::files::Uploaded;
use sogs_protocol::api::room_info::UpdateRoom;
use sogs_tests::{TestApp, TestUser};

/// A raw upload (no content type; `disposition` as given), for refusals and exact headers.
async fn upload(client: &Client, room: &str, body: Vec<u8>, disposition: Option<&str>) -> Response {
    let headers: Vec<(&str, &str)> = disposition
        .map(|d| ("Content-Disposition", d))
        .into_iter()
        .collect();
    client
        .request(
            Method::POST,
            &format!("/room/{room}/file"),
            &headers,
            Some(body),
        )
        .await
        .unwrap()
}

/// A typed upload of `bytes` to `room`: the new file's id.
async fn upload_id(client: &Client, room: &str, bytes: &[u8]) -> i64 {
    client
        .upload_file(room, bytes.to_vec(), None)
        .await
        .unwrap()
        .id
}

/// `client`'s post to the lobby with `files` attached: the new message's id.
async fn post_with_files(client: &Client, files: Vec<i64>) -> i64 {
    let mut post = client.signed_post(b"look");
    post.files = files;
    client.create_message("lobby", &post).await.unwrap().id
}

async fn lobby() -> TestApp {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    app
}

async fn expiry_of(app: &TestApp, id: i64) -> Option<f64> {
    sqlx::query_scalar("select expiry from files where id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_10_mb_upload_downloads_byte_identical_with_its_name() {
    let app = lobby().await;
    let alice = app.client_15(&TestUser::random());
    let content: Vec<u8> = (0..10_000_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let resp = upload(
        &alice,
        "lobby",
        content.clone(),
        Some("attachment; filename*=UTF-8''caf%C3%A9%20%F0%9F%8E%89.png"),
    )
    .await;
    assert_eq!(resp.status, 201, "{}", resp.text());
    let id = resp.json::<Uploaded>().unwrap().id;
    for path in [
        format!("/room/lobby/file/{id}"),
        format!("/room/lobby/file/{id}/anything.png"),
    ] {
        let down = app.client().get(&path).await.unwrap();
        assert_eq!(down.status, 200, "{path}");
        assert_eq!(
            down.content_type.as_deref(),
            Some("application/octet-stream")
        );
        assert!(
            down.body == content,
            "{path}: body differs ({} bytes)",
            down.body.len()
        );
    }
    let raw = reqwest::get(format!("{}/room/lobby/file/{id}", app.address))
        .await
        .unwrap();
    let header = |name: &str| {
        raw.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    assert_eq!(header("content-length"), Some(content.len().to_string()));
    assert_eq!(
        header("content-disposition").as_deref(),
        Some("attachment; filename*=UTF-8''caf%C3%A9%20%F0%9F%8E%89.png")
    );
    assert!(header("expires").is_some());
    let stored: String = sqlx::query_scalar("select filename from files")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, "café 🎉.png");
}

#[tokio::test]
async fn uploads_need_a_user_write_and_upload_and_a_sane_body() {
    let app = lobby().await;
    app.create_room("noupload", "rwa").await;
    let alice = app.client_15(&TestUser::random());
    assert_eq!(
        upload(&app.client(), "lobby", b"x".to_vec(), None)
            .await
            .status,
        401
    );
    let resp = upload(&alice, "noupload", b"x".to_vec(), None).await;
    assert_eq!(
        (resp.status, resp.text().as_str()),
        (403, "Permission denied")
    );
    assert_eq!(upload(&alice, "lobby", Vec::new(), None).await.status, 400);
    assert_eq!(
        upload(&alice, "nope", b"x".to_vec(), None).await.status,
        404
    );
    let count: i64 = sqlx::query_scalar("select count(*) from files")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(count, 0, "nothing is stored by refused uploads");
}

#[tokio::test]
async fn oversized_uploads_are_413_and_store_nothing() {
    let app = TestApp::spawn_with(|s| s.files.max_size_bytes = 1000).await;
    app.create_room("lobby", "rwua").await;
    let alice = app.client_15(&TestUser::random());
    let resp = upload(&alice, "lobby", vec![1; 1001], None).await;
    assert_eq!(
        (resp.status, resp.text().as_str()),
        (413, "File too large: the limit is 1000 bytes")
    );
    assert_eq!(
        upload(&alice, "lobby", vec![1; 1000], None).await.status,
        201
    );
    let direct = Client::new(&app.address).signed(alice.signer().unwrap().clone());
    let big = upload(&direct, "lobby", vec![0; 11 * 1024 * 1024], None).await;
    assert_eq!(big.status, 413, "the front door's body cap");
    let count: i64 = sqlx::query_scalar("select count(*) from files")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(count, 1);
}

#[tokio::test]
async fn downloads_check_read_permission_and_expiry() {
    let app = lobby().await;
    let alice = app.client_15(&TestUser::random());
    let id = upload_id(&alice, "lobby", b"data").await;
    app.create_room("other", "rwua").await;
    assert_eq!(
        app.client()
            .get(&format!("/room/other/file/{id}"))
            .await
            .unwrap()
            .status,
        404
    );
    assert_eq!(
        app.client()
            .get("/room/lobby/file/999")
            .await
            .unwrap()
            .text(),
        "No such file: 999"
    );
    app.sql(&format!("update files set expiry = 1 where id = {id}"))
        .await;
    assert_eq!(
        app.client()
            .get(&format!("/room/lobby/file/{id}"))
            .await
            .unwrap()
            .status,
        404
    );
    app.sql("update rooms set read = false").await;
    assert_eq!(
        app.client()
            .get(&format!("/room/lobby/file/{id}"))
            .await
            .unwrap()
            .status,
        403
    );
}

#[tokio::test]
async fn attaching_to_a_post_extends_life_and_deleting_the_post_expires_it() {
    let app = lobby().await;
    let (alice, bob) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    let mine = upload_id(&alice, "lobby", b"pic").await;
    let theirs = upload_id(&bob, "lobby", b"pic").await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64();
    assert!(
        (expiry_of(&app, mine).await.unwrap() - now - 3600.0).abs() < 60.0,
        "1 h until attached"
    );
    let id = post_with_files(&alice, vec![mine, theirs]).await;
    let expiry = expiry_of(&app, mine).await.unwrap();
    assert!(
        (expiry - now - 15.0 * 86400.0).abs() < 60.0,
        "15 days once attached: {expiry}"
    );
    assert!(
        (expiry_of(&app, theirs).await.unwrap() - now - 3600.0).abs() < 60.0,
        "no stealing another's upload"
    );
    alice.delete_message("lobby", id).await.unwrap();
    assert_eq!(
        expiry_of(&app, mine).await,
        Some(0.0),
        "expired with its post"
    );
}

#[tokio::test]
async fn a_room_image_never_expires_and_must_belong_to_the_room() {
    let app = lobby().await;
    app.create_room("other", "rwua").await;
    let admin = app.client_15(&TestUser::random());
    app.make_mod(&admin, Some("lobby"), true).await;
    let id = upload_id(&admin, "lobby", b"img").await;
    let foreign = upload_id(&admin, "other", b"img").await;
    let resp = admin
        .send_json(Method::PUT, "/room/lobby", &json!({"image": foreign}))
        .await
        .unwrap();
    assert_eq!(resp.status, 406);
    let image = UpdateRoom {
        image: Some(id),
        ..UpdateRoom::default()
    };
    admin.update_room("lobby", &image).await.unwrap();
    assert_eq!(expiry_of(&app, id).await, None);
    assert_eq!(app.client().room("lobby").await.unwrap().image_id, Some(id));
}

#[tokio::test]
async fn unpinning_gives_attachments_the_configured_lifetime_again() {
    for (days, expected) in [(15.0, Some(15.0 * 86400.0)), (0.0, None)] {
        let app = TestApp::spawn_with(|s| s.files.expiry_days = days).await;
        app.create_room("lobby", "rwua").await;
        let admin = app.client_15(&TestUser::random());
        app.make_mod(&admin, Some("lobby"), true).await;
        let file = upload_id(&admin, "lobby", b"pic").await;
        let id = post_with_files(&admin, vec![file]).await;
        admin.pin_message("lobby", id).await.unwrap();
        assert_eq!(expiry_of(&app, file).await, None, "pinned: permanent");
        admin.unpin_message("lobby", id).await.unwrap();
        let uploaded: f64 = sqlx::query_scalar("select uploaded from files where id = $1")
            .bind(file)
            .fetch_one(&app.db)
            .await
            .unwrap();
        assert_eq!(
            expiry_of(&app, file).await.map(|e| (e - uploaded).round()),
            expected,
            "expiry_days = {days}"
        );
    }
}
