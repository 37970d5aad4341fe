//! Queries on `users`.

use sqlx::PgExecutor;

use sogs_protocol::ids::ServerPubkey;

/// Creates or refreshes the system user (id 0, `ff` + server pubkey, hidden global admin).
pub async fn upsert_system_user(db: impl PgExecutor<'_>, server_pubkey: &ServerPubkey) -> Result<(), sqlx::Error> {
    let session_id = format!("ff{server_pubkey}");
    sqlx::query!(
        r#"insert into users (id, session_id, moderator, admin, visible_mod)
           values (0, $1, true, true, false)
           on conflict (id) do update
           set session_id = excluded.session_id, moderator = true, admin = true, visible_mod = false
           where users.session_id <> excluded.session_id
              or not (users.moderator and users.admin) or users.visible_mod"#,
        session_id
    )
    .execute(db)
    .await?;
    Ok(())
}
