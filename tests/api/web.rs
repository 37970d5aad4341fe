//! The web pages: `/`, `/r/<token>/`, `invite.png`, the join URL in a browser, and the API
//! routes they must not shadow.

use serde_json::json;
use sogs_protocol::content::{Content, LokiProfile};
use sogs_server::domain::permissions::RoomDefaults;
use sogs_server::domain::room::Room;
use sogs_server::storage::rooms::{NewRoom, insert};
use sogs_tests::{TestApp, TestUser};

const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

async fn room(app: &TestApp, token: &str, name: &str, description: &str, perms: &str) -> Room {
    let new = NewRoom {
        token,
        name,
        description: Some(description),
        defaults: RoomDefaults::from_letters(perms).unwrap(),
    };
    insert(&app.db, &new).await.unwrap()
}

/// `(status, content type, body)` of a GET, with an `Accept` header when given.
async fn get(app: &TestApp, path: &str, accept: Option<&str>) -> (u16, String, Vec<u8>) {
    let mut request = reqwest::Client::new().get(format!("{}{path}", app.address));
    if let Some(accept) = accept {
        request = request.header("accept", accept);
    }
    let resp = request.send().await.unwrap();
    let status = resp.status().as_u16();
    let content_type = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, content_type, resp.bytes().await.unwrap().to_vec())
}

async fn page(app: &TestApp, path: &str) -> String {
    let (status, content_type, body) = get(app, path, None).await;
    assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
    assert_eq!(content_type, "text/html; charset=utf-8");
    String::from_utf8(body).unwrap()
}

fn message(body: &str, name: &str) -> Vec<u8> {
    let mut content = Content::text(body, 1_700_000_000_000);
    if let Some(dm) = content.data_message.as_mut() {
        dm.profile = Some(LokiProfile {
            display_name: Some(name.into()),
            profile_picture: None,
        });
    }
    content.encode_padded()
}

