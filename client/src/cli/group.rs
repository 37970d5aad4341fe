//! `group create | add | remove | send | read | members`: end-to-end encrypted closed groups
//! in a private room (see docs/CLIENT.md).

use std::path::{Path, PathBuf};

use clap::Subcommand;
use sogs_client::community::{Community, message_content, now_ms};
use sogs_client::error::{Error, Result};
use sogs_client::group::{GroupState, ops};
use sogs_client::profile::State;
use sogs_client::room_url::RoomUrl;

use super::Ctx;
use super::community::{guess_type, open};
use super::output;

#[derive(Debug, Subcommand)]
pub(crate) enum GroupCommand {
    /// Create a group in a joined private room where you are a moderator.
    Create {
        /// The group's name.
        name: String,
        /// The joined room holding the group's messages.
        #[arg(long)]
        room: String,
    },
    /// Add a member (05 Session ID): grant room access and send them the group keys.
    Add {
        /// Group id or name.
        group: String,
        /// The member's Session ID.
        member: String,
        /// Do not call the permissions endpoint (access is granted another way).
        #[arg(long)]
        no_grant: bool,
    },
    /// Remove a member: revoke room access and rotate the key.
    Remove {
        /// Group id or name.
        group: String,
        /// The member's Session ID.
        member: String,
        /// Do not call the permissions endpoint.
        #[arg(long)]
        no_grant: bool,
    },
    /// Send an encrypted message (text, an encrypted attachment, or both) to the group.
    Send {
        /// Group id or name.
        group: String,
        /// The text.
        text: Option<String>,
        /// Attach a file, encrypted with a fresh key carried inside the group message.
        #[arg(long)]
        attach: Option<PathBuf>,
        /// The attachment's content type (guessed from its extension otherwise).
        #[arg(long = "type")]
        content_type: Option<String>,
    },
    /// Fetch new keys (from DMs) and read the group's messages.
    Read {
        /// Group id or name; omit to only fetch keys (through --via).
        group: Option<String>,
        /// The joined room whose inbox holds group invitations (default: all joined rooms).
        #[arg(long)]
        via: Option<String>,
    },
    /// List groups, or a group's members.
    Members {
        /// Group id or name.
        group: Option<String>,
    },
}

/// Runs a `group` command.
pub(crate) async fn run(ctx: &Ctx, cmd: GroupCommand) -> Result<()> {
    let identity = ctx.profile.identity()?;
    let mut state = ctx.state()?;
    match cmd {
        GroupCommand::Create { name, room } => {
            let joined = state
                .room(&room)
                .cloned()
                .ok_or_else(|| Error::usage(format!("unknown room {room}")))?;
            let group = GroupState::create(&identity, &name, &joined.url);
            // The record (with the seed) goes to our own account, for our other devices.
            let (room, _) = open(ctx, &joined.token)?;
            ops::distribute(&room, &identity, &group).await?;
            println!("created group {} ({name}) in {}", group.id, joined.token);
            state.groups.push(group);
        }
        GroupCommand::Add {
            group,
            member,
            no_grant,
        } => {
            let (room, mut g) = group_room(ctx, &state, &group)?;
            ops::add_member(&mut g, &member)?;
            if !no_grant {
                ops::set_access(&room, &member, true).await?;
            }
            ops::distribute(&room, &identity, &g).await?;
            replace(&mut state, g);
        }
        GroupCommand::Remove {
            group,
            member,
            no_grant,
        } => {
            let (room, mut g) = group_room(ctx, &state, &group)?;
            ops::remove_member(&mut g, &member)?;
            if !no_grant {
                ops::set_access(&room, &member, false).await?;
            }
            ops::distribute(&room, &identity, &g).await?;
            replace(&mut state, g);
        }
        GroupCommand::Send {
            group,
            text,
            attach,
            content_type,
        } => {
            if text.is_none() && attach.is_none() {
                return Err(Error::usage("give a text, --attach FILE, or both"));
            }
            // Fetch key updates first, so we never encrypt with a key that was rotated out.
            sync_all(ctx, &mut state, None).await?;
            let (room, g) = group_room(ctx, &state, &group)?;
            let mut attachments = Vec::new();
            if let Some(path) = &attach {
                let (bytes, content_type, name) = read_attachment(path, content_type)?;
                let pointer =
                    ops::upload_attachment(&room, &g, &bytes, &content_type, name.as_deref())
                        .await?;
                attachments.push(pointer);
            }
            let text = text.unwrap_or_default();
            let name = state.display_name.as_deref();
            let content = message_content(&text, name, attachments, now_ms());
            let id = ops::send(&room, &identity, &g, &content).await?;
            println!("sent group message {id}");
        }
        GroupCommand::Read { group, via } => read(ctx, &mut state, group, via).await?,
        GroupCommand::Members { group } => {
            members(&state, group)?;
            return Ok(());
        }
    }
    Ok(ctx.profile.save_state(&state)?)
}

