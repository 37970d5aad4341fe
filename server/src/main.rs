//! `sogs-server`: loads settings, opens the database, serves (with the cleanup loop) until
//! SIGINT/SIGTERM, then stops cleanly.

use anyhow::Context;
use clap::Parser;
use sogs_server::config::{CommandLineOverrides, DEFAULT_CONFIG_TOML, Settings};
use sogs_server::startup::Application;

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
    let (state, db) = sogs_server::startup::prepare(settings).await?;
    let served = serve(state).await;
    db.close()
        .await
        .context("stopping the managed PostgreSQL cluster")?;
    tracing::info!("stopped");
    served
}

async fn serve(state: std::sync::Arc<sogs_server::state::AppState>) -> anyhow::Result<()> {
    let cleanup = tokio::spawn(sogs_server::cleanup::run_forever(
        state.db.clone(),
        state.settings.clone(),
    ));
    let app = Application::build(state).context("cannot bind the listen address")?;
    tracing::info!(server.port = app.port(), "serving");
    let served = app.run_until_stopped().await;
    cleanup.abort();
    Ok(served?)
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
