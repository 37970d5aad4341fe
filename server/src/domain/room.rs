//! A room as stored, and the rules for naming it.

use super::permissions::RoomDefaults;

/// A room row.
#[derive(Debug, Clone, PartialEq)]
pub struct Room {
    /// Database id.
    pub id: i64,
    /// Token in its stored case.
    pub token: String,
    /// Display name.
    pub name: String,
    /// Optional description.
    pub description: Option<String>,
    /// File id of the room image.
    pub image: Option<i64>,
    /// Creation time, epoch seconds.
    pub created: f64,
    /// Per-room message sequence counter.
    pub message_sequence: i64,
    /// Counter of room-info changes.
    pub info_updates: i64,
    /// Cached count of recently active users.
    pub active_users: i64,
    /// Default permissions.
    pub defaults: RoomDefaults,
}

impl Room {
    /// The join URL Session clients open: `{base}/{token}?public_key={hex}`.
    pub fn join_url(&self, base_url: &str, server_pubkey_hex: &str) -> String {
        format!(
            "{}/{}?public_key={}",
            base_url.trim_end_matches('/'),
            self.token,
            server_pubkey_hex
        )
    }
}

/// Longest room name, in UTF-8 bytes after cleaning.
pub const MAX_NAME_BYTES: usize = 1024;
/// Longest room description, in UTF-8 bytes after cleaning.
pub const MAX_DESCRIPTION_BYTES: usize = 10 * 1024;

/// A room name or description over its limit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field} must be at most {max} bytes, got {len}")]
pub struct TooLong {
    /// `name` or `description`.
    pub field: &'static str,
    /// The limit.
    pub max: usize,
    /// The length given.
    pub len: usize,
}

/// Removes code points 0–31 from a room name (pysogs strips control characters); refuses one
/// over [`MAX_NAME_BYTES`].
pub fn clean_name(name: &str) -> Result<String, TooLong> {
    let cleaned: String = name.chars().filter(|c| u32::from(*c) >= 32).collect();
    within("name", MAX_NAME_BYTES, cleaned)
}

/// Removes code points 0–31 except TAB and LF from a description; empty becomes `None`; refuses
/// one over [`MAX_DESCRIPTION_BYTES`].
pub fn clean_description(description: &str) -> Result<Option<String>, TooLong> {
    let cleaned: String = description
        .chars()
        .filter(|c| u32::from(*c) >= 32 || *c == '\t' || *c == '\n')
        .collect();
    let cleaned = within("description", MAX_DESCRIPTION_BYTES, cleaned)?;
    Ok((!cleaned.is_empty()).then_some(cleaned))
}

fn within(field: &'static str, max: usize, text: String) -> Result<String, TooLong> {
    match text.len() {
        len if len > max => Err(TooLong { field, max, len }),
        _ => Ok(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_stripped() {
        assert_eq!(clean_name("a\u{0}b\tc\nd").unwrap(), "abcd");
        assert_eq!(
            clean_description("a\u{1}b\tc\nd").unwrap().as_deref(),
            Some("ab\tc\nd")
        );
        assert_eq!(clean_description("\u{7}").unwrap(), None);
    }

    #[test]
    fn names_and_descriptions_have_a_byte_limit() {
        assert!(clean_name(&"é".repeat(512)).is_ok());
        let err = clean_name(&"é".repeat(513)).unwrap_err();
        assert_eq!(err.to_string(), "name must be at most 1024 bytes, got 1026");
        assert!(clean_description(&"x".repeat(10 * 1024)).is_ok());
        assert!(clean_description(&"x".repeat(10 * 1024 + 1)).is_err());
    }
}
