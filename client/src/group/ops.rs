//! Group operations over the group's room and blinded DMs: membership (grant/revoke room
//! access, send key records, rotate on removal), sending and reading messages.

use reqwest::Method;
use serde_json::{Value, json};
use sogs_protocol::ids::SessionId;

use super::{GroupState, KeyRecord, MAX_MEMBERS};
use crate::community::{Community, now_ms};
use crate::content::{Content, Envelope, EnvelopeType};
use crate::dm;
use crate::e2e::groups;
use crate::error::{Error, Result};
use crate::identity::Identity;

/// A decrypted group message.
#[derive(Debug, Clone)]
pub struct GroupMessage {
    /// Room message id.
    pub id: i64,
    /// The authenticated sender.
    pub sender: SessionId,
    /// Server time in seconds.
    pub posted: f64,
    /// The key generation that opened it.
    pub generation: usize,
    /// The message.
    pub content: Content,
}

/// Grants (or revokes) read/write access to the group's room for `member`:
/// `POST /room/<token>/permissions/<blinded id>` (requires room moderator rights).
pub async fn set_access(room: &Community, member: &str, allowed: bool) -> Result<()> {
    let id = dm::recipient_id(room, member)?;
    let path = format!("/room/{}/permissions/{}", room.token(), id.as_str());
    let body =
        json!({ "read": allowed, "write": allowed, "upload": allowed, "accessible": allowed });
    room.client()
        .send_json(Method::POST, &path, &body)
        .await?
        .ok_json::<Value>()?;
    Ok(())
}

/// Sends the group's signed key record to every member but us.
pub async fn distribute(room: &Community, admin: &Identity, group: &GroupState) -> Result<()> {
    let record = group
        .signed_record()
        .ok_or_else(|| Error::usage("only the group's admin can change it"))?;
    let me = admin.session_id();
    for member in group.members.iter().filter(|m| *m != me.as_str()) {
        let to = dm::recipient_id(room, member)?;
        let content = Content {
            group_keys: Some(record.clone()),
            sig_timestamp: Some(now_ms()),
            ..Content::default()
        };
        dm::send(room, admin, &to, &content).await?;
    }
    Ok(())
}

/// Adds `member` (a 05 id) and sends every member the updated record (no rotation: a new
/// member can read the group's history).
pub fn add_member(group: &mut GroupState, member: &str) -> Result<()> {
    SessionId::parse(member).map_err(|_| Error::usage(format!("not a Session ID: {member}")))?;
    if group.members.iter().any(|m| m == member) {
        return Err(Error::usage(format!("{member} is already a member")));
    }
    if group.members.len() >= MAX_MEMBERS {
        return Err(Error::usage(format!(
            "a group has at most {MAX_MEMBERS} members"
        )));
    }
    group.members.push(member.to_owned());
    Ok(())
}

/// Removes `member` and rotates the key, so later messages are unreadable to them.
pub fn remove_member(group: &mut GroupState, member: &str) -> Result<()> {
    if member == group.admin {
        return Err(Error::usage("the admin cannot be removed"));
    }
    let before = group.members.len();
    group.members.retain(|m| m != member);
    if group.members.len() == before {
        return Err(Error::usage(format!("{member} is not a member")));
    }
    group.rotate();
    Ok(())
}

/// Encrypts `content` under the newest key and posts it to the group's room.
pub async fn send(
    room: &Community,
    me: &Identity,
    group: &GroupState,
    content: &Content,
) -> Result<i64> {
    let (Some(pk), Some(key)) = (group.public_key(), group.key_bytes().last().copied()) else {
        return Err(Error::usage(format!("group {} has no key", group.id)));
    };
    let ts = content.sig_timestamp.unwrap_or_else(now_ms);
    let envelope = Envelope {
        kind: EnvelopeType::ClosedGroupMessage,
        timestamp: Some(ts),
        source_device: Some(1),
        content: Some(content.encode()),
        ..Envelope::default()
    };
    let ciphertext = groups::encrypt(me, &pk, &key, &envelope.encode())?;
    room.post_data(&ciphertext, &[]).await
}

/// Reads the room and decrypts what our keys open, from members only; returns the messages
/// and how many could not be opened (e.g. sent after we were removed).
pub async fn read(room: &Community, group: &GroupState) -> Result<(Vec<GroupMessage>, usize)> {
    let pk = group
        .public_key()
        .ok_or_else(|| Error::usage("malformed group id"))?;
    let keys = group.key_bytes();
    let (mut out, mut unreadable) = (Vec::new(), 0);
    for m in room.poll(None).await? {
        let Some(data) = m.data.as_deref() else {
            continue;
        };
        match open(&keys, &pk, data, group) {
            Some((sender, generation, content)) => out.push(GroupMessage {
                id: m.id,
                sender,
                posted: m.posted,
                generation,
                content,
            }),
            None => unreadable += 1,
        }
    }
    Ok((out, unreadable))
}

/// Decrypts one room message as a group message from a member.
fn open(
    keys: &[[u8; 32]],
    pk: &[u8; 32],
    data: &[u8],
    group: &GroupState,
) -> Option<(SessionId, usize, Content)> {
    let plain = groups::decrypt(keys, pk, data).ok()?;
    let member = group.members.iter().any(|m| m == plain.sender.as_str());
    let envelope = Envelope::decode(&plain.data).ok()?;
    let content = Content::decode(envelope.content.as_deref()?).ok()?;
    member.then_some((plain.sender, plain.generation, content))
}

/// Takes the key records among our DMs into `groups` (new groups, new keys, new members);
/// returns how many records were accepted.
pub async fn sync(
    room: &Community,
    me: &Identity,
    groups_state: &mut Vec<GroupState>,
) -> Result<usize> {
    let mut accepted = 0;
    for message in dm::read(room, me)
        .await?
        .into_iter()
        .filter(|m| !m.outgoing)
    {
        let Some(bytes) = message.content.group_keys.as_deref() else {
            continue;
        };
        let Ok(record) = KeyRecord::open(bytes, &message.sender) else {
            continue;
        };
        accepted += usize::from(merge(groups_state, record));
    }
    Ok(accepted)
}

/// Merges a verified record: a new group, or a newer one (at least as many keys, same admin).
fn merge(groups_state: &mut Vec<GroupState>, record: KeyRecord) -> bool {
    match groups_state.iter_mut().find(|g| g.id == record.group_id) {
        None => groups_state.push(GroupState::from_record(record)),
        Some(existing)
            if existing.seed.is_none()
                && existing.admin == record.admin
                && record.keys.len() >= existing.keys.len() =>
        {
            let updated = GroupState::from_record(record);
            if updated == *existing {
                return false;
            }
            *existing = updated;
        }
        Some(_) => return false,
    }
    true
}
