//! The pages' stylesheet and script, served from `/assets/<name>` so that the
//! Content-Security-Policy needs no `'unsafe-inline'`. Both are compiled into the binary; their
//! URLs carry a hash of their content, so browsers may cache them for a year.

use std::sync::Arc;

use actix_web::http::StatusCode;

use crate::dispatch::{ApiRequest, ApiResponse};
use crate::error::ApiResult;
use crate::state::AppState;
use crate::web::not_found;

/// A file served under `/assets/`.
#[derive(Debug)]
pub struct Asset {
    /// The last path segment.
    pub name: &'static str,
    /// Its `Content-Type`.
    pub content_type: &'static str,
    /// Its content.
    pub body: &'static str,
}

/// The stylesheet every page links.
pub const STYLESHEET: Asset = Asset {
    name: "page.css",
    content_type: "text/css; charset=utf-8",
    body: include_str!("static/page.css"),
};

/// The room page's copy button.
pub const COPY_SCRIPT: Asset = Asset {
    name: "copy.js",
    content_type: "text/javascript; charset=utf-8",
    body: include_str!("static/copy.js"),
};

const ALL: [&Asset; 2] = [&STYLESHEET, &COPY_SCRIPT];

/// A year: the URL changes whenever the content does.
const CACHE_CONTROL: &str = "public, max-age=31536000, immutable";

impl Asset {
    /// The URL pages use: the path plus a content hash, so a changed file is fetched anew.
    pub fn href(&self) -> String {
        format!(
            "/assets/{}?v={:016x}",
            self.name,
            fnv1a(self.body.as_bytes())
        )
    }
}

/// `GET /assets/{name}`: one of the assets, whatever the query; 404 for any other name.
pub async fn asset(_state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let name = req.param("name")?;
    let asset = ALL
        .into_iter()
        .find(|a| a.name == name)
        .ok_or_else(not_found)?;
    Ok(
        ApiResponse::bytes(StatusCode::OK, asset.content_type, asset.body)
            .with_header("cache-control", CACHE_CONTROL)
            .with_header("x-content-type-options", "nosniff"),
    )
}

/// 64-bit FNV-1a: a stable fingerprint of the content (not a security measure).
const fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_change_with_the_content() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert!(STYLESHEET.href().starts_with("/assets/page.css?v="));
        assert_ne!(
            STYLESHEET.href().split('=').nth(1),
            COPY_SCRIPT.href().split('=').nth(1)
        );
    }
}
