//! `sogs-admin modlog`: print the moderation log.

use sogs_server::domain::moderation::parse_duration;
use sogs_server::storage::modlog;

use crate::context::Context;

/// Prints logged actions, oldest first, optionally for one room and a recent window
/// (`--since 1d`).
pub(crate) async fn run(
    room: Option<String>,
    since: Option<String>,
    json: bool,
    ctx: &Context,
) -> anyhow::Result<()> {
    let since = match since {
        Some(window) => {
            sogs_server::clock::unix_now() - parse_duration(&window).map_err(anyhow::Error::msg)?
        }
        None => 0.0,
    };
    let entries = modlog::list(ctx.pool(), room.as_deref(), since).await?;
    if json {
        println!("{}", serde_json::to_string(&entries)?);
        return Ok(());
    }
    for e in entries {
        let name = |v: &Option<String>, none: &str| v.clone().unwrap_or_else(|| none.to_owned());
        println!(
            "{:.0} {} {} {} in {} {}",
            e.at,
            name(&e.actor, "(operator)"),
            e.action,
            name(&e.target, "-"),
            name(&e.room, "(global)"),
            e.details
        );
    }
    Ok(())
}
