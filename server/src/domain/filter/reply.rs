//! Automatic replies to filtered posts (pysogs filter replies): which reply settings are in
//! force for a room and a filter, and the reply text with its substitutions.

use crate::config::{FilterReplies, FilterReply, Settings};
use crate::domain::filter::FilterHit;

/// The display name replies are posted under when none is configured.
pub const DEFAULT_PROFILE_NAME: &str = "SOGS";

/// A reply to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The message body, substitutions done.
    pub text: String,
    /// The display name it is posted under.
    pub profile_name: String,
    /// Visible to everyone (otherwise whispered to the poster and the moderators).
    pub public: bool,
}

/// Who and where a reply is about.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// The poster's display name, or their id when the post has none.
    pub poster: &'a str,
    /// The room's display name.
    pub room_name: &'a str,
}

/// The reply a room sends for `hit`, if one is configured: each field of
/// `[room.TOKEN.filter_reply.KIND]` wins over `[filter_reply.KIND]`; no text means no reply.
pub fn reply_for(
    settings: &Settings,
    token: &str,
    hit: FilterHit,
    ctx: Context<'_>,
) -> Option<Reply> {
    let global = pick(&settings.filter_reply, hit);
    let room = settings.room_filter_reply(token).and_then(|r| pick(r, hit));
    let field =
        |f: fn(&FilterReply) -> Option<&str>| room.and_then(f).or_else(|| global.and_then(f));
    let template = field(|r| r.text.as_deref())?;
    let profile_name = field(|r| r.profile_name.as_deref()).unwrap_or(DEFAULT_PROFILE_NAME);
    let public = room
        .and_then(|r| r.public)
        .or_else(|| global.and_then(|r| r.public))
        .unwrap_or(false);
    Some(Reply {
        text: render(template, ctx),
        profile_name: profile_name.to_owned(),
        public,
    })
}

/// The settings of one filter kind.
fn pick(replies: &FilterReplies, hit: FilterHit) -> Option<&FilterReply> {
    match hit {
        FilterHit::Profanity => replies.profanity.as_ref(),
        FilterHit::Alphabet(_) => replies.alphabet.as_ref(),
    }
}

/// Replaces `\p` by the poster, `\r` by the room name and `\\` by a backslash; any other
/// backslash stays as written.
pub fn render(template: &str, ctx: Context<'_>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut chars = template.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('p') => out.push_str(ctx.poster),
            Some('r') => out.push_str(ctx.room_name),
            Some('\\') => out.push('\\'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::RoomOverrides;
    use crate::domain::filter::Alphabet;

    const CTX: Context<'static> = Context {
        poster: "Alice",
        room_name: "The Lobby",
    };

    #[test]
    fn substitutions_are_done_once() {
        assert_eq!(
            render(r"Hi \p, mind \r! \\p \x \", CTX),
            r"Hi Alice, mind The Lobby! \p \x \"
        );
    }

    #[test]
    fn room_fields_win_over_global_ones() {
        let mut settings = Settings::default();
        assert_eq!(
            reply_for(&settings, "lobby", FilterHit::Profanity, CTX),
            None
        );
        settings.filter_reply.profanity = Some(FilterReply {
            text: Some(r"no, \p".into()),
            ..FilterReply::default()
        });
        let global = reply_for(&settings, "lobby", FilterHit::Profanity, CTX);
        assert_eq!(
            global,
            Some(Reply {
                text: "no, Alice".into(),
                profile_name: DEFAULT_PROFILE_NAME.into(),
                public: false
            })
        );
        let alpha = FilterHit::Alphabet(Alphabet::Cyrillic);
        assert_eq!(reply_for(&settings, "lobby", alpha, CTX), None);
        settings.room.insert(
            "Lobby".into(),
            RoomOverrides {
                filter_reply: Some(FilterReplies {
                    profanity: Some(FilterReply {
                        profile_name: Some("Bot".into()),
                        public: Some(true),
                        ..FilterReply::default()
                    }),
                    alphabet: None,
                }),
                ..RoomOverrides::default()
            },
        );
        let room = reply_for(&settings, "lobby", FilterHit::Profanity, CTX);
        assert_eq!(
            room,
            Some(Reply {
                text: "no, Alice".into(),
                profile_name: "Bot".into(),
                public: true
            })
        );
    }
}
