//! The cleanup task's single steps, driven with a controlled clock.

use sogs_server::cleanup::{run_once, unix_now};
use sogs_tests::{TestApp, TestUser};

#[tokio::test]
async fn a_pass_expires_nonces_and_recounts_active_users() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let user = app.client_15(&TestUser::random());
    user.get("/room/lobby/pollInfo/0").await.unwrap();
    let settings = app.state.settings.clone();
    let now = unix_now();

    let counts = run_once(&app.db, &settings, now).await.unwrap();
    assert_eq!(counts.nonces, 0);
    let active: i64 = sqlx::query_scalar("select active_users from rooms").fetch_one(&app.db).await.unwrap();
    assert_eq!(active, 1);

    // Eight days later the user no longer counts; after a day the nonces are gone.
    let counts = run_once(&app.db, &settings, now + 8.0 * 86_400.0).await.unwrap();
    assert!(counts.nonces >= 1, "{counts:?}");
    assert_eq!(counts.room_activity, 0);
    let active: i64 = sqlx::query_scalar("select active_users from rooms").fetch_one(&app.db).await.unwrap();
    assert_eq!(active, 0);
    let counts = run_once(&app.db, &settings, now + 61.0 * 86_400.0).await.unwrap();
    assert_eq!(counts.room_activity, 1);
}
