//! A user as stored: id, session id and global flags.

/// A user row.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    /// Database id (0 is the system user).
    pub id: i64,
    /// `05…`, `15…` or `25…` id, lower-case hex.
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
