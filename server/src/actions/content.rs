//! Actions on a room's content by its moderators and admins: pins, deleting someone else's
//! message, removing reactions.

use serde_json::json;
use sqlx::PgPool;

use super::log;
use crate::domain::moderation::ModAction;
use crate::storage::{messages, pins, reactions};

/// Pins `message` in `room` (an existing pin moves last); returns the room's `info_updates`.
pub async fn pin(pool: &PgPool, actor: i64, room: i64, message: i64) -> Result<i64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    pins::pin(&mut tx, room, message, actor).await?;
    let details = json!({ "message": message });
    log(
        &mut tx,
        Some(actor),
        Some(room),
        None,
        ModAction::Pin,
        details,
    )
    .await?;
    let info_updates = pins::info_updates(&mut tx, room).await?;
    tx.commit().await?;
    Ok(info_updates)
}

/// What [`unpin`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinsRemoved {
    /// How many messages were unpinned.
    pub count: i64,
    /// The room's `info_updates` afterwards.
    pub info_updates: i64,
}

/// Unpins `message` (`None`: every message) in `room`, giving attachments of unpinned messages
/// `file_lifetime` seconds more.
pub async fn unpin(
    pool: &PgPool,
    actor: i64,
    room: i64,
    message: Option<i64>,
    file_lifetime: Option<f64>,
) -> Result<PinsRemoved, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let count = pins::unpin(&mut tx, room, message, file_lifetime).await?;
    let details = json!({ "message": message, "unpinned": count });
    log(
        &mut tx,
        Some(actor),
        Some(room),
        None,
        ModAction::Unpin,
        details,
    )
    .await?;
    let info_updates = pins::info_updates(&mut tx, room).await?;
    tx.commit().await?;
    Ok(PinsRemoved {
        count,
        info_updates,
    })
}

/// What [`delete_message`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deletion {
    /// Deleted (logged when it was someone else's).
    Deleted,
    /// No live message with that id in the room.
    NoSuchPost,
    /// Someone else's message, and the actor is not a moderator.
    NotAllowed,
}

/// Deletes `message` in `room`: the actor's own, or anyone's when `moderator`.
pub async fn delete_message(
    pool: &PgPool,
    actor: i64,
    room: i64,
    message: i64,
    moderator: bool,
) -> Result<Deletion, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let author = match messages::live_author_for_update(&mut tx, room, message).await? {
        None => return Ok(Deletion::NoSuchPost),
        Some(author) if author != actor && !moderator => return Ok(Deletion::NotAllowed),
        Some(author) => author,
    };
    messages::delete(&mut tx, &[message]).await?;
    if author != actor {
        let details = json!({ "message": message });
        let (who, whom) = (Some(actor), Some(author));
        log(
            &mut tx,
            who,
            Some(room),
            whom,
            ModAction::DeleteMessage,
            details,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Deletion::Deleted)
}

/// What [`delete_reactions`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReactionsRemoved {
    /// How many user reactions were removed.
    pub removed: u64,
    /// The message's seqno afterwards.
    pub seqno: i64,
}

/// Removes every reaction to `message` (or every one of `reaction`).
pub async fn delete_reactions(
    pool: &PgPool,
    actor: Option<i64>,
    room: i64,
    message: i64,
    reaction: Option<&str>,
) -> Result<ReactionsRemoved, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let removed = reactions::remove(&mut tx, message, reaction, None).await?;
    let seqno = reactions::message_seqno(&mut *tx, message).await?;
    let details = json!({ "message": message, "reaction": reaction, "removed": removed });
    log(
        &mut tx,
        actor,
        Some(room),
        None,
        ModAction::DeleteReactions,
        details,
    )
    .await?;
    tx.commit().await?;
    Ok(ReactionsRemoved { removed, seqno })
}
