//! Parsing of the four X-SOGS-* request authentication header values (spec §3.1).
//!
//! Checks run in the reference's order: missing headers, pubkey (encoding, prefix, point),
//! nonce, signature, timestamp. Each failure is a 400 whose body is the error's `Display`.
//!
//! compat(pysogs): with `REQUIRE_BLIND_KEYS`, pysogs refuses a `00` pubkey right after the
//! pubkey checks, before looking at the nonce; a server that wants that exact precedence can
//! call [`parse_pubkey_header`] first.

use crate::encoding::decode_hex_or_b64;
use crate::ids::{BlindScheme, BlindedId, ServerPubkey, UnblindedEd25519, UserId};
use crate::point;
use crate::signing::{SignatureError, signed_message, verify};

mod timestamp;

/// Why the X-SOGS-* headers were refused; `Display` is the exact 400 response body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AuthHeaderError {
    /// Some, but not all, of the four headers are absent or empty (the count is given).
    #[error("Invalid authentication headers: missing {0}/4 required X-SOGS-* headers")]
    Missing(usize),
    /// `X-SOGS-Pubkey` is not 33 bytes of hex or base64.
    #[error("Invalid authentication: X-SOGS-Pubkey is not a valid 66-hex digit id")]
    PubkeyEncoding,
    /// `X-SOGS-Pubkey` starts with something other than `00`, `15` or `25`.
    // compat(pysogs): the message of the released pysogs; PR #213 (which also accepts 25)
    // says "must be 00-, 15-, or 25- prefixed".
    #[error("Invalid authentication: X-SOGS-Pubkey must be 00- or 15- prefixed")]
    PubkeyPrefix,
    /// `X-SOGS-Pubkey` is not a valid Ed25519 point ([`point::is_valid_point`]).
    #[error("Invalid authentication: given X-SOGS-Pubkey is not a valid Ed25519 pubkey")]
    PubkeyPoint,
    /// `X-SOGS-Nonce` is not 16 bytes of hex or base64.
    #[error("Invalid authentication: X-SOGS-Nonce must be 16 bytes (encoded as base64 or hex)")]
    Nonce,
    /// `X-SOGS-Signature` is not 64 bytes of hex or base64.
    #[error("Invalid authentication: X-SOGS-Signature is not base64[88]")]
    Signature,
    /// `X-SOGS-Timestamp` is not an integer.
    #[error("Invalid authentication: X-SOGS-Timestamp is not a valid timestamp")]
    Timestamp,
}

/// The key a request is signed with, as given in `X-SOGS-Pubkey`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AuthKey {
    /// `00…`: the user's Ed25519 master key.
    Unblinded(UnblindedEd25519),
    /// `15…` or `25…`: a blinded key.
    Blinded(BlindedId),
}

impl AuthKey {
    /// The 32-byte Ed25519 key the signature must verify under.
    pub fn ed25519_key(&self) -> &[u8; 32] {
        match self {
            Self::Unblinded(key) => key.key(),
            Self::Blinded(id) => id.key(),
        }
    }

    /// The user this key identifies: `05` + X25519 for `00`, the blinded id itself otherwise.
    pub fn user_id(&self) -> UserId {
        match self {
            Self::Unblinded(key) => UserId::Session(key.to_session_id()),
            Self::Blinded(id) => UserId::Blinded(id.clone()),
        }
    }
}

/// Well-formed X-SOGS-* headers (the signature is not checked yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthHeaders {
    key: AuthKey,
    nonce: [u8; 16],
    timestamp: i64,
    timestamp_str: String,
    signature: [u8; 64],
}

impl AuthHeaders {
    /// The signing key.
    pub fn key(&self) -> &AuthKey {
        &self.key
    }

    /// The decoded nonce.
    pub fn nonce(&self) -> &[u8; 16] {
        &self.nonce
    }

    /// The timestamp in Unix seconds, saturated to the `i64` range.
    pub fn timestamp(&self) -> i64 {
        self.timestamp
    }

