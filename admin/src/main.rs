//! `sogs-admin`: operator commands over the server library (no SQL of its own).

mod context;
mod import;
mod migrate;
mod moderation;
mod modlog;
mod perms;
mod room;
mod user;

use clap::Parser;
use sogs_server::config::CommandLineOverrides;

/// Administer a Session Community server: rooms, moderators, bans, permissions, migrations.
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
    /// Appoint or remove moderators and admins.
    #[command(subcommand)]
    Moderator(moderation::ModeratorCommand),
    /// Ban a user from rooms or globally, optionally for a time.
    Ban {
        /// Session id (05, 15 or 25).
        id: String,
        #[command(flatten)]
        place: moderation::Where,
        /// How long, e.g. 1d, 2h, 30m (default: permanent).
        #[arg(long)]
        duration: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Lift a user's ban.
    Unban {
        /// Session id (05, 15 or 25).
        id: String,
        #[command(flatten)]
        place: moderation::Where,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Set room default permissions or per-user overrides.
    #[command(subcommand)]
    Perms(perms::Command),
    /// Act on a user's posts.
    #[command(subcommand)]
    User(user::Command),
    /// Import a session-pysogs instance (database, uploads, key) into a new database.
    ImportPysogs(import::Opts),
    /// Print the moderation log.
    Modlog {
        /// Only this room.
        #[arg(long)]
        room: Option<String>,
        /// Only this recent window, e.g. 1d, 2h.
        #[arg(long)]
        since: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
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
    // Opens the database its own way: the key comes from pysogs, not from the data directory.
    let command = match cli.command {
        Command::ImportPysogs(opts) => return import::run(opts, &cli.common).await,
        other => other,
    };
    let ctx = context::Context::open(&cli.common, matches!(command, Command::Migrate)).await?;
    let result = match command {
        Command::Migrate => migrate::run(&ctx).await,
        Command::Room(cmd) => room::run(cmd, &ctx).await,
        Command::Moderator(cmd) => moderation::run_moderator(cmd, &ctx).await,
        Command::Ban {
            id,
            place,
            duration,
            json,
        } => moderation::run_ban(id, place, duration, json, &ctx).await,
        Command::Unban { id, place, json } => moderation::run_unban(id, place, json, &ctx).await,
        Command::Perms(cmd) => perms::run(cmd, &ctx).await,
        Command::User(cmd) => user::run(cmd, &ctx).await,
        Command::Modlog { room, since, json } => modlog::run(room, since, json, &ctx).await,
        Command::ImportPysogs(_) => unreachable!("handled before opening the context"),
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
