//! X-SOGS request authentication (spec §3): every error path with its exact status and text.

use reqwest::Method;
use sogs_client::{Client, Response};
use sogs_protocol::signing::AuthScheme;
use sogs_tests::binaries::ServerProcess;
use sogs_tests::{TestApp, TestUser};

const PATH: &str = "/room/lobby";

async fn app_with_lobby() -> TestApp {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    app
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Sends GET `PATH` signed by `user` with a chosen nonce and timestamp.
async fn get_signed(app: &TestApp, client: &Client, nonce: [u8; 16], timestamp: i64) -> Response {
    let headers = client
        .signer()
        .unwrap()
        .sign(&nonce, timestamp, "GET", PATH, b"");
    app.client()
        .send(Method::GET, PATH, &headers.pairs(), None)
        .await
        .unwrap()
}

fn assert_status(resp: &Response, status: u16, text: &str) {
    assert_eq!((resp.status, resp.text().as_str()), (status, text));
}

async fn user_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from users where id <> 0")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn blind15_and_blind25_clients_are_authenticated_as_one_user() {
    let app = app_with_lobby().await;
    let alice = TestUser::random();
    let c15 = app.client_15(&alice);
    let c25 = app.client_as(&alice, AuthScheme::Blind25);
    assert_eq!(c25.room("lobby").await.unwrap().token, "lobby");
    assert_eq!(c15.room("lobby").await.unwrap().token, "lobby");
    assert_eq!(user_count(&app).await, 1);
    // A flag set on the user is seen under both ids.
    app.sql("update users set moderator = true, admin = true where id <> 0")
        .await;
    for client in [&c15, &c25] {
        let room = client.room("lobby").await.unwrap();
        assert_eq!((room.moderator, room.admin), (Some(true), Some(true)));
    }
    let stored: String = sqlx::query_scalar("select session_id from users where id <> 0")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(
        stored,
        c25.signer().unwrap().id(),
        "the first-seen id is kept"
    );
}

#[tokio::test]
async fn requests_without_headers_stay_anonymous_and_create_no_user() {
    let app = app_with_lobby().await;
    let room = app.client().room("lobby").await.unwrap();
    assert_eq!(room.moderator, None);
    assert_eq!(user_count(&app).await, 0);
}

#[tokio::test]
async fn partial_or_empty_headers_are_400_with_the_missing_count() {
    let app = app_with_lobby().await;
    let signer = app.client_15(&TestUser::random()).signer().unwrap().clone();
    let h = signer.sign_now("GET", PATH, b"");
    let all = h.pairs();
    for missing in 1..=3usize {
        let present: Vec<_> = all.iter().skip(missing).copied().collect();
        let resp = app
            .client()
            .send(Method::GET, PATH, &present, None)
            .await
            .unwrap();
        let text = format!(
            "Invalid authentication headers: missing {missing}/4 required X-SOGS-* headers"
        );
        assert_status(&resp, 400, &text);
    }
    let mut with_empty = all.to_vec();
    with_empty[1].1 = "";
    let resp = app
        .client()
        .send(Method::GET, PATH, &with_empty, None)
        .await
        .unwrap();
    assert_status(
        &resp,
        400,
        "Invalid authentication headers: missing 1/4 required X-SOGS-* headers",
    );
}

#[tokio::test]
async fn a_replayed_nonce_is_425() {
    let app = app_with_lobby().await;
    let client = app.client_15(&TestUser::random());
    let nonce = [7u8; 16];
    assert_eq!(get_signed(&app, &client, nonce, now()).await.status, 200);
    let again = get_signed(&app, &client, nonce, now()).await;
    assert_status(
        &again,
        425,
        "Invalid authentication: X-SOGS-Nonce cannot be reused",
    );
    // Nonces are global: another user cannot use it either.
    let other = app.client_15(&TestUser::random());
    assert_eq!(get_signed(&app, &other, nonce, now()).await.status, 425);
}

#[tokio::test]
async fn a_nonce_replayed_to_a_second_server_process_on_the_same_database_is_425() {
    let app = app_with_lobby().await;
    let data_dir = app.data_dir.path().to_str().unwrap().to_owned();
    let second =
        ServerProcess::start(&["--data-dir", &data_dir, "--database-url", &app.database.url]);
    let client = app.client_15(&TestUser::random());
    let headers = client
        .signer()
        .unwrap()
        .sign(&[9u8; 16], now(), "GET", PATH, b"");
    let first = app
        .client()
        .send(Method::GET, PATH, &headers.pairs(), None)
        .await
        .unwrap();
    assert_eq!(first.status, 200);
    let replay = Client::new(&second.address)
        .send(Method::GET, PATH, &headers.pairs(), None)
        .await
        .unwrap();
    assert_status(
        &replay,
        425,
        "Invalid authentication: X-SOGS-Nonce cannot be reused",
    );
}

#[tokio::test]
async fn a_failed_signature_is_401_and_still_burns_its_nonce() {
    let app = app_with_lobby().await;
    let client = app.client_15(&TestUser::random());
    client.room("lobby").await.unwrap(); // a known user
    let nonce = [3u8; 16];
    let good = client
        .signer()
        .unwrap()
        .sign(&nonce, now(), "GET", PATH, b"");
    let mut forged = good.clone();
    forged.signature_b64 = client
        .signer()
        .unwrap()
        .sign(&nonce, now(), "GET", "/room/other", b"")
        .signature_b64;
    let resp = app
        .client()
        .send(Method::GET, PATH, &forged.pairs(), None)
        .await
        .unwrap();
    assert_status(
        &resp,
        401,
        "Invalid authentication: X-SOGS-Signature verification failed",
    );
    let resp = app
        .client()
        .send(Method::GET, PATH, &good.pairs(), None)
        .await
        .unwrap();
    assert_status(
        &resp,
        425,
        "Invalid authentication: X-SOGS-Nonce cannot be reused",
    );
}

