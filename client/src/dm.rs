//! One-to-one messages through a community's inbox: blinded, end-to-end encrypted DMs (spec
//! client-protocols §1.10, §3). A `05` Session ID is turned into the recipient's blinded id
//! on that server: blind25 when the server offers it, otherwise blind15 (whose sign the 05 id
//! does not fix: we address the positive form, and the recipient's side accepts either).
//! What was fetched is kept in a [`Mailbox`] per server, so reading is incremental and
//! idempotent, and a device restored from the recovery phrase recovers what the server holds.

use sogs_protocol::api::dm::DirectMessage as ServerDm;
use sogs_protocol::blinding::{blind15_candidates, blind25_from_session};
use sogs_protocol::encoding::decode_b64;
use sogs_protocol::ids::{BlindScheme, BlindedId, SessionId};
use sogs_protocol::signing::AuthScheme;

use crate::community::Community;
use crate::content::Content;
use crate::e2e::blinded_dm;
use crate::error::{Error, Result};
use crate::identity::Identity;
use crate::mailbox::{Mailbox, StoredDm};

/// A decrypted DM (received or sent by us).
#[derive(Debug, Clone)]
pub struct DirectMessage {
    /// Inbox/outbox id.
    pub id: i64,
    /// True for messages we sent (outbox).
    pub outgoing: bool,
    /// The other party's blinded id.
    pub peer: String,
    /// The authenticated sender's Session ID.
    pub sender: SessionId,
    /// Server time in seconds.
    pub posted: f64,
    /// The message.
    pub content: Content,
}

/// The blinded id to address for `to` (a `05`, `15` or `25` id) on this community's server.
pub fn recipient_id(community: &Community, to: &str) -> Result<BlindedId> {
    if let Ok(blinded) = BlindedId::parse(to) {
        return Ok(blinded);
    }
    let session = SessionId::parse(to)
        .map_err(|_| Error::usage(format!("not a Session ID or blinded id: {to}")))?;
    let pk = &community.url().pubkey;
    let bad = |_| Error::usage(format!("{to} is not a valid Session ID"));
    if community.has("blind25") {
        blind25_from_session(&session, pk).map_err(bad)
    } else {
        Ok(blind15_candidates(&session, pk).map_err(bad)?[0].clone())
    }
}

/// Encrypts `content` for `to` and posts it to the server's inbox; returns the DM id.
pub async fn send(
    community: &Community,
    identity: &Identity,
    to: &BlindedId,
    content: &Content,
) -> Result<i64> {
    let message = blinded_dm::encrypt_content(identity, &community.url().pubkey, to, content)?;
    let client = match (to.scheme(), community.client().signer()) {
        (BlindScheme::Blind25, Some(signer)) => community
            .client()
            .signed(signer.with_scheme(AuthScheme::Blind25)),
        _ => community.client().clone(),
    };
    Ok(client.send_direct_message(to.as_str(), &message).await?.id)
}

/// Most items one `GET /inbox`/`/outbox` returns (the server's maximum `limit`).
const PAGE: u32 = 256;

/// Fetches what the server holds beyond `mailbox`'s cursors (all of it for an empty mailbox,
/// page by page) into `mailbox`; returns how many items were new.
pub async fn fetch(community: &Community, mailbox: &mut Mailbox) -> Result<usize> {
    let mut added = 0;
    let client = community.client();
    for outgoing in [false, true] {
        loop {
            let page = match (outgoing, mailbox.cursor(outgoing)) {
                (false, 0) => client.inbox(Some(PAGE)).await?,
                (false, after) => client.inbox_since(after, Some(PAGE)).await?,
                (true, 0) => client.outbox(Some(PAGE)).await?,
                (true, after) => client.outbox_since(after, Some(PAGE)).await?,
            };
            let full = page.len() >= PAGE as usize;
            for item in page {
                added += usize::from(mailbox.insert(stored(item, outgoing)));
            }
            if !full {
                break;
            }
        }
    }
    Ok(added)
}

/// Fetches new items into `mailbox`, then decrypts all of it, oldest first; items that do not
/// decrypt are skipped.
pub async fn read(
    community: &Community,
    identity: &Identity,
    mailbox: &mut Mailbox,
) -> Result<Vec<DirectMessage>> {
    fetch(community, mailbox).await?;
    Ok(open_all(community, identity, mailbox))
}

/// Decrypts every item of `mailbox`, in id order; a DM to ourselves (in both boxes) once.
pub fn open_all(
    community: &Community,
    identity: &Identity,
    mailbox: &Mailbox,
) -> Vec<DirectMessage> {
    let mut out: Vec<DirectMessage> = mailbox
        .items
        .iter()
        .filter_map(|item| open(community, identity, item))
        .collect();
    out.dedup_by_key(|m| m.id);
    out
}

/// The stored form of one server item.
fn stored(item: ServerDm, outgoing: bool) -> StoredDm {
    StoredDm {
        id: item.id,
        outgoing,
        sender: item.sender,
        recipient: item.recipient,
        posted_at: item.posted_at,
        message: item.message,
    }
}

/// Decrypts one stored item.
fn open(community: &Community, identity: &Identity, item: &StoredDm) -> Option<DirectMessage> {
    let sender = BlindedId::parse(&item.sender).ok()?;
    let recipient = BlindedId::parse(&item.recipient).ok()?;
    let data = decode_b64(&item.message)?;
    let opened = blinded_dm::decrypt(
        identity,
        &community.url().pubkey,
        &sender,
        &recipient,
        &data,
    )
    .ok()?;
    let content = opened.content().ok()?;
    let peer = if item.outgoing { recipient } else { sender };
    Some(DirectMessage {
        id: item.id,
        outgoing: item.outgoing,
        peer: peer.as_str().to_owned(),
        sender: opened.sender,
        posted: item.posted_at,
        content,
    })
}
