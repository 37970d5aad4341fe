//! One joined room, seen by one identity: joining (capabilities, room info), polling the way
//! Session Desktop polls (`/batch`), posting padded and signed `Content`, files and reactions.

use reqwest::Method;
use serde_json::{Value, json};
use sogs_protocol::api::messages::{Message, Reactions};
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
        let caps: Value = probe.capabilities().await?;
        let capabilities: Vec<String> = caps["capabilities"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|c| c.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
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
        let (Some(token), Some(name)) = (info["token"].as_str(), info["name"].as_str()) else {
            return Err(Error::Protocol(
                "the room answer lacks a token or name".into(),
            ));
        };
        let canonical = RoomUrl {
            token: token.to_owned(),
            ..url
        };
        let joined = JoinedRoom {
            url: canonical.to_string(),
            token: token.to_owned(),
            name: name.to_owned(),
            capabilities,
        };
        Ok((
            Self {
                token: token.to_owned(),
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
        let batch = json!([
            {"method": "GET", "path": "/capabilities"},
            {"method": "GET", "path": format!("/room/{t}/pollInfo/0")},
            {"method": "GET", "path": messages},
        ]);
        let answers: Vec<Value> = self
            .client
            .send_json(Method::POST, "/batch", &batch)
            .await?
            .ok_json()?;
        let reply = answers
            .get(2)
            .ok_or_else(|| Error::Protocol("short batch answer".into()))?;
        let code = reply["code"].as_u64().unwrap_or(0);
        if !(200..300).contains(&code) {
            let status = u16::try_from(code).unwrap_or(0);
            return Err(crate::api::ClientError::Status {
                status,
                body: reply["body"].to_string(),
            }
            .into());
        }
        let mut out: Vec<RoomMessage> = reply["body"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|m| serde_json::from_value::<Message>(m.clone()).ok())
                    .map(checked)
                    .collect()
            })
            .unwrap_or_default();
        out.sort_by_key(|m| m.seqno);
        Ok(out)
    }

    /// Posts `data` (already padded) signed by our key; returns the message id.
    pub async fn post_data(&self, data: &[u8], files: &[u64]) -> Result<i64> {
        let files: Vec<String> = files.iter().map(u64::to_string).collect();
        let resp = self
            .client
            .post_message(
                &self.token,
                data,
                json!({ "files": files, "timestamp": now_ms() }),
            )
            .await?;
        let posted: Value = resp.ok_json()?;
        posted["id"]
            .as_i64()
            .ok_or_else(|| Error::Protocol("the post answer has no id".into()))
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
        let path = format!("/room/{}/file", self.token);
        let headers = [("Content-Type", "application/octet-stream")];
        let answer: Value = self
            .client
            .request(Method::POST, &path, &headers, Some(bytes))
            .await?
            .ok_json()?;
        let id = answer["id"]
            .as_u64()
            .ok_or_else(|| Error::Protocol("the upload answer has no id".into()))?;
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
        let resp: Response = self
            .client
            .get(&format!("/room/{}/file/{id}", self.token))
            .await?;
        if !(200..300).contains(&resp.status) {
            return Err(crate::api::ClientError::Status {
                status: resp.status,
                body: resp.text(),
            }
            .into());
        }
        Ok(resp.body)
    }

    /// Adds (or with `remove`, removes) our reaction `emoji` to message `id`.
    pub async fn react(&self, id: i64, emoji: &str, remove: bool) -> Result<()> {
        let method = if remove { Method::DELETE } else { Method::PUT };
        let path = format!(
            "/room/{}/reaction/{id}/{}",
            self.token,
            percent_encoding::utf8_percent_encode(emoji, percent_encoding::NON_ALPHANUMERIC)
        );
        self.client
            .request(method, &path, &[("Content-Type", "application/json")], None)
            .await?
            .ok_json::<Value>()?;
        Ok(())
    }

    /// Deletes our message `id` from the room.
    pub async fn delete(&self, id: i64) -> Result<()> {
        self.client
            .request(
                Method::DELETE,
                &format!("/room/{}/message/{id}", self.token),
                &[],
                None,
            )
            .await?
            .ok_json::<Value>()?;
        Ok(())
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
