//! The one HTTP error type: client errors carry their exact status and text body; internal ones stay opaque.
//!
//! | where                | error type                      |
//! |----------------------|---------------------------------|
//! | `sogs-protocol`      | precise enums (`AuthHeaderError`, …) |
//! | `storage`            | `sqlx::Error`                   |
//! | `writeback::posts`   | `PostError`                     |
//! | handlers             | [`ApiError`] via `?`            |
//! | `main`, admin, client| `anyhow`                        |
//!
//! Internal errors are logged once, when they become a response, never at every layer.

use std::borrow::Cow;

use ::http::StatusCode;

use crate::dispatch::ApiResponse;
use crate::writeback::posts::PostError;

/// Result type of every handler.
pub type ApiResult<T = ApiResponse> = Result<T, ApiError>;

/// An error answered to the client.
#[derive(Debug)]
pub enum ApiError {
    /// A 4xx with a `text/plain` body, byte-compatible with the reference server's texts.
    Client {
        /// The status code.
        status: StatusCode,
        /// The exact body text.
        message: Cow<'static, str>,
    },
    /// The database cannot be reached right now: 503 with `Retry-After`, logged once.
    Unavailable(Box<dyn std::error::Error + Send + Sync>),
    /// A server-side failure: logged, answered with an opaque 500.
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

/// Seconds a client is told to wait (`Retry-After`) when the database is unreachable.
pub const RETRY_AFTER_SECS: u32 = 5;

impl ApiError {
    /// A client error with the given status and text.
    pub fn status(status: StatusCode, message: impl Into<Cow<'static, str>>) -> Self {
        Self::Client {
            status,
            message: message.into(),
        }
    }

    /// 400 with a text naming the problem.
    pub fn bad_request(message: impl Into<Cow<'static, str>>) -> Self {
        Self::status(StatusCode::BAD_REQUEST, message)
    }

    /// 401 with the given text.
    pub fn unauthorized(message: impl Into<Cow<'static, str>>) -> Self {
        Self::status(StatusCode::UNAUTHORIZED, message)
    }

    /// 403 with the given text.
    pub fn forbidden(message: impl Into<Cow<'static, str>>) -> Self {
        Self::status(StatusCode::FORBIDDEN, message)
    }

    /// 404 with the given text.
    pub fn not_found(message: impl Into<Cow<'static, str>>) -> Self {
        Self::status(StatusCode::NOT_FOUND, message)
    }

    /// 413 for a message (a post, an edit, a DM) longer than `limit` bytes once decoded.
    pub fn message_too_large(limit: usize) -> Self {
        Self::status(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("Message too large: the limit is {limit} bytes"),
        )
    }

    /// 425 Too Early with the given text (a stale timestamp or a reused nonce).
    pub fn too_early(message: impl Into<Cow<'static, str>>) -> Self {
        // http 0.2's StatusCode has no named constant for 425.
        let status = StatusCode::from_u16(425).unwrap_or(StatusCode::BAD_REQUEST);
        Self::status(status, message)
    }

    /// Turns the error into the response the client sees, logging internal causes once.
    pub fn into_response(self) -> ApiResponse {
        match self {
            Self::Client { status, message } => ApiResponse::text(status, message),
            Self::Unavailable(cause) => {
                tracing::warn!(error = %cause, "database unavailable");
                ApiResponse::text(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Database unavailable: try again shortly",
                )
                .with_header("retry-after", RETRY_AFTER_SECS.to_string())
            }
            Self::Internal(cause) => {
                tracing::error!(error = %cause, "request failed");
                ApiResponse::text(StatusCode::INTERNAL_SERVER_ERROR, "Internal server error")
            }
        }
    }
}

impl From<sqlx::Error> for ApiError {
    /// Text PostgreSQL cannot store (a NUL byte that slipped past validation) is the client's
    /// fault, not the server's: a 400 rather than a 500. Everything else is internal.
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(db) if db.code().as_deref() == Some(UNTRANSLATABLE_CHARACTER) => {
                Self::bad_request("Invalid request: text must not contain NUL characters")
            }
            _ if crate::storage::is_unreachable(&e) => Self::Unavailable(Box::new(e)),
            _ => Self::Internal(Box::new(e)),
        }
    }
}

impl From<PostError> for ApiError {
    /// A post's own database error answers as any database error does; a stopped writer or an
    /// unreachable database is a 503, anything else internal.
    fn from(e: PostError) -> Self {
        match e {
            PostError::Db(e) => Self::from(e),
            e if e.is_unreachable() => Self::Unavailable(Box::new(e)),
            e => Self::Internal(Box::new(e)),
        }
    }
}

/// SQLSTATE 22021 (`character_not_in_repertoire`): PostgreSQL's answer to a NUL byte in text.
const UNTRANSLATABLE_CHARACTER: &str = "22021";

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Client { status, message } => write!(f, "{status}: {message}"),
            Self::Unavailable(cause) => write!(f, "database unavailable: {cause}"),
            Self::Internal(cause) => write!(f, "internal error: {cause}"),
        }
    }
}
