//! Message padding (spec client-protocols §4.4): `message ‖ 0x80 ‖ zeros`, used for community
//! posts, community DMs and one-to-one messages (not for groups v2).

/// Padding block size.
const BLOCK: usize = 160;

/// Pads like libsession `pad_message` (current Desktop): `0x80` then zeros up to a multiple of
/// 160 bytes; a whole extra block when `len + 1` is already a multiple.
pub fn pad(message: &[u8]) -> Vec<u8> {
    let len = message.len() + 1;
    padded(message, len + (BLOCK - len % BLOCK))
}

/// Pads like older Session Desktop `addMessagePadding`: `0x80` then zeros up to
/// `ceil((len + 2) / 160) · 160 − 1` bytes. Receivers accept both forms.
pub fn pad_legacy(message: &[u8]) -> Vec<u8> {
    padded(message, (message.len() + 2).div_ceil(BLOCK) * BLOCK - 1)
}

/// `message ‖ 0x80 ‖ zeros`, `total` bytes long (`total > message.len()`).
fn padded(message: &[u8], total: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(message);
    out.push(0x80);
    out.resize(total, 0);
    out
}

/// Removes either padding: strips trailing zeros, then one `0x80`. Data whose last non-zero
/// byte is not `0x80` is taken as unpadded and returned whole.
pub fn unpad(data: &[u8]) -> &[u8] {
    let end = data.iter().rposition(|&b| b != 0);
    match end {
        Some(i) if data[i] == 0x80 => &data[..i],
        _ => data,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_follow_both_formulas() {
        for (len, new, old) in [
            (0, 160, 159),
            (5, 160, 159),
            (158, 160, 159),
            (159, 320, 319),
            (160, 320, 319),
            (317, 320, 319),
            (318, 320, 319),
            (319, 480, 479),
        ] {
            let msg = vec![1u8; len];
            assert_eq!(pad(&msg).len(), new, "pad {len}");
            assert_eq!(pad_legacy(&msg).len(), old, "pad_legacy {len}");
            assert_eq!(unpad(&pad(&msg)), &msg[..]);
            assert_eq!(unpad(&pad_legacy(&msg)), &msg[..]);
        }
    }

    #[test]
    fn unpadded_data_is_returned_whole() {
        assert_eq!(unpad(b"ab\x00\x00"), b"ab\x00\x00");
        assert_eq!(unpad(b""), b"");
        assert_eq!(unpad(b"\x00\x00"), b"\x00\x00");
        assert_eq!(unpad(b"\x80"), b"");
    }
}
