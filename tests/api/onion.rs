//! Onion requests: `/oxen/v4/lsrpc` (both ciphers), v3, and every malformation answered 400.

use reqwest::Method;
use serde_json::{Value, json};
use sogs_client::Client;
use sogs_protocol::onion::{
    EncType, build_request_blob, decrypt_response, encode_v4_request, parse_v4_response,
};
use sogs_tests::{TestApp, TestUser, padded};

async fn raw_post(app: &TestApp, path: &str, body: Vec<u8>) -> (u16, Vec<u8>) {
    let resp = Client::new(&app.address)
        .send(Method::POST, path, &[], Some(body))
        .await
        .unwrap();
    (resp.status, resp.body)
}

#[tokio::test]
async fn requests_round_trip_with_both_ciphers() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    for enc in [EncType::Aes256Gcm, EncType::XChaCha20Poly1305] {
        let client = Client::new(&app.address).via_onion(app.onion_config(enc));
        let resp = client.get("/capabilities").await.unwrap();
        assert_eq!(resp.status, 200);
        assert_eq!(resp.content_type.as_deref(), Some("application/json"));
        assert_eq!(
            resp.json::<Value>().unwrap(),
            json!({"capabilities": ["blind", "reactions", "sogs"]})
        );
        let missing = client.get("/room/nope").await.unwrap();
        assert_eq!(
            (missing.status, missing.text().as_str()),
            (404, "No such room: nope")
        );
    }
}

#[tokio::test]
async fn inner_requests_are_authenticated_from_their_own_headers() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let alice = app
        .client_15(&TestUser::random())
        .via_onion(app.onion_config(EncType::Aes256Gcm));
    let posted = alice
        .post_message("lobby", &padded(b"via onion"), json!({}))
        .await
        .unwrap();
    assert_eq!(posted.status, 201, "{}", posted.text());
    let id = posted.json::<Value>().unwrap()["id"].as_i64().unwrap();
    // A raw UTF-8 emoji endpoint and its percent-encoded form sign the same.
    for reaction in ["🍍", "%F0%9F%8D%8D"] {
        let resp = alice
            .request(
                Method::PUT,
                &format!("/room/lobby/reaction/{id}/{reaction}"),
                &[],
                None,
            )
            .await
            .unwrap();
        assert_eq!(resp.status, 200, "{reaction}: {}", resp.text());
    }
    let replay_headers = alice
        .signer()
        .unwrap()
        .sign(&[1; 16], 1, "GET", "/room/lobby", b"");
    let resp = alice
        .send(Method::GET, "/room/lobby", &replay_headers.pairs(), None)
        .await
        .unwrap();
    assert_eq!(
        resp.status, 425,
        "inner X-SOGS headers are checked like direct ones"
    );
}

#[tokio::test]
async fn undecryptable_or_malformed_blobs_are_a_plain_400() {
    let app = TestApp::spawn().await;
    let (good, _) =
        build_request_blob(app.state.keys.public(), EncType::Aes256Gcm, b"l3:abce").unwrap();
    let mut flipped = good.clone();
    flipped[10] ^= 1;
    let cases: Vec<Vec<u8>> = vec![
        vec![],
        vec![1, 2, 3],
        vec![0xff, 0xff, 0xff, 0xff, 1],
        b"\x05\x00\x00\x00hello{}".to_vec(),
        b"\x05\x00\x00\x00hello{\"ephemeral_key\": \"zz\"}".to_vec(),
        flipped,
        good[..good.len() - 5].to_vec(),
    ];
    for (i, blob) in cases.into_iter().enumerate() {
        let (status, _) = raw_post(&app, "/oxen/v4/lsrpc", blob).await;
        assert_eq!(status, 400, "case {i}");
    }
}

#[tokio::test]
async fn a_malformed_inner_request_gets_an_encrypted_400() {
    let app = TestApp::spawn().await;
    for plaintext in [
        b"not bencode".to_vec(),
        b"l5:helloe".to_vec(),
        encode_v4_request("GET", "no-slash", &[], None),
    ] {
        let (blob, key) =
            build_request_blob(app.state.keys.public(), EncType::Aes256Gcm, &plaintext).unwrap();
        let (status, body) = raw_post(&app, "/oxen/v4/lsrpc", blob).await;
        assert_eq!(status, 200);
        let reply = parse_v4_response(&decrypt_response(&key, &body).unwrap()).unwrap();
        assert_eq!(
            (reply.code, reply.body.as_slice()),
            (400, b"Invalid v4 onion request".as_slice())
        );
    }
}

#[tokio::test]
async fn v3_requests_get_a_base64_reply() {
    let app = TestApp::spawn().await;
    let plaintext = br#"{"endpoint": "/capabilities", "method": "GET"}"#;
    for path in ["/oxen/v3/lsrpc", "/loki/v3/lsrpc"] {
        let (blob, key) = build_request_blob(
            app.state.keys.public(),
            EncType::XChaCha20Poly1305,
            plaintext,
        )
        .unwrap();
        let (status, body) = raw_post(&app, path, blob).await;
        assert_eq!(status, 200, "{path}");
        let encrypted =
            sogs_protocol::encoding::decode_b64(std::str::from_utf8(&body).unwrap()).unwrap();
        let reply: Value =
            serde_json::from_slice(&decrypt_response(&key, &encrypted).unwrap()).unwrap();
        assert_eq!(reply["capabilities"], json!(["blind", "reactions", "sogs"]));
    }
}
