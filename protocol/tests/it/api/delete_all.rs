//! `DELETE /room/{token}/all/{id}` and `DELETE /rooms/all/{id}`.

use std::collections::BTreeMap;

use insta::assert_json_snapshot;
use sogs_protocol::api::delete_all::DeletedEverywhere;

use super::round_trip;

#[test]
fn delete_everywhere_answer_counts_per_permitted_room() {
    let answer = DeletedEverywhere {
        total: 5,
        rooms: BTreeMap::from([("fishing".into(), 0), ("the-best-room".into(), 5)]),
    };
    round_trip(&answer);
    assert_json_snapshot!(answer);
}

#[test]
fn delete_everywhere_answer_with_no_permitted_room() {
    let answer = DeletedEverywhere {
        total: 0,
        rooms: BTreeMap::new(),
    };
    round_trip(&answer);
    assert_json_snapshot!(answer);
}
