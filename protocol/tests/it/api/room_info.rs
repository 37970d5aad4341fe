//! `GET /room/{token}/pollInfo/{info_updated}` and `PUT /room/{token}`.

use insta::assert_json_snapshot;
use sogs_protocol::api::room_info::{PollInfo, UpdateRoom};

use super::rooms::plain_details;
use super::{accepts, parse, refuses, round_trip};

fn plain_poll() -> PollInfo {
    PollInfo {
        token: "the-best-room".into(),
        active_users: 5,
        read: true,
        write: true,
        upload: false,
        details: None,
        moderator: None,
        admin: None,
        global_moderator: None,
        global_admin: None,
        default_read: None,
        default_accessible: None,
        default_write: None,
        default_upload: None,
    }
}

#[test]
fn poll_info_unchanged_for_a_user() {
    let poll = plain_poll();
    round_trip(&poll);
    assert_json_snapshot!(poll);
}

#[test]
fn poll_info_changed_for_a_moderator() {
    let poll = PollInfo {
        details: Some(plain_details()),
        moderator: Some(true),
        default_read: Some(true),
        default_accessible: Some(false),
        default_write: Some(true),
        default_upload: Some(true),
        global_moderator: Some(true),
        ..plain_poll()
    };
    round_trip(&poll);
    assert_json_snapshot!(poll);
}

#[test]
fn update_room_fields_keep_absent_apart_from_null() {
    let body: UpdateRoom = parse(r#"{"description": null}"#).unwrap();
    assert_eq!(body.description, Some(None));
    assert_eq!(body.fields(), ["description"]);
    let body: UpdateRoom = parse(r#"{"name": "Fish", "description": "Tuna"}"#).unwrap();
    assert_eq!(body.name.as_deref(), Some("Fish"));
    assert_eq!(body.description, Some(Some("Tuna".into())));
    let body: UpdateRoom = parse(r#"{"image": 7}"#).unwrap();
    assert_eq!((body.image, body.description), (Some(7), None));
}

#[test]
fn update_room_default_flags_take_booleans_or_integers() {
    let body: UpdateRoom = parse(
        r#"{"default_read": 1, "default_accessible": 0, "default_write": true, "default_upload": -3}"#,
    )
    .unwrap();
    assert_eq!(body.default_read, Some(true));
    assert_eq!(body.default_accessible, Some(false));
    assert_eq!(body.default_write, Some(true));
    assert_eq!(body.default_upload, Some(true));
    refuses::<UpdateRoom>(&[
        r#"{"default_read": null}"#,
        r#"{"default_read": 1.0}"#,
        r#"{"default_read": "true"}"#,
        r#"{"default_write": []}"#,
    ]);
}

#[test]
fn update_room_refuses_wrong_types() {
    refuses::<UpdateRoom>(&[
        r#"{"name": null}"#,
        r#"{"name": 5}"#,
        r#"{"description": 5}"#,
        r#"{"image": null}"#,
        r#"{"image": "7"}"#,
        r#"{"image": 7.5}"#,
        r#"{"image": 18446744073709551615}"#,
        r#"[{"name": "x"}]"#,
        r#"["x"]"#,
        r#""name""#,
    ]);
}

#[test]
fn update_room_needs_one_known_field() {
    accepts::<UpdateRoom>(&["{}", r#"{"colour": "blue"}"#]);
    let empty: UpdateRoom = parse(r#"{"colour": "blue"}"#).unwrap();
    assert_eq!(
        empty.validate().unwrap_err(),
        "Invalid request: give at least one of name, description, image, default_read, \
         default_accessible, default_write, default_upload"
    );
    let named: UpdateRoom = parse(r#"{"name": ""}"#).unwrap();
    assert_eq!(named.validate(), Ok(()));
}

#[test]
fn update_room_serializes_only_what_it_changes() {
    let body = UpdateRoom {
        description: Some(None),
        default_write: Some(false),
        ..UpdateRoom::default()
    };
    assert_eq!(
        serde_json::to_string(&body).unwrap(),
        r#"{"description":null,"default_write":false}"#
    );
    round_trip(&body);
}
