//! Per-user room permissions and their scheduled changes, for moderators
//! (pysogs `routes/rooms.py` permission routes, spec §2.2 with the §15 corrections).

use std::sync::Arc;

use sogs_protocol::api::permissions::{
    RoomPermissions, SchedulePermissions, SetPermissions, UserPermissions,
};

use crate::actions::{self, Parties};
use crate::clock::unix_now;
use crate::dispatch::{ApiRequest, ApiResponse};
use crate::domain::overrides::OverrideChanges;
use crate::error::{ApiError, ApiResult};
use crate::http::access::RoomAccess;
use crate::http::extract::{TargetRule, target_user};
use crate::state::AppState;
use crate::storage::overrides;

/// `GET /room/{token}/permissions`: every override in the room, by session id.
pub async fn list(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let (room, _) = RoomAccess::load(&state, &req).await?.moderator(&req)?;
    let rows = overrides::list(&state.db, room.room.id, None).await?;
    let all: RoomPermissions = rows
        .iter()
        .map(|o| (o.session_id.clone(), o.simplified()))
        .collect();
    Ok(ApiResponse::ok(&all))
}

/// `GET /room/{token}/permissions/{id}`: one user's override, or `{}`.
pub async fn get(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let target = target_user(&req, TargetRule::BlindedId)?;
    let (room, _) = RoomAccess::load(&state, &req).await?.moderator(&req)?;
    let user = target.resolve(&state).await?;
    Ok(ApiResponse::ok(
        &user_perms(&state, room.room.id, user).await?,
    ))
}

/// `POST /room/{token}/permissions/{id}`: sets or resets a user's read/accessible/write/upload.
pub async fn set(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let target = target_user(&req, TargetRule::BlindedId)?;
    let (room, actor) = RoomAccess::load(&state, &req).await?.moderator(&req)?;
    let body: SetPermissions = req.json()?;
    let changes = override_changes(&body)?;
    let target = target.resolve(&state).await?;
    let room_id = room.room.id;
    let who = Parties {
        actor: Some(actor.id),
        target,
    };
    let details = serde_json::to_value(body).map_err(|e| ApiError::Internal(Box::new(e)))?;
    actions::set_permissions(&state.db, who, room_id, &changes, !body.unschedule, details).await?;
    Ok(ApiResponse::ok(&user_perms(&state, room_id, target).await?))
}

/// The changes a valid body asks for (400 with the body's rule otherwise).
fn override_changes(body: &SetPermissions) -> ApiResult<OverrideChanges> {
    body.validate().map_err(ApiError::bad_request)?;
    let [read, accessible, write, upload] = body.changes().map(|(p, value, reset)| {
        OverrideChanges::combine(value, reset).map_err(|_| {
            ApiError::bad_request(format!(
                "Invalid request: cannot use `{p}` with `default_{p}`"
            ))
        })
    });
    Ok(OverrideChanges {
        read: read?,
        accessible: accessible?,
        write: write?,
        upload: upload?,
    })
}

/// `GET /room/{token}/futurePermissions`: every scheduled change in the room, by time.
pub async fn list_futures(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let (room, _) = RoomAccess::load(&state, &req).await?.moderator(&req)?;
    let futures = overrides::futures(&state.db, room.room.id, None).await?;
    Ok(ApiResponse::ok(&futures))
}

/// `GET /room/{token}/futurePermissions/{id}`: one user's scheduled changes.
pub async fn get_futures(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let target = target_user(&req, TargetRule::BlindedId)?;
    let (room, _) = RoomAccess::load(&state, &req).await?.moderator(&req)?;
    let user = target.resolve(&state).await?;
    user_futures(&state, room.room.id, user).await
}

/// `POST /room/{token}/futurePermissions/{id}`: schedules a read/write/upload change `in` seconds.
pub async fn schedule(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let target = target_user(&req, TargetRule::BlindedId)?;
    let (room, actor) = RoomAccess::load(&state, &req).await?.moderator(&req)?;
    let body: SchedulePermissions = req.json()?;
    let delay = body.validate().map_err(ApiError::bad_request)?;
    let target = target.resolve(&state).await?;
    let who = Parties {
        actor: Some(actor.id),
        target,
    };
    let at = unix_now() + delay;
    let values = [body.read, body.write, body.upload];
    let details = serde_json::to_value(body).map_err(|e| ApiError::Internal(Box::new(e)))?;
    actions::schedule_permissions(&state.db, who, room.room.id, at, values, details).await?;
    user_futures(&state, room.room.id, target).await
}

async fn user_perms(state: &AppState, room: i64, user: i64) -> ApiResult<UserPermissions> {
    let rows = overrides::list(&state.db, room, Some(user)).await?;
    Ok(rows.first().map(|o| o.simplified()).unwrap_or_default())
}

async fn user_futures(state: &AppState, room: i64, user: i64) -> ApiResult {
    let mut list = overrides::futures(&state.db, room, Some(user)).await?;
    list.iter_mut().for_each(|f| f.session_id = None);
    Ok(ApiResponse::ok(&list))
}
