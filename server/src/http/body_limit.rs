//! How many body bytes a request may send, decided from its target and headers before any
//! body byte is read: large bodies only for onion requests and for uploads by a caller whose
//! headers show upload permission; a small limit everywhere else.

use actix_web::http::Method;

use crate::dispatch::ApiRequest;
use crate::domain::permissions::Effective;
use crate::error::{ApiError, ApiResult};
use crate::http::access::permission_denied;
use crate::state::AppState;
use crate::storage::{rooms, users};

/// Bytes beyond `files.max_size_bytes` an upload request may carry, so that a file of exactly
/// the limit reaches the handler (which answers 413 past the limit with its own text).
const UPLOAD_SLACK: usize = 64 * 1024;

/// The body limit for `req` (whose body is not read yet). An upload that may not be made
/// fails here, with the same status its handler would give, without reading the body.
pub async fn for_request(state: &AppState, req: &ApiRequest) -> ApiResult<usize> {
    let server = &state.settings.server;
    if req.is_onion() {
        return Ok(server.max_body_bytes);
    }
    if req.is_batch() {
        return Ok(server.batch_body_limit_bytes);
    }
    if req.method == Method::POST && upload_token(&req.path).is_some() && exceeds_small(state, req)
    {
        // It queries the database: it has the same deadline as requests.
        crate::http::within_deadline(state, check_upload_allowed(state, req)).await??;
        return Ok(state.settings.files.max_size_bytes + UPLOAD_SLACK);
    }
    Ok(server.body_limit_bytes)
}

/// `POST /room/{token}/file` → the token.
fn upload_token(path: &str) -> Option<&str> {
    let token = path.strip_prefix("/room/")?.strip_suffix("/file")?;
    (!token.is_empty() && !token.contains('/')).then_some(token)
}

/// Whether the declared size (or, with chunked encoding, the unknown size) may exceed the
/// small limit; small uploads need no early check.
fn exceeds_small(state: &AppState, req: &ApiRequest) -> bool {
    req.header("content-length")
        .and_then(|v| v.trim().parse::<usize>().ok())
        .is_none_or(|len| len > state.settings.server.body_limit_bytes)
}

/// The checks an upload would fail before its body matters, made on the headers alone: 400 for
/// malformed X-SOGS headers, 425 for a stale timestamp, 401 without them, 404 for an unknown
/// room, 403 when the (claimed) caller may not upload. The signature, which covers the body,
/// is verified as usual once the body is in.
async fn check_upload_allowed(state: &AppState, req: &ApiRequest) -> ApiResult<()> {
    let token = upload_token(&req.path).unwrap_or_default();
    let Some(claimed) = crate::auth::claimed_signer(state, req)? else {
        return Err(ApiError::unauthorized(
            "X-SOGS-* request authentication required",
        ));
    };
    if sogs_protocol::ids::RoomToken::parse(token).is_err() {
        return Err(ApiError::not_found(format!(
            "No such room: {}",
            token.escape_debug()
        )));
    }
    let user_id = users::find(&state.db, &claimed).await?;
    let (room, perms) = rooms::find_with_permissions(&state.db, token, user_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("No such room: {token}")))?;
    let perms = perms.unwrap_or_else(|| Effective::anonymous(room.defaults));
    if !perms.can_upload() {
        return Err(permission_denied());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_upload_path_is_an_upload() {
        assert_eq!(upload_token("/room/lobby/file"), Some("lobby"));
        assert_eq!(upload_token("/room/lobby/file/3"), None);
        assert_eq!(upload_token("/room//file"), None);
        assert_eq!(upload_token("/room/a/b/file"), None);
        assert_eq!(upload_token("/rooms"), None);
    }
}
