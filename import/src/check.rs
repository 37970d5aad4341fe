//! What has been read so far (ids per table) and the reference checks made against it, so a
//! dangling reference is reported by name, in a dry run too, before PostgreSQL would refuse it.

use std::collections::{HashMap, HashSet};

use super::ImportError;

/// Ids read so far, and what later steps need from earlier ones.
#[derive(Debug, Default)]
pub(crate) struct Known {
    pub(crate) users: HashSet<i64>,
    pub(crate) rooms: HashSet<i64>,
    /// Lower-case room tokens (unique without regard to case, as in both schemas).
    pub(crate) tokens: HashSet<String>,
    /// Message id → room id.
    pub(crate) messages: HashMap<i64, i64>,
    pub(crate) reactions: HashSet<i64>,
    pub(crate) files: HashSet<i64>,
    /// `(room, image file)` to set once the files are in.
    pub(crate) room_images: Vec<(i64, i64)>,
    /// Whether the source has the system user (id 0).
    pub(crate) source_had_system_user: bool,
}

/// A reference error: `<table> <row>: <column> <id> does not exist`.
pub(crate) fn dangling(
    table: &str,
    row: impl std::fmt::Display,
    column: &str,
    id: i64,
) -> ImportError {
    ImportError::Invalid(format!(
        "{table} {row}: {column} {id} does not exist in the source (fix or delete the row in the \
         pysogs database, then run the import again)"
    ))
}

impl Known {
    /// Checks that user `id` was read.
    pub(crate) fn user(
        &self,
        table: &str,
        row: impl std::fmt::Display,
        column: &str,
        id: i64,
    ) -> Result<(), ImportError> {
        self.users
            .contains(&id)
            .then_some(())
            .ok_or_else(|| dangling(table, row, column, id))
    }

    /// Checks that room `id` was read.
    pub(crate) fn room(
        &self,
        table: &str,
        row: impl std::fmt::Display,
        id: i64,
    ) -> Result<(), ImportError> {
        self.rooms
            .contains(&id)
            .then_some(())
            .ok_or_else(|| dangling(table, row, "room", id))
    }

    /// Checks that message `id` was read; returns its room.
    pub(crate) fn message(
        &self,
        table: &str,
        row: impl std::fmt::Display,
        id: i64,
    ) -> Result<i64, ImportError> {
        self.messages
            .get(&id)
            .copied()
            .ok_or_else(|| dangling(table, row, "message", id))
    }

    /// Checks that every room image is an imported file.
    pub(crate) fn check_room_images(&self) -> Result<(), ImportError> {
        for (room, image) in &self.room_images {
            if !self.files.contains(image) {
                return Err(dangling("rooms", room, "image", *image));
            }
        }
        Ok(())
    }
}

/// An Ed25519 signature must be 64 bytes.
pub(crate) fn signature(table: &str, row: i64, sig: &[u8]) -> Result<(), ImportError> {
    if sig.len() == 64 {
        return Ok(());
    }
    Err(ImportError::Invalid(format!(
        "{table} {row}: signature of {} bytes (64 expected)",
        sig.len()
    )))
}
