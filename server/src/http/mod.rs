//! The HTTP API: the route table, the actix front door, and one module of handlers per resource.

pub mod batch;
pub mod front;
pub mod general;
pub mod request;
pub mod rooms;
pub mod router;

use std::sync::Arc;

use actix_web::http::Method;

pub use request::{ApiRequest, ApiResponse};
use router::Router;

use crate::state::AppState;

/// The one route table: every endpoint, grouped like the reference server's route files.
pub fn routes() -> Router {
    Router::new()
        // general
        .route(Method::GET, "/capabilities", general::capabilities)
        .route(Method::POST, "/batch", batch::batch)
        .route(Method::POST, "/sequence", batch::sequence)
        // rooms
        .route(Method::GET, "/rooms", rooms::list_rooms)
        .route(Method::GET, "/room/{token}", rooms::get_room)
}

/// Authenticates `req` from its own headers, then dispatches it (direct and onion requests).
pub async fn handle(state: Arc<AppState>, mut req: ApiRequest) -> ApiResponse {
    match crate::auth::authenticate(&state, &req).await {
        Ok(user) => req.user = user,
        Err(e) => return e.into_response(),
    }
    state.router.dispatch(Arc::clone(&state), req).await
}
