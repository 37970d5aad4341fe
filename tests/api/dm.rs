//! Blinded direct messages: inbox, outbox, since (304), delete, bans; end-to-end encrypted.

use reqwest::Method;
use serde_json::{Value, json};
use sogs_client::e2e::blinded_dm;
use sogs_client::identity::Identity;
use sogs_protocol::encoding::encode_b64;
use sogs_protocol::ids::BlindedId;
use sogs_tests::{TestApp, TestUser, b64};

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
    assert_eq!(
        send(&app, &alice, &bob_id, b"x").await.0,
        404,
        "unknown recipient"
    );
    bob_c.get("/inbox").await.unwrap();

    let sealed = blinded_dm::encrypt(
        &Identity::from_seed(&alice.seed),
        &server_pk,
        &BlindedId::parse(&bob_id).unwrap(),
        b"hi bob",
    )
    .unwrap();
    let (status, sent) = send(&app, &alice, &bob_id, &sealed).await;
    assert_eq!(status, 201, "{sent}");
    assert_eq!(
        (sent["sender"].clone(), sent["recipient"].clone()),
        (json!(alice_id), json!(bob_id))
    );
    assert!(sent.get("message").is_none());

    let inbox: Value = bob_c.get("/inbox").await.unwrap().json().unwrap();
    assert_eq!(inbox.as_array().unwrap().len(), 1);
    let dm = &inbox[0];
    assert!(
        dm["expires_at"].as_f64().unwrap() > dm["posted_at"].as_f64().unwrap() + 14.0 * 86400.0
    );
    let opened = blinded_dm::decrypt(
        &Identity::from_seed(&bob.seed),
        &server_pk,
        &BlindedId::parse(dm["sender"].as_str().unwrap()).unwrap(),
        &BlindedId::parse(dm["recipient"].as_str().unwrap()).unwrap(),
        &b64(&dm["message"]),
    )
    .unwrap();
    assert_eq!(opened.message, b"hi bob");
    assert_eq!(opened.sender, Identity::from_seed(&alice.seed).session_id());

    let outbox: Value = alice_c.get("/outbox").await.unwrap().json().unwrap();
    assert_eq!(outbox[0]["id"], dm["id"]);
    let id = dm["id"].as_i64().unwrap();
    let none = bob_c.get(&format!("/inbox/since/{id}")).await.unwrap();
    assert_eq!((none.status, none.body.len()), (304, 0));
    assert_eq!(
        alice_c
            .get(&format!("/outbox/since/{id}"))
            .await
            .unwrap()
            .status,
        304
    );
    assert_eq!(
        bob_c
            .get(&format!("/inbox/since/{}", id - 1))
            .await
            .unwrap()
            .status,
        200
    );

    let deleted: Value = bob_c
        .request(Method::DELETE, "/inbox", &[], None)
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(deleted, json!({"deleted": 1}));
    assert!(
        alice_c
            .get("/outbox")
            .await
            .unwrap()
            .json::<Value>()
            .unwrap()
            .as_array()
            .unwrap()
            .is_empty(),
        "one table"
    );
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
    bob.get("/inbox").await.unwrap();
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
        app.client_15(u).get("/inbox").await.unwrap();
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
    assert_eq!(app.client_15(&bob).get("/inbox").await.unwrap().status, 403);
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
    app.client_15(&carol).get("/inbox").await.unwrap();
    let alice_c = app.client_15(&alice);
    alice_c.get("/inbox").await.unwrap();
    app.sql(&format!(r#"insert into user_permission_overrides (room, "user", banned) select 1, id, true from users where session_id = '{}'"#, alice_c.signer().unwrap().id())).await;
    assert_eq!(
        send(
            &app,
            &alice,
            &app.client_15(&carol).signer().unwrap().id(),
            b"x"
        )
        .await
        .0,
        201
    );
}
