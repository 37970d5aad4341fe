//! The Session protobuf subset a client needs to post and read messages (spec
//! client-protocols §4.3): `Content { dataMessage { body, attachments, timestamp, profile },
//! sigTimestamp }`, the `Envelope`/`WebSocketMessage` wrapping of one-to-one messages, and the
//! 160-byte padding (§4.4).
//!
//! Encoding writes fields in field-number order, as protobuf libraries do; decoding skips fields
//! it does not know, so messages from newer clients still parse.

mod attachment;
mod bot;
mod envelope;
mod padding;
pub mod wire;

pub use attachment::AttachmentPointer;
pub use bot::BotIdentity;
pub use envelope::{Envelope, EnvelopeType, WebSocketMessage, WebSocketRequest};
pub use padding::{pad, pad_legacy, unpad};

use wire::{Reader, put_bytes, put_opt_str, put_opt_uint};

/// Why bytes could not be decoded as a Session protobuf message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The data ends in the middle of a field.
    #[error("truncated protobuf data")]
    Truncated,
    /// A varint longer than 10 bytes.
    #[error("malformed varint")]
    Varint,
    /// A field number beyond 32 bits.
    #[error("invalid field number")]
    FieldNumber,
    /// A deprecated group (wire types 3 and 4) or an unknown wire type.
    #[error("unsupported wire type {0}")]
    UnsupportedWireType(u8),
    /// A known field encoded with the wrong wire type.
    #[error("field {field} has the wrong wire type")]
    WireType {
        /// The field's name.
        field: &'static str,
    },
    /// A string field that is not UTF-8.
    #[error("field {field} is not valid UTF-8")]
    Utf8 {
        /// The field's name.
        field: &'static str,
    },
}

/// `Content`: the top-level message a client encrypts or posts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Content {
    /// `dataMessage` (1): a visible message.
    pub data_message: Option<DataMessage>,
    /// `expirationType` (12): 1 = delete after read, 2 = delete after send (disappearing).
    pub expiration_type: Option<u32>,
    /// `expirationTimer` (13): the disappearing-message timer in seconds.
    pub expiration_timer: Option<u32>,
    /// `sigTimestamp` (15): the sending time in milliseconds (required in practice).
    pub sig_timestamp: Option<u64>,
    /// Field 1000 (ours, ignored by Session apps): a signed closed-group key record
    /// (`crate::group::KeyRecord`), delivered by blinded DM.
    pub group_keys: Option<Vec<u8>>,
}

/// `DataMessage`: text, attachments and the sender's profile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DataMessage {
    /// `body` (1): the text.
    pub body: Option<String>,
    /// `attachments` (2): files attached to the message.
    pub attachments: Vec<AttachmentPointer>,
    /// `timestamp` (7): the older place for the sending time, in milliseconds.
    pub timestamp: Option<u64>,
    /// `profile` (101): the sender's display name and avatar.
    pub profile: Option<LokiProfile>,
}

/// `LokiProfile`: what other users see of the sender.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LokiProfile {
    /// `displayName` (1).
    pub display_name: Option<String>,
    /// `profilePicture` (2): URL of the (encrypted) avatar.
    pub profile_picture: Option<String>,
}

impl Content {
    /// A text message `body` sent at `timestamp_ms`: `Content{dataMessage{body}, sigTimestamp}`.
    pub fn text(body: &str, timestamp_ms: u64) -> Self {
        Self {
            data_message: Some(DataMessage {
                body: Some(body.to_owned()),
                ..DataMessage::default()
            }),
            sig_timestamp: Some(timestamp_ms),
            ..Self::default()
        }
    }

    /// The protobuf encoding.
    pub fn encode(&self) -> Vec<u8> {
        let mut buf = Vec::new();
        if let Some(dm) = &self.data_message {
            put_bytes(&mut buf, 1, &dm.encode());
        }
        put_opt_uint(&mut buf, 12, self.expiration_type.map(u64::from));
        put_opt_uint(&mut buf, 13, self.expiration_timer.map(u64::from));
        put_opt_uint(&mut buf, 15, self.sig_timestamp);
        if let Some(keys) = &self.group_keys {
            put_bytes(&mut buf, 1000, keys);
        }
        buf
    }

    /// Decodes a protobuf `Content`, skipping unknown fields.
    pub fn decode(data: &[u8]) -> Result<Self, DecodeError> {
        let mut out = Self::default();
        let mut reader = Reader::new(data);
        while let Some((field, value)) = reader.next_field()? {
            match field {
                1 => out.data_message = Some(DataMessage::decode(value.bytes("dataMessage")?)?),
                12 => out.expiration_type = Some(value.uint32("expirationType")?),
                13 => out.expiration_timer = Some(value.uint32("expirationTimer")?),
                15 => out.sig_timestamp = Some(value.uint("sigTimestamp")?),
                1000 => out.group_keys = Some(value.bytes("groupKeys")?.to_vec()),
                _ => {}
            }
        }
        Ok(out)
    }

    /// The encoding padded to a multiple of 160 bytes: a community post's `data` (libsession
    /// `encode_for_community`) and the plaintext of DMs and one-to-one messages.
    pub fn encode_padded(&self) -> Vec<u8> {
        pad(&self.encode())
    }

    /// Decodes a community post's (or decrypted DM's) padded bytes.
    pub fn decode_padded(data: &[u8]) -> Result<Self, DecodeError> {
        Self::decode(unpad(data))
    }
}

impl DataMessage {
    /// The protobuf encoding.
    pub fn encode(&self) -> Vec<u8> {
        let mut buf = Vec::new();
        put_opt_str(&mut buf, 1, self.body.as_deref());
        for attachment in &self.attachments {
            put_bytes(&mut buf, 2, &attachment.encode());
        }
        put_opt_uint(&mut buf, 7, self.timestamp);
        if let Some(profile) = &self.profile {
            put_bytes(&mut buf, 101, &profile.encode());
        }
        buf
    }

    /// Decodes a protobuf `DataMessage`, skipping unknown fields.
    pub fn decode(data: &[u8]) -> Result<Self, DecodeError> {
        let mut out = Self::default();
        let mut reader = Reader::new(data);
        while let Some((field, value)) = reader.next_field()? {
            match field {
                1 => out.body = Some(value.string("body")?),
                2 => out
                    .attachments
                    .push(AttachmentPointer::decode(value.bytes("attachments")?)?),
                7 => out.timestamp = Some(value.uint("timestamp")?),
                101 => out.profile = Some(LokiProfile::decode(value.bytes("profile")?)?),
                _ => {}
            }
        }
        Ok(out)
    }
}

impl LokiProfile {
    /// The protobuf encoding.
    pub fn encode(&self) -> Vec<u8> {
        let mut buf = Vec::new();
        put_opt_str(&mut buf, 1, self.display_name.as_deref());
        put_opt_str(&mut buf, 2, self.profile_picture.as_deref());
        buf
    }

    /// Decodes a protobuf `LokiProfile`, skipping unknown fields.
    pub fn decode(data: &[u8]) -> Result<Self, DecodeError> {
        let mut out = Self::default();
        let mut reader = Reader::new(data);
        while let Some((field, value)) = reader.next_field()? {
            match field {
                1 => out.display_name = Some(value.string("displayName")?),
                2 => out.profile_picture = Some(value.string("profilePicture")?),
                _ => {}
            }
        }
        Ok(out)
    }
}
