//! `/room/{token}/permissions…` and `/room/{token}/futurePermissions…`.

use insta::assert_json_snapshot;
use sogs_protocol::api::permissions::{
    FuturePermission, RoomPermissions, SchedulePermissions, SetPermissions, UserPermissions,
};

use super::{BLINDED, BLINDED_2, BLINDED_3, POSTED, parse, refuses, round_trip};

#[test]
fn room_permissions_are_simplified_overrides_by_session_id() {
    // The spec's two examples (§2.2), plus a hidden banned admin.
    let all: RoomPermissions = serde_json::from_str(&format!(
        r#"{{"{BLINDED}": {{"moderator": true}}, "{BLINDED_2}": {{"read": true, "write": false}}}}"#
    ))
    .unwrap();
    let mut all = all;
    all.insert(
        BLINDED_3.into(),
        UserPermissions {
            upload: Some(false),
            admin: Some(true),
            hidden: Some(true),
            banned: Some(true),
            ..UserPermissions::default()
        },
    );
    round_trip(&all);
    assert_json_snapshot!(all);
}

#[test]
fn user_permissions_without_an_override_are_empty() {
    assert_json_snapshot!(UserPermissions::default());
}

#[test]
fn future_permissions_of_a_room_name_the_user() {
    let list = vec![
        FuturePermission {
            session_id: Some(BLINDED.into()),
            at: POSTED + 86400.0,
            read: None,
            write: Some(true),
            upload: None,
            banned: None,
        },
        FuturePermission {
            session_id: Some(BLINDED_2.into()),
            at: POSTED + 90000.0,
            read: None,
            write: None,
            upload: None,
            banned: Some(false),
        },
    ];
    round_trip(&list);
    assert_json_snapshot!(list);
}

#[test]
fn future_permissions_of_a_user_omit_the_session_id() {
    let list = vec![FuturePermission {
        session_id: None,
        at: POSTED + 86400.0,
        read: Some(false),
        write: Some(true),
        upload: Some(true),
        banned: None,
    }];
    round_trip(&list);
    assert_json_snapshot!(list);
}

#[test]
fn set_permissions_values_are_booleans_or_null() {
    let body: SetPermissions = parse(r#"{"read": true, "write": false, "upload": null}"#).unwrap();
    assert_eq!(
        (body.read, body.write, body.upload),
        (Some(true), Some(false), None)
    );
    assert!(body.unschedule);
    assert_eq!(body.validate(), Ok(()));
    round_trip(&body);
    refuses::<SetPermissions>(&[
        r#"{"read": 1}"#,
        r#"{"write": "false"}"#,
        r#"{"accessible": []}"#,
        r#"[{"read": true}]"#,
        r#"[true]"#,
    ]);
}

#[test]
fn set_permissions_default_flags_are_truthy() {
    for (value, reset) in [
        ("true", true),
        ("1", true),
        ("0.5", true),
        (r#""x""#, true),
        ("[0]", true),
        (r#"{"a": 1}"#, true),
        ("false", false),
        ("0", false),
        ("0.0", false),
        (r#""""#, false),
        ("[]", false),
        ("{}", false),
        ("null", false),
    ] {
        let body: SetPermissions = parse(&format!(r#"{{"default_write": {value}}}"#)).unwrap();
        assert_eq!(body.default_write, reset, "default_write: {value}");
    }
}

#[test]
fn set_permissions_unschedule_is_true_unless_exactly_false() {
    for (value, unschedule) in [
        ("false", false),
        ("true", true),
        ("0", true),
        ("null", true),
    ] {
        let body: SetPermissions =
            parse(&format!(r#"{{"read": true, "unschedule": {value}}}"#)).unwrap();
        assert_eq!(body.unschedule, unschedule, "unschedule: {value}");
    }
    let body: SetPermissions = parse(r#"{"read": true}"#).unwrap();
    assert!(body.unschedule);
}

#[test]
fn set_permissions_rules_between_fields() {
    let both: SetPermissions = parse(r#"{"upload": true, "default_upload": true}"#).unwrap();
    assert_eq!(
        both.validate().unwrap_err(),
        "Invalid request: cannot use `upload` with `default_upload`"
    );
    for nothing in [
        "{}",
        r#"{"read": null, "default_read": false}"#,
        r#"{"unschedule": false}"#,
    ] {
        let body: SetPermissions = parse(nothing).unwrap();
        assert_eq!(
            body.validate().unwrap_err(),
            "Invalid request: no permission to change",
            "{nothing}"
        );
    }
    let reset: SetPermissions = parse(r#"{"default_accessible": 1}"#).unwrap();
    assert_eq!(reset.validate(), Ok(()));
}

#[test]
fn schedule_permissions_in_is_a_number_in_range() {
    let body: SchedulePermissions = parse(r#"{"write": true, "in": 86400}"#).unwrap();
    assert_eq!(body.validate(), Ok(86400.0));
    round_trip(&body);
    let body: SchedulePermissions = parse(r#"{"read": false, "in": 0.25}"#).unwrap();
    assert_eq!(body.validate(), Ok(0.25));
    for bad_in in ["0", "-5", "1e9", "null"] {
        let body: SchedulePermissions =
            parse(&format!(r#"{{"read": true, "in": {bad_in}}}"#)).unwrap();
        assert_eq!(
            body.validate().unwrap_err(),
            "Invalid request: `in` must be a number of seconds in (0, 1e9)",
            "in: {bad_in}"
        );
    }
    let none: SchedulePermissions = parse(r#"{"read": null, "in": 60}"#).unwrap();
    assert_eq!(
        none.validate().unwrap_err(),
        "Invalid request: one of read, write or upload is required"
    );
    refuses::<SchedulePermissions>(&[
        r#"{"read": true, "in": "60"}"#,
        r#"{"read": 0, "in": 60}"#,
        r#"[]"#,
    ]);
}
