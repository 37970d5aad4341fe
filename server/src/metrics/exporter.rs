//! The metrics listener: a one-worker actix server answering `GET /metrics` with the
//! Prometheus text format (and 404 for anything else), refreshing the scrape-time gauges first.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::{Server, ServerHandle};
use actix_web::http::StatusCode;
use actix_web::{App, HttpResponse, HttpServer, web};
use metrics_exporter_prometheus::PrometheusHandle;

use crate::state::AppState;

/// A bound, not yet awaited metrics server.
pub struct MetricsServer {
    port: u16,
    server: Server,
}

impl std::fmt::Debug for MetricsServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MetricsServer")
            .field("port", &self.port)
            .finish()
    }
}

struct Scrape {
    state: Arc<AppState>,
    handle: &'static PrometheusHandle,
}

impl MetricsServer {
    /// Binds `[metrics] listen` and installs the recorder; `None` when metrics are off
    /// (empty `listen`), the address cannot be bound (logged) or the recorder could not be
    /// installed.
    pub fn build(state: &Arc<AppState>) -> std::io::Result<Option<Self>> {
        let listen = state.settings.metrics.listen.trim();
        if listen.is_empty() {
            return Ok(None);
        }
        let addr: std::net::SocketAddr = listen.parse().map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("invalid [metrics] listen {listen:?}: {e}"),
            )
        })?;
        let Some(handle) = super::install() else {
            return Ok(None);
        };
        let listener = match TcpListener::bind(addr) {
            Ok(listener) => listener,
            Err(e) => {
                // Metrics are an aid; users are still served without them.
                tracing::warn!(%addr, error = %e, "metrics listener not bound; serving without metrics");
                return Ok(None);
            }
        };
        let port = listener.local_addr()?.port();
        let scrape = web::Data::new(Scrape {
            state: Arc::clone(state),
            handle,
        });
        let server = HttpServer::new(move || {
            App::new()
                .app_data(scrape.clone())
                .route("/metrics", web::get().to(metrics))
                .default_service(web::to(|| async {
                    HttpResponse::NotFound().body("Not found")
                }))
        })
        .workers(1)
        .disable_signals()
        .shutdown_timeout(1)
        .listen(listener)?
        .run();
        tracing::info!(metrics.port = port, "metrics listener bound");
        Ok(Some(Self { port, server }))
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A handle that stops the listener.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until stopped through [`Self::handle`].
    pub async fn run(self) -> std::io::Result<()> {
        self.server.await
    }
}

async fn metrics(scrape: web::Data<Scrape>) -> HttpResponse {
    super::record::refresh(&scrape.state).await;
    HttpResponse::build(StatusCode::OK)
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(scrape.handle.render())
}
