//! Moderation: `/user/{id}/moderator|ban|unban`, room permissions and their scheduled changes,
//! and deleting all of a user's posts.

use reqwest::Method;
use sogs_protocol::api::common::Empty;
use sogs_protocol::api::delete_all::DeletedEverywhere;
use sogs_protocol::api::permissions::{
    FuturePermission, RoomPermissions, SchedulePermissions, SetPermissions, UserPermissions,
};
use sogs_protocol::api::users::{BanUser, ModeratorUpdated, RoomsOrGlobal, SetModerator};

use super::{Client, ClientError};

impl Client {
    /// `POST /user/{id}/moderator`: grants or removes moderator/admin, in rooms or globally.
    pub async fn set_moderator(
        &self,
        id: &str,
        change: &SetModerator,
    ) -> Result<ModeratorUpdated, ClientError> {
        self.call(Method::POST, &format!("/user/{id}/moderator"), change)
            .await
    }

    /// `POST /user/{id}/ban`: bans a user, in rooms or globally, for good or for a while.
    pub async fn ban_user(&self, id: &str, ban: &BanUser) -> Result<Empty, ClientError> {
        self.call(Method::POST, &format!("/user/{id}/ban"), ban)
            .await
    }

    /// `POST /user/{id}/unban`.
    pub async fn unban_user(&self, id: &str, scope: &RoomsOrGlobal) -> Result<Empty, ClientError> {
        self.call(Method::POST, &format!("/user/{id}/unban"), scope)
            .await
    }

    /// `GET /room/{token}/permissions` (moderators): every user's overrides.
    pub async fn room_permissions(&self, token: &str) -> Result<RoomPermissions, ClientError> {
        let path = format!("/room/{token}/permissions");
        self.call_empty(Method::GET, &path).await
    }

    /// `GET /room/{token}/permissions/{id}` (moderators): one user's overrides.
    pub async fn user_permissions(
        &self,
        token: &str,
        id: &str,
    ) -> Result<UserPermissions, ClientError> {
        let path = format!("/room/{token}/permissions/{id}");
        self.call_empty(Method::GET, &path).await
    }

    /// `POST /room/{token}/permissions/{id}` (moderators): sets or resets overrides.
    pub async fn set_permissions(
        &self,
        token: &str,
        id: &str,
        change: &SetPermissions,
    ) -> Result<UserPermissions, ClientError> {
        let path = format!("/room/{token}/permissions/{id}");
        self.call(Method::POST, &path, change).await
    }

    /// `GET /room/{token}/futurePermissions` (moderators): every scheduled change.
    pub async fn future_permissions(
        &self,
        token: &str,
    ) -> Result<Vec<FuturePermission>, ClientError> {
        let path = format!("/room/{token}/futurePermissions");
        self.call_empty(Method::GET, &path).await
    }

    /// `GET /room/{token}/futurePermissions/{id}` (moderators): one user's scheduled changes.
    pub async fn user_future_permissions(
        &self,
        token: &str,
        id: &str,
    ) -> Result<Vec<FuturePermission>, ClientError> {
        let path = format!("/room/{token}/futurePermissions/{id}");
        self.call_empty(Method::GET, &path).await
    }

    /// `POST /room/{token}/futurePermissions/{id}` (moderators): schedules a change; answers the
    /// user's scheduled changes.
    pub async fn schedule_permissions(
        &self,
        token: &str,
        id: &str,
        change: &SchedulePermissions,
    ) -> Result<Vec<FuturePermission>, ClientError> {
        let path = format!("/room/{token}/futurePermissions/{id}");
        self.call(Method::POST, &path, change).await
    }

    /// `DELETE /room/{token}/all/{id}`: deletes all of a user's posts in a room (ours, or
    /// anyone's for moderators; 404 when there were none).
    pub async fn delete_user_posts(&self, token: &str, id: &str) -> Result<Empty, ClientError> {
        let path = format!("/room/{token}/all/{id}");
        self.call_empty(Method::DELETE, &path).await
    }

    /// `DELETE /rooms/all/{id}`: the same in every room where we may.
    pub async fn delete_user_posts_everywhere(
        &self,
        id: &str,
    ) -> Result<DeletedEverywhere, ClientError> {
        self.call_empty(Method::DELETE, &format!("/rooms/all/{id}"))
            .await
    }
}
