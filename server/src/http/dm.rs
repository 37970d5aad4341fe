//! Blinded direct messages: the community inbox and outbox (pysogs `routes/dm.py`).

use std::sync::Arc;

use actix_web::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use sogs_protocol::encoding::{decode_b64, encode_b64};
use sogs_protocol::ids::{BlindedId, UserId};

use crate::cache::dms::Mailbox;
use crate::clock::unix_now;
use crate::domain::user::canonical_id;
use crate::error::{ApiError, ApiResult};
use crate::dispatch::params::{path_bound, query_int};
use crate::dispatch::{ApiRequest, ApiResponse};
use crate::state::AppState;
use crate::storage::inbox::{self, DirectMessage, NewDirectMessage};

#[derive(Deserialize)]
struct SendBody {
    message: String,
}

/// `POST /inbox/{blinded id}`: stores an (end-to-end encrypted) message for a known user (201).
pub async fn send(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let sender = req.require_user()?;
    let raw = req.param("id")?;
    let no_such_user = || ApiError::not_found(format!("No such user: {raw}"));
    let addressed = BlindedId::parse(raw).map_err(|_| no_such_user())?;
    let addressed = UserId::Blinded(addressed);
    let canonical = canonical_id(&addressed, state.keys.public()).map_err(|_| no_such_user())?;
    let (recipient, banned, shown) =
        inbox::find_recipient(&state.db, addressed.as_str(), &canonical)
            .await?
            .ok_or_else(no_such_user)?;
    if banned {
        return Err(no_such_user());
    }
    if state.settings.direct_messages.refuse_from_banned
        && inbox::is_banned_anywhere(&state.db, sender.id).await?
    {
        return Err(ApiError::forbidden(
            "Banned users cannot send direct messages",
        ));
    }
    let body: SendBody = req.json()?;
    let message = decode_b64(&body.message)
        .ok_or_else(|| ApiError::bad_request("Invalid request: message is not valid base64"))?;
    let limits = &state.settings.direct_messages;
    if message.len() > limits.max_size_bytes {
        return Err(ApiError::status(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "Message too large: the limit is {} bytes",
                limits.max_size_bytes
            ),
        ));
    }
    if !state.dm_limiter.allows(sender.id) {
        return Err(ApiError::status(
            StatusCode::TOO_MANY_REQUESTS,
            "Rate limited",
        ));
    }
    let expiry = unix_now() + state.settings.direct_messages.expiry_days * 86400.0;
    let dm = NewDirectMessage {
        sender: sender.id,
        sender_as: (sender.signed_as != sender.session_id).then_some(sender.signed_as.as_str()),
        recipient,
        recipient_as: (addressed.as_str() != shown).then_some(addressed.as_str()),
        body: &message,
        expiry,
    };
    let (id, posted_at) = inbox::insert(&state.db, &dm).await?;
    crate::metrics::direct_message();
    let reply = json!({
        "id": id,
        "posted_at": posted_at,
        "expires_at": expiry,
        "sender": sender.signed_as,
        "recipient": addressed.as_str(),
    });
    Ok(ApiResponse::json(StatusCode::CREATED, &reply))
}

/// `GET /inbox`: messages received, oldest first.
pub async fn inbox(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    list(&state, &req, false, None).await
}

/// `GET /inbox/since/{id}`: messages received after an id; 304 when there are none.
pub async fn inbox_since(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    list(&state, &req, false, Some(path_bound(&req, "id")?)).await
}

/// `GET /outbox`: messages sent, oldest first.
pub async fn outbox(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    list(&state, &req, true, None).await
}

/// `GET /outbox/since/{id}`: messages sent after an id; 304 when there are none.
pub async fn outbox_since(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    list(&state, &req, true, Some(path_bound(&req, "id")?)).await
}

async fn list(state: &AppState, req: &ApiRequest, outbox: bool, since: Option<i64>) -> ApiResult {
    let user = req.require_blinded_user()?;
    let limit = query_int(req, "limit", 100, 1, 256)?;
    let which = if outbox {
        Mailbox::Outbox
    } else {
        Mailbox::Inbox
    };
    let after = since.unwrap_or(0);
    let dms = &state.caches.dms;
    let rows = if state.caches.enabled() && dms.nothing_after(user.id, which, after) {
        Vec::new()
    } else {
        let epoch = dms.epoch();
        let rows = inbox::list(&state.db, user.id, outbox, after, limit).await?;
        if state.caches.enabled() && rows.len() < limit as usize {
            let mark = rows.last().map_or(after, |dm| dm.id);
            dms.put(epoch, user.id, which, mark);
        }
        rows
    };
    if since.is_some() && rows.is_empty() {
        return Ok(ApiResponse::bytes(
            StatusCode::NOT_MODIFIED,
            "text/plain; charset=utf-8",
            "",
        ));
    }
    Ok(ApiResponse::ok(
        &rows.into_iter().map(dm_json).collect::<Vec<Value>>(),
    ))
}

fn dm_json(dm: DirectMessage) -> Value {
    json!({
        "id": dm.id,
        "posted_at": dm.posted_at,
        "expires_at": dm.expires_at,
        "sender": dm.sender,
        "recipient": dm.recipient,
        "message": encode_b64(&dm.message),
    })
}

/// `DELETE /inbox`: deletes every received message; `{"deleted": n}`.
pub async fn clear(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let user = req.require_blinded_user()?;
    let deleted = inbox::delete_received(&state.db, user.id).await?;
    Ok(ApiResponse::ok(&json!({ "deleted": deleted })))
}
