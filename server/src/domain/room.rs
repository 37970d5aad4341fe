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

/// Removes code points 0–31 from a room name (pysogs strips control characters).
pub fn clean_name(name: &str) -> String {
    name.chars().filter(|c| u32::from(*c) >= 32).collect()
}

/// Removes code points 0–31 except TAB and LF from a description; empty becomes `None`.
pub fn clean_description(description: &str) -> Option<String> {
    let cleaned: String = description
        .chars()
        .filter(|c| u32::from(*c) >= 32 || *c == '\t' || *c == '\n')
        .collect();
    (!cleaned.is_empty()).then_some(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_stripped() {
        assert_eq!(clean_name("a\u{0}b\tc\nd"), "abcd");
        assert_eq!(
            clean_description("a\u{1}b\tc\nd").as_deref(),
            Some("ab\tc\nd")
        );
        assert_eq!(clean_description("\u{7}"), None);
    }
}
