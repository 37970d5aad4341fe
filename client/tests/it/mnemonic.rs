//! Recovery phrase: every `mnemonic` vector (upstream libsession-util `test_mnemonics.cpp`) and
//! the error cases.

use sogs_client::mnemonic::{
    MnemonicError, decode, encode, encode_words, phrase_to_seed, seed_to_phrase,
};

use crate::vectors::{client, hex_bytes, s};

/// The embedded word list, to turn word indices into words.
const WORDLIST: &str = include_str!("../../data/mnemonic-english.txt");

fn cases() -> &'static Vec<serde_json::Value> {
    client()["mnemonic"]["cases"].as_array().unwrap()
}

#[test]
fn session_seeds_encode_to_their_13_word_phrases_and_back() {
    for case in cases()
        .iter()
        .filter(|c| c["seed_hex"].as_str().unwrap().len() == 32)
    {
        let seed: [u8; 16] = hex_bytes(case, "seed_hex").try_into().unwrap();
        let words = s(case, "words");
        assert_eq!(seed_to_phrase(&seed).as_str(), words);
        assert_eq!(*phrase_to_seed(words).unwrap(), seed);
        if let Some(index) = case["checksum_word_is_copy_of_index"].as_u64() {
            let list: Vec<&str> = words.split(' ').collect();
            assert_eq!(list[12], list[index as usize]);
        }
    }
}

#[test]
fn a_32_byte_seed_encodes_to_25_words_and_back() {
    let case = &cases()[2];
    let bytes = hex_bytes(case, "seed_hex");
    let words = s(case, "words");
    assert_eq!(encode(&bytes).unwrap().as_str(), words);
    assert_eq!(*decode(words).unwrap(), bytes);
    let list: Vec<&str> = words.split(' ').collect();
    let index = case["checksum_word_is_copy_of_index"].as_u64().unwrap() as usize;
    assert_eq!(list[24], list[index]);
    assert_eq!(
        phrase_to_seed(words).unwrap_err(),
        MnemonicError::WordCount {
            expected: 13,
            got: 25
        }
    );
}

#[test]
fn data_words_without_checksum_match_for_64_and_4_bytes() {
    for case in &cases()[3..] {
        let words = encode_words(&hex_bytes(case, "seed_hex")).unwrap();
        assert_eq!(words.join(" "), s(case, "words_no_checksum"));
        if let Some(indices) = case["word_indices"].as_array() {
            let list: Vec<&str> = WORDLIST.lines().collect();
            let expected: Vec<&str> = indices
                .iter()
                .map(|i| list[i.as_u64().unwrap() as usize])
                .collect();
            assert_eq!(words, expected);
        }
    }
}

#[test]
fn words_match_by_prefix_case_insensitively_with_extra_spaces() {
    let words = s(&cases()[0], "words");
    let sloppy: String = words
        .split(' ')
        .map(|w| format!("  {}xyz", w[..3].to_uppercase()))
        .collect();
    assert_eq!(
        hex::encode(*phrase_to_seed(&sloppy).unwrap()),
        "000102030405060708090a0b0c0d0e0f"
    );
}

#[test]
fn an_unknown_word_is_named_with_its_position() {
    let words = s(&cases()[0], "words").replace("symptoms", "qqqxx");
    let err = phrase_to_seed(&words).unwrap_err();
    assert_eq!(
        err,
        MnemonicError::UnknownWord {
            word: "qqqxx".into(),
            position: 5
        }
    );
    assert_eq!(err.to_string(), "unknown word \"qqqxx\" (word 5)");
    let short = s(&cases()[0], "words").replace("amaze", "am");
    assert!(matches!(
        phrase_to_seed(&short),
        Err(MnemonicError::UnknownWord { position: 1, .. })
    ));
}

#[test]
fn a_wrong_checksum_word_is_named() {
    let words = s(&cases()[0], "words");
    let wrong = format!("{} abbey", words.rsplit_once(' ').unwrap().0);
    let err = phrase_to_seed(&wrong).unwrap_err();
    assert_eq!(
        err,
        MnemonicError::WrongChecksum {
            word: "abbey".into()
        }
    );
    assert!(err.to_string().contains("\"abbey\""), "{err}");
}

#[test]
fn twelve_or_fourteen_words_are_refused() {
    let words = s(&cases()[0], "words");
    let twelve = words.rsplit_once(' ').unwrap().0;
    assert_eq!(
        phrase_to_seed(twelve).unwrap_err(),
        MnemonicError::WordCount {
            expected: 13,
            got: 12
        }
    );
    let fourteen = format!("{words} faxed");
    assert_eq!(
        phrase_to_seed(&fourteen).unwrap_err(),
        MnemonicError::WordCount {
            expected: 13,
            got: 14
        }
    );
    assert!(matches!(
        decode(""),
        Err(MnemonicError::WordCount { got: 0, .. })
    ));
}

#[test]
fn a_triple_beyond_32_bits_is_refused() {
    // "abbey abbey zoom" ×4 with its checksum word: x would exceed u32::MAX.
    let data = ["abbey", "abbey", "zoom"].repeat(4);
    let checksum_index = crc32fast_index(&data);
    let phrase = format!("{} {}", data.join(" "), data[checksum_index]);
    assert_eq!(
        phrase_to_seed(&phrase).unwrap_err(),
        MnemonicError::Overflow { first: 1 }
    );
}

#[test]
fn odd_byte_counts_cannot_be_encoded() {
    assert_eq!(
        encode_words(&[1, 2, 3]).unwrap_err(),
        MnemonicError::Length(3)
    );
}

/// The checksum index for data words, recomputed independently: CRC-32 of the prefixes mod n.
fn crc32fast_index(data: &[&str]) -> usize {
    let prefixes: String = data.iter().map(|w| &w[..3]).collect();
    (crc32(prefixes.as_bytes()) % data.len() as u32) as usize
}

/// Bitwise CRC-32 (IEEE, reflected), to avoid testing the crate with itself.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
