//! Client side: the four X-SOGS-* header values for one request.

use super::{blind15_sign, blind25_sign, ed25519_sign, signed_message};
use crate::blinding::{blind15_keypair, blind25_keypair};
use crate::encoding::encode_b64;
use crate::ids::ServerPubkey;

/// Which key a client authenticates with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthScheme {
    /// `00` + the Ed25519 master key, plain Ed25519 signature (servers without `blind`).
    Unblinded,
    /// `15` + the blind15 key, blind15 signature (what Session Desktop does when `blind`).
    Blind15,
    /// `25` + the blind25 key, blind25 signature (pysogs PR #213 servers).
    Blind25,
}

/// The values of the four X-SOGS-* headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    /// `X-SOGS-Pubkey`: 66 lower-case hex characters, prefix included.
    pub pubkey_hex: String,
    /// `X-SOGS-Nonce`: the 16-byte nonce in padded standard base64 (24 characters).
    pub nonce_b64: String,
    /// `X-SOGS-Timestamp`: decimal Unix seconds, exactly the string that was signed.
    pub timestamp: String,
    /// `X-SOGS-Signature`: the 64-byte signature in padded standard base64 (88 characters).
    pub signature_b64: String,
}

impl SignedHeaders {
    /// `(header name, value)` pairs, ready to add to a request.
    pub fn pairs(&self) -> [(&'static str, &str); 4] {
        [
            ("X-SOGS-Pubkey", &self.pubkey_hex),
            ("X-SOGS-Nonce", &self.nonce_b64),
            ("X-SOGS-Timestamp", &self.timestamp),
            ("X-SOGS-Signature", &self.signature_b64),
        ]
    }
}

/// Signs one request and returns its X-SOGS-* headers.
///
/// `path` is the percent-decoded path the server will see (e.g. a raw emoji), `query` the
/// query string exactly as sent, without `?` (empty for none), `body` the exact body bytes.
#[expect(
    clippy::too_many_arguments,
    reason = "one argument per signed field, mirroring signed_message"
)]
pub fn sign_request(
    seed: &[u8; 32],
    scheme: AuthScheme,
    server_pk: &ServerPubkey,
    nonce: &[u8; 16],
    timestamp: i64,
    method: &str,
    path: &str,
    query: &str,
    body: &[u8],
) -> SignedHeaders {
    let timestamp = timestamp.to_string();
    let msg = signed_message(server_pk, nonce, &timestamp, method, path, query, body);
    let (pubkey_hex, signature) = match scheme {
        AuthScheme::Unblinded => {
            let public = ed25519_dalek::SigningKey::from_bytes(seed).verifying_key();
            (
                format!("00{}", hex::encode(public.as_bytes())),
                ed25519_sign(seed, &msg),
            )
        }
        AuthScheme::Blind15 => {
            let id = blind15_keypair(seed, server_pk).id();
            (id.as_str().to_owned(), blind15_sign(seed, server_pk, &msg))
        }
        AuthScheme::Blind25 => {
            let id = blind25_keypair(seed, server_pk).id();
            (id.as_str().to_owned(), blind25_sign(seed, server_pk, &msg))
        }
    };
    SignedHeaders {
        pubkey_hex,
        nonce_b64: encode_b64(nonce),
        timestamp,
        signature_b64: encode_b64(&signature),
    }
}
