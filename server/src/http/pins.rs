//! Pinning messages (admins): pin, unpin, unpin all (pysogs `message_pin`, `message_unpin`, …).

use std::sync::Arc;

use sogs_protocol::api::common::InfoUpdates;
use sogs_protocol::api::paths::MessageId;
use sogs_protocol::api::pins::{Unpinned, UnpinnedAll};

use crate::actions::{self, PinsRemoved};
use crate::dispatch::params::path_id;
use crate::dispatch::{ApiRequest, ApiResponse};
use crate::error::{ApiError, ApiResult};
use crate::http::access::RoomAccess;
use crate::state::AppState;
use crate::storage::messages;

/// `POST /room/{token}/pin/{id}`: pins a regular message, or moves an existing pin last.
pub async fn pin(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let MessageId(id) = path_id(&req, "id")?;
    let (room, user) = RoomAccess::load(&state, &req).await?.admin_in_model(&req)?;
    if !messages::is_regular(&state.db, room.room.id, id).await? {
        return Err(ApiError::not_found(format!("No such post: {id}")));
    }
    let info_updates = actions::pin(&state.db, user.id, room.room.id, id).await?;
    Ok(ApiResponse::ok(&InfoUpdates { info_updates }))
}

/// `POST /room/{token}/unpin/{id}`: unpins one message.
pub async fn unpin(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let MessageId(id) = path_id(&req, "id")?;
    let removed = unpin_some(&state, &req, Some(id)).await?;
    Ok(ApiResponse::ok(&Unpinned {
        unpinned: removed.count > 0,
        info_updates: removed.info_updates,
    }))
}

/// `POST /room/{token}/unpin/all`: unpins every message.
pub async fn unpin_all(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let removed = unpin_some(&state, &req, None).await?;
    Ok(ApiResponse::ok(&UnpinnedAll {
        unpinned: removed.count,
        info_updates: removed.info_updates,
    }))
}

async fn unpin_some(state: &AppState, req: &ApiRequest, id: Option<i64>) -> ApiResult<PinsRemoved> {
    let (room, user) = RoomAccess::load(state, req).await?.admin_in_model(req)?;
    let days = state.settings.files.expiry_days;
    let lifetime = (days > 0.0).then_some(days * 86_400.0);
    Ok(actions::unpin(&state.db, user.id, room.room.id, id, lifetime).await?)
}
