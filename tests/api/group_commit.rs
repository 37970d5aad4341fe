//! Posts with group commit: concurrent posts share transactions yet each keeps its own id and
//! sequence number, the rate limit counts the posts of the same batch, and a failing post
//! does not take the others of its batch down with it.

use std::collections::HashSet;
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;

use serde_json::json;
use sogs_client::MessageQuery;
use sogs_protocol::api::messages::Message;
use sogs_server::domain::rate_limit::RateLimit;
use sogs_server::writeback::posts::{Outcome, PostError, QueuedPost};
use sogs_tests::{TestApp, TestUser, padded};

async fn lobby() -> TestApp {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    app
}

/// Runs `futures` concurrently in this task: the first poll polls every one of them, so
/// whatever each does before its first wait (queueing a post) happens before any other task
/// runs.
async fn join_all<T>(futures: Vec<Pin<Box<dyn Future<Output = T> + '_>>>) -> Vec<T> {
    let mut futures: Vec<_> = futures.into_iter().map(Some).collect();
    let mut outputs: Vec<Option<T>> = futures.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        for (slot, output) in futures.iter_mut().zip(outputs.iter_mut()) {
            if let Some(future) = slot {
                if let Poll::Ready(value) = future.as_mut().poll(cx) {
                    *output = Some(value);
                    *slot = None;
                }
            }
        }
        if futures.iter().all(Option::is_none) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await;
    outputs.into_iter().map(Option::unwrap).collect()
}

/// `(status, message answered)` of `n` posts per client, all sent at once (raw: the statuses
/// of refused posts count too).
async fn post_concurrently(
    clients: &[sogs_client::Client],
    n: usize,
) -> Vec<(u16, Option<Message>)> {
    let mut tasks = Vec::new();
    for (c, client) in clients.iter().enumerate() {
        for i in 0..n {
            let client = client.clone();
            tasks.push(tokio::spawn(async move {
                let text = format!("post {i} of client {c}");
                let resp = client
                    .post_message("lobby", &padded(text.as_bytes()), json!({}))
                    .await
                    .unwrap();
                (resp.status, resp.json().ok())
            }));
        }
    }
    let mut out = Vec::new();
    for task in tasks {
        out.push(task.await.unwrap());
    }
    out
}

#[tokio::test]
async fn concurrent_posts_get_distinct_ids_and_gapless_seqnos() {
    let app = lobby().await;
    // 10 users × 5 posts: everyone stays within the default limit of 5 posts per 16 s.
    let clients: Vec<_> = (0..10)
        .map(|_| app.client_15(&TestUser::random()))
        .collect();
    let results = post_concurrently(&clients, 5).await;
    assert!(
        results.iter().all(|(status, _)| *status == 201),
        "{results:?}"
    );
    let posted: Vec<Message> = results.into_iter().map(|(_, m)| m.unwrap()).collect();
    let ids: HashSet<i64> = posted.iter().map(|m| m.id).collect();
    assert_eq!(ids.len(), 50);
    let mut seqnos: Vec<i64> = posted.iter().map(|m| m.seqno).collect();
    seqnos.sort_unstable();
    assert_eq!(seqnos, (1..=50).collect::<Vec<_>>());
    for posted in &posted {
        let message = app
            .client()
            .message("lobby", posted.id, MessageQuery::default())
            .await
            .unwrap();
        assert_eq!(message.seqno, posted.seqno);
        assert_eq!(message.data, posted.data);
    }
    let room = app.client().room("lobby").await.unwrap();
    assert_eq!(room.message_sequence, 50);
}

#[tokio::test]
async fn the_rate_limit_counts_posts_of_the_same_batch() {
    let app = lobby().await;
    let alice = app.client_15(&TestUser::random());
    let results = post_concurrently(&[alice], 20).await;
    let statuses: Vec<u16> = results.iter().map(|(status, _)| *status).collect();
    let created = statuses.iter().filter(|&&s| s == 201).count();
    let limited = statuses.iter().filter(|&&s| s == 429).count();
    assert_eq!((created, limited), (5, 15), "{statuses:?}");
    assert_eq!(stored_messages(&app).await, 5);
}

