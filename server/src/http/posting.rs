//! Posting, editing and deleting messages (pysogs `post_message`, `edit_message`, `remove_message`).

use std::sync::Arc;

use actix_web::http::StatusCode;
use serde_json::json;
use sogs_protocol::api::messages::{EditMessage, Message, PostMessage, Reactions};
use sogs_protocol::encoding::decode_b64;
use sogs_protocol::ids::UserId;

use crate::cleanup::unix_now;
use crate::domain::message::remove_padding;
use crate::domain::user::{AuthUser, canonical_id};
use crate::error::{ApiError, ApiResult};
use crate::http::filtering::{self, Verdict};
use crate::http::params::path_id;
use crate::http::rooms::{RoomAccess, permission_denied};
use crate::http::{ApiRequest, ApiResponse};
use crate::state::AppState;
use crate::storage::messages::{self, NewMessage};
use crate::storage::modlog::{self, Entry};
use crate::storage::users;

/// Decoded `data` and `signature` of a post or an edit.
struct SignedData {
    data: Vec<u8>,
    signature: Vec<u8>,
}

fn decode_signed(data: &str, signature: &str) -> ApiResult<SignedData> {
    let data = decode_b64(data)
        .ok_or_else(|| ApiError::bad_request("Invalid request: data is not valid base64"))?;
    let signature = decode_b64(signature)
        .filter(|s| s.len() == 64)
        .ok_or_else(|| {
            ApiError::bad_request("Invalid request: signature must be 64 bytes of base64")
        })?;
    Ok(SignedData { data, signature })
}

/// `POST /room/{token}/message`: posts a message (201), whispers for moderators, attaches files.
pub async fn post(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let room = RoomAccess::load(&state, &req).await?;
    let user = req.require_user()?;
    if !room.perms.can_write() {
        return Err(permission_denied());
    }
    let body: PostMessage = req.json()?;
    let signed = decode_signed(&body.data, &body.signature)?;
    if (body.whisper_to.is_some() || body.whisper_mods) && !room.perms.moderator {
        return Err(permission_denied());
    }
    let whisper = match &body.whisper_to {
        Some(id) => Some(whisper_target(&state, id).await?),
        None => None,
    };
    let filtered = filtering::verdict(&state, &room, &signed.data)? == Verdict::Quarantine;
    let message = insert_post(
        &state,
        &room,
        user,
        &signed,
        &body,
        whisper.as_ref(),
        filtered,
    )
    .await?;
    Ok(ApiResponse::json(StatusCode::CREATED, &message))
}

/// The recipient of a directed whisper: `(user id, session id)`, created if unknown.
async fn whisper_target(state: &AppState, id: &str) -> ApiResult<(i64, String)> {
    let parsed = UserId::parse(id)
        .map_err(|_| ApiError::bad_request("Invalid request: whisper_to is not a session id"))?;
    let canonical = canonical_id(&parsed, state.keys.public()).map_err(|_| {
        ApiError::bad_request("Invalid request: whisper_to is not a valid session id")
    })?;
    let user_id = users::ensure(&state.db, parsed.as_str(), &canonical).await?;
    Ok((user_id, parsed.as_str().to_owned()))
}

async fn insert_post(
    state: &AppState,
    room: &RoomAccess,
    user: &AuthUser,
    signed: &SignedData,
    body: &PostMessage,
    whisper: Option<&(i64, String)>,
    filtered: bool,
) -> ApiResult<Message> {
    let mut tx = state.db.begin().await?;
    if !room.perms.admin {
        check_rate_limit(state, &mut tx, room, user).await?;
    }
    let new = NewMessage {
        room: room.room.id,
        user: user.id,
        signed_as: (user.signed_as != user.session_id).then_some(user.signed_as.as_str()),
        data: remove_padding(&signed.data),
        data_size: signed.data.len() as i64,
        signature: &signed.signature,
        filtered,
        whisper: whisper.map(|(id, _)| *id),
        whisper_mods: body.whisper_mods,
    };
    let (id, posted, seqno) = messages::insert(&mut tx, &new).await?;
    let expiry = state.settings.attachment_expiry(posted);
    messages::attach_files(&mut tx, room.room.id, user.id, id, &body.files, expiry).await?;
    tx.commit().await?;
    let is_whisper = whisper.is_some() || body.whisper_mods;
    Ok(Message {
        id,
        session_id: user.signed_as.clone(),
        posted,
        edited: None,
        seqno,
        data: Some(body.data.clone()),
        signature: Some(body.signature.clone()),
        deleted: None,
        whisper: is_whisper.then_some(true),
        whisper_mods: is_whisper.then_some(body.whisper_mods),
        whisper_to: whisper.map(|(_, sid)| sid.clone()),
        reactions: Some(Reactions::new()),
        filtered: filtered.then_some(true),
    })
}

