//! Sending a request as an onion request (`POST /oxen/v4/lsrpc`), as Session clients do; the
//! framing and encryption come from `sogs-protocol`.

use sogs_protocol::ids::ServerPubkey;
use sogs_protocol::onion::{
    EncType, build_request_blob, decrypt_response, encode_v4_request, parse_v4_response,
};

use crate::api::{ClientError, Response};

/// Where and how to send onion requests.
#[derive(Debug, Clone, Copy)]
pub struct OnionConfig {
    /// The server's X25519 key (from the room URL's `public_key`).
    pub server_pk: ServerPubkey,
    /// The cipher (Session uses AES-GCM by default).
    pub enc_type: EncType,
}

/// Wraps `method path headers body` in a v4 onion request, posts it and unwraps the answer.
pub(crate) async fn send(
    http: &reqwest::Client,
    base_url: &str,
    config: OnionConfig,
    method: &str,
    path_and_query: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Result<Response, ClientError> {
    let headers: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    let plaintext = encode_v4_request(method, path_and_query, &headers, body);
    let (blob, key) = build_request_blob(&config.server_pk, config.enc_type, &plaintext)
        .map_err(|e| ClientError::Onion(e.to_string()))?;
    let resp = http
        .post(format!("{base_url}/oxen/v4/lsrpc"))
        .body(blob)
        .send()
        .await?;
    let status = resp.status().as_u16();
    let bytes = resp.bytes().await?;
    if status != 200 {
        return Err(ClientError::Status {
            status,
            message: crate::api::error_message(None, &bytes),
        });
    }
    let reply = decrypt_response(&key, &bytes).map_err(|e| ClientError::Onion(e.to_string()))?;
    let parsed = parse_v4_response(&reply).map_err(|e| ClientError::Onion(e.to_string()))?;
    Ok(Response {
        status: parsed.code,
        content_type: parsed.header("content-type").map(str::to_owned),
        body: parsed.body,
    })
}
