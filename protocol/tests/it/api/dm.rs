//! `/inbox` and `/outbox`.

use insta::assert_json_snapshot;
use sogs_protocol::api::dm::{DirectMessage, InboxCleared, SendDirectMessage, SentDirectMessage};

use super::{BLINDED, BLINDED_2, POSTED, accepts, parse, refuses, round_trip};

const EXPIRES: f64 = POSTED + 15.0 * 86400.0;

#[test]
fn inbox_listing() {
    let list = vec![DirectMessage {
        id: 1,
        posted_at: POSTED,
        expires_at: EXPIRES,
        sender: BLINDED.into(),
        recipient: BLINDED_2.into(),
        message: "AGhlbGxv".into(),
    }];
    round_trip(&list);
    assert_json_snapshot!(list);
}

#[test]
fn send_answer_has_no_message() {
    let answer = SentDirectMessage {
        id: 2,
        posted_at: POSTED,
        expires_at: EXPIRES,
        sender: BLINDED.into(),
        recipient: BLINDED_2.into(),
    };
    round_trip(&answer);
    assert_json_snapshot!(answer);
}

#[test]
fn clear_answer_counts_the_deleted() {
    let answer = InboxCleared { deleted: 4 };
    round_trip(&answer);
    assert_json_snapshot!(answer);
}

#[test]
fn send_body_needs_a_string_message_and_ignores_other_keys() {
    let body: SendDirectMessage =
        parse(r#"{"message": "AGhlbGxv", "timestamp": 1642701309500}"#).unwrap();
    assert_eq!(body.message, "AGhlbGxv");
    accepts::<SendDirectMessage>(&[r#"{"message": ""}"#]);
    refuses::<SendDirectMessage>(&[
        "{}",
        r#"{"message": null}"#,
        r#"{"message": 5}"#,
        r#"["AGhlbGxv"]"#,
        r#""AGhlbGxv""#,
    ]);
}
