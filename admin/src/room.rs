//! `sogs-admin room …`: add, list, show, update, delete rooms and print their join URLs.

use std::io::{BufRead, Write};

use anyhow::{Context as _, bail};
use serde_json::json;
use sogs_protocol::ids::RoomToken;
use sogs_server::actions::{self, RoomUpdate};
use sogs_server::domain::permissions::RoomDefaults;
use sogs_server::domain::room::{Room, clean_description, clean_name};
use sogs_server::storage::rooms::{self, NewRoom, RoomChanges};
use sogs_server::storage::stats::{self, RoomStats};

use crate::context::Context;

/// Room subcommands.
#[derive(Debug, clap::Subcommand)]
pub(crate) enum Command {
    /// Create a room.
    Add {
        /// Room token: 1–64 of A–Z, a–z, 0–9, '_' and '-'; used in the join URL.
        token: String,
        /// Display name (default: the token).
        #[arg(long)]
        name: Option<String>,
        /// Description.
        #[arg(long)]
        description: Option<String>,
        /// Default permissions as letters: r(ead) w(rite) u(pload) a(ccessible); default rwua.
        #[arg(long, default_value = "rwua")]
        perms: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// List every room.
    List {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Show one room.
    Show {
        /// Room token (any case).
        token: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Change a room's name, description or default permissions.
    Update {
        /// Room token (any case).
        token: String,
        /// New display name.
        #[arg(long)]
        name: Option<String>,
        /// New description; an empty string removes it.
        #[arg(long)]
        description: Option<String>,
        /// New default permissions as letters (rwua).
        #[arg(long)]
        perms: Option<String>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Delete a room with all its messages and files.
    #[command(
        after_help = "This cannot be undone: every message, reaction and file of the room is deleted."
    )]
    Delete {
        /// Room token (any case).
        token: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Set the room image from a file (it never expires; the previous image does).
    Image {
        /// Room token (any case).
        token: String,
        /// Image file to upload.
        file: std::path::PathBuf,
    },
    /// Print the room's join URL.
    Url {
        /// Room token (any case).
        token: String,
    },
}

/// Runs one room subcommand.
pub(crate) async fn run(cmd: Command, ctx: &Context) -> anyhow::Result<()> {
    match cmd {
        Command::Add {
            token,
            name,
            description,
            perms,
            json,
        } => {
            let token = RoomToken::parse(&token)
                .with_context(|| format!("invalid room token {token:?}"))?;
            let defaults = RoomDefaults::from_letters(&perms)?;
            let name = clean_name(name.as_deref().unwrap_or(token.as_str()))?;
            let description = description
                .as_deref()
                .map(clean_description)
                .transpose()?
                .flatten();
            let new = NewRoom {
                token: token.as_str(),
                name: &name,
                description: description.as_deref(),
                defaults,
            };
            let room = rooms::insert(ctx.pool(), &new).await?;
            warn_without_base_url(ctx);
            print_room(ctx, &room, json).await?;
        }
        Command::List { json } => {
            let all = rooms::list_all(ctx.pool()).await?;
            if json {
                let mut list = Vec::with_capacity(all.len());
                for room in &all {
                    let stats =
                        stats::room_stats(ctx.pool(), room.id, sogs_server::clock::unix_now())
                            .await?;
                    list.push(room_json(ctx, room, &stats));
                }
                println!("{}", serde_json::Value::Array(list));
            } else if all.is_empty() {
                println!("No rooms.");
            } else {
                for room in &all {
                    print_room(ctx, room, false).await?;
                    println!();
                }
            }
        }
        Command::Show { token, json } => {
            let room = find(ctx, &token).await?;
            warn_without_base_url(ctx);
            print_room(ctx, &room, json).await?;
        }
        Command::Update {
            token,
            name,
            description,
            perms,
            json,
        } => {
            let room = find(ctx, &token).await?;
            let changes = RoomChanges {
                name: name.as_deref().map(clean_name).transpose()?,
                description: description.as_deref().map(clean_description).transpose()?,
                defaults: perms
                    .as_deref()
                    .map(RoomDefaults::from_letters)
                    .transpose()?,
            };
            if changes.name.is_none() && changes.description.is_none() && changes.defaults.is_none()
            {
                bail!("nothing to update: give --name, --description or --perms");
            }
            let defaults = changes.defaults.is_some();
            let fields: Vec<&str> = [
                ("name", changes.name.is_some()),
                ("description", changes.description.is_some()),
                ("default_read", defaults),
                ("default_accessible", defaults),
                ("default_write", defaults),
                ("default_upload", defaults),
            ]
            .into_iter()
            .filter_map(|(field, changed)| changed.then_some(field))
            .collect();
            let updated =
                match actions::update_room(ctx.pool(), None, room.id, &changes, None, &fields)
                    .await?
                {
                    RoomUpdate::Updated(updated) => updated.context("room vanished")?,
                    RoomUpdate::NoSuchImage => bail!("no such image"),
                };
            print_room(ctx, &updated, json).await?;
        }
        Command::Delete { token, yes } => {
            let room = find(ctx, &token).await?;
            print_room(ctx, &room, false).await?;
            if !yes && !confirm("Are you sure you want to delete this room?")? {
                bail!("not deleted");
            }
            actions::delete_room(ctx.pool(), None, &room).await?;
            println!("Room deleted.");
        }
        Command::Image { token, file } => {
            let room = find(ctx, &token).await?;
            let content =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
            let id = actions::set_room_image(ctx.pool(), None, room.id, &content, name.as_deref())
                .await?;
            println!("Room image set (file {id}).");
        }
        Command::Url { token } => {
            let room = find(ctx, &token).await?;
            warn_without_base_url(ctx);
            println!(
                "{}",
                room.join_url(&ctx.settings.base_url(), &ctx.pubkey_hex())
            );
        }
    }
    Ok(())
}

/// Warns on stderr that join URLs built from the listening address (no `server.base_url`)
/// only work on this machine.
fn warn_without_base_url(ctx: &Context) {
    if ctx.settings.server.base_url.is_empty() {
        eprintln!(
            "warning: no server.base_url is configured, so the URL uses the listening address {}: \
             the URL only works on this machine; set server.base_url in the config",
            ctx.settings.server.listen
        );
    }
}

/// The room's message retention as shown by `room show`.
fn retention_text(days: f64) -> String {
    if days <= 0.0 {
        "keep forever".to_owned()
    } else if days == 1.0 {
        "1 day".to_owned()
    } else {
        format!("{days} days")
    }
}

async fn find(ctx: &Context, token: &str) -> anyhow::Result<Room> {
    rooms::find_by_token(ctx.pool(), token)
        .await?
        .with_context(|| format!("no such room: {token}"))
}

pub(crate) fn confirm(question: &str) -> anyhow::Result<bool> {
    print!("{question} [yN] ");
    std::io::stdout().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}

fn room_json(ctx: &Context, room: &Room, stats: &RoomStats) -> serde_json::Value {
    json!({
        "token": room.token,
        "name": room.name,
        "description": room.description,
        "url": room.join_url(&ctx.settings.base_url(), &ctx.pubkey_hex()),
        "created": room.created,
        "message_sequence": room.message_sequence,
        "info_updates": room.info_updates,
        "active_users": room.active_users,
        "default_permissions": room.defaults.to_letters(),
        "retention_days": ctx.settings.retention_days_for(&room.token),
        "stats": stats,
    })
}

async fn print_room(ctx: &Context, room: &Room, json: bool) -> anyhow::Result<()> {
    let stats = stats::room_stats(ctx.pool(), room.id, sogs_server::clock::unix_now()).await?;
    if json {
        println!("{}", room_json(ctx, room, &stats));
        return Ok(());
    }
    println!("{}", room.token);
    println!("{}", "=".repeat(room.token.len()));
    println!("Name: {}", room.name);
    println!("Description: {}", room.description.as_deref().unwrap_or(""));
    println!(
        "URL: {}",
        room.join_url(&ctx.settings.base_url(), &ctx.pubkey_hex())
    );
    println!(
        "Messages: {} ({:.1} MB)",
        stats.messages,
        megabytes(stats.message_bytes)
    );
    println!(
        "Attachments: {} ({:.1} MB)",
        stats.attachments,
        megabytes(stats.attachment_bytes)
    );
    let top: Vec<String> = stats
        .top_reactions
        .iter()
        .map(|(r, n)| format!("{r} ({n})"))
        .collect();
    println!("Reactions: {}; top 5: {}", stats.reactions, top.join(", "));
    let [d1, d7, d14, d30] = stats.active;
    println!("Active users: {d1} (1d), {d7} (7d), {d14} (14d), {d30} (30d)");
    println!("Default permissions: {}", room.defaults.describe());
    println!(
        "Retention: {}",
        retention_text(ctx.settings.retention_days_for(&room.token))
    );
    let [admins, hidden_admins, mods, hidden_mods] = stats.moderators;
    println!(
        "Moderators: {} admins ({hidden_admins} hidden), {} moderators ({hidden_mods} hidden)",
        admins + hidden_admins,
        mods + hidden_mods
    );
    Ok(())
}

fn megabytes(bytes: i64) -> f64 {
    bytes as f64 / 1_000_000.0
}
