//! `sogs-admin moderator add|remove`, `ban`, `unban`: the same actions (and log entries) as the
//! `/user/<id>/…` routes, done by the operator.

use anyhow::{Context as _, bail};
use serde_json::json;
use sogs_protocol::ids::UserId;
use sogs_server::actions::{self, Parties};
use sogs_server::domain::moderation::{ModChange, parse_duration};
use sogs_server::storage::rooms;

use crate::context::Context;

/// Which rooms a command applies to.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Where {
    /// Room tokens (repeatable).
    #[arg(long = "room", conflicts_with_all = ["all_rooms", "global"])]
    rooms: Vec<String>,
    /// Every room.
    #[arg(long, conflicts_with = "global")]
    all_rooms: bool,
    /// Server-wide.
    #[arg(long)]
    global: bool,
}

/// Moderator subcommands.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum ModeratorCommand {
    /// Appoint moderators (or admins with --admin).
    Add {
        /// Session ids (05, 15 or 25).
        #[arg(required = true)]
        ids: Vec<String>,
        #[command(flatten)]
        place: Where,
        /// Make them admins.
        #[arg(long)]
        admin: bool,
        /// List them publicly (default for room grants).
        #[arg(long, conflicts_with = "hidden")]
        visible: bool,
        /// Hide them (default for global grants).
        #[arg(long)]
        hidden: bool,
    },
    /// Remove moderator and admin powers.
    Remove {
        /// Session ids (05, 15 or 25).
        #[arg(required = true)]
        ids: Vec<String>,
        #[command(flatten)]
        place: Where,
    },
}

/// Runs a moderator subcommand.
pub(crate) async fn run_moderator(cmd: ModeratorCommand, ctx: &Context) -> anyhow::Result<()> {
    let (ids, place, change, visible) = match cmd {
        ModeratorCommand::Add { ids, place, admin, visible, hidden } => {
            let change = if admin { ModChange::AddAdmin } else { ModChange::AddModerator };
            (ids, place, change, if visible || hidden { Some(visible) } else { None })
        }
        ModeratorCommand::Remove { ids, place } => (ids, place, ModChange::RemoveModerator, None),
    };
    let rooms = room_ids(ctx, &place).await?;
    let visible = visible.unwrap_or(rooms.is_some());
    for id in ids {
        let target = target(ctx, &id).await?;
        let who = Parties { actor: None, target };
        actions::set_moderator(ctx.pool(), who, rooms.as_deref(), change, visible).await?;
        println!("{id}: {}", change.action());
    }
    Ok(())
}

/// Bans a user, optionally for a duration such as `1d`, `2h` or `30m`.
pub(crate) async fn run_ban(id: String, place: Where, duration: Option<String>, ctx: &Context) -> anyhow::Result<()> {
    let seconds = duration.map(|d| parse_duration(&d)).transpose().map_err(anyhow::Error::msg)?;
    let rooms = room_ids(ctx, &place).await?;
    let target = target(ctx, &id).await?;
    let until = seconds.map(|s| sogs_server::cleanup::unix_now() + s);
    actions::ban(ctx.pool(), Parties { actor: None, target }, rooms.as_deref(), until).await?;
    println!("{}", json!({ "banned": id, "until": until }));
    Ok(())
}

/// Lifts a user's ban.
pub(crate) async fn run_unban(id: String, place: Where, ctx: &Context) -> anyhow::Result<()> {
    let rooms = room_ids(ctx, &place).await?;
    let target = target(ctx, &id).await?;
    actions::unban(ctx.pool(), Parties { actor: None, target }, rooms.as_deref()).await?;
    println!("{}", json!({ "unbanned": id }));
    Ok(())
}

/// `None` for global; otherwise the ids of the named rooms (or of every room).
async fn room_ids(ctx: &Context, place: &Where) -> anyhow::Result<Option<Vec<i64>>> {
    if place.global {
        return Ok(None);
    }
    if place.all_rooms {
        return Ok(Some(rooms::list_all(ctx.pool()).await?.into_iter().map(|r| r.id).collect()));
    }
    if place.rooms.is_empty() {
        bail!("say where: --room TOKEN…, --all-rooms or --global");
    }
    let mut ids = Vec::new();
    for token in &place.rooms {
        let room = rooms::find_by_token(ctx.pool(), token).await?.with_context(|| format!("no such room: {token}"))?;
        ids.push(room.id);
    }
    Ok(Some(ids))
}

async fn target(ctx: &Context, id: &str) -> anyhow::Result<i64> {
    let parsed = UserId::parse(&id.to_ascii_lowercase()).map_err(|e| anyhow::anyhow!("invalid session id {id}: {e}"))?;
    let require_blind = ctx.settings.users.require_blind_keys;
    Ok(actions::resolve_user(ctx.pool(), ctx.keys.public(), require_blind, &parsed).await?)
}
