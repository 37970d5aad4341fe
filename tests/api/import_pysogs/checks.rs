//! What an imported instance must look like through the HTTP API: the same rooms, ids,
//! seqnos, bytes, signatures, reactions, pins, files, permissions and direct messages.

use std::collections::BTreeMap;

use reqwest::Method;
use sogs_client::{Client, MessageQuery};
use sogs_protocol::api::messages::{Message, MessageUpdate};
use sogs_protocol::encoding::decode_b64;
use sogs_tests::{TestApp, TestUser, padded};

use super::fixture::{Fixture, dm_body, sig};
use super::rows::{MESSAGES, Msg, posted};

fn client(app: &TestApp, user: &TestUser) -> Client {
    app.client_15(user)
}

/// A time from JSON: serde_json's float parsing may be off by one unit in the last place.
#[track_caller]
fn assert_secs(got: f64, want: f64) {
    assert!((got - want).abs() < 1e-6, "time {got} != {want}");
}

/// The bytes of a base64 field.
#[track_caller]
fn bytes(field: &Option<String>) -> Vec<u8> {
    decode_b64(field.as_deref().unwrap()).unwrap()
}

/// `messages/since/{seqno}` of `token`; every element must be a whole message.
async fn since(client: &Client, token: &str, seqno: i64, q: MessageQuery) -> Vec<Message> {
    let updates = client.messages_since(token, seqno, q).await.unwrap();
    updates
        .into_iter()
        .map(|u| match u {
            MessageUpdate::Message(m) => m,
            MessageUpdate::Reactions(r) => panic!("a reaction-only update: {r:?}"),
        })
        .collect()
}

async fn status(client: &Client, path: &str) -> u16 {
    client.get(path).await.unwrap().status
}

/// Every check, the state-changing ones (new posts, scheduled changes) last.
pub(crate) async fn everything(app: &TestApp, fx: &Fixture) {
    assert_eq!(
        app.pubkey_hex(),
        fx.pubkey.to_string(),
        "the pysogs key is ours"
    );
    rooms(app, fx).await;
    messages(app, fx).await;
    whispers_and_tombstones(app, fx).await;
    files(app, fx).await;
    permissions(app, fx).await;
    direct_messages(app, fx).await;
    used_nonces_stay_used(app, fx).await;
    numbering_continues(app, fx).await;
    scheduled_changes_still_apply(app, fx).await;
}

/// Room details, moderators (visible and hidden, room and global) and pins.
pub(crate) async fn rooms(app: &TestApp, fx: &Fixture) {
    let p = &fx.people;
    let room = client(app, &p.alice).room("lobby").await.unwrap();
    assert_eq!(room.name, "The Lobby");
    assert_eq!(room.description.as_deref(), Some("Welcome!"));
    assert_eq!(room.image_id, Some(1));
    assert_eq!(room.info_updates, 9);
    assert_eq!(room.message_sequence, 12);
    assert_eq!(room.moderators, [fx.id15(&p.moderator)]);
    assert_eq!(room.admins, [fx.id15(&p.admin)]);
    let pins = &room.pinned_messages;
    assert_eq!(pins.len(), 1, "{pins:?}");
    assert_eq!(pins[0].id, 11);
    assert_eq!(pins[0].pinned_by, fx.id15(&p.moderator));
    assert_secs(pins[0].pinned_at, posted(fx, 10) + 5.0 + 100.0);
    let seen_by_mod = client(app, &p.moderator).room("lobby").await.unwrap();
    assert_eq!(seen_by_mod.moderator, Some(true));
    // the room's hidden moderator, and dave, a hidden global moderator known by his 05 id
    let hidden = &seen_by_mod.hidden_moderators;
    assert!(hidden.contains(&fx.id15(&p.hidden)), "{hidden:?}");
    assert!(
        hidden.contains(&p.dave.session_id().to_string()),
        "{hidden:?}"
    );
    assert_eq!(hidden.len(), 2, "{hidden:?}");
    let news = app.client().room("news").await.unwrap();
    assert_eq!((news.info_updates, news.write), (2, false));
}