/// 429 `Rate limited` when the user already posted the room's limit within its window.
async fn check_rate_limit(
    state: &AppState,
    tx: &mut sqlx::PgConnection,
    room: &RoomAccess,
    user: &AuthUser,
) -> ApiResult<()> {
    let (posts, secs) = state.settings.rate_limit_for(&room.room.token);
    if posts == 0 {
        return Ok(());
    }
    messages::lock_poster(tx, user.id).await?;
    let since = unix_now() - secs;
    if messages::count_recent_posts(&mut *tx, room.room.id, user.id, since).await?
        >= i64::from(posts)
    {
        return Err(ApiError::status(
            StatusCode::TOO_MANY_REQUESTS,
            "Rate limited",
        ));
    }
    Ok(())
}

/// `PUT /room/{token}/message/{id}`: the author replaces a message's data (pysogs `edit_message`).
pub async fn edit(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let id = path_id(&req, "id")?;
    let room = RoomAccess::load(&state, &req).await?;
    let user = req.require_user()?;
    if !room.perms.can_write() {
        return Err(permission_denied());
    }
    let body: EditMessage = req.json()?;
    let signed = decode_signed(&body.data, &body.signature)?;
    let mut tx = state.db.begin().await?;
    let author = messages::live_author_for_update(&mut tx, room.room.id, id).await?;
    match author {
        None => return Err(ApiError::not_found(format!("No such post: {id}"))),
        Some(author) if author != user.id => return Err(permission_denied()),
        Some(_) => {}
    }
    if filtering::verdict(&state, &room, &signed.data)? == Verdict::Quarantine {
        return Ok(ApiResponse::ok(&json!({}))); // silently dropped, as the reference does
    }
    let signed_as = (user.signed_as != user.session_id).then_some(user.signed_as.as_str());
    messages::edit(
        &mut tx,
        id,
        remove_padding(&signed.data),
        signed.data.len() as i64,
        &signed.signature,
        signed_as,
    )
    .await?;
    let expiry = state.settings.attachment_expiry(unix_now());
    messages::attach_files(&mut tx, room.room.id, user.id, id, &body.files, expiry).await?;
    tx.commit().await?;
    Ok(ApiResponse::ok(&json!({})))
}

/// `DELETE /room/{token}/message/{id}`: deletes one's own message, or any as a moderator
/// (pysogs `remove_message`).
pub async fn delete(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let id = path_id(&req, "id")?;
    let room = RoomAccess::load(&state, &req).await?;
    let user = req.require_user()?;
    if !room.perms.can_write() {
        return Err(permission_denied());
    }
    let mut tx = state.db.begin().await?;
    let author = match messages::live_author_for_update(&mut tx, room.room.id, id).await? {
        None => return Err(ApiError::not_found(format!("No such post: {id}"))),
        Some(author) if author != user.id && !room.perms.moderator => {
            return Err(permission_denied());
        }
        Some(author) => author,
    };
    messages::delete(&mut tx, &[id]).await?;
    if author != user.id {
        let details = json!({ "message": id });
        modlog::record(
            &mut tx,
            &Entry {
                actor: Some(user.id),
                room: Some(room.room.id),
                action: "delete_message",
                target: Some(author),
                details,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(ApiResponse::ok(&json!({})))
}
