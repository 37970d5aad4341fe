//! Signing requests with X-SOGS-* headers (the signed bytes come from `sogs-protocol`).

use rand_core::{OsRng, RngCore};
use sogs_protocol::ids::ServerPubkey;
use sogs_protocol::signing::{
    AuthScheme, RequestSigner, SignedHeaders, blind15_sign, blind25_sign,
};
use sogs_protocol::xeddsa;

/// An identity signing requests to one server.
#[derive(Clone)]
pub struct Signer {
    seed: [u8; 32],
    scheme: AuthScheme,
    server_pk: ServerPubkey,
    requests: RequestSigner,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signer")
            .field("scheme", &self.scheme)
            .field("id", &self.id())
            .finish()
    }
}

impl Signer {
    /// Signs with the Ed25519 `seed` under `scheme` for the server whose key is `server_pk`.
    pub fn new(seed: [u8; 32], scheme: AuthScheme, server_pk: ServerPubkey) -> Self {
        Self {
            seed,
            scheme,
            server_pk,
            requests: RequestSigner::new(&seed, scheme, &server_pk),
        }
    }

    /// The id the server sees: `15…`, `25…`, or `05…` for unblinded signing.
    pub fn id(&self) -> String {
        match self.scheme {
            AuthScheme::Blind15 | AuthScheme::Blind25 => self.requests.pubkey_hex().to_owned(),
            AuthScheme::Unblinded => {
                let ed = ed25519_dalek::SigningKey::from_bytes(&self.seed).verifying_key();
                format!("05{}", hex::encode(ed.to_montgomery().to_bytes()))
            }
        }
    }

    /// The same identity under another scheme.
    pub fn with_scheme(&self, scheme: AuthScheme) -> Self {
        Self::new(self.seed, scheme, self.server_pk)
    }

    /// Signs message data (what a community post's `signature` covers) with this identity's key:
    /// blinded Ed25519 for `15`/`25` ids, XEdDSA (as Session Desktop) for unblinded `05` ids.
    pub fn sign_data(&self, data: &[u8]) -> [u8; 64] {
        match self.scheme {
            AuthScheme::Blind15 => blind15_sign(&self.seed, &self.server_pk, data),
            AuthScheme::Blind25 => blind25_sign(&self.seed, &self.server_pk, data),
            AuthScheme::Unblinded => xeddsa::sign(&self.seed, data),
        }
    }

    /// Headers for a request signed now with a random nonce.
    pub fn sign_now(&self, method: &str, path_and_query: &str, body: &[u8]) -> SignedHeaders {
        let mut nonce = [0u8; 16];
        OsRng.fill_bytes(&mut nonce);
        self.sign(&nonce, unix_now(), method, path_and_query, body)
    }

    /// Headers for a request with a given nonce and timestamp (tests use this for replays).
    pub fn sign(
        &self,
        nonce: &[u8; 16],
        timestamp: i64,
        method: &str,
        path_and_query: &str,
        body: &[u8],
    ) -> SignedHeaders {
        let (path, query) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
        self.requests
            .sign(nonce, timestamp, method, &decoded, query, body)
    }
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}
