//! Onion requests (`/oxen/v4/lsrpc`, `/oxen/v3/lsrpc`, `/loki/v3/lsrpc`): decrypt, run the inner
//! request through [`handle`] — re-authenticated from its own X-SOGS headers, exactly like a
//! direct request — and encrypt the answer (pysogs `routes/onion_request.py`).

use std::sync::Arc;

use actix_web::http::{Method, StatusCode};
use sogs_protocol::onion::{
    InnerRequest, SharedKey, V3_BAD_REQUEST_REPLY, decrypt_request, encode_v4_response,
    encrypt_response, encrypt_v3_response, invalid_v4_request_response, parse_v3_request,
    parse_v4_request, v3_reply_plaintext,
};

use crate::dispatch::{ApiRequest, ApiResponse, Router, materialize};
use crate::error::{ApiError, ApiResult};
use crate::http::handle;
use crate::state::AppState;

const UNDECRYPTABLE: &str = "Invalid onion request: cannot decrypt it";

/// `POST /oxen/v4/lsrpc`: a v4 onion request; the reply is the raw encrypted bencoded response.
pub async fn v4(state: Arc<AppState>, router: Arc<Router>, req: ApiRequest) -> ApiResult {
    crate::metrics::onion_request("v4");
    let (plaintext, key) = decrypt(&state, &req)?;
    let reply = match parse_v4_request(&plaintext)
        .map_err(drop)
        .and_then(to_api_request)
    {
        Ok(inner) => {
            let response = handle(Arc::clone(&state), &router, inner).await;
            let response = materialize(&state.db, response).await;
            encode_v4_response(
                response.status.as_u16(),
                &response_headers(&response),
                &response.body,
            )
        }
        Err(()) => invalid_v4_request_response(),
    };
    let encrypted = encrypt(&key, |k| encrypt_response(k, &reply))?;
    Ok(ApiResponse::bytes(
        StatusCode::OK,
        "application/octet-stream",
        encrypted,
    ))
}

/// `POST /oxen/v3/lsrpc` (and `/loki/v3/lsrpc`): the deprecated JSON form; base64 reply.
pub async fn v3(state: Arc<AppState>, router: Arc<Router>, req: ApiRequest) -> ApiResult {
    crate::metrics::onion_request("v3");
    let (plaintext, key) = decrypt(&state, &req)?;
    let reply = match parse_v3_request(&plaintext)
        .map_err(drop)
        .and_then(to_api_request)
    {
        Ok(inner) => {
            let response = handle(Arc::clone(&state), &router, inner).await;
            let response = materialize(&state.db, response).await;
            v3_reply_plaintext(response.status.as_u16(), &response.body)
        }
        Err(()) => V3_BAD_REQUEST_REPLY.to_vec(),
    };
    let encrypted = encrypt(&key, |k| encrypt_v3_response(k, &reply))?;
    Ok(ApiResponse::bytes(
        StatusCode::OK,
        "text/plain; charset=utf-8",
        encrypted,
    ))
}

fn decrypt(state: &AppState, req: &ApiRequest) -> ApiResult<(Vec<u8>, SharedKey)> {
    decrypt_request(state.keys.secret(), &req.body).map_err(|e| {
        tracing::debug!(error = %e, "undecryptable onion request");
        ApiError::bad_request(UNDECRYPTABLE)
    })
}

fn encrypt<T>(
    key: &SharedKey,
    f: impl FnOnce(&SharedKey) -> Result<T, sogs_protocol::onion::CryptoError>,
) -> ApiResult<T> {
    f(key).map_err(|e| ApiError::Internal(Box::new(e)))
}

/// The inner request as an [`ApiRequest`]: path percent-decoded (raw UTF-8 and %-encoded
/// endpoints sign the same), query raw, header names lower-cased, no user yet.
fn to_api_request(inner: InnerRequest) -> Result<ApiRequest, ()> {
    let method = Method::from_bytes(inner.method.as_bytes()).map_err(drop)?;
    let mut req = ApiRequest::from_target(method, &inner.endpoint).map_err(drop)?;
    if req.is_onion() {
        return Err(()); // no onion inside an onion
    }
    req.headers = inner
        .headers
        .into_iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect();
    req.body = inner.body.unwrap_or_default().into();
    Ok(req)
}

/// Response headers for the v4 meta: lower-case names, content type included.
fn response_headers(response: &ApiResponse) -> Vec<(String, String)> {
    let mut headers = vec![("content-type".to_owned(), response.content_type.clone())];
    headers.extend(response.headers.iter().cloned());
    headers
}
