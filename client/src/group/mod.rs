//! Closed groups (≤ 100 members) living in a private room of a community server; see
//! `docs/CLIENT.md` for the design and threat model.
//!
//! A group is an Ed25519 key pair (id `03…`) whose seed only the admin holds. Its message keys
//! (one per generation, 32 random bytes) travel in a [`KeyRecord`] signed by the group key,
//! sent to each member by blinded DM (and, with the seed attached, to the admin's own account
//! for its other devices); removing a member adds a generation. Messages use the groups-v2
//! format of [`crate::e2e::groups`]. The operations are in [`ops`].

pub mod ops;

use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use sogs_protocol::ids::SessionId;
use sogs_protocol::signing::verify;
use zeroize::Zeroizing;

use crate::content::DecodeError;
use crate::content::wire::{Reader, put_bytes, put_opt_str};
use crate::e2e::groups::GroupCryptoError;
use crate::identity::Identity;

/// Most members a group may have.
pub const MAX_MEMBERS: usize = 100;

/// A group as this profile knows it (stored in the profile's state, mode 0600).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct GroupState {
    /// `03` + hex of the group's Ed25519 public key.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Join URL of the room holding the group's messages.
    pub room: String,
    /// The admin's Session ID.
    pub admin: String,
    /// Members' Session IDs (the admin included).
    pub members: Vec<String>,
    /// Message keys (hex), index = generation; the last one encrypts new messages.
    pub keys: Vec<String>,
    /// The group's Ed25519 seed (hex): only the admin has it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<String>,
}

/// What the admin sends each member: the group's description and every key so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRecord {
    /// Group id (`03…`).
    pub group_id: String,
    /// Group name.
    pub name: String,
    /// Join URL of the group's room.
    pub room: String,
    /// The admin's Session ID.
    pub admin: String,
    /// Members' Session IDs.
    pub members: Vec<String>,
    /// All message keys, oldest first.
    pub keys: Vec<[u8; 32]>,
}

impl GroupState {
    /// A new group administered by `admin`, with one member (the admin) and one key.
    pub fn create(admin: &Identity, name: &str, room: &str) -> Self {
        let mut seed = Zeroizing::new([0u8; 32]);
        OsRng.fill_bytes(seed.as_mut());
        let group = Identity::from_seed(&seed);
        let me = admin.session_id().as_str().to_owned();
        Self {
            id: format!("03{}", hex::encode(group.ed25519_public())),
            name: name.to_owned(),
            room: room.to_owned(),
            admin: me.clone(),
            members: vec![me],
            keys: vec![hex::encode(random_key())],
            seed: Some(hex::encode(seed.as_ref())),
        }
    }

    /// The group's Ed25519 public key.
    pub fn public_key(&self) -> Option<[u8; 32]> {
        hex::decode(self.id.strip_prefix("03")?)
            .ok()?
            .try_into()
            .ok()
    }

    /// The message keys, oldest first (malformed entries are skipped).
    pub fn key_bytes(&self) -> Vec<[u8; 32]> {
        self.keys
            .iter()
            .filter_map(|k| hex::decode(k).ok()?.try_into().ok())
            .collect()
    }

    /// Adds a new generation key (on member removal).
    pub fn rotate(&mut self) {
        self.keys.push(hex::encode(random_key()));
    }

    /// This group's key record.
    pub fn record(&self) -> KeyRecord {
        KeyRecord {
            group_id: self.id.clone(),
            name: self.name.clone(),
            room: self.room.clone(),
            admin: self.admin.clone(),
            members: self.members.clone(),
            keys: self.key_bytes(),
        }
    }

    /// The record signed with the group seed (admin only).
    pub fn signed_record(&self) -> Option<Vec<u8>> {
        let seed: [u8; 32] = hex::decode(self.seed.as_deref()?).ok()?.try_into().ok()?;
        let group = Identity::from_seed(&seed);
        let body = self.record().encode();
        let mut out = body.clone();
        put_bytes(&mut out, 7, &group.sign(&body));
        Some(out)
    }

