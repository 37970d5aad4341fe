//! The `sogs-client` binary against a real server, with three identities: community
//! post/read/react/upload/download, DMs both ways, a closed group with a removed member, and
//! no plaintext of any DM or group message in the database.

use sogs_tests::binaries::ClientProfile;
use sogs_tests::{TestApp, TestUser};

/// Three profiles with identities that joined `lobby`.
async fn three_members(app: &TestApp) -> [(ClientProfile, String); 3] {
    app.create_room("lobby", "rwua").await;
    let url = app.room_url("lobby");
    let mut out = Vec::new();
    for name in ["Alice", "Bob", "Carol"] {
        let profile = ClientProfile::new();
        let id = profile.new_identity(name).await;
        assert!(profile.ok(&["join", &url]).await.contains("joined lobby"));
        out.push((profile, id));
    }
    out.try_into().unwrap_or_else(|_| unreachable!())
}

/// The number after `prefix` in `text` (e.g. "posted message 3").
fn number_after(text: &str, prefix: &str) -> String {
    let rest = &text[text.find(prefix).unwrap() + prefix.len()..];
    rest.split_whitespace().next().unwrap().to_owned()
}

#[tokio::test]
async fn three_identities_post_react_upload_and_download_in_a_community() {
    let app = TestApp::spawn().await;
    let [(alice, _), (bob, _), (_carol, _)] = three_members(&app).await;
    let voice = alice.dir.path().join("note.m4a");
    std::fs::write(&voice, b"fake aac audio").unwrap();
    let posted = alice
        .ok(&[
            "post",
            "lobby",
            "hello community",
            "--attach",
            voice.to_str().unwrap(),
        ])
        .await;
    let id = number_after(&posted, "posted message ");

    let read = bob.ok(&["--onion", "read", "lobby"]).await;
    assert!(
        read.contains("Alice") && read.contains("hello community"),
        "{read}"
    );
    assert!(
        read.contains("voice message: note.m4a (audio/aac, 14 bytes)"),
        "{read}"
    );
    let file = number_after(&read, "bytes) file ");

    bob.ok(&["--onion", "react", "lobby", &id, "👍"]).await;
    assert!(
        alice
            .ok(&["read", "lobby"])
            .await
            .contains("reactions: 👍 ×1")
    );
    let target = bob.dir.path().join("got.m4a");
    bob.ok(&["download", "lobby", &file, "-o", target.to_str().unwrap()])
        .await;
    assert_eq!(std::fs::read(target).unwrap(), b"fake aac audio");
}

#[tokio::test]
async fn dms_go_both_ways_and_the_server_never_sees_them() {
    let app = TestApp::spawn().await;
    let [(alice, alice_id), (bob, bob_id), (carol, _)] = three_members(&app).await;
    alice.ok(&["dm", "send", &bob_id, "secret to bob"]).await;
    let inbox = bob.ok(&["dm", "read"]).await;
    assert!(
        inbox.contains("secret to bob") && inbox.contains(&format!("from {alice_id}")),
        "{inbox}"
    );
    bob.ok(&["dm", "send", &alice_id, "secret reply"]).await;
    let both = alice.ok(&["dm", "read"]).await;
    assert!(
        both.contains("secret to bob") && both.contains("secret reply"),
        "{both}"
    );
    assert!(!carol.ok(&["dm", "read"]).await.contains("secret"));
    for text in ["secret to bob", "secret reply"] {
        assert_eq!(
            app.bytea_columns_containing(text.as_bytes()).await,
            Vec::<String>::new()
        );
    }
}

#[tokio::test]
async fn a_removed_group_member_cannot_read_later_messages() {
    let app = TestApp::spawn().await;
    let [(alice, _), (bob, bob_id), (carol, carol_id)] = three_members(&app).await;
    app.create_room("family", "").await;
    app.make_mod(
        &app.client_15(&TestUser { seed: alice.seed() }),
        Some("family"),
        true,
    )
    .await;
    let url = app.room_url("family");
    alice.ok(&["join", &url]).await;
    alice
        .ok(&["group", "create", "fam", "--room", "family"])
        .await;
    // The admin grants membership through POST /room/family/permissions/<id>.
    alice.ok(&["group", "add", "fam", &bob_id]).await;
    alice.ok(&["group", "add", "fam", &carol_id]).await;
    for p in [&bob, &carol] {
        p.ok(&["join", &url]).await;
    }
    alice
        .ok(&["group", "send", "fam", "family secret one"])
        .await;
    assert!(
        carol
            .ok(&["group", "read", "fam"])
            .await
            .contains("family secret one")
    );
    bob.ok(&["group", "send", "fam", "bob says hi"]).await;

    // Carol keeps her room access: only the key rotation keeps her out.
    alice
        .ok(&["group", "remove", "fam", &carol_id, "--no-grant"])
        .await;
    alice
        .ok(&["group", "send", "fam", "after carol left"])
        .await;
    let bob_sees = bob.ok(&["group", "read", "fam"]).await;
    assert!(
        bob_sees.contains("family secret one") && bob_sees.contains("after carol left"),
        "{bob_sees}"
    );
    let members = bob.ok(&["group", "members", "fam"]).await;
    assert!(
        !members.contains(&carol_id) && members.contains(&bob_id),
        "{members}"
    );
    let carol_sees = carol.ok(&["group", "read", "fam"]).await;
    assert!(
        carol_sees.contains("family secret one") && carol_sees.contains("bob says hi"),
        "{carol_sees}"
    );
    assert!(!carol_sees.contains("after carol left"), "{carol_sees}");
    assert!(
        carol_sees.contains("could not be decrypted"),
        "{carol_sees}"
    );
    assert!(
        alice
            .ok(&["group", "read", "fam"])
            .await
            .contains("bob says hi")
    );

    for text in ["family secret one", "bob says hi", "after carol left"] {
        assert_eq!(
            app.bytea_columns_containing(text.as_bytes()).await,
            Vec::<String>::new()
        );
    }
}

