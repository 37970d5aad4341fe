//! Posting, editing and deleting messages (pysogs `post_message`, `edit_message`, `remove_message`).

use std::sync::Arc;

use actix_web::http::StatusCode;
use sogs_protocol::api::common::Empty;
use sogs_protocol::api::messages::{EditMessage, Message, PostMessage, Reactions};
use sogs_protocol::api::paths::MessageId;
use sogs_protocol::encoding::decode_b64;
use sogs_protocol::ids::UserId;

use crate::actions::filtering::{self, Verdict};
use crate::actions::{self, Deletion};
use crate::clock::unix_now;
use crate::dispatch::params::path_id;
use crate::dispatch::{ApiRequest, ApiResponse};
use crate::domain::message::remove_padding;
use crate::domain::rate_limit::RateLimit;
use crate::domain::user::{AuthUser, canonical_id};
use crate::error::{ApiError, ApiResult};
use crate::http::access::{RoomAccess, permission_denied};
use crate::state::AppState;
use crate::storage::messages;
use crate::storage::users;
use crate::writeback::posts::{Outcome, Posted, QueuedPost};

/// Decoded `data` and `signature` of a post or an edit.
struct SignedData {
    data: Vec<u8>,
    signature: Vec<u8>,
}

/// Decodes `data` and `signature` once `data` is known to fit `messages.max_size_bytes`.
fn decode_signed(state: &AppState, data: &str, signature: &str) -> ApiResult<SignedData> {
    let limit = state.settings.messages.max_size_bytes;
    if b64_decoded_len(data) > limit {
        return Err(ApiError::message_too_large(limit));
    }
    let data = decode_b64(data)
        .ok_or_else(|| ApiError::bad_request("Invalid request: data is not valid base64"))?;
    let signature = decode_b64(signature)
        .filter(|s| s.len() == 64)
        .ok_or_else(|| {
            ApiError::bad_request("Invalid request: signature must be 64 bytes of base64")
        })?;
    Ok(SignedData { data, signature })
}

/// The length `b64` decodes to, without decoding it: exact for valid base64, padded or not.
fn b64_decoded_len(b64: &str) -> usize {
    let padding = b64.bytes().rev().take(2).filter(|&b| b == b'=').count();
    (b64.len() - padding) * 3 / 4
}

/// `POST /room/{token}/message`: posts a message (201), whispers for moderators, attaches files.
pub async fn post(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let (room, user) = RoomAccess::load(&state, &req).await?.writer(&req)?;
    let mut body: PostMessage = req.json()?;
    let signed = decode_signed(&state, &body.data, &body.signature)?;
    if (body.whisper_to.is_some() || body.whisper_mods) && !room.perms.moderator {
        return Err(permission_denied());
    }
    let whisper = match &body.whisper_to {
        Some(id) => Some(whisper_target(&state, id).await?),
        None => None,
    };
    // Posts the room's filter reply, if any, when a filter catches the post.
    let filtered = filtering::post_verdict(&state, &room.room, &room.perms, user, &signed.data)
        .await?
        == Verdict::Quarantine;
    let queued = QueuedPost {
        room: room.room.id,
        user: user.id,
        signed_as: user.signed_as_other().map(str::to_owned),
        data: signed.data,
        signature: signed.signature,
        filtered,
        whisper: whisper.as_ref().map(|w| w.user),
        whisper_mods: body.whisper_mods,
        files: std::mem::take(&mut body.files),
        rate_limit: rate_limit(&state, &room),
    };
    let posted = match state.posts.insert(queued).await? {
        Outcome::Posted(posted) => {
            crate::metrics::post();
            posted
        }
        Outcome::RateLimited => {
            crate::metrics::post_rate_limited();
            return Err(ApiError::status(
                StatusCode::TOO_MANY_REQUESTS,
                "Rate limited",
            ));
        }
    };
    let message = created_message(user, body, whisper, filtered, posted);
    Ok(ApiResponse::json(StatusCode::CREATED, &message))
}

/// The room's post rate limit for the caller: none for room admins.
fn rate_limit(state: &AppState, room: &RoomAccess) -> Option<RateLimit> {
    if room.perms.admin {
        return None;
    }
    RateLimit::from_settings(state.settings.rate_limit_for(&room.room.token))
}

