//! `sogs-client`: command-line access to Session Communities (see `sogs-client --help`).

mod cli;

use clap::Parser;

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    match cli.run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", one_line(&e.to_string()));
            std::process::ExitCode::FAILURE
        }
    }
}

/// Error texts may embed a server's multi-line body: keep the first line only.
fn one_line(text: &str) -> &str {
    text.lines().next().unwrap_or_default()
}
