//! Pinning messages (admins): pin, unpin, unpin all (pysogs `message_pin`, `message_unpin`, …).

use std::sync::Arc;

use serde_json::json;

use crate::error::{ApiError, ApiResult};
use crate::dispatch::params::path_id;
use crate::http::rooms::{RoomAccess, permission_denied};
use crate::dispatch::{ApiRequest, ApiResponse};
use crate::state::AppState;
use crate::actions;
use crate::storage::messages;

/// The room, if the caller is one of its admins (403 otherwise, even when anonymous, as in the
/// reference where the check is in the model).
async fn admin_room(state: &AppState, req: &ApiRequest) -> ApiResult<RoomAccess> {
    let room = RoomAccess::load(state, req).await?;
    if room.perms.admin && req.user.is_some() {
        Ok(room)
    } else {
        Err(permission_denied())
    }
}

/// `POST /room/{token}/pin/{id}`: pins a regular message, or moves an existing pin last.
pub async fn pin(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let id = path_id(&req, "id")?;
    let room = admin_room(&state, &req).await?;
    let by = req.require_user()?.id;
    if !messages::is_regular(&state.db, room.room.id, id).await? {
        return Err(ApiError::not_found(format!("No such post: {id}")));
    }
    let info_updates = actions::pin(&state.db, by, room.room.id, id).await?;
    Ok(ApiResponse::ok(&json!({ "info_updates": info_updates })))
}

/// `POST /room/{token}/unpin/{id}`: unpins one message.
pub async fn unpin(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let id = path_id(&req, "id")?;
    let room = admin_room(&state, &req).await?;
    let (count, info_updates) = unpin_some(&state, &req, &room, Some(id)).await?;
    Ok(ApiResponse::ok(
        &json!({ "unpinned": count > 0, "info_updates": info_updates }),
    ))
}

/// `POST /room/{token}/unpin/all`: unpins every message.
pub async fn unpin_all(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let room = admin_room(&state, &req).await?;
    let (count, info_updates) = unpin_some(&state, &req, &room, None).await?;
    Ok(ApiResponse::ok(
        &json!({ "unpinned": count, "info_updates": info_updates }),
    ))
}

async fn unpin_some(
    state: &AppState,
    req: &ApiRequest,
    room: &RoomAccess,
    id: Option<i64>,
) -> ApiResult<(i64, i64)> {
    let by = req.require_user()?.id;
    let days = state.settings.files.expiry_days;
    let lifetime = (days > 0.0).then_some(days * 86_400.0);
    Ok(actions::unpin(&state.db, by, room.room.id, id, lifetime).await?)
}
