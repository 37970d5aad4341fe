//! Blinded direct messages: the community inbox and outbox (pysogs `routes/dm.py`).

use std::sync::Arc;

use actix_web::http::StatusCode;
use sogs_protocol::api::dm::{self as wire, InboxCleared, SendDirectMessage, SentDirectMessage};
use sogs_protocol::api::paths::DirectMessageId;
use sogs_protocol::encoding::{decode_b64, encode_b64};
use sogs_protocol::ids::{BlindedId, UserId};

use crate::cache::dms::Mailbox;
use crate::clock::unix_now;
use crate::dispatch::params::path_bound;
use crate::dispatch::params::query_int;
use crate::dispatch::{ApiRequest, ApiResponse};
use crate::domain::user::canonical_id;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::storage::inbox::{self, DirectMessage, NewDirectMessage};

/// `POST /inbox/{blinded id}`: stores an (end-to-end encrypted) message for a known user (201).
pub async fn send(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let raw = req.param("id")?;
    let no_such_user = || ApiError::not_found(format!("No such user: {raw}"));
    let addressed = UserId::Blinded(BlindedId::parse(raw).map_err(|_| no_such_user())?);
    let sender = req.require_user()?;
    let canonical = canonical_id(&addressed, state.keys.public()).map_err(|_| no_such_user())?;
    let recipient = inbox::find_recipient(&state.db, addressed.as_str(), &canonical)
        .await?
        .ok_or_else(no_such_user)?;
    if recipient.banned {
        return Err(no_such_user());
    }
    if state.settings.direct_messages.refuse_from_banned
        && inbox::is_banned_anywhere(&state.db, sender.id).await?
    {
        return Err(ApiError::forbidden(
            "Banned users cannot send direct messages",
        ));
    }
    let body: SendDirectMessage = req.json()?;
    let message = decode_b64(&body.message)
        .ok_or_else(|| ApiError::bad_request("Invalid request: message is not valid base64"))?;
    let limits = &state.settings.direct_messages;
    if message.len() > limits.max_size_bytes {
        return Err(ApiError::message_too_large(limits.max_size_bytes));
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
        sender_as: sender.signed_as_other(),
        recipient: recipient.id,
        recipient_as: (addressed.as_str() != recipient.session_id).then_some(addressed.as_str()),
        body: &message,
        expiry,
    };
    let stored = inbox::insert(&state.db, &dm).await?;
    crate::metrics::direct_message();
    let reply = SentDirectMessage {
        id: stored.id,
        posted_at: stored.posted_at,
        expires_at: expiry,
        sender: sender.signed_as.clone(),
        recipient: addressed.as_str().to_owned(),
    };
    Ok(ApiResponse::json(StatusCode::CREATED, &reply))
}

/// `GET /inbox`: messages received, oldest first.
pub async fn inbox(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    list(&state, &req, false, None).await
}

/// `GET /inbox/since/{id}`: messages received after an id; 304 when there are none.
pub async fn inbox_since(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let DirectMessageId(since) = path_bound(&req, "id")?;
    list(&state, &req, false, Some(since)).await
}

/// `GET /outbox`: messages sent, oldest first.
pub async fn outbox(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    list(&state, &req, true, None).await
}

/// `GET /outbox/since/{id}`: messages sent after an id; 304 when there are none.
pub async fn outbox_since(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let DirectMessageId(since) = path_bound(&req, "id")?;
    list(&state, &req, true, Some(since)).await
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
    let listed: Vec<wire::DirectMessage> = rows.into_iter().map(to_wire).collect();
    Ok(ApiResponse::ok(&listed))
}

fn to_wire(dm: DirectMessage) -> wire::DirectMessage {
    wire::DirectMessage {
        id: dm.id,
        posted_at: dm.posted_at,
        expires_at: dm.expires_at,
        sender: dm.sender,
        recipient: dm.recipient,
        message: encode_b64(&dm.message),
    }
}

/// `DELETE /inbox`: deletes every received message; `{"deleted": n}`.
pub async fn clear(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let user = req.require_blinded_user()?;
    let deleted = inbox::delete_received(&state.db, user.id).await?;
    Ok(ApiResponse::ok(&InboxCleared {
        deleted: deleted as i64,
    }))
}
