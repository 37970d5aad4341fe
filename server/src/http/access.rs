//! The room guard every room endpoint starts with: [`RoomAccess`] loads the `{token}` room and
//! the caller's effective permissions, and refuses (404, 401, 403) those who may not go on.

use sogs_protocol::ids::RoomToken;

use crate::dispatch::ApiRequest;
use crate::domain::permissions::Effective;
use crate::domain::room::Room;
use crate::domain::user::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::storage::rooms;

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
