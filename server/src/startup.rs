//! Building and running the HTTP server: the listener is bound first so port 0 works in tests.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, web};
use tracing_actix_web::TracingLogger;

use crate::state::AppState;

/// A bound, not yet running server.
pub struct Application {
    port: u16,
    server: Server,
    metrics: Option<crate::metrics::MetricsServer>,
}

impl std::fmt::Debug for Application {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Application")
            .field("port", &self.port)
            .finish()
    }
}

impl Application {
    /// Binds the configured address and prepares the server around `state`.
    pub fn build(state: Arc<AppState>) -> std::io::Result<Self> {
        let server = &state.settings.server;
        let listener = crate::listener::bind(server.listen, server.listen_backlog)?;
        Self::build_with_listener(state, listener)
    }

    /// Prepares the server on an already-bound listener.
    pub fn build_with_listener(
        state: Arc<AppState>,
        listener: TcpListener,
    ) -> std::io::Result<Self> {
        let port = listener.local_addr()?.port();
        let send_timeout = Duration::from_secs_f64(state.settings.server.send_timeout_secs);
        crate::listener::set_send_timeout(&listener, send_timeout)?;
        let open_files = crate::listener::raise_open_file_limit();
        let cap =
            crate::listener::connection_cap(state.settings.server.max_connections, open_files);
        let workers = std::thread::available_parallelism().map_or(1, usize::from);
        tracing::info!(
            open_files,
            max_connections = cap,
            workers,
            "connection limits"
        );
        let metrics = crate::metrics::MetricsServer::build(&state)?;
        let data = web::Data::from(state);
        let router = web::Data::new(crate::http::routes());
        let server = HttpServer::new(move || {
            App::new()
                .wrap(TracingLogger::default())
                .app_data(data.clone())
                .app_data(router.clone())
                .configure(crate::http::front::configure)
        })
        .workers(workers)
        // actix counts connections per worker.
        .max_connections(cap.div_ceil(workers))
        .listen(listener)?
        .shutdown_timeout(10)
        .run();
        Ok(Self {
            port,
            server,
            metrics,
        })
    }

    /// The port actually bound.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port of the metrics listener, when `[metrics] listen` is set.
    pub fn metrics_port(&self) -> Option<u16> {
        self.metrics
            .as_ref()
            .map(crate::metrics::MetricsServer::port)
    }

    /// A handle that can stop the server gracefully.
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until SIGINT/SIGTERM (or a stop through the handle).
    /// The metrics listener, if any, runs beside and stops with it.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let Some(metrics) = self.metrics else {
            return self.server.await;
        };
        let stop_metrics = metrics.handle();
        let served = async {
            let served = self.server.await;
            stop_metrics.stop(false).await;
            served
        };
        let (served, metrics_served) = futures_util::future::join(served, metrics.run()).await;
        if let Err(e) = metrics_served {
            tracing::warn!(error = %e, "metrics listener failed");
        }
        served
    }
}

/// Opens everything the server needs: data directory, key, database (migrated), system user.
///
/// On failure after the managed cluster started, the cluster is stopped again.
pub async fn prepare(
    settings: crate::config::Settings,
) -> anyhow::Result<(Arc<AppState>, crate::storage::Database)> {
    use anyhow::Context;
    create_data_dir(settings.data_dir())?;
    let keys = crate::keys::ServerKeys::load_or_create(settings.data_dir())?;
    let db = crate::storage::Database::open(&settings).await?;
    let state = match AppState::new(db.pool().clone(), Arc::new(settings), keys) {
        Ok(state) => Arc::new(state),
        Err(e) => {
            let _ = db.close().await;
            return Err(e.into());
        }
    };
    let ready = async {
        if state.settings.db.auto_migrate {
            db.migrate().await?;
        }
        crate::storage::users::upsert_system_user(&state.db, state.keys.public())
            .await
            .context("creating the system user")?;
        announce(&state).await
    };
    match ready.await {
        Ok(()) => Ok((state, db)),
        Err(e) => {
            drop(state);
            let _ = db.close().await;
            Err(e)
        }
    }
}

fn create_data_dir(dir: &std::path::Path) -> anyhow::Result<()> {
    use anyhow::Context;
    use std::os::unix::fs::DirBuilderExt;
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .with_context(|| format!("cannot create data directory {}", dir.display()))?;
    }
    Ok(())
}

/// Logs the server public key and every room's join URL.
async fn announce(state: &AppState) -> anyhow::Result<()> {
    let pubkey = state.keys.public().to_string();
    tracing::info!(server.pubkey = %pubkey, "server public key");
    let base = state.settings.base_url();
    for room in crate::storage::rooms::list_all(&state.db).await? {
        tracing::info!(room.token = %room.token, "join URL: {}", room.join_url(&base, &pubkey));
    }
    Ok(())
}
