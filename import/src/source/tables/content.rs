//! The pysogs tables of content: posts (with history, reactions, pins), uploads and direct
//! messages.

use super::super::super::ImportError;
use super::super::value::RowReader;
use super::{Key, Table};

/// `messages`: posts, edits in place, tombstones (`data` NULL), whispers.
#[derive(Debug, Clone)]
pub(crate) struct MessageRow {
    pub(crate) id: i64,
    pub(crate) room: i64,
    pub(crate) user: i64,
    pub(crate) posted: f64,
    pub(crate) edited: Option<f64>,
    pub(crate) seqno: i64,
    pub(crate) seqno_data: i64,
    pub(crate) seqno_reactions: i64,
    pub(crate) seqno_creation: i64,
    pub(crate) data: Option<Vec<u8>>,
    pub(crate) data_size: Option<i64>,
    pub(crate) signature: Option<Vec<u8>>,
    pub(crate) filtered: bool,
    pub(crate) whisper: Option<i64>,
    pub(crate) whisper_mods: bool,
}

table!(
    MessageRow,
    "messages",
    "id, room, \"user\", posted, edited, seqno, seqno_data, seqno_reactions, seqno_creation, \
     data, data_size, signature, filtered, whisper, whisper_mods",
    Key::Id("id"),
    |r| MessageRow {
        id: r.i64()?,
        room: r.i64()?,
        user: r.i64()?,
        posted: r.f64()?,
        edited: r.opt_f64()?,
        seqno: r.i64()?,
        seqno_data: r.i64()?,
        seqno_reactions: r.i64()?,
        seqno_creation: r.i64()?,
        data: r.opt_bytes()?,
        data_size: r.opt_i64()?,
        signature: r.opt_bytes()?,
        filtered: r.bool()?,
        whisper: r.opt_i64()?,
        whisper_mods: r.bool()?,
    },
    key = id
);

/// `message_history`: the content an edit or deletion replaced.
#[derive(Debug, Clone)]
pub(crate) struct HistoryRow {
    pub(crate) message: i64,
    pub(crate) replaced: f64,
    pub(crate) data: Vec<u8>,
    pub(crate) signature: Vec<u8>,
}

table!(
    HistoryRow,
    "message_history",
    "message, replaced, data, signature",
    Key::Order("message, replaced, signature"),
    |r| HistoryRow {
        message: r.i64()?,
        replaced: r.f64()?,
        data: r.bytes_in_text()?,
        signature: r.bytes()?,
    }
);

/// `reactions`: one row per (message, emoji).
#[derive(Debug, Clone)]
pub(crate) struct ReactionRow {
    pub(crate) id: i64,
    pub(crate) message: i64,
    pub(crate) reaction: String,
}

table!(
    ReactionRow,
    "reactions",
    "id, message, reaction",
    Key::Id("id"),
    |r| ReactionRow {
        id: r.i64()?,
        message: r.i64()?,
        reaction: r.text()?
    },
    key = id
);

/// `user_reactions`: who reacted, and when.
#[derive(Debug, Clone)]
pub(crate) struct ReactorRow {
    pub(crate) reaction: i64,
    pub(crate) user: i64,
    pub(crate) at: f64,
}

table!(
    ReactorRow,
    "user_reactions",
    "reaction, \"user\", at",
    Key::Order("reaction, \"user\""),
    |r| ReactorRow {
        reaction: r.i64()?,
        user: r.i64()?,
        at: r.f64()?
    }
);

/// `pinned_messages`.
#[derive(Debug, Clone)]
pub(crate) struct PinRow {
    pub(crate) room: i64,
    pub(crate) message: i64,
    pub(crate) pinned_by: i64,
    pub(crate) pinned_at: f64,
}

table!(
    PinRow,
    "pinned_messages",
    "room, message, pinned_by, pinned_at",
    Key::Order("room, message"),
    |r| PinRow {
        room: r.i64()?,
        message: r.i64()?,
        pinned_by: r.i64()?,
        pinned_at: r.f64()?
    }
);

/// `files`: upload metadata; the content is on disk at `path`.
#[derive(Debug, Clone)]
pub(crate) struct FileRow {
    pub(crate) id: i64,
    pub(crate) room: Option<i64>,
    pub(crate) uploader: Option<i64>,
    pub(crate) message: Option<i64>,
    pub(crate) size: i64,
    pub(crate) uploaded: f64,
    pub(crate) expiry: Option<f64>,
    pub(crate) filename: Option<String>,
    pub(crate) path: String,
}

table!(
    FileRow,
    "files",
    "id, room, uploader, message, size, uploaded, expiry, filename, path",
    Key::Id("id"),
    |r| FileRow {
        id: r.i64()?,
        room: r.opt_i64()?,
        uploader: r.opt_i64()?,
        message: r.opt_i64()?,
        size: r.i64()?,
        uploaded: r.f64()?,
        expiry: r.opt_f64()?,
        filename: r.opt_text()?,
        path: r.text()?,
    },
    key = id
);

/// `inbox`: blinded direct messages.
#[derive(Debug, Clone)]
pub(crate) struct InboxRow {
    pub(crate) id: i64,
    pub(crate) recipient: i64,
    pub(crate) sender: i64,
    pub(crate) body: Vec<u8>,
    pub(crate) posted_at: Option<f64>,
    pub(crate) expiry: Option<f64>,
}

table!(
    InboxRow,
    "inbox",
    "id, recipient, sender, body, posted_at, expiry",
    Key::Id("id"),
    |r| InboxRow {
        id: r.i64()?,
        recipient: r.i64()?,
        sender: r.i64()?,
        body: r.bytes()?,
        posted_at: r.opt_f64()?,
        expiry: r.opt_f64()?,
    },
    key = id
);
