//! Tables of malformed outer blobs, bencode framings and v4 metadata, each with its error.

use sogs_protocol::onion::{
    BencodeError, CryptoError, OnionError, RequestError, decrypt_request, parse_v4_request,
};
use x25519_dalek::StaticSecret;

use super::{onion_vector, secret, unhex};

const KEY_HEX: &str = "8167e97672005c669a48858c69895f395ca235219ac3f7a4210022b1f910e652";
const OTHER_KEY_HEX: &str = "d79a50b82ba8ca665f854382b42ba159efd16eef87409e97a8d07395b9492928";

/// The libsession AES-GCM vector's ciphertext (`Hello world`).
fn gcm_ciphertext() -> Vec<u8> {
    let blob = unhex(
        &onion_vector("onion_parser_libsession"),
        "request_aes_gcm_hex",
    );
    blob[4..4 + 0x27].to_vec()
}

fn framed(ciphertext: &[u8], metadata: &str) -> Vec<u8> {
    let len = u32::try_from(ciphertext.len()).unwrap();
    [&len.to_le_bytes()[..], ciphertext, metadata.as_bytes()].concat()
}

fn meta(key: &str, enc_type: &str) -> String {
    format!(r#"{{"ephemeral_key":{key},"enc_type":{enc_type}}}"#)
}

fn server() -> StaticSecret {
    secret(
        &onion_vector("onion_parser_libsession"),
        "server_x25519_priv",
    )
}

type Check = fn(&OnionError) -> bool;

fn blob_cases() -> Vec<(&'static str, Vec<u8>, Check)> {
    let ct = gcm_ciphertext();
    let good_key = format!("\"{KEY_HEX}\"");
    let gcm = meta(&good_key, r#""aes-gcm""#);
    let mut flipped = ct.clone();
    flipped[20] ^= 1;
    vec![
        ("empty", vec![], |e| {
            matches!(e, OnionError::MissingLengthPrefix)
        }),
        ("3 bytes", vec![1, 0, 0], |e| {
            matches!(e, OnionError::MissingLengthPrefix)
        }),
        (
            "length past the end",
            [&[0xff, 0xff, 0xff, 0xff][..], &ct].concat(),
            |e| {
                matches!(
                    e,
                    OnionError::CiphertextTruncated {
                        declared: u32::MAX,
                        ..
                    }
                )
            },
        ),
        (
            "length 100, 39 bytes follow",
            [&100u32.to_le_bytes()[..], &ct].concat(),
            |e| {
                matches!(
                    e,
                    OnionError::CiphertextTruncated {
                        declared: 100,
                        available: 39
                    }
                )
            },
        ),
        ("no metadata", framed(&ct, ""), |e| {
            matches!(e, OnionError::MetadataJson(_))
        }),
        ("metadata not JSON", framed(&ct, "hello"), |e| {
            matches!(e, OnionError::MetadataJson(_))
        }),
        (
            "metadata is an array",
            framed(&ct, &format!("[{good_key}]")),
            |e| matches!(e, OnionError::MetadataJson(_)),
        ),
        ("metadata is a string", framed(&ct, &good_key), |e| {
            matches!(e, OnionError::MetadataJson(_))
        }),
        (
            "junk after metadata",
            framed(&ct, &format!("{gcm}x")),
            |e| matches!(e, OnionError::MetadataJson(_)),
        ),
        (
            "metadata not UTF-8",
            [framed(&ct, "{\"a\":\""), vec![0xff, b'"', b'}']].concat(),
            |e| matches!(e, OnionError::MetadataJson(_)),
        ),
        (
            "no ephemeral_key",
            framed(&ct, r#"{"enc_type":"aes-gcm"}"#),
            |e| matches!(e, OnionError::MissingEphemeralKey),
        ),
        (
            "ephemeral_key a number",
            framed(&ct, &meta("12", r#""gcm""#)),
            |e| matches!(e, OnionError::BadEphemeralKey),
        ),
        (
            "ephemeral_key null",
            framed(&ct, &meta("null", r#""gcm""#)),
            |e| matches!(e, OnionError::BadEphemeralKey),
        ),
        (
            "ephemeral_key 63 hex",
            framed(&ct, &meta(&format!("\"{}\"", &KEY_HEX[..63]), r#""gcm""#)),
            |e| matches!(e, OnionError::BadEphemeralKey),
        ),
        (
            "ephemeral_key not hex",
            framed(&ct, &meta(&format!("\"zz{}\"", &KEY_HEX[2..]), r#""gcm""#)),
            |e| matches!(e, OnionError::BadEphemeralKey),
        ),
        (
            "ephemeral_key empty",
            framed(&ct, &meta(r#""""#, r#""gcm""#)),
            |e| matches!(e, OnionError::BadEphemeralKey),
        ),
        (
            "enc_type aes-cbc",
            framed(&ct, &meta(&good_key, r#""aes-cbc""#)),
            |e| matches!(e, OnionError::EncType(_)),
        ),
        (
            "enc_type null",
            framed(&ct, &meta(&good_key, "null")),
            |e| matches!(e, OnionError::EncTypeNotString),
        ),
        (
            "enc_type a number",
            framed(&ct, &meta(&good_key, "1")),
            |e| matches!(e, OnionError::EncTypeNotString),
        ),
        (
            "small-order ephemeral key",
            framed(&ct, &meta(&format!("\"{}\"", "0".repeat(64)), r#""gcm""#)),
            |e| matches!(e, OnionError::Crypto(CryptoError::NonContributory)),
        ),
        (
            "another client's key",
            framed(&ct, &meta(&format!("\"{OTHER_KEY_HEX}\""), r#""gcm""#)),
            |e| matches!(e, OnionError::Crypto(CryptoError::Authentication)),
        ),
        ("flipped ciphertext bit", framed(&flipped, &gcm), |e| {
            matches!(e, OnionError::Crypto(CryptoError::Authentication))
        }),
        (
            "wrong enc_type",
            framed(
                &[&ct[..], &[0]].concat(),
                &meta(&good_key, r#""xchacha20""#),
            ),
            |e| matches!(e, OnionError::Crypto(CryptoError::Authentication)),
        ),
        ("gcm ciphertext of 27 bytes", framed(&ct[..27], &gcm), |e| {
            matches!(
                e,
                OnionError::Crypto(CryptoError::CiphertextTooShort { len: 27, min: 28 })
            )
        }),
        (
            "empty xchacha ciphertext",
            framed(&[], &meta(&good_key, r#""xchacha20""#)),
            |e| {
                matches!(
                    e,
                    OnionError::Crypto(CryptoError::CiphertextTooShort { len: 0, min: 40 })
                )
            },
        ),
    ]
}

#[test]
fn every_malformed_blob_gives_its_error() {
    let server = server();
    let cases = blob_cases();
    assert!(cases.len() >= 20);
    for (name, blob, check) in cases {
        let err = decrypt_request(&server, &blob).expect_err(name);
        assert!(check(&err), "{name}: unexpected {err:?}");
    }
}

fn bencode_cases() -> Vec<(&'static str, BencodeError)> {
    use BencodeError::*;
    vec![
        ("", NotAList),
        ("e", NotAList),
        ("2:{}", NotAList),
        ("l", Unterminated),
        ("le", TooFewItems { min: 1, got: 0 }),
        ("l2:{}", Unterminated),
        ("l2:{}0:", Unterminated),
        ("l2:{}ex", TrailingData(1)),
        ("l2:{}ee", TrailingData(1)),
        ("l2:{}0:0:e", TooManyItems { max: 2 }),
        ("li1ee", NotAString),
        ("l2:{}le", NotAString),
        ("ld2:{}ee", NotAString),
        ("l2:{}Xe", NotAString),
        ("l-1:e", NotAString),
        ("l+2:{}e", NotAString),
        ("l 2:{}e", NotAString),
        ("l02:{}e", LeadingZero),
        ("l2{}e", MissingColon),
        ("l99999999999999999999999:e", LengthOverflow),
        (
            "l5:{}e",
            StringTruncated {
                declared: 5,
                available: 3,
            },
        ),
        (
            "l2:{}4294967296:e",
            StringTruncated {
                declared: 4_294_967_296,
                available: 1,
            },
        ),
    ]
}

#[test]
fn every_malformed_bencode_framing_gives_its_error() {
    for (input, want) in bencode_cases() {
        match parse_v4_request(input.as_bytes()) {
            Err(RequestError::Bencode(got)) => assert_eq!(got, want, "{input:?}"),
            other => panic!("{input:?}: unexpected {other:?}"),
        }
    }
}

#[test]
fn every_malformed_v4_metadata_gives_its_error() {
    type MetaCheck = fn(&RequestError) -> bool;
    let json: MetaCheck = |e| matches!(e, RequestError::Json(_));
    let cases: Vec<(&str, MetaCheck)> = vec![
        ("{}", json),
        ("[]", json),
        (r#"["GET","/x",{}]"#, json),
        (r#"{"method":"GET"}"#, json),
        (r#"{"endpoint":"/x"}"#, json),
        (r#"{"method":1,"endpoint":"/x"}"#, json),
        (r#"{"method":"GET","endpoint":"/x","headers":null}"#, json),
        (r#"{"method":"GET","endpoint":"/x","headers":[]}"#, json),
        (
            r#"{"method":"GET","endpoint":"/x","headers":{"A":1}}"#,
            json,
        ),
        (r#"{"method":"GET","endpoint":"/x"} x"#, json),
        (r#"{"method":"GET","endpoint":"room/x"}"#, |e| {
            matches!(e, RequestError::EndpointNotAbsolute)
        }),
        (r#"{"method":"GET","endpoint":""}"#, |e| {
            matches!(e, RequestError::EndpointNotAbsolute)
        }),
        (r#"{"method":"G T","endpoint":"/x"}"#, |e| {
            matches!(e, RequestError::BadMethod(_))
        }),
        (r#"{"method":"","endpoint":"/x"}"#, |e| {
            matches!(e, RequestError::BadMethod(_))
        }),
        (
            r#"{"method":"GET","endpoint":"/x","headers":{"Bad Name":"v"}}"#,
            |e| matches!(e, RequestError::BadHeaderName(_)),
        ),
        (
            r#"{"method":"GET","endpoint":"/x","headers":{"X":"a\r\nB: c"}}"#,
            |e| matches!(e, RequestError::BadHeaderValue(_)),
        ),
    ];
    for (meta, check) in cases {
        let framed = format!("l{}:{meta}e", meta.len());
        let err = parse_v4_request(framed.as_bytes()).expect_err(meta);
        assert!(check(&err), "{meta}: unexpected {err:?}");
    }
    let bad_utf8 = [&b"l3:"[..], &[b'{', 0xff, b'}'], b"e"].concat();
    assert!(matches!(
        parse_v4_request(&bad_utf8),
        Err(RequestError::Json(_))
    ));
}
