//! Printing helpers: times, messages, QR codes.

use sogs_client::content::{AttachmentPointer, Content};
use sogs_client::error::Result;
use sogs_protocol::api::messages::Reactions;

/// `YYYY-MM-DD HH:MM:SS` (UTC) of a Unix time in seconds.
pub(crate) fn time(secs: f64) -> String {
    let (y, m, d, h, mi, s) = sogs_protocol::time::utc_parts(secs.max(0.0));
    format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02}:{s:02}")
}

/// One line per message: `[id] time name (sender) [tag]: text`, then attachments and
/// reactions. `tag` is a room message's signature check (`verified` / `UNVERIFIED`).
pub(crate) fn message(
    id: i64,
    posted: f64,
    sender: &str,
    tag: Option<&str>,
    content: &Content,
    reactions: &Reactions,
) {
    let dm = content.data_message.clone().unwrap_or_default();
    let name = dm
        .profile
        .and_then(|p| p.display_name)
        .unwrap_or_else(|| "(no name)".into());
    let tag = tag.map(|t| format!(" {t}")).unwrap_or_default();
    println!(
        "[{id}] {} {name} ({sender}){tag}: {}",
        time(posted),
        dm.body.unwrap_or_default()
    );
    for a in &dm.attachments {
        println!("    {}", attachment(a));
    }
    if !reactions.is_empty() {
        let list: Vec<String> = reactions
            .iter()
            .map(|(e, r)| format!("{e} ×{}", r.count))
            .collect();
        println!("    reactions: {}", list.join("  "));
    }
}

/// `voice message`/`attachment`, with name, type, size and file id (and `encrypted` for a
/// group attachment).
fn attachment(a: &AttachmentPointer) -> String {
    let kind = if a.flags == Some(1) {
        "voice message"
    } else {
        "attachment"
    };
    let encrypted = if a.key.is_some() { " (encrypted)" } else { "" };
    format!(
        "{kind}: {} ({}, {} bytes) file {}{encrypted}",
        a.file_name.as_deref().unwrap_or("-"),
        a.content_type.as_deref().unwrap_or("?"),
        a.size.unwrap_or(0),
        a.id.map_or_else(|| "?".into(), |i| i.to_string())
    )
}

/// Draws `text` as a QR code with Unicode half blocks.
pub(crate) fn print_qr(text: &str) -> Result<()> {
    let code = qrcode::QrCode::new(text.as_bytes())
        .map_err(|e| sogs_client::error::Error::usage(format!("QR code: {e}")))?;
    let art = code
        .render::<qrcode::render::unicode::Dense1x2>()
        .quiet_zone(true)
        .build();
    println!("{art}");
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn formats_utc_times() {
        assert_eq!(super::time(0.0), "1970-01-01 00:00:00");
        assert_eq!(super::time(1_700_000_000.5), "2023-11-14 22:13:20");
    }
}
