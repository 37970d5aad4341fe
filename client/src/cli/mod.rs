//! The command line: global options, the command tree and the shared context (profile and
//! transport). Each command group lives in its own module and calls the library.

mod community;
mod dm;
mod group;
mod id;
mod output;

use std::path::PathBuf;

use clap::{Parser, Subcommand};
use sogs_protocol::onion::EncType;

use sogs_client::Client;
use sogs_client::error::{Error, Result};
use sogs_client::onion::OnionConfig;
use sogs_client::profile::{Profile, State};
use sogs_client::room_url::RoomUrl;

/// A Session client for Community servers: identity, rooms, encrypted DMs and closed groups.
#[derive(Debug, Parser)]
#[command(version, about)]
pub(crate) struct Cli {
    /// Profile directory (identity key and state).
    #[arg(long, env = "SOGS_CLIENT_PROFILE", default_value_os_t = default_profile())]
    profile: PathBuf,
    /// Send requests through this proxy (socks5://HOST:PORT or http://HOST:PORT).
    #[arg(long, global = true)]
    proxy: Option<String>,
    /// Wrap every request in a v4 onion request to the server.
    #[arg(long, global = true)]
    onion: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create, restore or show this profile's identity.
    #[command(subcommand)]
    Id(id::IdCommand),
    /// Join a room from its URL (http(s)://host[:port]/<room>?public_key=<hex>).
    Join(community::JoinArgs),
    /// List joined rooms.
    Rooms,
    /// Read a room's messages.
    Read(community::ReadArgs),
    /// Post a message (optionally with an attachment) to a room.
    Post(community::PostArgs),
    /// Add or remove a reaction.
    React(community::ReactArgs),
    /// Download a file of a room.
    Download(community::DownloadArgs),
    /// Delete one of your messages.
    Delete(community::DeleteArgs),
    /// Set a conversation's disappearing-message timer (0 turns it off).
    Timer(community::TimerArgs),
    /// End-to-end encrypted one-to-one messages.
    #[command(subcommand)]
    Dm(dm::DmCommand),
    /// End-to-end encrypted closed groups.
    #[command(subcommand)]
    Group(group::GroupCommand),
}

/// The default profile: `$HOME/.sogs-client`.
fn default_profile() -> PathBuf {
    std::env::var_os("HOME").map_or_else(
        || PathBuf::from(".sogs-client"),
        |h| PathBuf::from(h).join(".sogs-client"),
    )
}

/// What every command needs: the profile and how to reach servers.
pub(crate) struct Ctx {
    profile: Profile,
    proxy: Option<String>,
    onion: bool,
}

impl Ctx {
    /// A client for the server of `url`, through the chosen transport.
    fn client(&self, url: &RoomUrl) -> Result<Client> {
        let mut http = reqwest::Client::builder().timeout(std::time::Duration::from_secs(30));
        if let Some(proxy) = &self.proxy {
            let proxy = reqwest::Proxy::all(proxy)
                .map_err(|e| Error::usage(format!("invalid --proxy {proxy}: {e}")))?;
            http = http.proxy(proxy);
        }
        let http = http
            .build()
            .map_err(|e| Error::usage(format!("cannot set up HTTP: {e}")))?;
        let client = Client::with_http(&url.server, http);
        Ok(if self.onion {
            client.via_onion(OnionConfig {
                server_pk: url.pubkey,
                enc_type: EncType::Aes256Gcm,
            })
        } else {
            client
        })
    }

    /// The profile's state.
    fn state(&self) -> Result<State> {
        Ok(self.profile.state()?)
    }
}

impl Cli {
    /// Runs the command, returning what to print.
    pub(crate) async fn run(self) -> Result<()> {
        let ctx = Ctx {
            profile: Profile::new(self.profile),
            proxy: self.proxy,
            onion: self.onion,
        };
        match self.command {
            Command::Id(cmd) => id::run(&ctx, cmd),
            Command::Join(args) => community::join(&ctx, args).await,
            Command::Rooms => community::rooms(&ctx),
            Command::Read(args) => community::read(&ctx, args).await,
            Command::Post(args) => community::post(&ctx, args).await,
            Command::React(args) => community::react(&ctx, args).await,
            Command::Download(args) => community::download(&ctx, args).await,
            Command::Delete(args) => community::delete(&ctx, args).await,
            Command::Timer(args) => community::timer(&ctx, args),
            Command::Dm(cmd) => dm::run(&ctx, cmd).await,
            Command::Group(cmd) => group::run(&ctx, cmd).await,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn verify_cli() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
