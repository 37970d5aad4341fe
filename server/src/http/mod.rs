//! The HTTP API: the route table, the actix front door, and one module of handlers per resource.

pub mod access;
pub mod answer_body;
pub mod batch;
pub mod batch_budget;
pub mod body_limit;
pub mod body_read;
pub mod delete_all;
pub mod dm;
pub mod extract;
pub mod files;
pub mod front;
pub mod general;
pub mod messages;
pub mod onion;
pub mod permissions;
pub mod pins;
pub mod posting;
pub mod reactions;
pub mod room_info;
pub mod rooms;
pub mod users;

use std::sync::Arc;
use std::time::Instant;

use actix_web::http::Method;

use crate::dispatch::{ApiRequest, ApiResponse, Router};
use crate::error::ApiError;

use crate::state::AppState;

/// The one route table: every endpoint, grouped like the reference server's route files.
pub fn routes() -> Router {
    Router::new()
        // general
        .route(Method::GET, "/capabilities", general::capabilities)
        .route(Method::GET, "/health", general::health)
        .route_nesting(Method::POST, "/batch", batch::batch)
        .route_nesting(Method::POST, "/sequence", batch::sequence)
        // rooms
        .route(Method::GET, "/rooms", rooms::list_rooms)
        .route(Method::GET, "/room/{token}", rooms::get_room)
        .route(Method::PUT, "/room/{token}", room_info::update)
        .route(
            Method::GET,
            "/room/{token}/pollInfo/{info_updated}",
            room_info::poll_info,
        )
        // permissions
        .route(Method::GET, "/room/{token}/permissions", permissions::list)
        .route(
            Method::GET,
            "/room/{token}/permissions/{id}",
            permissions::get,
        )
        .route(
            Method::POST,
            "/room/{token}/permissions/{id}",
            permissions::set,
        )
        .route(
            Method::GET,
            "/room/{token}/futurePermissions",
            permissions::list_futures,
        )
        .route(
            Method::GET,
            "/room/{token}/futurePermissions/{id}",
            permissions::get_futures,
        )
        .route(
            Method::POST,
            "/room/{token}/futurePermissions/{id}",
            permissions::schedule,
        )
        // messages
        .route(
            Method::GET,
            "/room/{token}/messages/since/{seqno}",
            messages::since,
        )
        .route(
            Method::GET,
            "/room/{token}/messages/before/{id}",
            messages::before,
        )
        .route(
            Method::GET,
            "/room/{token}/messages/recent",
            messages::recent,
        )
        .route(Method::GET, "/room/{token}/message/{id}", messages::single)
        .route(Method::POST, "/room/{token}/message", posting::post)
        .route(Method::PUT, "/room/{token}/message/{id}", posting::edit)
        .route(
            Method::DELETE,
            "/room/{token}/message/{id}",
            posting::delete,
        )
        .route(Method::DELETE, "/room/{token}/all/{id}", delete_all::room)
        .route(Method::DELETE, "/rooms/all/{id}", delete_all::all_rooms)
        // pins
        .route(Method::POST, "/room/{token}/pin/{id}", pins::pin)
        .route(Method::POST, "/room/{token}/unpin/all", pins::unpin_all)
        .route(Method::POST, "/room/{token}/unpin/{id}", pins::unpin)
        // reactions
        .route(
            Method::PUT,
            "/room/{token}/reaction/{id}/{*reaction}",
            reactions::add,
        )
        .route(
            Method::DELETE,
            "/room/{token}/reaction/{id}/{*reaction}",
            reactions::remove,
        )
        .route(
            Method::DELETE,
            "/room/{token}/reactions/{id}",
            reactions::moderator_remove,
        )
        .route(
            Method::DELETE,
            "/room/{token}/reactions/{id}/{*reaction}",
            reactions::moderator_remove,
        )
        .route(
            Method::GET,
            "/room/{token}/reactors/{id}/{*reaction}",
            reactions::reactors,
        )
        // files
        .route(Method::POST, "/room/{token}/file", files::upload)
        .route(Method::GET, "/room/{token}/file/{id}", files::download)
        .route(
            Method::GET,
            "/room/{token}/file/{id}/{*filename}",
            files::download,
        )
        // direct messages
        .route(Method::GET, "/inbox", dm::inbox)
        .route(Method::DELETE, "/inbox", dm::clear)
        .route(Method::GET, "/inbox/since/{id}", dm::inbox_since)
        .route(Method::POST, "/inbox/{id}", dm::send)
        .route(Method::GET, "/outbox", dm::outbox)
        .route(Method::GET, "/outbox/since/{id}", dm::outbox_since)
        // onion requests
        .route_nesting(Method::POST, "/oxen/v4/lsrpc", onion::v4)
        .route_nesting(Method::POST, "/oxen/v3/lsrpc", onion::v3)
        .route_nesting(Method::POST, "/loki/v3/lsrpc", onion::v3)
        // users (moderation)
        .route(Method::POST, "/user/{id}/moderator", users::set_moderator)
        .route(Method::POST, "/user/{id}/ban", users::ban)
        .route(Method::POST, "/user/{id}/unban", users::unban)
        // web pages for browsers (`server/src/web/`); static API paths above take precedence
        .route(Method::GET, "/", crate::web::index)
        .route(Method::GET, "/r/{token}", crate::web::room_page)
        .route(Method::GET, "/r/{token}/", crate::web::room_page)
        .route(Method::GET, "/r/{token}/image", crate::web::room_image)
        .route(Method::GET, "/r/{token}/invite.png", crate::web::invite_png)
        .route(Method::GET, "/assets/{name}", crate::web::asset)
        .route(Method::GET, "/{token}", crate::web::join_link)
}

