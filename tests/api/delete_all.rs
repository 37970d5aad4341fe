//! `DELETE /room/<t>/all/<id>` and `DELETE /rooms/all/<id>`: self, moderators, admins' posts.

use std::collections::BTreeMap;

use reqwest::Method;
use sogs_client::Client;
use sogs_protocol::api::delete_all::DeletedEverywhere;
use sogs_tests::{TestApp, TestUser, padded};

/// A raw `DELETE` (for refused requests and exact answers): status and body text.
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
        let spam = user.signed_post(&padded(b"spam"));
        user.create_message(token, &spam).await.unwrap();
    }
    let notice = admin.signed_post(&padded(b"admin"));
    admin.create_message("lobby", &notice).await.unwrap();
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

    assert_eq!(
        moderator.delete_user_posts_everywhere(&uid).await.unwrap(),
        DeletedEverywhere {
            total: 2,
            rooms: BTreeMap::from([("lobby".to_owned(), 2)]),
        }
    );
    assert_eq!(
        delete(&moderator, &format!("/room/lobby/all/{uid}"))
            .await
            .0,
        404
    );
    // Answered exactly `{}`.
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
