//! Room polling and updates: `pollInfo` and `PUT /room/{token}` (pysogs `routes/rooms.py`).

use std::sync::Arc;

use actix_web::http::StatusCode;
use sogs_protocol::api::common::InfoUpdates;
use sogs_protocol::api::room_info::{PollInfo, UpdateRoom};

use crate::actions::{self, RoomUpdate};
use crate::dispatch::params::path_bound;
use crate::dispatch::{ApiRequest, ApiResponse};
use crate::domain::permissions::RoomDefaults;
use crate::domain::room::{TooLong, clean_description, clean_name};
use crate::error::{ApiError, ApiResult};
use crate::http::access::RoomAccess;
use crate::http::rooms::details_of;
use crate::state::AppState;
use crate::storage::rooms::RoomChanges;

/// `GET /room/{token}/pollInfo/{info_updated}`: the caller's permissions and active users, plus
/// the full details when `info_updates` moved on (pysogs `poll_room_info`).
pub async fn poll_info(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let info_updated: i64 = path_bound(&req, "info_updated")?;
    let access = RoomAccess::load(&state, &req).await?.readable()?;
    access.seen_by(&state, &req);
    let details = if access.room.info_updates != info_updated {
        details_of(&state, std::slice::from_ref(&access))
            .await?
            .pop()
    } else {
        None
    };
    let (room, perms) = (&access.room, &access.perms);
    let flag = |on: bool| on.then_some(true);
    let for_mods = |value: bool| perms.moderator.then_some(value);
    Ok(ApiResponse::ok(&PollInfo {
        token: room.token.clone(),
        active_users: room.active_users,
        read: perms.can_read(),
        write: perms.can_write(),
        upload: perms.can_upload(),
        details,
        moderator: flag(perms.moderator),
        admin: flag(perms.admin),
        global_moderator: flag(perms.global_moderator),
        global_admin: flag(perms.global_admin),
        default_read: for_mods(room.defaults.read),
        default_accessible: for_mods(room.defaults.accessible),
        default_write: for_mods(room.defaults.write),
        default_upload: for_mods(room.defaults.upload),
    }))
}

/// `PUT /room/{token}`: an admin changes name, description, image or default permissions;
/// answers the new `info_updates` (pysogs `set_room_info`).
pub async fn update(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let (access, user) = RoomAccess::load(&state, &req).await?.admin(&req)?;
    let body: UpdateRoom = req.json()?;
    body.validate().map_err(ApiError::bad_request)?;
    let changes = room_changes(&body, access.room.defaults)?;
    // Logged in the order the body's keys were always logged: sorted.
    let mut fields = body.fields();
    fields.sort_unstable();
    let (room_id, image) = (access.room.id, body.image);
    let update = actions::update_room(&state.db, Some(user.id), room_id, &changes, image, &fields);
    let room = match update.await? {
        RoomUpdate::Updated(room) => room,
        RoomUpdate::NoSuchImage => {
            let text = format!("No such file: {}", image.unwrap_or_default());
            return Err(ApiError::status(StatusCode::NOT_ACCEPTABLE, text));
        }
    };
    let info_updates = room.map_or(access.room.info_updates, |r| r.info_updates);
    Ok(ApiResponse::ok(&InfoUpdates { info_updates }))
}

fn invalid(e: TooLong) -> ApiError {
    ApiError::bad_request(format!("Invalid request: {e}"))
}

/// The cleaned name and description and the new room defaults (`current` with the given flags).
fn room_changes(body: &UpdateRoom, current: RoomDefaults) -> ApiResult<RoomChanges> {
    let name = body
        .name
        .as_deref()
        .map(clean_name)
        .transpose()
        .map_err(invalid)?;
    let description = match &body.description {
        None => None,
        Some(None) => Some(None),
        Some(Some(d)) => Some(clean_description(d).map_err(invalid)?),
    };
    let mut defaults = current;
    let mut changed = false;
    for (given, slot) in [
        (body.default_read, &mut defaults.read),
        (body.default_accessible, &mut defaults.accessible),
        (body.default_write, &mut defaults.write),
        (body.default_upload, &mut defaults.upload),
    ] {
        if let Some(value) = given {
            *slot = value;
            changed = true;
        }
    }
    Ok(RoomChanges {
        name,
        description,
        defaults: changed.then_some(defaults),
    })
}
