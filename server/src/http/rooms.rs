//! Room endpoints: the room list and room details (pysogs `routes/rooms.py`).

use std::sync::Arc;

use sogs_protocol::api::rooms::{PinnedMessage, RoomDetails};
use sogs_protocol::ids::RoomToken;

use crate::dispatch::{ApiRequest, ApiResponse};
use crate::domain::permissions::Effective;
use crate::domain::room::Room;
use crate::domain::user::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::storage::{permissions, rooms};

/// A room and the caller's effective permissions in it: the guard every room endpoint starts
/// with (the Rust form of pysogs's `Room` converter and `*_required` decorators).
#[derive(Debug, Clone)]
pub struct RoomAccess {
    /// The room.
    pub room: Room,
    /// The caller's effective permissions there.
    pub perms: Effective,
}

impl RoomAccess {
    /// Loads the room named by the `{token}` path parameter (from the cache when it holds it);
    /// 404 if it does not exist.
    pub async fn load(state: &AppState, req: &ApiRequest) -> ApiResult<Self> {
        let token = req.param("token")?;
        if RoomToken::parse(token).is_err() {
            // No room can have this name (NUL bytes, spaces, …): never send it to the database.
            return Err(no_such_room(&token.escape_debug().to_string()));
        }
        let user_id = req.user.as_ref().map(|u| u.id);
        let caches = &state.caches;
        if caches.enabled() {
            if let Some((room, perms)) = caches.rooms.get(token, user_id) {
                return Ok(Self::resolve(room, perms));
            }
        }
        let epoch = caches.rooms.epoch();
        let (room, perms) = rooms::find_with_permissions(&state.db, token, user_id)
            .await?
            .ok_or_else(|| no_such_room(token))?;
        if caches.enabled() {
            caches.rooms.put(epoch, room.clone(), user_id.zip(perms));
        }
        Ok(Self::resolve(room, perms))
    }

    fn resolve(room: Room, perms: Option<Effective>) -> Self {
        let perms = perms.unwrap_or_else(|| Effective::anonymous(room.defaults));
        Self { room, perms }
    }

    /// 404 unless the caller may see the room (`accessible` or `read`, not banned).
    pub fn accessible(self) -> ApiResult<Self> {
        if self.perms.can_access() {
            Ok(self)
        } else {
            Err(no_such_room(&self.room.token))
        }
    }

    /// 403 unless the caller may read messages.
    pub fn readable(self) -> ApiResult<Self> {
        if self.perms.can_read() {
            Ok(self)
        } else {
            Err(ApiError::forbidden(
                "This endpoint requires room message 'read' permission",
            ))
        }
    }

    /// The room and the caller, who may post: 401 without a user, 403 without `write`.
    pub fn writer(self, req: &ApiRequest) -> ApiResult<(Self, &AuthUser)> {
        let allowed = self.perms.can_write();
        self.require(req, allowed, permission_denied)
    }

    /// The room and the caller, who may upload: 401 without a user, 403 without `upload`.
    pub fn uploader(self, req: &ApiRequest) -> ApiResult<(Self, &AuthUser)> {
        let allowed = self.perms.can_upload();
        self.require(req, allowed, permission_denied)
    }

    /// The room and the caller, a moderator (admins included): 401 without a user, 403 otherwise.
    pub fn moderator(self, req: &ApiRequest) -> ApiResult<(Self, &AuthUser)> {
        let allowed = self.perms.moderator;
        self.require(req, allowed, || {
            ApiError::forbidden("This endpoint requires moderator room permissions")
        })
    }

    /// The room and the caller, an admin: 401 without a user, 403 otherwise.
    pub fn admin(self, req: &ApiRequest) -> ApiResult<(Self, &AuthUser)> {
        let allowed = self.perms.admin;
        self.require(req, allowed, || {
            ApiError::forbidden("This endpoint requires admin room permissions")
        })
    }

    /// [`Self::admin`] refused as the reference's model refuses pinning: 403 `Permission
    /// denied`, to an anonymous caller too (no decorator answers 401 first).
    pub fn admin_in_model(self, req: &ApiRequest) -> ApiResult<(Self, &AuthUser)> {
        match &req.user {
            Some(_) => self.admin(req).map_err(|_| permission_denied()),
            None => Err(permission_denied()),
        }
    }

    fn require(
        self,
        req: &ApiRequest,
        allowed: bool,
        refusal: impl FnOnce() -> ApiError,
    ) -> ApiResult<(Self, &AuthUser)> {
        let user = req.require_user()?;
        if allowed {
            Ok((self, user))
        } else {
            Err(refusal())
        }
    }

