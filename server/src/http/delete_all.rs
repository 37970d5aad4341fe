//! Deleting every post of one user, in a room or in every room the caller may
//! (pysogs `delete_all_posts`, `delete_user_posts_from_all_rooms`, spec §2.2).

use std::sync::Arc;

use std::collections::BTreeMap;

use sogs_protocol::api::common::Empty;
use sogs_protocol::api::delete_all::DeletedEverywhere;

use crate::actions::{self, Parties};
use crate::dispatch::{ApiRequest, ApiResponse};
use crate::domain::permissions::Effective;
use crate::error::{ApiError, ApiResult};
use crate::http::access::{RoomAccess, permission_denied};
use crate::http::extract::{TargetRule, target_user};
use crate::state::AppState;
use crate::storage::{permissions, rooms};

/// `DELETE /room/{token}/all/{id}`: deletes all posts of a user in one room (`{}`; 404 if none).
pub async fn room(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let target = target_user(&req, TargetRule::Existing)?;
    let caller = req.require_user()?.id;
    let room = RoomAccess::load(&state, &req).await?;
    let target = target.resolve(&state).await?;
    let target_perms = permissions::effective(&state.db, room.room.id, target).await?;
    if !may_delete(caller, &room.perms, target, &target_perms) {
        return Err(permission_denied());
    }
    if actions::delete_posts(
        &state.db,
        Parties {
            actor: Some(caller),
            target,
        },
        room.room.id,
    )
    .await?
        == 0
    {
        return Err(ApiError::not_found("No posts to delete"));
    }
    Ok(ApiResponse::ok(&Empty {}))
}

/// `DELETE /rooms/all/{id}`: deletes all posts of a user in every room where the caller may;
/// other rooms are skipped silently.
pub async fn all_rooms(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let target = target_user(&req, TargetRule::Existing)?;
    let caller = req.require_user()?.id;
    let target = target.resolve(&state).await?;
    let caller_perms = permissions::effective_by_room(&state.db, caller, None).await?;
    let target_perms = permissions::effective_by_room(&state.db, target, None).await?;
    let (mut total, mut counts) = (0, BTreeMap::new());
    for room in rooms::list_all(&state.db).await? {
        let find = |list: &[(i64, Effective)]| {
            list.iter()
                .find(|(id, _)| *id == room.id)
                .map(|(_, p)| *p)
                .unwrap_or_default()
        };
        if may_delete(caller, &find(&caller_perms), target, &find(&target_perms)) {
            let n = actions::delete_posts(
                &state.db,
                Parties {
                    actor: Some(caller),
                    target,
                },
                room.id,
            )
            .await? as i64;
            total += n;
            counts.insert(room.token, n);
        }
    }
    Ok(ApiResponse::ok(&DeletedEverywhere {
        total,
        rooms: counts,
    }))
}

/// Self or a moderator, and an admin to delete an admin's posts.
fn may_delete(
    caller: i64,
    caller_perms: &Effective,
    target: i64,
    target_perms: &Effective,
) -> bool {
    (caller == target || caller_perms.moderator) && (!target_perms.admin || caller_perms.admin)
}