/// ids, seqnos, content bytes, signatures, times and reactions of every visible post.
pub(crate) async fn messages(app: &TestApp, fx: &Fixture) {
    let p = &fx.people;
    let q = MessageQuery {
        reactors: Some(5),
        reaction_updates: true,
        ..MessageQuery::default()
    };
    let listed = since(&client(app, &p.bob), "lobby", 0, q).await;
    let by_id: BTreeMap<i64, &Message> = listed.iter().map(|m| (m.id, m)).collect();
    assert_eq!(by_id.keys().copied().collect::<Vec<_>>(), [10, 11, 13, 15]);
    for &Msg {
        id,
        room,
        seqnos: (seqno, ..),
        text,
        edited,
        ..
    } in MESSAGES
    {
        let (Some(m), Some(text)) = (by_id.get(&id), text) else {
            continue;
        };
        assert_eq!(room, 1);
        assert_eq!(m.seqno, seqno, "message {id}");
        assert_eq!(bytes(&m.data), padded(text.as_bytes()), "message {id}");
        assert_eq!(bytes(&m.signature), sig(id), "message {id}");
        assert_secs(m.posted, posted(fx, id));
        match edited {
            true => assert_secs(m.edited.unwrap_or(f64::NAN), posted(fx, id) + 40.0),
            false => assert_eq!(m.edited, None, "message {id}"),
        }
    }
    assert_eq!(by_id[&10].session_id, fx.id15(&p.alice));
    assert_eq!(by_id[&15].session_id, p.carol.session_id().to_string());
    let reactions = by_id[&10].reactions.as_ref().unwrap();
    let thumbs = &reactions["👍"];
    assert_eq!(thumbs.count, 2, "{reactions:?}");
    assert_eq!(thumbs.index, 0);
    assert_eq!(
        thumbs.reactors,
        Some(vec![fx.id15(&p.bob), fx.id15(&p.moderator)])
    );
    assert_eq!(thumbs.you, Some(true));
    let heart = &reactions["❤️"];
    assert_eq!((heart.count, heart.index), (1, 1));
    let news = app
        .client()
        .messages_recent("news", MessageQuery::default())
        .await
        .unwrap();
    assert_eq!((news[0].id, news[0].seqno), (20, 1));
}

/// Whispers reach their target (and moderators); a deletion is a tombstone for those who saw
/// the post; its history is kept.
pub(crate) async fn whispers_and_tombstones(app: &TestApp, fx: &Fixture) {
    let p = &fx.people;
    let ids = |list: Vec<Message>| list.iter().map(|m| m.id).collect::<Vec<_>>();
    let q = MessageQuery::default();
    let alice = since(&client(app, &p.alice), "lobby", 0, q).await;
    assert!(!ids(alice).contains(&13), "a whisper to bob is not alice's");
    let moderator = since(&client(app, &p.moderator), "lobby", 0, q).await;
    assert!(
        ids(moderator).contains(&14),
        "moderators see whispers to moderators"
    );
    let since3 = since(&client(app, &p.bob), "lobby", 3, q).await;
    let tombstone = since3.iter().find(|m| m.id == 12).unwrap();
    assert_eq!((tombstone.deleted, tombstone.seqno), (Some(true), 6));
    assert_eq!(tombstone.data, None, "{tombstone:?}");
    let history: Vec<(i64, Vec<u8>)> =
        sqlx::query_as("select message, data from message_history order by message")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(
        history,
        [(10, b"hello, wrold".to_vec()), (12, b"oops".to_vec())]
    );
}

/// Upload bytes come from the uploads directory; expiries are kept; the pruned one is gone.
pub(crate) async fn files(app: &TestApp, fx: &Fixture) {
    let alice = client(app, &fx.people.alice);
    for (token, id, want) in [
        ("lobby", 1, &fx.image),
        ("lobby", 2, &fx.attachment),
        ("news", 4, &fx.document),
    ] {
        let got = alice.download_file(token, id).await.unwrap();
        assert_eq!(&got, want, "{token} file {id}");
    }
    assert_eq!(status(&alice, "/room/lobby/file/3").await, 404);
    let expiries: Vec<(i64, Option<f64>)> =
        sqlx::query_as("select id, expiry from files order by id")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(expiries[0], (1, None));
    assert_eq!(expiries[1], (2, Some(fx.now + 10.0 * 86400.0)));
}

