//! Bad input never reaches PostgreSQL as a 500: NUL bytes in every route family, directly and
//! inside `/batch` and `/sequence`; data round-trips byte for byte; values have limits.

use reqwest::Method;
use serde_json::{Value, json};
use sogs_client::Client;
use sogs_protocol::encoding::encode_b64;
use sogs_tests::{TestApp, TestUser, b64, padded};

/// A room `lobby` with one message; returns the app, a moderator client and the message id.
async fn lobby_with_a_post() -> (TestApp, Client, i64) {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let moderator = app.client_15(&TestUser::random());
    app.make_mod(&moderator, None, true).await;
    let posted: Value = moderator
        .post_message("lobby", &padded(b"hi"), json!({}))
        .await
        .unwrap()
        .json()
        .unwrap();
    (app, moderator, posted["id"].as_i64().unwrap())
}

/// `(method, path, JSON body)` requests that each carry a NUL byte (or a control character)
/// somewhere text reaches SQL, and the status each must get.
fn nul_cases(id: i64, user: &str) -> Vec<(Method, String, Option<Value>, u16)> {
    let rooms_nul = json!({"rooms": ["lobby\u{0}"], "global": false});
    vec![
        (Method::GET, "/room/a%00b".into(), None, 404),
        (
            Method::GET,
            "/room/lobby%00/messages/recent".into(),
            None,
            404,
        ),
        (Method::GET, "/room/lobby%00/pollInfo/0".into(), None, 404),
        (
            Method::POST,
            "/room/x%00/message".into(),
            Some(json!({"data": "aGk=", "signature": encode_b64(&[0; 64])})),
            404,
        ),
        (
            Method::PUT,
            format!("/room/lobby/reaction/{id}/%00"),
            Some(json!({})),
            400,
        ),
        (
            Method::PUT,
            format!("/room/lobby/reaction/{id}/a%07"),
            Some(json!({})),
            400,
        ),
        (
            Method::DELETE,
            format!("/room/lobby/reaction/{id}/%00"),
            None,
            400,
        ),
        (
            Method::GET,
            format!("/room/lobby/reactors/{id}/%00"),
            None,
            400,
        ),
        (
            Method::DELETE,
            format!("/room/lobby/reactions/{id}/%00"),
            None,
            400,
        ),
        (
            Method::POST,
            format!("/user/{user}/ban"),
            Some(rooms_nul.clone()),
            400,
        ),
        (
            Method::POST,
            format!("/user/{user}/unban"),
            Some(rooms_nul.clone()),
            400,
        ),
        (
            Method::POST,
            format!("/user/{user}/moderator"),
            Some(json!({"rooms": ["lobby\u{0}"], "moderator": true})),
            400,
        ),
        (
            Method::PUT,
            "/room/lobby".into(),
            Some(json!({"name": "a\u{0}b"})),
            400,
        ),
        (
            Method::POST,
            format!("/inbox/{user}"),
            Some(json!({"message": "\u{0}"})),
            400,
        ),
        (Method::GET, "/room/lobby/file/1/%00".into(), None, 404),
    ]
}

#[tokio::test]
async fn nul_bytes_get_a_4xx_in_every_route_family_directly() {
    let (app, moderator, id) = lobby_with_a_post().await;
    let user = app.client_15(&TestUser::random());
    user.get("/capabilities").await.unwrap();
    let target = user.signer().unwrap().id();
    for (method, path, body, expected) in nul_cases(id, &target) {
        let resp = match &body {
            Some(body) => moderator.send_json(method.clone(), &path, body).await,
            None => moderator.request(method.clone(), &path, &[], None).await,
        }
        .unwrap();
        assert_eq!(resp.status, expected, "{method} {path}: {}", resp.text());
    }
}

#[tokio::test]
async fn nul_bytes_get_a_4xx_inside_batch_and_sequence() {
    let (app, moderator, id) = lobby_with_a_post().await;
    let user = app.client_15(&TestUser::random());
    user.get("/capabilities").await.unwrap();
    let target = user.signer().unwrap().id();
    let cases = nul_cases(id, &target);
    let elements: Vec<Value> = cases
        .iter()
        .map(|(method, path, body, _)| {
            let mut element = json!({"method": method.as_str(), "path": path});
            if let Some(body) = body {
                element["json"] = body.clone();
            }
            element
        })
        .collect();
    for endpoint in ["/batch", "/sequence"] {
        let resp = moderator
            .send_json(Method::POST, endpoint, &json!(elements))
            .await
            .unwrap();
        assert_eq!(resp.status, 200, "{endpoint}: {}", resp.text());
        let results: Vec<Value> = resp.json().unwrap();
        let expected: Vec<u16> = cases.iter().map(|c| c.3).collect();
        let codes: Vec<u16> = results
            .iter()
            .map(|r| r["code"].as_u64().unwrap() as u16)
            .collect();
        if endpoint == "/batch" {
            assert_eq!(codes, expected, "{endpoint}");
        } else {
            assert_eq!(
                codes,
                expected[..1],
                "a sequence stops at the first failure"
            );
        }
    }
}

