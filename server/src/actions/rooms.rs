//! Actions on a room by its admins or the operator: changing its details, its image, deleting it.

use serde_json::json;
use sqlx::PgPool;

use super::log;
use crate::domain::moderation::ModAction;
use crate::domain::room::Room;
use crate::storage::files;
use crate::storage::rooms::{self, RoomChanges};

/// What [`update_room`] did.
#[derive(Debug)]
pub enum RoomUpdate {
    /// Applied; the room as it is now (`None` if it vanished meanwhile).
    Updated(Option<Room>),
    /// `image` named no file of the room: nothing changed.
    NoSuchImage,
}

/// Applies `changes` and, when given, `image` (a file of the room) to `room`, logging the
/// names of the `fields` changed.
pub async fn update_room(
    pool: &PgPool,
    actor: Option<i64>,
    room: i64,
    changes: &RoomChanges,
    image: Option<i64>,
    fields: &[&str],
) -> Result<RoomUpdate, sqlx::Error> {
    let mut tx = pool.begin().await?;
    if let Some(image) = image {
        if !rooms::set_image(&mut tx, room, image).await? {
            return Ok(RoomUpdate::NoSuchImage);
        }
    }
    let updated = rooms::update(&mut tx, room, changes).await?;
    let details = json!({ "fields": fields });
    log(
        &mut tx,
        actor,
        Some(room),
        None,
        ModAction::UpdateRoom,
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(RoomUpdate::Updated(updated))
}

/// Stores `content` as a file of the room (uploaded by the system user, never expiring) and
/// makes it the room image; returns the file id.
pub async fn set_room_image(
    pool: &PgPool,
    actor: Option<i64>,
    room: i64,
    content: &[u8],
    filename: Option<&str>,
) -> Result<i64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let id = files::insert(&mut *tx, room, 0, content, filename, f64::MAX).await?;
    rooms::set_image(&mut tx, room, id).await?;
    let details = json!({ "file": id, "name": filename, "size": content.len() });
    log(
        &mut tx,
        actor,
        Some(room),
        None,
        ModAction::SetRoomImage,
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Deletes `room` with its messages and files. The log entry keeps its token and name (its
/// room column becomes NULL with the room).
pub async fn delete_room(
    pool: &PgPool,
    actor: Option<i64>,
    room: &Room,
) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let details = json!({ "token": room.token, "name": room.name });
    log(
        &mut tx,
        actor,
        Some(room.id),
        None,
        ModAction::DeleteRoom,
        details,
    )
    .await?;
    let deleted = rooms::delete(&mut *tx, room.id).await?;
    tx.commit().await?;
    Ok(deleted)
}