/// Bans, overrides, room defaults, global grants and the needs_blinding hand-over.
pub(crate) async fn permissions(app: &TestApp, fx: &Fixture) {
    let p = &fx.people;
    // a room ban hides the room; a global ban refuses every signed request
    assert_eq!(status(&client(app, &p.banned), "/room/lobby").await, 404);
    assert_eq!(status(&client(app, &p.banned), "/room/news").await, 200);
    assert_eq!(status(&client(app, &p.gbanned), "/room/news").await, 403);
    assert_eq!(
        status(&client(app, &p.bob), "/room/Secret/messages/recent").await,
        403
    );
    assert_eq!(
        status(&client(app, &p.admin), "/room/Secret/messages/recent").await,
        200
    );
    // Raw: the refusals' statuses are the point.
    let post = |user: &TestUser, token: &'static str| {
        let c = client(app, user);
        async move {
            c.post_message(token, &padded(b"hi"), serde_json::json!({}))
                .await
                .unwrap()
                .status
        }
    };
    assert_eq!(post(&p.bob, "news").await, 403, "news is read-only");
    assert_eq!(post(&p.alice, "news").await, 201, "alice may write in news");
    assert_eq!(post(&p.muted, "lobby").await, 403, "muted in the lobby");
    assert_eq!(post(&p.banned, "lobby").await, 403, "banned from the lobby");
    let admin = client(app, &p.admin).room("lobby").await.unwrap();
    assert_eq!((admin.admin, admin.moderator), (Some(true), Some(true)));
    // dave was a global moderator known by his 05 id only: his first blinded login takes it over
    let dave = client(app, &p.dave).room("lobby").await.unwrap();
    assert_eq!(dave.global_moderator, Some(true), "{dave:?}");
}

/// The inbox and outbox with their ids and bodies.
pub(crate) async fn direct_messages(app: &TestApp, fx: &Fixture) {
    let p = &fx.people;
    let inbox = client(app, &p.bob).inbox(None).await.unwrap();
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].id, 3);
    assert_eq!(inbox[0].sender, fx.id15(&p.alice));
    assert_eq!(decode_b64(&inbox[0].message), Some(dm_body(3)));
    let outbox = client(app, &p.alice).outbox(None).await.unwrap();
    assert_eq!(outbox[0].id, 3);
    let alice_inbox = client(app, &p.alice).inbox(None).await.unwrap();
    assert_eq!(alice_inbox[0].id, 4);
}

/// A nonce pysogs already saw cannot be replayed here.
async fn used_nonces_stay_used(app: &TestApp, fx: &Fixture) {
    let alice = client(app, &fx.people.alice);
    let signed = alice
        .signer()
        .unwrap()
        .sign(&[7; 16], fx.now as i64, "GET", "/room/lobby", b"");
    let resp = app
        .client()
        .send(Method::GET, "/room/lobby", &signed.pairs(), None)
        .await
        .unwrap();
    assert_eq!(resp.status, 425);
}

/// New rows continue after the imported ids and seqnos.
async fn numbering_continues(app: &TestApp, fx: &Fixture) {
    let bob = client(app, &fx.people.bob);
    let post = bob.signed_post(&padded(b"after the move"));
    let posted = bob.create_message("lobby", &post).await.unwrap();
    // news got id 21 in `permissions`
    assert_eq!((posted.id, posted.seqno), (22, 13));
}

/// Scheduled unbans and permission changes apply when their time comes.
async fn scheduled_changes_still_apply(app: &TestApp, fx: &Fixture) {
    sogs_server::cleanup::apply_permission_updates(&app.db, fx.now + 7200.0)
        .await
        .unwrap();
    app.sync().await;
    let p = &fx.people;
    assert_eq!(status(&client(app, &p.banned), "/room/lobby").await, 200);
    assert_eq!(status(&client(app, &p.gbanned), "/room/news").await, 200);
    let muted = client(app, &p.muted);
    let post = muted.signed_post(&padded(b"free"));
    muted.create_message("lobby", &post).await.unwrap();
}
