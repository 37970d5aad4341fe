//! The shared answers `{}` and `{"info_updates": n}`.

use insta::assert_json_snapshot;
use sogs_protocol::api::common::{Empty, InfoUpdates};

use super::{accepts, round_trip};

#[test]
fn empty_answer_is_an_empty_object() {
    round_trip(&Empty {});
    assert_json_snapshot!(Empty {});
}

#[test]
fn ignored_bodies_parse_as_empty() {
    accepts::<Empty>(&["{}", r#"{"anything": [1, 2]}"#]);
}

#[test]
fn info_updates_answer() {
    let answer = InfoUpdates { info_updates: 7 };
    round_trip(&answer);
    assert_json_snapshot!(answer);
}
