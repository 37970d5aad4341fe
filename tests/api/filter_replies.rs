//! Automatic replies to filtered posts: posted by the system user under the configured name,
//! with `\p`/`\r` substituted, public or whispered to the poster (and the moderators), signed
//! by the server's identity for that name; none when not configured.

use serde_json::json;
use sogs_client::{Client, MessageQuery};
use sogs_protocol::api::messages::Message;
use sogs_protocol::content::Content;
use sogs_protocol::encoding::decode_b64;
use sogs_server::config::{FilterReplies, FilterReply, RoomOverrides};
use sogs_tests::{TestApp, TestUser};

fn message(body: &str, name: Option<&str>) -> Vec<u8> {
    sogs_tests::session_message(body, name)
}

/// `messages/recent` as seen by `client`.
async fn recent(client: &Client, room: &str) -> Vec<Message> {
    client
        .messages_recent(room, MessageQuery::default())
        .await
        .unwrap()
}

/// The bytes of a base64 field.
fn bytes(field: &Option<String>) -> Vec<u8> {
    decode_b64(field.as_deref().unwrap()).unwrap()
}

/// The body and display name of a listed message, after checking its signature against the
/// `15` id it is shown under.
fn verified_text(m: &Message) -> (String, String) {
    let data = bytes(&m.data);
    let signature: [u8; 64] = bytes(&m.signature).try_into().unwrap();
    let id = m.session_id.as_str();
    assert!(id.starts_with("15"), "{id}");
    let key: [u8; 32] = hex::decode(&id[2..]).unwrap().try_into().unwrap();
    sogs_protocol::signing::verify(&key, &data, &signature).unwrap();
    let dm = Content::decode_padded(&data).unwrap().data_message.unwrap();
    let name = dm.profile.and_then(|p| p.display_name).unwrap_or_default();
    (dm.body.unwrap_or_default(), name)
}

/// The author (users.id) of a message.
async fn author(app: &TestApp, id: i64) -> i64 {
    sqlx::query_scalar(r#"select "user" from messages where id = $1"#)
        .bind(id)
        .fetch_one(&app.db)
        .await
        .unwrap()
}

fn reply(text: &str, name: Option<&str>, public: Option<bool>) -> FilterReplies {
    FilterReplies {
        profanity: Some(FilterReply {
            text: Some(text.into()),
            profile_name: name.map(Into::into),
            public,
        }),
        alphabet: None,
    }
}

#[tokio::test]
async fn a_public_reply_is_posted_by_the_system_user_with_substitutions() {
    let app = TestApp::spawn_with(|s| {
        s.messages.profanity_filter = true;
        s.filter_reply = reply(r"\p, mind your language in \r", Some("Bot"), Some(true));
    })
    .await;
    app.create_room("lobby", "rwua").await;
    let (alice, bob) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    let resp = alice
        .post_message("lobby", &message("well shit", Some("Alice")), json!({}))
        .await
        .unwrap();
    // Raw: a silently filtered post is still answered exactly 201.
    assert_eq!(resp.status, 201);
    assert_eq!(resp.json::<Message>().unwrap().filtered, Some(true));
    app.sync().await;

    for viewer in [&bob, &app.client()] {
        let list = recent(viewer, "lobby").await;
        assert_eq!(list.len(), 1, "only the reply is visible: {list:?}");
        assert_eq!(list[0].whisper, None);
        let (body, name) = verified_text(&list[0]);
        assert_eq!(body, "Alice, mind your language in lobby");
        assert_eq!(name, "Bot");
        assert_eq!(author(&app, list[0].id).await, 0);
    }
}

#[tokio::test]
async fn a_whispered_reply_reaches_only_the_poster_and_moderators_and_needs_configuring() {
    let app = TestApp::spawn_with(|s| {
        s.messages.profanity_filter = true;
        s.room.insert(
            "loud".into(),
            RoomOverrides {
                profanity_silent: Some(false),
                filter_reply: Some(reply(r"Not here, \p (\r)", None, None)),
                ..RoomOverrides::default()
            },
        );
    })
    .await;
    for room in ["loud", "plain"] {
        app.create_room(room, "rwua").await;
    }
    let (alice, bob, moderator) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    app.make_mod(&moderator, None, false).await;
    let resp = alice
        .post_message("loud", &message("sh1t", None), json!({}))
        .await
        .unwrap();
    assert_eq!(resp.status, 429, "{}", resp.text());
    let resp = alice
        .post_message("plain", &message("shit", None), json!({}))
        .await
        .unwrap();
    assert_eq!(resp.status, 201);
    app.sync().await;

    let alice_id = alice.signer().unwrap().id();
    for viewer in [&alice, &moderator] {
        let list = recent(viewer, "loud").await;
        assert_eq!(list.len(), 1, "{list:?}");
        assert_eq!(list[0].whisper, Some(true));
        assert_eq!(list[0].whisper_to.as_deref(), Some(alice_id.as_str()));
        let (body, name) = verified_text(&list[0]);
        assert_eq!(body, format!("Not here, {alice_id} (loud)"));
        assert_eq!(name, "SOGS");
    }
    assert_eq!(recent(&bob, "loud").await, []);
    let replies: i64 = sqlx::query_scalar(
        r#"select count(*) from messages m join rooms r on r.id = m.room
           where r.token = 'plain' and m."user" = 0"#,
    )
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(replies, 0, "no reply where none is configured");
}