/// A post of `user` in the lobby, queued straight to the writer.
fn queued(room: i64, user: i64, rate_limit: Option<RateLimit>) -> QueuedPost {
    QueuedPost {
        room,
        user,
        signed_as: None,
        data: padded(b"queued"),
        signature: vec![0; 64],
        filtered: false,
        whisper: None,
        whisper_mods: false,
        files: Vec::new(),
        rate_limit,
    }
}

async fn user_ids(app: &TestApp, n: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for _ in 0..n {
        let id = TestUser::random().session_id().to_string();
        let user = sogs_server::storage::users::ensure(&app.db, &id, &id)
            .await
            .unwrap();
        ids.push(user);
    }
    ids
}

/// Queues `posts` to the server's writer all at once; their outcomes in order.
async fn queue_all(app: &TestApp, posts: Vec<QueuedPost>) -> Vec<Result<Outcome, PostError>> {
    let writer = &app.state.posts;
    join_all(
        posts
            .into_iter()
            .map(|p| Box::pin(writer.insert(p)) as Pin<Box<dyn Future<Output = _>>>)
            .collect(),
    )
    .await
}

async fn stored_messages(app: &TestApp) -> i64 {
    sqlx::query_scalar("select count(*) from messages")
        .fetch_one(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn posts_queued_together_commit_in_one_transaction() {
    let app = TestApp::spawn().await;
    let lobby = app.create_room("lobby", "rwua").await.id;
    let other = app.create_room("other", "rwua").await.id;
    let users = user_ids(&app, 4).await;
    let limit = RateLimit::from_settings((2, 16.0));
    let mut posts = Vec::new();
    for &user in &users {
        for room in [lobby, other, lobby, lobby] {
            posts.push(queued(room, user, limit));
        }
    }
    let outcomes = queue_all(&app, posts).await;
    let mut posted = Vec::new();
    for (i, outcome) in outcomes.into_iter().enumerate() {
        match (i % 4, outcome) {
            // the third lobby post of each user is one too many, counting this batch's
            (3, Ok(Outcome::RateLimited)) => {}
            (0..=2, Ok(Outcome::Posted(p))) => posted.push(p),
            (_, other) => panic!("post {i}: {other:?}"),
        }
    }
    // One transaction: one timestamp.
    assert!(
        posted.iter().all(|p| p.posted == posted[0].posted),
        "{posted:?}"
    );
    let ids: HashSet<i64> = posted.iter().map(|p| p.id).collect();
    assert_eq!(ids.len(), 12);
    let mut seqnos: Vec<i64> = posted.iter().map(|p| p.seqno).collect();
    seqnos.sort_unstable();
    // eight posts in the lobby, four in the other room
    let mut expected: Vec<i64> = (1..=8).chain(1..=4).collect();
    expected.sort_unstable();
    assert_eq!(seqnos, expected);
    assert_eq!(stored_messages(&app).await, 12);
}

#[tokio::test]
async fn a_failing_post_does_not_fail_its_batch() {
    let app = TestApp::spawn().await;
    let lobby = app.create_room("lobby", "rwua").await.id;
    let users = user_ids(&app, 3).await;
    let limit = RateLimit::from_settings((5, 16.0));
    let mut posts: Vec<_> = users.iter().map(|&u| queued(lobby, u, limit)).collect();
    posts.insert(1, queued(lobby, 987_654_321, limit)); // no such user: a foreign key error
    posts.push(queued(lobby, users[0], None));
    let outcomes = queue_all(&app, posts).await;
    assert!(outcomes[1].is_err(), "{:?}", outcomes[1]);
    let mut seqnos = Vec::new();
    for (i, outcome) in outcomes.iter().enumerate() {
        match outcome {
            Ok(Outcome::Posted(p)) => seqnos.push(p.seqno),
            other => assert_eq!(i, 1, "{other:?}"),
        }
    }
    // Each ran again in its own transaction; the failed one gave its number back.
    seqnos.sort_unstable();
    assert_eq!(seqnos, [1, 2, 3, 4]);
    assert_eq!(stored_messages(&app).await, 4);
}