#[tokio::test]
async fn a_removed_group_member_is_told_so_in_plain_words() {
    let app = TestApp::spawn().await;
    let [(alice, _), (bob, bob_id), _] = three_members(&app).await;
    app.create_room("friends", "").await;
    let alice_client = app.client_15(&TestUser { seed: alice.seed() });
    app.make_mod(&alice_client, Some("friends"), true).await;
    let url = app.room_url("friends");
    alice.ok(&["join", &url]).await;
    alice
        .ok(&["group", "create", "friends", "--room", "friends"])
        .await;
    alice.ok(&["group", "add", "friends", &bob_id]).await;
    bob.ok(&["join", &url]).await;
    alice.ok(&["group", "send", "friends", "before"]).await;
    assert!(
        bob.ok(&["group", "read", "friends"])
            .await
            .contains("before")
    );

    // Removal revokes bob's access to the room (POST /room/friends/permissions/<id>).
    alice.ok(&["group", "remove", "friends", &bob_id]).await;
    for args in [
        &["group", "read", "friends"][..],
        &["group", "send", "friends", "still here?"],
    ] {
        let line = bob.fails(args).await;
        assert!(
            line.contains("you are no longer a member of group friends"),
            "{args:?}: {line}"
        );
        // Then the server's own text, decoded (`/batch` carries it as base64).
        let server_text = line.split("server answered 403 Forbidden: ").nth(1);
        assert!(
            server_text.is_some_and(|t| t.to_lowercase().contains("permission")),
            "{args:?}: {line}"
        );
    }
}

#[tokio::test]
async fn cli_failures_print_one_clear_line() {
    let app = TestApp::spawn().await;
    let [(alice, _), _, _] = three_members(&app).await;
    app.create_room("readonly", "ra").await;
    alice.ok(&["join", &app.room_url("readonly")]).await;
    let bad_key = format!("{}/lobby?public_key=abc", app.address);
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["join", "http://localhost:3000/lobby?public_key=00"],
            "invalid room URL",
        ),
        (vec!["join", &bad_key], "public_key"),
        (
            vec![
                "id",
                "restore",
                "--force",
                "abbey abbey abbey abbey abbey abbey abbey abbey abbey abbey abbey abbey zzzz",
            ],
            "unknown word \"zzzz\"",
        ),
        (
            vec![
                "id",
                "restore",
                "--force",
                "amaze buffet cake entrance symptoms tiger lamb maze nestle python dusted faxed amaze",
            ],
            "wrong checksum word",
        ),
        (vec!["read", "nowhere"], "unknown room nowhere"),
        (
            vec!["--proxy", "socks5://127.0.0.1:9", "read", "lobby"],
            "cannot reach the server",
        ),
        (
            vec!["--proxy", "not a url", "read", "lobby"],
            "invalid --proxy",
        ),
        (vec!["post", "readonly", "hi"], "403"),
        (
            vec![
                "join",
                "http://127.0.0.1:9/lobby?public_key=a03c383cf63c3c4efe67acc52112a6dd734b3a946b9545f488aaa93da7991238",
            ],
            "cannot reach the server",
        ),
    ];
    for (args, expected) in cases {
        let line = alice.fails(&args).await;
        assert!(line.contains(expected), "{args:?}: {line}");
    }
    assert!(
        ClientProfile::new()
            .fails(&["id", "show"])
            .await
            .contains("no identity")
    );
}

#[tokio::test]
async fn disappearing_posts_are_hidden_and_deleted_by_their_sender() {
    let app = TestApp::spawn().await;
    let [(alice, _), (bob, _), _] = three_members(&app).await;
    alice.ok(&["timer", "lobby", "1"]).await;
    alice.ok(&["post", "lobby", "gone soon"]).await;
    assert!(bob.ok(&["read", "lobby"]).await.contains("gone soon"));
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert!(!alice.ok(&["read", "lobby"]).await.contains("gone soon"));
    assert!(
        !bob.ok(&["read", "lobby"]).await.contains("gone soon"),
        "deleted on the server"
    );
}
