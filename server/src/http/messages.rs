//! Message listings: `messages/since|recent|before` and single messages (pysogs `routes/messages.py`).

use std::collections::BTreeMap;
use std::sync::Arc;

use sogs_protocol::api::messages::{Message, MessageUpdate, ReactionInfo, Reactions};
use sogs_protocol::api::paths::{MessageId, Seqno};

use crate::cache::listing::{
    MAX_REACTORS, SinceWindow, WINDOW, Window, WindowReactions, encoded_len,
};

use crate::dispatch::params::query_int;
use crate::dispatch::params::{path_bound, path_id};
use crate::dispatch::{ApiRequest, ApiResponse};
use crate::domain::listing::update_of;
use crate::domain::message::Selection;
use crate::error::{ApiError, ApiResult};
use crate::http::access::RoomAccess;
use crate::state::AppState;
use crate::storage::messages::{self, MessageRow, Viewer};
use crate::storage::{reactions, window};

/// `GET /room/{token}/messages/since/{seqno}`: updates after a seqno, oldest first; `t=r` adds
/// reaction-only rows (pysogs `messages_since`).
pub async fn since(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let Seqno(seqno) = path_bound(&req, "seqno")?;
    let reactions_only = req.query_param("t").is_some_and(|t| t.contains('r'));
    list(
        &state,
        &req,
        Selection::Since {
            seqno,
            reactions_only,
        },
    )
    .await
}

/// `GET /room/{token}/messages/recent`: the newest messages, newest first (pysogs `messages_recent`).
pub async fn recent(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    list(&state, &req, Selection::Recent).await
}

/// `GET /room/{token}/messages/before/{id}`: messages before an id, newest first (pysogs `messages_before`).
pub async fn before(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let MessageId(id) = path_bound(&req, "id")?;
    list(&state, &req, Selection::Before(id)).await
}

/// `GET /room/{token}/message/{id}`: one visible message, or 404 (pysogs `message_single`).
pub async fn single(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let MessageId(id) = path_id(&req, "id")?;
    let room = RoomAccess::load(&state, &req).await?.readable()?;
    let reactors = query_int(&req, "reactors", 4, 0, 20)?;
    let rows = messages::list(
        &state.db,
        room.room.id,
        viewer(&req, &room),
        Selection::Single(id),
        1,
    )
    .await?;
    let mut rendered = render(&state, &req, rows, Selection::Single(id), reactors).await?;
    match rendered.pop() {
        Some(message) => Ok(ApiResponse::ok(&message)),
        None => Err(ApiError::not_found(format!("No such post: {id}"))),
    }
}

async fn list(state: &AppState, req: &ApiRequest, selection: Selection) -> ApiResult {
    let room = RoomAccess::load(state, req).await?.readable()?;
    let limit = query_int(req, "limit", 100, 1, 256)?;
    let reactors = query_int(req, "reactors", 4, 0, 20)?;
    room.seen_by(state, req);
    if matches!(selection, Selection::Since { seqno, .. } if seqno >= room.room.message_sequence) {
        // Caught up: no row has a seqno above the room's sequence.
        return Ok(ApiResponse::ok(&Vec::<MessageUpdate>::new()));
    }
    if let Some(answer) = from_memory(state, req, &room, selection, limit, reactors).await? {
        return Ok(answer);
    }
    let rows = messages::list(
        &state.db,
        room.room.id,
        viewer(req, &room),
        selection,
        limit,
    )
    .await?;
    let page = render(state, req, rows, selection, reactors).await?;
    Ok(answer(req, page).await)
}

/// The JSON answer for a page of messages. A page whose data alone exceeds the caller's
/// `answer_limit` is refused unserialised; one with megabytes of data is serialised on the
/// blocking pool, so that the worker's other connections are served meanwhile.
async fn answer<T: Weighed>(req: &ApiRequest, page: Vec<T>) -> ApiResponse {
    const HEAVY: usize = 256 * 1024;
    let weight = page.iter().map(Weighed::data_len).sum::<usize>();
    if req.answer_limit.is_some_and(|limit| weight > limit) {
        return crate::http::batch_budget::too_large();
    }
    if weight < HEAVY {
        return ApiResponse::ok(&page);
    }
    tokio::task::spawn_blocking(move || ApiResponse::ok(&page))
        .await
        .unwrap_or_else(|e| ApiError::Internal(Box::new(e)).into_response())
}

/// A listing element whose size is mostly its base64 data.
trait Weighed: serde::Serialize + Send + 'static {
    fn data_len(&self) -> usize;
}

impl Weighed for Message {
    fn data_len(&self) -> usize {
        self.data.as_ref().map_or(0, String::len)
    }
}

impl Weighed for MessageUpdate {
    fn data_len(&self) -> usize {
        match self {
            Self::Message(message) => message.data_len(),
            Self::Reactions(_) => 0,
        }
    }
}

/// The answer from the room's listing windows (built when missing), or `None` when the caches
/// are off or the windows cannot tell.
async fn from_memory(
    state: &AppState,
    req: &ApiRequest,
    room: &RoomAccess,
    selection: Selection,
    limit: i64,
    reactors: i64,
) -> ApiResult<Option<ApiResponse>> {
    let viewer = viewer(req, room);
    let before = match selection {
        Selection::Since {
            seqno,
            reactions_only,
        } => {
            let Some(window) = since_window(state, room).await? else {
                return Ok(None);
            };
            let updates = window.updates(viewer, seqno, reactions_only, limit, reactors);
            return Ok(match updates {
                Some(page) => Some(answer(req, page).await),
                None => None,
            });
        }
        Selection::Recent => None,
        Selection::Before(id) => Some(id),
        Selection::Single(_) => return Ok(None),
    };
    let Some(window) = listing_window(state, room).await? else {
        return Ok(None);
    };
    let Some(page) = window.select(viewer, before, limit) else {
        return Ok(None);
    };
    // In a batch whose answer this page cannot fit, refuse before rendering megabytes.
    if req
        .answer_limit
        .is_some_and(|left| encoded_len(&page) > left)
    {
        return Ok(Some(crate::http::batch_budget::too_large()));
    }
    let messages = window.render(&page, viewer, reactors);
    Ok(Some(answer(req, messages).await))
}

