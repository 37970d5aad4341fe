//! Blinded direct messages: `POST /inbox/{blinded id}`, `GET /inbox[/since/{id}]`,
//! `GET /outbox[/since/{id}]` and `DELETE /inbox`.
//!
//! The `since` listings answer 304 with an empty body when there is nothing new.

use serde::{Deserialize, Serialize};

/// Body of `POST /inbox/{blinded id}`, answered (201) with a [`SentDirectMessage`].
///
/// Unknown keys are ignored (Session clients also send `timestamp`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct SendDirectMessage {
    /// Base64 of the (end-to-end encrypted) message; opaque to the server.
    pub message: String,
}

super::quirks::object_only!(SendDirectMessage);

/// One message of `GET /inbox[/since/{id}]` and `GET /outbox[/since/{id}]`, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DirectMessage {
    /// Message id (increasing).
    pub id: i64,
    /// When it was sent, epoch seconds.
    pub posted_at: f64,
    /// When the server drops it, epoch seconds.
    pub expires_at: f64,
    /// The sender's id, as they signed.
    pub sender: String,
    /// The recipient's blinded id, as addressed.
    pub recipient: String,
    /// Base64 of the message.
    pub message: String,
}

/// Answer (201) of `POST /inbox/{blinded id}`: the stored message without its body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SentDirectMessage {
    /// Message id.
    pub id: i64,
    /// When it was stored, epoch seconds.
    pub posted_at: f64,
    /// When the server drops it, epoch seconds.
    pub expires_at: f64,
    /// The sender's id, as they signed.
    pub sender: String,
    /// The recipient's blinded id, as addressed.
    pub recipient: String,
}

/// Answer of `DELETE /inbox`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxCleared {
    /// How many received messages were deleted.
    pub deleted: i64,
}
