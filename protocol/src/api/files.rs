//! Room files: `POST /room/{token}/file` and `GET /room/{token}/file/{id}[/{filename}]`.
//!
//! The upload body is the raw file (its name in `Content-Disposition`) and the download answer
//! is the raw file, so the only JSON is the upload's answer.

use serde::{Deserialize, Serialize};

/// Answer (201) of `POST /room/{token}/file`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Uploaded {
    /// The new file's id, to attach to a post (`files`) or set as the room `image` within an hour.
    pub id: i64,
}
