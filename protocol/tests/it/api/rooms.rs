//! Room details: `GET /rooms`, `GET /room/{token}` and `pollInfo.details`.

use insta::assert_json_snapshot;
use sogs_protocol::api::rooms::{PinnedMessage, RoomDetails};

use super::{BLINDED, BLINDED_2, BLINDED_3, POSTED, round_trip};

/// What an ordinary user sees: no optional keys at all.
pub(super) fn plain_details() -> RoomDetails {
    RoomDetails {
        token: "the-best-room".into(),
        name: "The Best Room".into(),
        description: None,
        info_updates: 3,
        message_sequence: 42,
        created: POSTED,
        active_users: 5,
        active_users_cutoff: 604800,
        image_id: None,
        pinned_messages: Vec::new(),
        moderators: Vec::new(),
        admins: vec![BLINDED.into()],
        hidden_moderators: Vec::new(),
        hidden_admins: Vec::new(),
        read: true,
        write: true,
        upload: false,
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

/// What a room admin who is also a global admin sees: every key.
fn admin_details() -> RoomDetails {
    RoomDetails {
        description: Some("Fishing talk".into()),
        image_id: Some(7),
        pinned_messages: vec![PinnedMessage {
            id: 11,
            pinned_at: POSTED + 60.0,
            pinned_by: BLINDED.into(),
        }],
        moderators: vec![BLINDED_2.into()],
        hidden_moderators: vec![BLINDED_3.into()],
        hidden_admins: vec![BLINDED_2.into()],
        upload: true,
        moderator: Some(true),
        admin: Some(true),
        global_moderator: Some(true),
        global_admin: Some(true),
        default_read: Some(true),
        default_accessible: Some(true),
        default_write: Some(false),
        default_upload: Some(false),
        ..plain_details()
    }
}

#[test]
fn room_details_for_a_user_omit_every_optional_key() {
    let details = plain_details();
    round_trip(&details);
    assert_json_snapshot!(details);
}

#[test]
fn room_details_for_an_admin_have_every_key() {
    let details = admin_details();
    round_trip(&details);
    assert_json_snapshot!(details);
}

#[test]
fn room_list_is_a_list_of_details() {
    let list = vec![admin_details(), plain_details()];
    round_trip(&list);
    assert_json_snapshot!(list);
}
