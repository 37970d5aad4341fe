//! Reactions: add and remove one's own, moderator removal, reactor lists (pysogs `routes/messages.py`).

use std::sync::Arc;

use serde_json::json;

use crate::domain::message::valid_reaction;
use crate::error::{ApiError, ApiResult};
use crate::dispatch::params::{path_id, query_int};
use crate::http::rooms::RoomAccess;
use crate::dispatch::{ApiRequest, ApiResponse};
use crate::state::AppState;
use crate::actions;
use crate::storage::{messages, reactions};

/// The message id (a regular message of `room`, else 404) and the reaction (400 if invalid).
async fn target(
    state: &AppState,
    req: &ApiRequest,
    room: &RoomAccess,
    need_reaction: bool,
) -> ApiResult<(i64, Option<String>)> {
    let id = path_id(req, "id")?;
    let reaction = match req.optional_param("reaction").unwrap_or_default() {
        "" if !need_reaction => None,
        r if valid_reaction(r) => Some(r.to_owned()),
        _ => {
            return Err(ApiError::bad_request(
                "Invalid reaction: must be 1 to 12 characters, no control characters",
            ));
        }
    };
    if !messages::is_regular(&state.db, room.room.id, id).await? {
        return Err(ApiError::not_found(format!("No such post: {id}")));
    }
    Ok((id, reaction))
}

/// `PUT /room/{token}/reaction/{id}/{reaction}`: adds the caller's reaction (pysogs `message_react`).
pub async fn add(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let room = RoomAccess::load(&state, &req).await?;
    let user_id = req.require_user()?.id;
    let room = room.readable()?;
    let (id, reaction) = target(&state, &req, &room, true).await?;
    let mut conn = state.db.acquire().await?;
    let added = reactions::add(
        &mut conn,
        id,
        reaction.as_deref().unwrap_or_default(),
        user_id,
    )
    .await?;
    let seqno = reactions::message_seqno(&mut *conn, id).await?;
    Ok(ApiResponse::ok(&json!({ "added": added, "seqno": seqno })))
}

/// `DELETE /room/{token}/reaction/{id}/{reaction}`: removes the caller's reaction (pysogs `message_unreact`).
pub async fn remove(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let room = RoomAccess::load(&state, &req).await?;
    let user_id = req.require_user()?.id;
    let room = room.readable()?;
    let (id, reaction) = target(&state, &req, &room, true).await?;
    let mut conn = state.db.acquire().await?;
    let removed = reactions::remove(&mut conn, id, reaction.as_deref(), Some(user_id)).await?;
    let seqno = reactions::message_seqno(&mut *conn, id).await?;
    Ok(ApiResponse::ok(
        &json!({ "removed": removed > 0, "seqno": seqno }),
    ))
}

/// `DELETE /room/{token}/reactions/{id}[/{reaction}]`: a moderator removes every reaction, or
/// every reaction of one kind (pysogs `message_delete_reactions`).
pub async fn moderator_remove(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let room = RoomAccess::load(&state, &req).await?.moderator(&req)?;
    let (id, reaction) = target(&state, &req, &room, false).await?;
    let actor = req.user.as_ref().map(|u| u.id);
    let (removed, seqno) =
        actions::delete_reactions(&state.db, actor, room.room.id, id, reaction.as_deref()).await?;
    Ok(ApiResponse::ok(
        &json!({ "removed": removed, "seqno": seqno }),
    ))
}

/// `GET /room/{token}/reactors/{id}/{reaction}`: `[[session_id, at], …]` in reaction order
/// (pysogs `message_get_reactors`).
pub async fn reactors(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let room = RoomAccess::load(&state, &req).await?.readable()?;
    let (id, reaction) = target(&state, &req, &room, true).await?;
    let limit = query_int(&req, "limit", 0, i64::MIN, i64::MAX)?;
    let list = reactions::reactors(
        &state.db,
        id,
        reaction.as_deref().unwrap_or_default(),
        limit,
    )
    .await?;
    Ok(ApiResponse::ok(&list))
}
