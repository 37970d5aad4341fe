//! `POST /room/{token}/pin/{id}`, `…/unpin/{id}`, `…/unpin/all`.

use insta::assert_json_snapshot;
use sogs_protocol::api::common::InfoUpdates;
use sogs_protocol::api::pins::{Unpinned, UnpinnedAll};

use super::round_trip;

#[test]
fn pin_answer_is_the_new_info_updates() {
    assert_json_snapshot!(InfoUpdates { info_updates: 12 });
}

#[test]
fn unpin_answer_says_whether_it_was_pinned() {
    let answer = Unpinned {
        unpinned: true,
        info_updates: 13,
    };
    round_trip(&answer);
    assert_json_snapshot!(answer);
}

#[test]
fn unpin_all_answer_counts_the_unpinned() {
    let answer = UnpinnedAll {
        unpinned: 3,
        info_updates: 14,
    };
    round_trip(&answer);
    assert_json_snapshot!(answer);
}
