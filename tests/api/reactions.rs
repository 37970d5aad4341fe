//! Reactions: add/remove, moderator removal, reactor lists, reaction-only poll rows, seqno costs.

use reqwest::Method;
use sogs_client::{Client, MessageQuery};
use sogs_protocol::api::messages::{Message, MessageUpdate, ReactionInfo, ReactionUpdate};
use sogs_protocol::api::reactions::{ReactionAdded, ReactionRemoved};
use sogs_tests::{TestApp, TestUser, padded};

async fn lobby_with_message() -> (TestApp, Client, i64) {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let alice = app.client_15(&TestUser::random());
    let post = alice.signed_post(&padded(b"react to me"));
    let id = alice.create_message("lobby", &post).await.unwrap().id;
    (app, alice, id)
}

/// The message as `client` sees it, with up to `reactors` reactors per reaction.
async fn message(client: &Client, id: i64, reactors: Option<u32>) -> Message {
    let q = MessageQuery {
        reactors,
        ..MessageQuery::default()
    };
    client.message("lobby", id, q).await.unwrap()
}

fn added(added: bool, seqno: i64) -> ReactionAdded {
    ReactionAdded { added, seqno }
}

#[tokio::test]
async fn reactions_are_added_once_counted_and_listed() {
    let (app, alice, id) = lobby_with_message().await;
    let bob = app.client_15(&TestUser::random());
    let (alice_id, bob_id) = (alice.signer().unwrap().id(), bob.signer().unwrap().id());
    for expected in [added(true, 2), added(false, 2)] {
        let answer = alice.add_reaction("lobby", id, "👍").await.unwrap();
        assert_eq!(answer, expected);
    }
    // The reaction in the path may also come percent-encoded by the caller.
    let resp = bob
        .request(
            Method::PUT,
            &format!("/room/lobby/reaction/{id}/%F0%9F%91%8D"),
            &[],
            None,
        )
        .await
        .unwrap();
    assert_eq!(resp.ok_json::<ReactionAdded>().unwrap(), added(true, 3));
    assert!(bob.add_reaction("lobby", id, "🍍").await.unwrap().added);

    let reactions = message(&bob, id, Some(1)).await.reactions.unwrap();
    assert_eq!(
        reactions["👍"],
        ReactionInfo {
            index: 0,
            count: 2,
            reactors: Some(vec![alice_id.clone()]),
            you: Some(true)
        }
    );
    assert_eq!(
        reactions["🍍"],
        ReactionInfo {
            index: 1,
            count: 1,
            reactors: Some(vec![bob_id.clone()]),
            you: Some(true)
        }
    );
    let anonymous = message(&app.client(), id, Some(0)).await.reactions.unwrap();
    assert_eq!(
        anonymous["👍"],
        ReactionInfo {
            index: 0,
            count: 2,
            reactors: None,
            you: None
        }
    );

    let reactors = app
        .client()
        .reactors("lobby", id, "👍", None)
        .await
        .unwrap();
    assert_eq!(reactors.len(), 2);
    assert_eq!(reactors[0].0, alice_id);
    assert!(reactors[0].1 > 1.6e9);
    let limited = app.client().reactors("lobby", id, "👍", Some(1)).await;
    assert_eq!(limited.unwrap().len(), 1);

    let removed = |removed, seqno| ReactionRemoved { removed, seqno };
    for expected in [removed(true, 5), removed(false, 5)] {
        let answer = bob.remove_reaction("lobby", id, "🍍").await.unwrap();
        assert_eq!(answer, expected);
    }
    let reactions = message(&bob, id, None).await.reactions.unwrap();
    assert!(!reactions.contains_key("🍍"));
}

#[tokio::test]
async fn reaction_only_rows_have_exactly_id_seqno_and_reactions() {
    let (app, alice, id) = lobby_with_message().await;
    alice.add_reaction("lobby", id, "❤️").await.unwrap();
    let since = |seqno, reaction_updates| {
        let q = MessageQuery {
            reactors: Some(5),
            reaction_updates,
            ..MessageQuery::default()
        };
        let client = app.client();
        async move { client.messages_since("lobby", seqno, q).await.unwrap() }
    };
    let heart = ReactionInfo {
        index: 0,
        count: 1,
        reactors: Some(vec![alice.signer().unwrap().id()]),
        you: None,
    };
    // `ReactionUpdate` refuses any key besides `id`, `seqno` and `reactions`.
    assert_eq!(
        since(1, true).await,
        [MessageUpdate::Reactions(ReactionUpdate {
            id,
            seqno: 2,
            reactions: [("❤️".to_owned(), heart)].into()
        })]
    );
    // Without t=r the reaction change is not an update; from 0 it is the whole message.
    assert!(since(1, false).await.is_empty());
    let full = since(0, true).await;
    assert!(
        matches!(&full[..], [MessageUpdate::Message(m)] if m.data.is_some()),
        "{full:?}"
    );
}

#[tokio::test]
async fn bad_reactions_and_irregular_messages_are_refused() {
    let (app, alice, id) = lobby_with_message().await;
    let long = "x".repeat(13);
    let refusal = |client: &Client, id: i64, reaction: String| {
        let client = client.clone();
        async move {
            let err = client
                .add_reaction("lobby", id, &reaction)
                .await
                .unwrap_err();
            err.status().unwrap()
        }
    };
    assert_eq!(refusal(&alice, id, long).await, 400);
    assert_eq!(refusal(&alice, 99_999, "👍".into()).await, 404);
    assert_eq!(refusal(&app.client(), id, "👍".into()).await, 401);
    alice.delete_message("lobby", id).await.unwrap();
    assert_eq!(refusal(&alice, id, "👍".into()).await, 404);
}

#[tokio::test]
async fn deleting_a_message_with_k_reactions_advances_the_sequence_by_1_plus_k() {
    let (app, alice, id) = lobby_with_message().await;
    for reaction in ["a", "b", "c"] {
        alice.add_reaction("lobby", id, reaction).await.unwrap();
    }
    let bob = app.client_15(&TestUser::random());
    bob.add_reaction("lobby", id, "a").await.unwrap();
    let sequence = || async {
        let room = app.client().room("lobby").await.unwrap();
        room.message_sequence
    };
    let before = sequence().await;
    alice.delete_message("lobby", id).await.unwrap();
    assert_eq!(sequence().await - before, 1 + 4);
}

#[tokio::test]
async fn moderators_remove_all_reactions_or_one_kind() {
    let (app, alice, id) = lobby_with_message().await;
    let moderator = app.client_15(&TestUser::random());
    app.make_mod(&moderator, Some("lobby"), false).await;
    for reaction in ["a", "b"] {
        alice.add_reaction("lobby", id, reaction).await.unwrap();
        moderator.add_reaction("lobby", id, reaction).await.unwrap();
    }
    let path = |suffix: &str| format!("/room/lobby/reactions/{id}{suffix}");
    let resp = alice
        .request(Method::DELETE, &path("/a"), &[], None)
        .await
        .unwrap();
    assert_eq!(
        (resp.status, resp.text().as_str()),
        (403, "This endpoint requires moderator room permissions")
    );
    let resp = app
        .client()
        .request(Method::DELETE, &path(""), &[], None)
        .await
        .unwrap();
    assert_eq!(resp.status, 401);
    for reaction in [Some("a"), None] {
        let cleared = moderator.clear_reactions("lobby", id, reaction).await;
        assert_eq!(cleared.unwrap().removed, 2, "{reaction:?}");
    }
    let reactions = message(&app.client(), id, None).await.reactions;
    assert_eq!(reactions, Some(Default::default()));
}
