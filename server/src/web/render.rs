//! The HTML of the pages (maud: checked at compile time, every value escaped).

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::domain::room::Room;

/// Small, readable on a phone, good contrast in light and dark mode.
const STYLE: &str = r#"
:root{color-scheme:light dark;--fg:#16181a;--bg:#fff;--muted:#50565c;--line:#d5d9dd;--link:#00603a;--card:#f5f7f8}
@media (prefers-color-scheme:dark){:root{--fg:#eceef0;--bg:#121416;--muted:#a9b0b6;--line:#33393e;--link:#39e58c;--card:#1c1f22}}
*{box-sizing:border-box}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer{max-width:46rem;margin:0 auto;padding:1rem}
header{border-bottom:1px solid var(--line)}
header a{font-weight:700;text-decoration:none}
a{color:var(--link)}
h1{font-size:1.7rem;line-height:1.2;margin:.5rem 0}
h2{font-size:1.25rem;margin:1.5rem 0 .5rem}
.muted,time{color:var(--muted)}
.desc{white-space:pre-wrap;overflow-wrap:anywhere}
ul.rooms,ol.msgs{list-style:none;padding:0;margin:0}
ul.rooms li,ol.msgs li{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem;margin:.75rem 0}
ul.rooms h2{margin:0;font-size:1.15rem}
ul.rooms p,ol.msgs p{margin:.25rem 0 0}
.room-head{display:flex;gap:1rem;align-items:center}
.room-head img{width:4.5rem;height:4.5rem;border-radius:50%;object-fit:cover;flex:none}
.join{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
.join code{flex:1 1 18rem;padding:.5rem;background:var(--card);border:1px solid var(--line);border-radius:.375rem;overflow-wrap:anywhere;font-size:.9rem}
button{font:inherit;padding:.45rem 1rem;border-radius:.375rem;border:1px solid var(--link);background:var(--link);color:var(--bg);cursor:pointer}
figure{margin:1rem 0}
figure svg{display:block;width:100%;max-width:16rem;height:auto;border:1px solid var(--line)}
.msg-head{display:flex;flex-wrap:wrap;gap:0 .75rem;align-items:baseline}
.msg-text{margin:.25rem 0 0;white-space:pre-wrap;overflow-wrap:anywhere}
footer{color:var(--muted);font-size:.875rem;border-top:1px solid var(--line);margin-top:2rem}
"#;

/// Reveals the copy button and copies the join URL (the page works without it).
const COPY_SCRIPT: &str = r#"(function(){var b=document.getElementById('copy'),s=document.getElementById('copy-status');
if(!b||!navigator.clipboard)return;b.hidden=false;b.addEventListener('click',function(){
navigator.clipboard.writeText(document.getElementById('join-url').textContent).then(function(){s.textContent='Copied to the clipboard.';},function(){s.textContent='Could not copy: select the link instead.';});});})();"#;

/// A message as the room page shows it.
#[derive(Debug, Clone)]
pub struct ShownMessage {
    /// The display name from the message's profile, if any.
    pub sender: Option<String>,
    /// The id that signed it.
    pub session_id: String,
    /// Post time, epoch seconds.
    pub posted: f64,
    /// Edit time, if edited.
    pub edited: Option<f64>,
    /// The text, if any.
    pub text: Option<String>,
    /// How many attachments it has.
    pub attachments: usize,
}

/// Everything the room page shows.
#[derive(Debug)]
pub struct RoomView<'a> {
    /// The room.
    pub room: &'a Room,
    /// Its join URL.
    pub join_url: &'a str,
    /// The QR code of the join URL, an `<svg>` element.
    pub qr_svg: &'a str,
    /// The recent messages, oldest first; `None` when `[web] show_recent` is off.
    pub recent: Option<Vec<ShownMessage>>,
    /// The active-users window in days.
    pub days: f64,
}

fn layout(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                header { a href="/" { "Session Communities" } }
                main { (body) }
                footer {
                    p { "Join a community with the Session app: open its link or scan its QR code." }
                }
            }
        }
    }
}

fn active_users(count: i64, days: f64) -> String {
    let people = if count == 1 { "user" } else { "users" };
    format!("{count} active {people} in the last {days} days")
}

