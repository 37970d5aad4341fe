//! `POST /room/{token}/file`.

use insta::assert_json_snapshot;
use sogs_protocol::api::files::Uploaded;

use super::round_trip;

#[test]
fn upload_answer_is_the_file_id() {
    // The spec's onion example answer (§4.3).
    let answer: Uploaded = serde_json::from_str(r#"{"id": 123}"#).unwrap();
    assert_eq!(answer, Uploaded { id: 123 });
    round_trip(&answer);
    assert_json_snapshot!(answer);
}
