//! `sogs-admin`: operator commands over the server library (no SQL of its own).

mod context;
mod migrate;
mod room;

use clap::Parser;
use sogs_server::config::CommandLineOverrides;

/// Administer a Session Community server: rooms, migrations.
///
/// Works on the same data directory as the server (starting its managed PostgreSQL when the
/// server is not running) or on a database URL.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(flatten)]
    common: CommandLineOverrides,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Apply pending database migrations.
    Migrate,
    /// Create, list, show, update and delete rooms.
    #[command(subcommand)]
    Room(room::Command),
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let ctx = context::Context::open(&cli.common, matches!(cli.command, Command::Migrate)).await?;
    let result = match cli.command {
        Command::Migrate => migrate::run(&ctx).await,
        Command::Room(cmd) => room::run(cmd, &ctx).await,
    };
    ctx.close().await?;
    result
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
