//! `AttachmentPointer`, the community subset (spec client-protocols §1.8): community files are
//! neither encrypted nor padded, so their pointer has a URL and an id but no key or digest;
//! end-to-end encrypted files (the bundled client's group attachments) also carry `key` and
//! `digest`.

use super::DecodeError;
use super::wire::{Reader, put_bytes, put_fixed64, put_opt_str, put_opt_uint};

/// `AttachmentPointer`: a file uploaded to the room, referenced from a `DataMessage`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttachmentPointer {
    /// `deprecated_id` (1, fixed64): the numeric file id (last segment of `url`).
    pub id: Option<u64>,
    /// `contentType` (2): the MIME type.
    pub content_type: Option<String>,
    /// `key` (3): key material of an encrypted file (absent for community files).
    pub key: Option<Vec<u8>>,
    /// `size` (4): the file size in bytes.
    pub size: Option<u32>,
    /// `digest` (6): SHA-256 of the stored (encrypted) file (absent for community files).
    pub digest: Option<Vec<u8>>,
    /// `fileName` (7).
    pub file_name: Option<String>,
    /// `flags` (8): 1 marks a voice message.
    pub flags: Option<u32>,
    /// `width` (9), for images and videos.
    pub width: Option<u32>,
    /// `height` (10), for images and videos.
    pub height: Option<u32>,
    /// `url` (101): `<server>/room/<token>/file/<id>`.
    pub url: Option<String>,
}

impl AttachmentPointer {
    /// A pointer to file `id` of a room, served at `url`, as Session Desktop builds it.
    pub fn community_file(id: u64, url: &str, content_type: &str, size: u32) -> Self {
        Self {
            id: Some(id),
            content_type: Some(content_type.to_owned()),
            size: Some(size),
            url: Some(url.to_owned()),
            ..Self::default()
        }
    }

    /// The protobuf encoding.
    pub fn encode(&self) -> Vec<u8> {
        let mut buf = Vec::new();
        if let Some(id) = self.id {
            put_fixed64(&mut buf, 1, id);
        }
        put_opt_str(&mut buf, 2, self.content_type.as_deref());
        if let Some(key) = &self.key {
            put_bytes(&mut buf, 3, key);
        }
        put_opt_uint(&mut buf, 4, self.size.map(u64::from));
        if let Some(digest) = &self.digest {
            put_bytes(&mut buf, 6, digest);
        }
        put_opt_str(&mut buf, 7, self.file_name.as_deref());
        put_opt_uint(&mut buf, 8, self.flags.map(u64::from));
        put_opt_uint(&mut buf, 9, self.width.map(u64::from));
        put_opt_uint(&mut buf, 10, self.height.map(u64::from));
        put_opt_str(&mut buf, 101, self.url.as_deref());
        buf
    }

    /// Decodes a protobuf `AttachmentPointer`, skipping unknown fields (caption…).
    pub fn decode(data: &[u8]) -> Result<Self, DecodeError> {
        let mut out = Self::default();
        let mut reader = Reader::new(data);
        while let Some((field, value)) = reader.next_field()? {
            match field {
                1 => out.id = Some(value.fixed64("deprecated_id")?),
                2 => out.content_type = Some(value.string("contentType")?),
                3 => out.key = Some(value.bytes("key")?.to_vec()),
                4 => out.size = Some(value.uint32("size")?),
                6 => out.digest = Some(value.bytes("digest")?.to_vec()),
                7 => out.file_name = Some(value.string("fileName")?),
                8 => out.flags = Some(value.uint32("flags")?),
                9 => out.width = Some(value.uint32("width")?),
                10 => out.height = Some(value.uint32("height")?),
                101 => out.url = Some(value.string("url")?),
                _ => {}
            }
        }
        Ok(out)
    }
}