/// The recipient of a directed whisper.
struct WhisperTarget {
    /// Their user row (created if unknown).
    user: i64,
    /// The id as given.
    session_id: String,
}

/// The recipient of a directed whisper, created if unknown.
async fn whisper_target(state: &AppState, id: &str) -> ApiResult<WhisperTarget> {
    let parsed = UserId::parse(id)
        .map_err(|_| ApiError::bad_request("Invalid request: whisper_to is not a session id"))?;
    let canonical = canonical_id(&parsed, state.keys.public()).map_err(|_| {
        ApiError::bad_request("Invalid request: whisper_to is not a valid session id")
    })?;
    let user_id = users::ensure(&state.db, parsed.as_str(), &canonical).await?;
    Ok(WhisperTarget {
        user: user_id,
        session_id: parsed.as_str().to_owned(),
    })
}

/// The 201 body of a new post.
fn created_message(
    user: &AuthUser,
    body: PostMessage,
    whisper: Option<WhisperTarget>,
    filtered: bool,
    posted: Posted,
) -> Message {
    let is_whisper = whisper.is_some() || body.whisper_mods;
    Message {
        id: posted.id,
        session_id: user.signed_as.clone(),
        posted: posted.posted,
        edited: None,
        seqno: posted.seqno,
        data: Some(body.data),
        signature: Some(body.signature),
        deleted: None,
        whisper: is_whisper.then_some(true),
        whisper_mods: is_whisper.then_some(body.whisper_mods),
        whisper_to: whisper.map(|w| w.session_id),
        reactions: Some(Reactions::new()),
        filtered: filtered.then_some(true),
    }
}

/// `PUT /room/{token}/message/{id}`: the author replaces a message's data (pysogs `edit_message`).
pub async fn edit(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let MessageId(id) = path_id(&req, "id")?;
    let (room, user) = RoomAccess::load(&state, &req).await?.writer(&req)?;
    let body: EditMessage = req.json()?;
    let signed = decode_signed(&state, &body.data, &body.signature)?;
    let mut tx = state.db.begin().await?;
    let author = messages::live_author_for_update(&mut tx, room.room.id, id).await?;
    match author {
        None => return Err(ApiError::not_found(format!("No such post: {id}"))),
        Some(author) if author != user.id => return Err(permission_denied()),
        Some(_) => {}
    }
    if filtering::verdict(&state, &room.room, &room.perms, &signed.data)? == Verdict::Quarantine {
        return Ok(ApiResponse::ok(&Empty {})); // silently dropped, as the reference does
    }
    messages::edit(
        &mut tx,
        id,
        remove_padding(&signed.data),
        signed.data.len() as i64,
        &signed.signature,
        user.signed_as_other(),
    )
    .await?;
    let expiry = state.settings.attachment_expiry(unix_now());
    messages::attach_files(&mut tx, room.room.id, user.id, id, &body.files, expiry).await?;
    tx.commit().await?;
    Ok(ApiResponse::ok(&Empty {}))
}

/// `DELETE /room/{token}/message/{id}`: deletes one's own message, or any as a moderator
/// (pysogs `remove_message`).
pub async fn delete(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let MessageId(id) = path_id(&req, "id")?;
    let (room, user) = RoomAccess::load(&state, &req).await?.writer(&req)?;
    let moderator = room.perms.moderator;
    match actions::delete_message(&state.db, user.id, room.room.id, id, moderator).await? {
        Deletion::Deleted => Ok(ApiResponse::ok(&Empty {})),
        Deletion::NoSuchPost => Err(ApiError::not_found(format!("No such post: {id}"))),
        Deletion::NotAllowed => Err(permission_denied()),
    }
}

#[cfg(test)]
mod tests {
    use sogs_protocol::encoding::encode_b64;

    use super::*;

    #[test]
    fn the_decoded_length_is_exact_for_padded_and_unpadded_base64() {
        for len in 0..12 {
            let padded = encode_b64(&vec![7; len]);
            let unpadded = padded.trim_end_matches('=');
            assert_eq!(b64_decoded_len(&padded), len, "{padded}");
            assert_eq!(b64_decoded_len(unpadded), len, "{unpadded}");
        }
    }
}
