//! Header lists inside onion metadata: a JSON object of string values, kept in order, checked
//! as HTTP, and written back as compact JSON.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;

use super::error::RequestError;

/// Headers as `(name, value)` pairs.
pub type Headers = Vec<(String, String)>;

/// A JSON object of string header values, deserialized in document order.
#[derive(Debug, Default)]
pub(crate) struct HeaderList(pub(crate) Headers);

impl<'de> Deserialize<'de> for HeaderList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(HeaderVisitor)
    }
}

/// Visits a JSON object whose values are all strings.
struct HeaderVisitor;

impl<'de> Visitor<'de> for HeaderVisitor {
    type Value = HeaderList;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of string header values")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<HeaderList, A::Error> {
        let mut headers = Vec::with_capacity(map.size_hint().unwrap_or(0).min(64));
        while let Some(pair) = map.next_entry::<String, String>()? {
            headers.push(pair);
        }
        Ok(HeaderList(headers))
    }
}

/// Parses bytes that must be a single JSON object (an array is refused even when the target
/// struct could be read from one).
pub(crate) fn from_json_object<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
) -> Result<T, serde_json::Error> {
    let object: serde_json::Map<String, Value> = serde_json::from_slice(bytes)?;
    serde_json::from_value(Value::Object(object))
}

/// RFC 9110 `token` (method and header-name syntax).
pub(crate) fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// A header value without control characters other than horizontal tab.
pub(crate) fn is_header_value(s: &str) -> bool {
    s.bytes().all(|b| b == b'\t' || !(b.is_ascii_control()))
}

/// Checks that every name is a token and every value free of control characters.
pub(crate) fn check_headers(headers: &Headers) -> Result<(), RequestError> {
    for (name, value) in headers {
        if !is_token(name) {
            return Err(RequestError::BadHeaderName(name.clone()));
        }
        if !is_header_value(value) {
            return Err(RequestError::BadHeaderValue(name.clone()));
        }
    }
    Ok(())
}

/// Drops every `content-length` header (the bencode length is authoritative).
pub(crate) fn without_content_length(headers: Headers) -> Headers {
    headers
        .into_iter()
        .filter(|(name, _)| !name.eq_ignore_ascii_case("content-length"))
        .collect()
}

/// A JSON string literal.
pub(crate) fn json_string(s: &str) -> String {
    Value::from(s).to_string()
}

/// A compact JSON object of the pairs, in the given order.
pub(crate) fn json_object<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let members: Vec<String> = pairs
        .into_iter()
        .map(|(name, value)| format!("{}:{}", json_string(name), json_string(value)))
        .collect();
    format!("{{{}}}", members.join(","))
}
