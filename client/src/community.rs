//! One joined room, seen by one identity: joining (capabilities, room info), polling the way
//! Session Desktop polls (`/batch`), posting padded and signed `Content`, files and reactions.

use sogs_protocol::api::batch::{SubRequest, SubRequestMethod};
use sogs_protocol::api::messages::{Message, MessageUpdate, Reactions};
use sogs_protocol::encoding::decode_b64;
use sogs_protocol::signing::{AuthScheme, verify};
use sogs_protocol::xeddsa;

use crate::api::{Client, Response};
use crate::content::{AttachmentPointer, Content, DataMessage, LokiProfile};
use crate::error::{Error, Result};
use crate::identity::Identity;
use crate::profile::JoinedRoom;
use crate::room_url::RoomUrl;
use crate::signer::Signer;

/// A room of a server, with a client signing as our identity.
#[derive(Debug, Clone)]
pub struct Community {
    client: Client,
    url: RoomUrl,
    token: String,
    capabilities: Vec<String>,
}

/// A message read from a room: the verified sender, its decoded `Content` and reactions.
#[derive(Debug, Clone)]
pub struct RoomMessage {
    /// Server message id.
    pub id: i64,
    /// Sequence number.
    pub seqno: i64,
    /// The sender's (blinded) id.
    pub sender: String,
    /// Server time in seconds.
    pub posted: f64,
    /// The raw (padded) data; `None` for a deleted message.
    pub data: Option<Vec<u8>>,
    /// Whether `signature` verifies over `data` under the sender's key (Ed25519 for `15`/`25`
    /// ids, XEdDSA for `05` ids). A message that fails is kept, flagged, not hidden.
    pub verified: bool,
    /// The decoded content, if `data` is a Session `Content`.
    pub content: Option<Content>,
    /// Reactions.
    pub reactions: Reactions,
}

impl Community {
    /// The room `url` seen through `base` (a plain, proxied or onion client), with known caps.
    pub fn new(
        base: &Client,
        identity: &Identity,
        url: RoomUrl,
        token: String,
        capabilities: Vec<String>,
    ) -> Self {
        let scheme = if capabilities.iter().any(|c| c == "blind") {
            AuthScheme::Blind15
        } else {
            AuthScheme::Unblinded
        };
        let client = base.signed(Signer::new(*identity.seed(), scheme, url.pubkey));
        Self {
            client,
            url,
            token,
            capabilities,
        }
    }

    /// The community of a joined room.
    pub fn of(base: &Client, identity: &Identity, room: &JoinedRoom) -> Result<Self> {
        let url = RoomUrl::parse(&room.url)?;
        Ok(Self::new(
            base,
            identity,
            url,
            room.token.clone(),
            room.capabilities.clone(),
        ))
    }

    /// Joins like Desktop: capabilities (always blind15-signed), then the room (signed per caps).
    pub async fn join(
        base: &Client,
        identity: &Identity,
        url: RoomUrl,
    ) -> Result<(Self, JoinedRoom)> {
        let probe = base.signed(Signer::new(
            *identity.seed(),
            AuthScheme::Blind15,
            url.pubkey,
        ));
        let capabilities = probe.capabilities().await?.capabilities;
        if capabilities.is_empty() {
            return Err(Error::Protocol(
                "the server reports no capabilities: not a Session community server".into(),
            ));
        }
        let community = Self::new(
            base,
            identity,
            url.clone(),
            url.token.clone(),
            capabilities.clone(),
        );
        let info = community.client.room(&url.token).await?;
        if info.token.is_empty() || info.name.is_empty() {
            return Err(Error::Protocol(
                "the room answer lacks a token or name".into(),
            ));
        }
        let canonical = RoomUrl {
            token: info.token.clone(),
            ..url
        };
        let joined = JoinedRoom {
            url: canonical.to_string(),
            token: info.token.clone(),
            name: info.name,
            capabilities,
        };
        Ok((
            Self {
                token: info.token,
                url: canonical,
                ..community
            },
            joined,
        ))
    }

    /// The signed client (requests as our blinded or unblinded id).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The canonical room token.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The room URL.
    pub fn url(&self) -> &RoomUrl {
        &self.url
    }

    /// Whether the server has `cap` (e.g. `blind`, `blind25`, `reactions`).
    pub fn has(&self, cap: &str) -> bool {
        self.capabilities.iter().any(|c| c == cap)
    }

    /// The id the server knows us by.
    pub fn own_id(&self) -> String {
        self.client.signer().map(Signer::id).unwrap_or_default()
    }

    /// One Desktop-shaped poll: `/batch` of capabilities, pollInfo/0 and the room's messages
    /// since `since` (or the recent ones), returning the messages, signature-checked, sorted by
    /// seqno.
    pub async fn poll(&self, since: Option<i64>) -> Result<Vec<RoomMessage>> {
        let t = &self.token;
        let messages = match since {
            Some(seqno) => format!("/room/{t}/messages/since/{seqno}?t=r&reactors=5"),
            None => format!("/room/{t}/messages/recent?reactors=5"),
        };
        let batch = [
            get("/capabilities".into()),
            get(format!("/room/{t}/pollInfo/0")),
            get(messages),
        ];
        let reply = self
            .client
            .batch(&batch)
            .await?
            .into_iter()
            .nth(2)
            .ok_or_else(|| Error::Protocol("short batch answer".into()))?;
        let updates: Vec<MessageUpdate> = Response::from(reply).ok_json()?;
        let mut out: Vec<RoomMessage> = updates
            .into_iter()
            .filter_map(|u| match u {
                MessageUpdate::Message(m) => Some(checked(m)),
                MessageUpdate::Reactions(_) => None,
            })
            .collect();
        out.sort_by_key(|m| m.seqno);
        Ok(out)
    }

