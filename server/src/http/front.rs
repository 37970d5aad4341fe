//! The actix-web front door: one catch-all service that turns HTTP into [`ApiRequest`]s and back.

use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse, web};
use bytes::Bytes;

use crate::error::ApiError;
use crate::http::{ApiRequest, ApiResponse, handle};
use crate::state::AppState;

/// Registers the catch-all service; the body cap comes from `server.max_body_bytes`.
pub fn configure(cfg: &mut web::ServiceConfig, max_body_bytes: usize) {
    cfg.app_data(web::PayloadConfig::new(max_body_bytes))
        .default_service(web::to(front_door));
}

async fn front_door(state: web::Data<AppState>, req: HttpRequest, body: Bytes) -> HttpResponse {
    let state = state.into_inner();
    let response = match to_api_request(&req, body) {
        Ok(api_req) => handle(Arc::clone(&state), api_req).await,
        Err(e) => e.into_response(),
    };
    to_http(&state, response)
}

fn to_api_request(req: &HttpRequest, body: Bytes) -> Result<ApiRequest, ApiError> {
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
    api_req.body = body;
    Ok(api_req)
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
            builder.streaming(crate::http::files::stream(state.db.clone(), file))
        }
        None => builder.body(response.body),
    }
}
