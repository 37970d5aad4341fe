//! Per-user room permissions and their scheduled changes, for moderators
//! (pysogs `routes/rooms.py` permission routes, spec §2.2 with the §15 corrections).

use std::sync::Arc;

use serde_json::{Map, Value, json};
use sogs_protocol::ids::{BlindedId, UserId};

use crate::actions::{self, Parties};
use crate::clock::unix_now;
use crate::domain::overrides::OverrideChanges;
use crate::error::{ApiError, ApiResult};
use crate::http::rooms::RoomAccess;
use crate::dispatch::{ApiRequest, ApiResponse};
use crate::state::AppState;
use crate::storage::overrides;

/// `GET /room/{token}/permissions`: every override in the room, by session id.
pub async fn list(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let room = RoomAccess::load(&state, &req).await?.moderator(&req)?;
    let rows = overrides::list(&state.db, room.room.id, None).await?;
    let all: Map<String, Value> = rows
        .iter()
        .map(|o| (o.session_id.clone(), Value::Object(o.simplified())))
        .collect();
    Ok(ApiResponse::ok(&all))
}

/// `GET /room/{token}/permissions/{id}`: one user's override, or `{}`.
pub async fn get(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let room = RoomAccess::load(&state, &req).await?.moderator(&req)?;
    let user = blinded_target(&state, &req).await?;
    Ok(ApiResponse::ok(
        &user_perms(&state, room.room.id, user).await?,
    ))
}

/// `POST /room/{token}/permissions/{id}`: sets or resets a user's read/accessible/write/upload.
pub async fn set(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let room = RoomAccess::load(&state, &req).await?.moderator(&req)?;
    let actor = req.require_user()?.id;
    let body: Map<String, Value> = req.json()?;
    let changes = parse_changes(&body)?;
    let target = blinded_target(&state, &req).await?;
    let room_id = room.room.id;
    let keep_scheduled = body.get("unschedule") == Some(&Value::Bool(false));
    let who = Parties {
        actor: Some(actor),
        target,
    };
    actions::set_permissions(
        &state.db,
        who,
        room_id,
        &changes,
        keep_scheduled,
        Value::Object(body),
    )
    .await?;
    Ok(ApiResponse::ok(&user_perms(&state, room_id, target).await?))
}

fn parse_changes(body: &Map<String, Value>) -> ApiResult<OverrideChanges> {
    let change = |p: &str| {
        let value = match body.get(p) {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => {
                return Err(ApiError::bad_request(format!(
                    "Invalid request: {p} must be true, false or null"
                )));
            }
        };
        let reset = body.get(&format!("default_{p}")).is_some_and(truthy);
        OverrideChanges::combine(value, reset).map_err(|_| {
            ApiError::bad_request(format!(
                "Invalid request: cannot use `{p}` with `default_{p}`"
            ))
        })
    };
    let changes = OverrideChanges {
        read: change("read")?,
        accessible: change("accessible")?,
        write: change("write")?,
        upload: change("upload")?,
    };
    if changes.is_empty() {
        return Err(ApiError::bad_request(
            "Invalid request: no permission to change",
        ));
    }
    Ok(changes)
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// `GET /room/{token}/futurePermissions`: every scheduled change in the room, by time.
pub async fn list_futures(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let room = RoomAccess::load(&state, &req).await?.moderator(&req)?;
    Ok(ApiResponse::ok(
        &overrides::futures(&state.db, room.room.id, None).await?,
    ))
}

/// `GET /room/{token}/futurePermissions/{id}`: one user's scheduled changes.
pub async fn get_futures(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let room = RoomAccess::load(&state, &req).await?.moderator(&req)?;
    let user = blinded_target(&state, &req).await?;
    user_futures(&state, room.room.id, user).await
}

/// `POST /room/{token}/futurePermissions/{id}`: schedules a read/write/upload change `in` seconds.
pub async fn schedule(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let room = RoomAccess::load(&state, &req).await?.moderator(&req)?;
    let actor = req.require_user()?.id;
    let body: Map<String, Value> = req.json()?;
    let value = |p: &str| match body.get(p) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(ApiError::bad_request(format!(
            "Invalid request: {p} must be true, false or null"
        ))),
    };
    let values = [value("read")?, value("write")?, value("upload")?];
    if values.iter().all(Option::is_none) {
        return Err(ApiError::bad_request(
            "Invalid request: one of read, write or upload is required",
        ));
    }
    let delay = body
        .get("in")
        .and_then(Value::as_f64)
        .filter(|d| *d > 0.0 && *d < 1e9);
    let delay = delay.ok_or_else(|| {
        ApiError::bad_request("Invalid request: `in` must be a number of seconds in (0, 1e9)")
    })?;
    let target = blinded_target(&state, &req).await?;
    let who = Parties {
        actor: Some(actor),
        target,
    };
    let at = unix_now() + delay;
    let details = Value::Object(body);
    actions::schedule_permissions(&state.db, who, room.room.id, at, values, details).await?;
    user_futures(&state, room.room.id, target).await
}

async fn user_perms(state: &AppState, room: i64, user: i64) -> ApiResult<Value> {
    let rows = overrides::list(&state.db, room, Some(user)).await?;
    Ok(rows
        .first()
        .map_or_else(|| json!({}), |o| Value::Object(o.simplified())))
}

async fn user_futures(state: &AppState, room: i64, user: i64) -> ApiResult {
    let mut list = overrides::futures(&state.db, room, Some(user)).await?;
    list.iter_mut().for_each(|f| f.session_id = None);
    Ok(ApiResponse::ok(&list))
}

/// The `{id}` of these routes: a blinded (15/25) id only; anything else does not match (404).
async fn blinded_target(state: &AppState, req: &ApiRequest) -> ApiResult<i64> {
    let id = BlindedId::parse(req.param("id")?).map_err(|_| ApiError::not_found("Not found"))?;
    Ok(actions::resolve_user(&state.db, state.keys.public(), true, &UserId::Blinded(id)).await?)
}
