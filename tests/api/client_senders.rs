//! Signatures of unblinded (`05`) senders: XEdDSA made by our client verifies for keys of both
//! Ed25519 sign bits, and `read` shows `verified` / `UNVERIFIED` per message, keeping a post
//! whose signature fails.

use reqwest::Method;
use serde_json::json;
use sogs_protocol::encoding::encode_b64;
use sogs_protocol::signing::AuthScheme;
use sogs_tests::binaries::ClientProfile;
use sogs_tests::{TestApp, TestUser, session_message};

/// A user whose Ed25519 public key has sign bit `bit` (so XEdDSA must negate it, or not).
fn user_with_sign_bit(bit: u8) -> TestUser {
    loop {
        let user = TestUser::random();
        let ed = ed25519_dalek::SigningKey::from_bytes(&user.seed).verifying_key();
        if ed.to_bytes()[31] >> 7 == bit {
            return user;
        }
    }
}

/// The printed line of the message whose text is `text`.
fn line_of<'a>(output: &'a str, text: &str) -> &'a str {
    output
        .lines()
        .find(|l| l.ends_with(&format!(": {text}")))
        .unwrap_or_else(|| panic!("no message {text:?} in {output}"))
}

#[tokio::test]
async fn posts_of_05_senders_are_verified_and_a_tampered_signature_is_flagged_not_hidden() {
    let app = TestApp::spawn_with(|s| s.users.require_blind_keys = false).await;
    app.create_room("lobby", "rwua").await;
    let url = app.room_url("lobby");
    let (alice, bob) = (ClientProfile::new(), ClientProfile::new());
    for (profile, name) in [(&alice, "Alice"), (&bob, "Bob")] {
        profile.new_identity(name).await;
        profile.ok(&["join", &url]).await;
    }
    // The CLI signs as its 05 id on a server without blinding.
    alice.ok(&["post", "lobby", "cli post"]).await;
    for bit in [0, 1] {
        let client = app.client_as(&user_with_sign_bit(bit), AuthScheme::Unblinded);
        let data = session_message(&format!("sign bit {bit}"), None);
        let resp = client
            .post_message("lobby", &data, json!({}))
            .await
            .unwrap();
        assert_eq!(resp.status, 201, "{}", resp.text());
    }
    let forger = app.client_as(&TestUser::random(), AuthScheme::Unblinded);
    let data = session_message("tampered", None);
    let mut sig = forger.signer().unwrap().sign_data(&data);
    sig[10] ^= 1;
    let body = json!({ "data": encode_b64(&data), "signature": encode_b64(&sig) });
    let resp = forger
        .send_json(Method::POST, "/room/lobby/message", &body)
        .await
        .unwrap();
    assert_eq!(resp.status, 201, "{}", resp.text());

    let read = bob.ok(&["read", "lobby"]).await;
    for text in ["cli post", "sign bit 0", "sign bit 1"] {
        let line = line_of(&read, text);
        assert!(
            line.contains(") verified: ") && line.contains("(05"),
            "{line}"
        );
    }
    assert!(
        line_of(&read, "tampered").contains(") UNVERIFIED: "),
        "{read}"
    );
}

#[tokio::test]
async fn posts_of_blinded_senders_are_verified_too() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let url = app.room_url("lobby");
    let alice = ClientProfile::new();
    alice.new_identity("Alice").await;
    alice.ok(&["join", &url]).await;
    alice.ok(&["post", "lobby", "blinded post"]).await;
    let forger = app.client_15(&TestUser::random());
    let data = session_message("forged blinded", None);
    let body = json!({ "data": encode_b64(&data), "signature": encode_b64(&[7u8; 64]) });
    forger
        .send_json(Method::POST, "/room/lobby/message", &body)
        .await
        .unwrap();
    let read = alice.ok(&["read", "lobby"]).await;
    assert!(line_of(&read, "blinded post").contains("(15"), "{read}");
    assert!(
        line_of(&read, "blinded post").contains(") verified: "),
        "{read}"
    );
    assert!(
        line_of(&read, "forged blinded").contains(") UNVERIFIED: "),
        "{read}"
    );
}
