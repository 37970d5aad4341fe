//! Messages and reactions as listed by `GET /room/{token}/messages/…` and `GET …/message/{id}`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One reaction on a message (`reactions` map value).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReactionInfo {
    /// Position of this reaction among the message's reactions, in creation order.
    pub index: i64,
    /// Number of users who reacted.
    pub count: i64,
    /// The first reactors (up to the `reactors` query value); omitted when 0 were asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reactors: Option<Vec<String>>,
    /// Present (true) when the caller reacted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub you: Option<bool>,
}

/// Reactions of a message, keyed by the reaction text.
pub type Reactions = BTreeMap<String, ReactionInfo>;

/// A message object (`GET …/messages/since|recent|before`, `GET …/message/{id}`, `POST …/message`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// Message id (unique on the server).
    pub id: i64,
    /// The id whose key signed the message.
    pub session_id: String,
    /// Post time, epoch seconds.
    pub posted: f64,
    /// Last edit or deletion time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edited: Option<f64>,
    /// Last change sequence number.
    pub seqno: i64,
    /// Base64 of the padded data; `null` for a deletion.
    pub data: Option<String>,
    /// Base64 signature; omitted for deletions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// Present (true) for deletion tombstones.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted: Option<bool>,
    /// Present (true) for whispers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whisper: Option<bool>,
    /// Whether a whisper goes to the moderators; present with `whisper`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whisper_mods: Option<bool>,
    /// Recipient of a directed whisper.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whisper_to: Option<String>,
    /// Reactions; absent on deletions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reactions: Option<Reactions>,
    /// Present (true) in the answer to a post that was silently filtered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filtered: Option<bool>,
}

/// A reaction-only update: exactly `{"id", "seqno", "reactions"}` (Session Desktop relies on it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReactionUpdate {
    /// Message id.
    pub id: i64,
    /// The message's sequence number after the reaction change.
    pub seqno: i64,
    /// All current reactions.
    pub reactions: Reactions,
}

/// One element of a `messages/since` answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MessageUpdate {
    /// Reactions changed only.
    Reactions(ReactionUpdate),
    /// The message itself (new, edited or deleted).
    Message(Message),
}

/// Body of `POST /room/{token}/message`, answered `201` with a [`Message`].
///
/// Unknown keys are ignored (clients send e.g. `timestamp`); `whisper_mods` must be a JSON
/// boolean.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct PostMessage {
    /// Base64 of the padded message data.
    pub data: String,
    /// Base64 of the 64-byte signature over the decoded data.
    pub signature: String,
    /// A session id to whisper to (moderators only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub whisper_to: Option<String>,
    /// Whisper to the moderators (moderators only).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub whisper_mods: bool,
    /// Ids of uploaded files to attach (Session Desktop sends them as strings).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::quirks::int_or_string_list"
    )]
    pub files: Vec<i64>,
}

super::quirks::object_only!(PostMessage);

/// Body of `PUT /room/{token}/message/{id}`; the whisper fields cannot change (ignored if sent).
///
/// Answered `200 {}` ([`Empty`](super::common::Empty)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self")]
pub struct EditMessage {
    /// Base64 of the new padded data.
    pub data: String,
    /// Base64 of the new signature.
    pub signature: String,
    /// Ids of uploaded files to attach.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "super::quirks::int_or_string_list"
    )]
    pub files: Vec<i64>,
}

super::quirks::object_only!(EditMessage);
