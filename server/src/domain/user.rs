//! A user as stored (id, session id, global flags), and the authenticated caller of a request.

/// A user row.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    /// Database id (0 is the system user).
    pub id: i64,
    /// The id the user first appeared with (`05…`, `15…` or `25…`, lower-case hex).
    pub session_id: String,
    /// Globally banned.
    pub banned: bool,
    /// Global moderator.
    pub moderator: bool,
    /// Global admin.
    pub admin: bool,
    /// Whether a global moderator is listed publicly.
    pub visible_mod: bool,
}

/// The caller of an authenticated request.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthUser {
    /// The user row.
    pub user: User,
    /// The id whose key signed this request (may differ from `user.session_id` for a person
    /// who uses both a 15 and a 25 id).
    pub signed_as: String,
}

impl AuthUser {
    /// The id the caller signed with, when it is not their displayed session id: what a
    /// message or DM stores as `signed_as`/`sender_as` (`None` when they are the same).
    pub fn signed_as_other(&self) -> Option<&str> {
        (self.signed_as != self.user.session_id).then_some(self.signed_as.as_str())
    }
}

impl std::ops::Deref for AuthUser {
    type Target = User;

    fn deref(&self) -> &User {
        &self.user
    }
}

/// The canonical id of a user (see docs/COMPAT.md): the blind25 id for blinded users, so a
/// person's 15 and 25 ids meet; the id itself for unblinded (05) users.
pub fn canonical_id(
    id: &sogs_protocol::ids::UserId,
    server_pk: &sogs_protocol::ids::ServerPubkey,
) -> Result<String, sogs_protocol::blinding::BlindingError> {
    use sogs_protocol::ids::{BlindScheme, UserId};
    match id {
        UserId::Blinded(b) if b.scheme() == BlindScheme::Blind15 => {
            sogs_protocol::blinding::blind25_from_blind15(b, server_pk)
                .map(|b25| b25.as_str().to_owned())
        }
        other => Ok(other.as_str().to_owned()),
    }
}
