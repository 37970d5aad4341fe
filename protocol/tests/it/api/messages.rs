//! Message objects, listings and the post/edit bodies.

use insta::assert_json_snapshot;
use sogs_protocol::api::messages::{
    EditMessage, Message, MessageUpdate, PostMessage, ReactionInfo, ReactionUpdate, Reactions,
};

use super::{
    BLINDED, BLINDED_2, POSTED, SESSION_ID, SIGNATURE, accepts, parse, refuses, round_trip,
};

const DATA: &str = "CAESBWhlbGxvgAAAAA==";

fn reactions() -> Reactions {
    Reactions::from([
        (
            "👍".into(),
            ReactionInfo {
                index: 0,
                count: 2,
                reactors: Some(vec![BLINDED.into(), BLINDED_2.into()]),
                you: Some(true),
            },
        ),
        (
            "y/n".into(),
            ReactionInfo {
                index: 1,
                count: 1,
                reactors: Some(vec![BLINDED_2.into()]),
                you: None,
            },
        ),
    ])
}

fn message() -> Message {
    Message {
        id: 1,
        session_id: BLINDED.into(),
        posted: POSTED,
        edited: None,
        seqno: 3,
        data: Some(DATA.into()),
        signature: Some(SIGNATURE.into()),
        deleted: None,
        whisper: None,
        whisper_mods: None,
        whisper_to: None,
        reactions: Some(Reactions::new()),
        filtered: None,
    }
}

fn tombstone() -> Message {
    Message {
        id: 2,
        // posted before blinding: it keeps its 05 id (spec §3.5)
        session_id: SESSION_ID.into(),
        edited: Some(POSTED + 5.0),
        seqno: 9,
        data: None,
        signature: None,
        deleted: Some(true),
        reactions: None,
        ..message()
    }
}

#[test]
fn message_with_reactions() {
    let m = Message {
        edited: Some(POSTED + 1.5),
        reactions: Some(reactions()),
        ..message()
    };
    round_trip(&m);
    assert_json_snapshot!(m);
}

#[test]
fn message_whispered_to_one_user() {
    let m = Message {
        whisper: Some(true),
        whisper_mods: Some(false),
        whisper_to: Some(BLINDED_2.into()),
        ..message()
    };
    round_trip(&m);
    assert_json_snapshot!(m);
}

#[test]
fn message_deletion_tombstone() {
    let m = tombstone();
    round_trip(&m);
    assert_json_snapshot!(m);
}

#[test]
fn post_answer_of_a_silently_filtered_post() {
    let m = Message {
        filtered: Some(true),
        ..message()
    };
    round_trip(&m);
    assert_json_snapshot!(m);
}

#[test]
fn since_page_mixes_messages_reaction_updates_and_tombstones() {
    let page = vec![
        MessageUpdate::Message(message()),
        MessageUpdate::Reactions(ReactionUpdate {
            id: 1,
            seqno: 8,
            reactions: reactions(),
        }),
        MessageUpdate::Message(tombstone()),
    ];
    round_trip(&page);
    assert_json_snapshot!(page);
}

#[test]
fn reaction_update_is_only_a_reaction_only_row() {
    let only: MessageUpdate =
        serde_json::from_str(r#"{"id": 1, "seqno": 8, "reactions": {}}"#).unwrap();
    assert!(matches!(only, MessageUpdate::Reactions(_)));
    let full = serde_json::to_value(message()).unwrap();
    let full: MessageUpdate = serde_json::from_value(full).unwrap();
    assert!(matches!(full, MessageUpdate::Message(_)));
}

#[test]
fn post_body_files_are_integers_or_decimal_strings() {
    let body: PostMessage = parse(&format!(
        r#"{{"data": "{DATA}", "signature": "{SIGNATURE}", "files": [1, "2"], "timestamp": 1}}"#
    ))
    .unwrap();
    assert_eq!(body.files, [1, 2]);
    assert!(!body.whisper_mods);
    assert_eq!(body.whisper_to, None);
    round_trip(&body);
    for files in [
        r#"null"#,
        r#"5"#,
        r#"["x"]"#,
        r#"[1.5]"#,
        r#"[null]"#,
        r#""1""#,
    ] {
        refuses::<PostMessage>(&[&format!(
            r#"{{"data": "{DATA}", "signature": "{SIGNATURE}", "files": {files}}}"#
        )]);
    }
}

#[test]
fn post_body_whisper_fields() {
    let body: PostMessage = parse(&format!(
        r#"{{"data": "{DATA}", "signature": "{SIGNATURE}", "whisper_to": "{BLINDED_2}", "whisper_mods": true}}"#
    ))
    .unwrap();
    assert_eq!(body.whisper_to.as_deref(), Some(BLINDED_2));
    assert!(body.whisper_mods);
    accepts::<PostMessage>(&[&format!(
        r#"{{"data": "{DATA}", "signature": "{SIGNATURE}", "whisper_to": null}}"#
    )]);
    for whisper in [
        r#""whisper_mods": 1"#,
        r#""whisper_mods": null"#,
        r#""whisper_to": 5"#,
    ] {
        refuses::<PostMessage>(&[&format!(
            r#"{{"data": "{DATA}", "signature": "{SIGNATURE}", {whisper}}}"#
        )]);
    }
}

#[test]
fn post_and_edit_bodies_need_data_and_signature_strings() {
    for bad in [
        r#"{}"#.to_owned(),
        format!(r#"{{"data": "{DATA}"}}"#),
        format!(r#"{{"signature": "{SIGNATURE}"}}"#),
        format!(r#"{{"data": null, "signature": "{SIGNATURE}"}}"#),
        format!(r#"[{{"data": "{DATA}", "signature": "{SIGNATURE}"}}]"#),
        // a derived serde struct would take its fields as an array
        format!(r#"["{DATA}", "{SIGNATURE}"]"#),
    ] {
        refuses::<PostMessage>(&[&bad]);
        refuses::<EditMessage>(&[&bad]);
    }
}

#[test]
fn edit_body_ignores_whisper_fields() {
    let body: EditMessage = parse(&format!(
        r#"{{"data": "{DATA}", "signature": "{SIGNATURE}", "whisper_mods": true, "files": ["3"]}}"#
    ))
    .unwrap();
    assert_eq!(body.files, [3]);
    round_trip(&body);
}
