//! `sogs-admin user purge`: delete every post of a user, in one room or everywhere.

use anyhow::{Context as _, bail};
use serde_json::{Map, Value, json};
use sogs_server::actions::{self, Parties};
use sogs_server::storage::rooms;

use crate::context::Context;
use crate::moderation::target;
use crate::room::confirm;

/// User subcommands.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Delete every post of a user (their uploads expire).
    #[command(after_help = "This cannot be undone.")]
    Purge {
        /// Session id (05, 15 or 25).
        id: String,
        /// Only this room (default: every room).
        #[arg(long)]
        room: Option<String>,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// Runs a user subcommand.
pub(crate) async fn run(cmd: Command, ctx: &Context) -> anyhow::Result<()> {
    let Command::Purge {
        id,
        room,
        yes,
        json,
    } = cmd;
    let rooms = match &room {
        Some(token) => vec![
            rooms::find_by_token(ctx.pool(), token)
                .await?
                .with_context(|| format!("no such room: {token}"))?,
        ],
        None => rooms::list_all(ctx.pool()).await?,
    };
    let question = format!("Delete every post of {id} in {} room(s)?", rooms.len());
    if !yes && !confirm(&question)? {
        bail!("nothing deleted");
    }
    let who = Parties {
        actor: None,
        target: target(ctx, &id).await?,
    };
    let (mut total, mut counts) = (0, Map::new());
    for room in rooms {
        let n = actions::delete_posts(ctx.pool(), who, room.id).await?;
        total += n;
        counts.insert(room.token, Value::from(n));
    }
    if json {
        println!("{}", json!({ "total": total, "rooms": counts }));
    } else {
        println!("Deleted {total} post(s).");
    }
    Ok(())
}
