//! Moderation of users: appoint moderators, ban and unban, per room or globally
//! (pysogs `routes/users.py`, spec §2.4).

use std::sync::Arc;

use sogs_protocol::api::common::Empty;
use sogs_protocol::api::users::{BanUser, ModeratorUpdated, RoomsOrGlobal, SetModerator};

use crate::actions::{self, Parties};
use crate::clock::unix_now;
use crate::dispatch::{ApiRequest, ApiResponse};
use crate::domain::moderation::{ModChange, Scope, check_global_ban, check_room_ban};
use crate::domain::user::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::http::access::permission_denied;
use crate::http::extract::{TargetRule, target_user};
use crate::state::AppState;
use crate::storage::{moderation, permissions};

/// `POST /user/{id}/moderator`: appoints or removes a room or global moderator/admin.
pub async fn set_moderator(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let target = target_user(&req, TargetRule::AnyId)?;
    let user = req.require_user()?;
    let body: SetModerator = req.json()?;
    let scope = parse_scope(body.scope)?;
    let change =
        ModChange::from_flags(body.admin, body.moderator).map_err(ApiError::bad_request)?;
    let rooms = powered_rooms(&state, user, scope, true).await?;
    let target = target.resolve(&state).await?;
    let visible = body.visible.unwrap_or(rooms.is_some());
    let who = Parties {
        actor: Some(user.id),
        target,
    };
    let updates = actions::set_moderator(&state.db, who, rooms.as_deref(), change, visible).await?;
    Ok(ApiResponse::ok(&ModeratorUpdated {
        info_updates: updates.into_iter().collect(),
    }))
}

/// `POST /user/{id}/ban`: bans a user from rooms or globally, optionally for `timeout` seconds.
pub async fn ban(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let target = target_user(&req, TargetRule::AnyId)?;
    let user = req.require_user()?;
    let body: BanUser = req.json()?;
    let scope = parse_scope(body.scope)?;
    let rooms = powered_rooms(&state, user, scope, false).await?;
    let target = target.resolve(&state).await?;
    check_ban_rules(&state, user, target, rooms.as_deref()).await?;
    // compat(pysogs): a timeout of 0 is falsy there, so it bans permanently.
    let until = body.timeout.filter(|t| *t != 0.0).map(|t| unix_now() + t);
    actions::ban(
        &state.db,
        Parties {
            actor: Some(user.id),
            target,
        },
        rooms.as_deref(),
        until,
    )
    .await?;
    Ok(ApiResponse::ok(&Empty {}))
}

/// `POST /user/{id}/unban`: lifts a room or global ban.
pub async fn unban(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let target = target_user(&req, TargetRule::AnyId)?;
    let user = req.require_user()?;
    let body: RoomsOrGlobal = req.json()?;
    let scope = parse_scope(body)?;
    let rooms = powered_rooms(&state, user, scope, false).await?;
    let target = target.resolve(&state).await?;
    actions::unban(
        &state.db,
        Parties {
            actor: Some(user.id),
            target,
        },
        rooms.as_deref(),
    )
    .await?;
    Ok(ApiResponse::ok(&Empty {}))
}

fn parse_scope(body: RoomsOrGlobal) -> ApiResult<Scope> {
    Scope::parse(body.rooms, body.global.unwrap_or(false)).map_err(ApiError::bad_request)
}

/// The room ids the scope names (`None`: global), all of which the caller must hold the power
/// in (403 otherwise, unknown tokens included).
async fn powered_rooms(
    state: &AppState,
    user: &AuthUser,
    scope: Scope,
    need_admin: bool,
) -> ApiResult<Option<Vec<i64>>> {
    let tokens = match scope {
        Scope::Global if user.moderator && (user.admin || !need_admin) => return Ok(None),
        Scope::Global => return Err(permission_denied()),
        Scope::AllRooms => None,
        Scope::Rooms(tokens) => Some(tokens),
    };
    let mut conn = state.db.acquire().await?;
    let rooms =
        moderation::rooms_with_power(&mut conn, user.id, tokens.as_deref(), need_admin).await?;
    let complete = tokens.map_or(!rooms.is_empty(), |t| t.len() == rooms.len());
    if !complete {
        return Err(permission_denied());
    }
    Ok(Some(rooms.into_iter().map(|r| r.id).collect()))
}

async fn check_ban_rules(
    state: &AppState,
    user: &AuthUser,
    target: i64,
    rooms: Option<&[i64]>,
) -> ApiResult<()> {
    let same = user.id == target;
    let Some(rooms) = rooms else {
        let mut conn = state.db.acquire().await?;
        let (target_mod, _) = moderation::global_flags(&mut conn, target).await?;
        return check_global_ban(user.moderator, target_mod, same).map_err(|_| permission_denied());
    };
    for room in rooms {
        let actor_perms = permissions::effective(&state.db, *room, user.id).await?;
        let target_perms = permissions::effective(&state.db, *room, target).await?;
        check_room_ban(&actor_perms, &target_perms, same).map_err(|e| {
            tracing::warn!(room.id = room, reason = %e, "ban refused");
            permission_denied()
        })?;
    }
    Ok(())
}
