//! Queries on `user_request_nonces`: consuming many nonces in one statement.

/// Inserts `(users[i], nonces[i])` pairs, skipping nonces already used, and returns the nonces
/// that were new. The commit does not wait for the WAL flush (`synchronous_commit = off` for
/// this statement only): a crash of PostgreSQL itself can forget the last moment of consumed
/// nonces (docs/COMPAT.md).
pub async fn insert_many(
    db: &mut sqlx::PgConnection,
    users: &[i64],
    nonces: &[Vec<u8>],
) -> Result<Vec<Vec<u8>>, sqlx::Error> {
    sqlx::query_scalar!(
        r#"with relaxed as (select set_config('synchronous_commit', 'off', true)),
           inserted as (
               insert into user_request_nonces ("user", nonce)
               select * from unnest($1::bigint[], $2::bytea[])
               on conflict (nonce) do nothing
               returning nonce
           )
           select nonce as "nonce!" from inserted, relaxed"#,
        users,
        nonces
    )
    .fetch_all(db)
    .await
}
