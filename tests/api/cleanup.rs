//! The cleanup task's single steps, driven with a controlled clock.

use sogs_server::cleanup::run_once;
use sogs_server::clock::unix_now;
use sogs_tests::{TestApp, TestUser};

#[tokio::test]
async fn a_pass_expires_nonces_and_recounts_active_users() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let user = app.client_15(&TestUser::random());
    user.poll_info("lobby", 0).await.unwrap();
    app.state.activity.flush(&app.state.db).await.unwrap();
    let settings = app.state.settings.clone();
    let now = unix_now();

    let counts = run_once(&app.db, &settings, now).await.unwrap();
    assert_eq!(counts.nonces, 0);
    let active: i64 = sqlx::query_scalar("select active_users from rooms")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(active, 1);

    // Eight days later the user no longer counts; after a day the nonces are gone.
    let counts = run_once(&app.db, &settings, now + 8.0 * 86_400.0)
        .await
        .unwrap();
    assert!(counts.nonces >= 1, "{counts:?}");
    assert_eq!(counts.room_activity, 0);
    let active: i64 = sqlx::query_scalar("select active_users from rooms")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(active, 0);
    let counts = run_once(&app.db, &settings, now + 61.0 * 86_400.0)
        .await
        .unwrap();
    assert_eq!(counts.room_activity, 1);
}

#[tokio::test]
async fn expired_files_and_direct_messages_are_deleted_by_the_cleanup() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let (alice, bob) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    let upload = alice.upload_file("lobby", b"pic".to_vec(), None).await;
    let file = upload.unwrap().id;
    bob.inbox(None).await.unwrap();
    let to_bob = bob.signer().unwrap().id();
    alice.send_direct_message(&to_bob, b"hi").await.unwrap();
    let now = unix_now();

    let counts = run_once(&app.db, &app.state.settings, now).await.unwrap();
    assert_eq!((counts.files, counts.direct_messages), (0, 0));
    // An unattached upload lives an hour; a DM fifteen days.
    let counts = run_once(&app.db, &app.state.settings, now + 3601.0)
        .await
        .unwrap();
    assert_eq!((counts.files, counts.direct_messages), (1, 0));
    let gone: i64 = sqlx::query_scalar("select count(*) from files where id = $1")
        .bind(file)
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(gone, 0);
    let counts = run_once(&app.db, &app.state.settings, now + 15.0 * 86_400.0 + 1.0)
        .await
        .unwrap();
    assert_eq!(counts.direct_messages, 1);
}
