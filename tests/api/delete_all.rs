//! `DELETE /room/<t>/all/<id>` and `DELETE /rooms/all/<id>`: self, moderators, admins' posts.

use reqwest::Method;
use serde_json::{Value, json};
use sogs_client::Client;
use sogs_tests::{TestApp, TestUser, padded};

async fn delete(client: &Client, path: &str) -> (u16, String) {
    let resp = client
        .request(Method::DELETE, path, &[], None)
        .await
        .unwrap();
    (resp.status, resp.text())
}

#[tokio::test]
async fn moderators_and_authors_delete_all_posts() {
    let app = TestApp::spawn().await;
    for token in ["lobby", "other"] {
        app.create_room(token, "rwua").await;
    }
    let (moderator, admin, user) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    app.make_mod(&moderator, Some("lobby"), false).await;
    app.make_mod(&admin, Some("lobby"), true).await;
    for token in ["lobby", "lobby", "other"] {
        user.post_message(token, &padded(b"spam"), json!({}))
            .await
            .unwrap();
    }
    admin
        .post_message("lobby", &padded(b"admin"), json!({}))
        .await
        .unwrap();
    let uid = user.signer().unwrap().id();

    assert_eq!(
        delete(&app.client(), &format!("/room/lobby/all/{uid}"))
            .await
            .0,
        401
    );
    assert_eq!(
        delete(&app.client(), &format!("/rooms/all/{uid}")).await.0,
        401
    );
    assert_eq!(
        delete(
            &admin,
            &format!("/room/lobby/all/{}", TestUser::random().session_id())
        )
        .await
        .0,
        404
    );
    assert_eq!(
        delete(
            &moderator,
            &format!("/room/lobby/all/{}", admin.signer().unwrap().id())
        )
        .await
        .0,
        403
    );
    assert_eq!(
        delete(
            &user,
            &format!("/room/lobby/all/{}", moderator.signer().unwrap().id())
        )
        .await
        .0,
        403
    );

    let (status, body) = delete(&moderator, &format!("/rooms/all/{uid}")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"total": 2, "rooms": {"lobby": 2}})
    );
    assert_eq!(
        delete(&moderator, &format!("/room/lobby/all/{uid}"))
            .await
            .0,
        404
    );
    assert_eq!(
        delete(&user, &format!("/room/other/all/{uid}")).await,
        (200, "{}".into())
    );
    let left: i64 = sqlx::query_scalar("select count(*) from messages where data is not null")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(left, 1);
}