#[tokio::test]
async fn timestamps_within_a_day_pass_and_beyond_are_425() {
    let app = app_with_lobby().await;
    let client = app.client_15(&TestUser::random());
    for (i, offset) in [-86_399i64, 86_399].into_iter().enumerate() {
        assert_eq!(
            get_signed(&app, &client, [i as u8 + 40; 16], now() + offset)
                .await
                .status,
            200,
            "{offset}"
        );
    }
    for (i, offset) in [-86_402i64, 86_402].into_iter().enumerate() {
        let resp = get_signed(&app, &client, [i as u8 + 50; 16], now() + offset).await;
        assert_status(
            &resp,
            425,
            "Invalid authentication: X-SOGS-Timestamp is too far from current time",
        );
    }
}

#[tokio::test]
async fn unblinded_keys_are_refused_when_blinding_is_required() {
    let app = app_with_lobby().await;
    let client = app.client_as(&TestUser::random(), AuthScheme::Unblinded);
    let resp = client.request(Method::GET, PATH, &[], None).await.unwrap();
    assert_status(
        &resp,
        400,
        "Invalid authentication: this server requires the use of blinded ids",
    );
    // Even when another header is malformed, the pubkey rule is reported first.
    let mut h = client.signer().unwrap().sign_now("GET", PATH, b"");
    h.nonce_b64 = "short".into();
    let resp = app
        .client()
        .send(Method::GET, PATH, &h.pairs(), None)
        .await
        .unwrap();
    assert_status(
        &resp,
        400,
        "Invalid authentication: this server requires the use of blinded ids",
    );
}

#[tokio::test]
async fn unblinded_keys_authenticate_as_05_ids_when_blinding_is_off() {
    let app = TestApp::spawn_with(|s| s.users.require_blind_keys = false).await;
    app.create_room("lobby", "rwua").await;
    let user = TestUser::random();
    let client = app.client_as(&user, AuthScheme::Unblinded);
    assert_eq!(client.room("lobby").await.unwrap().token, "lobby");
    let stored: String = sqlx::query_scalar("select session_id from users where id <> 0")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, user.session_id().as_str());
}

#[tokio::test]
async fn a_globally_banned_user_is_403_before_the_signature_is_checked() {
    let app = app_with_lobby().await;
    let client = app.client_15(&TestUser::random());
    client.room("lobby").await.unwrap();
    app.sql("update users set banned = true where id <> 0")
        .await;
    let resp = client.request(Method::GET, PATH, &[], None).await.unwrap();
    assert_status(&resp, 403, "Banned");
    let mut forged = client.signer().unwrap().sign_now("GET", PATH, b"");
    forged.signature_b64 = "A".repeat(86);
    let resp = app
        .client()
        .send(Method::GET, PATH, &forged.pairs(), None)
        .await
        .unwrap();
    assert_status(&resp, 403, "Banned");
}

#[tokio::test]
async fn authentication_touches_last_active() {
    let app = app_with_lobby().await;
    let client = app.client_15(&TestUser::random());
    client.room("lobby").await.unwrap();
    app.sql("update users set last_active = 1000 where id <> 0")
        .await;
    client.room("lobby").await.unwrap();
    // Activity is written behind, at most a second later: flush now rather than wait.
    app.state.activity.flush(&app.state.db).await.unwrap();
    let last: f64 = sqlx::query_scalar("select last_active from users where id <> 0")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert!(last > 1.6e9, "{last}");
}

#[tokio::test]
async fn a_moderator_appointed_by_05_id_is_moderator_at_first_blinded_login() {
    for scheme in [AuthScheme::Blind15, AuthScheme::Blind25] {
        let app = app_with_lobby().await;
        let bob = TestUser::random();
        let server_pk = *app.state.keys.public();
        let session = bob.session_id();
        let [abs, _neg] =
            sogs_protocol::blinding::blind15_candidates(&session, &server_pk).unwrap();
        let b25 = sogs_protocol::blinding::blind25_from_session(&session, &server_pk).unwrap();
        let old = sogs_server::storage::users::record_needs_blinding(
            &app.db,
            session.as_str(),
            abs.as_str(),
            b25.as_str(),
        )
        .await
        .unwrap();
        app.sql(&format!(
            "update users set moderator = true where id = {old}"
        ))
        .await;
        let room = app.client_as(&bob, scheme).room("lobby").await.unwrap();
        assert_eq!(room.moderator, Some(true), "{scheme:?}: {room:?}");
        let old_flags: (bool, i64) = sqlx::query_as(
            "select moderator, (select count(*) from needs_blinding) from users where id = $1",
        )
        .bind(old)
        .fetch_one(&app.db)
        .await
        .unwrap();
        assert_eq!(old_flags, (false, 0), "{scheme:?}");
    }
}

#[tokio::test]
async fn an_unknown_key_with_a_bad_signature_is_401_and_creates_no_user() {
    let app = app_with_lobby().await;
    let client = app.client_15(&TestUser::random());
    let mut forged = client.signer().unwrap().sign_now("GET", PATH, b"");
    forged.signature_b64 = client
        .signer()
        .unwrap()
        .sign_now("GET", "/elsewhere", b"")
        .signature_b64;
    let resp = app
        .client()
        .send(Method::GET, PATH, &forged.pairs(), None)
        .await
        .unwrap();
    assert_status(
        &resp,
        401,
        "Invalid authentication: X-SOGS-Signature verification failed",
    );
    assert_eq!(user_count(&app).await, 0);
}
