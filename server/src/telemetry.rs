//! Log subscriber set-up: `tracing` with a filter, pretty or JSON lines on stderr, and client
//! errors logged at WARN and rate-limited ([`client_errors`]).

pub mod client_errors;

use std::io::IsTerminal as _;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::{Layer as _, SubscriberExt as _};
use tracing_subscriber::util::SubscriberInitExt as _;

use crate::config::{LogFormat, LogSettings};

/// Installs the global subscriber; `RUST_LOG`, when set, wins over the configured level.
/// Colours (ANSI escapes) are used only when stderr is a terminal, so log files and
/// journald get plain lines.
pub fn init(settings: &LogSettings) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&settings.level));
    let lines = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal());
    let lines = match settings.format {
        LogFormat::Json => lines.json().boxed(),
        LogFormat::Pretty => lines.compact().boxed(),
    };
    // A second initialisation (tests, the admin tool calling into the server) is harmless.
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(client_errors::ClientErrors::new())
        .with(lines)
        .try_init();
}
