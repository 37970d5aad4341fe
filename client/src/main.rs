//! `sogs-client`: command-line access to a Session Community server.

use clap::Parser;
use sogs_client::Client;

/// Minimal Session Community client.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// Server base URL, e.g. http://127.0.0.1:3000.
    #[arg(long, default_value = "http://127.0.0.1:3000")]
    server: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Show the server's capabilities.
    Capabilities,
    /// List the rooms visible without an identity.
    Rooms,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let client = Client::new(cli.server);
    let result = match cli.command {
        Command::Capabilities => client.capabilities().await.map(|v| v.to_string()),
        Command::Rooms => client.rooms().await.map(|rooms| {
            rooms.iter().filter_map(|r| r["token"].as_str()).collect::<Vec<_>>().join("\n")
        }),
    };
    match result {
        Ok(text) => {
            println!("{text}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
