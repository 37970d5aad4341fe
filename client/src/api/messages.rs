//! Messages and reactions: the listings, `…/message[/{id}]`, `…/reaction(s)/…` and
//! `…/reactors/…`.

use reqwest::Method;
use sogs_protocol::api::common::Empty;
use sogs_protocol::api::messages::{EditMessage, Message, MessageUpdate, PostMessage};
use sogs_protocol::api::reactions::{ReactionAdded, ReactionRemoved, ReactionsCleared, Reactor};
use sogs_protocol::encoding::encode_b64;

use super::{Client, ClientError, query, segment};

/// Query parameters of the message listings; `Default` sends none (the server's defaults).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MessageQuery {
    /// `limit`: at most this many (server default 100, clamped to 1..=256).
    pub limit: Option<u32>,
    /// `reactors`: how many reactors to list per reaction (default 4, clamped to 0..=20).
    pub reactors: Option<u32>,
    /// `t=r`: also report reaction-only changes (`messages/since` only).
    pub reaction_updates: bool,
}

impl MessageQuery {
    /// `?limit=…&t=r&reactors=…`, as far as set.
    fn to_query(self) -> String {
        query(&[
            ("limit", self.limit.map(|n| n.to_string())),
            ("t", self.reaction_updates.then(|| "r".to_owned())),
            ("reactors", self.reactors.map(|n| n.to_string())),
        ])
    }
}

impl Client {
    /// `GET /room/{token}/messages/since/{seqno}`: changes after `seqno`, oldest first.
    pub async fn messages_since(
        &self,
        token: &str,
        seqno: i64,
        q: MessageQuery,
    ) -> Result<Vec<MessageUpdate>, ClientError> {
        let path = format!("/room/{token}/messages/since/{seqno}{}", q.to_query());
        self.call_empty(Method::GET, &path).await
    }

    /// `GET /room/{token}/messages/recent`: the newest messages, newest first.
    pub async fn messages_recent(
        &self,
        token: &str,
        q: MessageQuery,
    ) -> Result<Vec<Message>, ClientError> {
        let path = format!("/room/{token}/messages/recent{}", q.to_query());
        self.call_empty(Method::GET, &path).await
    }

    /// `GET /room/{token}/messages/before/{id}`: messages older than `id`, newest first.
    pub async fn messages_before(
        &self,
        token: &str,
        id: i64,
        q: MessageQuery,
    ) -> Result<Vec<Message>, ClientError> {
        let path = format!("/room/{token}/messages/before/{id}{}", q.to_query());
        self.call_empty(Method::GET, &path).await
    }

    /// `GET /room/{token}/message/{id}`: one message (404 when missing, deleted or invisible).
    pub async fn message(
        &self,
        token: &str,
        id: i64,
        q: MessageQuery,
    ) -> Result<Message, ClientError> {
        let path = format!("/room/{token}/message/{id}{}", q.to_query());
        self.call_empty(Method::GET, &path).await
    }

    /// A post of `data` signed by this client's identity, to complete (whisper, files) and send
    /// with [`Client::create_message`].
    pub fn signed_post(&self, data: &[u8]) -> PostMessage {
        PostMessage {
            data: encode_b64(data),
            signature: self.sign_data(data),
            whisper_to: None,
            whisper_mods: false,
            files: vec![],
        }
    }

    /// An edit to `data` signed by this client's identity, for [`Client::update_message`].
    pub fn signed_edit(&self, data: &[u8]) -> EditMessage {
        EditMessage {
            data: encode_b64(data),
            signature: self.sign_data(data),
            files: vec![],
        }
    }

    /// `POST /room/{token}/message`: posts a message (201), answered with the stored message.
    pub async fn create_message(
        &self,
        token: &str,
        post: &PostMessage,
    ) -> Result<Message, ClientError> {
        let path = format!("/room/{token}/message");
        self.call(Method::POST, &path, post).await
    }

    /// `PUT /room/{token}/message/{id}`: replaces our message's data.
    pub async fn update_message(
        &self,
        token: &str,
        id: i64,
        edit: &EditMessage,
    ) -> Result<Empty, ClientError> {
        let path = format!("/room/{token}/message/{id}");
        self.call(Method::PUT, &path, edit).await
    }

    /// `DELETE /room/{token}/message/{id}`: deletes our message (any message, for moderators).
    pub async fn delete_message(&self, token: &str, id: i64) -> Result<Empty, ClientError> {
        let path = format!("/room/{token}/message/{id}");
        self.call_empty(Method::DELETE, &path).await
    }

    /// `PUT /room/{token}/reaction/{id}/{reaction}`: adds our reaction.
    pub async fn add_reaction(
        &self,
        token: &str,
        id: i64,
        reaction: &str,
    ) -> Result<ReactionAdded, ClientError> {
        let path = format!("/room/{token}/reaction/{id}/{}", segment(reaction));
        self.call(Method::PUT, &path, &Empty {}).await
    }

    /// `DELETE /room/{token}/reaction/{id}/{reaction}`: removes our reaction.
    pub async fn remove_reaction(
        &self,
        token: &str,
        id: i64,
        reaction: &str,
    ) -> Result<ReactionRemoved, ClientError> {
        let path = format!("/room/{token}/reaction/{id}/{}", segment(reaction));
        self.call_empty(Method::DELETE, &path).await
    }

    /// `DELETE /room/{token}/reactions/{id}[/{reaction}]` (moderators): removes everyone's
    /// reactions to a message, or only `reaction`.
    pub async fn clear_reactions(
        &self,
        token: &str,
        id: i64,
        reaction: Option<&str>,
    ) -> Result<ReactionsCleared, ClientError> {
        let suffix = reaction.map(|r| format!("/{}", segment(r)));
        let path = format!("/room/{token}/reactions/{id}{}", suffix.unwrap_or_default());
        self.call_empty(Method::DELETE, &path).await
    }

    /// `GET /room/{token}/reactors/{id}/{reaction}`: who reacted so, in order (`limit`: at
    /// most that many; all by default).
    pub async fn reactors(
        &self,
        token: &str,
        id: i64,
        reaction: &str,
        limit: Option<u32>,
    ) -> Result<Vec<Reactor>, ClientError> {
        let limit = query(&[("limit", limit.map(|n| n.to_string()))]);
        let path = format!("/room/{token}/reactors/{id}/{}{limit}", segment(reaction));
        self.call_empty(Method::GET, &path).await
    }
}
