//! `/batch` and `/sequence`: run several sub-requests through the same route table, as the
//! outer (already authenticated) caller (pysogs `routes/general.py` + `routes/subrequest.py`).

use std::sync::Arc;

use std::collections::BTreeMap;

use actix_web::http::Method;
use bytes::Bytes;
use serde_json::Value;
use sogs_protocol::api::batch::{SubRequest, SubRequestBody, SubRequestMethod, SubResponse};
use sogs_protocol::encoding::{decode_b64, encode_b64};

use crate::dispatch::{ApiRequest, ApiResponse, Router};
use crate::error::{ApiError, ApiResult};
use crate::http::batch_budget::BatchBudget;
use crate::state::AppState;

/// `POST /batch`: runs every sub-request in order and returns every response.
pub async fn batch(state: Arc<AppState>, router: Arc<Router>, req: ApiRequest) -> ApiResult {
    run(state, router, req, false).await
}

/// `POST /sequence`: runs sub-requests in order, stopping after the first non-2xx response.
pub async fn sequence(state: Arc<AppState>, router: Arc<Router>, req: ApiRequest) -> ApiResult {
    run(state, router, req, true).await
}

/// Most sub-requests in one batch (Session Desktop sends 2 per room plus 3).
pub const MAX_SUBREQUESTS: usize = 256;

async fn run(
    state: Arc<AppState>,
    router: Arc<Router>,
    req: ApiRequest,
    stop_on_failure: bool,
) -> ApiResult {
    // Elements are parsed one by one, so that an error names its element.
    let specs: Vec<Value> = req.json_envelope()?;
    if specs.len() > MAX_SUBREQUESTS {
        return Err(ApiError::bad_request(format!(
            "Invalid batch request: at most {MAX_SUBREQUESTS} sub-requests"
        )));
    }
    let subrequests = specs
        .into_iter()
        .enumerate()
        .map(|(i, spec)| {
            let spec = serde_json::from_value::<SubRequest>(spec).map_err(|e| e.to_string());
            spec.and_then(|spec| to_subrequest(spec, &req))
                .map_err(|e| index_error(i, e))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut results = Vec::with_capacity(subrequests.len());
    let mut budget = BatchBudget::new(&state.settings.server);
    for mut sub in subrequests {
        sub.answer_limit = Some(budget.answer_left());
        let response = match budget.refusal(&sub) {
            Some(refused) => refused,
            None => {
                let writes = sub.method != Method::GET;
                let running = router.dispatch(Arc::clone(&state), sub);
                let response = match crate::http::within_deadline(&state, running).await {
                    Ok(response) => budget.charge(writes, response),
                    Err(unavailable) => {
                        budget.out_of_time();
                        unavailable.into_response()
                    }
                };
                crate::dispatch::materialize(&state.db, response).await
            }
        };
        let failed = !response.status.is_success();
        results.push(sub_response(response));
        if stop_on_failure && failed {
            break;
        }
        // Let the worker's other connections run between elements.
        tokio::task::yield_now().await;
    }
    Ok(ApiResponse::ok(&results))
}

fn index_error(index: usize, e: String) -> ApiError {
    ApiError::bad_request(format!("Invalid batch request #{index}: {e}"))
}

/// Validates one element and builds the request it describes, inheriting the outer caller.
fn to_subrequest(spec: SubRequest, outer: &ApiRequest) -> Result<ApiRequest, String> {
    let body = spec.body()?;
    let method = match spec.method {
        SubRequestMethod::Get => Method::GET,
        SubRequestMethod::Delete => Method::DELETE,
        SubRequestMethod::Post => Method::POST,
        SubRequestMethod::Put => Method::PUT,
    };
    if !spec.path.starts_with('/') {
        return Err("path must start with /".into());
    }
    let mut sub = ApiRequest::from_target(method, &spec.path).map_err(|e| e.to_string())?;
    if sub.is_onion() {
        return Err("onion requests cannot be batched".into());
    }
    sub.headers = headers_of(spec.headers.clone().unwrap_or_default());
    let (body, default_type) = body_of(body)?;
    if let Some(content_type) = default_type {
        if sub.header("content-type").is_none() {
            sub.headers
                .push(("content-type".into(), content_type.into()));
        }
    }
    sub.body = body;
    sub.user = outer.user.clone();
    Ok(sub)
}

/// Sub-request headers, names lower-cased; authentication headers are dropped (the outer
/// caller applies).
fn headers_of(headers: BTreeMap<String, String>) -> Vec<(String, String)> {
    headers
        .into_iter()
        .map(|(name, value)| (name.to_ascii_lowercase(), value))
        .filter(|(name, _)| !name.starts_with("x-sogs-") && name != "authorization")
        .collect()
}

/// The body and its default content type.
fn body_of(body: Option<SubRequestBody<'_>>) -> Result<(Bytes, Option<&'static str>), String> {
    match body {
        None => Ok((Bytes::new(), None)),
        Some(SubRequestBody::Json(value)) => {
            let text = serde_json::to_vec(value).map_err(|e| e.to_string())?;
            Ok((text.into(), Some("application/json")))
        }
        Some(SubRequestBody::B64(encoded)) => {
            let raw = decode_b64(encoded).ok_or("b64 is not valid base64")?;
            Ok((raw.into(), Some("application/octet-stream")))
        }
        Some(SubRequestBody::Bytes(text)) => Ok((
            Bytes::copy_from_slice(text.as_bytes()),
            Some("application/octet-stream"),
        )),
    }
}

/// `{"code", "headers", "body"}`: JSON bodies parsed, anything else as base64.
fn sub_response(response: ApiResponse) -> SubResponse {
    let mut headers = BTreeMap::new();
    headers.insert("content-type".to_owned(), response.content_type.clone());
    for (name, value) in &response.headers {
        headers.insert(name.to_ascii_lowercase(), value.clone());
    }
    let body = if response.is_json() {
        serde_json::from_slice(&response.body).unwrap_or(Value::Null)
    } else {
        Value::String(encode_b64(&response.body))
    };
    SubResponse {
        code: response.status.as_u16(),
        headers,
        body,
    }
}
