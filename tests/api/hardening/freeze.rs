//! When PostgreSQL stops answering without going away (SIGSTOP, a network partition): requests
//! get 503 within the documented bounds instead of hanging, a post is never answered 201
//! unless it was committed, and service resumes once the database answers again. Also the
//! server-side half: `statement_timeout` on every pooled connection.

use std::time::{Duration, Instant};

use serde_json::json;
use sogs_client::Client;
use sogs_server::config::Settings;
use sogs_tests::outage::DbProxy;
use sogs_tests::{TestApp, TestDatabase, TestUser};

/// `db.acquire_timeout_secs` of these tests: the bound of a signed request.
const ACQUIRE: Duration = Duration::from_secs(1);
/// `db.statement_timeout_secs` of these tests: the bound of any request.
const STATEMENT: Duration = Duration::from_secs(2);
/// What a loaded test machine may add to a bound.
const MARGIN: Duration = Duration::from_millis(500);

fn settings(s: &mut Settings) {
    s.db.acquire_timeout_secs = ACQUIRE.as_secs_f64();
    s.db.statement_timeout_secs = STATEMENT.as_secs_f64();
    s.messages.rate_limit_posts = 0;
}

/// A server whose pool goes through a proxy the test can freeze, with a room `lobby`.
async fn frozen_later() -> (TestApp, DbProxy) {
    let database = TestDatabase::create().await;
    let proxy = DbProxy::start(&database).await;
    let mut db_settings = Settings::default();
    settings(&mut db_settings);
    let pool = proxy.pool(&database, &db_settings.db);
    let app = TestApp::spawn_on(database, pool, settings).await;
    app.create_room("lobby", "rwua").await;
    (app, proxy)
}

/// Posts `text` as `client`: the status and the time the answer took.
async fn timed_post(client: &Client, text: &str) -> (u16, Duration) {
    let started = Instant::now();
    let resp = client
        .post_message("lobby", text.as_bytes(), json!({}))
        .await
        .unwrap();
    (resp.status, started.elapsed())
}

/// How many stored messages carry `text`.
async fn copies(app: &TestApp, text: &str) -> i64 {
    sqlx::query_scalar("select count(*) from messages where data = $1")
        .bind(text.as_bytes())
        .fetch_one(&app.db)
        .await
        .unwrap()
}

/// Retries a post until it is accepted, within 20 s of the database answering again.
async fn post_until_accepted(client: &Client, text: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, _) = timed_post(client, text).await;
        if status == 201 {
            return;
        }
        assert!(Instant::now() < deadline, "still {status} after the thaw");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn signed_requests_to_a_frozen_database_answer_503_within_the_acquire_timeout() {
    let (app, proxy) = frozen_later().await;
    let alice = app.client_15(&TestUser::random());
    // With the caches in use (and alice in them) the nonce is the request's only database work.
    while !app.state.caches.enabled() {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(alice.get("/room/lobby").await.unwrap().status, 200);
    proxy.freeze();
    // Staggered, so that later requests queue behind the nonce writers' earlier batches.
    let requests: Vec<_> = (0..12u64)
        .map(|i| {
            let alice = alice.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(i * 100)).await;
                let started = Instant::now();
                let resp = alice.get("/room/lobby").await.unwrap();
                (resp.status, resp.text(), started.elapsed())
            })
        })
        .collect();
    for request in requests {
        let (status, text, took) = request.await.unwrap();
        assert_eq!(
            (status, text.as_str()),
            (503, "Database unavailable: try again shortly")
        );
        assert!(took < ACQUIRE + MARGIN, "answered after {took:?}");
    }
    proxy.thaw();
    let deadline = Instant::now() + Duration::from_secs(20);
    while alice.get("/room/lobby").await.unwrap().status != 200 {
        assert!(Instant::now() < deadline, "no service after the thaw");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_post_in_flight_when_the_database_freezes_answers_503_and_is_never_answered_201_uncommitted()
 {
    let (app, proxy) = frozen_later().await;
    let alice = app.client_15(&TestUser::random());
    // The room's row lock (every post raises the room's sequence) holds the post inside its
    // transaction until the database is frozen.
    let mut lock = app.db.begin().await.unwrap();
    sqlx::query("select 1 from rooms where token = 'lobby' for update")
        .execute(&mut *lock)
        .await
        .unwrap();
    let poster = alice.clone();
    let in_flight = tokio::spawn(async move { timed_post(&poster, "in flight").await });
    tokio::time::sleep(Duration::from_millis(300)).await;
    proxy.freeze();
    lock.rollback().await.unwrap();
    let answered = tokio::time::timeout(STATEMENT + Duration::from_secs(5), in_flight).await;
    let (status, took) = answered
        .expect("the post still hangs on the frozen database")
        .unwrap();
    assert_eq!(status, 503);
    assert!(took < STATEMENT + MARGIN, "answered after {took:?}");

    proxy.thaw();
    post_until_accepted(&alice, "after the thaw").await;
    assert!(
        copies(&app, "in flight").await <= 1,
        "answered 503; stored at most once"
    );
    assert_eq!(copies(&app, "after the thaw").await, 1);
}

#[tokio::test]
async fn posts_racing_a_freeze_get_201_only_when_committed_and_are_never_duplicated() {
    let (app, proxy) = frozen_later().await;
    let alice = app.client_15(&TestUser::random());
    assert_eq!(timed_post(&alice, "warm-up").await.0, 201);
    let posts: Vec<_> = (0..40u64)
        .map(|i| {
            let alice = alice.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(i * 5)).await;
                let text = format!("race {i}");
                let (status, took) = timed_post(&alice, &text).await;
                (text, status, took)
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(100)).await;
    proxy.freeze();
    let mut answers = Vec::new();
    for post in posts {
        let answered = tokio::time::timeout(STATEMENT + Duration::from_secs(5), post).await;
        answers.push(
            answered
                .expect("a post hangs on the frozen database")
                .unwrap(),
        );
    }
    proxy.thaw();
    post_until_accepted(&alice, "after the thaw").await;
    for (text, status, took) in answers {
        assert!(took < STATEMENT + MARGIN, "{text}: answered after {took:?}");
        let stored = copies(&app, &text).await;
        match status {
            201 => assert_eq!(stored, 1, "{text} was answered 201"),
            503 => assert!(stored <= 1, "{text} was stored {stored} times"),
            other => panic!("{text}: {other}"),
        }
    }
}

#[tokio::test]
async fn pooled_connections_carry_the_statement_timeout_and_a_slower_statement_is_cancelled() {
    let database = TestDatabase::create().await;
    let proxy = DbProxy::start(&database).await;
    let mut settings = Settings::default();
    settings.db.statement_timeout_secs = 1.0;
    let pool = proxy.pool(&database, &settings.db);
    let shown: String = sqlx::query_scalar("show statement_timeout")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(shown, "1s");
    let started = Instant::now();
    let err = sqlx::query("select pg_sleep(10)")
        .execute(&pool)
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5), "not cancelled");
    let code = err.as_database_error().and_then(|e| e.code());
    assert_eq!(code.as_deref(), Some("57014"), "{err}");
    assert!(
        sogs_server::storage::is_unreachable(&err),
        "a cancelled statement is a 503, not a 500"
    );
}

