//! Group attachments: encrypted with a fresh key inside the group message, uploaded to the
//! group's room, listed by `group read` and decrypted by `download`; the database holds only
//! ciphertext.

use sogs_tests::binaries::ClientProfile;
use sogs_tests::{TestApp, TestUser};

/// The number after `prefix` in `text` (e.g. "bytes) file 3").
fn number_after(text: &str, prefix: &str) -> String {
    let rest = &text[text.find(prefix).unwrap() + prefix.len()..];
    rest.split_whitespace().next().unwrap().to_owned()
}

#[tokio::test]
async fn a_group_attachment_round_trips_and_its_plaintext_is_nowhere_in_the_database() {
    let app = TestApp::spawn().await;
    app.create_room("family", "").await;
    let url = app.room_url("family");
    let (alice, bob, carol) = (
        ClientProfile::new(),
        ClientProfile::new(),
        ClientProfile::new(),
    );
    let mut ids = Vec::new();
    for (profile, name) in [(&alice, "Alice"), (&bob, "Bob"), (&carol, "Carol")] {
        ids.push(profile.new_identity(name).await);
    }
    let admin = app.client_15(&TestUser { seed: alice.seed() });
    app.make_mod(&admin, Some("family"), true).await;
    alice.ok(&["join", &url]).await;
    alice
        .ok(&["group", "create", "fam", "--room", "family"])
        .await;
    alice.ok(&["group", "add", "fam", &ids[1]]).await;
    bob.ok(&["join", &url]).await;
    // Carol may read and download from the room, but holds no group key.
    let carol_client = app.client_15(&TestUser { seed: carol.seed() });
    carol_client.get("/room/family").await.unwrap();
    app.grant(&carol.seed(), "family").await;
    carol.ok(&["join", &url]).await;

    let plaintext = b"the attachment plaintext 4e1f9c: grandma's recipe".repeat(40);
    let file = alice.dir.path().join("recipe-4e1f9c.txt");
    std::fs::write(&file, &plaintext).unwrap();
    let file = file.to_str().unwrap();
    alice
        .ok(&["group", "send", "fam", "see attached", "--attach", file])
        .await;
    alice.ok(&["group", "send", "fam", "--attach", file]).await;

    let read = bob.ok(&["group", "read", "fam"]).await;
    let listed = format!(
        "attachment: recipe-4e1f9c.txt (text/plain, {} bytes) file ",
        plaintext.len()
    );
    assert!(
        read.contains("see attached") && read.contains(&listed),
        "{read}"
    );
    assert_eq!(read.matches(&listed).count(), 2, "{read}");
    let id = number_after(&read, &listed);
    assert!(read.contains(&format!("file {id} (encrypted)")), "{read}");

    let out = bob.dir.path().join("got.txt");
    let out_s = out.to_str().unwrap();
    bob.ok(&["download", "fam", &id, "-o", out_s]).await;
    assert_eq!(std::fs::read(&out).unwrap(), plaintext);

    // The room's file is ciphertext, and a reader without the group key cannot open it.
    let raw = carol.dir.path().join("raw.bin");
    let raw_s = raw.to_str().unwrap();
    carol.ok(&["download", "family", &id, "-o", raw_s]).await;
    let stored = std::fs::read(&raw).unwrap();
    assert!(stored.len() > plaintext.len());
    assert!(!stored.windows(16).any(|w| w == &plaintext[..16]));
    assert!(
        carol
            .fails(&["download", "fam", &id, "-o", raw_s])
            .await
            .contains("fam")
    );

    for needle in [&plaintext[..24], b"recipe-4e1f9c", b"see attached"] {
        assert_eq!(
            app.bytea_columns_containing(needle).await,
            Vec::<String>::new()
        );
    }
    let named: i64 = sqlx::query_scalar("select count(*) from files where filename is not null")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(named, 0, "the upload carries no file name");
    let files: i64 = sqlx::query_scalar("select count(*) from files")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(files, 2);
}
