//! `sogs-server`: loads settings, locks the data directory (managed PostgreSQL), opens the
//! database, serves (with the cleanup loop and the cluster's supervisor) until SIGINT/SIGTERM
//! (or until the managed cluster cannot be restarted), then stops cleanly.

use anyhow::Context;
use clap::Parser;
use sogs_pgcluster::{ClusterError, DataDirLock, ManagedCluster, Supervisor};
use sogs_server::config::{CommandLineOverrides, DEFAULT_CONFIG_TOML, Settings};
use sogs_server::startup::Application;
use std::task::Poll;
use tokio::task::JoinHandle;

/// Session Community server.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(flatten)]
    common: CommandLineOverrides,
    /// Address and port to listen on, e.g. 127.0.0.1:3000.
    #[arg(long)]
    listen: Option<String>,
    /// Public base URL for join links, e.g. https://sogs.example.org.
    #[arg(long)]
    base_url: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Print the annotated default configuration (TOML).
    DefaultConfig,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    if let Some(Command::DefaultConfig) = cli.command {
        print!("{DEFAULT_CONFIG_TOML}");
        return Ok(());
    }
    let mut extra = Vec::new();
    extra.extend(cli.listen.map(|v| ("server.listen", v)));
    extra.extend(cli.base_url.map(|v| ("server.base_url", v)));
    let settings = Settings::load(&cli.common, &extra)?;
    sogs_server::telemetry::init(&settings.log);
    // Held until main returns, after the managed cluster has been stopped.
    let _lock = lock_data_dir(&settings)?;
    let (state, db) = sogs_server::startup::prepare(settings).await?;
    let supervisor = db.cluster().map(ManagedCluster::supervisor);
    let served = serve(state, supervisor).await;
    db.close()
        .await
        .context("stopping the managed PostgreSQL cluster")?;
    tracing::info!("stopped");
    served
}

/// With a managed cluster (no `db.url`), one server per data directory: takes its lock, or
/// fails naming the server that holds it.
fn lock_data_dir(settings: &Settings) -> anyhow::Result<Option<DataDirLock>> {
    if !settings.db.url.is_empty() {
        return Ok(None);
    }
    Ok(Some(DataDirLock::acquire(settings.data_dir())?))
}

/// Serves until SIGINT/SIGTERM, with the cleanup loop and the managed cluster's supervisor
/// running beside; fails if the supervisor gives up on the cluster (after stopping the HTTP
/// server gracefully).
async fn serve(
    state: std::sync::Arc<sogs_server::state::AppState>,
    supervisor: Option<Supervisor>,
) -> anyhow::Result<()> {
    let cleanup = tokio::spawn(sogs_server::cleanup::run_forever(state.clone()));
    let mut supervisor = supervisor.map(|s| tokio::spawn(s.run()));
    let app = Application::build(state.clone());
    let served = match app {
        Ok(app) => run_supervised(app, supervisor.as_mut()).await,
        Err(e) => Err(anyhow::Error::new(e).context("cannot bind the listen address")),
    };
    cleanup.abort();
    if let Some(supervisor) = supervisor {
        supervisor.abort();
    }
    if let Err(e) = state.activity.flush(&state.db).await {
        tracing::warn!(error = %e, "last activity flush failed");
    }
    served
}

/// Runs `app` until it stops, or until the supervisor resolves (it gave up on the cluster).
async fn run_supervised(
    app: Application,
    supervisor: Option<&mut JoinHandle<ClusterError>>,
) -> anyhow::Result<()> {
    let (port, handle) = (app.port(), app.handle());
    let mut server = std::pin::pin!(app.run_until_stopped());
    // The first poll starts the workers and installs actix's SIGINT/SIGTERM handlers, so a
    // signal sent once "serving" is logged always means a graceful stop.
    let first = std::future::poll_fn(|cx| Poll::Ready(server.as_mut().poll(cx))).await;
    if let Poll::Ready(served) = first {
        return Ok(served?);
    }
    tracing::info!(server.port = port, "serving");
    let gave_up = tokio::select! {
        served = &mut server => return Ok(served?),
        gave_up = supervisor_failure(supervisor) => gave_up,
    };
    // Stop accepting and let running requests finish; the server future carries the stop out.
    let stopped = handle.stop(true);
    server.await?;
    stopped.await;
    Err(gave_up)
}

/// Resolves when the supervisor gives up on the managed cluster (never without one).
async fn supervisor_failure(supervisor: Option<&mut JoinHandle<ClusterError>>) -> anyhow::Error {
    match supervisor {
        Some(task) => match task.await {
            Ok(e) => anyhow::Error::new(e),
            Err(e) => anyhow::Error::new(e).context("the PostgreSQL supervisor failed"),
        },
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_cli() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
