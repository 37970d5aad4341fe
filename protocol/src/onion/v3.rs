//! The deprecated v3 inner format (spec §4.4): a JSON request object and a body-or-status reply.

use serde::Deserialize;
use serde_json::Value;

use super::error::RequestError;
use super::headers::{HeaderList, Headers, from_json_object};
use super::request::InnerRequest;

/// The reply plaintext when a v3 request cannot be parsed or run.
pub const V3_BAD_REQUEST_REPLY: &[u8] = br#"{"status_code": 400}"#;

/// The v3 request object; other keys are ignored.
#[derive(Deserialize)]
struct V3Json {
    endpoint: String,
    method: String,
    #[serde(default)]
    body: Option<Value>,
    #[serde(default)]
    headers: HeaderList,
    #[serde(default)]
    auth_code: Option<String>,
}

/// Parses a decrypted v3 request `{"endpoint","method","body"?,"headers"?,"auth_code"?}`.
///
/// - The plaintext must start with `{` (no leading whitespace).
/// - Header names are lower-cased.
/// - POST and PUT take `body` (a string, default `""`) as UTF-8, with the content type forced
///   to `application/json`. Other methods must have no body; `""` and the Android client's
///   `"null"` are tolerated. A JSON `null` counts as absent.
/// - An endpoint without a leading `/` is a legacy one: `/legacy/` is prepended and a
///   non-empty `auth_code` becomes the `authorization` header.
pub fn parse_v3_request(plaintext: &[u8]) -> Result<InnerRequest, RequestError> {
    if plaintext.first() != Some(&b'{') {
        return Err(RequestError::NotJsonObject);
    }
    let request: V3Json = from_json_object(plaintext).map_err(RequestError::Json)?;
    let body = v3_body(&request.method, request.body)?;
    let mut headers: Headers = (request.headers.0.into_iter())
        .map(|(name, value)| (name.to_ascii_lowercase(), value))
        .collect();
    let mut endpoint = request.endpoint;
    if !endpoint.starts_with('/') {
        endpoint = format!("/legacy/{endpoint}");
        if let Some(code) = request.auth_code.filter(|code| !code.is_empty()) {
            set_header(&mut headers, "authorization", code);
        }
    }
    if body.is_some() {
        set_header(&mut headers, "content-type", "application/json".to_owned());
    }
    InnerRequest::checked(request.method, endpoint, headers, body)
}

/// The body rule: POST/PUT carry a string body, other methods none.
fn v3_body(method: &str, body: Option<Value>) -> Result<Option<Vec<u8>>, RequestError> {
    if matches!(method, "POST" | "PUT") {
        return match body {
            None => Ok(Some(Vec::new())),
            Some(Value::String(text)) => Ok(Some(text.into_bytes())),
            Some(_) => Err(RequestError::BodyNotString),
        };
    }
    match body {
        None => Ok(None),
        // compat(pysogs): Android (≤ 1.11.12) sends the string "null" on GET.
        Some(Value::String(text)) if text.is_empty() || text == "null" => Ok(None),
        Some(_) => Err(RequestError::BodyNotAllowed(method.to_owned())),
    }
}

/// Replaces every header of that (lower-case) name with one value.
fn set_header(headers: &mut Headers, name: &str, value: String) {
    headers.retain(|(n, _)| n != name);
    headers.push((name.to_owned(), value));
}

/// The v3 reply plaintext: the subrequest body for a 2xx status, otherwise
/// `{"status_code": <code>}` (pysogs's exact bytes); response headers are dropped.
pub fn v3_reply_plaintext(status: u16, body: &[u8]) -> Vec<u8> {
    if (200..300).contains(&status) {
        body.to_vec()
    } else {
        format!(r#"{{"status_code": {status}}}"#).into_bytes()
    }
}
