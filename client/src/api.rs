//! HTTP access to a community server: plain requests, and (with an identity) signed ones.

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;

use sogs_protocol::encoding::encode_b64;

use crate::onion::OnionConfig;
use crate::signer::Signer;

/// A connection to one community server.
#[derive(Debug, Clone)]
pub struct Client {
    base_url: String,
    http: reqwest::Client,
    signer: Option<Signer>,
    onion: Option<OnionConfig>,
}

/// What went wrong talking to the server.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server could not be reached or the transfer failed.
    #[error("cannot reach the server: {0}")]
    Transport(#[from] reqwest::Error),
    /// The server answered with an error status.
    #[error("server answered {status}: {body}")]
    Status {
        /// HTTP status.
        status: u16,
        /// The body text.
        body: String,
    },
    /// An onion request could not be built or its answer not decrypted.
    #[error("onion request failed: {0}")]
    Onion(String),
    /// The answer was not the expected JSON.
    #[error("unexpected answer from the server: {0}")]
    Decode(#[from] serde_json::Error),
}

/// A raw response: status, content type and body.
#[derive(Debug, Clone)]
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// `Content-Type` header, if any.
    pub content_type: Option<String>,
    /// Body bytes.
    pub body: Vec<u8>,
}

impl Response {
    /// The body as (lossy) UTF-8 text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body parsed as JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ClientError> {
        Ok(serde_json::from_slice(&self.body)?)
    }

    /// The parsed JSON body if the status is 2xx, otherwise [`ClientError::Status`].
    pub fn ok_json<T: DeserializeOwned>(&self) -> Result<T, ClientError> {
        if (200..300).contains(&self.status) {
            self.json()
        } else {
            Err(ClientError::Status {
                status: self.status,
                body: self.text(),
            })
        }
    }
}

impl Client {
    /// A client for the server at `base_url` (e.g. `http://127.0.0.1:3000`).
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into().trim_end_matches('/').to_owned(),
            http: reqwest::Client::new(),
            signer: None,
            onion: None,
        }
    }

    /// A client for `base_url` using a prepared HTTP client (one with a proxy, or one pool shared
    /// by many clients as the load generator does).
    pub fn with_http(base_url: impl Into<String>, http: reqwest::Client) -> Self {
        Self {
            http,
            ..Self::new(base_url)
        }
    }

    /// The same connection, sending every request as a v4 onion request.
    pub fn via_onion(&self, config: OnionConfig) -> Self {
        Self {
            onion: Some(config),
            ..self.clone()
        }
    }

    /// The same connection, signing every request with `signer`.
    pub fn signed(&self, signer: Signer) -> Self {
        Self {
            signer: Some(signer),
            ..self.clone()
        }
    }

    /// The signer, if requests are signed.
    pub fn signer(&self) -> Option<&Signer> {
        self.signer.as_ref()
    }

    /// The server's base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Sends any request (path with optional `?query`), signed when the client has a signer.
    pub async fn request(
        &self,
        method: Method,
        path_and_query: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Result<Response, ClientError> {
        let signed = self.signer.as_ref().map(|s| {
            s.sign_now(
                method.as_str(),
                path_and_query,
                body.as_deref().unwrap_or_default(),
            )
        });
        let mut all: Vec<(&str, &str)> = headers.to_vec();
        if let Some(signed) = &signed {
            all.extend(signed.pairs());
        }
        self.send(method, path_and_query, &all, body).await
    }

    /// Sends a request exactly as given: no signature is added.
    pub async fn send(
        &self,
        method: Method,
        path_and_query: &str,
        headers: &[(&str, &str)],
        body: Option<Vec<u8>>,
    ) -> Result<Response, ClientError> {
        if let Some(config) = self.onion {
            let body = body.as_deref();
            return crate::onion::send(
                &self.http,
                &self.base_url,
                config,
                method.as_str(),
                path_and_query,
                headers,
                body,
            )
            .await;
        }
        let mut req = self
            .http
            .request(method, format!("{}{}", self.base_url, path_and_query));
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        if let Some(body) = body {
            req = req.body(body);
        }
        let resp = req.send().await?;
        let status = resp.status().as_u16();
        let content_type = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = resp.bytes().await?.to_vec();
        Ok(Response {
            status,
            content_type,
            body,
        })
    }

    /// `GET` a path and parse a 2xx JSON answer.
    pub async fn get_json<T: DeserializeOwned>(&self, path: &str) -> Result<T, ClientError> {
        self.request(Method::GET, path, &[], None).await?.ok_json()
    }

    /// Sends a JSON body (`Content-Type: application/json`).
    pub async fn send_json(
        &self,
        method: Method,
        path: &str,
        body: &Value,
    ) -> Result<Response, ClientError> {
        let bytes = serde_json::to_vec(body)?;
        self.request(
            method,
            path,
            &[("Content-Type", "application/json")],
            Some(bytes),
        )
        .await
    }

    /// `GET` any path, returning the raw response.
    pub async fn get(&self, path: &str) -> Result<Response, ClientError> {
        self.request(Method::GET, path, &[], None).await
    }

    /// `POST /room/{token}/message` with `data` signed by this client's identity; `extra` keys
    /// (`whisper_to`, `whisper_mods`, `files`) are merged into the body.
    pub async fn post_message(
        &self,
        token: &str,
        data: &[u8],
        extra: Value,
    ) -> Result<Response, ClientError> {
        let signature = self
            .signer
            .as_ref()
            .map(|s| s.sign_data(data))
            .unwrap_or([0u8; 64]);
        let mut body =
            serde_json::json!({ "data": encode_b64(data), "signature": encode_b64(&signature) });
        if let (Some(target), Value::Object(extra)) = (body.as_object_mut(), extra) {
            target.extend(extra);
        }
        self.send_json(Method::POST, &format!("/room/{token}/message"), &body)
            .await
    }

    /// `PUT /room/{token}/message/{id}` with new signed `data`.
    pub async fn edit_message(
        &self,
        token: &str,
        id: i64,
        data: &[u8],
    ) -> Result<Response, ClientError> {
        let signature = self
            .signer
            .as_ref()
            .map(|s| s.sign_data(data))
            .unwrap_or([0u8; 64]);
        let body =
            serde_json::json!({ "data": encode_b64(data), "signature": encode_b64(&signature) });
        self.send_json(Method::PUT, &format!("/room/{token}/message/{id}"), &body)
            .await
    }

    /// `GET /capabilities`.
    pub async fn capabilities(&self) -> Result<Value, ClientError> {
        self.get_json("/capabilities").await
    }

    /// `GET /rooms`.
    pub async fn rooms(&self) -> Result<Vec<Value>, ClientError> {
        self.get_json("/rooms").await
    }

    /// `GET /room/{token}`.
    pub async fn room(&self, token: &str) -> Result<Value, ClientError> {
        self.get_json(&format!("/room/{token}")).await
    }
}
