//! `messages.max_size_bytes`: one cap on a message's decoded `data` for posts and edits, however
//! they arrive (direct, inside `/batch` and `/sequence`, inside an onion request).

use reqwest::Method;
use serde_json::{Value, json};
use sogs_client::Client;
use sogs_protocol::onion::EncType;
use sogs_tests::{TestApp, TestUser, b64};

/// A small cap, so that messages just past it stay far below every body limit.
const CAP: usize = 1000;

fn too_large(cap: usize) -> String {
    format!("Message too large: the limit is {cap} bytes")
}

/// A server with a cap of [`CAP`] bytes and no rate limit, a room `lobby` and a poster.
async fn capped_lobby() -> (TestApp, Client) {
    let app = TestApp::spawn_with(|s| {
        s.messages.max_size_bytes = CAP;
        s.messages.rate_limit_posts = 0;
    })
    .await;
    app.create_room("lobby", "rwua").await;
    let alice = app.client_15(&TestUser::random());
    (app, alice)
}

/// The `/batch` element that posts `data` to `lobby`.
fn post_element(client: &Client, data: &[u8]) -> Value {
    json!({"method": "POST", "path": "/room/lobby/message", "json": client.signed_post(data)})
}

#[tokio::test]
async fn a_post_one_byte_over_the_cap_is_refused_413_and_one_at_the_cap_is_posted() {
    let (app, alice) = capped_lobby().await;
    let over = alice
        .post_message("lobby", &[b'x'; CAP + 1], json!({}))
        .await
        .unwrap();
    assert_eq!((over.status, over.text()), (413, too_large(CAP)));
    let at = alice
        .post_message("lobby", &[b'x'; CAP], json!({}))
        .await
        .unwrap();
    assert_eq!(at.status, 201, "{}", at.text());
    let stored: Vec<i64> = sqlx::query_scalar("select data_size from messages")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, [CAP as i64], "only the post at the cap was stored");
}

#[tokio::test]
async fn an_edit_over_the_cap_is_refused_and_the_message_keeps_its_data() {
    let (app, alice) = capped_lobby().await;
    let posted: Value = alice
        .post_message("lobby", b"short", json!({}))
        .await
        .unwrap()
        .json()
        .unwrap();
    let id = posted["id"].as_i64().unwrap();
    let over = alice
        .edit_message("lobby", id, &[b'y'; CAP + 1])
        .await
        .unwrap();
    assert_eq!((over.status, over.text()), (413, too_large(CAP)));
    let data: Vec<u8> = sqlx::query_scalar("select data from messages where id = $1")
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(data, b"short");
    let at = alice.edit_message("lobby", id, &[b'y'; CAP]).await.unwrap();
    assert_eq!(at.status, 200, "{}", at.text());
}

#[tokio::test]
async fn batch_and_sequence_elements_over_the_cap_answer_413() {
    let (_app, alice) = capped_lobby().await;
    let over = post_element(&alice, &[b'x'; CAP + 1]);
    let at = post_element(&alice, &[b'x'; CAP]);
    assert_eq!(
        super::batch_codes(&alice, "/batch", &json!([over, at])).await,
        [413, 201]
    );
    assert_eq!(
        super::batch_codes(&alice, "/sequence", &json!([over, at])).await,
        [413]
    );
    let resp = alice
        .send_json(Method::POST, "/batch", &json!([over]))
        .await
        .unwrap();
    let results: Vec<Value> = resp.json().unwrap();
    assert_eq!(b64(&results[0]["body"]), too_large(CAP).as_bytes());
}

#[tokio::test]
async fn the_default_cap_applies_to_direct_posts_that_fit_the_body_limit() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let user = TestUser::random();
    let alice = app.client_15(&user);
    let direct = Client::new(&app.address).signed(alice.signer().unwrap().clone());
    // 70 KiB: about 93 KiB of base64, under the 128 KiB body limit of a direct post.
    let over = direct
        .post_message("lobby", &[b'x'; 70 * 1024], json!({}))
        .await
        .unwrap();
    assert_eq!((over.status, over.text()), (413, too_large(65_536)));
    let at = direct
        .post_message("lobby", &[b'x'; 65_536], json!({}))
        .await
        .unwrap();
    assert_eq!(at.status, 201, "{}", at.text());
}

#[tokio::test]
async fn an_onion_post_larger_than_the_direct_body_limit_is_refused_by_the_default_cap() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let alice = app
        .client_15(&TestUser::random())
        .via_onion(app.onion_config(EncType::Aes256Gcm));
    // 200 KiB: past the 128 KiB limit of a direct body, well within the onion body limit.
    let over = alice
        .post_message("lobby", &[b'x'; 200 * 1024], json!({}))
        .await
        .unwrap();
    assert_eq!((over.status, over.text()), (413, too_large(65_536)));
    let at = alice
        .post_message("lobby", &[b'x'; 65_536], json!({}))
        .await
        .unwrap();
    assert_eq!(at.status, 201, "{}", at.text());
    let sizes: Vec<i64> = sqlx::query_scalar("select data_size from messages")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert_eq!(sizes, [65_536]);
}
