//! `id new | restore | show | name`: the profile's identity and display name.

use clap::Subcommand;
use sogs_client::error::{Error, Result};
use sogs_client::identity::Identity;

use super::Ctx;
use super::output::print_qr;

#[derive(Debug, Subcommand)]
pub(crate) enum IdCommand {
    /// Create a new identity; prints its Session ID and 13-word recovery phrase.
    New {
        /// Display name shown with your messages.
        #[arg(long)]
        name: Option<String>,
        /// Replace an existing identity.
        #[arg(long)]
        force: bool,
    },
    /// Restore an identity from its 13-word recovery phrase.
    Restore {
        /// The words (one argument or thirteen).
        #[arg(required = true, num_args = 1..)]
        phrase: Vec<String>,
        /// Display name shown with your messages.
        #[arg(long)]
        name: Option<String>,
        /// Replace an existing identity.
        #[arg(long)]
        force: bool,
    },
    /// Show the Session ID (and, with --qr, a QR code of it).
    Show {
        /// Also draw the Session ID as a QR code.
        #[arg(long)]
        qr: bool,
    },
    /// Set the display name.
    Name {
        /// The new display name.
        name: String,
    },
}

/// Runs an `id` command.
pub(crate) fn run(ctx: &Ctx, cmd: IdCommand) -> Result<()> {
    match cmd {
        IdCommand::New { name, force } => {
            let identity = Identity::generate(&mut rand_core::OsRng);
            save(ctx, &identity, name, force)?;
            let phrase = identity
                .recovery_phrase()
                .ok_or_else(|| Error::usage("no recovery phrase"))?;
            println!("Session ID: {}", identity.session_id());
            println!("Recovery phrase: {}", phrase.as_str());
            Ok(())
        }
        IdCommand::Restore {
            phrase,
            name,
            force,
        } => {
            let identity = Identity::from_phrase(&phrase.join(" "))
                .map_err(|e| Error::usage(format!("invalid recovery phrase: {e}")))?;
            save(ctx, &identity, name, force)?;
            println!("Session ID: {}", identity.session_id());
            Ok(())
        }
        IdCommand::Show { qr } => {
            let id = ctx.profile.identity()?.session_id();
            let state = ctx.state()?;
            println!("Session ID: {id}");
            if let Some(name) = state.display_name {
                println!("Display name: {name}");
            }
            if qr {
                print_qr(id.as_str())?;
            }
            Ok(())
        }
        IdCommand::Name { name } => {
            ctx.profile.identity()?;
            let mut state = ctx.state()?;
            state.display_name = Some(name);
            Ok(ctx.profile.save_state(&state)?)
        }
    }
}

/// Stores the identity and the display name.
fn save(ctx: &Ctx, identity: &Identity, name: Option<String>, force: bool) -> Result<()> {
    ctx.profile.save_identity(identity, force)?;
    let mut state = ctx.state()?;
    if name.is_some() {
        state.display_name = name;
    }
    Ok(ctx.profile.save_state(&state)?)
}
