//! `POST /batch` and `POST /sequence`.

use std::collections::BTreeMap;

use insta::assert_json_snapshot;
use serde_json::json;
use sogs_protocol::api::batch::{SubRequest, SubRequestBody, SubRequestMethod, SubResponse};

use super::{BLINDED, parse, refuses, round_trip};

#[test]
fn batch_answer_elements() {
    let answers = vec![
        SubResponse {
            code: 200,
            headers: BTreeMap::from([("content-type".into(), "application/json".into())]),
            body: json!({"capabilities": ["blind", "reactions", "sogs"]}),
        },
        SubResponse {
            code: 403,
            headers: BTreeMap::from([("content-type".into(), "text/plain; charset=utf-8".into())]),
            // base64 of "Permission denied"
            body: json!("UGVybWlzc2lvbiBkZW5pZWQ="),
        },
    ];
    round_trip(&answers);
    assert_json_snapshot!(answers);
}

#[test]
fn sub_requests_carry_one_kind_of_body() {
    let list: Vec<SubRequest> = parse(&format!(
        r#"[
            {{"method": "GET", "path": "/capabilities"}},
            {{"method": "POST", "path": "/user/{BLINDED}/ban", "json": {{"global": true}}}},
            {{"method": "PUT", "path": "/room/x/reaction/1/%F0%9F%91%8D", "b64": "e30=",
              "headers": {{"Content-Type": "application/json"}}}},
            {{"method": "POST", "path": "/room/x/file", "bytes": "hello"}}
        ]"#
    ))
    .unwrap();
    assert_eq!(list[0].method, SubRequestMethod::Get);
    assert_eq!(list[0].body(), Ok(None));
    assert_eq!(
        list[1].body(),
        Ok(Some(SubRequestBody::Json(&json!({"global": true}))))
    );
    assert_eq!(list[2].body(), Ok(Some(SubRequestBody::B64("e30="))));
    assert_eq!(list[3].body(), Ok(Some(SubRequestBody::Bytes("hello"))));
    round_trip(&list);
}

#[test]
fn sub_request_body_rules() {
    let sub = |text: &str| {
        parse::<SubRequest>(text)
            .unwrap()
            .body()
            .map(|b| b.is_some())
    };
    let need_one = Err("POST and PUT need exactly one of json, b64 or bytes");
    assert_eq!(sub(r#"{"method": "POST", "path": "/x"}"#), need_one);
    assert_eq!(
        sub(r#"{"method": "PUT", "path": "/x", "json": null}"#),
        need_one
    );
    assert_eq!(
        sub(r#"{"method": "POST", "path": "/x", "json": {}, "bytes": ""}"#),
        need_one
    );
    assert_eq!(
        sub(r#"{"method": "DELETE", "path": "/x", "b64": ""}"#),
        Err("GET and DELETE cannot have a body")
    );
}

#[test]
fn sub_requests_refuse_unknown_keys_methods_and_non_string_headers() {
    refuses::<SubRequest>(&[
        r#"{"method": "get", "path": "/x"}"#,
        r#"{"method": "PATCH", "path": "/x"}"#,
        r#"{"method": "GET"}"#,
        r#"{"method": "GET", "path": "/x", "body": "y"}"#,
        r#"{"method": "GET", "path": "/x", "headers": {"X-N": 1}}"#,
        r#"{"method": "POST", "path": "/x", "b64": 5}"#,
        r#"["GET", "/x"]"#,
    ]);
    refuses::<Vec<SubRequest>>(&[r#"{"method": "GET", "path": "/x"}"#]);
}
