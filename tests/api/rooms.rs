//! `GET /rooms` and `GET /room/{token}` for anonymous callers.

use sogs_tests::TestApp;

#[tokio::test]
async fn rooms_are_listed_by_token_with_their_details() {
    let app = TestApp::spawn().await;
    app.create_room("zeta", "rwua").await;
    app.create_room("Alpha", "rwua").await;
    let rooms = app.client().rooms().await.unwrap();
    let tokens: Vec<_> = rooms.iter().map(|r| r.token.as_str()).collect();
    assert_eq!(tokens, ["Alpha", "zeta"]);
    let alpha = &rooms[0];
    assert_eq!(alpha.name, "Alpha");
    assert_eq!(
        (
            alpha.info_updates,
            alpha.message_sequence,
            alpha.active_users
        ),
        (0, 0, 0)
    );
    assert_eq!(alpha.active_users_cutoff, 604800);
    assert!(alpha.moderators.is_empty() && alpha.admins.is_empty());
    assert_eq!((alpha.read, alpha.write, alpha.upload), (true, true, true));
    assert!(alpha.created > 1.6e9);
    // On the wire, unset keys are omitted rather than null.
    let raw: Vec<serde_json::Value> = app.client().get_json("/rooms").await.unwrap();
    let alpha = &raw[0];
    for absent in [
        "description",
        "image_id",
        "pinned_messages",
        "moderator",
        "admin",
        "default_read",
        "hidden_moderators",
    ] {
        assert!(
            alpha.get(absent).is_none(),
            "{absent} should be omitted: {alpha}"
        );
    }
}

#[tokio::test]
async fn a_room_is_found_by_token_in_any_case_and_echoed_in_stored_case() {
    let app = TestApp::spawn().await;
    app.create_room("Lobby", "rwua").await;
    for asked in ["Lobby", "lobby", "LOBBY"] {
        let room = app.client().room(asked).await.unwrap();
        assert_eq!(room.token, "Lobby");
    }
}

#[tokio::test]
async fn an_unknown_room_is_404() {
    let app = TestApp::spawn().await;
    let resp = app
        .client()
        .request(reqwest::Method::GET, "/room/nope", &[], None)
        .await
        .unwrap();
    assert_eq!(resp.status, 404);
    assert_eq!(resp.text(), "No such room: nope");
}

#[tokio::test]
async fn a_secret_room_is_invisible_and_a_read_only_room_says_so() {
    let app = TestApp::spawn().await;
    app.create_room("secret", "").await;
    app.create_room("news", "ra").await;
    app.create_room("lobbyish", "a").await;
    let rooms = app.client().rooms().await.unwrap();
    let tokens: Vec<_> = rooms.iter().map(|r| r.token.as_str()).collect();
    assert_eq!(tokens, ["lobbyish", "news"]);
    let resp = app
        .client()
        .request(reqwest::Method::GET, "/room/secret", &[], None)
        .await
        .unwrap();
    assert_eq!(resp.status, 404);
    let news = app.client().room("news").await.unwrap();
    assert_eq!((news.read, news.write, news.upload), (true, false, false));
    let accessible_only = app.client().room("lobbyish").await.unwrap();
    assert!(!accessible_only.read);
}
