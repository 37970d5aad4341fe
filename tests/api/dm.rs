//! Blinded direct messages: inbox, outbox, since (304), delete, bans; end-to-end encrypted.

use reqwest::Method;
use serde_json::{Value, json};
use sogs_client::e2e::blinded_dm;
use sogs_client::identity::Identity;
use sogs_protocol::api::dm::{InboxCleared, SentDirectMessage};
use sogs_protocol::encoding::{decode_b64, encode_b64};
use sogs_protocol::ids::BlindedId;
use sogs_tests::{TestApp, TestUser};

async fn send(app: &TestApp, from: &TestUser, to: &str, message: &[u8]) -> (u16, Value) {
    let resp = app
        .client_15(from)
        .send_json(
            Method::POST,
            &format!("/inbox/{to}"),
            &json!({"message": encode_b64(message)}),
        )
        .await
        .unwrap();
    (
        resp.status,
        resp.json().unwrap_or_else(|_| Value::String(resp.text())),
    )
}

#[tokio::test]
async fn an_encrypted_dm_reaches_the_inbox_and_the_outbox() {
    let app = TestApp::spawn().await;
    let (alice, bob) = (TestUser::random(), TestUser::random());
    let (alice_c, bob_c) = (app.client_15(&alice), app.client_15(&bob));
    let (alice_id, bob_id) = (alice_c.signer().unwrap().id(), bob_c.signer().unwrap().id());
    let server_pk = *app.state.keys.public();
    let unknown = alice_c.send_direct_message(&bob_id, b"x").await;
    assert_eq!(
        unknown.unwrap_err().status(),
        Some(404),
        "unknown recipient"
    );
    bob_c.inbox(None).await.unwrap();

    let sealed = blinded_dm::encrypt(
        &Identity::from_seed(&alice.seed),
        &server_pk,
        &BlindedId::parse(&bob_id).unwrap(),
        b"hi bob",
    )
    .unwrap();
    let (status, sent) = send(&app, &alice, &bob_id, &sealed).await;
    assert_eq!(status, 201, "{sent}");
    assert!(sent.get("message").is_none(), "the answer does not echo it");
    let sent: SentDirectMessage = serde_json::from_value(sent).unwrap();
    assert_eq!((sent.sender, sent.recipient), (alice_id, bob_id));

    let inbox = bob_c.inbox(None).await.unwrap();
    assert_eq!(inbox.len(), 1);
    let dm = &inbox[0];
    assert!(dm.expires_at > dm.posted_at + 14.0 * 86400.0);
    let opened = blinded_dm::decrypt(
        &Identity::from_seed(&bob.seed),
        &server_pk,
        &BlindedId::parse(&dm.sender).unwrap(),
        &BlindedId::parse(&dm.recipient).unwrap(),
        &decode_b64(&dm.message).unwrap(),
    )
    .unwrap();
    assert_eq!(opened.message, b"hi bob");
    assert_eq!(opened.sender, Identity::from_seed(&alice.seed).session_id());

    let outbox = alice_c.outbox(None).await.unwrap();
    assert_eq!(outbox[0].id, dm.id);
    let id = dm.id;
    // Nothing new is a 304 with an empty body (which the typed calls read as no messages).
    let none = bob_c.get(&format!("/inbox/since/{id}")).await.unwrap();
    assert_eq!((none.status, none.body.len()), (304, 0));
    assert!(alice_c.outbox_since(id, None).await.unwrap().is_empty());
    assert_eq!(bob_c.inbox_since(id - 1, None).await.unwrap().len(), 1);

    let deleted = bob_c.clear_inbox().await.unwrap();
    assert_eq!(deleted, InboxCleared { deleted: 1 });
    assert!(alice_c.outbox(None).await.unwrap().is_empty(), "one table");
    let db_bodies: Vec<Vec<u8>> = sqlx::query_scalar("select body from inbox")
        .fetch_all(&app.db)
        .await
        .unwrap();
    assert!(
        db_bodies
            .iter()
            .all(|b| !b.windows(6).any(|w| w == b"hi bob"))
    );
}

#[tokio::test]
async fn dm_endpoints_need_a_blinded_user_and_a_valid_body() {
    let app = TestApp::spawn_with(|s| s.users.require_blind_keys = false).await;
    let resp = app.client().get("/inbox").await.unwrap();
    assert_eq!(
        (resp.status, resp.text().as_str()),
        (401, "X-SOGS-* request authentication required")
    );
    let unblinded = app.client_as(
        &TestUser::random(),
        sogs_protocol::signing::AuthScheme::Unblinded,
    );
    let resp = unblinded.get("/inbox").await.unwrap();
    assert_eq!(
        (resp.status, resp.text().as_str()),
        (401, "This endpoint requires blinded pubkeys be used")
    );
    let bob = app.client_15(&TestUser::random());
    bob.inbox(None).await.unwrap();
    let bob_id = bob.signer().unwrap().id();
    let alice = app.client_15(&TestUser::random());
    for body in [
        json!({}),
        json!({"message": "!!"}),
        json!({"message": 5}),
        json!([]),
    ] {
        let resp = alice
            .send_json(Method::POST, &format!("/inbox/{bob_id}"), &body)
            .await
            .unwrap();
        assert_eq!(resp.status, 400, "{body}");
    }
    assert_eq!(
        alice
            .send_json(Method::POST, "/inbox/05abc", &json!({"message": "aGk="}))
            .await
            .unwrap()
            .status,
        404
    );
}

#[tokio::test]
async fn banned_users_neither_send_nor_receive() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let (alice, bob, carol) = (TestUser::random(), TestUser::random(), TestUser::random());
    for u in [&alice, &bob, &carol] {
        app.client_15(u).inbox(None).await.unwrap();
    }
    let bob_id = app.client_15(&bob).signer().unwrap().id();
    let carol_id = app.client_15(&carol).signer().unwrap().id();
    app.sql(&format!(
        "update users set banned = true where session_id = '{bob_id}'"
    ))
    .await;
    assert_eq!(
        send(&app, &alice, &bob_id, b"x").await.0,
        404,
        "a globally banned recipient"
    );
    let banned = app.client_15(&bob).inbox(None).await.unwrap_err();
    assert_eq!(banned.status(), Some(403));
    app.sql(&format!(
        r#"insert into user_permission_overrides (room, "user", banned)
           select 1, id, true from users where session_id = '{}'"#,
        app.client_15(&alice).signer().unwrap().id()
    ))
    .await;
    let (status, text) = send(&app, &alice, &carol_id, b"x").await;
    assert_eq!(
        (status, text),
        (403, json!("Banned users cannot send direct messages"))
    );
}

#[tokio::test]
async fn dms_from_room_banned_senders_pass_when_the_option_is_off() {
    let app = TestApp::spawn_with(|s| s.direct_messages.refuse_from_banned = false).await;
    app.create_room("lobby", "rwua").await;
    let (alice, carol) = (TestUser::random(), TestUser::random());
    let carol_id = app.client_15(&carol).signer().unwrap().id();
    app.client_15(&carol).inbox(None).await.unwrap();
    let alice_c = app.client_15(&alice);
    alice_c.inbox(None).await.unwrap();
    app.sql(&format!(r#"insert into user_permission_overrides (room, "user", banned) select 1, id, true from users where session_id = '{}'"#, alice_c.signer().unwrap().id())).await;
    alice_c.send_direct_message(&carol_id, b"x").await.unwrap();
}