#[tokio::test]
async fn the_index_lists_public_rooms_only() {
    let app = TestApp::spawn().await;
    room(&app, "lobby", "The Lobby", "Say <hello>", "rwua").await;
    room(&app, "secret", "Secret Room", "nobody", "").await;
    room(&app, "peek", "Peek Room", "accessible only", "a").await;
    let html = page(&app, "/").await;
    assert!(html.contains("The Lobby"), "{html}");
    assert!(html.contains(r#"href="/r/lobby/""#), "{html}");
    assert!(html.contains("Say &lt;hello&gt;"), "{html}");
    assert!(html.contains("0 active users"), "{html}");
    assert!(
        !html.contains("Secret Room") && !html.contains("Peek Room"),
        "{html}"
    );
}

#[tokio::test]
async fn the_index_can_be_turned_off() {
    let app = TestApp::spawn_with(|s| s.web.show_index = false).await;
    room(&app, "lobby", "The Lobby", "hi", "rwua").await;
    assert_eq!(get(&app, "/", None).await.0, 404);
    assert_eq!(get(&app, "/", Some(BROWSER_ACCEPT)).await.0, 404);
    assert_eq!(get(&app, "/r/lobby/", None).await.0, 200);
}

#[tokio::test]
async fn a_room_page_shows_the_room_its_join_url_qr_and_recent_public_messages() {
    let app = TestApp::spawn().await;
    let lobby = room(&app, "lobby", "The Lobby", "A place to chat", "rwua").await;
    let alice = app.client_15(&TestUser::random());
    let resp = alice
        .post_message(
            "lobby",
            &message("hello from the web test", "Alice W"),
            json!({}),
        )
        .await
        .unwrap();
    assert_eq!(resp.status, 201, "{}", resp.text());
    let moderator = app.client_15(&TestUser::random());
    app.make_mod(&moderator, Some("lobby"), false).await;
    let resp = moderator
        .post_message(
            "lobby",
            &message("secret whisper text", "Mod"),
            json!({"whisper_mods": true}),
        )
        .await
        .unwrap();
    assert_eq!(resp.status, 201, "{}", resp.text());

    let join_url = lobby.join_url(&app.state.settings.base_url(), &app.pubkey_hex());
    for path in ["/r/lobby/", "/r/lobby", "/r/LOBBY/"] {
        let html = page(&app, path).await;
        assert!(html.contains("The Lobby"), "{html}");
        assert!(html.contains("A place to chat"), "{html}");
        assert!(html.contains(&join_url), "{html}");
        assert!(html.contains("<svg"), "{html}");
        assert!(html.contains("hello from the web test"), "{html}");
        assert!(html.contains("Alice W"), "{html}");
        assert!(
            html.contains("14 Nov 2023") || html.contains("UTC"),
            "{html}"
        );
        assert!(!html.contains("secret whisper text"), "{html}");
    }
}

#[tokio::test]
async fn recent_messages_can_be_turned_off() {
    let app = TestApp::spawn_with(|s| s.web.show_recent = false).await;
    room(&app, "lobby", "The Lobby", "chat", "rwua").await;
    let alice = app.client_15(&TestUser::random());
    alice
        .post_message("lobby", &message("not on the page", "Alice"), json!({}))
        .await
        .unwrap();
    let html = page(&app, "/r/lobby/").await;
    assert!(html.contains("The Lobby"));
    assert!(!html.contains("not on the page"), "{html}");
}

#[tokio::test]
async fn rooms_not_readable_by_everyone_have_no_pages() {
    let app = TestApp::spawn().await;
    room(&app, "secret", "Secret", "x", "").await;
    room(&app, "peek", "Peek", "x", "a").await;
    for path in [
        "/r/secret/",
        "/r/peek/",
        "/r/peek/invite.png",
        "/r/nope/",
        "/r/nope/invite.png",
        "/r/lobby/image",
    ] {
        assert_eq!(get(&app, path, None).await.0, 404, "{path}");
    }
    let secret = format!("/secret?public_key={}", app.pubkey_hex());
    assert_eq!(get(&app, &secret, Some(BROWSER_ACCEPT)).await.0, 404);
}

#[tokio::test]
async fn the_invite_png_decodes_to_the_join_url() {
    let app = TestApp::spawn().await;
    let lobby = room(&app, "lobby", "The Lobby", "chat", "rwua").await;
    let (status, content_type, body) = get(&app, "/r/lobby/invite.png", None).await;
    assert_eq!((status, content_type.as_str()), (200, "image/png"));
    let image = image::load_from_memory(&body).unwrap().to_luma8();
    assert!((500..=600).contains(&image.width()), "{}", image.width());
    assert_eq!(image.width(), image.height());
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        image.width() as usize,
        image.height() as usize,
        |x, y| image.get_pixel(x as u32, y as u32).0[0],
    );
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1);
    let (_, text) = grids[0].decode().unwrap();
    assert_eq!(
        text,
        lobby.join_url(&app.state.settings.base_url(), &app.pubkey_hex())
    );
}

#[tokio::test]
async fn the_join_url_shows_the_page_to_browsers_only() {
    let app = TestApp::spawn().await;
    room(&app, "lobby", "The Lobby", "chat", "rwua").await;
    let path = format!("/lobby?public_key={}", app.pubkey_hex());
    let (status, content_type, body) = get(&app, &path, Some(BROWSER_ACCEPT)).await;
    assert_eq!(
        (status, content_type.as_str()),
        (200, "text/html; charset=utf-8")
    );
    assert!(String::from_utf8(body).unwrap().contains("The Lobby"));
    assert_eq!(get(&app, &path, None).await.0, 404);
    assert_eq!(get(&app, &path, Some("application/json")).await.0, 404);
    assert_eq!(get(&app, &path, Some("*/*")).await.0, 404);
}

