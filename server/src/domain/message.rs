//! Message rules that need no database: Session padding and listing selections (reaction
//! strings are `sogs_protocol::api::paths::Reaction`).

/// Removes Session padding (spec §7.3): only a final 0x80 followed by zero or more 0x00 bytes
/// is padding; anything else, trailing zeros with no 0x80 before them included, is kept whole.
pub fn remove_padding(data: &[u8]) -> &[u8] {
    let end = data.iter().rposition(|b| *b != 0).map_or(0, |i| i + 1);
    match data[..end].split_last() {
        Some((0x80, unpadded)) => unpadded,
        _ => data,
    }
}

/// Re-pads stored data to `size` bytes: 0x80 then zeros (nothing when already that long).
pub fn add_padding(data: &[u8], size: usize) -> Vec<u8> {
    let mut padded = data.to_vec();
    if size > data.len() {
        padded.push(0x80);
        padded.resize(size, 0);
    }
    padded
}

/// Which messages a listing returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// Updates with `seqno > n`, oldest first; `reactions_only` allows reaction-only rows.
    Since {
        /// The caller's last seen seqno.
        seqno: i64,
        /// Whether the caller asked for reaction-only rows (`t=r`).
        reactions_only: bool,
    },
    /// The newest messages, newest first.
    Recent,
    /// Messages with an id below this, newest first.
    Before(i64),
    /// One message.
    Single(i64),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_round_trips_exactly() {
        let cases: [&[u8]; 8] = [
            b"hello",
            b"hello\x80",
            b"hello\x80\x00\x00",
            b"\x80\x00",
            b"",
            b"abc\x00\x00",
            b"\x00\x00",
            b"hi\x80\x01\x00",
        ];
        for padded in cases {
            let stored = remove_padding(padded);
            assert_eq!(add_padding(stored, padded.len()), padded, "{padded:?}");
        }
        assert_eq!(remove_padding(b"hi\x80\x00\x00"), b"hi");
        assert_eq!(remove_padding(b"hi\x00\x80\x00"), b"hi\x00");
        assert_eq!(remove_padding(b"hi\x01"), b"hi\x01");
        assert_eq!(remove_padding(b"abc\x00\x00"), b"abc\x00\x00");
        assert_eq!(remove_padding(b"\x00"), b"\x00");
    }
}
