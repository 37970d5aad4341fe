//! `X-SOGS-Timestamp` parsing with Python `int(str)` semantics.
//!
//! Accepted, as Python's `int()`: surrounding whitespace (ASCII `\t\n\v\f\r` and space, plus
//! any non-ASCII Unicode white space such as U+00A0, which Python maps to a space), one
//! optional `+`/`-`, then ASCII digits with single `_` allowed between digits (`1_000`);
//! leading zeros are fine. Refused: an empty digit string, `_` at either end or doubled, inner
//! whitespace, anything else.
//!
//! Deliberate differences, all harmless for a timestamp that must be within ±24 h:
//! - compat(pysogs): Python also accepts non-ASCII decimal digits (e.g. Arabic-Indic); a header
//!   decoded as Latin-1 can never contain one, so we refuse them.
//! - compat(pysogs): Python integers are unbounded (and Python ≥ 3.11 refuses more than 4300
//!   digits); we saturate to `i64::MIN`/`i64::MAX`, which always fails the time window (425),
//!   the outcome Python gives for any huge value it parses.

/// Whitespace Python's `int()` strips around the number.
fn is_py_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r') || (!c.is_ascii() && c.is_whitespace())
}

/// True for `d+(_d+)*`.
fn valid_digit_groups(digits: &str) -> bool {
    digits
        .split('_')
        .all(|group| !group.is_empty() && group.bytes().all(|b| b.is_ascii_digit()))
}

/// Parses a header value as Python `int()` would, saturating to the `i64` range.
pub(crate) fn parse_py_int(s: &str) -> Option<i64> {
    let trimmed = s.trim_matches(is_py_space);
    let (negative, digits) = match trimmed.as_bytes().first() {
        Some(b'-') => (true, &trimmed[1..]),
        Some(b'+') => (false, &trimmed[1..]),
        _ => (false, trimmed),
    };
    if !valid_digit_groups(digits) {
        return None;
    }
    let digit_values = digits
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| i64::from(b - b'0'));
    Some(digit_values.fold(0, |acc, d| {
        let shifted = acc.saturating_mul(10);
        if negative {
            shifted.saturating_sub(d)
        } else {
            shifted.saturating_add(d)
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::parse_py_int;

    #[test]
    fn accepts_what_python_int_accepts() {
        for (s, v) in [
            ("1642472103", 1_642_472_103),
            (" 1642472103\t", 1_642_472_103),
            ("\u{a0}\r\n+12\x0b\x0c", 12),
            ("-5", -5),
            ("007", 7),
            ("1_000", 1000),
            ("-0", 0),
            ("99999999999999999999999", i64::MAX),
            ("-99999999999999999999999", i64::MIN),
        ] {
            assert_eq!(parse_py_int(s), Some(v), "{s:?}");
        }
    }

    #[test]
    fn refuses_what_python_int_refuses() {
        for s in [
            "", " ", "+", "-", "1_", "_1", "1__0", "+_1", "- 1", "1 2", "1.0", "1e5", "0x10",
            "12a", "١٢", "\x1c1", "1\0", "++1",
        ] {
            assert_eq!(parse_py_int(s), None, "{s:?}");
        }
    }
}
