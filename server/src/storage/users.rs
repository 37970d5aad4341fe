//! Queries on `users`: the system user, the signer lookup, activity, creation with the
//! needs_blinding import (§3.5 of the spec).

use sqlx::{PgExecutor, PgPool};

use sogs_protocol::ids::ServerPubkey;

use crate::domain::user::User;

/// Creates or refreshes the system user (id 0, `ff` + server pubkey, hidden global admin).
pub async fn upsert_system_user(
    db: impl PgExecutor<'_>,
    server_pubkey: &ServerPubkey,
) -> Result<(), sqlx::Error> {
    let session_id = format!("ff{server_pubkey}");
    sqlx::query!(
        r#"insert into users (id, session_id, canonical_id, moderator, admin, visible_mod)
           values (0, $1, $1, true, true, false)
           on conflict (id) do update
           set session_id = excluded.session_id, canonical_id = excluded.canonical_id,
               moderator = true, admin = true, visible_mod = false
           where users.session_id <> excluded.session_id
              or not (users.moderator and users.admin) or users.visible_mod"#,
        session_id
    )
    .execute(db)
    .await?;
    Ok(())
}

/// The user who signs as `id` (their session id or canonical id), without side effects.
pub async fn find_signer(db: impl PgExecutor<'_>, id: &str) -> Result<Option<User>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select id, session_id, banned, moderator, admin, visible_mod
           from users where session_id = $1 or canonical_id = $1
           order by id limit 1"#,
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| User {
        id: r.id,
        session_id: r.session_id,
        banned: r.banned,
        moderator: r.moderator,
        admin: r.admin,
        visible_mod: r.visible_mod,
    }))
}

/// Sets `last_active = now` for these users (skipping rows touched within the last minute),
/// without waiting for the WAL flush: activity timestamps may be lost in a crash.
pub async fn touch_many(
    db: &mut sqlx::PgConnection,
    users: &[i64],
    now: f64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"with relaxed as (select set_config('synchronous_commit', 'off', true))
           update users set last_active = $2::float8
           from relaxed
           where id = any($1) and last_active < $2::float8 - 60"#,
        users,
        now
    )
    .execute(db)
    .await?;
    Ok(())
}

/// Creates a user seen for the first time. A blinded user for whom an unblinded (`05`) user
/// was waiting in `needs_blinding` takes over that user's flags, permission overrides and
/// scheduled changes (the reference's `needs_blinding` import).
pub async fn create(
    pool: &PgPool,
    session_id: &str,
    canonical_id: &str,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    let waiting = sqlx::query_scalar!(
        r#"select "user" from needs_blinding where blinded25 = $1 for update"#,
        canonical_id
    )
    .fetch_optional(&mut *tx)
    .await?;
    let created = sqlx::query_scalar!(
        r#"insert into users (session_id, canonical_id, created, last_active, banned, moderator, admin, visible_mod)
           select $1, $2,
                  coalesce(w.created, extract(epoch from now())),
                  coalesce(w.last_active, extract(epoch from now())),
                  coalesce(w.banned, false), coalesce(w.moderator, false),
                  coalesce(w.admin, false), coalesce(w.visible_mod, false)
           from (select 1) one left join users w on w.id = $3
           on conflict do nothing
           returning id"#,
        session_id,
        canonical_id,
        waiting
    )
    .fetch_optional(&mut *tx)
    .await?;
    if let (Some(old), Some(new)) = (waiting, created) {
        move_blinding_import(&mut tx, old, new).await?;
    }
    tx.commit().await
}

/// Moves an unblinded user's privileges to their new blinded row (§3.5).
async fn move_blinding_import(
    tx: &mut sqlx::PgConnection,
    old: i64,
    new: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update users set banned = false, moderator = false, admin = false where id = $1",
        old
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"update user_permission_overrides set "user" = $2 where "user" = $1"#,
        old,
        new
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"update user_permission_futures set "user" = $2 where "user" = $1"#,
        old,
        new
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        r#"update user_ban_futures set "user" = $2 where "user" = $1"#,
        old,
        new
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(r#"delete from needs_blinding where "user" = $1"#, old)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// Finds or creates the unblinded user `session_id` and records that its blinded self,
/// known by `blinded_abs` (blind15) and `blinded25`, should inherit it at first login.
/// Returns the unblinded user's id.
pub async fn record_needs_blinding(
    pool: &PgPool,
    session_id: &str,
    blinded_abs: &str,
    blinded25: &str,
) -> Result<i64, sqlx::Error> {
    let id = ensure(pool, session_id, session_id).await?;
    sqlx::query!(
        r#"insert into needs_blinding (blinded_abs, blinded25, "user") values ($1, $2, $3)
           on conflict do nothing"#,
        blinded_abs,
        blinded25,
        id
    )
    .execute(pool)
    .await?;
    Ok(id)
}

/// The id of the user known as `session_id` (or by its canonical id), creating the row if needed.
pub async fn ensure(
    pool: &PgPool,
    session_id: &str,
    canonical_id: &str,
) -> Result<i64, sqlx::Error> {
    let inserted = sqlx::query_scalar!(
        r#"insert into users (session_id, canonical_id) values ($1, $2)
           on conflict do nothing returning id"#,
        session_id,
        canonical_id
    )
    .fetch_optional(pool)
    .await?;
    match inserted {
        Some(id) => Ok(id),
        // Existing (or inserted concurrently): a new statement sees the committed row.
        None => {
            sqlx::query_scalar!(
                "select id from users where session_id = $1 or canonical_id = $2 limit 1",
                session_id,
                canonical_id
            )
            .fetch_one(pool)
            .await
        }
    }
}

/// The blinded user known by either blind15 candidate or by the blind25 id, if any.
pub async fn find_blinded(
    db: impl PgExecutor<'_>,
    abs: &str,
    neg: &str,
    b25: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        "select id from users where session_id in ($1, $2) or canonical_id = $3 order by id limit 1",
        abs,
        neg,
        b25
    )
    .fetch_optional(db)
    .await
}

/// The id of an existing user known by `id` (as session id or canonical id).
pub async fn find(db: impl PgExecutor<'_>, id: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar!(
        "select id from users where session_id = $1 or canonical_id = $1 order by id limit 1",
        id
    )
    .fetch_optional(db)
    .await
}
