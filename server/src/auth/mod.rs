//! X-SOGS request authentication (spec §3): header checks, the timestamp window, user lookup
//! or creation, the global ban, nonce replay protection in PostgreSQL, then the signature.
//!
//! The signature is checked in memory; a known user comes from the process's cache and the
//! nonce is consumed in PostgreSQL in a batch with concurrent requests' nonces. The observable
//! order of the reference server is kept:
//! 400 (headers) → 425 (timestamp) → 403 (banned) → 425 (nonce reused) → 401 (signature).

use sogs_protocol::auth_headers::{
    AuthHeaders, AuthKey, parse_auth_headers_with, parse_pubkey_header,
};
use sogs_protocol::ids::UserId;

use crate::dispatch::ApiRequest;
use crate::domain::user::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::storage::users;

/// Allowed distance between `X-SOGS-Timestamp` and the server clock, in seconds.
pub const TIMESTAMP_WINDOW_SECS: i64 = 86_400;

const BLIND_KEYS_REQUIRED: &str =
    "Invalid authentication: this server requires the use of blinded ids";
const TOO_FAR: &str = "Invalid authentication: X-SOGS-Timestamp is too far from current time";
const NONCE_REUSED: &str = "Invalid authentication: X-SOGS-Nonce cannot be reused";
const BAD_SIGNATURE: &str = "Invalid authentication: X-SOGS-Signature verification failed";

/// Authenticates `req` from its own X-SOGS-* headers: `None` when it carries none. A known
/// signer costs no database round trip of its own: the user comes from the cache and the nonce
/// joins the current batch.
pub async fn authenticate(state: &AppState, req: &ApiRequest) -> ApiResult<Option<AuthUser>> {
    let Some(headers) = parse_headers(state, req)? else {
        return Ok(None);
    };
    check_timestamp(headers.timestamp(), crate::clock::unix_now() as i64)?;
    let signature_ok = headers
        .verify(
            state.keys.public(),
            req.method.as_str(),
            &req.path,
            &req.query,
            &req.body,
        )
        .is_ok();
    let signed_as = headers.key().user_id();
    let user = find_or_create(state, &signed_as, signature_ok).await?;
    if user.banned {
        return Err(ApiError::forbidden("Banned"));
    }
    if !state.nonces.consume(user.id, *headers.nonce()).await? {
        return Err(ApiError::too_early(NONCE_REUSED));
    }
    if !signature_ok {
        warn_signature_failure(req);
        return Err(ApiError::unauthorized(BAD_SIGNATURE));
    }
    state.activity.user_seen(user.id);
    Ok(Some(AuthUser {
        user,
        signed_as: signed_as.as_str().to_owned(),
    }))
}

/// The canonical id of the user a request claims to be signed by, from well-formed headers with
/// a fresh timestamp (`None` without X-SOGS headers). Nothing is verified: for decisions made
/// before the body (which the signature covers) has arrived, such as how large a body to accept.
pub fn claimed_signer(state: &AppState, req: &ApiRequest) -> ApiResult<Option<String>> {
    let Some(headers) = parse_headers(state, req)? else {
        return Ok(None);
    };
    check_timestamp(headers.timestamp(), crate::clock::unix_now() as i64)?;
    canonical_id(state, &headers.key().user_id()).map(Some)
}

/// Parses the four headers; refuses unblinded keys when blinding is required, at the point
/// where the reference does (right after the pubkey checks).
fn parse_headers(state: &AppState, req: &ApiRequest) -> ApiResult<Option<AuthHeaders>> {
    let get = |name: &str| req.header(name);
    let parsed = parse_auth_headers_with(
        get("x-sogs-pubkey"),
        get("x-sogs-nonce"),
        get("x-sogs-timestamp"),
        get("x-sogs-signature"),
        |key| state.valid_keys.is_valid(key),
    );
    let require_blind = state.settings.users.require_blind_keys;
    let unblinded = |key: &AuthKey| matches!(key, AuthKey::Unblinded(_));
    match parsed {
        Ok(Some(headers)) if require_blind && unblinded(headers.key()) => {
            Err(ApiError::bad_request(BLIND_KEYS_REQUIRED))
        }
        Ok(headers) => Ok(headers),
        Err(e) => {
            let pubkey = get("x-sogs-pubkey").and_then(|pk| parse_pubkey_header(pk).ok());
            if require_blind && pubkey.as_ref().is_some_and(unblinded) {
                Err(ApiError::bad_request(BLIND_KEYS_REQUIRED))
            } else {
                Err(ApiError::bad_request(e.to_string()))
            }
        }
    }
}

/// 425 unless `now - 86400 <= timestamp <= now + 86400`.
fn check_timestamp(timestamp: i64, now: i64) -> ApiResult<()> {
    if timestamp.abs_diff(now) > TIMESTAMP_WINDOW_SECS as u64 {
        return Err(ApiError::too_early(TOO_FAR));
    }
    Ok(())
}

/// The user who signs as `signed_as`: from the cache, else by that id or (a person first seen
/// under their other blinded id) by the canonical id; a new person is created, unless the
/// signature is bad (no row for a key that proved nothing).
async fn find_or_create(
    state: &AppState,
    signed_as: &UserId,
    signature_ok: bool,
) -> ApiResult<crate::domain::user::User> {
    let caches = &state.caches;
    if caches.enabled() {
        if let Some(user) = caches.users.get(signed_as.as_str()) {
            return Ok(user);
        }
    }
    let epoch = caches.users.epoch();
    let found = match users::find_signer(&state.db, signed_as.as_str()).await? {
        Some(user) => user,
        None => {
            let canonical = canonical_id(state, signed_as)?;
            match users::find_signer(&state.db, &canonical).await? {
                Some(user) => user,
                None if !signature_ok => return Err(ApiError::unauthorized(BAD_SIGNATURE)),
                None => {
                    users::create(&state.db, signed_as.as_str(), &canonical).await?;
                    // By the canonical id: a concurrent first login under the person's other
                    // id may have created the row instead of us.
                    users::find_signer(&state.db, &canonical)
                        .await?
                        .ok_or_else(|| {
                            ApiError::Internal("user vanished right after creation".into())
                        })?
                }
            }
        }
    };
    if caches.enabled() {
        caches.users.put(epoch, signed_as.as_str(), found.clone());
    }
    Ok(found)
}

/// The canonical id of the signing user; a 15 key that is not a valid point cannot get here.
fn canonical_id(state: &AppState, id: &UserId) -> ApiResult<String> {
    crate::domain::user::canonical_id(id, state.keys.public())
        .map_err(|e| ApiError::bad_request(format!("Invalid authentication: {e}")))
}

fn warn_signature_failure(req: &ApiRequest) {
    // The signature covers the path: a proxy rewriting it breaks every signed request.
    tracing::warn!(
        http.method = %req.method,
        http.path = %req.path,
        "X-SOGS signature verification failed (if this happens for every client, check that a reverse proxy is not rewriting the request path)"
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timestamp_window_is_inclusive_at_one_day() {
        let now = 1_700_000_000;
        for offset in [0, 1, -1, 86_399, -86_399, 86_400, -86_400] {
            assert!(check_timestamp(now + offset, now).is_ok(), "{offset}");
        }
        for offset in [86_401, -86_401, 86_402, -86_402, i64::MAX / 2] {
            assert!(check_timestamp(now + offset, now).is_err(), "{offset}");
        }
        assert!(check_timestamp(i64::MIN, now).is_err());
    }
}
