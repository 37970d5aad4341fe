//! `sogs-admin moderator add|remove`, `ban`, `unban`: the same actions (and log entries) as the
//! `/user/<id>/…` routes, done by the operator.

use anyhow::{Context as _, bail};
use serde_json::json;
use sogs_protocol::ids::UserId;
use sogs_server::actions::{self, Parties};
use sogs_server::domain::moderation::{ModChange, parse_duration};
use sogs_server::storage::{moderation, rooms};

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
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Remove moderator and admin powers.
    Remove {
        /// Session ids (05, 15 or 25).
        #[arg(required = true)]
        ids: Vec<String>,
        #[command(flatten)]
        place: Where,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List the global moderators and admins.
    List {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// Runs a moderator subcommand.
pub(crate) async fn run_moderator(cmd: ModeratorCommand, ctx: &Context) -> anyhow::Result<()> {
    let (ids, place, change, visible, json) = match cmd {
        ModeratorCommand::Add {
            ids,
            place,
            admin,
            visible,
            hidden,
            json,
        } => {
            let change = if admin {
                ModChange::AddAdmin
            } else {
                ModChange::AddModerator
            };
            (
                ids,
                place,
                change,
                if visible || hidden {
                    Some(visible)
                } else {
                    None
                },
                json,
            )
        }
        ModeratorCommand::Remove { ids, place, json } => {
            (ids, place, ModChange::RemoveModerator, None, json)
        }
        ModeratorCommand::List { json } => return list(ctx, json).await,
    };
    let rooms = room_ids(ctx, &place).await?;
    let visible = visible.unwrap_or(rooms.is_some());
    for id in ids {
        let target = target(ctx, &id).await?;
        let who = Parties {
            actor: None,
            target,
        };
        let updates =
            actions::set_moderator(ctx.pool(), who, rooms.as_deref(), change, visible).await?;
        let touched: Vec<&str> = updates.iter().map(|(t, _)| t.as_str()).collect();
        print(
            json,
            json!({ "user": id, "action": change.action().as_str(), "visible": visible, "rooms": touched }),
        );
    }
    Ok(())
}

async fn list(ctx: &Context, json: bool) -> anyhow::Result<()> {
    let mods = moderation::global_moderators(ctx.pool()).await?;
    if json {
        println!("{}", serde_json::to_string(&mods)?);
        return Ok(());
    }
    let count = |admin: bool, hidden: bool| {
        mods.iter()
            .filter(|m| m.admin == admin && (!hidden || !m.visible))
            .count()
    };
    println!(
        "{} global admins ({} hidden), {} moderators ({} hidden):",
        count(true, false),
        count(true, true),
        count(false, false),
        count(false, true)
    );
    for m in &mods {
        let role = if m.admin { "admin" } else { "moderator" };
        println!(
            "- {} ({}{role})",
            m.session_id,
            if m.visible { "" } else { "hidden " }
        );
    }
    Ok(())
}

fn print(json: bool, value: serde_json::Value) {
    if json {
        println!("{value}");
    } else {
        let what: Vec<String> = value
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        println!("{}", what.join(" "));
    }
}

/// Bans a user, optionally for a duration such as `1d`, `2h` or `30m`.
pub(crate) async fn run_ban(
    id: String,
    place: Where,
    duration: Option<String>,
    json: bool,
    ctx: &Context,
) -> anyhow::Result<()> {
    let seconds = duration
        .map(|d| parse_duration(&d))
        .transpose()
        .map_err(anyhow::Error::msg)?;
    let rooms = room_ids(ctx, &place).await?;
    let target = target(ctx, &id).await?;
    let until = seconds.map(|s| sogs_server::clock::unix_now() + s);
    actions::ban(
        ctx.pool(),
        Parties {
            actor: None,
            target,
        },
        rooms.as_deref(),
        until,
    )
    .await?;
    print(json, json!({ "banned": id, "until": until }));
    Ok(())
}

/// Lifts a user's ban.
pub(crate) async fn run_unban(
    id: String,
    place: Where,
    json: bool,
    ctx: &Context,
) -> anyhow::Result<()> {
    let rooms = room_ids(ctx, &place).await?;
    let target = target(ctx, &id).await?;
    actions::unban(
        ctx.pool(),
        Parties {
            actor: None,
            target,
        },
        rooms.as_deref(),
    )
    .await?;
    print(json, json!({ "unbanned": id }));
    Ok(())
}

/// `None` for global; otherwise the ids of the named rooms (or of every room).
async fn room_ids(ctx: &Context, place: &Where) -> anyhow::Result<Option<Vec<i64>>> {
    if place.global {
        return Ok(None);
    }
    if place.all_rooms {
        return Ok(Some(
            rooms::list_all(ctx.pool())
                .await?
                .into_iter()
                .map(|r| r.id)
                .collect(),
        ));
    }
    if place.rooms.is_empty() {
        bail!("say where: --room TOKEN…, --all-rooms or --global");
    }
    let mut ids = Vec::new();
    for token in &place.rooms {
        let room = rooms::find_by_token(ctx.pool(), token)
            .await?
            .with_context(|| format!("no such room: {token}"))?;
        ids.push(room.id);
    }
    Ok(Some(ids))
}

/// The user row a command on `id` applies to (a `05` id finds the blinded user, see
/// `actions::resolve_user`).
pub(crate) async fn target(ctx: &Context, id: &str) -> anyhow::Result<i64> {
    let parsed = UserId::parse(&id.to_ascii_lowercase())
        .map_err(|e| anyhow::anyhow!("invalid session id {id}: {e}"))?;
    let require_blind = ctx.settings.users.require_blind_keys;
    Ok(actions::resolve_user(ctx.pool(), ctx.keys.public(), require_blind, &parsed).await?)
}
