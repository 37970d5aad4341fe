//! `GET /capabilities`, `GET /health`, `POST /batch` and `POST /sequence`.

use reqwest::Method;
use sogs_protocol::api::batch::{SubRequest, SubResponse};
use sogs_protocol::api::capabilities::{Capabilities, Health};

use super::{Client, ClientError, query};

impl Client {
    /// `GET /capabilities`: the server's capabilities.
    pub async fn capabilities(&self) -> Result<Capabilities, ClientError> {
        self.call_empty(Method::GET, "/capabilities").await
    }

    /// `GET /capabilities?required=…`: the capabilities, with `missing` set (the server's 412)
    /// when it lacks any of `required`.
    pub async fn require_capabilities(
        &self,
        required: &[&str],
    ) -> Result<Capabilities, ClientError> {
        let path = format!(
            "/capabilities{}",
            query(&[("required", Some(required.join(",")))])
        );
        let resp = self.request(Method::GET, &path, &[], None).await?;
        match resp.status {
            412 => resp.json(),
            _ => resp.ok_json(),
        }
    }

    /// `GET /health`: whether the server reaches its database (503 is an error here).
    pub async fn health(&self) -> Result<Health, ClientError> {
        self.call_empty(Method::GET, "/health").await
    }

    /// `POST /batch`: runs every sub-request, answering one [`SubResponse`] each (turn one into
    /// a [`super::Response`] with `Response::from` to read it).
    pub async fn batch(&self, requests: &[SubRequest]) -> Result<Vec<SubResponse>, ClientError> {
        self.call(Method::POST, "/batch", &requests).await
    }

    /// `POST /sequence`: as [`Client::batch`], stopping after the first non-2xx answer.
    pub async fn sequence(&self, requests: &[SubRequest]) -> Result<Vec<SubResponse>, ClientError> {
        self.call(Method::POST, "/sequence", &requests).await
    }
}