/// The room's listing window at its current sequence, built when missing; `None` while the
/// caches are off.
async fn listing_window(state: &AppState, room: &RoomAccess) -> ApiResult<Option<Arc<Window>>> {
    let listings = &state.caches.listings;
    if !state.caches.enabled() {
        return Ok(None);
    }
    let (id, sequence) = (room.room.id, room.room.message_sequence);
    if let Some(window) = listings.get(id, sequence) {
        return Ok(Some(window));
    }
    let epoch = listings.epoch();
    let rows = window::newest(&state.db, id, WINDOW).await?;
    let found = window_reactions(state, rows.iter().map(|m| &m.row)).await?;
    let built = Arc::new(Window::new(sequence, rows, found));
    listings.put(epoch, id, Arc::clone(&built));
    Ok(Some(built))
}

/// The room's since window at its current sequence, built when missing; `None` while the
/// caches are off.
async fn since_window(state: &AppState, room: &RoomAccess) -> ApiResult<Option<Arc<SinceWindow>>> {
    let listings = &state.caches.listings;
    if !state.caches.enabled() {
        return Ok(None);
    }
    let (id, sequence) = (room.room.id, room.room.message_sequence);
    if let Some(window) = listings.get_since(id, sequence) {
        return Ok(Some(window));
    }
    let epoch = listings.epoch();
    let rows = window::highest(&state.db, id, WINDOW).await?;
    let found = window_reactions(state, rows.iter().map(|m| &m.message.row)).await?;
    let built = Arc::new(SinceWindow::new(sequence, rows, found));
    listings.put_since(epoch, id, Arc::clone(&built));
    Ok(Some(built))
}

/// Everything a window keeps about its live messages' reactions (a message whose
/// seqno_reactions is 0 never had one: no need to ask).
async fn window_reactions(
    state: &AppState,
    rows: impl Iterator<Item = &MessageRow>,
) -> ApiResult<WindowReactions> {
    let with_reactions: Vec<i64> = rows
        .filter(|r| r.data.is_some() && r.seqno_reactions > 0)
        .map(|r| r.id)
        .collect();
    let mut found = WindowReactions::default();
    if with_reactions.is_empty() {
        return Ok(found);
    }
    found.summaries = reactions::summaries(&state.db, &with_reactions, None).await?;
    let ids: Vec<i64> = found.summaries.iter().map(|r| r.id).collect();
    found.first_reactors = reactions::first_reactors(&state.db, &ids, MAX_REACTORS).await?;
    found.reactors = window::reactor_ids(&state.db, &ids).await?;
    Ok(found)
}

/// The viewer of a room's messages.
pub fn viewer(req: &ApiRequest, room: &RoomAccess) -> Viewer {
    Viewer {
        user_id: req.user.as_ref().map(|u| u.id),
        moderator: room.perms.moderator,
    }
}

/// Turns rows into message objects (or reaction-only updates) with their reactions.
async fn render(
    state: &AppState,
    req: &ApiRequest,
    rows: Vec<MessageRow>,
    selection: Selection,
    reactor_limit: i64,
) -> ApiResult<Vec<MessageUpdate>> {
    // A message whose seqno_reactions is 0 never had a reaction: no need to ask.
    let live: Vec<i64> = rows
        .iter()
        .filter(|r| r.data.is_some() && r.seqno_reactions > 0)
        .map(|r| r.id)
        .collect();
    let user_id = req.user.as_ref().map(|u| u.id);
    let mut reactions = reactions_of(state, &live, user_id, reactor_limit).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let row_reactions = row
                .data
                .is_some()
                .then(|| reactions.remove(&row.id).unwrap_or_default());
            update_of(row, selection, row_reactions)
        })
        .collect())
}

/// Reactions of the given messages: `{message id: {reaction: info}}`.
pub async fn reactions_of(
    state: &AppState,
    message_ids: &[i64],
    viewer: Option<i64>,
    reactor_limit: i64,
) -> ApiResult<BTreeMap<i64, Reactions>> {
    let mut out: BTreeMap<i64, Reactions> = BTreeMap::new();
    if message_ids.is_empty() {
        return Ok(out);
    }
    let rows = reactions::summaries(&state.db, message_ids, viewer).await?;
    let mut reactors = BTreeMap::<i64, Vec<String>>::new();
    if reactor_limit > 0 && !rows.is_empty() {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        for (reaction, session_id) in
            reactions::first_reactors(&state.db, &ids, reactor_limit).await?
        {
            reactors.entry(reaction).or_default().push(session_id);
        }
    }
    for row in rows {
        let message = out.entry(row.message).or_default();
        let info = ReactionInfo {
            index: message.len() as i64,
            count: row.count,
            reactors: (reactor_limit > 0).then(|| reactors.remove(&row.id).unwrap_or_default()),
            you: row.you.then_some(true),
        };
        message.insert(row.reaction, info);
    }
    Ok(out)
}
