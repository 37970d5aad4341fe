//! The tiny bencode subset of v4 onion requests: a list of byte strings `l<len>:<bytes>…e`.
//!
//! The decoder is strict where pysogs is lax: nothing may follow the closing `e`, every element
//! must be a byte string, and lengths are canonical decimal (no sign, no leading zero except
//! `0:` itself), as the bencode specification requires. No known client sends non-canonical
//! lengths; pysogs would accept `05:hello`. pysogs also ignores a single stray byte after the
//! metadata string (`l3:abcXe`); we refuse it.

use super::error::BencodeError;

/// Decodes a list of `min..=max` byte strings, borrowing from `input`.
pub fn decode_list(input: &[u8], min: usize, max: usize) -> Result<Vec<&[u8]>, BencodeError> {
    let mut rest = input.strip_prefix(b"l").ok_or(BencodeError::NotAList)?;
    let mut items = Vec::new();
    loop {
        match rest.split_first() {
            None => return Err(BencodeError::Unterminated),
            Some((b'e', [])) => break,
            Some((b'e', tail)) => return Err(BencodeError::TrailingData(tail.len())),
            Some((digit, _)) if digit.is_ascii_digit() => {
                if items.len() == max {
                    return Err(BencodeError::TooManyItems { max });
                }
                let (item, tail) = decode_string(rest)?;
                items.push(item);
                rest = tail;
            }
            Some(_) => return Err(BencodeError::NotAString),
        }
    }
    if items.len() < min {
        return Err(BencodeError::TooFewItems {
            min,
            got: items.len(),
        });
    }
    Ok(items)
}

/// Decodes one `<len>:<bytes>` at the start of `input`; returns it and the remaining input.
fn decode_string(input: &[u8]) -> Result<(&[u8], &[u8]), BencodeError> {
    let digits_len = input.iter().take_while(|b| b.is_ascii_digit()).count();
    let (digits, after) = input
        .split_at_checked(digits_len)
        .ok_or(BencodeError::NotAString)?;
    let len = parse_length(digits)?;
    let after = after.strip_prefix(b":").ok_or(BencodeError::MissingColon)?;
    after
        .split_at_checked(len)
        .ok_or(BencodeError::StringTruncated {
            declared: len,
            available: after.len(),
        })
}

/// Parses canonical ASCII decimal digits.
fn parse_length(digits: &[u8]) -> Result<usize, BencodeError> {
    match digits {
        [] => return Err(BencodeError::NotAString),
        [b'0', _, ..] => return Err(BencodeError::LeadingZero),
        _ => {}
    }
    digits.iter().try_fold(0usize, |acc, d| {
        acc.checked_mul(10)
            .and_then(|acc| acc.checked_add(usize::from(d - b'0')))
            .ok_or(BencodeError::LengthOverflow)
    })
}

/// Encodes byte strings as a bencoded list.
pub fn encode_list(items: &[&[u8]]) -> Vec<u8> {
    let total: usize = items.iter().map(|item| item.len() + 21).sum();
    let mut out = Vec::with_capacity(total + 2);
    out.push(b'l');
    for item in items {
        out.extend_from_slice(item.len().to_string().as_bytes());
        out.push(b':');
        out.extend_from_slice(item);
    }
    out.push(b'e');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_and_two_strings_round_trip() {
        let one: &[&[u8]] = &[b"{}"];
        let two: &[&[u8]] = &[b"{}", b""];
        assert_eq!(encode_list(one), b"l2:{}e");
        assert_eq!(encode_list(two), b"l2:{}0:e");
        assert_eq!(decode_list(b"l2:{}e", 1, 2).unwrap(), one);
        assert_eq!(decode_list(b"l2:{}0:e", 1, 2).unwrap(), two);
    }

    #[test]
    fn lengths_are_canonical_and_bounded() {
        assert_eq!(
            decode_list(b"l02:{}e", 1, 2),
            Err(BencodeError::LeadingZero)
        );
        assert_eq!(decode_list(b"l00:e", 1, 2), Err(BencodeError::LeadingZero));
        let huge = format!("l{}0:e", usize::MAX);
        assert_eq!(
            decode_list(huge.as_bytes(), 1, 2),
            Err(BencodeError::LengthOverflow)
        );
        assert_eq!(
            decode_list(b"l99:abce", 1, 2),
            Err(BencodeError::StringTruncated {
                declared: 99,
                available: 4
            })
        );
    }
}