#[tokio::test]
async fn api_routes_keep_precedence_over_the_join_url() {
    let app = TestApp::spawn().await;
    room(&app, "lobby", "The Lobby", "chat", "rwua").await;
    for accept in [None, Some(BROWSER_ACCEPT)] {
        let (status, content_type, body) = get(&app, "/rooms", accept).await;
        assert_eq!((status, content_type.as_str()), (200, "application/json"));
        assert!(String::from_utf8(body).unwrap().contains("\"lobby\""));
        let (status, content_type, _) = get(&app, "/capabilities", accept).await;
        assert_eq!((status, content_type.as_str()), (200, "application/json"));
        let (status, _, _) = get(&app, "/health", accept).await;
        assert_eq!(status, 200);
        // Authentication required: the API answers, not a page.
        for path in ["/inbox", "/outbox"] {
            let (status, content_type, _) = get(&app, path, accept).await;
            assert_eq!(status, 401, "{path}");
            assert!(!content_type.starts_with("text/html"), "{path}");
        }
        // POST-only: 405 from the API, not the join page.
        for path in ["/batch", "/sequence"] {
            assert_eq!(get(&app, path, accept).await.0, 405, "{path}");
        }
    }
}

#[tokio::test]
async fn pages_never_carry_control_characters_or_bidi_overrides() {
    let app = TestApp::spawn().await;
    room(
        &app,
        "lobby",
        "The\u{1b}[2J Lobby\u{202e}",
        "Calm\u{1} place\u{85}\u{2066}",
        "rwua",
    )
    .await;
    let alice = app.client_15(&TestUser::random());
    let text = "nul\0 esc\u{1b}[31m red\u{7} bell\r\u{9b}c1 \u{202e}fdp.exe\nline\ttab";
    let resp = alice
        .post_message("lobby", &message(text, "Eve\u{1b}]0;title\u{7}"), json!({}))
        .await
        .unwrap();
    assert_eq!(resp.status, 201, "{}", resp.text());
    let bidi = ['\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}'];
    let isolates = ['\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}'];
    for path in ["/", "/r/lobby/"] {
        let html = page(&app, path).await;
        let bad: Vec<char> = html
            .chars()
            .filter(|&c| (c.is_control() && c != '\n' && c != '\t') || bidi.contains(&c))
            .chain(html.chars().filter(|c| isolates.contains(c)))
            .collect();
        assert!(bad.is_empty(), "{path}: {bad:?} in {html}");
        assert!(html.contains("The[2J Lobby"), "{html}");
        assert!(html.contains("Calm place"), "{html}");
    }
    let html = page(&app, "/r/lobby/").await;
    assert!(
        html.contains("nul esc[31m red bellc1 fdp.exe\nline\ttab"),
        "{html}"
    );
    assert!(html.contains("Eve]0;title"), "{html}");
}

#[tokio::test]
async fn pages_allow_no_inline_code_and_load_their_style_and_script_from_the_server() {
    let app = TestApp::spawn().await;
    room(&app, "lobby", "The Lobby", "chat", "rwua").await;
    let http = reqwest::Client::new();
    let resp = http
        .get(format!("{}/r/lobby/", app.address))
        .send()
        .await
        .unwrap();
    let csp = resp.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(csp.contains("style-src 'self'"), "{csp}");
    let html = resp.text().await.unwrap();
    assert!(
        !html.contains("<style") && !html.contains(" style="),
        "{html}"
    );
    let href = |prefix: &str| {
        let start = html
            .find(prefix)
            .unwrap_or_else(|| panic!("{prefix} in {html}"));
        let rest = &html[start + prefix.len()..];
        rest[..rest.find('"').unwrap()].to_owned()
    };
    let css = href(r#"<link rel="stylesheet" href=""#);
    let js = href(r#"<script src=""#);
    assert!(
        html.contains(&format!(r#"<script src="{js}"></script>"#)),
        "{html}"
    );
    for (path, content_type, needle) in [
        (css, "text/css; charset=utf-8", ":root{"),
        (js, "text/javascript; charset=utf-8", "navigator.clipboard"),
    ] {
        assert!(
            path.starts_with("/assets/") && path.contains("?v="),
            "{path}"
        );
        let resp = http
            .get(format!("{}{path}", app.address))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{path}");
        let header = |name: &str| resp.headers()[name].to_str().unwrap().to_owned();
        assert_eq!(header("content-type"), content_type, "{path}");
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert!(
            header("cache-control").contains("max-age=31536000"),
            "{path}"
        );
        assert!(resp.text().await.unwrap().contains(needle), "{path}");
    }
    assert_eq!(get(&app, "/assets/other.js", None).await.0, 404);
}
