//! `GET /capabilities` and unknown routes.

use sogs_protocol::api::capabilities::Capabilities;
use sogs_tests::TestApp;

/// The capabilities answer listing `names` and nothing missing.
fn caps(names: &[&str]) -> Capabilities {
    Capabilities {
        capabilities: names.iter().map(|n| n.to_string()).collect(),
        missing: None,
    }
}

#[tokio::test]
async fn capabilities_are_sorted_and_include_blind_by_default() {
    let app = TestApp::spawn().await;
    let caps_now = app.client().capabilities().await.unwrap();
    assert_eq!(caps_now, caps(&["blind", "reactions", "sogs"]));
}

#[tokio::test]
async fn a_missing_required_capability_is_412_with_the_missing_list() {
    let app = TestApp::spawn().await;
    let resp = app
        .client()
        .request(
            reqwest::Method::GET,
            "/capabilities?required=sogs,foo",
            &[],
            None,
        )
        .await
        .unwrap();
    assert_eq!(resp.status, 412);
    let body: Capabilities = resp.json().unwrap();
    assert_eq!(
        body,
        Capabilities {
            missing: Some(vec!["foo".to_owned()]),
            ..caps(&["blind", "reactions", "sogs"])
        }
    );
}

#[tokio::test]
async fn required_capabilities_that_exist_are_200() {
    let app = TestApp::spawn().await;
    // A 412 would carry `missing`; a 200 has none.
    let answer = app
        .client()
        .require_capabilities(&["sogs", "sogs", "blind"])
        .await
        .unwrap();
    assert_eq!(answer, caps(&["blind", "reactions", "sogs"]));
}

#[tokio::test]
async fn without_blinding_the_blind_capability_is_absent() {
    let app = TestApp::spawn_with(|s| s.users.require_blind_keys = false).await;
    let caps_now = app.client().capabilities().await.unwrap();
    assert_eq!(caps_now, caps(&["reactions", "sogs"]));
}

#[tokio::test]
async fn unknown_routes_are_404_and_wrong_methods_405() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let resp = client
        .request(reqwest::Method::GET, "/no/such/thing", &[], None)
        .await
        .unwrap();
    assert_eq!(resp.status, 404);
    let resp = client
        .request(reqwest::Method::DELETE, "/capabilities", &[], None)
        .await
        .unwrap();
    assert_eq!(resp.status, 405);
}
