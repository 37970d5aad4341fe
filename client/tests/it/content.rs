//! Protobuf content and padding: `sogs_client_side.community_post`, `padding`, and the
//! content/padding part of `one_to_one_and_groups`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use sogs_client::content::{
    AttachmentPointer, Content, DataMessage, DecodeError, LokiProfile, pad, pad_legacy, unpad,
};
use sogs_client::identity::Identity;
use sogs_protocol::signing::{blind15_sign, verify};

use crate::vectors::{client, hex_arr, hex_bytes, s, server_pk};

const TIMESTAMP_MS: u64 = 1_700_000_000_123;

#[test]
fn community_post_content_encodes_and_decodes() {
    let v = &client()["sogs_client_side"]["community_post"];
    let content = Content::text("hello", TIMESTAMP_MS);
    assert_eq!(hex::encode(content.encode()), s(v, "content_protobuf_hex"));
    assert_eq!(
        Content::decode(&hex_bytes(v, "content_protobuf_hex")).unwrap(),
        content
    );
}

#[test]
fn community_post_data_and_signature_match() {
    let v = &client()["sogs_client_side"]["community_post"];
    let content = Content::text("hello", TIMESTAMP_MS).encode();
    let legacy = pad_legacy(&content);
    let key = "padded_len_old_desktop_or_sessionjs_formula (used for post_body_json.data)";
    assert_eq!(legacy.len() as u64, v[key].as_u64().unwrap());
    let current = "padded_len_current_libsession_formula (what current Desktop would send)";
    assert_eq!(pad(&content).len() as u64, v[current].as_u64().unwrap());
    let data = s(&v["post_body_json"], "data");
    assert_eq!(B64.encode(&legacy), data);
    let received = Content::decode_padded(&B64.decode(data).unwrap()).unwrap();
    assert_eq!(received, Content::text("hello", TIMESTAMP_MS));

    let x = &client()["sogs_client_side"]["x_sogs_cases"];
    let spk = server_pk(&client()["sogs_client_side"]["server"], "x25519_public");
    let id = Identity::from_seed(&hex_arr(x, "user_ed25519_seed"));
    let sig = blind15_sign(id.seed(), &spk, &legacy);
    assert_eq!(B64.encode(sig), s(&v["post_body_json"], "signature"));
    verify(id.blinded15_id(&spk).key(), &legacy, &sig).unwrap();
}

#[test]
fn one_to_one_padded_content_matches() {
    let v = &client()["one_to_one_and_groups"];
    let content = hex_bytes(v, "content_protobuf_hex");
    let padded = pad(&content);
    let key = "padded_content_hex(libsession pad: 0x80 then zeros to multiple of 160)";
    assert_eq!(hex::encode(&padded), s(v, key));
    assert_eq!(unpad(&padded), &content[..]);
    assert_eq!(Content::text("hello", TIMESTAMP_MS).encode_padded(), padded);
}

#[test]
fn padding_examples_of_the_padding_vector() {
    // `padding.desktop_addMessagePadding` / `padding.libsession_pad_message` examples.
    let v = &client()["padding"];
    assert!(s(v, "desktop_addMessagePadding").contains("L=5 -> 159, L=158 -> 159, L=159 -> 319"));
    assert!(s(v, "libsession_pad_message").contains("L=5 -> 160, L=158 -> 160, L=159 -> 320"));
    for (len, legacy, current) in [(5, 159, 160), (158, 159, 160), (159, 319, 320)] {
        let msg = vec![0x42u8; len];
        for (padded, total) in [(pad_legacy(&msg), legacy), (pad(&msg), current)] {
            assert_eq!(padded.len(), total);
            assert_eq!(padded[len], 0x80);
            assert!(padded[len + 1..].iter().all(|&b| b == 0));
            assert_eq!(unpad(&padded), &msg[..]);
        }
    }
    // `padding.unpad`: data without a 0x80 marker is returned as is.
    assert_eq!(unpad(b"hello\x00"), b"hello\x00");
}

fn full_content() -> Content {
    Content {
        data_message: Some(DataMessage {
            body: Some("look at this 📎".into()),
            attachments: vec![
                AttachmentPointer {
                    file_name: Some("cat.png".into()),
                    width: Some(640),
                    height: Some(480),
                    ..AttachmentPointer::community_file(
                        42,
                        "http://example.org/room/lobby/file/42",
                        "image/png",
                        1234,
                    )
                },
                AttachmentPointer {
                    flags: Some(1),
                    ..AttachmentPointer::default()
                },
            ],
            timestamp: Some(TIMESTAMP_MS),
            profile: Some(LokiProfile {
                display_name: Some("Alice".into()),
                profile_picture: None,
            }),
        }),
        sig_timestamp: Some(TIMESTAMP_MS),
        ..Content::default()
    }
}

#[test]
fn a_full_data_message_round_trips() {
    let content = full_content();
    assert_eq!(Content::decode(&content.encode()).unwrap(), content);
    assert_eq!(
        Content::decode_padded(&content.encode_padded()).unwrap(),
        content
    );
}

#[test]
fn attachment_pointer_uses_the_session_field_numbers() {
    let a = AttachmentPointer::community_file(42, "u", "t", 7);
    // deprecated_id: field 1 fixed64; contentType 2; size 4; url 101 (two-byte key aa 06).
    assert_eq!(
        hex::encode(a.encode()),
        "092a000000000000001201742007aa060175"
    );
}

#[test]
fn unknown_fields_of_every_wire_type_are_skipped() {
    let mut data = vec![0x10, 0x96, 0x01]; // field 2 varint (callMessage number reused)
    data.extend([0x19, 1, 2, 3, 4, 5, 6, 7, 8]); // field 3 fixed64
    data.extend([0x25, 1, 2, 3, 4]); // field 4 fixed32
    data.extend([0x82, 0x01, 0x02, 0xab, 0xcd]); // field 16 (proMessage) bytes
    data.extend(Content::text("hi", 5).encode());
    assert_eq!(Content::decode(&data).unwrap(), Content::text("hi", 5));
}

#[test]
fn malformed_content_is_refused_with_a_precise_error() {
    let good = Content::text("hello", TIMESTAMP_MS).encode();
    assert_eq!(
        Content::decode(&good[..good.len() - 1]),
        Err(DecodeError::Truncated)
    );
    assert_eq!(
        Content::decode(&[0x08, 0x01]),
        Err(DecodeError::WireType {
            field: "dataMessage"
        })
    );
    assert_eq!(
        Content::decode(&[0x0a, 0x04, 0x0a, 0x02, 0xff, 0xfe]),
        Err(DecodeError::Utf8 { field: "body" })
    );
    assert_eq!(
        Content::decode(&[0x0b]),
        Err(DecodeError::UnsupportedWireType(3))
    );
}
