//! A response body that is a stored upload: streamed from PostgreSQL chunk by chunk to an HTTP
//! client, or loaded whole where the answer must carry the bytes (`/batch`, onion requests).

use bytes::Bytes;
use futures_util::Stream;
use sqlx::PgPool;

use crate::dispatch::ApiResponse;
use crate::error::ApiError;
use crate::storage::files;

/// Bytes read from the database per download chunk.
const CHUNK_BYTES: i64 = 256 * 1024;

/// A body that is a stored upload, streamed rather than loaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileBody {
    /// File id.
    pub id: i64,
    /// Its size in bytes.
    pub size: i64,
}

/// The file's content as a stream of chunks read one query at a time.
pub fn stream(db: PgPool, file: FileBody) -> impl Stream<Item = Result<Bytes, sqlx::Error>> {
    futures_util::stream::try_unfold(0i64, move |offset| {
        let db = db.clone();
        async move {
            if offset >= file.size {
                return Ok(None);
            }
            let chunk = files::chunk(&db, file.id, offset, CHUNK_BYTES)
                .await?
                .ok_or(sqlx::Error::RowNotFound)?;
            if chunk.is_empty() {
                return Err(sqlx::Error::RowNotFound);
            }
            let next = offset + chunk.len() as i64;
            Ok(Some((Bytes::from(chunk), next)))
        }
    })
}

/// Loads a streamed body whole (batch and onion answers carry the bytes themselves).
pub async fn materialize(db: &PgPool, mut response: ApiResponse) -> ApiResponse {
    use futures_util::TryStreamExt;
    let Some(file) = response.file.take() else {
        return response;
    };
    let mut all = Vec::with_capacity(file.size.max(0) as usize);
    let chunks = stream(db.clone(), file).try_for_each(|chunk| {
        all.extend_from_slice(&chunk);
        std::future::ready(Ok(()))
    });
    match chunks.await {
        Ok(()) => ApiResponse {
            body: Bytes::from(all),
            ..response
        },
        Err(e) => ApiError::from(e).into_response(),
    }
}