#[tokio::test]
async fn migrations_run_without_the_statement_timeout() {
    let database = TestDatabase::create().await;
    let pool = database.pool().await;
    // An empty database: every migration runs again.
    sqlx::raw_sql("drop schema public cascade; create schema public")
        .execute(&pool)
        .await
        .unwrap();
    let mut settings = Settings::default();
    settings.db.url = database.url.clone();
    settings.db.statement_timeout_secs = 0.001;
    let db = sogs_server::storage::Database::open(&settings)
        .await
        .unwrap();
    db.migrate().await.expect("migrations are not cancelled");
    let shown: String = sqlx::query_scalar("show statement_timeout")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(shown, "1ms", "the pool keeps its timeout");
    db.close().await.unwrap();
}

#[tokio::test]
async fn a_batch_element_caught_by_the_freeze_answers_503_and_the_others_keep_their_answers() {
    let (app, proxy) = frozen_later().await;
    let alice = app.client_15(&TestUser::random());
    assert_eq!(timed_post(&alice, "warm-up").await.0, 201);
    // As above: the room's row lock holds the batch's post until the database is frozen.
    let mut lock = app.db.begin().await.unwrap();
    sqlx::query("select 1 from rooms where token = 'lobby' for update")
        .execute(&mut *lock)
        .await
        .unwrap();
    let data = sogs_tests::padded(b"in a batch");
    let signature = alice.signer().unwrap().sign_data(&data);
    let encode = sogs_protocol::encoding::encode_b64;
    let elements = json!([
        {"method": "GET", "path": "/capabilities"},
        {"method": "POST", "path": "/room/lobby/message",
         "json": {"data": encode(&data), "signature": encode(&signature)}},
        {"method": "GET", "path": "/capabilities"},
    ]);
    let batcher = alice.clone();
    let in_flight = tokio::spawn(async move {
        let started = Instant::now();
        let results = super::batch_codes(&batcher, "/batch", &elements).await;
        (results, started.elapsed())
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    proxy.freeze();
    lock.rollback().await.unwrap();
    let answered = tokio::time::timeout(STATEMENT + Duration::from_secs(5), in_flight).await;
    let (codes, took) = answered.expect("the batch hangs").unwrap();
    assert_eq!(
        codes,
        [200, 503, 503],
        "the first answer is kept, the third not executed"
    );
    assert!(took < STATEMENT + MARGIN, "answered after {took:?}");
    proxy.thaw();
}