    /// Records the caller's activity in the room (written behind by `writeback::activity`).
    pub fn seen_by(&self, state: &AppState, req: &ApiRequest) {
        if let Some(user) = &req.user {
            state.activity.room_seen(self.room.id, user.id);
        }
    }
}

fn no_such_room(token: &str) -> ApiError {
    ApiError::not_found(format!("No such room: {token}"))
}

/// `Permission denied` (pysogs `BadPermission`).
pub fn permission_denied() -> ApiError {
    ApiError::forbidden("Permission denied")
}

/// `GET /rooms`: details of every room the caller may see, ordered by token
/// (pysogs `get_rooms`).
pub async fn list_rooms(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let all = rooms::list_all(&state.db).await?;
    let perms_by_room = match &req.user {
        Some(user) => permissions::effective_by_room(&state.db, user.id, None).await?,
        None => all
            .iter()
            .map(|r| (r.id, Effective::anonymous(r.defaults)))
            .collect(),
    };
    let visible: Vec<RoomAccess> = all
        .into_iter()
        .filter_map(|room| {
            let perms = perms_by_room.iter().find(|(id, _)| *id == room.id)?.1;
            perms.can_access().then_some(RoomAccess { room, perms })
        })
        .collect();
    Ok(ApiResponse::ok(&details_of(&state, &visible).await?))
}

/// `GET /room/{token}`: details of one room (pysogs `get_one_room`).
pub async fn get_room(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let room = RoomAccess::load(&state, &req).await?.accessible()?;
    let mut details = details_of(&state, std::slice::from_ref(&room)).await?;
    Ok(ApiResponse::ok(&details.pop()))
}

/// Builds the details objects of several rooms with two queries in all.
pub async fn details_of(state: &AppState, rooms_: &[RoomAccess]) -> ApiResult<Vec<RoomDetails>> {
    let ids: Vec<i64> = rooms_.iter().map(|r| r.room.id).collect();
    let mods = rooms::moderators(&state.db, &ids).await?;
    let pins = rooms::pins(&state.db, &ids).await?;
    let cutoff = (state.settings.rooms.active_threshold_days * 86400.0).round() as i64;
    Ok(rooms_
        .iter()
        .map(|r| {
            let room_mods: Vec<_> = mods.iter().filter(|m| m.room == r.room.id).collect();
            let room_pins = pins.iter().filter(|p| p.room == r.room.id);
            build_details(r, &room_mods, room_pins, cutoff)
        })
        .collect())
}

fn build_details<'a>(
    r: &RoomAccess,
    mods: &[&rooms::RoomModerator],
    pins: impl Iterator<Item = &'a rooms::Pin>,
    active_users_cutoff: i64,
) -> RoomDetails {
    let (room, perms) = (&r.room, &r.perms);
    let list = |admin: bool, visible: bool| -> Vec<String> {
        mods.iter()
            .filter(|m| m.admin == admin && m.visible == visible)
            .map(|m| m.session_id.clone())
            .collect()
    };
    let hidden = |admin: bool| {
        if perms.moderator {
            list(admin, false)
        } else {
            Vec::new()
        }
    };
    let flag = |on: bool| on.then_some(true);
    let for_mods = |value: bool| perms.moderator.then_some(value);
    RoomDetails {
        token: room.token.clone(),
        name: room.name.clone(),
        description: room.description.clone(),
        info_updates: room.info_updates,
        message_sequence: room.message_sequence,
        created: room.created,
        active_users: room.active_users,
        active_users_cutoff,
        image_id: room.image,
        pinned_messages: pins
            .map(|p| PinnedMessage {
                id: p.message,
                pinned_at: p.pinned_at,
                pinned_by: p.pinned_by.clone(),
            })
            .collect(),
        moderators: list(false, true),
        admins: list(true, true),
        hidden_moderators: hidden(false),
        hidden_admins: hidden(true),
        read: perms.can_read(),
        write: perms.can_write(),
        upload: perms.can_upload(),
        moderator: flag(perms.moderator),
        admin: flag(perms.admin),
        global_moderator: flag(perms.global_moderator),
        global_admin: flag(perms.global_admin),
        default_read: for_mods(room.defaults.read),
        default_accessible: for_mods(room.defaults.accessible),
        default_write: for_mods(room.defaults.write),
        default_upload: for_mods(room.defaults.upload),
    }
}
