//! One signed request sent to both processes at once is served once: nonces are spent in the
//! database, not per process.

use reqwest::Method;
use sogs_client::{Client, MessageQuery, Response};
use sogs_tests::TestUser;

use super::{Pair, RECENT, ROOM};

const ROUNDS: usize = 100;
const REUSED: &str = "Invalid authentication: X-SOGS-Nonce cannot be reused";

/// The two answers to one request, as `(status, text)` sorted by status.
fn sorted(a: Response, b: Response) -> [(u16, String); 2] {
    let mut both = [(a.status, a.text()), (b.status, b.text())];
    both.sort();
    both
}

#[tokio::test]
async fn one_signed_request_sent_to_both_processes_at_once_succeeds_exactly_once() {
    let pair = Pair::start().await;
    let user = TestUser::random();
    // The user is known to both processes before the race.
    for client in [pair.on_a(&user), pair.on_b(&user)] {
        let recent = client.messages_recent(ROOM, MessageQuery::default());
        recent.await.unwrap();
    }
    let signer = pair.on_a(&user).signer().unwrap().clone();
    let (on_a, on_b) = (pair.a.client(), Client::new(&pair.b.address));
    let path = RECENT;
    let mut a_won = 0;
    for round in 0..ROUNDS {
        let headers = signer.sign_now("GET", path, b"");
        let headers = headers.pairs();
        let (from_a, from_b) = tokio::join!(
            on_a.send(Method::GET, path, &headers, None),
            on_b.send(Method::GET, path, &headers, None),
        );
        let (from_a, from_b) = (from_a.unwrap(), from_b.unwrap());
        a_won += usize::from(from_a.status == 200);
        let [first, second] = sorted(from_a, from_b);
        assert_eq!(first.0, 200, "round {round}: {first:?} {second:?}");
        assert_eq!(second, (425, REUSED.to_owned()), "round {round}");
    }
    eprintln!("A served {a_won} of {ROUNDS} rounds, B the rest");
}
