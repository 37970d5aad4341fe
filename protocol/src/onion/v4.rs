//! The v4 inner format (spec §4.3): a bencoded list of a JSON metadata string and an optional
//! body, for both the request and the response.

use serde::Deserialize;

use super::bencode::{decode_list, encode_list};
use super::error::{BencodeError, RequestError, ResponseError};
use super::headers::{HeaderList, Headers, from_json_object, json_object, json_string};
use super::request::{InnerRequest, header_value};

/// Body of the reply to an inner request that cannot be parsed.
pub const INVALID_V4_REQUEST_BODY: &[u8] = b"Invalid v4 onion request";

/// The request metadata `{"method", "endpoint", "headers"?}`; other keys are ignored.
#[derive(Deserialize)]
struct RequestMeta {
    method: String,
    endpoint: String,
    #[serde(default)]
    headers: HeaderList,
}

/// The response metadata `{"code", "headers"?}`.
#[derive(Deserialize)]
struct ResponseMeta {
    code: u16,
    #[serde(default)]
    headers: HeaderList,
}

/// Parses a decrypted v4 request: `l<len>:<meta-json>[<len>:<body>]e`.
///
/// `headers` is optional (an absent object means none; `null` is refused); the endpoint must
/// start with `/`.
pub fn parse_v4_request(plaintext: &[u8]) -> Result<InnerRequest, RequestError> {
    let mut parts = decode_list(plaintext, 1, 2)?.into_iter();
    let meta = parts
        .next()
        .ok_or(BencodeError::TooFewItems { min: 1, got: 0 })?;
    let body = parts.next().map(<[u8]>::to_vec);
    let meta: RequestMeta = from_json_object(meta).map_err(RequestError::Json)?;
    InnerRequest::checked(meta.method, meta.endpoint, meta.headers.0, body)
}

/// Encodes a v4 request as Session Desktop does: metadata keys in the order `endpoint`,
/// `headers`, `method`, compact JSON, headers in the given order.
pub fn encode_v4_request(
    method: &str,
    endpoint: &str,
    headers: &[(String, String)],
    body: Option<&[u8]>,
) -> Vec<u8> {
    let pairs = headers.iter().map(|(n, v)| (n.as_str(), v.as_str()));
    let meta = format!(
        r#"{{"endpoint":{},"headers":{},"method":{}}}"#,
        json_string(endpoint),
        json_object(pairs),
        json_string(method)
    );
    match body {
        Some(body) => encode_list(&[meta.as_bytes(), body]),
        None => encode_list(&[meta.as_bytes()]),
    }
}

/// Encodes a v4 response `l<len>:{"code":N,"headers":{…}}<len>:<body>e` (compact JSON),
/// with header names lower-cased and `content-length` dropped.
///
/// pysogs writes the metadata with `json.dumps` (`{"code": 200, …}`, with spaces); clients
/// parse it as JSON, so the spacing does not matter.
pub fn encode_v4_response(code: u16, headers: &[(String, String)], body: &[u8]) -> Vec<u8> {
    let lowered: Vec<(String, &str)> = headers
        .iter()
        .filter(|(name, _)| !name.eq_ignore_ascii_case("content-length"))
        .map(|(name, value)| (name.to_ascii_lowercase(), value.as_str()))
        .collect();
    let pairs = lowered.iter().map(|(n, v)| (n.as_str(), *v));
    let meta = format!(r#"{{"code":{code},"headers":{}}}"#, json_object(pairs));
    encode_list(&[meta.as_bytes(), body])
}

/// The reply to an inner request that cannot be parsed: 400, `text/plain; charset=utf-8`,
/// body `Invalid v4 onion request`.
pub fn invalid_v4_request_response() -> Vec<u8> {
    let content_type = (
        "content-type".to_owned(),
        "text/plain; charset=utf-8".to_owned(),
    );
    encode_v4_response(400, &[content_type], INVALID_V4_REQUEST_BODY)
}

/// A decoded v4 response (client side).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V4Response {
    /// The inner HTTP status.
    pub code: u16,
    /// Response headers, names lower-case as the server sends them.
    pub headers: Headers,
    /// The raw body, for any status.
    pub body: Vec<u8>,
}

impl V4Response {
    /// The first header of that name (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        header_value(&self.headers, name)
    }
}

/// Decodes a decrypted v4 response: a list of exactly 2 strings, metadata then body.
pub fn parse_v4_response(plaintext: &[u8]) -> Result<V4Response, ResponseError> {
    let parts = decode_list(plaintext, 2, 2)?;
    let [meta, body] = parts.as_slice() else {
        return Err(BencodeError::TooFewItems {
            min: 2,
            got: parts.len(),
        }
        .into());
    };
    let meta: ResponseMeta = from_json_object(meta).map_err(ResponseError::Json)?;
    Ok(V4Response {
        code: meta.code,
        headers: meta.headers.0,
        body: body.to_vec(),
    })
}
