//! A post made on one process is returned by the other's next caught-up poll.

use std::time::Instant;

use sogs_client::MessageQuery;
use sogs_protocol::api::messages::MessageUpdate;
use sogs_tests::{TestUser, padded};

use super::{Pair, ROOM, seen_within_bound};

#[tokio::test]
async fn a_post_on_a_is_in_bs_since_poll_within_the_bound() {
    let pair = Pair::start().await;
    let poster = pair.on_a(&TestUser::random());
    let reader = pair.on_b(&TestUser::random());
    let old = pair.room_on_b().await.unwrap().message_sequence;
    let poll = || reader.messages_since(ROOM, old, MessageQuery::default());
    // B has answered this poll before the post, as a polling client's process would have.
    let before = poll().await.unwrap();
    assert!(before.is_empty(), "{before:?}");

    let post = poster.signed_post(&padded(b"across processes"));
    let posted = poster.create_message(ROOM, &post).await.unwrap().id;
    let since = Instant::now();
    seen_within_bound(since, "posted on A, polled on B", || async {
        let list = poll().await.map_err(|e| e.to_string())?;
        if list
            .iter()
            .any(|u| matches!(u, MessageUpdate::Message(m) if m.id == posted))
        {
            Ok(())
        } else {
            Err(format!("{} messages since {old}", list.len()))
        }
    })
    .await;
}
