//! Room commands: `join`, `rooms`, `read`, `post`, `react`, `download`, `delete`, `timer`.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use sogs_client::community::{Community, RoomMessage};
use sogs_client::error::{Error, Result};
use sogs_client::group::ops;
use sogs_client::profile::JoinedRoom;
use sogs_client::room_url::RoomUrl;

use super::Ctx;
use super::output;

#[derive(Debug, Args)]
pub(crate) struct JoinArgs {
    /// The room URL.
    url: String,
    /// Also draw the URL as a QR code.
    #[arg(long)]
    qr: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ReadArgs {
    /// Room token (or URL) of a joined room.
    room: String,
    /// Keep polling (every --interval seconds) and print new messages.
    #[arg(long)]
    follow: bool,
    /// Seconds between polls with --follow (Desktop polls every 10).
    #[arg(long, default_value_t = 10)]
    interval: u64,
}

#[derive(Debug, Args)]
pub(crate) struct PostArgs {
    /// Room token (or URL) of a joined room.
    room: String,
    /// The text.
    text: String,
    /// Attach a file (an audio file is sent as a voice message).
    #[arg(long)]
    attach: Option<PathBuf>,
    /// The attachment's content type (guessed from its extension otherwise).
    #[arg(long = "type")]
    content_type: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct ReactArgs {
    /// Room token (or URL) of a joined room.
    room: String,
    /// Message id.
    id: i64,
    /// The emoji.
    emoji: String,
    /// Remove the reaction instead.
    #[arg(long)]
    remove: bool,
}

#[derive(Debug, Args)]
pub(crate) struct DownloadArgs {
    /// Room token (or URL) of a joined room; or a group (id or name), whose attachment is
    /// decrypted.
    room: String,
    /// File id.
    id: u64,
    /// Where to write the file.
    #[arg(short, long)]
    output: PathBuf,
}

#[derive(Debug, Args)]
pub(crate) struct DeleteArgs {
    /// Room token (or URL) of a joined room.
    room: String,
    /// Message id.
    id: i64,
}

#[derive(Debug, Args)]
pub(crate) struct TimerArgs {
    /// Conversation: a room token, a Session/blinded id or a group id.
    conversation: String,
    /// Seconds before a sent message disappears (0 = off).
    seconds: u64,
}

/// The joined room named `room`, as a community seen by our identity.
pub(crate) fn open(ctx: &Ctx, room: &str) -> Result<(Community, JoinedRoom)> {
    let identity = ctx.profile.identity()?;
    let state = ctx.state()?;
    let joined = state.room(room).cloned().ok_or_else(|| {
        Error::usage(format!(
            "unknown room {room}: join it first (sogs-client join <URL>)"
        ))
    })?;
    let url = RoomUrl::parse(&joined.url)?;
    Ok((
        Community::of(&ctx.client(&url)?, &identity, &joined)?,
        joined,
    ))
}

/// `join`.
pub(crate) async fn join(ctx: &Ctx, args: JoinArgs) -> Result<()> {
    let url = RoomUrl::parse(&args.url)?;
    let identity = ctx.profile.identity()?;
    let (_, joined) = Community::join(&ctx.client(&url)?, &identity, url).await?;
    let mut state = ctx.state()?;
    state.rooms.retain(|r| r.url != joined.url);
    println!("joined {} ({}): {}", joined.token, joined.name, joined.url);
    if args.qr {
        output::print_qr(&joined.url)?;
    }
    state.rooms.push(joined);
    Ok(ctx.profile.save_state(&state)?)
}

/// `rooms`.
pub(crate) fn rooms(ctx: &Ctx) -> Result<()> {
    for room in ctx.state()?.rooms {
        println!("{}\t{}\t{}", room.token, room.name, room.url);
    }
    Ok(())
}

/// `read [--follow]`.
pub(crate) async fn read(ctx: &Ctx, args: ReadArgs) -> Result<()> {
    let (community, _) = open(ctx, &args.room)?;
    let timer = ctx.state()?.timers.get(community.token()).copied();
    let mut since = None;
    loop {
        let messages = community.poll(since).await?;
        for m in &messages {
            since = since.max(Some(m.seqno));
            show(&community, m, timer).await;
        }
        if !args.follow {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_secs(args.interval)).await;
    }
}

/// Prints one message, unless it expired under the conversation's timer (our own expired
/// messages are also deleted from the server).
async fn show(community: &Community, m: &RoomMessage, timer: Option<u64>) {
    let Some(content) = &m.content else { return };
    let age = super::dm::now_secs() - m.posted;
    if timer.is_some_and(|t| t > 0 && age > t as f64) {
        if m.sender == community.own_id() && community.delete(m.id).await.is_err() {
            eprintln!("warning: could not delete expired message {}", m.id);
        }
        return;
    }
    let tag = if m.verified { "verified" } else { "UNVERIFIED" };
    output::message(m.id, m.posted, &m.sender, Some(tag), content, &m.reactions);
}

/// `post [--attach FILE]`.
pub(crate) async fn post(ctx: &Ctx, args: PostArgs) -> Result<()> {
    let (community, _) = open(ctx, &args.room)?;
    let mut attachments = Vec::new();
    if let Some(path) = &args.attach {
        let bytes = std::fs::read(path)
            .map_err(|e| Error::usage(format!("cannot read {}: {e}", path.display())))?;
        let content_type = args
            .content_type
            .clone()
            .unwrap_or_else(|| guess_type(path).to_owned());
        let name = path.file_name().and_then(|n| n.to_str());
        attachments.push(community.upload(bytes, &content_type, name).await?);
    }
    let state = ctx.state()?;
    let id = community
        .post_text(&args.text, state.display_name.as_deref(), attachments)
        .await?;
    println!("posted message {id}");
    Ok(())
}

/// A content type from a file extension (audio types mark voice messages).
pub(crate) fn guess_type(path: &std::path::Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ext.as_str() {
        "m4a" | "aac" => "audio/aac",
        "mp3" => "audio/mpeg",
        "ogg" | "oga" | "opus" => "audio/ogg",
        "wav" => "audio/wav",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "txt" => "text/plain",
        _ => "application/octet-stream",
    }
}

/// `react`.
pub(crate) async fn react(ctx: &Ctx, args: ReactArgs) -> Result<()> {
    let (community, _) = open(ctx, &args.room)?;
    community.react(args.id, &args.emoji, args.remove).await
}

/// `download`: a room's file as stored, or a group's attachment decrypted.
pub(crate) async fn download(ctx: &Ctx, args: DownloadArgs) -> Result<()> {
    let state = ctx.state()?;
    let bytes =
        if state.room(&args.room).is_none() && super::group::find(&state, &args.room).is_ok() {
            let (room, group) = super::group::group_room(ctx, &state, &args.room)?;
            ops::download_attachment(&room, &group, args.id).await?
        } else {
            open(ctx, &args.room)?.0.download(args.id).await?
        };
    std::fs::write(&args.output, &bytes)
        .map_err(|e| Error::usage(format!("cannot write {}: {e}", args.output.display())))?;
    println!("saved {} bytes to {}", bytes.len(), args.output.display());
    Ok(())
}

/// `delete`.
pub(crate) async fn delete(ctx: &Ctx, args: DeleteArgs) -> Result<()> {
    let (community, _) = open(ctx, &args.room)?;
    community.delete(args.id).await
}

/// `timer`.
pub(crate) fn timer(ctx: &Ctx, args: TimerArgs) -> Result<()> {
    let mut state = ctx.state()?;
    if args.seconds == 0 {
        state.timers.remove(&args.conversation);
    } else {
        state.timers.insert(args.conversation, args.seconds);
    }
    Ok(ctx.profile.save_state(&state)?)
}