/// Fetches key records from the inboxes, then prints the group's messages.
async fn read(
    ctx: &Ctx,
    state: &mut State,
    group: Option<String>,
    via: Option<String>,
) -> Result<()> {
    sync_all(ctx, state, via).await?;
    let Some(group) = group else { return Ok(()) };
    let (room, g) = group_room(ctx, state, &group)?;
    let (messages, unreadable) = ops::read(&room, &g).await?;
    for m in messages {
        output::message(
            m.id,
            m.posted,
            m.sender.as_str(),
            None,
            &m.content,
            &Default::default(),
        );
    }
    if unreadable > 0 {
        println!("({unreadable} message(s) could not be decrypted with this member's keys)");
    }
    Ok(())
}

/// Takes key records from the inbox of `via` (default: every joined room's server).
async fn sync_all(ctx: &Ctx, state: &mut State, via: Option<String>) -> Result<()> {
    let identity = ctx.profile.identity()?;
    let rooms: Vec<String> = match via {
        Some(room) => vec![room],
        // One room per server: a server has one inbox per user.
        None => {
            let mut servers = std::collections::HashSet::new();
            state
                .rooms
                .iter()
                .filter(|r| servers.insert(RoomUrl::parse(&r.url).map(|u| u.server).ok()))
                .map(|r| r.token.clone())
                .collect()
        }
    };
    for room in rooms {
        let (community, _) = open(ctx, &room)?;
        let mut mailbox = std::mem::take(state.mailbox(&community));
        let synced = ops::sync(&community, &identity, &mut mailbox, &mut state.groups).await;
        *state.mailbox(&community) = mailbox;
        let n = synced?;
        if n > 0 {
            println!("received {n} group key update(s) via {room}");
        }
    }
    Ok(())
}

/// Prints the groups, or one group's members.
fn members(state: &State, group: Option<String>) -> Result<()> {
    match group {
        None => state
            .groups
            .iter()
            .for_each(|g| println!("{}\t{}\t{} members", g.id, g.name, g.members.len())),
        Some(name) => {
            let g = find(state, &name)?;
            for m in &g.members {
                let role = if *m == g.admin { " (admin)" } else { "" };
                println!("{m}{role}");
            }
        }
    }
    Ok(())
}

/// Reads a file to attach: its bytes, content type and file name.
pub(crate) fn read_attachment(
    path: &Path,
    content_type: Option<String>,
) -> Result<(Vec<u8>, String, Option<String>)> {
    let bytes = std::fs::read(path)
        .map_err(|e| Error::usage(format!("cannot read {}: {e}", path.display())))?;
    let content_type = content_type.unwrap_or_else(|| guess_type(path).to_owned());
    let name = path.file_name().and_then(|n| n.to_str()).map(str::to_owned);
    Ok((bytes, content_type, name))
}

/// The group named `name` (id or name).
pub(crate) fn find<'a>(state: &'a State, name: &str) -> Result<&'a GroupState> {
    state
        .groups
        .iter()
        .find(|g| g.id == name || g.name == name)
        .ok_or_else(|| Error::usage(format!("unknown group {name}")))
}

/// The group and its room.
pub(crate) fn group_room(ctx: &Ctx, state: &State, name: &str) -> Result<(Community, GroupState)> {
    let g = find(state, name)?.clone();
    let (room, _) = open(ctx, &g.room)
        .map_err(|_| Error::usage(format!("join the group's room first: {}", g.room)))?;
    Ok((room, g))
}

/// Stores an updated group.
fn replace(state: &mut State, group: GroupState) {
    state.groups.retain(|g| g.id != group.id);
    state.groups.push(group);
}
