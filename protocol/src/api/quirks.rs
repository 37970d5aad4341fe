//! Named deserializers for the wire's quirks: values the server accepts in more than one shape.
//!
//! Each is used as `#[serde(deserialize_with = "…")]` on a request field, and each names the
//! endpoint fields it serves. They accept exactly what the server's handlers accept today.
//!
//! Request bodies are parsed from a [`serde_json::Value`] (the server checks the body for NUL
//! characters first), so a repeated key keeps its last value instead of failing as a duplicate.

use serde::Deserialize;
use serde::de::{self, Deserializer};
use serde_json::Value;

/// A value that may be absent (the field's `#[serde(default)]`) but not `null`.
///
/// `PUT /room/{token}`: `name` must be a string and `image` an integer file id; `null` is 400
/// for both (only `description` may be `null`).
pub fn non_null<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// Tells an absent field (`None`, from `#[serde(default)]`) from an explicit `null` (`Some(None)`).
///
/// `PUT /room/{token}`: `"description": null` clears the description; leaving it out keeps it.
pub fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// A permission flag given as a JSON boolean or an integer (non-zero is true); `null`, floats and
/// strings are refused.
///
/// `PUT /room/{token}`: `default_read`, `default_accessible`, `default_write`, `default_upload`
/// (pysogs stores them with `bool(value)` after checking for `bool` or `int`).
pub fn bool_or_int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match Value::deserialize(d)? {
        Value::Bool(b) => Ok(Some(b)),
        Value::Number(n) if n.is_i64() || n.is_u64() => Ok(Some(n.as_f64() != Some(0.0))),
        other => Err(de::Error::custom(format!(
            "expected a boolean or an integer, got {}",
            kind(&other)
        ))),
    }
}

/// Python truthiness of any JSON value: `null`, `false`, `0`, `0.0`, `""`, `[]` and `{}` are
/// false, everything else true.
///
/// `POST /room/{token}/permissions/{id}`: `default_read`, `default_accessible`,
/// `default_write`, `default_upload` (pysogs tests them with `if req.get(…)`).
pub fn truthy<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Null => false,
        Value::Bool(b) => b,
        Value::Number(n) => n.as_f64() != Some(0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    })
}

/// True unless the value is exactly JSON `false` (`null`, `0` and `"no"` are all true); pair it
/// with a default of `true` for an absent field.
///
/// `POST /room/{token}/permissions/{id}`: `unschedule` (pysogs `req.get('unschedule') is not False`).
pub fn unless_false<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(Value::deserialize(d)? != Value::Bool(false))
}

/// A list of ids given as JSON integers or as decimal strings (Session Desktop sends strings).
///
/// `POST /room/{token}/message` and `PUT /room/{token}/message/{id}`: `files`. `null`, a bare
/// number and non-decimal strings are refused.
pub fn int_or_string_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<i64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Id {
        Number(i64),
        Text(String),
    }
    let ids = Vec::<Id>::deserialize(d)?;
    ids.into_iter()
        .map(|id| match id {
            Id::Number(n) => Ok(n),
            Id::Text(t) => t
                .parse()
                .map_err(|_| de::Error::custom(format!("invalid file id {t:?}"))),
        })
        .collect()
}

/// The JSON type of a value, for error messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a non-integer number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Deserializes a request body that must be a JSON object, then parses it with the type's
/// derived (`#[serde(remote = "Self")]`) deserializer.
///
/// A derived struct deserializer also takes a JSON array of the fields in order (`["data",
/// "sig"]` as a post); the server answers 400 to a body that is not an object (spec §15.9).
pub fn object<'de, D, T, F>(d: D, derived: F) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    F: FnOnce(Value) -> Result<T, serde_json::Error>,
{
    let map = serde_json::Map::<String, Value>::deserialize(d)?;
    derived(Value::Object(map)).map_err(de::Error::custom)
}

/// Implements `Serialize` and `Deserialize` for a request body deriving them with
/// `#[serde(remote = "Self")]`: serialization is the derived one, deserialization goes through
/// [`object`] so that only a JSON object is accepted.
macro_rules! object_only {
    ($ty:ty) => {
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                <$ty>::serialize(self, s)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                $crate::api::quirks::object(d, <$ty>::deserialize)
            }
        }
    };
}
pub(super) use object_only;
