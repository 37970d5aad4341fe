//! Error types of the onion layer: outer blob, symmetric crypto, bencode and inner requests.

/// Why an `enc_type` name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown onion enc_type {0:?}")]
pub struct UnknownEncType(pub String);

/// Why a symmetric encryption or decryption step failed (spec §4.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// X25519 gave the all-zero shared secret (the peer key has small order).
    #[error("X25519 key exchange is not contributory (small-order public key)")]
    NonContributory,
    /// The ciphertext cannot even hold the nonce and the tag.
    #[error("ciphertext of {len} bytes is shorter than the {min}-byte nonce and tag")]
    CiphertextTooShort {
        /// Bytes received.
        len: usize,
        /// Nonce plus tag length of the cipher.
        min: usize,
    },
    /// The authentication tag does not verify.
    #[error("decryption failed: authentication tag mismatch")]
    Authentication,
    /// A caller-given nonce has the wrong length for the cipher.
    #[error("nonce of {got} bytes, the cipher needs {expected}")]
    NonceLength {
        /// Nonce length of the cipher.
        expected: usize,
        /// Length given.
        got: usize,
    },
    /// The AEAD refused to encrypt (plaintext beyond the cipher's limit).
    #[error("plaintext too long to encrypt")]
    PlaintextTooLong,
    /// The operating system's random number generator failed.
    #[error("random number generator failure")]
    Rng,
}

/// Why an outer onion blob `[u32 LE len][ciphertext][JSON]` was refused (spec §4.1); the
/// server answers a plain, unencrypted 400.
#[derive(Debug, thiserror::Error)]
pub enum OnionError {
    /// The blob exceeds [`MAX_ONION_REQUEST_BYTES`](super::MAX_ONION_REQUEST_BYTES).
    #[error("onion request of {len} bytes exceeds the {max}-byte limit")]
    TooLarge {
        /// Blob length.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// Fewer than 4 bytes: no room for the length prefix.
    #[error("onion request too short for its 4-byte length prefix")]
    MissingLengthPrefix,
    /// The length prefix promises more ciphertext than follows it.
    #[error("length prefix says {declared} ciphertext bytes but only {available} follow")]
    CiphertextTruncated {
        /// Length from the prefix.
        declared: u32,
        /// Bytes after the prefix.
        available: usize,
    },
    /// The metadata after the ciphertext is not a JSON object.
    #[error("onion metadata is not a JSON object: {0}")]
    MetadataJson(#[source] serde_json::Error),
    /// The metadata has no `ephemeral_key`.
    #[error("onion metadata has no ephemeral_key")]
    MissingEphemeralKey,
    /// `ephemeral_key` is not a string in one of the accepted encodings of 32 bytes.
    #[error("ephemeral_key is not a 32-byte key in hex, base64, base32z or raw form")]
    BadEphemeralKey,
    /// `enc_type` is present but not a string.
    #[error("enc_type is not a string")]
    EncTypeNotString,
    /// `enc_type` names no known cipher.
    #[error(transparent)]
    EncType(#[from] UnknownEncType),
    /// Key exchange or decryption failed.
    #[error(transparent)]
    Crypto(#[from] CryptoError),
}

/// Why a bencoded list of byte strings was refused (spec §4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BencodeError {
    /// The input does not start with `l`.
    #[error("not a bencoded list: missing leading 'l'")]
    NotAList,
    /// The input ends before the closing `e`.
    #[error("bencoded list has no closing 'e'")]
    Unterminated,
    /// An element is not a byte string (an integer, list, dict or junk).
    #[error("bencoded list element is not a byte string")]
    NotAString,
    /// A length has a leading zero (`05:`); only `0:` may start with 0.
    #[error("bencoded string length has a leading zero")]
    LeadingZero,
    /// The length digits are not followed by `:`.
    #[error("bencoded string length not followed by ':'")]
    MissingColon,
    /// The length does not fit in `usize`.
    #[error("bencoded string length overflows")]
    LengthOverflow,
    /// The string is longer than the bytes left.
    #[error("bencoded string of {declared} bytes but only {available} remain")]
    StringTruncated {
        /// Length from the prefix.
        declared: usize,
        /// Bytes after the colon.
        available: usize,
    },
    /// More elements than allowed.
    #[error("bencoded list has more than {max} elements")]
    TooManyItems {
        /// The maximum.
        max: usize,
    },
    /// Fewer elements than required.
    #[error("bencoded list has {got} elements, at least {min} needed")]
    TooFewItems {
        /// The minimum.
        min: usize,
        /// Elements found.
        got: usize,
    },
    /// Bytes follow the closing `e`.
    #[error("{0} bytes after the end of the bencoded list")]
    TrailingData(usize),
}

/// Why a decrypted inner request (v4 bencode or v3 JSON) was refused; the inner answer is 400.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// The v4 framing is not a list of 1 or 2 byte strings.
    #[error("invalid v4 framing: {0}")]
    Bencode(#[from] BencodeError),
    /// A v3 plaintext does not start with `{`.
    #[error("v3 onion request is not a JSON object")]
    NotJsonObject,
    /// The request metadata is not the expected JSON object.
    #[error("invalid request metadata: {0}")]
    Json(#[source] serde_json::Error),
    /// `method` is not an HTTP token.
    #[error("invalid method {0:?}")]
    BadMethod(String),
    /// A v4 `endpoint` does not start with `/`.
    #[error("endpoint must start with /")]
    EndpointNotAbsolute,
    /// A header name is not an HTTP token.
    #[error("invalid header name {0:?}")]
    BadHeaderName(String),
    /// A header value contains control characters; carries the header name.
    #[error("invalid value for header {0:?}")]
    BadHeaderValue(String),
    /// A v3 GET/DELETE request carries a body other than `""` or `"null"`.
    #[error("{0} request must not contain a body")]
    BodyNotAllowed(String),
    /// A v3 POST/PUT `body` is not a string.
    #[error("request body must be a string")]
    BodyNotString,
}

/// Why a v4 response (client side) could not be decoded.
#[derive(Debug, thiserror::Error)]
pub enum ResponseError {
    /// The framing is not a list of exactly 2 byte strings.
    #[error("invalid v4 response framing: {0}")]
    Bencode(#[from] BencodeError),
    /// The metadata is not `{"code": int, "headers": {..}}`.
    #[error("invalid v4 response metadata: {0}")]
    Json(#[source] serde_json::Error),
}
