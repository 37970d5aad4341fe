//! `GET /capabilities` and unknown routes.

use serde_json::json;
use sogs_tests::TestApp;

#[tokio::test]
async fn capabilities_are_sorted_and_include_blind_by_default() {
    let app = TestApp::spawn().await;
    let caps = app.client().capabilities().await.unwrap();
    assert_eq!(
        caps,
        json!({"capabilities": ["blind", "reactions", "sogs"]})
    );
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
    let body: serde_json::Value = resp.json().unwrap();
    assert_eq!(
        body,
        json!({"capabilities": ["blind", "reactions", "sogs"], "missing": ["foo"]})
    );
}

#[tokio::test]
async fn required_capabilities_that_exist_are_200() {
    let app = TestApp::spawn().await;
    let resp = app
        .client()
        .request(
            reqwest::Method::GET,
            "/capabilities?required=sogs,sogs,blind",
            &[],
            None,
        )
        .await
        .unwrap();
    assert_eq!(resp.status, 200);
}

#[tokio::test]
async fn without_blinding_the_blind_capability_is_absent() {
    let app = TestApp::spawn_with(|s| s.users.require_blind_keys = false).await;
    let caps = app.client().capabilities().await.unwrap();
    assert_eq!(caps, json!({"capabilities": ["reactions", "sogs"]}));
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
