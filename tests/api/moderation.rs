//! `/user/<id>/moderator`, `/ban`, `/unban`: who may act on whom, scopes, timed bans, 05 ids.

use reqwest::Method;
use serde_json::{Value, json};
use sogs_client::Client;
use sogs_server::cleanup::apply_permission_updates;
use sogs_server::clock::unix_now;
use sogs_tests::{TestApp, TestUser};

async fn post(client: &Client, path: &str, body: Value) -> (u16, String) {
    let resp = client.send_json(Method::POST, path, &body).await.unwrap();
    (resp.status, resp.text())
}

fn id(client: &Client) -> String {
    client.signer().unwrap().id()
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

    let (status, body) = post(
        &admin,
        &path,
        json!({"rooms": ["lobby"], "moderator": true}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let info: Value = serde_json::from_str(&body).unwrap();
    assert!(
        info["info_updates"]["lobby"].as_i64().unwrap() > 0,
        "{info}"
    );
    assert_eq!(
        app.client().room("lobby").await.unwrap()["moderators"],
        json!([id(&user)])
    );
    assert_eq!(user.room("lobby").await.unwrap()["moderator"], true);

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
    post(
        &admin,
        &path,
        json!({"rooms": ["*"], "moderator": true, "visible": false}),
    )
    .await;
    assert_eq!(
        app.client().room("lobby").await.unwrap()["moderators"],
        json!([])
    );
    assert_eq!(
        post(
            &admin,
            &path,
            json!({"rooms": ["lobby"], "moderator": false})
        )
        .await
        .0,
        200
    );
    assert!(user.room("lobby").await.unwrap().get("moderator").is_none());
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
    let (status, body) = post(
        &admin,
        &format!("/user/{}/moderator", id(&user)),
        json!({"global": true, "admin": true}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"lobby\""), "{body}");
    let room = user.room("lobby").await.unwrap();
    assert_eq!(room["global_admin"], true);
    assert!(
        room["hidden_admins"]
            .as_array()
            .unwrap()
            .contains(&json!(id(&user))),
        "{room}"
    );
    assert_eq!(
        app.client().room("lobby").await.unwrap()["admins"],
        json!([])
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
    assert_eq!(
        post(&moderator, &ban, json!({"rooms": ["lobby"], "timeout": 60})).await,
        (200, "{}".into())
    );
    assert_eq!(user.get("/room/lobby").await.unwrap().status, 404);
    let futures: Value = moderator
        .get_json("/room/lobby/futurePermissions")
        .await
        .unwrap();
    assert_eq!(futures[0]["banned"], false);
    assert_eq!(futures[0]["session_id"], id(&user));

    assert_eq!(
        apply_permission_updates(&app.db, unix_now() + 30.0)
            .await
            .unwrap(),
        0
    );
    app.sync().await;
    assert_eq!(user.get("/room/lobby").await.unwrap().status, 404);
    assert_eq!(
        apply_permission_updates(&app.db, unix_now() + 61.0)
            .await
            .unwrap(),
        1
    );
    app.sync().await;
    assert_eq!(user.get("/room/lobby").await.unwrap().status, 200);

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
    assert_eq!(
        post(
            &admin,
            &format!("/user/{}/ban", id(&moderator)),
            json!({"rooms": ["lobby"]})
        )
        .await
        .0,
        200
    );
    assert_eq!(moderator.get("/room/lobby").await.unwrap().status, 404);

    // A permanent ban, then an unban.
    assert_eq!(
        post(&admin, &ban, json!({"rooms": ["*"], "timeout": 0}))
            .await
            .0,
        200
    );
    assert_eq!(
        apply_permission_updates(&app.db, unix_now() + 1e6)
            .await
            .unwrap(),
        0
    );
    app.sync().await;
    assert_eq!(user.get("/room/lobby").await.unwrap().status, 404);
    assert_eq!(
        post(
            &admin,
            &format!("/user/{}/unban", id(&user)),
            json!({"rooms": ["lobby"]})
        )
        .await
        .0,
        200
    );
    assert_eq!(user.get("/room/lobby").await.unwrap().status, 200);
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
    let (global, user) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    app.make_mod(&global, None, false).await;
    let ban = format!("/user/{}/ban", id(&user));
    assert_eq!(
        post(&global, &ban, json!({"global": true, "timeout": 10}))
            .await
            .0,
        200
    );
    let resp = user.get("/room/lobby").await.unwrap();
    assert_eq!((resp.status, resp.text().as_str()), (403, "Banned"));
    apply_permission_updates(&app.db, unix_now() + 11.0)
        .await
        .unwrap();
    app.sync().await;
    assert_eq!(user.get("/room/lobby").await.unwrap().status, 200);
    assert_eq!(post(&global, &ban, json!({"global": true})).await.0, 200);
    assert_eq!(
        post(
            &global,
            &format!("/user/{}/unban", id(&user)),
            json!({"global": true})
        )
        .await
        .0,
        200
    );
    assert_eq!(user.get("/room/lobby").await.unwrap().status, 200);
}

#[tokio::test]
async fn a_moderator_appointed_by_session_id_is_moderator_at_first_blinded_login() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let admin = app.client_15(&TestUser::random());
    app.make_mod(&admin, Some("lobby"), true).await;
    let person = TestUser::random();
    let path = format!("/user/{}/moderator", person.session_id());
    assert_eq!(
        post(
            &admin,
            &path,
            json!({"rooms": ["lobby"], "moderator": true})
        )
        .await
        .0,
        200
    );
    let blinded = app.client_15(&person);
    assert_eq!(blinded.room("lobby").await.unwrap()["moderator"], true);
    // Once the blinded user exists, a 05 id acts on it directly.
    assert_eq!(
        post(&admin, &path, json!({"rooms": ["lobby"], "admin": true}))
            .await
            .0,
        200
    );
    assert_eq!(blinded.room("lobby").await.unwrap()["admin"], true);
}
