//! Onion requests (spec §4): the outer blob, its encryption, and the v4/v3 inner formats,
//! from both the server's and the client's end.
//!
//! A request reaches the server as `POST /oxen/v4/lsrpc` with the last hop's blob
//! `[u32 LE len][ciphertext][JSON metadata]`. The server:
//!
//! 1. [`decrypt_request`]: checks the size cap, splits the blob ([`parse_outer_blob`]),
//!    derives the [`SharedKey`] from its X25519 secret and `ephemeral_key` with the cipher of
//!    `enc_type` ([`EncType`]), and decrypts. Any error is a plain 400.
//! 2. [`parse_v4_request`] (or [`parse_v3_request`]) turns the plaintext into an
//!    [`InnerRequest`], replayed as a subrequest with its own X-SOGS-* authentication; on
//!    error it answers [`invalid_v4_request_response`] (v3: [`V3_BAD_REQUEST_REPLY`]).
//! 3. [`encode_v4_response`] (v3: [`v3_reply_plaintext`]) and [`encrypt_response`]
//!    (v3: [`encrypt_v3_response`], base64) produce the 200 body.
//!
//! A client does the mirror image: [`encode_v4_request`], [`build_request_blob`], POST,
//! [`decrypt_response`], [`parse_v4_response`].
//!
//! Key derivation (spec §4.2, checklist §14.4): aes-gcm uses HMAC-SHA256(key "LOKI", aB) —
//! not the raw aB of pysogs's test helper — and xchacha20 uses
//! BLAKE2b-256(aB ‖ client pub ‖ server pub).

pub mod bencode;
mod blob;
mod enc_type;
mod error;
mod exchange;
mod headers;
mod key;
mod key_format;
mod request;
mod v3;
mod v4;

pub use blob::{MAX_ONION_REQUEST_BYTES, OuterBlob, encode_outer_blob, parse_outer_blob};
pub use enc_type::EncType;
pub use error::{
    BencodeError, CryptoError, OnionError, RequestError, ResponseError, UnknownEncType,
};
pub use exchange::{
    build_request_blob, build_request_blob_with, decrypt_request, decrypt_response,
    encrypt_response, encrypt_v3_response,
};
pub use headers::Headers;
pub use key::SharedKey;
pub use request::InnerRequest;
pub use v3::{V3_BAD_REQUEST_REPLY, parse_v3_request, v3_reply_plaintext};
pub use v4::{
    INVALID_V4_REQUEST_BODY, V4Response, encode_v4_request, encode_v4_response,
    invalid_v4_request_response, parse_v4_request, parse_v4_response,
};
