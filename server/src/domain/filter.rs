//! Message filters (spec §7.5): alphabet filters on the body, and a profanity word list
//! checked against the body and the display name.

pub mod reply;

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

/// The built-in word list (from the better_profanity package; licence beside it in server/data).
const BUILTIN_WORDS: &str = include_str!("../../data/profanity-wordlist.txt");

/// A script whose characters can be refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Alphabet {
    /// Persian letters.
    Persian,
    /// Arabic script (a superset of the Persian letters).
    Arabic,
    /// Cyrillic.
    Cyrillic,
}

impl Alphabet {
    /// The order the reference checks them in.
    pub const CHECK_ORDER: [Alphabet; 3] =
        [Alphabet::Persian, Alphabet::Arabic, Alphabet::Cyrillic];

    fn contains(self, c: char) -> bool {
        let ranges: &[(u32, u32)] = match self {
            Self::Persian => &[
                (0x621, 0x628),
                (0x62A, 0x63A),
                (0x641, 0x642),
                (0x644, 0x648),
                (0x64E, 0x651),
                (0x655, 0x655),
                (0x67E, 0x67E),
                (0x686, 0x686),
                (0x698, 0x698),
                (0x6A9, 0x6A9),
                (0x6AF, 0x6AF),
                (0x6BE, 0x6BE),
                (0x6CC, 0x6CC),
            ],
            Self::Arabic => &[
                (0x600, 0x6FF),
                (0x750, 0x77F),
                (0x8A0, 0x8FF),
                (0xFB50, 0xFDFF),
                (0xFE70, 0xFEFE),
            ],
            Self::Cyrillic => &[(0x400, 0x4FF)],
        };
        let code = u32::from(c);
        ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&code))
    }
}

/// Why a message was filtered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterHit {
    /// A word of the profanity list.
    Profanity,
    /// A character of a refused alphabet.
    Alphabet(Alphabet),
}

impl FilterHit {
    /// The type named in the 429 text: `profanity` or `alphabet`.
    pub fn kind(self) -> &'static str {
        match self {
            Self::Profanity => "profanity",
            Self::Alphabet(_) => "alphabet",
        }
    }
}

/// The first configured alphabet (in the reference's order) with a character in `body`.
pub fn alphabet_hit(body: &str, enabled: &[Alphabet]) -> Option<Alphabet> {
    Alphabet::CHECK_ORDER
        .into_iter()
        .filter(|a| enabled.contains(a))
        .find(|a| body.chars().any(|c| a.contains(c)))
}

/// A set of words and phrases; text matches when a word or a run of words equals an entry,
/// after lower-casing and undoing common letter substitutions (`@`→a, `$`→s, `0`→o, …).
#[derive(Debug, Clone)]
pub struct WordList {
    entries: HashSet<String>,
    longest_phrase: usize,
}

impl WordList {
    /// The built-in list, plus one entry per non-empty line of `custom`.
    pub fn new(custom: Option<&str>) -> Self {
        let lines = BUILTIN_WORDS
            .lines()
            .chain(custom.unwrap_or_default().lines());
        let entries: HashSet<String> = lines
            .map(|l| words(l).join(" "))
            .filter(|l| !l.is_empty())
            .collect();
        let longest_phrase = entries
            .iter()
            .map(|e| e.split(' ').count())
            .max()
            .unwrap_or(1);
        Self {
            entries,
            longest_phrase,
        }
    }

    /// Whether `text` contains an entry.
    pub fn matches(&self, text: &str) -> bool {
        let tokens = words(text);
        (0..tokens.len()).any(|start| {
            (1..=self.longest_phrase.min(tokens.len() - start))
                .any(|len| self.entries.contains(&tokens[start..start + len].join(" ")))
        })
    }
}

/// Lower-cased words with letter substitutions undone; separators are anything but letters,
/// digits and the substitution symbols.
fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || matches!(c, '@' | '$' | '*')))
        .filter(|w| !w.is_empty())
        .map(|w| w.chars().map(unleet).collect())
        .collect()
}

fn unleet(c: char) -> char {
    match c {
        '@' | '4' => 'a',
        '3' => 'e',
        '1' => 'i',
        '0' => 'o',
        '$' | '5' => 's',
        '7' => 't',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alphabets_are_checked_in_order() {
        let all = [Alphabet::Cyrillic, Alphabet::Arabic, Alphabet::Persian];
        assert_eq!(alphabet_hit("hello", &all), None);
        assert_eq!(alphabet_hit("привет", &all), Some(Alphabet::Cyrillic));
        assert_eq!(alphabet_hit("سلام", &all), Some(Alphabet::Persian));
        assert_eq!(
            alphabet_hit("سلام", &[Alphabet::Arabic]),
            Some(Alphabet::Arabic)
        );
        assert_eq!(alphabet_hit("привет", &[Alphabet::Arabic]), None);
    }

    #[test]
    fn words_and_phrases_match_after_normalising() {
        let list = WordList::new(Some("durian\nbad apple\n"));
        for text in [
            "I like DURIAN.",
            "dur1an!",
            "a bad   apple here",
            "what the $h1t",
            "Fuck",
        ] {
            assert!(list.matches(text), "{text}");
        }
        for text in ["hello world", "apple bad", "classic", "scunthorpe", ""] {
            assert!(!list.matches(text), "{text}");
        }
    }
}
