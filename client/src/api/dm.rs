//! Blinded direct messages: `POST /inbox/{id}`, `GET /inbox|outbox[/since/{id}]` and
//! `DELETE /inbox`.

use reqwest::Method;
use sogs_protocol::api::dm::{DirectMessage, InboxCleared, SendDirectMessage, SentDirectMessage};
use sogs_protocol::encoding::encode_b64;

use super::{Client, ClientError, query};

impl Client {
    /// `POST /inbox/{to}`: stores `message` (already end-to-end encrypted) for the blinded id
    /// `to` (201).
    pub async fn send_direct_message(
        &self,
        to: &str,
        message: &[u8],
    ) -> Result<SentDirectMessage, ClientError> {
        let body = SendDirectMessage {
            message: encode_b64(message),
        };
        self.call(Method::POST, &format!("/inbox/{to}"), &body)
            .await
    }

    /// `GET /inbox`: received messages, oldest first (`limit`: server default 100, max 256).
    pub async fn inbox(&self, limit: Option<u32>) -> Result<Vec<DirectMessage>, ClientError> {
        self.mailbox("/inbox", limit).await
    }

    /// `GET /inbox/since/{id}`: received messages after `id` (none: the server's 304).
    pub async fn inbox_since(
        &self,
        id: i64,
        limit: Option<u32>,
    ) -> Result<Vec<DirectMessage>, ClientError> {
        self.mailbox(&format!("/inbox/since/{id}"), limit).await
    }

    /// `GET /outbox`: sent messages, oldest first.
    pub async fn outbox(&self, limit: Option<u32>) -> Result<Vec<DirectMessage>, ClientError> {
        self.mailbox("/outbox", limit).await
    }

    /// `GET /outbox/since/{id}`: sent messages after `id` (none: the server's 304).
    pub async fn outbox_since(
        &self,
        id: i64,
        limit: Option<u32>,
    ) -> Result<Vec<DirectMessage>, ClientError> {
        self.mailbox(&format!("/outbox/since/{id}"), limit).await
    }

    /// `DELETE /inbox`: deletes every received message.
    pub async fn clear_inbox(&self) -> Result<InboxCleared, ClientError> {
        self.call_empty(Method::DELETE, "/inbox").await
    }

    /// A mailbox listing; 304 (nothing new) is an empty list.
    async fn mailbox(
        &self,
        path: &str,
        limit: Option<u32>,
    ) -> Result<Vec<DirectMessage>, ClientError> {
        let path = format!(
            "{path}{}",
            query(&[("limit", limit.map(|n| n.to_string()))])
        );
        let resp = self.get(&path).await?;
        match resp.status {
            304 => Ok(vec![]),
            _ => resp.ok_json(),
        }
    }
}
