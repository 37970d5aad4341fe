//! Listing rows as wire objects: a message, a tombstone, or a reaction-only update (spec §6),
//! shared by the database path (`http::messages`) and the in-memory windows (`cache::listing`).

use sogs_protocol::api::messages::{Message, MessageUpdate, ReactionUpdate, Reactions};
use sogs_protocol::encoding::encode_b64;

use crate::domain::message::{Selection, add_padding};
use crate::storage::messages::MessageRow;

/// One element of a listing: a reaction-only update for a `since` with `t=r` when only the
/// live message's reactions changed after the poller's seqno, else the message object.
/// `reactions` is `None` for a tombstone.
pub fn update_of(
    row: MessageRow,
    selection: Selection,
    reactions: Option<Reactions>,
) -> MessageUpdate {
    match selection {
        Selection::Since {
            seqno,
            reactions_only: true,
        } if row.seqno_reactions > seqno && seqno >= row.seqno_data && row.data.is_some() => {
            MessageUpdate::Reactions(ReactionUpdate {
                id: row.id,
                seqno: row.seqno,
                reactions: reactions.unwrap_or_default(),
            })
        }
        _ => MessageUpdate::Message(message_of(row, reactions)),
    }
}

/// A message object from its row.
pub fn message_of(row: MessageRow, reactions: Option<Reactions>) -> Message {
    let whisper = row.whisper_mods || row.whisper_to.is_some();
    let deleted = row.data.is_none();
    let size = row.data_size.unwrap_or(0).max(0) as usize;
    Message {
        id: row.id,
        session_id: row.session_id,
        posted: row.posted,
        edited: row.edited,
        seqno: row.seqno,
        data: row.data.map(|d| encode_b64(&add_padding(&d, size))),
        signature: row.signature.map(|s| encode_b64(&s)),
        deleted: deleted.then_some(true),
        whisper: whisper.then_some(true),
        whisper_mods: whisper.then_some(row.whisper_mods),
        whisper_to: row.whisper_to,
        reactions,
        filtered: None,
    }
}
