//! Moderation actions shared by the HTTP routes and `sogs-admin`: each finds its target,
//! applies the change and writes its moderation-log entry ([`log`], the only writer of
//! `moderation_log`) in one transaction. Callers check who may act. [`filtering`] applies a
//! room's filters to a post or an edit.

mod content;
pub mod filtering;
mod rooms;
mod targets;
mod users;

pub use content::{
    Deletion, PinsRemoved, ReactionsRemoved, delete_message, delete_reactions, pin, unpin,
};
pub use rooms::{RoomUpdate, delete_room, set_room_image, update_room};
pub use targets::{find_user, resolve_user};
pub use users::{ban, delete_posts, schedule_permissions, set_moderator, set_permissions, unban};

use crate::domain::moderation::ModAction;
use crate::storage::modlog::{self, Entry};

/// Why an action could not be done.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    /// The id is not a valid user id.
    #[error("invalid session id: {0}")]
    BadId(String),
    /// A database failure.
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// An id that names nobody is a 404, as the reference answers.
impl From<ActionError> for crate::error::ApiError {
    fn from(e: ActionError) -> Self {
        match e {
            ActionError::BadId(_) => crate::error::ApiError::not_found("Not found"),
            ActionError::Db(e) => e.into(),
        }
    }
}

/// Who did it and to whom.
#[derive(Debug, Clone, Copy)]
pub struct Parties {
    /// The moderator (`None`: the CLI).
    pub actor: Option<i64>,
    /// The target user.
    pub target: i64,
}

/// Appends `action` to the moderation log in the action's transaction: the one path every
/// moderation action, HTTP or CLI, is logged through.
pub async fn log(
    conn: &mut sqlx::PgConnection,
    actor: Option<i64>,
    room: Option<i64>,
    target: Option<i64>,
    action: ModAction,
    details: serde_json::Value,
) -> Result<(), sqlx::Error> {
    let entry = Entry {
        actor,
        room,
        action,
        target,
        details,
    };
    modlog::record(conn, &entry).await
}
