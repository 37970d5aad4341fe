//! `sogs-admin perms set`: room default permissions, or per-user overrides with `--user`.

use anyhow::{Context as _, bail};
use serde_json::json;
use sogs_server::actions::{self, Parties};
use sogs_server::domain::overrides::OverrideChanges;
use sogs_server::storage::rooms::{self, RoomChanges};

use crate::context::Context;
use crate::moderation::target;

/// Permission subcommands.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Grant (--add), revoke (--remove) or reset (--clear) permissions given as rwua letters.
    Set {
        /// Room token (any case).
        token: String,
        /// Users whose overrides change (repeatable); without it, the room defaults change.
        #[arg(long = "user")]
        users: Vec<String>,
        /// Letters to grant.
        #[arg(long, default_value = "")]
        add: String,
        /// Letters to revoke.
        #[arg(long, default_value = "")]
        remove: String,
        /// Letters to reset to the room default (users only).
        #[arg(long, default_value = "")]
        clear: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// Runs a permission subcommand.
pub(crate) async fn run(cmd: Command, ctx: &Context) -> anyhow::Result<()> {
    let Command::Set {
        token,
        users,
        add,
        remove,
        clear,
        json,
    } = cmd;
    let changes =
        OverrideChanges::from_letters(&add, &remove, &clear).map_err(anyhow::Error::msg)?;
    if changes.is_empty() {
        bail!("nothing to change: give --add, --remove or --clear letters");
    }
    let room = rooms::find_by_token(ctx.pool(), &token)
        .await?
        .with_context(|| format!("no such room: {token}"))?;
    if users.is_empty() {
        let defaults = changes
            .apply_to_defaults(room.defaults)
            .map_err(anyhow::Error::msg)?;
        let mut conn = ctx.pool().acquire().await?;
        let update = RoomChanges {
            defaults: Some(defaults),
            ..RoomChanges::default()
        };
        rooms::update(&mut conn, room.id, &update)
            .await?
            .context("room vanished")?;
        print(
            json,
            json!({ "room": room.token, "default_permissions": defaults.to_letters() }),
        );
        return Ok(());
    }
    let details = json!({ "add": add, "remove": remove, "clear": clear });
    for id in users {
        let who = Parties {
            actor: None,
            target: target(ctx, &id).await?,
        };
        actions::set_permissions(ctx.pool(), who, room.id, &changes, false, details.clone())
            .await?;
        print(
            json,
            json!({ "room": room.token, "user": id, "add": add, "remove": remove, "clear": clear }),
        );
    }
    Ok(())
}

fn print(json: bool, value: serde_json::Value) {
    if json {
        println!("{value}");
    } else if let Some(letters) = value.get("default_permissions") {
        println!("{}: default permissions now {letters}", value["room"]);
    } else {
        println!(
            "{}: permissions of {} updated",
            value["room"], value["user"]
        );
    }
}
