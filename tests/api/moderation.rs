//! `/user/<id>/moderator`, `/ban`, `/unban`: who may act on whom, scopes, timed bans, 05 ids.

use reqwest::Method;
use serde_json::{Value, json};
use sogs_client::Client;
use sogs_protocol::api::users::{BanUser, RoomsOrGlobal, SetModerator};
use sogs_server::cleanup::apply_permission_updates;
use sogs_server::clock::unix_now;
use sogs_tests::{TestApp, TestUser};

/// A raw `POST` of `body` (for refused requests and exact answers): status and body text.
async fn post(client: &Client, path: &str, body: Value) -> (u16, String) {
    let resp = client.send_json(Method::POST, path, &body).await.unwrap();
    (resp.status, resp.text())
}

fn id(client: &Client) -> String {
    client.signer().unwrap().id()
}

/// The scope `{"rooms": tokens}`.
fn rooms(tokens: &[&str]) -> RoomsOrGlobal {
    RoomsOrGlobal {
        rooms: Some(tokens.iter().map(|t| t.to_string()).collect()),
        global: None,
    }
}

/// The scope `{"global": true}`.
fn global() -> RoomsOrGlobal {
    RoomsOrGlobal {
        rooms: None,
        global: Some(true),
    }
}

/// The status of `client`'s `GET /room/lobby`: 200 (details answered) or the refusal's.
async fn lobby_status(client: &Client) -> u16 {
    match client.room("lobby").await {
        Ok(_) => 200,
        Err(e) => e.status().unwrap_or_else(|| panic!("no answer: {e}")),
    }
}

#[tokio::test]
async fn room_admins_appoint_moderators_and_bad_bodies_are_refused() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    app.create_room("other", "rwua").await;
    let (admin, user) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    app.make_mod(&admin, Some("lobby"), true).await;
    let path = format!("/user/{}/moderator", id(&user));

    let appoint = SetModerator {
        scope: rooms(&["lobby"]),
        moderator: Some(true),
        ..SetModerator::default()
    };
    let info = admin.set_moderator(&id(&user), &appoint).await.unwrap();
    assert!(info.info_updates["lobby"] > 0, "{info:?}");
    assert_eq!(
        app.client().room("lobby").await.unwrap().moderators,
        [id(&user)]
    );
    assert_eq!(user.room("lobby").await.unwrap().moderator, Some(true));

    let bad = [
        json!({"rooms": ["lobby"], "admin": true, "moderator": false}),
        json!({"rooms": ["lobby"]}),
        json!({"rooms": ["lobby"], "global": true, "moderator": true}),
        json!({"rooms": [], "moderator": true}),
        json!({"rooms": ["*", "lobby"], "moderator": true}),
        json!({"moderator": true}),
    ];
    for body in bad {
        assert_eq!(post(&admin, &path, body.clone()).await.0, 400, "{body}");
    }
    for rooms in [json!(["other"]), json!(["nope"]), json!(["lobby", "other"])] {
        assert_eq!(
            post(&admin, &path, json!({"rooms": rooms, "moderator": true}))
                .await
                .0,
            403,
            "{rooms}"
        );
    }
    assert_eq!(
        post(&admin, &path, json!({"global": true, "moderator": true}))
            .await
            .0,
        403
    );
    assert_eq!(
        post(&user, &path, json!({"rooms": ["lobby"], "admin": true}))
            .await
            .0,
        403
    );
    assert_eq!(
        post(
            &app.client(),
            &path,
            json!({"rooms": ["lobby"], "moderator": true})
        )
        .await
        .0,
        401
    );

    // Hidden moderators are listed only to moderators; removal demotes.
    let hidden = SetModerator {
        scope: rooms(&["*"]),
        moderator: Some(true),
        visible: Some(false),
        ..SetModerator::default()
    };
    admin.set_moderator(&id(&user), &hidden).await.unwrap();
    assert_eq!(
        app.client().room("lobby").await.unwrap().moderators,
        Vec::<String>::new()
    );
    let removal = SetModerator {
        scope: rooms(&["lobby"]),
        moderator: Some(false),
        ..SetModerator::default()
    };
    admin.set_moderator(&id(&user), &removal).await.unwrap();
    assert_eq!(user.room("lobby").await.unwrap().moderator, None);
}

