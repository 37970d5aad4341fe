//! A process SIGKILLed during a post burst loses no post it answered 201, and leaves no gap in
//! the room's sequence numbers.

use std::time::Duration;

use nix::sys::signal::Signal;
use serde_json::json;
use sogs_client::{Client, MessageQuery};
use sogs_protocol::api::messages::Message;
use sogs_tests::{TestApp, TestUser, padded};

use super::{Pair, ROOM};

/// Concurrent posters (room admins, so the post rate limit does not apply).
const POSTERS: usize = 4;
/// How long the burst runs before B is killed.
const BURST: Duration = Duration::from_secs(1);

/// Posts to the room as fast as the server answers, until it stops answering; returns the ids of
/// the posts answered 201 (any other answer fails the test).
async fn post_until_gone(client: Client) -> Vec<i64> {
    let mut ids = Vec::new();
    loop {
        let data = padded(format!("burst {}", ids.len()).as_bytes());
        let Ok(resp) = client.post_message(ROOM, &data, json!({})).await else {
            return ids;
        };
        // Raw, to hold the server to exactly 201.
        assert_eq!(resp.status, 201, "{}", resp.text());
        ids.push(resp.json::<Message>().unwrap().id);
    }
}

/// The room's message seqnos in order, and its `message_sequence`.
async fn seqnos(app: &TestApp) -> (Vec<i64>, i64) {
    let all = sqlx::query_scalar(
        "select m.seqno from messages m join rooms r on r.id = m.room
         where r.token = $1 order by m.seqno",
    )
    .bind(ROOM)
    .fetch_all(&app.db)
    .await
    .unwrap();
    let last = sqlx::query_scalar("select message_sequence from rooms where token = $1")
        .bind(ROOM)
        .fetch_one(&app.db)
        .await
        .unwrap();
    (all, last)
}

#[tokio::test]
async fn every_post_acknowledged_by_a_killed_process_is_served_by_the_other() {
    let Pair { a, b, _b_dir } = Pair::start().await;
    let mut posters = Vec::new();
    for _ in 0..POSTERS {
        let user = TestUser::random();
        a.make_mod(&a.client_15(&user), Some(ROOM), true).await;
        let signer = a.client_15(&user).signer().unwrap().clone();
        let on_b = Client::new(&b.address).signed(signer);
        posters.push(tokio::spawn(post_until_gone(on_b)));
    }
    tokio::time::sleep(BURST).await;
    assert!(!b.stop_with(Signal::SIGKILL), "B was killed");
    let mut acknowledged = Vec::new();
    for poster in posters {
        acknowledged.extend(poster.await.unwrap());
    }
    assert!(acknowledged.len() >= POSTERS, "{acknowledged:?}");

    let reader = a.client();
    for &id in &acknowledged {
        let served = reader.message(ROOM, id, MessageQuery::default()).await;
        assert_eq!(served.map(|m| m.id).map_err(|e| e.to_string()), Ok(id));
    }
    let (all, last) = seqnos(&a).await;
    let expected: Vec<i64> = (1..=last).collect();
    assert_eq!(all, expected, "seqnos 1..={last} without a gap");
    eprintln!(
        "{} posts acknowledged before the kill, {} stored",
        acknowledged.len(),
        all.len()
    );
}
