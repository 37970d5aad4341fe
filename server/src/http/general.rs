//! General endpoints: capabilities and the health check.

use std::sync::Arc;

use actix_web::http::StatusCode;
use sogs_protocol::api::capabilities::{Capabilities, DbStatus, Health};

use crate::dispatch::{ApiRequest, ApiResponse};
use crate::error::ApiResult;
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
    let status = if missing.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::PRECONDITION_FAILED
    };
    let answer = Capabilities {
        capabilities: caps.into_iter().map(str::to_owned).collect(),
        missing: (!missing.is_empty()).then_some(missing),
    };
    Ok(ApiResponse::json(status, &answer))
}

/// `GET /health`: 200 `{"db":"ok"}` when a database connection answers a ping within
/// `db.acquire_timeout_secs`, else 503 `{"db":"unreachable"}` with `Retry-After` (not in the
/// reference server; for load balancers and container health checks).
pub async fn health(state: Arc<AppState>, _req: ApiRequest) -> ApiResult {
    use sqlx::Connection;
    let reachable = match state.db.acquire().await {
        Ok(mut conn) => conn.ping().await.is_ok(),
        Err(_) => false,
    };
    if reachable {
        return Ok(ApiResponse::ok(&Health { db: DbStatus::Ok }));
    }
    let unreachable = Health {
        db: DbStatus::Unreachable,
    };
    Ok(
        ApiResponse::json(StatusCode::SERVICE_UNAVAILABLE, &unreachable)
            .with_header("retry-after", crate::error::RETRY_AFTER_SECS.to_string()),
    )
}
