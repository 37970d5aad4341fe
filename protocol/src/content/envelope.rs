//! `Envelope` and `WebSocketMessage`: how an encrypted one-to-one message is stored in the
//! recipient's swarm (spec client-protocols §4.2).

use super::DecodeError;
use super::wire::{Reader, put_bytes, put_opt_str, put_opt_uint, put_uint};

/// `Envelope.type`; defaults to `Other(0)` (unset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnvelopeType {
    /// `SESSION_MESSAGE` (6): a one-to-one message.
    SessionMessage,
    /// `CLOSED_GROUP_MESSAGE` (7): a group message.
    ClosedGroupMessage,
    /// Any other value.
    Other(u64),
}

impl Default for EnvelopeType {
    fn default() -> Self {
        Self::Other(0)
    }
}

impl EnvelopeType {
    /// The wire value.
    pub fn to_u64(self) -> u64 {
        match self {
            Self::SessionMessage => 6,
            Self::ClosedGroupMessage => 7,
            Self::Other(v) => v,
        }
    }

    /// The type of a wire value.
    pub fn from_u64(v: u64) -> Self {
        match v {
            6 => Self::SessionMessage,
            7 => Self::ClosedGroupMessage,
            v => Self::Other(v),
        }
    }
}

/// `Envelope`: the encrypted message plus routing metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Envelope {
    /// `type` (1).
    pub kind: EnvelopeType,
    /// `source` (2): empty for one-to-one (the sender is known only after decryption).
    pub source: Option<String>,
    /// `timestamp` (5): sending time in milliseconds (must equal `Content.sigTimestamp`).
    pub timestamp: Option<u64>,
    /// `sourceDevice` (7): always 1.
    pub source_device: Option<u32>,
    /// `content` (8): the ciphertext.
    pub content: Option<Vec<u8>>,
    /// `serverTimestamp` (10): set by the storage server.
    pub server_timestamp: Option<u64>,
    /// `proSig` (11): the Session Pro signature newer clients add.
    pub pro_sig: Option<Vec<u8>>,
}

impl Envelope {
    /// A one-to-one envelope: type 6, `timestamp`, `sourceDevice` 1 and the ciphertext.
    pub fn session_message(ciphertext: Vec<u8>, timestamp_ms: u64) -> Self {
        Self {
            kind: EnvelopeType::SessionMessage,
            source: None,
            timestamp: Some(timestamp_ms),
            source_device: Some(1),
            content: Some(ciphertext),
            server_timestamp: None,
            pro_sig: None,
        }
    }

    /// The protobuf encoding.
    pub fn encode(&self) -> Vec<u8> {
        let mut buf = Vec::new();
        put_uint(&mut buf, 1, self.kind.to_u64());
        put_opt_str(&mut buf, 2, self.source.as_deref());
        put_opt_uint(&mut buf, 5, self.timestamp);
        put_opt_uint(&mut buf, 7, self.source_device.map(u64::from));
        if let Some(content) = &self.content {
            put_bytes(&mut buf, 8, content);
        }
        put_opt_uint(&mut buf, 10, self.server_timestamp);
        if let Some(sig) = &self.pro_sig {
            put_bytes(&mut buf, 11, sig);
        }
        buf
    }

    /// Decodes a protobuf `Envelope`, skipping unknown fields.
    pub fn decode(data: &[u8]) -> Result<Self, DecodeError> {
        let mut out = Self::default();
        let mut reader = Reader::new(data);
        while let Some((field, value)) = reader.next_field()? {
            match field {
                1 => out.kind = EnvelopeType::from_u64(value.uint("type")?),
                2 => out.source = Some(value.string("source")?),
                5 => out.timestamp = Some(value.uint("timestamp")?),
                7 => out.source_device = Some(value.uint32("sourceDevice")?),
                8 => out.content = Some(value.bytes("content")?.to_vec()),
                10 => out.server_timestamp = Some(value.uint("serverTimestamp")?),
                11 => out.pro_sig = Some(value.bytes("proSig")?.to_vec()),
                _ => {}
            }
        }
        Ok(out)
    }
}

/// `WebSocketRequestMessage`: the request that carries an encoded `Envelope` as its body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebSocketRequest {
    /// `verb` (1): empty (libsession) or `PUT` (older Desktop).
    pub verb: String,
    /// `path` (2): empty (libsession) or `/api/v1/message` (older Desktop).
    pub path: String,
    /// `body` (3): the encoded `Envelope`.
    pub body: Vec<u8>,
    /// `requestId` (4): 0.
    pub request_id: u64,
}

impl WebSocketRequest {
    /// The request libsession `encode_for_1o1` builds: empty verb and path, id 0.
    pub fn libsession(envelope: Vec<u8>) -> Self {
        Self {
            body: envelope,
            ..Self::default()
        }
    }

    /// The request older Session Desktop built: `PUT /api/v1/message`, id 0.
    pub fn legacy_desktop(envelope: Vec<u8>) -> Self {
        Self {
            verb: "PUT".to_owned(),
            path: "/api/v1/message".to_owned(),
            body: envelope,
            request_id: 0,
        }
    }

    /// The protobuf encoding (every field written, as the clients do).
    pub fn encode(&self) -> Vec<u8> {
        let mut buf = Vec::new();
        put_bytes(&mut buf, 1, self.verb.as_bytes());
        put_bytes(&mut buf, 2, self.path.as_bytes());
        put_bytes(&mut buf, 3, &self.body);
        put_uint(&mut buf, 4, self.request_id);
        buf
    }

    /// Decodes a protobuf `WebSocketRequestMessage`, skipping unknown fields.
    pub fn decode(data: &[u8]) -> Result<Self, DecodeError> {
        let mut out = Self::default();
        let mut reader = Reader::new(data);
        while let Some((field, value)) = reader.next_field()? {
            match field {
                1 => out.verb = value.string("verb")?,
                2 => out.path = value.string("path")?,
                3 => out.body = value.bytes("body")?.to_vec(),
                4 => out.request_id = value.uint("requestId")?,
                _ => {}
            }
        }
        Ok(out)
    }
}

/// `WebSocketMessage`: the outermost wrapper stored in a swarm (type 1 = request).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebSocketMessage {
    /// `request` (2), present for type REQUEST (1).
    pub request: Option<WebSocketRequest>,
}

impl WebSocketMessage {
    /// The protobuf encoding: type REQUEST and the request, if any.
    pub fn encode(&self) -> Vec<u8> {
        let mut buf = Vec::new();
        if let Some(request) = &self.request {
            put_uint(&mut buf, 1, 1);
            put_bytes(&mut buf, 2, &request.encode());
        }
        buf
    }

    /// Decodes a protobuf `WebSocketMessage`, skipping the type and unknown fields.
    pub fn decode(data: &[u8]) -> Result<Self, DecodeError> {
        let mut out = Self::default();
        let mut reader = Reader::new(data);
        while let Some((field, value)) = reader.next_field()? {
            if field == 2 {
                out.request = Some(WebSocketRequest::decode(value.bytes("request")?)?);
            }
        }
        Ok(out)
    }
}