/// The list of public rooms.
pub fn index(rooms: &[Room], days: f64) -> Markup {
    layout(
        "Session Communities",
        html! {
            h1 { "Communities on this server" }
            @if rooms.is_empty() {
                p { "There are no public communities here." }
            } @else {
                ul.rooms {
                    @for room in rooms {
                        li {
                            h2 { a href={ "/r/" (room.token) "/" } { (room.name) } }
                            @if let Some(description) = &room.description {
                                p.desc { (description) }
                            }
                            p.muted { (active_users(room.active_users, days)) }
                        }
                    }
                }
            }
        },
    )
}

/// A room's page.
pub fn room(view: &RoomView<'_>) -> Markup {
    let room = view.room;
    layout(
        &format!("{} – Session Community", room.name),
        html! {
            div.room-head {
                @if room.image.is_some() {
                    img src={ "/r/" (room.token) "/image" } alt={ "Image of " (room.name) };
                }
                div {
                    h1 { (room.name) }
                    p.muted { (active_users(room.active_users, view.days)) }
                }
            }
            @if let Some(description) = &room.description {
                p.desc { (description) }
            }
            section aria-labelledby="join-h" {
                h2 #join-h { "Join" }
                p { "Open this link in Session, or scan the QR code with the Session app:" }
                div.join {
                    code #join-url { (view.join_url) }
                    button #copy type="button" hidden { "Copy link" }
                }
                p #copy-status role="status" {}
                figure {
                    (PreEscaped(view.qr_svg))
                    figcaption {
                        a href={ "/r/" (room.token) "/invite.png" } download { "Download the QR code (PNG)" }
                    }
                }
            }
            @if let Some(recent) = &view.recent {
                section aria-labelledby="recent-h" {
                    h2 #recent-h { "Recent messages" }
                    @if recent.is_empty() {
                        p.muted { "No messages yet." }
                    } @else {
                        ol.msgs { @for m in recent { li { (message(m)) } } }
                    }
                }
            }
            script { (PreEscaped(COPY_SCRIPT)) }
        },
    )
}

fn message(m: &ShownMessage) -> Markup {
    let short = short_id(&m.session_id);
    html! {
        article {
            div.msg-head {
                strong {
                    @if let Some(name) = &m.sender { (name) } @else { (short) }
                }
                @if m.sender.is_some() { span.muted title=(m.session_id) { (short) } }
                time datetime=(iso_utc(m.posted)) { (readable_utc(m.posted)) }
                @if m.edited.is_some() { span.muted { "(edited)" } }
            }
            @if let Some(text) = &m.text { p.msg-text { (text) } }
            @if m.attachments > 0 {
                p.muted {
                    @if m.attachments == 1 { "[attachment]" } @else { "[" (m.attachments) " attachments]" }
                }
            }
            @if m.text.is_none() && m.attachments == 0 { p.muted { "[message not shown]" } }
        }
    }
}

/// `15abcd…wxyz`: enough to tell people apart, short enough to read.
fn short_id(id: &str) -> String {
    match (id.get(..6), id.get(id.len().saturating_sub(4)..)) {
        (Some(head), Some(tail)) if id.len() > 12 => format!("{head}…{tail}"),
        _ => id.to_owned(),
    }
}

fn iso_utc(epoch: f64) -> String {
    let (y, mo, d, h, mi, s) = sogs_protocol::time::utc_parts(epoch);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z")
}

fn readable_utc(epoch: f64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, mo, d, h, mi, _) = sogs_protocol::time::utc_parts(epoch);
    let month = MONTHS.get((mo - 1) as usize).copied().unwrap_or("?");
    format!("{d} {month} {y}, {h:02}:{mi:02} UTC")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_utc() {
        assert_eq!(iso_utc(0.0), "1970-01-01T00:00:00Z");
        assert_eq!(iso_utc(1_709_251_199.5), "2024-02-29T23:59:59Z");
        assert_eq!(readable_utc(1_700_000_000.0), "14 Nov 2023, 22:13 UTC");
    }

    #[test]
    fn ids_are_shortened() {
        assert_eq!(short_id(&format!("15{}", "ab".repeat(32))), "15abab…abab");
        assert_eq!(short_id("05short"), "05short");
    }
}
