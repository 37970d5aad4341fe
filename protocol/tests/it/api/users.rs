//! `POST /user/{id}/moderator`, `…/ban`, `…/unban`.

use std::collections::BTreeMap;

use insta::assert_json_snapshot;
use sogs_protocol::api::users::{BanUser, ModeratorUpdated, RoomsOrGlobal, SetModerator};

use super::{accepts, parse, refuses, round_trip};

#[test]
fn moderator_answer_lists_info_updates_per_room() {
    let answer = ModeratorUpdated {
        info_updates: BTreeMap::from([("fishing".into(), 4), ("the-best-room".into(), 9)]),
    };
    round_trip(&answer);
    assert_json_snapshot!(answer);
}

#[test]
fn scope_is_a_room_list_or_a_global_flag() {
    let body: RoomsOrGlobal = parse(r#"{"rooms": ["fishing", "*"]}"#).unwrap();
    assert_eq!(body.rooms.unwrap(), ["fishing", "*"]);
    let body: RoomsOrGlobal = parse(r#"{"global": true}"#).unwrap();
    assert_eq!((body.rooms, body.global), (None, Some(true)));
    // Which combinations make sense is the server's check, after parsing.
    accepts::<RoomsOrGlobal>(&["{}", r#"{"rooms": [], "global": null}"#]);
    refuses::<RoomsOrGlobal>(&[
        r#"{"rooms": "fishing"}"#,
        r#"{"rooms": [1]}"#,
        r#"{"global": 1}"#,
        r#"{"global": "true"}"#,
        r#"[]"#,
        r#"[["fishing"], null]"#,
    ]);
}

#[test]
fn moderator_body_flags_are_booleans_or_null() {
    let body: SetModerator =
        parse(r#"{"rooms": ["fishing"], "moderator": true, "admin": null, "visible": false}"#)
            .unwrap();
    assert_eq!(
        body.scope.rooms.as_deref(),
        Some(&["fishing".to_owned()][..])
    );
    assert_eq!(
        (body.moderator, body.admin, body.visible),
        (Some(true), None, Some(false))
    );
    round_trip(&body);
    refuses::<SetModerator>(&[
        r#"{"global": true, "moderator": 1}"#,
        r#"{"global": true, "admin": "yes"}"#,
        r#"{"global": true, "visible": 0}"#,
    ]);
}

#[test]
fn ban_timeout_is_a_number_of_seconds_or_null() {
    let body: BanUser = parse(r#"{"rooms": ["*"], "timeout": 86400}"#).unwrap();
    assert_eq!(body.timeout, Some(86400.0));
    let body: BanUser = parse(r#"{"global": true, "timeout": 0.5}"#).unwrap();
    assert_eq!(body.timeout, Some(0.5));
    let body: BanUser = parse(r#"{"global": true, "timeout": null}"#).unwrap();
    assert_eq!(body.timeout, None);
    round_trip(&body);
    refuses::<BanUser>(&[r#"{"global": true, "timeout": "1d"}"#]);
}
