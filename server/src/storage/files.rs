//! Queries on `files`: uploads live in PostgreSQL (`content bytea`, stored uncompressed and out
//! of line). Only the download path reads `content`, in chunks, so a large file never needs
//! to sit whole in the server's memory.

use sqlx::PgExecutor;

/// An upload must be attached to a post (or become the room image) within this many seconds;
/// until then it expires after the same time.
pub const UNATTACHED_LIFETIME_SECS: f64 = 3600.0;

/// A live file's metadata.
#[derive(Debug, Clone)]
pub struct FileMeta {
    /// File id.
    pub id: i64,
    /// Size in bytes.
    pub size: i64,
    /// Upload time.
    pub uploaded: f64,
    /// Expiry time, if any.
    pub expiry: Option<f64>,
    /// The uploader's file name.
    pub filename: Option<String>,
}

/// Stores an upload; returns its id.
pub async fn insert(
    db: impl PgExecutor<'_>,
    room_id: i64,
    uploader: i64,
    content: &[u8],
    filename: Option<&str>,
    expiry: f64,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!(
        r#"insert into files (room, uploader, size, content, filename, expiry)
           values ($1, $2, $3, $4, $5, $6) returning id"#,
        room_id,
        uploader,
        content.len() as i64,
        content,
        filename,
        expiry
    )
    .fetch_one(db)
    .await
}

/// Metadata of a file of this room that has not expired.
pub async fn live_meta(
    db: impl PgExecutor<'_>,
    room_id: i64,
    file_id: i64,
) -> Result<Option<FileMeta>, sqlx::Error> {
    sqlx::query_as!(
        FileMeta,
        r#"select id, size, uploaded, expiry, filename from files
           where id = $2 and room = $1 and (expiry is null or expiry > extract(epoch from now()))"#,
        room_id,
        file_id
    )
    .fetch_optional(db)
    .await
}

/// `len` bytes of a file's content from `offset` (0-based); `None` if the file is gone.
pub async fn chunk(
    db: impl PgExecutor<'_>,
    file_id: i64,
    offset: i64,
    len: i64,
) -> Result<Option<Vec<u8>>, sqlx::Error> {
    let row = sqlx::query_scalar!(
        r#"select substring(content from ($2::bigint + 1)::int for ($3::bigint)::int) as "chunk!" from files where id = $1"#,
        file_id,
        offset,
        len
    )
    .fetch_optional(db)
    .await?;
    Ok(row)
}
