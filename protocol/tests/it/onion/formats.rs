//! The v4 and v3 inner formats: parsing rules, encoders and the reply rules.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use sogs_protocol::onion::{
    BencodeError, EncType, RequestError, ResponseError, SharedKey, V3_BAD_REQUEST_REPLY,
    build_request_blob, decrypt_request, decrypt_response, encode_v4_response, encrypt_v3_response,
    invalid_v4_request_response, parse_v3_request, parse_v4_request, parse_v4_response,
    v3_reply_plaintext,
};
use x25519_dalek::StaticSecret;

fn h(name: &str, value: &str) -> (String, String) {
    (name.to_owned(), value.to_owned())
}

#[test]
fn the_spec_example_parses_and_headers_are_optional() {
    let r = parse_v4_request(
        br#"l79:{"method":"GET","endpoint":"/room/some-room","headers":{"Some-Header":"12345"}}e"#,
    )
    .unwrap();
    assert_eq!(r.headers, vec![h("Some-Header", "12345")]);
    let r = parse_v4_request(br#"l36:{"method":"GET","endpoint":"/x?a=b"}0:e"#).unwrap();
    assert_eq!((r.endpoint.as_str(), r.headers.len()), ("/x?a=b", 0));
    assert_eq!(r.body, Some(vec![]));
}

#[test]
fn content_length_is_dropped_from_requests_and_responses() {
    let meta = r#"{"method":"POST","endpoint":"/x","headers":{"Content-Length":"99","X-A":"1"}}"#;
    let r = parse_v4_request(format!("l{}:{meta}3:abce", meta.len()).as_bytes()).unwrap();
    assert_eq!(
        (r.headers, r.body),
        (vec![h("X-A", "1")], Some(b"abc".to_vec()))
    );
    let wire = encode_v4_response(
        201,
        &[h("Content-Length", "3"), h("X-Weird\"Name", "q\"v")],
        b"abc",
    );
    assert_eq!(
        wire,
        br#"l47:{"code":201,"headers":{"x-weird\"name":"q\"v"}}3:abce"#
    );
    let parsed = parse_v4_response(&wire).unwrap();
    assert_eq!(parsed.headers, vec![h("x-weird\"name", "q\"v")]);
}

#[test]
fn the_invalid_request_reply_is_the_reference_text() {
    let wire = invalid_v4_request_response();
    let want = r#"l67:{"code":400,"headers":{"content-type":"text/plain; charset=utf-8"}}24:Invalid v4 onion requeste"#;
    assert_eq!(String::from_utf8(wire).unwrap(), want);
}

#[test]
fn responses_need_exactly_two_strings_and_a_code() {
    let one = parse_v4_response(br#"l10:{"code":1}e"#);
    assert!(matches!(
        one,
        Err(ResponseError::Bencode(BencodeError::TooFewItems {
            min: 2,
            got: 1
        }))
    ));
    let three = parse_v4_response(br#"l10:{"code":1}0:0:e"#);
    assert!(matches!(
        three,
        Err(ResponseError::Bencode(BencodeError::TooManyItems {
            max: 2
        }))
    ));
    assert!(matches!(
        parse_v4_response(b"l2:{}0:e"),
        Err(ResponseError::Json(_))
    ));
    assert!(matches!(
        parse_v4_response(br#"l11:{"code":-1}0:e"#),
        Err(ResponseError::Json(_))
    ));
}

#[test]
fn v3_legacy_endpoints_get_the_prefix_and_auth_code() {
    let r = parse_v3_request(
        br#"{"endpoint":"rooms/x/image","method":"GET","auth_code":"tok","headers":{"X-A":"1"}}"#,
    )
    .unwrap();
    assert_eq!(r.endpoint, "/legacy/rooms/x/image");
    assert_eq!(r.headers, vec![h("x-a", "1"), h("authorization", "tok")]);
    let r =
        parse_v3_request(br#"{"endpoint":"/room/x","method":"GET","auth_code":"tok"}"#).unwrap();
    assert_eq!(
        (r.endpoint.as_str(), r.header("authorization")),
        ("/room/x", None)
    );
}

#[test]
fn v3_post_and_put_bodies_are_json_text() {
    let r = parse_v3_request(br#"{"endpoint":"/room/x/message","method":"POST","body":"{\"a\":1}","headers":{"Content-Type":"text/plain"}}"#).unwrap();
    assert_eq!(r.body.as_deref(), Some(&br#"{"a":1}"#[..]));
    assert_eq!(r.headers, vec![h("content-type", "application/json")]);
    let r = parse_v3_request(br#"{"endpoint":"/x","method":"PUT"}"#).unwrap();
    assert_eq!(
        (r.body_bytes(), r.header("Content-Type")),
        (&b""[..], Some("application/json"))
    );
    let err = parse_v3_request(br#"{"endpoint":"/x","method":"POST","body":5}"#);
    assert!(matches!(err, Err(RequestError::BodyNotString)));
}

#[test]
fn v3_get_and_delete_tolerate_only_empty_and_null_bodies() {
    for body in [r#""""#, r#""null""#, "null"] {
        let json = format!(r#"{{"endpoint":"/x","method":"GET","body":{body}}}"#);
        assert_eq!(
            parse_v3_request(json.as_bytes()).unwrap().body,
            None,
            "{body}"
        );
    }
    for body in [r#""x""#, r#""NULL""#, "1", "{}"] {
        let json = format!(r#"{{"endpoint":"/x","method":"DELETE","body":{body}}}"#);
        let err = parse_v3_request(json.as_bytes());
        assert!(
            matches!(err, Err(RequestError::BodyNotAllowed(_))),
            "{body}"
        );
    }
}

#[test]
fn v3_refuses_non_objects_and_missing_fields() {
    for (input, object) in [
        (&b" {}"[..], false),
        (b"[]", false),
        (b"", false),
        (b"{", true),
        (br#"{"method":"GET"}"#, true),
    ] {
        let err = parse_v3_request(input).unwrap_err();
        let ok = if object {
            matches!(err, RequestError::Json(_))
        } else {
            matches!(err, RequestError::NotJsonObject)
        };
        assert!(ok, "{input:?}: {err:?}");
    }
}

#[test]
fn v3_replies_are_the_body_or_the_status_and_base64_encrypted() {
    assert_eq!(v3_reply_plaintext(200, b"[1]"), b"[1]");
    assert_eq!(v3_reply_plaintext(299, b""), b"");
    assert_eq!(v3_reply_plaintext(403, b"no"), br#"{"status_code": 403}"#);
    assert_eq!(v3_reply_plaintext(400, b""), V3_BAD_REQUEST_REPLY);

    let server = StaticSecret::from([7u8; 32]);
    let server_pub = sogs_protocol::ids::ServerPubkey::from_secret(&[7u8; 32]);
    for enc_type in [EncType::Aes256Gcm, EncType::XChaCha20Poly1305] {
        let (blob, client): (Vec<u8>, SharedKey) =
            build_request_blob(&server_pub, enc_type, b"{}").unwrap();
        let (plaintext, key) = decrypt_request(&server, &blob).unwrap();
        assert_eq!(
            (plaintext.as_slice(), key.enc_type()),
            (&b"{}"[..], enc_type)
        );
        let reply = B64
            .decode(encrypt_v3_response(&key, b"ok").unwrap())
            .unwrap();
        assert_eq!(decrypt_response(&client, &reply).unwrap(), b"ok");
    }
}
