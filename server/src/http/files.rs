//! Room files: uploads (`POST /room/{token}/file`) and downloads (pysogs `routes/rooms.py`).
//! Contents live in PostgreSQL; downloads stream in chunks.

use std::sync::Arc;

use actix_web::http::StatusCode;
use bytes::Bytes;
use sogs_protocol::api::files::Uploaded;
use sogs_protocol::api::paths::FileId;

use crate::clock::unix_now;
use crate::dispatch::params::path_id;
use crate::dispatch::{ApiRequest, ApiResponse, FileBody};
use crate::domain::filename;
use crate::error::{ApiError, ApiResult};
use crate::http::access::RoomAccess;
use crate::state::AppState;
use crate::storage::files::{self, UNATTACHED_LIFETIME_SECS};

/// `POST /room/{token}/file`: stores the raw body as a file of the room (201 `{"id"}`); the
/// name comes from `Content-Disposition` (pysogs `upload_file`).
pub async fn upload(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let (room, user) = RoomAccess::load(&state, &req).await?.uploader(&req)?;
    let max = state.settings.files.max_size_bytes;
    if req.body.len() > max {
        return Err(ApiError::status(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("File too large: the limit is {max} bytes"),
        ));
    }
    if req.body.is_empty() {
        return Err(ApiError::bad_request("Invalid upload: the body is empty"));
    }
    let name = req
        .header("content-disposition")
        .and_then(filename::from_content_disposition);
    if name.as_ref().is_some_and(|n| n.len() > filename::MAX_BYTES) {
        return Err(ApiError::bad_request(format!(
            "Invalid upload: the file name is longer than {} bytes",
            filename::MAX_BYTES
        )));
    }
    let expiry = unix_now() + UNATTACHED_LIFETIME_SECS;
    let id = files::insert(
        &state.db,
        room.room.id,
        user.id,
        &req.body,
        name.as_deref(),
        expiry,
    )
    .await?;
    crate::metrics::upload(req.body.len());
    Ok(ApiResponse::json(StatusCode::CREATED, &Uploaded { id }))
}

/// `GET /room/{token}/file/{id}[/{filename}]`: the file's bytes (pysogs `serve_file`).
pub async fn download(state: Arc<AppState>, req: ApiRequest) -> ApiResult {
    let FileId(id) = path_id(&req, "id")?;
    let room = RoomAccess::load(&state, &req).await?.readable()?;
    let meta = files::live_meta(&state.db, room.room.id, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("No such file: {id}")))?;
    let mut response = ApiResponse::bytes(StatusCode::OK, "application/octet-stream", Bytes::new());
    response.headers.push((
        "content-disposition".into(),
        filename::content_disposition(meta.filename.as_deref()),
    ));
    response
        .headers
        .push(("date".into(), http_date(meta.uploaded)));
    if let Some(expiry) = meta.expiry {
        response.headers.push(("expires".into(), http_date(expiry)));
    }
    response.file = Some(FileBody {
        id: meta.id,
        size: meta.size,
    });
    Ok(response)
}

/// An RFC 7231 HTTP date.
fn http_date(epoch: f64) -> String {
    let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs_f64(epoch.max(0.0));
    actix_web::http::header::HttpDate::from(time).to_string()
}
