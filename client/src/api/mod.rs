//! HTTP access to a community server: one typed method per endpoint (one file per resource,
//! with the wire types of [`sogs_protocol::api`]), plus the raw [`Client::request`] for
//! anything else, e.g. tests of malformed input.
//!
//! Every typed method returns the endpoint's answer, or [`ClientError::Status`] with the
//! status and the server's decoded message.

mod dm;
mod general;
mod messages;
mod moderation;
mod response;
mod rooms;

use reqwest::Method;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use sogs_protocol::encoding::encode_b64;

use crate::onion::OnionConfig;
use crate::signer::Signer;

pub use messages::MessageQuery;
pub use response::{ClientError, Response, error_message};

/// A connection to one community server.
#[derive(Debug, Clone)]
pub struct Client {
    base_url: String,
    http: reqwest::Client,
    signer: Option<Signer>,
    onion: Option<OnionConfig>,
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
        self.send_body(method, path, body).await
    }

    /// `GET` any path, returning the raw response.
    pub async fn get(&self, path: &str) -> Result<Response, ClientError> {
        self.request(Method::GET, path, &[], None).await
    }

    /// The raw answer of `POST /room/{token}/message` with `data` signed by this client's
    /// identity and `extra` keys merged into the body, for tests of refused or odd posts;
    /// [`Client::create_message`] is the typed call.
    pub async fn post_message(
        &self,
        token: &str,
        data: &[u8],
        extra: Value,
    ) -> Result<Response, ClientError> {
        let mut body = serde_json::to_value(self.signed_post(data))?;
        if let (Some(target), Value::Object(extra)) = (body.as_object_mut(), extra) {
            target.extend(extra);
        }
        self.send_json(Method::POST, &format!("/room/{token}/message"), &body)
            .await
    }

    /// The raw answer of `PUT /room/{token}/message/{id}` with new signed `data`;
    /// [`Client::update_message`] is the typed call.
    pub async fn edit_message(
        &self,
        token: &str,
        id: i64,
        data: &[u8],
    ) -> Result<Response, ClientError> {
        let path = format!("/room/{token}/message/{id}");
        self.send_body(Method::PUT, &path, &self.signed_edit(data))
            .await
    }

    /// The signature of `data` by this client's identity (zeros without one).
    fn sign_data(&self, data: &[u8]) -> String {
        let signature = self
            .signer
            .as_ref()
            .map_or([0u8; 64], |s| s.sign_data(data));
        encode_b64(&signature)
    }

    /// Sends `body` as JSON.
    async fn send_body(
        &self,
        method: Method,
        path: &str,
        body: &impl Serialize,
    ) -> Result<Response, ClientError> {
        let bytes = serde_json::to_vec(body)?;
        let headers = [("Content-Type", "application/json")];
        self.request(method, path, &headers, Some(bytes)).await
    }

    /// Sends `body` as JSON and parses a 2xx JSON answer.
    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        body: &impl Serialize,
    ) -> Result<T, ClientError> {
        self.send_body(method, path, body).await?.ok_json()
    }

    /// Sends `method path` without a body and parses a 2xx JSON answer.
    async fn call_empty<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
    ) -> Result<T, ClientError> {
        self.request(method, path, &[], None).await?.ok_json()
    }
}

/// `?a=1&b=2` of the given parameters (empty when none is set).
fn query(params: &[(&str, Option<String>)]) -> String {
    let set: Vec<String> = params
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={v}")))
        .collect();
    match set.is_empty() {
        true => String::new(),
        false => format!("?{}", set.join("&")),
    }
}

/// A path segment percent-encoded (reactions, file names).
fn segment(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}