#[tokio::test]
async fn global_admins_appoint_global_moderators_hidden_by_default() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let (admin, user) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    app.make_mod(&admin, None, true).await;
    let appoint = SetModerator {
        scope: global(),
        admin: Some(true),
        ..SetModerator::default()
    };
    let info = admin.set_moderator(&id(&user), &appoint).await.unwrap();
    assert!(info.info_updates.contains_key("lobby"), "{info:?}");
    let room = user.room("lobby").await.unwrap();
    assert_eq!(room.global_admin, Some(true));
    assert!(room.hidden_admins.contains(&id(&user)), "{room:?}");
    assert_eq!(
        app.client().room("lobby").await.unwrap().admins,
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn a_timed_room_ban_hides_the_room_and_lifts_itself() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let (moderator, admin, user) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    app.make_mod(&moderator, Some("lobby"), false).await;
    app.make_mod(&admin, Some("lobby"), true).await;
    user.room("lobby").await.unwrap();

    let ban = format!("/user/{}/ban", id(&user));
    // Answered exactly `{}`.
    assert_eq!(
        post(&moderator, &ban, json!({"rooms": ["lobby"], "timeout": 60})).await,
        (200, "{}".into())
    );
    assert_eq!(lobby_status(&user).await, 404);
    let futures = moderator.future_permissions("lobby").await.unwrap();
    assert_eq!(futures[0].banned, Some(false));
    assert_eq!(futures[0].session_id, Some(id(&user)));

    assert_eq!(
        apply_permission_updates(&app.db, unix_now() + 30.0)
            .await
            .unwrap(),
        0
    );
    app.sync().await;
    assert_eq!(lobby_status(&user).await, 404);
    assert_eq!(
        apply_permission_updates(&app.db, unix_now() + 61.0)
            .await
            .unwrap(),
        1
    );
    app.sync().await;
    assert_eq!(lobby_status(&user).await, 200);

    // Who may ban whom.
    assert_eq!(
        post(
            &moderator,
            &format!("/user/{}/ban", id(&moderator)),
            json!({"rooms": ["lobby"]})
        )
        .await
        .0,
        403
    );
    assert_eq!(
        post(
            &moderator,
            &format!("/user/{}/ban", id(&admin)),
            json!({"rooms": ["lobby"]})
        )
        .await
        .0,
        403
    );
    assert_eq!(
        post(
            &user,
            &format!("/user/{}/ban", id(&moderator)),
            json!({"rooms": ["lobby"]})
        )
        .await
        .0,
        403
    );
    assert_eq!(post(&moderator, &ban, json!({"global": true})).await.0, 403);
    assert_eq!(
        post(
            &moderator,
            &ban,
            json!({"rooms": ["lobby"], "timeout": "1d"})
        )
        .await
        .0,
        400
    );
    let in_lobby = BanUser {
        scope: rooms(&["lobby"]),
        timeout: None,
    };
    admin.ban_user(&id(&moderator), &in_lobby).await.unwrap();
    assert_eq!(lobby_status(&moderator).await, 404);

    // A permanent ban, then an unban.
    let everywhere = BanUser {
        scope: rooms(&["*"]),
        timeout: Some(0.0),
    };
    admin.ban_user(&id(&user), &everywhere).await.unwrap();
    assert_eq!(
        apply_permission_updates(&app.db, unix_now() + 1e6)
            .await
            .unwrap(),
        0
    );
    app.sync().await;
    assert_eq!(lobby_status(&user).await, 404);
    admin
        .unban_user(&id(&user), &rooms(&["lobby"]))
        .await
        .unwrap();
    assert_eq!(lobby_status(&user).await, 200);
    let log: i64 = sqlx::query_scalar("select count(*) from moderation_log where action = 'ban'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(log, 3);
}

#[tokio::test]
async fn a_global_ban_refuses_every_request() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let (global_mod, user) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    app.make_mod(&global_mod, None, false).await;
    let timed = BanUser {
        scope: global(),
        timeout: Some(10.0),
    };
    global_mod.ban_user(&id(&user), &timed).await.unwrap();
    let resp = user.get("/room/lobby").await.unwrap();
    assert_eq!((resp.status, resp.text().as_str()), (403, "Banned"));
    apply_permission_updates(&app.db, unix_now() + 11.0)
        .await
        .unwrap();
    app.sync().await;
    assert_eq!(lobby_status(&user).await, 200);
    let permanent = BanUser {
        scope: global(),
        timeout: None,
    };
    global_mod.ban_user(&id(&user), &permanent).await.unwrap();
    global_mod.unban_user(&id(&user), &global()).await.unwrap();
    assert_eq!(lobby_status(&user).await, 200);
}

#[tokio::test]
async fn a_moderator_appointed_by_session_id_is_moderator_at_first_blinded_login() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let admin = app.client_15(&TestUser::random());
    app.make_mod(&admin, Some("lobby"), true).await;
    let person = TestUser::random();
    let sid = person.session_id().to_string();
    let appoint = SetModerator {
        scope: rooms(&["lobby"]),
        moderator: Some(true),
        ..SetModerator::default()
    };
    admin.set_moderator(&sid, &appoint).await.unwrap();
    let blinded = app.client_15(&person);
    assert_eq!(blinded.room("lobby").await.unwrap().moderator, Some(true));
    // Once the blinded user exists, a 05 id acts on it directly.
    let promote = SetModerator {
        scope: rooms(&["lobby"]),
        admin: Some(true),
        ..SetModerator::default()
    };
    admin.set_moderator(&sid, &promote).await.unwrap();
    assert_eq!(blinded.room("lobby").await.unwrap().admin, Some(true));
}
