//! `GET /capabilities` and `GET /health`.

use insta::assert_json_snapshot;
use sogs_protocol::api::capabilities::{BLIND, Capabilities, DbStatus, Health, REACTIONS, SOGS};

use super::round_trip;

fn default_caps() -> Vec<String> {
    [BLIND, REACTIONS, SOGS].map(String::from).to_vec()
}

#[test]
fn capabilities_answer_lists_the_sorted_capabilities() {
    let caps = Capabilities {
        capabilities: default_caps(),
        missing: None,
    };
    round_trip(&caps);
    assert_json_snapshot!(caps);
}

#[test]
fn capabilities_412_answer_adds_the_missing_ones_in_request_order() {
    let caps = Capabilities {
        capabilities: default_caps(),
        missing: Some(vec!["blind25".into(), "magic".into()]),
    };
    round_trip(&caps);
    assert_json_snapshot!(caps);
}

#[test]
fn health_answers() {
    assert_json_snapshot!("health_ok", Health { db: DbStatus::Ok });
    assert_json_snapshot!(
        "health_unreachable",
        Health {
            db: DbStatus::Unreachable
        }
    );
    round_trip(&Health { db: DbStatus::Ok });
}
