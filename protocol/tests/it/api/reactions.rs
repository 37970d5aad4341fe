//! `/room/{token}/reaction/…`, `/room/{token}/reactions/…`, `/room/{token}/reactors/…`.

use insta::assert_json_snapshot;
use sogs_protocol::api::reactions::{ReactionAdded, ReactionRemoved, ReactionsCleared, Reactor};

use super::{BLINDED, BLINDED_2, POSTED, round_trip};

#[test]
fn add_answer() {
    let answer = ReactionAdded {
        added: true,
        seqno: 8,
    };
    round_trip(&answer);
    assert_json_snapshot!(answer);
}

#[test]
fn remove_answer() {
    let answer = ReactionRemoved {
        removed: false,
        seqno: 8,
    };
    round_trip(&answer);
    assert_json_snapshot!(answer);
}

#[test]
fn moderator_clear_answer_counts_the_removed() {
    let answer = ReactionsCleared {
        removed: 3,
        seqno: 11,
    };
    round_trip(&answer);
    assert_json_snapshot!(answer);
}

#[test]
fn reactors_are_id_and_time_pairs() {
    let list = vec![
        Reactor(BLINDED.into(), POSTED),
        Reactor(BLINDED_2.into(), POSTED + 2.25),
    ];
    round_trip(&list);
    assert_json_snapshot!(list);
    let parsed: Vec<Reactor> =
        serde_json::from_str(&format!(r#"[["{BLINDED}", 1642701309.5007384]]"#)).unwrap();
    assert_eq!(parsed, [Reactor(BLINDED.into(), POSTED)]);
}
