//! The page handlers: `/`, `/r/{token}/`, its image and `invite.png`, and the join URL opened
//! in a browser.

use std::sync::Arc;

use actix_web::http::StatusCode;
use sogs_protocol::content::Content;

use crate::dispatch::FileBody;
use crate::dispatch::{ApiRequest, ApiResponse};
use crate::domain::message::Selection;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::storage::messages::{self, MessageRow, Viewer};
use crate::storage::{files, rooms};
use crate::web::render::{self, RoomView, ShownMessage};
use crate::web::text::displayable;
use crate::web::{not_found, page, prefers_html, public_room, qr};

/// How many recent messages a room page shows.
const RECENT: i64 = 20;

/// Largest room image served on the page, in bytes.
const MAX_IMAGE_BYTES: i64 = 2 * 1024 * 1024;

/// `GET /`: the rooms everyone may read, by token (404 when `[web] show_index` is off).
pub async fn index(state: Arc<AppState>, _req: ApiRequest) -> ApiResult {
    if !state.settings.web.show_index {
        return Err(not_found());
    }
    let public: Vec<_> = rooms::list_all(&state.db)
        .await?
        .into_iter()
        .filter(|r| r.defaults.read)
        .collect();
    let days = state.settings.rooms.active_threshold_days;
    Ok(page(render::index(&public, days)))
}

/// `GET /r/{token}` and `/r/{token}/`: the room page.
pub async fn room_page(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let room = public_room(&state, &req).await?;
    let join_url = room.join_url(&state.settings.base_url(), &state.keys.public().to_string());
    let qr_svg = qr::svg(
        &join_url,
        &format!("QR code of the link to join {}", room.name),
    )?;
    let recent = match state.settings.web.show_recent {
        true => {
            let viewer = Viewer {
                user_id: None,
                moderator: false,
            };
            let mut rows =
                messages::list(&state.db, room.id, viewer, Selection::Recent, RECENT).await?;
            rows.reverse();
            Some(rows.into_iter().filter_map(shown).collect())
        }
        false => None,
    };
    let view = RoomView {
        room: &room,
        join_url: &join_url,
        qr_svg: &qr_svg,
        recent,
        days: state.settings.rooms.active_threshold_days,
    };
    Ok(page(render::room(&view)))
}

/// A public, live, non-whispered message as the page shows it.
fn shown(row: MessageRow) -> Option<ShownMessage> {
    if row.whisper_mods || row.whisper_to.is_some() {
        return None;
    }
    let data = row.data?;
    let content = Content::decode(&data)
        .or_else(|_| Content::decode_padded(&data))
        .ok();
    let message = content.and_then(|c| c.data_message);
    let name = message
        .as_ref()
        .and_then(|m| m.profile.as_ref())
        .and_then(|p| p.display_name.as_deref())
        .map(|n| displayable(n).into_owned())
        .filter(|n| !n.trim().is_empty());
    Some(ShownMessage {
        sender: name,
        session_id: row.session_id,
        posted: row.posted,
        edited: row.edited,
        text: message
            .as_ref()
            .and_then(|m| m.body.as_deref())
            .map(|b| displayable(b).into_owned())
            .filter(|b| !b.is_empty()),
        attachments: message.map_or(0, |m| m.attachments.len()),
    })
}

/// `GET /r/{token}/image`: the room image, if it is a PNG, JPEG, GIF or WebP.
pub async fn room_image(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let room = public_room(&state, &req).await?;
    let id = room.image.ok_or_else(not_found)?;
    let meta = files::live_meta(&state.db, room.id, id)
        .await?
        .filter(|m| m.size <= MAX_IMAGE_BYTES)
        .ok_or_else(not_found)?;
    let mut response = ApiResponse::bytes(StatusCode::OK, "application/octet-stream", "");
    response.file = Some(FileBody {
        id: meta.id,
        size: meta.size,
    });
    let response = crate::dispatch::materialize(&state.db, response).await;
    if !response.status.is_success() {
        return Ok(response);
    }
    let kind = image_type(&response.body).ok_or_else(not_found)?;
    Ok(ApiResponse {
        content_type: kind.to_owned(),
        ..response
    }
    .with_header("x-content-type-options", "nosniff")
    .with_header("cache-control", "public, max-age=300"))
}

/// The MIME type of an image by its first bytes; `None` for anything else (never served).
fn image_type(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [0x89, b'P', b'N', b'G', ..] => Some("image/png"),
        [0xff, 0xd8, 0xff, ..] => Some("image/jpeg"),
        [b'G', b'I', b'F', b'8', ..] => Some("image/gif"),
        [
            b'R',
            b'I',
            b'F',
            b'F',
            _,
            _,
            _,
            _,
            b'W',
            b'E',
            b'B',
            b'P',
            ..,
        ] => Some("image/webp"),
        _ => None,
    }
}

/// `GET /r/{token}/invite.png`: the join URL as a PNG QR code.
pub async fn invite_png(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let room = public_room(&state, &req).await?;
    let join_url = room.join_url(&state.settings.base_url(), &state.keys.public().to_string());
    let png = qr::png(&join_url)?;
    Ok(ApiResponse::bytes(StatusCode::OK, "image/png", png)
        .with_header("cache-control", "public, max-age=300")
        .with_header(
            "content-disposition",
            format!("inline; filename=\"{}-invite.png\"", room.token),
        ))
}

/// `GET /{token}`: the join URL. A browser (an `Accept` header preferring HTML) gets the room
/// page; anything else the 404 this path has always answered.
pub async fn join_link(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    if !prefers_html(&req) {
        return Err(ApiError::not_found("Not found"));
    }
    room_page(state, req).await
}
