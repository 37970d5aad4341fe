//! Text made safe to show on a page: control characters and bidi overrides from message text,
//! display names and room names never reach the browser.

use std::borrow::Cow;

/// `text` without the characters a page must not show: C0 controls except tab and newline,
/// DEL, C1 controls, and the bidi embeddings, overrides and isolates (U+202A–U+202E,
/// U+2066–U+2069) that could make text read in a different order than it was written.
/// Borrowed unchanged when there is nothing to remove (the common case).
pub fn displayable(text: &str) -> Cow<'_, str> {
    if text.chars().any(hidden) {
        Cow::Owned(text.chars().filter(|&c| !hidden(c)).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether `c` is removed by [`displayable`].
fn hidden(c: char) -> bool {
    match c {
        '\t' | '\n' => false,
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        // C0, DEL and C1.
        c => c.is_control(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_removed_and_tabs_and_newlines_kept() {
        assert_eq!(displayable("a\0b\x1b[31mc\x07\r\n\td\x7f"), "ab[31mc\n\td");
        assert_eq!(displayable("\u{80}x\u{9b}y\u{9f}"), "xy");
    }

    #[test]
    fn bidi_overrides_and_isolates_are_removed() {
        let tricky =
            "\u{202a}\u{202b}\u{202c}\u{202d}\u{202e}txt.exe\u{2066}\u{2067}\u{2068}\u{2069}";
        assert_eq!(displayable(tricky), "txt.exe");
    }

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        for text in [
            "Hello, 世界! 👋",
            "مرحبا \u{200f}(rtl mark kept)",
            "",
            "<b>&amp;</b>",
        ] {
            assert!(matches!(displayable(text), Cow::Borrowed(t) if t == text));
        }
    }
}