/// Authenticates `req` from its own headers, then dispatches it (direct and onion requests),
/// within `db.statement_timeout_secs`: past it the request is dropped (its database work with
/// it: a transaction not committed is rolled back) and answered 503 with `Retry-After`, even
/// when the database cannot enforce its own timeout (stopped, partitioned). An onion request
/// has no deadline of its own: its inner request has one, and answers it encrypted.
pub async fn handle(state: Arc<AppState>, router: &Arc<Router>, req: ApiRequest) -> ApiResponse {
    if req.is_onion() {
        return authenticate_and_dispatch(state, router, req).await;
    }
    if req.is_batch() {
        // Each element has the deadline of its own (`http/batch.rs`), so one that runs out
        // answers 503 without taking the answers of the elements that completed with it.
        return authenticate_then_batch(state, router, req).await;
    }
    let (method, path) = (req.method.clone(), req.path.clone());
    let started = Instant::now();
    let running = authenticate_and_dispatch(Arc::clone(&state), router, req);
    match within_deadline(&state, running).await {
        Ok(response) => response,
        Err(unavailable) => {
            router.record_abandoned(&method, &path, started.elapsed());
            unavailable.into_response()
        }
    }
}

/// Runs `work` within `db.statement_timeout_secs`; past it the work is dropped (an open
/// transaction is rolled back by PostgreSQL) and the caller answers 503 with `Retry-After`.
pub async fn within_deadline<T>(
    state: &AppState,
    work: impl std::future::Future<Output = T>,
) -> Result<T, ApiError> {
    let limit = state.settings.db.statement_timeout();
    tokio::time::timeout(limit, work)
        .await
        .map_err(|_| ApiError::Unavailable(Box::new(crate::storage::no_answer(limit))))
}

async fn authenticate_and_dispatch(
    state: Arc<AppState>,
    router: &Arc<Router>,
    mut req: ApiRequest,
) -> ApiResponse {
    match crate::auth::authenticate(&state, &req).await {
        Ok(user) => {
            crate::metrics::authenticated(user.is_some());
            req.user = user;
        }
        Err(e) => return e.into_response(),
    }
    router.dispatch(Arc::clone(&state), req).await
}

async fn authenticate_then_batch(
    state: Arc<AppState>,
    router: &Arc<Router>,
    mut req: ApiRequest,
) -> ApiResponse {
    match within_deadline(&state, crate::auth::authenticate(&state, &req)).await {
        Ok(Ok(user)) => {
            crate::metrics::authenticated(user.is_some());
            req.user = user;
        }
        Ok(Err(e)) | Err(e) => return e.into_response(),
    }
    router.dispatch(Arc::clone(&state), req).await
}
