//! `/room/<t>/permissions…` and `/room/<t>/futurePermissions…`: overrides, a timed mute, errors.

use reqwest::Method;
use serde_json::{Value, json};
use sogs_client::Client;
use sogs_protocol::api::permissions::{SchedulePermissions, SetPermissions, UserPermissions};
use sogs_server::cleanup::apply_permission_updates;
use sogs_server::clock::unix_now;
use sogs_tests::{TestApp, TestUser, padded};

/// A raw `POST` of `body`: its status and exact body text.
async fn post(client: &Client, path: &str, body: Value) -> (u16, String) {
    let resp = client.send_json(Method::POST, path, &body).await.unwrap();
    (resp.status, resp.text())
}

#[tokio::test]
async fn a_timed_mute_applies_at_its_time_and_returns_to_the_default() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let (moderator, user) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    app.make_mod(&moderator, Some("lobby"), false).await;
    let sid = user.signer().unwrap().id();
    let perms = format!("/room/lobby/permissions/{sid}");
    let none = UserPermissions::default();

    assert_eq!(
        moderator.user_permissions("lobby", &sid).await.unwrap(),
        none
    );
    // The answer is simplified: only the overridden permission, exactly.
    assert_eq!(
        post(&moderator, &perms, json!({"write": false})).await,
        (200, r#"{"write":false}"#.into())
    );
    assert_eq!(
        user.post_message("lobby", &padded(b"hi"), json!({}))
            .await
            .unwrap()
            .status,
        403
    );
    let all = moderator.room_permissions("lobby").await.unwrap();
    assert_eq!(
        all[&sid],
        UserPermissions {
            write: Some(false),
            ..none
        }
    );
    assert_eq!(
        all[&moderator.signer().unwrap().id()],
        UserPermissions {
            moderator: Some(true),
            ..none
        }
    );

    let later = SchedulePermissions {
        write: Some(true),
        delay: Some(60.0),
        ..SchedulePermissions::default()
    };
    let listed = moderator
        .schedule_permissions("lobby", &sid, &later)
        .await
        .unwrap();
    assert_eq!(listed[0].write, Some(true));
    assert_eq!((&listed[0].session_id, listed[0].read), (&None, None));
    let room_list = moderator.future_permissions("lobby").await.unwrap();
    assert_eq!(room_list[0].session_id.as_deref(), Some(sid.as_str()));

    assert_eq!(
        apply_permission_updates(&app.db, unix_now() + 61.0)
            .await
            .unwrap(),
        1
    );
    app.sync().await;
    let hi = user.signed_post(&padded(b"hi"));
    user.create_message("lobby", &hi).await.unwrap();
    assert_eq!(
        moderator.user_permissions("lobby", &sid).await.unwrap(),
        none
    );
    let left = moderator.user_future_permissions("lobby", &sid).await;
    assert_eq!(left.unwrap(), []);
}

#[tokio::test]
async fn setting_a_permission_unschedules_it_unless_asked_not_to() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let (moderator, user) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    app.make_mod(&moderator, Some("lobby"), false).await;
    let sid = user.signer().unwrap().id();
    let perms = format!("/room/lobby/permissions/{sid}");
    let later = SchedulePermissions {
        write: Some(true),
        read: Some(false),
        delay: Some(60.0),
        ..SchedulePermissions::default()
    };
    moderator
        .schedule_permissions("lobby", &sid, &later)
        .await
        .unwrap();
    let set = |change: SetPermissions| {
        let (moderator, sid) = (moderator.clone(), sid.clone());
        async move {
            moderator
                .set_permissions("lobby", &sid, &change)
                .await
                .unwrap()
        }
    };
    let keep_schedule = SetPermissions {
        unschedule: false,
        ..SetPermissions::default()
    };
    set(SetPermissions {
        upload: Some(false),
        ..keep_schedule
    })
    .await;
    set(SetPermissions {
        write: Some(false),
        ..keep_schedule
    })
    .await;
    let futures = || moderator.user_future_permissions("lobby", &sid);
    assert_eq!(futures().await.unwrap()[0].write, Some(true));
    set(SetPermissions {
        write: Some(false),
        ..SetPermissions::default()
    })
    .await;
    let left = futures().await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(
        (left[0].write, left[0].read),
        (None, Some(false)),
        "{left:?}"
    );
    set(SetPermissions {
        read: Some(true),
        ..SetPermissions::default()
    })
    .await;
    assert_eq!(futures().await.unwrap(), []);
    // `null` leaves a permission unchanged; the answer is exactly the remaining override.
    let (_, body) = post(
        &moderator,
        &perms,
        json!({"default_write": true, "default_upload": true, "read": null}),
    )
    .await;
    assert_eq!(body, r#"{"read":true}"#);
}

#[tokio::test]
async fn permission_routes_refuse_bad_requests() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let (moderator, user) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    app.make_mod(&moderator, Some("lobby"), false).await;
    let sid = user.signer().unwrap().id();
    let (perms, futures) = (
        format!("/room/lobby/permissions/{sid}"),
        format!("/room/lobby/futurePermissions/{sid}"),
    );
    let bad = [
        (&perms, json!({"write": true, "default_write": true})),
        (&perms, json!({})),
        (&perms, json!({"read": "yes"})),
        (&futures, json!({"in": 60})),
        (&futures, json!({"write": true})),
        (&futures, json!({"write": true, "in": 0})),
        (&futures, json!({"write": true, "in": 1e9})),
        (&futures, json!({"write": true, "in": "60"})),
    ];
    for (path, body) in bad {
        assert_eq!(
            post(&moderator, path, body.clone()).await.0,
            400,
            "{path} {body}"
        );
    }
    let session = TestUser::random().session_id();
    assert_eq!(
        moderator
            .get(&format!("/room/lobby/permissions/{session}"))
            .await
            .unwrap()
            .status,
        404
    );
    assert_eq!(
        post(&user, &perms, json!({"write": false})).await,
        (
            403,
            "This endpoint requires moderator room permissions".into()
        )
    );
    let anonymous = app.client().get("/room/lobby/permissions").await.unwrap();
    assert_eq!(
        (anonymous.status, anonymous.text().as_str()),
        (401, "X-SOGS-* request authentication required")
    );
    assert_eq!(
        moderator
            .get("/room/nope/futurePermissions")
            .await
            .unwrap()
            .status,
        404
    );
}
