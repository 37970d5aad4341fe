//! A post made on one process is returned by the other's next caught-up poll.

use std::time::Instant;

use serde_json::{Value, json};
use sogs_tests::{TestUser, padded};

use super::{Pair, ROOM, seen_within_bound};

#[tokio::test]
async fn a_post_on_a_is_in_bs_since_poll_within_the_bound() {
    let pair = Pair::start().await;
    let poster = pair.on_a(&TestUser::random());
    let reader = pair.on_b(&TestUser::random());
    let old = pair.room_on_b().await.unwrap()["message_sequence"].clone();
    let path = format!("/room/{ROOM}/messages/since/{old}");
    // B has answered this poll before the post, as a polling client's process would have.
    let before: Vec<Value> = reader.get_json(&path).await.unwrap();
    assert!(before.is_empty(), "{before:?}");

    let resp = poster
        .post_message(ROOM, &padded(b"across processes"), json!({}))
        .await
        .unwrap();
    assert_eq!(resp.status, 201, "{}", resp.text());
    let posted = resp.json::<Value>().unwrap()["id"].clone();
    let since = Instant::now();
    seen_within_bound(since, "posted on A, polled on B", || async {
        let list: Vec<Value> = reader.get_json(&path).await.map_err(|e| e.to_string())?;
        if list.iter().any(|m| m["id"] == posted) {
            Ok(())
        } else {
            Err(format!("{} messages since {old}", list.len()))
        }
    })
    .await;
}