    /// The timestamp header exactly as received (what was signed).
    pub fn timestamp_str(&self) -> &str {
        &self.timestamp_str
    }

    /// The decoded signature.
    pub fn signature(&self) -> &[u8; 64] {
        &self.signature
    }

    /// Verifies the signature over this request (arguments as for [`signed_message`]).
    pub fn verify(
        &self,
        server_pk: &ServerPubkey,
        method: &str,
        path_decoded: &str,
        raw_query: &str,
        body: &[u8],
    ) -> Result<(), SignatureError> {
        let msg = signed_message(
            server_pk,
            &self.nonce,
            &self.timestamp_str,
            method,
            path_decoded,
            raw_query,
            body,
        );
        verify(self.key.ed25519_key(), &msg, &self.signature)
    }
}

/// Parses the four header values (`None` = header absent). Returns `Ok(None)` when all four
/// are absent or empty (an anonymous request).
pub fn parse_auth_headers(
    pubkey: Option<&str>,
    nonce: Option<&str>,
    timestamp: Option<&str>,
    signature: Option<&str>,
) -> Result<Option<AuthHeaders>, AuthHeaderError> {
    parse_auth_headers_with(pubkey, nonce, timestamp, signature, point::is_valid_point)
}

/// [`parse_auth_headers`] with the blinded-key point check supplied by the caller (a server
/// can remember keys that already passed [`point::is_valid_point`], the costly part).
pub fn parse_auth_headers_with(
    pubkey: Option<&str>,
    nonce: Option<&str>,
    timestamp: Option<&str>,
    signature: Option<&str>,
    valid_point: impl Fn(&[u8; 32]) -> bool,
) -> Result<Option<AuthHeaders>, AuthHeaderError> {
    let fields = [pubkey, nonce, timestamp, signature].map(|f| f.filter(|v| !v.is_empty()));
    let [
        Some(pubkey),
        Some(nonce),
        Some(timestamp_str),
        Some(signature),
    ] = fields
    else {
        return match fields.iter().filter(|f| f.is_none()).count() {
            4 => Ok(None),
            missing => Err(AuthHeaderError::Missing(missing)),
        };
    };
    let key = parse_pubkey_header_with(pubkey, valid_point)?;
    let nonce = decode_hex_or_b64::<16>(nonce).ok_or(AuthHeaderError::Nonce)?;
    let signature = decode_hex_or_b64::<64>(signature).ok_or(AuthHeaderError::Signature)?;
    let timestamp = timestamp::parse_py_int(timestamp_str).ok_or(AuthHeaderError::Timestamp)?;
    Ok(Some(AuthHeaders {
        key,
        nonce,
        timestamp,
        timestamp_str: timestamp_str.to_owned(),
        signature,
    }))
}

/// Parses a non-empty `X-SOGS-Pubkey` value: 33 bytes as 66 hex digits or 44 base64
/// characters, prefix `00`/`15`/`25`, then a valid Ed25519 point.
pub fn parse_pubkey_header(value: &str) -> Result<AuthKey, AuthHeaderError> {
    parse_pubkey_header_with(value, point::is_valid_point)
}

fn parse_pubkey_header_with(
    value: &str,
    valid_point: impl Fn(&[u8; 32]) -> bool,
) -> Result<AuthKey, AuthHeaderError> {
    let raw = decode_hex_or_b64::<33>(value).ok_or(AuthHeaderError::PubkeyEncoding)?;
    let mut key = [0u8; 32];
    key.copy_from_slice(&raw[1..]);
    if raw[0] == UnblindedEd25519::PREFIX {
        let key = UnblindedEd25519::from_key(key).map_err(|_| AuthHeaderError::PubkeyPoint)?;
        return Ok(AuthKey::Unblinded(key));
    }
    let scheme = BlindScheme::from_prefix(raw[0]).ok_or(AuthHeaderError::PubkeyPrefix)?;
    if !valid_point(&key) {
        return Err(AuthHeaderError::PubkeyPoint);
    }
    Ok(AuthKey::Blinded(BlindedId::from_key(scheme, key)))
}
