//! A second device restored from the 13-word phrase: it recovers the DMs the server still holds
//! (received and sent, past one page) and the keys of the groups the account is in or
//! administers, and both devices then stay consistent.

use sogs_client::community::{Community, message_content, now_ms};
use sogs_client::dm;
use sogs_client::identity::Identity;
use sogs_client::room_url::RoomUrl;
use sogs_server::cleanup::run_once;
use sogs_server::clock::unix_now;
use sogs_tests::binaries::ClientProfile;
use sogs_tests::{TestApp, TestUser};

/// A profile with a new identity that joined `urls`; returns it, its Session ID and phrase.
async fn member(name: &str, urls: &[&str]) -> (ClientProfile, String, String) {
    let profile = ClientProfile::new();
    let out = profile.ok(&["id", "new", "--name", name]).await;
    let field = |prefix: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix(prefix))
            .unwrap()
            .trim()
            .to_owned()
    };
    for url in urls {
        profile.ok(&["join", url]).await;
    }
    (profile, field("Session ID: "), field("Recovery phrase: "))
}

/// A second profile restored from `phrase` that joined `urls`.
async fn restored(phrase: &str, urls: &[&str]) -> ClientProfile {
    let profile = ClientProfile::new();
    profile.ok(&["id", "restore", phrase]).await;
    for url in urls {
        profile.ok(&["join", url]).await;
    }
    profile
}

/// How many printed messages have exactly the text `text`.
fn count(output: &str, text: &str) -> usize {
    output
        .lines()
        .filter(|l| l.ends_with(&format!(": {text}")))
        .count()
}

/// Sends `n` DMs "bulk 000"… from `from` to `to` through the library (the CLI is slow).
async fn bulk_dms(app: &TestApp, from: &ClientProfile, to: &str, n: usize) {
    let identity = Identity::from_seed(&from.seed());
    let url = RoomUrl::parse(&app.room_url("lobby")).unwrap();
    let (lobby, _) = Community::join(&app.client(), &identity, url)
        .await
        .unwrap();
    let recipient = dm::recipient_id(&lobby, to).unwrap();
    for i in 0..n {
        let content = message_content(&format!("bulk {i:03}"), None, vec![], now_ms());
        dm::send(&lobby, &identity, &recipient, &content)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn a_restored_device_reads_past_dms_beyond_one_page_and_both_devices_stay_consistent() {
    let app = TestApp::spawn_with(|s| s.direct_messages.rate_limit_messages = 0).await;
    app.create_room("lobby", "rwua").await;
    let lobby = app.room_url("lobby");
    let (alice, alice_id, phrase) = member("Alice", &[&lobby]).await;
    let (bob, bob_id, _) = member("Bob", &[&lobby]).await;
    bob.ok(&["dm", "send", &alice_id, "before the restore"])
        .await;
    alice.ok(&["dm", "send", &bob_id, "sent by alice"]).await;
    bulk_dms(&app, &bob, &alice_id, 260).await;
    assert_eq!(count(&alice.ok(&["dm", "read"]).await, "sent by alice"), 1);

    let alice2 = restored(&phrase, &[&lobby]).await;
    let seen = alice2.ok(&["dm", "read"]).await;
    for text in [
        "before the restore",
        "sent by alice",
        "bulk 000",
        "bulk 259",
    ] {
        assert_eq!(count(&seen, text), 1, "{text}: {seen}");
    }
    assert_eq!(seen.matches(": bulk ").count(), 260);

    // Both devices send and receive; each sees everything exactly once, in both orders.
    bob.ok(&["dm", "send", &alice_id, "after the restore"])
        .await;
    alice2
        .ok(&["dm", "send", &bob_id, "from the second device"])
        .await;
    alice
        .ok(&["dm", "send", &bob_id, "from the first device"])
        .await;
    for _ in 0..2 {
        for device in [&alice, &alice2] {
            let seen = device.ok(&["dm", "read"]).await;
            for text in [
                "before the restore",
                "sent by alice",
                "after the restore",
                "from the second device",
                "from the first device",
            ] {
                assert_eq!(count(&seen, text), 1, "{text}: {seen}");
            }
            assert_eq!(seen.matches(": bulk ").count(), 260);
        }
    }

    // Once the server has expired the DMs, a device keeps what it fetched; a device restored
    // afterwards has nothing left to recover.
    run_once(&app.db, &app.state.settings, unix_now() + 16.0 * 86_400.0)
        .await
        .unwrap();
    app.sync().await;
    assert_eq!(
        count(&alice2.ok(&["dm", "read"]).await, "before the restore"),
        1
    );
    let late = restored(&phrase, &[&lobby]).await;
    assert!(
        !late
            .ok(&["dm", "read"])
            .await
            .contains("before the restore")
    );
}

#[tokio::test]
async fn restored_devices_of_an_admin_and_a_member_read_the_group_and_the_admin_can_administer() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    app.create_room("family", "").await;
    let (lobby, family) = (app.room_url("lobby"), app.room_url("family"));
    let (alice, _, alice_phrase) = member("Alice", &[&lobby]).await;
    let (bob, bob_id, bob_phrase) = member("Bob", &[&lobby]).await;
    let (carol, carol_id, _) = member("Carol", &[&lobby]).await;
    let admin = app.client_15(&TestUser { seed: alice.seed() });
    app.make_mod(&admin, Some("family"), true).await;
    alice.ok(&["join", &family]).await;
    alice
        .ok(&["group", "create", "fam", "--room", "family"])
        .await;
    alice.ok(&["group", "add", "fam", &bob_id]).await;
    bob.ok(&["join", &family]).await;
    alice
        .ok(&["group", "send", "fam", "group history one"])
        .await;
    bob.ok(&["group", "send", "fam", "bob in the group"]).await;

    // The admin's second device gets the group from its own outbox, seed included.
    let alice2 = restored(&alice_phrase, &[&lobby, &family]).await;
    let seen = alice2.ok(&["group", "read", "fam"]).await;
    assert!(
        seen.contains("group history one") && seen.contains("bob in the group"),
        "{seen}"
    );
    // The member's second device gets the keys from its inbox.
    let bob2 = restored(&bob_phrase, &[&lobby, &family]).await;
    let seen = bob2.ok(&["group", "read", "fam"]).await;
    assert!(seen.contains("group history one"), "{seen}");

    // The second admin device administers; every device keeps reading.
    alice2.ok(&["group", "add", "fam", &carol_id]).await;
    carol.ok(&["join", &family]).await;
    alice2
        .ok(&["group", "send", "fam", "from the second device"])
        .await;
    alice
        .ok(&["group", "send", "fam", "from the first device"])
        .await;
    for device in [&alice, &alice2, &bob, &bob2, &carol] {
        let seen = device.ok(&["group", "read", "fam"]).await;
        for text in [
            "group history one",
            "bob in the group",
            "from the second device",
            "from the first device",
        ] {
            assert_eq!(count(&seen, text), 1, "{text}: {seen}");
        }
    }
    assert!(
        alice
            .ok(&["group", "members", "fam"])
            .await
            .contains(&carol_id)
    );
}
