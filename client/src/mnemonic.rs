//! The 13-word recovery phrase, as Session encodes it (spec client-protocols §6).
//!
//! Words come from the Monero/Electrum English list (1626 words, unique 3-letter prefixes),
//! embedded from `data/mnemonic-english.txt` (MIT licence in `data/mnemonic-english.LICENSE`).
//! Every 4 bytes (a little-endian `u32`) become 3 words; a last word repeats one of the data
//! words, picked by the CRC-32 of the words' 3-letter prefixes. Session's seed is 16 bytes, so
//! its phrase has 12 data words and 1 checksum word.

use std::collections::HashMap;
use std::sync::OnceLock;

use zeroize::Zeroizing;

/// The embedded word list, one word per line, in index order.
const WORDLIST: &str = include_str!("../data/mnemonic-english.txt");

/// Number of words in the list.
const N: u64 = 1626;

/// Letters of a word that identify it (the list has unique 3-letter prefixes).
const PREFIX_LEN: usize = 3;

/// Number of words in a Session recovery phrase: 12 data words and 1 checksum word.
pub const SESSION_PHRASE_WORDS: usize = 13;

/// Why a recovery phrase could not be decoded, or bytes could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MnemonicError {
    /// The phrase has the wrong number of words (Session phrases have 13).
    #[error("expected {expected} words, got {got}")]
    WordCount {
        /// Words required.
        expected: usize,
        /// Words given.
        got: usize,
    },
    /// A word whose first three letters match no word of the list.
    #[error("unknown word {word:?} (word {position})")]
    UnknownWord {
        /// The word as given.
        word: String,
        /// Its 1-based position in the phrase.
        position: usize,
    },
    /// The last word is not the checksum of the others.
    #[error("wrong checksum word {word:?}: the phrase has a typo or a word is missing")]
    WrongChecksum {
        /// The last word as given.
        word: String,
    },
    /// Three words that encode no 32-bit value (e.g. `abbey abbey zoom`).
    #[error("words {first}–{} do not encode a 32-bit value", first + 2)]
    Overflow {
        /// 1-based position of the first word of the triple.
        first: usize,
    },
    /// The bytes to encode are not a whole number of 4-byte chunks.
    #[error("can only encode a multiple of 4 bytes, got {0}")]
    Length(usize),
}

/// The word list, parsed once.
fn words() -> &'static [&'static str] {
    static WORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| WORDLIST.lines().collect())
}

/// Map from 3-letter prefix to word index, built once.
fn prefix_index() -> &'static HashMap<&'static str, u64> {
    static INDEX: OnceLock<HashMap<&'static str, u64>> = OnceLock::new();
    INDEX.get_or_init(|| (0u64..).zip(words()).map(|(i, w)| (prefix(w), i)).collect())
}

/// The first three characters of a word (all of it if shorter).
fn prefix(word: &str) -> &str {
    word.char_indices()
        .nth(PREFIX_LEN)
        .map_or(word, |(end, _)| &word[..end])
}

/// The list word at `index` (< [`N`]).
fn word_at(index: u64) -> &'static str {
    let list = words();
    usize::try_from(index)
        .ok()
        .and_then(|i| list.get(i))
        .copied()
        .unwrap_or_default()
}

/// Encodes a 16-byte Session seed as its 13-word recovery phrase.
pub fn seed_to_phrase(seed: &[u8; 16]) -> Zeroizing<String> {
    Zeroizing::new(with_checksum(chunks_to_words(seed)).join(" "))
}

/// Encodes any multiple of 4 bytes as data words plus the checksum word (16 bytes: the
/// 13-word Session phrase; 32 bytes: 25 words).
pub fn encode(bytes: &[u8]) -> Result<Zeroizing<String>, MnemonicError> {
    let data = encode_words(bytes)?;
    Ok(Zeroizing::new(with_checksum(data).join(" ")))
}

/// Decodes a 13-word Session recovery phrase to its 16-byte seed, checking the checksum word.
///
/// Words are matched by their first three letters, case-insensitively; extra whitespace is
/// ignored.
pub fn phrase_to_seed(phrase: &str) -> Result<Zeroizing<[u8; 16]>, MnemonicError> {
    let count = phrase.split_whitespace().count();
    if count != SESSION_PHRASE_WORDS {
        return Err(MnemonicError::WordCount {
            expected: SESSION_PHRASE_WORDS,
            got: count,
        });
    }
    let bytes = decode(phrase)?;
    let mut seed = Zeroizing::new([0u8; 16]);
    seed.copy_from_slice(&bytes);
    Ok(seed)
}

