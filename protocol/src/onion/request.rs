//! The decrypted inner request, common to the v4 and v3 formats, checked before it is replayed.

use super::error::RequestError;
use super::headers::{Headers, check_headers, is_token, without_content_length};

/// An inner request to run as a subrequest, re-authenticated from its own X-SOGS-* headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InnerRequest {
    /// The HTTP method as sent (an RFC 9110 token, e.g. `GET`).
    pub method: String,
    /// Path and optional `?query`; always starts with `/`.
    pub endpoint: String,
    /// Request headers in document order, names as sent (compare case-insensitively), with
    /// any `content-length` removed.
    pub headers: Headers,
    /// The raw body; `None` when the request carries none.
    pub body: Option<Vec<u8>>,
}

impl InnerRequest {
    /// Checks the method, endpoint and headers and drops `content-length`.
    pub(crate) fn checked(
        method: String,
        endpoint: String,
        headers: Headers,
        body: Option<Vec<u8>>,
    ) -> Result<Self, RequestError> {
        if !is_token(&method) {
            return Err(RequestError::BadMethod(method));
        }
        if !endpoint.starts_with('/') {
            return Err(RequestError::EndpointNotAbsolute);
        }
        check_headers(&headers)?;
        Ok(Self {
            method,
            endpoint,
            headers: without_content_length(headers),
            body,
        })
    }

    /// The first header of that name (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        header_value(&self.headers, name)
    }

    /// The body, or no bytes.
    pub fn body_bytes(&self) -> &[u8] {
        self.body.as_deref().unwrap_or_default()
    }
}

/// The first value of `name` (ASCII case-insensitive) in a header list.
pub(crate) fn header_value<'a>(headers: &'a Headers, name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}
