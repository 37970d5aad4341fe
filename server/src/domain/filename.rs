//! Upload file names: read from `Content-Disposition` (RFC 6266 / RFC 5987 `filename*`), made
//! safe, and written back for downloads.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode, utf8_percent_encode};

/// Characters kept unescaped in `filename*=UTF-8''…` (RFC 5987 attr-char).
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// Longest accepted file name, in UTF-8 bytes (what common file systems allow).
pub const MAX_BYTES: usize = 255;

/// The file name a `Content-Disposition` header gives, preferring `filename*` over `filename`;
/// NUL and `/` become U+FFFD (as the reference does).
pub fn from_content_disposition(header: &str) -> Option<String> {
    let params = parameters(header);
    let extended = params
        .iter()
        .find(|(k, _)| k == "filename*")
        .and_then(|(_, v)| decode_extended(v));
    let plain = params
        .iter()
        .find(|(k, _)| k == "filename")
        .map(|(_, v)| v.clone());
    extended
        .or(plain)
        .map(|name| sanitize(&name))
        .filter(|name| !name.is_empty())
}

/// `attachment` plus `; filename*=UTF-8''…` when there is a name.
pub fn content_disposition(filename: Option<&str>) -> String {
    match filename {
        Some(name) => format!(
            "attachment; filename*=UTF-8''{}",
            utf8_percent_encode(name, ATTR_CHAR)
        ),
        None => "attachment".to_owned(),
    }
}

fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| if c == '\0' || c == '/' { '\u{fffd}' } else { c })
        .collect()
}

/// `charset'language'pct-encoded`; UTF-8 and ISO-8859-1 charsets are understood.
fn decode_extended(value: &str) -> Option<String> {
    let mut parts = value.splitn(3, '\'');
    let (charset, _lang, encoded) = (parts.next()?, parts.next()?, parts.next()?);
    let bytes: Vec<u8> = percent_decode(encoded.as_bytes()).collect();
    if charset.eq_ignore_ascii_case("utf-8") {
        String::from_utf8(bytes).ok()
    } else if charset.eq_ignore_ascii_case("iso-8859-1") || charset.eq_ignore_ascii_case("latin1") {
        Some(bytes.iter().map(|b| char::from(*b)).collect())
    } else {
        None
    }
}

/// `(lower-case name, value)` pairs after the disposition type; quoted values unescaped.
fn parameters(header: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = header.split_once(';').map_or("", |(_, r)| r);
    while let Some((name, after)) = rest.split_once('=') {
        let name = name
            .trim()
            .trim_start_matches(';')
            .trim()
            .to_ascii_lowercase();
        let after = after.trim_start();
        let (value, next) = if let Some(quoted) = after.strip_prefix('"') {
            unquote(quoted)
        } else {
            let end = after.find(';').unwrap_or(after.len());
            (after[..end].trim().to_owned(), &after[end..])
        };
        out.push((name, value));
        rest = next;
    }
    out
}

/// Reads a quoted string (after its opening quote) with backslash escapes; returns it and the rest.
fn unquote(s: &str) -> (String, &str) {
    let mut value = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => value.extend(chars.next().map(|(_, e)| e)),
            '"' => return (value, &s[i + 1..]),
            other => value.push(other),
        }
    }
    (value, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_filename_star_first_then_filename() {
        let cases = [
            ("attachment; filename=\"a b.txt\"", Some("a b.txt")),
            ("attachment; filename=plain.bin", Some("plain.bin")),
            (
                "attachment; filename=\"x.txt\"; filename*=UTF-8''%E2%9D%A4.txt",
                Some("❤.txt"),
            ),
            (
                "attachment; filename*=iso-8859-1''caf%E9.txt",
                Some("café.txt"),
            ),
            (
                "attachment; filename=\"back\\\\slash\\\".txt\"",
                Some("back\\slash\".txt"),
            ),
            (
                "attachment; filename=\"../../etc/passwd\"",
                Some("..\u{fffd}..\u{fffd}etc\u{fffd}passwd"),
            ),
            ("inline", None),
            ("attachment; filename=\"\"", None),
            ("attachment; filename*=UTF-8''%FF", None),
        ];
        for (header, expected) in cases {
            assert_eq!(
                from_content_disposition(header).as_deref(),
                expected,
                "{header}"
            );
        }
    }

    #[test]
    fn download_names_round_trip() {
        for name in ["simple.txt", "emoji 🎉.png", "quote\"and;semi.txt", "ÿ"] {
            let header = content_disposition(Some(name));
            assert_eq!(
                from_content_disposition(&header).as_deref(),
                Some(name),
                "{header}"
            );
        }
        assert_eq!(content_disposition(None), "attachment");
    }
}
