//! Path-pattern routing shared by direct, batch/sequence and onion requests: one table, one dispatch.

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use ::http::{Method, StatusCode};
use futures_util::future::LocalBoxFuture;

use crate::dispatch::{ApiRequest, ApiResponse};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// A handler: takes the shared state and the request, answers a response or an [`ApiError`].
pub type Handler =
    Box<dyn Fn(Arc<AppState>, ApiRequest) -> LocalBoxFuture<'static, ApiResult> + Send + Sync>;

/// A handler that dispatches inner requests (`/batch`, `/sequence`, onion requests): it is also
/// given the route table, which travels beside the state rather than inside it.
pub type NestingHandler = Box<
    dyn Fn(Arc<AppState>, Arc<Router>, ApiRequest) -> LocalBoxFuture<'static, ApiResult>
        + Send
        + Sync,
>;

enum Endpoint {
    Plain(Handler),
    Nesting(NestingHandler),
}

/// Every route of the API, matched on the percent-decoded path.
pub struct Router {
    paths: matchit::Router<usize>,
    patterns: HashMap<String, usize>,
    endpoints: Vec<Vec<(Method, Endpoint)>>,
    metrics: Vec<crate::metrics::RouteMetrics>,
}

impl std::fmt::Debug for Router {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Router")
            .field("patterns", &self.endpoints.len())
            .finish()
    }
}

impl Default for Router {
    fn default() -> Self {
        Self::new()
    }
}

impl Router {
    /// An empty table.
    pub fn new() -> Self {
        Self {
            paths: matchit::Router::new(),
            patterns: HashMap::new(),
            endpoints: Vec::new(),
            metrics: Vec::new(),
        }
    }

    /// Adds `method pattern` → `handler`; patterns use `{name}` and `{*rest}` captures.
    ///
    /// # Panics
    /// On a pattern that conflicts with another: the table is static, so this is a programming error
    /// caught by every test that builds the router.
    pub fn route<F, Fut>(self, method: Method, pattern: &str, handler: F) -> Self
    where
        F: Fn(Arc<AppState>, ApiRequest) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ApiResult> + 'static,
    {
        let boxed: Handler = Box::new(move |state, req| Box::pin(handler(state, req)));
        self.add(method, pattern, Endpoint::Plain(boxed))
    }

    /// Adds `method pattern` → a handler that dispatches inner requests through this table.
    ///
    /// # Panics
    /// As [`Self::route`].
    pub fn route_nesting<F, Fut>(self, method: Method, pattern: &str, handler: F) -> Self
    where
        F: Fn(Arc<AppState>, Arc<Router>, ApiRequest) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = ApiResult> + 'static,
    {
        let boxed: NestingHandler =
            Box::new(move |state, router, req| Box::pin(handler(state, router, req)));
        self.add(method, pattern, Endpoint::Nesting(boxed))
    }

    fn add(mut self, method: Method, pattern: &str, endpoint: Endpoint) -> Self {
        let index = match self.patterns.get(pattern) {
            Some(index) => *index,
            None => {
                let index = self.endpoints.len();
                #[expect(
                    clippy::expect_used,
                    reason = "the route table is static; a conflict is a bug every test catches"
                )]
                self.paths
                    .insert(pattern, index)
                    .expect("conflicting route pattern");
                self.patterns.insert(pattern.to_owned(), index);
                self.endpoints.push(Vec::new());
                self.metrics
                    .push(crate::metrics::RouteMetrics::new(pattern));
                index
            }
        };
        self.endpoints[index].push((method, endpoint));
        self
    }

    /// Runs the handler for `req` (whose `user` is already set), turning errors into responses;
    /// a successful write waits for the cache barrier ([`crate::cache::Caches::sync`]).
    /// Every request is counted and timed by its route pattern ([`crate::metrics::RouteMetrics`]).
    pub async fn dispatch(self: &Arc<Self>, state: Arc<AppState>, req: ApiRequest) -> ApiResponse {
        let started = std::time::Instant::now();
        let method = req.method.clone();
        let (route, response) = self.route_and_run(state, req).await;
        let metrics = match route {
            Some(index) => &self.metrics[index],
            None => crate::metrics::RouteMetrics::unmatched(),
        };
        metrics.record(&method, response.status, started.elapsed());
        response
    }

    /// Counts a request given up before its handler answered (the database deadline of
    /// [`crate::http::handle`]) as a 503 of its route.
    pub fn record_abandoned(&self, method: &Method, path: &str, took: std::time::Duration) {
        let metrics = match self.paths.at(path) {
            Ok(found) => &self.metrics[*found.value],
            Err(_) => crate::metrics::RouteMetrics::unmatched(),
        };
        metrics.record(method, StatusCode::SERVICE_UNAVAILABLE, took);
    }

    async fn route_and_run(
        self: &Arc<Self>,
        state: Arc<AppState>,
        mut req: ApiRequest,
    ) -> (Option<usize>, ApiResponse) {
        let (index, params) = match self.paths.at(&req.path) {
            Ok(found) => (
                *found.value,
                found
                    .params
                    .iter()
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect(),
            ),
            Err(_) => return (None, not_found()),
        };
        let Some((_, endpoint)) = self.endpoints[index].iter().find(|(m, _)| *m == req.method)
        else {
            let refused = ApiError::status(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed");
            return (Some(index), refused.into_response());
        };
        req.params = params;
        let writes = req.method != Method::GET && !req.is_batch() && !req.is_onion();
        let running = match endpoint {
            Endpoint::Plain(handler) => handler(Arc::clone(&state), req),
            Endpoint::Nesting(handler) => handler(Arc::clone(&state), Arc::clone(self), req),
        };
        let response = running.await.unwrap_or_else(ApiError::into_response);
        if writes && response.status.is_success() {
            // What this request changed must be in this process's caches before the caller
            // can send its next request.
            state.caches.sync().await;
        }
        (Some(index), response)
    }
}

fn not_found() -> ApiResponse {
    ApiResponse::text(StatusCode::NOT_FOUND, "Not found")
}
