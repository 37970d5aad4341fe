//! Reactions: add and remove one's own, moderator removal, reactor lists (pysogs `routes/messages.py`).

use std::sync::Arc;

use sogs_protocol::api::paths::{MessageId, Reaction};
use sogs_protocol::api::reactions::{ReactionAdded, ReactionRemoved, ReactionsCleared, Reactor};

use crate::actions;
use crate::dispatch::params::path_id;
use crate::dispatch::params::query_int;
use crate::dispatch::{ApiRequest, ApiResponse};
use crate::error::{ApiError, ApiResult};
use crate::http::access::RoomAccess;
use crate::http::extract;
use crate::state::AppState;
use crate::storage::{messages, reactions};

/// 404 unless `id` is a regular (live, not a whisper) message of the room.
async fn require_regular(state: &AppState, room: &RoomAccess, id: i64) -> ApiResult<()> {
    if messages::is_regular(&state.db, room.room.id, id).await? {
        Ok(())
    } else {
        Err(ApiError::not_found(format!("No such post: {id}")))
    }
}

/// The `{reaction}` of a route that needs one (400 when invalid; checked after the access
/// guards, as in the reference's handlers).
fn required_reaction(req: &ApiRequest) -> ApiResult<Reaction> {
    extract::reaction(req)?.ok_or_else(|| ApiError::Internal("route has no {reaction}".into()))
}

/// `PUT /room/{token}/reaction/{id}/{reaction}`: adds the caller's reaction (pysogs `message_react`).
pub async fn add(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let MessageId(id) = path_id(&req, "id")?;
    let room = RoomAccess::load(&state, &req).await?;
    let user_id = req.require_user()?.id;
    let room = room.readable()?;
    let reaction = required_reaction(&req)?;
    require_regular(&state, &room, id).await?;
    let mut conn = state.db.acquire().await?;
    let added = reactions::add(&mut conn, id, reaction.as_str(), user_id).await?;
    let seqno = reactions::message_seqno(&mut *conn, id).await?;
    Ok(ApiResponse::ok(&ReactionAdded { added, seqno }))
}

/// `DELETE /room/{token}/reaction/{id}/{reaction}`: removes the caller's reaction (pysogs `message_unreact`).
pub async fn remove(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let MessageId(id) = path_id(&req, "id")?;
    let room = RoomAccess::load(&state, &req).await?;
    let user_id = req.require_user()?.id;
    let room = room.readable()?;
    let reaction = required_reaction(&req)?;
    require_regular(&state, &room, id).await?;
    let mut conn = state.db.acquire().await?;
    let removed = reactions::remove(&mut conn, id, Some(reaction.as_str()), Some(user_id)).await?;
    let seqno = reactions::message_seqno(&mut *conn, id).await?;
    Ok(ApiResponse::ok(&ReactionRemoved {
        removed: removed > 0,
        seqno,
    }))
}

/// `DELETE /room/{token}/reactions/{id}[/{reaction}]`: a moderator removes every reaction, or
/// every reaction of one kind (pysogs `message_delete_reactions`).
pub async fn moderator_remove(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let MessageId(id) = path_id(&req, "id")?;
    let (room, user) = RoomAccess::load(&state, &req).await?.moderator(&req)?;
    let reaction = extract::reaction(&req)?;
    require_regular(&state, &room, id).await?;
    let kind = reaction.as_ref().map(Reaction::as_str);
    let done = actions::delete_reactions(&state.db, Some(user.id), room.room.id, id, kind).await?;
    Ok(ApiResponse::ok(&ReactionsCleared {
        removed: done.removed as i64,
        seqno: done.seqno,
    }))
}

/// `GET /room/{token}/reactors/{id}/{reaction}`: `[[session_id, at], …]` in reaction order
/// (pysogs `message_get_reactors`).
pub async fn reactors(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let MessageId(id) = path_id(&req, "id")?;
    let room = RoomAccess::load(&state, &req).await?.readable()?;
    let reaction = required_reaction(&req)?;
    require_regular(&state, &room, id).await?;
    let limit = query_int(&req, "limit", 0, i64::MIN, i64::MAX)?;
    let list = reactions::reactors(&state.db, id, reaction.as_str(), limit).await?;
    let list: Vec<Reactor> = list.into_iter().map(|(who, at)| Reactor(who, at)).collect();
    Ok(ApiResponse::ok(&list))
}
