//! Applying a room's filters to a post or an edit (spec §7.5): the message bytes are parsed as
//! Session protobuf `Content`; undecodable data passes unfiltered (never a 5xx).

use actix_web::http::StatusCode;
use sogs_protocol::content::Content;

use crate::domain::filter::{FilterHit, alphabet_hit};
use crate::error::{ApiError, ApiResult};
use crate::http::rooms::RoomAccess;
use crate::state::AppState;

/// What to do with a post or edit after filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Store it normally.
    Accept,
    /// Store it quarantined (post) or drop it (edit), answering success.
    Quarantine,
}

/// Runs the room's filters on padded message `data`: `Accept`, `Quarantine` (silent mode), or
/// 429 `filtration rejected message (<type>)`.
pub fn verdict(state: &AppState, room: &RoomAccess, data: &[u8]) -> ApiResult<Verdict> {
    match hit(state, room, data) {
        None => Ok(Verdict::Accept),
        Some((_, true)) => Ok(Verdict::Quarantine),
        Some((hit, false)) => Err(ApiError::status(
            StatusCode::TOO_MANY_REQUESTS,
            format!("filtration rejected message ({})", hit.kind()),
        )),
    }
}

/// The first filter the data trips, with whether that filter is silent.
fn hit(state: &AppState, room: &RoomAccess, data: &[u8]) -> Option<(FilterHit, bool)> {
    let filters = state.settings.filters_for(&room.room.token);
    if (room.perms.moderator && !filters.filter_mods)
        || (!filters.profanity && filters.alphabets.is_empty())
    {
        return None;
    }
    let message = Content::decode_padded(data).ok()?.data_message?;
    let body = message.body.unwrap_or_default();
    if let Some(alphabet) = alphabet_hit(&body, &filters.alphabets) {
        return Some((FilterHit::Alphabet(alphabet), filters.alphabet_silent));
    }
    let name = message
        .profile
        .and_then(|p| p.display_name)
        .unwrap_or_default();
    let profane = filters.profanity && (state.words.matches(&body) || state.words.matches(&name));
    profane.then_some((FilterHit::Profanity, filters.profanity_silent))
}
