//! Server-rendered web pages for people with a browser: the public room list, room pages with
//! their join link and QR code, `invite.png`, and the stylesheet and script they link. No
//! JavaScript is needed (it only adds a copy button).
//!
//! Only rooms everyone may read (`read` in the room's defaults) are shown; anything else is a
//! 404, exactly as if the room did not exist.

pub mod assets;
pub mod pages;
pub mod qr;
pub mod render;
pub mod text;

use std::borrow::Cow;

use actix_web::http::StatusCode;
use maud::Markup;

use crate::dispatch::{ApiRequest, ApiResponse};
use crate::domain::room::Room;
use crate::error::{ApiError, ApiResult};
use crate::http::access::RoomAccess;
use crate::state::AppState;

pub use assets::asset;
pub use pages::{index, invite_png, join_link, room_image, room_page};

/// What the pages allow: only this server's stylesheet, script (`/assets/`) and images; nothing
/// inline, no framing, no outside loads.
const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; img-src 'self' data:; \
     style-src 'self'; script-src 'self'; base-uri 'none'; \
     form-action 'none'; frame-ancestors 'none'";

/// A 200 HTML page with the headers every page carries. Whatever a template let through,
/// the page never carries control characters or bidi overrides ([`text::displayable`]).
fn page(markup: Markup) -> ApiResponse {
    let html = markup.into_string();
    let cleaned = match text::displayable(&html) {
        Cow::Owned(cleaned) => Some(cleaned),
        Cow::Borrowed(_) => None,
    };
    let html = cleaned.unwrap_or(html);
    ApiResponse::bytes(StatusCode::OK, "text/html; charset=utf-8", html)
        .with_header("content-security-policy", CONTENT_SECURITY_POLICY)
        .with_header("x-content-type-options", "nosniff")
        .with_header("referrer-policy", "no-referrer")
        .with_header("cache-control", "no-cache")
}

/// The plain 404 every hidden or missing page answers.
fn not_found() -> ApiError {
    ApiError::not_found("Not found")
}

/// The room named by the `{token}` path parameter if everyone may read it; 404 otherwise
/// (unknown, not readable by default, or a token no room can have).
async fn public_room(state: &AppState, req: &ApiRequest) -> ApiResult<Room> {
    let room = RoomAccess::load(state, req).await?.room;
    match room.defaults.read {
        true => Ok(room),
        // Exactly what a missing room answers.
        false => Err(ApiError::not_found(format!(
            "No such room: {}",
            req.param("token")?
        ))),
    }
}

/// Whether the `Accept` header prefers `text/html`: it names `text/html` itself with a quality
/// no lower than any other type's (browsers do; API clients and Session do not).
pub fn prefers_html(req: &ApiRequest) -> bool {
    let Some(accept) = req.header("accept") else {
        return false;
    };
    let mut html: Option<f32> = None;
    let mut best_other = 0.0_f32;
    for item in accept.split(',') {
        let mut parts = item.split(';');
        let media = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let quality = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if media == "text/html" {
            html = Some(html.map_or(quality, |h| h.max(quality)));
        } else if media != "application/xhtml+xml" {
            best_other = best_other.max(quality);
        }
    }
    html.is_some_and(|q| q > 0.0 && q >= best_other)
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::Method;

    fn accepting(accept: Option<&str>) -> bool {
        let mut req = ApiRequest::new(Method::GET, "/lobby", "");
        if let Some(accept) = accept {
            req.headers.push(("accept".into(), accept.into()));
        }
        prefers_html(&req)
    }

    #[test]
    fn browsers_prefer_html_and_api_clients_do_not() {
        let firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert!(accepting(Some(firefox)));
        assert!(accepting(Some("text/html")));
        assert!(!accepting(None));
        assert!(!accepting(Some("*/*")));
        assert!(!accepting(Some("application/json")));
        assert!(!accepting(Some("application/json, text/html;q=0.5")));
        assert!(!accepting(Some("text/html;q=0")));
    }
}
