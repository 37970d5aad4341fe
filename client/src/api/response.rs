//! A raw answer ([`Response`]) and what can go wrong ([`ClientError`]), with the server's error
//! message decoded from whatever body carried it (text, JSON `error`, an HTML page, or a `/batch`
//! sub-response's base64).

use serde::de::DeserializeOwned;
use serde_json::Value;
use sogs_protocol::api::batch::SubResponse;
use sogs_protocol::encoding::decode_b64;

/// What went wrong talking to the server.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server could not be reached or the transfer failed.
    #[error("cannot reach the server: {0}")]
    Transport(#[from] reqwest::Error),
    /// The server answered with an error status.
    #[error("server answered {}: {message}", status_line(*status))]
    Status {
        /// HTTP status.
        status: u16,
        /// The server's message, decoded ([`error_message`]); empty when the body was.
        message: String,
    },
    /// An onion request could not be built or its answer not decrypted.
    #[error("onion request failed: {0}")]
    Onion(String),
    /// The answer was not the expected JSON.
    #[error("unexpected answer from the server: {0}")]
    Decode(#[from] serde_json::Error),
}

impl ClientError {
    /// The HTTP status of a [`ClientError::Status`].
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The server's decoded message of a [`ClientError::Status`].
    pub fn message(&self) -> Option<&str> {
        match self {
            Self::Status { message, .. } => Some(message),
            _ => None,
        }
    }
}

/// `403 Forbidden`: the status with its reason phrase, when it has one.
fn status_line(status: u16) -> String {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason());
    match reason {
        Some(reason) => format!("{status} {reason}"),
        None => status.to_string(),
    }
}

/// A raw response: status, content type and body.
#[derive(Debug, Clone)]
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Response {
    /// The body as (lossy) UTF-8 text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body parsed as JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ClientError> {
        Ok(serde_json::from_slice(&self.body)?)
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The response if the status is 2xx, otherwise [`ClientError::Status`] with the server's
    /// decoded message.
    pub fn ok(self) -> Result<Self, ClientError> {
        match self.is_success() {
            true => Ok(self),
            false => Err(self.status_error()),
        }
    }

    /// The parsed JSON body if the status is 2xx, otherwise [`ClientError::Status`].
    pub fn ok_json<T: DeserializeOwned>(&self) -> Result<T, ClientError> {
        match self.is_success() {
            true => self.json(),
            false => Err(self.status_error()),
        }
    }

    /// [`ClientError::Status`] for this response.
    fn status_error(&self) -> ClientError {
        ClientError::Status {
            status: self.status,
            message: error_message(self.content_type.as_deref(), &self.body),
        }
    }
}

/// A `/batch` or `/sequence` sub-response as a plain response: a JSON body re-encoded, any
/// other body decoded from its base64.
impl From<SubResponse> for Response {
    fn from(sub: SubResponse) -> Self {
        let content_type = sub.headers.get("content-type").cloned();
        let is_json = content_type.as_deref().is_some_and(is_json_type);
        let body = match (&sub.body, is_json) {
            (Value::String(b64), false) => decode_b64(b64).unwrap_or_else(|| b64.clone().into()),
            (body, _) => serde_json::to_vec(body).unwrap_or_default(),
        };
        Self {
            status: sub.code,
            content_type,
            body,
        }
    }
}

fn is_json_type(content_type: &str) -> bool {
    content_type.contains("json")
}

/// The message an error body carries: a JSON body's `error` string (or the JSON itself), an HTML
/// page's text, or the text body; trimmed, and never longer than 500 characters.
pub fn error_message(content_type: Option<&str>, body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let message = match content_type {
        Some(t) if is_json_type(t) => match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(map)) => match map.get("error") {
                Some(Value::String(e)) => e.clone(),
                _ => Value::Object(map).to_string(),
            },
            Ok(Value::String(s)) => s,
            _ => text.into_owned(),
        },
        Some(t) if t.contains("html") => html_text(&text),
        _ => text.into_owned(),
    };
    let message = message.trim();
    match message.char_indices().nth(500) {
        Some((cut, _)) => format!("{}…", &message[..cut]),
        None => message.to_owned(),
    }
}

/// The text of an HTML error page: tags removed, whitespace collapsed.
fn html_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_messages_are_decoded_from_each_kind_of_body() {
        let cases: [(Option<&str>, &[u8], &str); 6] = [
            (
                Some("text/plain; charset=utf-8"),
                b"Permission denied\n",
                "Permission denied",
            ),
            (
                Some("application/json"),
                br#"{"error": "Rate limited"}"#,
                "Rate limited",
            ),
            (
                Some("application/json"),
                br#"{"missing": ["x"]}"#,
                r#"{"missing":["x"]}"#,
            ),
            (
                Some("text/html"),
                b"<html><title>404 Not Found</title><h1>Not Found</h1></html>",
                "404 Not Found Not Found",
            ),
            (None, b"No such room: x", "No such room: x"),
            (None, b"", ""),
        ];
        for (content_type, body, expected) in cases {
            assert_eq!(error_message(content_type, body), expected);
        }
    }

    #[test]
    fn a_sub_response_error_carries_its_decoded_text_not_base64() {
        let sub: SubResponse = serde_json::from_value(serde_json::json!({
            "code": 403,
            "headers": {"content-type": "text/plain; charset=utf-8"},
            "body": "UGVybWlzc2lvbiBkZW5pZWQ=",
        }))
        .unwrap();
        let err = Response::from(sub).ok().err();
        assert_eq!(
            err.map(|e| e.to_string()).as_deref(),
            Some("server answered 403 Forbidden: Permission denied")
        );
    }

    #[test]
    fn a_json_sub_response_parses_as_its_type() {
        let sub: SubResponse = serde_json::from_value(serde_json::json!({
            "code": 200,
            "headers": {"content-type": "application/json"},
            "body": {"id": 7},
        }))
        .unwrap();
        let uploaded: sogs_protocol::api::files::Uploaded = Response::from(sub).ok_json().unwrap();
        assert_eq!(uploaded.id, 7);
    }
}
