//! The HTML of the pages (maud: checked at compile time, every value escaped).

use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::domain::room::Room;
use crate::web::assets::{COPY_SCRIPT, STYLESHEET};

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
                link rel="stylesheet" href=(STYLESHEET.href());
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
            script src=(COPY_SCRIPT.href()) {}
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
