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

impl std::ops::Deref for AuthUser {
    type Target = User;

    fn deref(&self) -> &User {
        &self.user
    }
}