    /// Posts `data` (already padded) signed by our key, attaching uploaded `files`; returns the
    /// message id.
    pub async fn post_data(&self, data: &[u8], files: &[u64]) -> Result<i64> {
        let mut post = self.client.signed_post(data);
        post.files = files
            .iter()
            .filter_map(|f| i64::try_from(*f).ok())
            .collect();
        Ok(self.client.create_message(&self.token, &post).await?.id)
    }

    /// Posts a text (and attachments) as a padded `Content` with our display name.
    pub async fn post_text(
        &self,
        text: &str,
        display_name: Option<&str>,
        attachments: Vec<AttachmentPointer>,
    ) -> Result<i64> {
        let files: Vec<u64> = attachments.iter().filter_map(|a| a.id).collect();
        let content = message_content(text, display_name, attachments, now_ms());
        self.post_data(&content.encode_padded(), &files).await
    }

    /// Uploads a file (raw body, as Desktop does) and returns a pointer to attach to a post.
    pub async fn upload(
        &self,
        bytes: Vec<u8>,
        content_type: &str,
        file_name: Option<&str>,
    ) -> Result<AttachmentPointer> {
        let size = u32::try_from(bytes.len()).map_err(|_| Error::usage("file too large"))?;
        let uploaded = self.client.upload_file(&self.token, bytes, None).await?;
        let id = u64::try_from(uploaded.id)
            .map_err(|_| Error::Protocol("the upload answer has a negative id".into()))?;
        let url = format!("{}/room/{}/file/{id}", self.url.server, self.token);
        let mut pointer = AttachmentPointer::community_file(id, &url, content_type, size);
        pointer.file_name = file_name.map(str::to_owned);
        if content_type.starts_with("audio/") {
            pointer.flags = Some(1);
        }
        Ok(pointer)
    }

    /// Downloads file `id` of the room.
    pub async fn download(&self, id: u64) -> Result<Vec<u8>> {
        let id = i64::try_from(id).map_err(|_| Error::usage(format!("no such file: {id}")))?;
        Ok(self.client.download_file(&self.token, id).await?)
    }

    /// Adds (or with `remove`, removes) our reaction `emoji` to message `id`.
    pub async fn react(&self, id: i64, emoji: &str, remove: bool) -> Result<()> {
        match remove {
            true => self
                .client
                .remove_reaction(&self.token, id, emoji)
                .await
                .map(drop)?,
            false => self
                .client
                .add_reaction(&self.token, id, emoji)
                .await
                .map(drop)?,
        }
        Ok(())
    }

    /// Deletes our message `id` from the room.
    pub async fn delete(&self, id: i64) -> Result<()> {
        self.client.delete_message(&self.token, id).await?;
        Ok(())
    }
}

/// A `GET` sub-request of a `/batch`.
fn get(path: String) -> SubRequest {
    SubRequest {
        method: SubRequestMethod::Get,
        path,
        headers: None,
        json: None,
        b64: None,
        bytes: None,
    }
}

/// A text message `Content` with the sender's display name, as Desktop builds it.
pub fn message_content(
    text: &str,
    display_name: Option<&str>,
    attachments: Vec<AttachmentPointer>,
    timestamp_ms: u64,
) -> Content {
    Content {
        data_message: Some(DataMessage {
            body: (!text.is_empty()).then(|| text.to_owned()),
            attachments,
            timestamp: Some(timestamp_ms),
            profile: display_name.map(|n| LokiProfile {
                display_name: Some(n.to_owned()),
                profile_picture: None,
            }),
        }),
        sig_timestamp: Some(timestamp_ms),
        ..Content::default()
    }
}

/// Checks a message's signature as Desktop does (blinded ids: Ed25519; `05` ids: XEdDSA) and
/// decodes it. Unlike Desktop, which drops forged posts silently, the result is a flag.
fn checked(m: Message) -> RoomMessage {
    let data = m.data.as_deref().and_then(decode_b64);
    let verified = data
        .as_deref()
        .is_some_and(|data| signature_ok(&m.session_id, data, m.signature.as_deref()));
    let content = data
        .as_deref()
        .and_then(|d| Content::decode_padded(d).ok())
        .filter(|c| c.data_message.is_some());
    RoomMessage {
        id: m.id,
        seqno: m.seqno,
        sender: m.session_id,
        posted: m.posted,
        data,
        verified,
        content,
        reactions: m.reactions.unwrap_or_default(),
    }
}

/// Whether the base64 `signature` verifies over `data` for the sender id `sender`.
fn signature_ok(sender: &str, data: &[u8], signature: Option<&str>) -> bool {
    let Some(sig) = signature
        .and_then(decode_b64)
        .and_then(|s| <[u8; 64]>::try_from(s).ok())
    else {
        return false;
    };
    let Some(key) = sender
        .get(2..)
        .and_then(|k| hex::decode(k).ok())
        .and_then(|k| <[u8; 32]>::try_from(k).ok())
    else {
        return false;
    };
    match sender.get(..2) {
        Some("15" | "25") => verify(&key, data, &sig).is_ok(),
        Some("05") => xeddsa::verify(&key, data, &sig).is_ok(),
        _ => false,
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
