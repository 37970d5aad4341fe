//! Group operations over the group's room and blinded DMs: membership (grant/revoke room
//! access, send key records, rotate on removal), sending and reading messages and encrypted
//! attachments.

use sogs_protocol::api::permissions::SetPermissions;
use sogs_protocol::ids::SessionId;

use super::{GroupState, KeyRecord, MAX_MEMBERS};
use crate::community::{Community, now_ms};
use crate::content::{AttachmentPointer, Content, Envelope, EnvelopeType};
use crate::dm;
use crate::e2e::{attachment, groups};
use crate::error::{Error, Result};
use crate::identity::Identity;
use crate::mailbox::Mailbox;

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
    let access = SetPermissions {
        read: Some(allowed),
        accessible: Some(allowed),
        write: Some(allowed),
        upload: Some(allowed),
        ..SetPermissions::default()
    };
    room.client()
        .set_permissions(room.token(), id.as_str(), &access)
        .await?;
    Ok(())
}

/// Sends the group's signed key record to every member but us, and the record with the group
/// seed to our own account (for our other devices).
pub async fn distribute(room: &Community, admin: &Identity, group: &GroupState) -> Result<()> {
    let not_admin = || Error::usage("only the group's admin can change it");
    let record = group.signed_record().ok_or_else(not_admin)?;
    let own_copy = group.signed_record_for_self().ok_or_else(not_admin)?;
    let me = admin.session_id();
    let others = group.members.iter().filter(|m| *m != me.as_str());
    let copies = others
        .map(|m| (m.as_str(), &record))
        .chain([(me.as_str(), &own_copy)]);
    for (member, bytes) in copies {
        let to = dm::recipient_id(room, member)?;
        let content = Content {
            group_keys: Some(bytes.clone()),
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
    let files: Vec<u64> = content
        .data_message
        .iter()
        .flat_map(|d| d.attachments.iter().filter_map(|a| a.id))
        .collect();
    room.post_data(&ciphertext, &files)
        .await
        .map_err(|e| refused_member(group, e))
}

/// Encrypts `file` with a fresh key and uploads it to the group's room; returns the pointer
/// (with the key and digest) to put in a group message.
pub async fn upload_attachment(
    room: &Community,
    group: &GroupState,
    file: &[u8],
    content_type: &str,
    file_name: Option<&str>,
) -> Result<AttachmentPointer> {
    let pk = group
        .public_key()
        .ok_or_else(|| Error::usage("malformed group id"))?;
    let size = u32::try_from(file.len()).map_err(|_| Error::usage("file too large"))?;
    let sealed = attachment::seal(&pk, file)?;
    let mut pointer = room
        .upload(sealed.stored, content_type, file_name)
        .await
        .map_err(|e| refused_member(group, e))?;
    pointer.size = Some(size);
    pointer.key = Some(sealed.key.to_vec());
    pointer.digest = Some(sealed.digest.to_vec());
    Ok(pointer)
}

/// Downloads and decrypts attachment `file_id` of a group message we can read.
pub async fn download_attachment(
    room: &Community,
    group: &GroupState,
    file_id: u64,
) -> Result<Vec<u8>> {
    let pk = group
        .public_key()
        .ok_or_else(|| Error::usage("malformed group id"))?;
    let (messages, _) = read(room, group).await?;
    let pointer = messages
        .iter()
        .filter_map(|m| m.content.data_message.as_ref())
        .flat_map(|d| &d.attachments)
        .find(|a| a.id == Some(file_id) && a.key.is_some())
        .cloned()
        .ok_or_else(|| {
            Error::usage(format!(
                "file {file_id} is not an attachment of a message of group {}",
                group.name
            ))
        })?;
    let stored = room.download(file_id).await?;
    let key = pointer.key.unwrap_or_default();
    Ok(attachment::open(
        &pk,
        &key,
        pointer.digest.as_deref(),
        &stored,
    )?)
}

/// Reads the room and decrypts what our keys open, from members only; returns the messages
/// and how many could not be opened (e.g. sent after we were removed).
pub async fn read(room: &Community, group: &GroupState) -> Result<(Vec<GroupMessage>, usize)> {
    let pk = group
        .public_key()
        .ok_or_else(|| Error::usage("malformed group id"))?;
    let keys = group.key_bytes();
    let (mut out, mut unreadable) = (Vec::new(), 0);
    let messages = room
        .poll(None)
        .await
        .map_err(|e| refused_member(group, e))?;
    for m in messages {
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

/// A member's access to the group's room refused (403, or 404 once the room is no longer
/// accessible to them): the admin removed them. The admin's own refusals stay as they are.
fn refused_member(group: &GroupState, err: Error) -> Error {
    match err {
        Error::Client(cause)
            if group.seed.is_none() && matches!(cause.status(), Some(403 | 404)) =>
        {
            Error::NoLongerMember {
                group: group.name.clone(),
                cause,
            }
        }
        other => other,
    }
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

/// Fetches our DMs into `mailbox` and takes the key records among them (received from an
/// admin, or published by our own account from any device) into `groups`; returns how many
/// records changed something.
pub async fn sync(
    room: &Community,
    me: &Identity,
    mailbox: &mut Mailbox,
    groups_state: &mut Vec<GroupState>,
) -> Result<usize> {
    let own = me.session_id();
    let mut accepted = 0;
    for message in dm::read(room, me, mailbox).await? {
        let Some(bytes) = message.content.group_keys.as_deref() else {
            continue;
        };
        let Ok(record) = KeyRecord::open(bytes, &message.sender) else {
            continue;
        };
        let seed = (message.sender == own)
            .then(|| KeyRecord::attached_seed(bytes, &record.group_id))
            .flatten();
        accepted += usize::from(merge(groups_state, record, seed));
    }
    Ok(accepted)
}

/// Merges a verified record, oldest first: a new group, or a newer state of one we know (same
/// admin, at least as many keys). A seed (from our own account) makes us its admin here too.
fn merge(groups_state: &mut Vec<GroupState>, record: KeyRecord, seed: Option<String>) -> bool {
    match groups_state.iter_mut().find(|g| g.id == record.group_id) {
        None => groups_state.push(GroupState {
            seed,
            ..GroupState::from_record(record)
        }),
        Some(existing)
            if existing.admin == record.admin && record.keys.len() >= existing.keys.len() =>
        {
            let updated = GroupState {
                seed: existing.seed.clone().or(seed),
                ..GroupState::from_record(record)
            };
            if updated == *existing {
                return false;
            }
            *existing = updated;
        }
        Some(_) => return false,
    }
    true
}
