//! `POST /batch` and `POST /sequence`: a JSON list of [`SubRequest`]s, answered with a list of
//! [`SubResponse`]s (`/sequence` stops after the first non-2xx one).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One element of the body of `POST /batch` and `POST /sequence`.
///
/// Unknown keys are refused. A sub-request runs as the outer caller: `X-SOGS-*` and
/// `Authorization` headers in `headers` are dropped. [`SubRequest::body`] checks the body keys.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(remote = "Self", deny_unknown_fields)]
pub struct SubRequest {
    /// `GET`, `DELETE`, `POST` or `PUT` (upper case).
    pub method: SubRequestMethod,
    /// `/path[?query]`; must start with `/`.
    pub path: String,
    /// Extra headers, string to string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<BTreeMap<String, String>>,
    /// A JSON body (sent compactly as `application/json`); `null` counts as absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<Value>,
    /// A base64 body (`application/octet-stream` unless `headers` says otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub b64: Option<String>,
    /// A body given as text, sent as its UTF-8 bytes (`application/octet-stream` by default).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<String>,
}

super::quirks::object_only!(SubRequest);

/// The methods a [`SubRequest`] may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum SubRequestMethod {
    /// `GET`
    Get,
    /// `DELETE`
    Delete,
    /// `POST`
    Post,
    /// `PUT`
    Put,
}

/// The body of a [`SubRequest`], once checked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SubRequestBody<'a> {
    /// `json`
    Json(&'a Value),
    /// `b64` (still encoded)
    B64(&'a str),
    /// `bytes`
    Bytes(&'a str),
}

impl SubRequest {
    /// The body, with the server's texts for its rules: `POST` and `PUT` need exactly one of
    /// `json`, `b64` and `bytes`; `GET` and `DELETE` may have none.
    pub fn body(&self) -> Result<Option<SubRequestBody<'_>>, &'static str> {
        let given = [
            self.json.as_ref().map(SubRequestBody::Json),
            self.b64.as_deref().map(SubRequestBody::B64),
            self.bytes.as_deref().map(SubRequestBody::Bytes),
        ];
        let mut given = given.into_iter().flatten();
        let (first, more) = (given.next(), given.next().is_some());
        match self.method {
            SubRequestMethod::Post | SubRequestMethod::Put => match (first, more) {
                (Some(body), false) => Ok(Some(body)),
                _ => Err("POST and PUT need exactly one of json, b64 or bytes"),
            },
            SubRequestMethod::Get | SubRequestMethod::Delete => match first {
                None => Ok(None),
                Some(_) => Err("GET and DELETE cannot have a body"),
            },
        }
    }
}

/// One element of the answer of `POST /batch` and `POST /sequence`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubResponse {
    /// The HTTP status.
    pub code: u16,
    /// Response headers with lower-case names (`content-type` always; no `content-length`).
    pub headers: BTreeMap<String, String>,
    /// The parsed JSON body when the content type is `application/json`, else the body's
    /// base64 (an error's text, a file).
    pub body: Value,
}
