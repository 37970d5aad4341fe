//! Framework-neutral request and response: what every handler takes and returns, however the request arrived.

use ::http::{Method, StatusCode};
use bytes::Bytes;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::dispatch::FileBody;
use crate::domain::user::AuthUser;
use crate::error::ApiError;

/// One API request: direct, a `/batch` or `/sequence` element, or the inside of an onion request.
#[derive(Debug, Clone)]
pub struct ApiRequest {
    /// HTTP method.
    pub method: Method,
    /// Percent-decoded path, e.g. `/room/lobby/reaction/1/🍍`.
    pub path: String,
    /// Raw query string without the `?` (empty when absent).
    pub query: String,
    /// Headers with lower-case names.
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Bytes,
    /// The authenticated caller, if any.
    pub user: Option<AuthUser>,
    /// Path parameters filled in by the router.
    pub(crate) params: Vec<(String, String)>,
    /// The most answer bytes the caller can still take (what is left of a batch's answer
    /// budget); a handler that can tell its answer will not fit refuses it before building it.
    pub answer_limit: Option<usize>,
}

impl ApiRequest {
    /// A request with no headers, body or user.
    pub fn new(method: Method, path: impl Into<String>, query: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            query: query.into(),
            headers: Vec::new(),
            body: Bytes::new(),
            user: None,
            params: Vec::new(),
            answer_limit: None,
        }
    }

    /// A request for a target as written on the wire, `/path?query`: the path is
    /// percent-decoded (what the signature covers), the query kept raw. Every way a request
    /// arrives (HTTP, batch element, onion) goes through here.
    pub fn from_target(method: Method, target: &str) -> Result<Self, InvalidPath> {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let path = percent_encoding::percent_decode_str(path)
            .decode_utf8()
            .map_err(|_| InvalidPath)?;
        Ok(Self::new(method, path.into_owned(), query))
    }

    /// Whether this is itself an onion request (they cannot be nested in batches or onions).
    pub fn is_onion(&self) -> bool {
        self.path.starts_with("/oxen/") || self.path.starts_with("/loki/")
    }

    /// Whether this is `/batch` or `/sequence` (they cannot be nested in a batch).
    pub fn is_batch(&self) -> bool {
        matches!(self.path.as_str(), "/batch" | "/sequence")
    }

    /// A path parameter captured by the route pattern.
    ///
    /// A name the matched route does not capture is a bug in the handler, answered 500 (not
    /// a silent 404).
    pub fn param(&self, name: &str) -> Result<&str, ApiError> {
        self.optional_param(name)
            .ok_or_else(|| ApiError::Internal(format!("route has no {{{name}}} parameter").into()))
    }

    /// A path parameter that only some of a handler's routes capture (`None` on the others).
    pub fn optional_param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A header value by case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first value of a query-string parameter, percent-decoded.
    pub fn query_param(&self, name: &str) -> Option<String> {
        form_urlencoded::parse(self.query.as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    }

    /// The authenticated caller, or 401 `X-SOGS-* request authentication required`.
    pub fn require_user(&self) -> Result<&AuthUser, ApiError> {
        self.user
            .as_ref()
            .ok_or_else(|| ApiError::unauthorized("X-SOGS-* request authentication required"))
    }

    /// The caller, who must have signed with a blinded key (401 otherwise).
    pub fn require_blinded_user(&self) -> Result<&AuthUser, ApiError> {
        let user = self.require_user()?;
        if user.signed_as.starts_with("05") {
            return Err(ApiError::unauthorized(
                "This endpoint requires blinded pubkeys be used",
            ));
        }
        Ok(user)
    }

    /// Parses a JSON body; the content type must be `application/json`, and no string may hold
    /// U+0000 (PostgreSQL text cannot).
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        let value: serde_json::Value = self.json_envelope()?;
        if contains_nul(&value) {
            return Err(ApiError::bad_request(
                "Invalid JSON body: strings must not contain NUL characters",
            ));
        }
        T::deserialize(value).map_err(|e| ApiError::bad_request(format!("Invalid JSON body: {e}")))
    }

    /// Parses a JSON body that only carries other requests (`/batch`): their strings are checked
    /// when those requests are handled, each answering for itself.
    pub fn json_envelope<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        let is_json = self
            .header("content-type")
            .and_then(|ct| ct.split(';').next())
            .is_some_and(|ct| ct.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(ApiError::bad_request(
                "Invalid request: expected an application/json body",
            ));
        }
        serde_json::from_slice(&self.body)
            .map_err(|e| ApiError::bad_request(format!("Invalid JSON body: {e}")))
    }
}

/// Whether any string (or object key) in `value` contains U+0000, which PostgreSQL text cannot hold.
fn contains_nul(value: &serde_json::Value) -> bool {
    use serde_json::Value;
    match value {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(contains_nul),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || contains_nul(v)),
        Value::Null | Value::Bool(_) | Value::Number(_) => false,
    }
}

/// A request path that is not valid UTF-8 once percent-decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("path is not valid UTF-8")]
pub struct InvalidPath;

/// One API response, turned into HTTP, a batch element or an onion reply by the caller.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiResponse {
    /// Status code.
    pub status: StatusCode,
    /// Value of the `Content-Type` header.
    pub content_type: String,
    /// Further headers (lower-case names).
    pub headers: Vec<(String, String)>,
    /// The body bytes (empty when `file` is set).
    pub body: Bytes,
    /// A stored file to stream as the body, read from the database in chunks.
    pub file: Option<FileBody>,
}

impl ApiResponse {
    /// A JSON response (compact serialisation).
    pub fn json(status: StatusCode, value: &impl Serialize) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => Self::bytes(status, "application/json", body),
            Err(e) => ApiError::Internal(Box::new(e)).into_response(),
        }
    }

    /// A 200 JSON response.
    pub fn ok(value: &impl Serialize) -> Self {
        Self::json(StatusCode::OK, value)
    }

    /// A `text/plain` response.
    pub fn text(status: StatusCode, message: impl Into<String>) -> Self {
        Self::bytes(status, "text/plain; charset=utf-8", message.into())
    }

    /// A response with any content type.
    pub fn bytes(status: StatusCode, content_type: &str, body: impl Into<Bytes>) -> Self {
        Self {
            status,
            content_type: content_type.to_owned(),
            headers: Vec::new(),
            body: body.into(),
            file: None,
        }
    }

    /// The same response with one more header (lower-case name).
    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_owned(), value.into()));
        self
    }

    /// Whether the body is JSON.
    pub fn is_json(&self) -> bool {
        self.content_type.starts_with("application/json")
    }
}
