//! Path parameters: Werkzeug `int` ids and reactions.

use sogs_protocol::api::paths::{
    DirectMessageId, FileId, InvalidReaction, MessageId, PathInt, PathIntError, Reaction, Seqno,
    parse_path_int,
};

#[test]
fn path_integers_are_ascii_digits_only() {
    assert_eq!(parse_path_int("0"), Ok(0));
    assert_eq!(parse_path_int("0042"), Ok(42));
    assert_eq!(MessageId::from_path("123"), Ok(MessageId(123)));
    assert_eq!(Seqno::from_path(&i64::MAX.to_string()), Ok(Seqno(i64::MAX)));
    for bad in ["", "-1", "+1", "1.0", " 1", "1 ", "١٢", "0x10", "1e3"] {
        assert_eq!(parse_path_int(bad), Err(PathIntError::NotDigits), "{bad:?}");
    }
    assert_eq!(
        parse_path_int("99999999999999999999999"),
        Err(PathIntError::OutOfRange)
    );
}

#[test]
fn every_path_integer_parses_through_the_one_trait() {
    fn parse<T: PathInt>(raw: &str) -> Result<T, PathIntError> {
        T::from_path(raw)
    }
    assert_eq!(parse("7"), Ok(7_i64));
    assert_eq!(parse("7"), Ok(MessageId(7)));
    assert_eq!(parse("7"), Ok(FileId(7)));
    assert_eq!(parse("7"), Ok(Seqno(7)));
    assert_eq!(parse("7"), Ok(DirectMessageId(7)));
    assert_eq!(parse::<FileId>("-7"), Err(PathIntError::NotDigits));
    assert_eq!(
        parse::<i64>("99999999999999999999999"),
        Err(PathIntError::OutOfRange)
    );
}

#[test]
fn path_ids_serialize_as_plain_numbers() {
    assert_eq!(serde_json::to_string(&MessageId(5)).unwrap(), "5");
    assert_eq!(
        serde_json::from_str::<MessageId>("5").unwrap(),
        MessageId(5)
    );
    assert_eq!(MessageId(5).to_string(), "5");
}

#[test]
fn reactions_are_1_to_12_code_points_without_controls() {
    for ok in ["👍", "y/n", "❤️", "👨‍👩‍👧", "abcdefghijkl", "🍍"] {
        assert_eq!(Reaction::parse(ok).unwrap().as_str(), ok);
    }
    for bad in ["", "abcdefghijklm", "a\nb", "\u{7f}", "\u{0}"] {
        assert_eq!(Reaction::parse(bad), Err(InvalidReaction), "{bad:?}");
    }
    assert_eq!(
        InvalidReaction.to_string(),
        "Invalid reaction: must be 1 to 12 characters, no control characters"
    );
    assert!(serde_json::from_str::<Reaction>(r#""""#).is_err());
}
