//! General endpoints: capabilities (batch and sequence join them later).

use std::sync::Arc;

use actix_web::http::StatusCode;
use serde_json::json;

use crate::error::ApiResult;
use crate::http::{ApiRequest, ApiResponse};
use crate::state::AppState;

/// The capabilities this server offers, sorted.
pub fn capabilities_of(state: &AppState) -> Vec<&'static str> {
    let mut caps = vec!["reactions", "sogs"];
    if state.settings.users.require_blind_keys {
        caps.push("blind");
    }
    caps.sort_unstable();
    caps
}

/// `GET /capabilities[?required=a,b]`: the sorted capability list; 412 with `missing` when a
/// required one is absent (pysogs `routes/general.py: get_caps`).
pub async fn capabilities(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let caps = capabilities_of(&state);
    let missing: Vec<String> = req
        .query_param("required")
        .map(|required| {
            required
                .split(',')
                .filter(|c| !c.is_empty() && !caps.contains(c))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if missing.is_empty() {
        Ok(ApiResponse::ok(&json!({ "capabilities": caps })))
    } else {
        Ok(ApiResponse::json(
            StatusCode::PRECONDITION_FAILED,
            &json!({ "capabilities": caps, "missing": missing }),
        ))
    }
}
