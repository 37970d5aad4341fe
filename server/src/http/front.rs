//! The actix-web front door: one catch-all service that turns HTTP into [`ApiRequest`]s and back.
//!
//! The route, and for uploads the caller's right to upload, are decided from the request line
//! and headers before any body byte is read; the body is then read up to the limit that
//! decision allows, under the rules of [`body_read`](crate::http::body_read) (budget,
//! deadline, minimum rate). Answers held in memory are charged to the answer budget until sent.

use std::sync::Arc;
use std::time::Duration;

use crate::dispatch::{ApiRequest, ApiResponse, Router};
use crate::error::ApiError;
use crate::http::answer_body::ChargedBody;
use crate::http::body_read::{BodyRules, read_body};
use crate::http::{body_limit, handle};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, web};

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
    let rules = body_rules(&state, limit);
    // The body's bytes stay charged to the budget until its request is answered.
    let _body_charge =
        match read_body(payload, body_length(&api_req), &rules, &state.body_budget).await {
            Ok((body, charge)) => {
                api_req.body = body;
                charge
            }
            Err(e) => return closing(&state, e.into_response()),
        };
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

/// What the headers say of the body: `Some(n)` for a `Content-Length`, `None` when its length
/// is unknown (chunked), and `Some(0)` when there is none (HTTP/1.1: no `Content-Length` and no
/// `Transfer-Encoding` means no body).
fn body_length(req: &ApiRequest) -> Option<usize> {
    match req.header("content-length") {
        Some(len) => len.trim().parse().ok(),
        None if req.header("transfer-encoding").is_none() => Some(0),
        None => None,
    }
}

fn body_rules(state: &AppState, limit: usize) -> BodyRules {
    let server = &state.settings.server;
    BodyRules {
        limit,
        timeout: Duration::from_secs_f64(server.body_timeout_secs),
        min_rate: server.min_body_rate_bytes_per_sec,
    }
}

/// An answer after which the connection is closed: the rest of an unread body is not drained.
fn closing(state: &AppState, response: ApiResponse) -> HttpResponse {
    close(to_http(state, response))
}

fn close(mut http: HttpResponse) -> HttpResponse {
    http.head_mut()
        .set_connection_type(actix_web::http::ConnectionType::Close);
    http
}

/// The answer when the answer budget cannot hold a built answer (which is dropped unsent);
/// this small text itself is not charged.
fn closing_busy() -> HttpResponse {
    let busy = crate::budget::busy("Server busy: too many answers waiting to be sent");
    close(builder(&busy).body(busy.body))
}

fn builder(response: &ApiResponse) -> actix_web::HttpResponseBuilder {
    let mut builder = HttpResponse::build(response.status);
    builder.content_type(response.content_type.as_str());
    for (name, value) in &response.headers {
        builder.insert_header((name.as_str(), value.as_str()));
    }
    builder
}

fn to_http(state: &AppState, response: ApiResponse) -> HttpResponse {
    let mut builder = builder(&response);
    match response.file {
        Some(file) => {
            builder.no_chunking(file.size.max(0) as u64);
            builder.streaming(crate::dispatch::file_body::stream(state.db.clone(), file))
        }
        None => match ChargedBody::new(response.body, &state.answer_budget) {
            Some(body) => builder.body(body),
            None => closing_busy(),
        },
    }
}
