//! Room endpoints: the room list and room details (pysogs `routes/rooms.py`).

use std::sync::Arc;

use sogs_protocol::api::rooms::{PinnedMessage, RoomDetails};

use crate::dispatch::{ApiRequest, ApiResponse};
use crate::domain::permissions::Effective;
use crate::error::ApiResult;
use crate::http::access::RoomAccess;
use crate::state::AppState;
use crate::storage::{permissions, rooms};

/// `GET /rooms`: details of every room the caller may see, ordered by token
/// (pysogs `get_rooms`).
pub async fn list_rooms(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let all = rooms::list_all(&state.db).await?;
    let perms_by_room = match &req.user {
        Some(user) => permissions::effective_by_room(&state.db, user.id, None).await?,
        None => all
            .iter()
            .map(|r| (r.id, Effective::anonymous(r.defaults)))
            .collect(),
    };
    let visible: Vec<RoomAccess> = all
        .into_iter()
        .filter_map(|room| {
            let perms = perms_by_room.iter().find(|(id, _)| *id == room.id)?.1;
            perms.can_access().then_some(RoomAccess { room, perms })
        })
        .collect();
    Ok(ApiResponse::ok(&details_of(&state, &visible).await?))
}

/// `GET /room/{token}`: details of one room (pysogs `get_one_room`).
pub async fn get_room(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let room = RoomAccess::load(&state, &req).await?.accessible()?;
    let mut details = details_of(&state, std::slice::from_ref(&room)).await?;
    Ok(ApiResponse::ok(&details.pop()))
}

/// Builds the details objects of several rooms with two queries in all.
pub async fn details_of(state: &AppState, rooms_: &[RoomAccess]) -> ApiResult<Vec<RoomDetails>> {
    let ids: Vec<i64> = rooms_.iter().map(|r| r.room.id).collect();
    let mods = rooms::moderators(&state.db, &ids).await?;
    let pins = rooms::pins(&state.db, &ids).await?;
    let cutoff = (state.settings.rooms.active_threshold_days * 86400.0).round() as i64;
    Ok(rooms_
        .iter()
        .map(|r| {
            let room_mods: Vec<_> = mods.iter().filter(|m| m.room == r.room.id).collect();
            let room_pins = pins.iter().filter(|p| p.room == r.room.id);
            build_details(r, &room_mods, room_pins, cutoff)
        })
        .collect())
}

fn build_details<'a>(
    r: &RoomAccess,
    mods: &[&rooms::RoomModerator],
    pins: impl Iterator<Item = &'a rooms::Pin>,
    active_users_cutoff: i64,
) -> RoomDetails {
    let (room, perms) = (&r.room, &r.perms);
    let list = |admin: bool, visible: bool| -> Vec<String> {
        mods.iter()
            .filter(|m| m.admin == admin && m.visible == visible)
            .map(|m| m.session_id.clone())
            .collect()
    };
    let hidden = |admin: bool| {
        if perms.moderator {
            list(admin, false)
        } else {
            Vec::new()
        }
    };
    let flag = |on: bool| on.then_some(true);
    let for_mods = |value: bool| perms.moderator.then_some(value);
    RoomDetails {
        token: room.token.clone(),
        name: room.name.clone(),
        description: room.description.clone(),
        info_updates: room.info_updates,
        message_sequence: room.message_sequence,
        created: room.created,
        active_users: room.active_users,
        active_users_cutoff,
        image_id: room.image,
        pinned_messages: pins
            .map(|p| PinnedMessage {
                id: p.message,
                pinned_at: p.pinned_at,
                pinned_by: p.pinned_by.clone(),
            })
            .collect(),
        moderators: list(false, true),
        admins: list(true, true),
        hidden_moderators: hidden(false),
        hidden_admins: hidden(true),
        read: perms.can_read(),
        write: perms.can_write(),
        upload: perms.can_upload(),
        moderator: flag(perms.moderator),
        admin: flag(perms.admin),
        global_moderator: flag(perms.global_moderator),
        global_admin: flag(perms.global_admin),
        default_read: for_mods(room.defaults.read),
        default_accessible: for_mods(room.defaults.accessible),
        default_write: for_mods(room.defaults.write),
        default_upload: for_mods(room.defaults.upload),
    }
}
