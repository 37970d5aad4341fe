//! Path and query integers with the reference's rules (Werkzeug `int` converter, `get_int_param`),
//! typed by `sogs_protocol::api::paths` and parsed before any query.

use sogs_protocol::api::paths::{PathInt, PathIntError};

use crate::dispatch::ApiRequest;
use crate::error::{ApiError, ApiResult};

/// A path id: digits only, else 404 (the route does not match, as with the reference's `int`
/// converter); an id too large to exist is 404 too.
pub fn path_id<T: PathInt>(req: &ApiRequest, name: &str) -> ApiResult<T> {
    T::from_path(req.param(name)?).map_err(|_| ApiError::not_found("Not found"))
}

/// A path number used as a query bound: digits only (404 otherwise), 400 when out of range.
pub fn path_bound<T: PathInt>(req: &ApiRequest, name: &str) -> ApiResult<T> {
    T::from_path(req.param(name)?).map_err(|e| match e {
        PathIntError::NotDigits => ApiError::not_found("Not found"),
        PathIntError::OutOfRange => {
            ApiError::bad_request(format!("Invalid {name}: number out of range"))
        }
    })
}

/// An integer query parameter: `default` when absent, 400 when not an integer, clamped to
/// `[min, max]` (huge values clamp too).
pub fn query_int(req: &ApiRequest, name: &str, default: i64, min: i64, max: i64) -> ApiResult<i64> {
    let Some(raw) = req.query_param(name) else {
        return Ok(default);
    };
    let value = parse_int(raw.trim())
        .ok_or_else(|| ApiError::bad_request(format!("Invalid {name} parameter: {raw:?}")))?;
    Ok(value.clamp(min, max))
}

/// Parses an optionally signed decimal integer, saturating at the i64 range.
fn parse_int(s: &str) -> Option<i64> {
    let (negative, digits) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(
        digits
            .parse::<i64>()
            .map_or(if negative { i64::MIN } else { i64::MAX }, |v| {
                if negative { -v } else { v }
            }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_parse_like_python_int_and_saturate() {
        assert_eq!(parse_int("42"), Some(42));
        assert_eq!(parse_int("-3"), Some(-3));
        assert_eq!(parse_int("+7"), Some(7));
        assert_eq!(parse_int("99999999999999999999999"), Some(i64::MAX));
        assert_eq!(parse_int("-99999999999999999999999"), Some(i64::MIN));
        for bad in ["", "-", "1.5", "abc", "1e3", "0x10"] {
            assert_eq!(parse_int(bad), None, "{bad}");
        }
    }
}