    /// The signed record plus the group seed (field 8, outside the signature): the copy the
    /// admin sends to its own account, so its other devices can administer the group too.
    pub fn signed_record_for_self(&self) -> Option<Vec<u8>> {
        let mut out = self.signed_record()?;
        let seed = Zeroizing::new(hex::decode(self.seed.as_deref()?).ok()?);
        put_bytes(&mut out, 8, &seed);
        Some(out)
    }

    /// The state a member keeps after receiving `record`.
    pub fn from_record(record: KeyRecord) -> Self {
        Self {
            id: record.group_id,
            name: record.name,
            room: record.room,
            admin: record.admin,
            members: record.members,
            keys: record.keys.iter().map(hex::encode).collect(),
            seed: None,
        }
    }
}

impl KeyRecord {
    /// Protobuf encoding of fields 1–6 (what the group key signs).
    pub fn encode(&self) -> Vec<u8> {
        let mut buf = Vec::new();
        put_opt_str(&mut buf, 1, Some(&self.group_id));
        put_opt_str(&mut buf, 2, Some(&self.name));
        put_opt_str(&mut buf, 3, Some(&self.room));
        put_opt_str(&mut buf, 4, Some(&self.admin));
        for member in &self.members {
            put_opt_str(&mut buf, 5, Some(member));
        }
        for key in &self.keys {
            put_bytes(&mut buf, 6, key);
        }
        buf
    }

    /// Decodes a signed record, checking the signature (field 7) against the group id's key
    /// and that it was delivered by the admin it names.
    pub fn open(data: &[u8], delivered_by: &SessionId) -> Result<Self, GroupCryptoError> {
        let (record, signed_len, sig) =
            Self::decode(data).map_err(|_| GroupCryptoError::Malformed)?;
        let sig: [u8; 64] = sig.try_into().map_err(|_| GroupCryptoError::Malformed)?;
        let state = GroupState::from_record(record.clone());
        let pk = state.public_key().ok_or(GroupCryptoError::Malformed)?;
        verify(&pk, &data[..signed_len], &sig).map_err(|_| GroupCryptoError::RecordSignature)?;
        if record.admin != delivered_by.as_str() || record.members.len() > MAX_MEMBERS {
            return Err(GroupCryptoError::RecordSignature);
        }
        Ok(record)
    }

    /// The group seed attached to a record (field 8), if it is the seed of `group_id`. Only
    /// meaningful in a record our own account delivered ([`GroupState::signed_record_for_self`]).
    pub fn attached_seed(data: &[u8], group_id: &str) -> Option<String> {
        let mut reader = Reader::new(data);
        while let Some((field, value)) = reader.next_field().ok()? {
            if field != 8 {
                continue;
            }
            let seed: [u8; 32] = value.bytes("seed").ok()?.try_into().ok()?;
            let group = Identity::from_seed(&seed);
            let id = format!("03{}", hex::encode(group.ed25519_public()));
            return (id == group_id).then(|| hex::encode(seed));
        }
        None
    }

    /// Decodes fields 1–6 and returns the record, the signed prefix length and the signature.
    fn decode(data: &[u8]) -> Result<(Self, usize, Vec<u8>), DecodeError> {
        let mut out = Self {
            group_id: String::new(),
            name: String::new(),
            room: String::new(),
            admin: String::new(),
            members: vec![],
            keys: vec![],
        };
        let mut reader = Reader::new(data);
        let mut signed_len = data.len();
        let mut sig = Vec::new();
        let mut pos = 0;
        while let Some((field, value)) = reader.next_field()? {
            match field {
                1 => out.group_id = value.string("group_id")?,
                2 => out.name = value.string("name")?,
                3 => out.room = value.string("room")?,
                4 => out.admin = value.string("admin")?,
                5 => out.members.push(value.string("members")?),
                6 => out.keys.push(
                    value
                        .bytes("keys")?
                        .try_into()
                        .map_err(|_| DecodeError::Truncated)?,
                ),
                7 => {
                    signed_len = pos;
                    sig = value.bytes("signature")?.to_vec();
                }
                _ => {}
            }
            pos = data.len() - reader.remaining();
        }
        Ok((out, signed_len, sig))
    }
}

/// 32 random bytes.
fn random_key() -> [u8; 32] {
    let mut key = [0u8; 32];
    OsRng.fill_bytes(&mut key);
    key
}
