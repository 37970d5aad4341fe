//! Room polling and updates: `pollInfo` and `PUT /room/{token}` (pysogs `routes/rooms.py`).

use std::sync::Arc;

use actix_web::http::StatusCode;
use serde_json::{Map, Value, json};

use crate::domain::permissions::RoomDefaults;
use crate::domain::room::{TooLong, clean_description, clean_name};
use crate::error::{ApiError, ApiResult};
use crate::dispatch::params::path_bound;
use crate::http::rooms::{RoomAccess, details_of};
use crate::dispatch::{ApiRequest, ApiResponse};
use crate::state::AppState;
use crate::actions::{self, RoomUpdate};
use crate::storage::rooms::RoomChanges;

/// `GET /room/{token}/pollInfo/{info_updated}`: the caller's permissions and active users, plus
/// the full details when `info_updates` moved on (pysogs `poll_room_info`).
pub async fn poll_info(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let info_updated = path_bound(&req, "info_updated")?;
    let access = RoomAccess::load(&state, &req).await?.readable()?;
    if let Some(user) = &req.user {
        state.activity.room_seen(access.room.id, user.id);
    }
    let (room, perms) = (&access.room, &access.perms);
    let mut out = json!({
        "token": room.token,
        "active_users": room.active_users,
        "read": perms.can_read(),
        "write": perms.can_write(),
        "upload": perms.can_upload(),
    });
    if room.info_updates != info_updated {
        let details = details_of(&state, std::slice::from_ref(&access)).await?;
        out["details"] = json!(details.first());
    }
    add_role_flags(&mut out, &access);
    Ok(ApiResponse::ok(&out))
}

fn add_role_flags(out: &mut Value, access: &RoomAccess) {
    let (perms, defaults) = (&access.perms, access.room.defaults);
    if perms.moderator {
        out["moderator"] = json!(true);
        out["default_read"] = json!(defaults.read);
        out["default_accessible"] = json!(defaults.accessible);
        out["default_write"] = json!(defaults.write);
        out["default_upload"] = json!(defaults.upload);
    }
    for (flag, on) in [
        ("admin", perms.admin),
        ("global_moderator", perms.global_moderator),
        ("global_admin", perms.global_admin),
    ] {
        if on {
            out[flag] = json!(true);
        }
    }
}

/// `PUT /room/{token}`: an admin changes name, description, image or default permissions;
/// answers the new `info_updates` (pysogs `set_room_info`).
pub async fn update(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let access = RoomAccess::load(&state, &req).await?.admin(&req)?;
    let body: Map<String, Value> = req.json()?;
    let changes = parse_changes(&body, access.room.defaults)?;
    let image = image_of(&body)?;
    let fields: Vec<&str> = body
        .keys()
        .map(String::as_str)
        .filter(|k| ROOM_FIELDS.contains(k))
        .collect();
    let actor = req.user.as_ref().map(|u| u.id);
    let room = match actions::update_room(&state.db, actor, access.room.id, &changes, image, &fields)
        .await?
    {
        RoomUpdate::Updated(room) => room,
        RoomUpdate::NoSuchImage => {
            let image = image.unwrap_or_default();
            let text = format!("No such file: {image}");
            return Err(ApiError::status(StatusCode::NOT_ACCEPTABLE, text));
        }
    };
    let info_updates = room.map_or(access.room.info_updates, |r| r.info_updates);
    Ok(ApiResponse::ok(&json!({ "info_updates": info_updates })))
}

const ROOM_FIELDS: [&str; 7] = [
    "name",
    "description",
    "image",
    "default_read",
    "default_accessible",
    "default_write",
    "default_upload",
];

fn invalid(e: TooLong) -> ApiError {
    ApiError::bad_request(format!("Invalid request: {e}"))
}

fn parse_changes(body: &Map<String, Value>, current: RoomDefaults) -> ApiResult<RoomChanges> {
    if !ROOM_FIELDS.iter().any(|f| body.contains_key(*f)) {
        return Err(ApiError::bad_request(format!(
            "Invalid request: give at least one of {}",
            ROOM_FIELDS.join(", ")
        )));
    }
    let name = match body.get("name") {
        None => None,
        Some(Value::String(n)) => Some(clean_name(n).map_err(invalid)?),
        Some(_) => {
            return Err(ApiError::bad_request(
                "Invalid request: name must be a string",
            ));
        }
    };
    let description = match body.get("description") {
        None => None,
        Some(Value::Null) => Some(None),
        Some(Value::String(d)) => Some(clean_description(d).map_err(invalid)?),
        Some(_) => {
            return Err(ApiError::bad_request(
                "Invalid request: description must be a string or null",
            ));
        }
    };
    let mut defaults = current;
    let mut changed = false;
    for (key, slot) in [
        ("default_read", &mut defaults.read),
        ("default_accessible", &mut defaults.accessible),
        ("default_write", &mut defaults.write),
        ("default_upload", &mut defaults.upload),
    ] {
        if let Some(value) = body.get(key) {
            *slot = flag(key, value)?;
            changed = true;
        }
    }
    Ok(RoomChanges {
        name,
        description,
        defaults: changed.then_some(defaults),
    })
}

/// A permission flag given as a bool or an integer.
fn flag(key: &str, value: &Value) -> ApiResult<bool> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::Number(n) if n.is_i64() || n.is_u64() => Ok(n.as_f64() != Some(0.0)),
        _ => Err(ApiError::bad_request(format!(
            "Invalid request: {key} must be a boolean"
        ))),
    }
}

fn image_of(body: &Map<String, Value>) -> ApiResult<Option<i64>> {
    match body.get("image") {
        None => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| ApiError::bad_request("Invalid request: image must be a file id")),
        Some(_) => Err(ApiError::bad_request(
            "Invalid request: image must be a file id",
        )),
    }
}
