//! Applying a room's filters to a post or an edit (spec §7.5): the message bytes are parsed as
//! Session protobuf `Content`; undecodable data passes unfiltered (never a 5xx). A filtered post
//! can get an automatic reply from the server (`[filter_reply.KIND]`, see
//! [`crate::domain::filter::reply`]).

use actix_web::http::StatusCode;
use sogs_protocol::content::{BotIdentity, Content};

use crate::clock::unix_now;
use crate::domain::filter::reply::{self, Reply};
use crate::domain::filter::{FilterHit, alphabet_hit};
use crate::domain::permissions::Effective;
use crate::domain::room::Room;
use crate::domain::user::AuthUser;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::writeback::posts::{PostError, QueuedPost};

/// The system user (id 0) posts the filter replies.
const SYSTEM_USER: i64 = 0;

/// What to do with a post or edit after filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Store it normally.
    Accept,
    /// Store it quarantined (post) or drop it (edit), answering success.
    Quarantine,
}

/// A filter the data tripped.
#[derive(Debug, Clone)]
struct Caught {
    /// Which filter.
    hit: FilterHit,
    /// Whether that filter quarantines silently (else 429).
    silent: bool,
    /// The display name in the message, if any.
    display_name: Option<String>,
}

/// Runs the room's filters on padded message `data` from a caller with `perms` in `room`:
/// `Accept`, `Quarantine` (silent mode), or 429 `filtration rejected message (<type>)`.
pub fn verdict(
    state: &AppState,
    room: &Room,
    perms: &Effective,
    data: &[u8],
) -> ApiResult<Verdict> {
    outcome(caught(state, room, perms, data).as_ref())
}

/// [`verdict`] for a new post by `user`: when a filter catches it and the room has a reply
/// configured for that filter, the reply is posted first (a failure to post it is logged and
/// does not change the verdict).
pub async fn post_verdict(
    state: &AppState,
    room: &Room,
    perms: &Effective,
    user: &AuthUser,
    data: &[u8],
) -> ApiResult<Verdict> {
    let found = caught(state, room, perms, data);
    if let Some(found) = &found {
        crate::metrics::post_filtered(found.hit.kind());
    }
    if let Some(found) = &found
        && let Err(e) = send_reply(state, room, user, found).await
    {
        tracing::warn!(error = %e, room = %room.token, "filter reply not posted");
    }
    outcome(found.as_ref())
}

/// The verdict for what the filters caught.
fn outcome(found: Option<&Caught>) -> ApiResult<Verdict> {
    match found {
        None => Ok(Verdict::Accept),
        Some(c) if c.silent => Ok(Verdict::Quarantine),
        Some(c) => Err(ApiError::status(
            StatusCode::TOO_MANY_REQUESTS,
            format!("filtration rejected message ({})", c.hit.kind()),
        )),
    }
}

/// The first filter the data trips.
fn caught(state: &AppState, room: &Room, perms: &Effective, data: &[u8]) -> Option<Caught> {
    let filters = state.settings.filters_for(&room.token);
    if (perms.moderator && !filters.filter_mods)
        || (!filters.profanity && filters.alphabets.is_empty())
    {
        return None;
    }
    let message = Content::decode_padded(data).ok()?.data_message?;
    let body = message.body.unwrap_or_default();
    let display_name = message.profile.and_then(|p| p.display_name);
    let (hit, silent) = if let Some(alphabet) = alphabet_hit(&body, &filters.alphabets) {
        (FilterHit::Alphabet(alphabet), filters.alphabet_silent)
    } else {
        let name = display_name.as_deref().unwrap_or_default();
        let profane =
            filters.profanity && (state.words.matches(&body) || state.words.matches(name));
        profane.then_some((FilterHit::Profanity, filters.profanity_silent))?
    };
    Some(Caught {
        hit,
        silent,
        display_name,
    })
}

/// Posts the room's reply to a caught post, if one is configured.
async fn send_reply(
    state: &AppState,
    room: &Room,
    user: &AuthUser,
    found: &Caught,
) -> Result<(), PostError> {
    let poster = found
        .display_name
        .as_deref()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or(&user.signed_as);
    let ctx = reply::Context {
        poster,
        room_name: &room.name,
    };
    let Some(reply) = reply::reply_for(&state.settings, &room.token, found.hit, ctx) else {
        return Ok(());
    };
    state
        .posts
        .insert(reply_post(state, room.id, user.id, &reply))
        .await?;
    Ok(())
}

/// The reply as a post of the system user, signed by the server's identity for the reply's
/// display name; whispered to the poster and the moderators unless public.
fn reply_post(state: &AppState, room: i64, poster: i64, reply: &Reply) -> QueuedPost {
    let identity = BotIdentity::derive(state.keys.secret().as_bytes(), &reply.profile_name);
    let now_ms = (unix_now() * 1000.0) as u64;
    let data = Content::named_text(&reply.text, &reply.profile_name, now_ms).encode_padded();
    QueuedPost {
        room,
        user: SYSTEM_USER,
        signed_as: Some(identity.session_id()),
        signature: identity.sign(&data).to_vec(),
        data,
        filtered: false,
        whisper: (!reply.public).then_some(poster),
        whisper_mods: !reply.public,
        files: Vec::new(),
        rate_limit: None,
    }
}
