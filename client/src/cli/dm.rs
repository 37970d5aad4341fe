//! `dm send | read`: blinded, end-to-end encrypted DMs through a community's inbox.

use clap::Subcommand;
use sogs_client::community::{message_content, now_ms};
use sogs_client::dm;
use sogs_client::error::{Error, Result};

use super::Ctx;
use super::community::open;
use super::output;

#[derive(Debug, Subcommand)]
pub(crate) enum DmCommand {
    /// Send an encrypted message to a Session ID (05…) or a blinded id (15…/25…).
    Send {
        /// The recipient.
        to: String,
        /// The text.
        text: String,
        /// The joined room whose server carries the message (default: the first joined room).
        #[arg(long)]
        via: Option<String>,
    },
    /// Read the messages received and sent through a server's inbox.
    Read {
        /// The joined room whose server to read (default: the first joined room).
        #[arg(long)]
        via: Option<String>,
    },
}

/// Runs a `dm` command.
pub(crate) async fn run(ctx: &Ctx, cmd: DmCommand) -> Result<()> {
    match cmd {
        DmCommand::Send { to, text, via } => {
            let (community, _) = open(ctx, &via_room(ctx, via)?)?;
            let identity = ctx.profile.identity()?;
            let state = ctx.state()?;
            let recipient = dm::recipient_id(&community, &to)?;
            let mut content =
                message_content(&text, state.display_name.as_deref(), vec![], now_ms());
            if let Some(&timer) = state.timers.get(&to) {
                content.expiration_type = Some(2);
                content.expiration_timer = u32::try_from(timer).ok();
            }
            let id = dm::send(&community, &identity, &recipient, &content).await?;
            println!("sent message {id} to {}", recipient.as_str());
            Ok(())
        }
        DmCommand::Read { via } => {
            let (community, _) = open(ctx, &via_room(ctx, via)?)?;
            let identity = ctx.profile.identity()?;
            let mut state = ctx.state()?;
            let mailbox = state.mailbox(&community);
            let fetched = dm::fetch(&community, mailbox).await;
            let messages = dm::open_all(&community, &identity, mailbox);
            // What was fetched is kept even if a later page failed.
            ctx.profile.save_state(&state)?;
            fetched?;
            for m in messages {
                if m.content.group_keys.is_some() || expired(m.posted, m.content.expiration_timer) {
                    continue;
                }
                let arrow = if m.outgoing {
                    format!("to {}", m.peer)
                } else {
                    format!("from {}", m.sender)
                };
                output::message(
                    m.id,
                    m.posted,
                    &arrow,
                    None,
                    &m.content,
                    &Default::default(),
                );
            }
            Ok(())
        }
    }
}

/// Whether a message with a disappearing timer has expired.
fn expired(posted: f64, timer: Option<u32>) -> bool {
    timer.is_some_and(|t| t > 0 && now_secs() - posted > f64::from(t))
}

/// The room named by `--via`, or the first joined room.
fn via_room(ctx: &Ctx, via: Option<String>) -> Result<String> {
    match via {
        Some(room) => Ok(room),
        None => ctx
            .state()?
            .rooms
            .first()
            .map(|r| r.token.clone())
            .ok_or_else(|| {
                Error::usage("join a room first: DMs travel through a community server")
            }),
    }
}

/// Seconds since the Unix epoch.
pub(crate) fn now_secs() -> f64 {
    now_ms() as f64 / 1000.0
}