#[tokio::test]
async fn data_that_is_not_session_padding_round_trips_byte_for_byte() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let alice = app.client_15(&TestUser::random());
    let cases: [&[u8]; 5] = [
        b"abc\x00\x00",
        b"\x00\x00\x00",
        b"abc\x80\x01\x00",
        b"abc\x80\x00\x00",
        b"abc",
    ];
    for data in cases {
        let resp = alice.post_message("lobby", data, json!({})).await.unwrap();
        assert_eq!(resp.status, 201, "{}", resp.text());
        let id = resp.json::<Value>().unwrap()["id"].as_i64().unwrap();
        let fetched: Value = app
            .client()
            .get_json(&format!("/room/lobby/message/{id}"))
            .await
            .unwrap();
        assert_eq!(b64(&fetched["data"]), data, "{data:?}");
    }
    let stored: Vec<u8> = sqlx::query_scalar("select data from messages order by id limit 1")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, b"abc\x00\x00", "no padding was invented");
}

#[tokio::test]
async fn room_names_and_descriptions_have_documented_limits() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let admin = app.client_15(&TestUser::random());
    app.make_mod(&admin, Some("lobby"), true).await;
    let put = |body: Value| {
        let admin = admin.clone();
        async move {
            admin
                .send_json(Method::PUT, "/room/lobby", &body)
                .await
                .unwrap()
        }
    };
    let resp = put(json!({"name": "n".repeat(1025)})).await;
    assert_eq!(
        (resp.status, resp.text().as_str()),
        (
            400,
            "Invalid request: name must be at most 1024 bytes, got 1025"
        )
    );
    assert_eq!(
        put(json!({"description": "d".repeat(10 * 1024 + 1)}))
            .await
            .status,
        400
    );
    assert_eq!(put(json!({"name": "n".repeat(1024)})).await.status, 200);
    let name: String = sqlx::query_scalar("select name from rooms where token = 'lobby'")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(name.len(), 1024);
}

#[tokio::test]
async fn file_names_over_255_bytes_are_refused() {
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let alice = app.client_15(&TestUser::random());
    let upload = |name: String| {
        let alice = alice.clone();
        async move {
            let header = format!("attachment; filename=\"{name}\"");
            alice
                .request(
                    Method::POST,
                    "/room/lobby/file",
                    &[("Content-Disposition", &header)],
                    Some(b"x".to_vec()),
                )
                .await
                .unwrap()
        }
    };
    let refused = upload("f".repeat(256)).await;
    assert_eq!(
        (refused.status, refused.text().as_str()),
        (
            400,
            "Invalid upload: the file name is longer than 255 bytes"
        )
    );
    assert_eq!(upload("f".repeat(255)).await.status, 201);
}

#[tokio::test]
async fn direct_messages_have_a_size_and_a_rate_limit() {
    let app = TestApp::spawn_with(|s| {
        s.direct_messages.max_size_bytes = 1000;
        s.direct_messages.rate_limit_messages = 3;
        s.direct_messages.rate_limit_secs = 3600.0;
    })
    .await;
    let (alice, bob) = (
        app.client_15(&TestUser::random()),
        app.client_15(&TestUser::random()),
    );
    bob.get("/inbox").await.unwrap();
    let to = format!("/inbox/{}", bob.signer().unwrap().id());
    let send = |size: usize| {
        let (alice, to) = (alice.clone(), to.clone());
        async move {
            let body = json!({"message": encode_b64(&vec![1u8; size])});
            alice.send_json(Method::POST, &to, &body).await.unwrap()
        }
    };
    let big = send(1001).await;
    assert_eq!(
        (big.status, big.text().as_str()),
        (413, "Message too large: the limit is 1000 bytes")
    );
    for _ in 0..3 {
        assert_eq!(send(1000).await.status, 201);
    }
    let limited = send(10).await;
    assert_eq!(
        (limited.status, limited.text().as_str()),
        (429, "Rate limited")
    );
    let stored: i64 = sqlx::query_scalar("select count(*) from inbox")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, 3, "refused DMs store nothing");
}

#[tokio::test]
async fn sogs_admin_refuses_names_and_descriptions_over_the_limits() {
    use crate::admin_cli::{admin_on, stderr};
    let app = TestApp::spawn().await;
    let long_name = "n".repeat(1025);
    let out = admin_on(&app, &["room", "add", "lobby", "--name", &long_name]).await;
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("name must be at most 1024 bytes"),
        "{}",
        stderr(&out)
    );
    app.create_room("lobby", "rwua").await;
    let long_description = "d".repeat(10 * 1024 + 1);
    let out = admin_on(
        &app,
        &[
            "room",
            "update",
            "lobby",
            "--description",
            &long_description,
        ],
    )
    .await;
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("description must be at most 10240 bytes"),
        "{}",
        stderr(&out)
    );
}