/// Encodes any multiple of 4 bytes as data words, without the checksum word.
pub fn encode_words(bytes: &[u8]) -> Result<Vec<&'static str>, MnemonicError> {
    if bytes.len() % 4 != 0 {
        return Err(MnemonicError::Length(bytes.len()));
    }
    Ok(chunks_to_words(bytes))
}

/// Three words per whole 4-byte chunk: `w1 = x mod n`, `w2 = (x/n + w1) mod n`,
/// `w3 = (x/n² + w2) mod n`.
fn chunks_to_words(bytes: &[u8]) -> Vec<&'static str> {
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    for chunk in bytes.chunks_exact(4) {
        let x = u64::from(u32::from_le_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]));
        let w1 = x % N;
        let w2 = (x / N + w1) % N;
        let w3 = (x / N / N + w2) % N;
        out.extend([w1, w2, w3].map(word_at));
    }
    out
}

/// Appends the checksum word to data words.
fn with_checksum(mut data: Vec<&'static str>) -> Vec<&'static str> {
    if let Some(index) = checksum_index(&data) {
        let word = data[index];
        data.push(word);
    }
    data
}

/// Index of the data word the checksum repeats: CRC-32 of the prefixes, modulo the count.
fn checksum_index<S: AsRef<str>>(data: &[S]) -> Option<usize> {
    let prefixes: String = data.iter().map(|w| prefix(w.as_ref())).collect();
    let crc = u64::from(crc32fast::hash(prefixes.as_bytes()));
    let len = u64::try_from(data.len()).ok().filter(|&n| n > 0)?;
    usize::try_from(crc % len).ok()
}

/// Decodes a phrase of `3k + 1` words (data words and a checksum word) to `4k` bytes.
pub fn decode(phrase: &str) -> Result<Zeroizing<Vec<u8>>, MnemonicError> {
    let given: Vec<String> = phrase.split_whitespace().map(str::to_lowercase).collect();
    let Some((checksum, data)) = given
        .split_last()
        .filter(|(_, d)| d.len() % 3 == 0 && !d.is_empty())
    else {
        return Err(MnemonicError::WordCount {
            expected: SESSION_PHRASE_WORDS,
            got: given.len(),
        });
    };
    let indices = lookup(&given)?;
    let expected = checksum_index(data).map(|i| prefix(&data[i]));
    if expected != Some(prefix(checksum)) {
        return Err(MnemonicError::WrongChecksum {
            word: checksum.clone(),
        });
    }
    decode_indices(&indices[..data.len()])
}

/// Word indices of every word, or the first unknown one.
fn lookup(words: &[String]) -> Result<Vec<u64>, MnemonicError> {
    let index = prefix_index();
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let found = (w.chars().count() >= PREFIX_LEN).then(|| index.get(prefix(w)));
            found
                .flatten()
                .copied()
                .ok_or_else(|| MnemonicError::UnknownWord {
                    word: w.clone(),
                    position: i + 1,
                })
        })
        .collect()
}

/// Turns word-index triples back into little-endian `u32` chunks.
fn decode_indices(indices: &[u64]) -> Result<Zeroizing<Vec<u8>>, MnemonicError> {
    let mut out = Zeroizing::new(Vec::with_capacity(indices.len() / 3 * 4));
    for (t, triple) in indices.chunks_exact(3).enumerate() {
        let (w1, w2, w3) = (triple[0], triple[1], triple[2]);
        let x = w1 + N * ((N - w1 + w2) % N) + N * N * ((N - w2 + w3) % N);
        let x = u32::try_from(x)
            .ok()
            .filter(|&x| u64::from(x) % N == w1)
            .ok_or(MnemonicError::Overflow { first: 3 * t + 1 })?;
        out.extend_from_slice(&x.to_le_bytes());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_list_has_1626_words_with_unique_prefixes() {
        assert_eq!(words().len(), 1626);
        assert_eq!(prefix_index().len(), 1626);
    }

    #[test]
    fn overflowing_triple_is_refused() {
        let data = ["abbey", "abbey", "zoom"];
        let phrase = format!(
            "{} {}",
            data.join(" "),
            data[checksum_index(&data).unwrap()]
        );
        assert_eq!(
            decode(&phrase).unwrap_err(),
            MnemonicError::Overflow { first: 1 }
        );
    }
}
