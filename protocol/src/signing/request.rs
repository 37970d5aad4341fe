//! Client side: the four X-SOGS-* header values for one request.

use super::{blind15_sign_with_keys, blind25_sign, ed25519_sign, signed_message};
use crate::blinding::{BlindedKeypair, blind15_keypair, blind25_keypair};
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
    RequestSigner::new(seed, scheme, server_pk).sign(nonce, timestamp, method, path, query, body)
}

/// One identity signing requests to one server, with its key derived once (a blind15 key pair
/// costs two scalar multiplications; the signature itself one).
#[derive(Clone)]
pub struct RequestSigner {
    seed: [u8; 32],
    scheme: AuthScheme,
    server_pk: ServerPubkey,
    pubkey_hex: String,
    blind15: Option<(BlindedKeypair, [u8; 32])>,
}

impl RequestSigner {
    /// Derives the key `scheme` signs with for the server `server_pk`.
    pub fn new(seed: &[u8; 32], scheme: AuthScheme, server_pk: &ServerPubkey) -> Self {
        let (pubkey_hex, blind15) = match scheme {
            AuthScheme::Unblinded => {
                let public = ed25519_dalek::SigningKey::from_bytes(seed).verifying_key();
                (format!("00{}", hex::encode(public.as_bytes())), None)
            }
            AuthScheme::Blind15 => {
                let keys = blind15_keypair(seed, server_pk);
                let mut prefix = [0u8; 32];
                prefix.copy_from_slice(&crate::blinding::expand_seed(seed)[32..]);
                (keys.id().as_str().to_owned(), Some((keys, prefix)))
            }
            AuthScheme::Blind25 => (
                blind25_keypair(seed, server_pk).id().as_str().to_owned(),
                None,
            ),
        };
        Self {
            seed: *seed,
            scheme,
            server_pk: *server_pk,
            pubkey_hex,
            blind15,
        }
    }

    /// The `X-SOGS-Pubkey` value (prefix included).
    pub fn pubkey_hex(&self) -> &str {
        &self.pubkey_hex
    }

    /// Signs one request (arguments as for [`sign_request`]).
    pub fn sign(
        &self,
        nonce: &[u8; 16],
        timestamp: i64,
        method: &str,
        path: &str,
        query: &str,
        body: &[u8],
    ) -> SignedHeaders {
        let timestamp = timestamp.to_string();
        let msg = signed_message(
            &self.server_pk,
            nonce,
            &timestamp,
            method,
            path,
            query,
            body,
        );
        let signature = match (&self.blind15, self.scheme) {
            (Some((keys, prefix)), _) => blind15_sign_with_keys(keys, prefix, &msg),
            (None, AuthScheme::Blind25) => blind25_sign(&self.seed, &self.server_pk, &msg),
            (None, _) => ed25519_sign(&self.seed, &msg),
        };
        SignedHeaders {
            pubkey_hex: self.pubkey_hex.clone(),
            nonce_b64: encode_b64(nonce),
            timestamp,
            signature_b64: encode_b64(&signature),
        }
    }
}

impl std::fmt::Debug for RequestSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestSigner")
            .field("pubkey", &self.pubkey_hex)
            .finish()
    }
}
