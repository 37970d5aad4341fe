//! The actix-web front door: one catch-all service that turns HTTP into [`ApiRequest`]s and back.
//!
//! The route, and for uploads the caller's right to upload, are decided from the request line
//! and headers before any body byte is read; the body is then read up to the limit that
//! decision allows, within `server.body_timeout_secs` (408 and the connection closed past it).

use std::sync::Arc;
use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;

use crate::dispatch::{ApiRequest, ApiResponse, Router};
use crate::error::ApiError;
use crate::http::{body_limit, handle};
use crate::state::AppState;

/// Registers the catch-all service.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.default_service(web::to(front_door));
}

async fn front_door(
    state: web::Data<AppState>,
    router: web::Data<Router>,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    let state = state.into_inner();
    let mut api_req = match to_api_request(&req) {
        Ok(api_req) => api_req,
        Err(e) => return closing(&state, e.into_response()),
    };
    let limit = match body_limit::for_request(&state, &api_req).await {
        Ok(limit) => limit,
        Err(e) => return closing(&state, e.into_response()),
    };
    let timeout = Duration::from_secs_f64(state.settings.server.body_timeout_secs);
    match read_body(payload, declared_length(&api_req), limit, timeout).await {
        Ok(body) => api_req.body = body,
        Err(e) => return closing(&state, e.into_response()),
    }
    let response = handle(Arc::clone(&state), &router.into_inner(), api_req).await;
    to_http(&state, response)
}

fn to_api_request(req: &HttpRequest) -> Result<ApiRequest, ApiError> {
    let target = req.uri().path_and_query().map_or("/", |t| t.as_str());
    let mut api_req = ApiRequest::from_target(req.method().clone(), target)
        .map_err(|e| ApiError::bad_request(format!("Invalid request: {e}")))?;
    api_req.headers = req
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    Ok(api_req)
}

fn declared_length(req: &ApiRequest) -> Option<usize> {
    req.header("content-length")
        .and_then(|v| v.trim().parse().ok())
}

/// Why a body could not be read.
#[derive(Debug)]
enum BodyError {
    TooLarge(usize),
    TimedOut,
    Broken(String),
}

impl BodyError {
    fn into_response(self) -> ApiResponse {
        match self {
            Self::TooLarge(limit) => ApiError::status(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("Request body too large: the limit for this request is {limit} bytes"),
            ),
            Self::TimedOut => ApiError::status(
                StatusCode::REQUEST_TIMEOUT,
                "Request body not received in time",
            ),
            Self::Broken(e) => ApiError::bad_request(format!("Invalid request body: {e}")),
        }
        .into_response()
    }
}

/// Reads the whole body, refusing more than `limit` bytes (at once when `Content-Length` says
/// so) and giving up when it has not all arrived within `timeout`.
async fn read_body(
    mut payload: web::Payload,
    declared: Option<usize>,
    limit: usize,
    timeout: Duration,
) -> Result<Bytes, BodyError> {
    if declared.is_some_and(|len| len > limit) {
        return Err(BodyError::TooLarge(limit));
    }
    let read_all = async {
        // Keep the chunks as they arrive and join them once at the end: a slow body holds
        // exactly what it sent, never a doubled buffer (a declared length is only a claim).
        let mut chunks = Vec::new();
        let mut received = 0;
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|e| BodyError::Broken(e.to_string()))?;
            received += chunk.len();
            if received > limit {
                return Err(BodyError::TooLarge(limit));
            }
            chunks.push(chunk);
        }
        Ok(join(chunks, received))
    };
    tokio::time::timeout(timeout, read_all)
        .await
        .unwrap_or(Err(BodyError::TimedOut))
}

fn join(mut chunks: Vec<Bytes>, len: usize) -> Bytes {
    if chunks.len() == 1 {
        return chunks.pop().unwrap_or_default();
    }
    let mut body = BytesMut::with_capacity(len);
    for chunk in chunks {
        body.extend_from_slice(&chunk);
    }
    body.freeze()
}

/// An answer after which the connection is closed: the rest of an unread body is not drained.
fn closing(state: &AppState, response: ApiResponse) -> HttpResponse {
    let mut http = to_http(state, response);
    http.head_mut()
        .set_connection_type(actix_web::http::ConnectionType::Close);
    http
}

fn to_http(state: &AppState, response: ApiResponse) -> HttpResponse {
    let mut builder = HttpResponse::build(response.status);
    builder.content_type(response.content_type);
    for (name, value) in response.headers {
        builder.insert_header((name, value));
    }
    match response.file {
        Some(file) => {
            builder.no_chunking(file.size.max(0) as u64);
            builder.streaming(crate::dispatch::file_body::stream(state.db.clone(), file))
        }
        None => builder.body(response.body),
    }
}
