//! Queries on `reactions` and `user_reactions`. Each added or removed reactor advances the room
//! sequence by one (trigger), and an empty reaction row disappears (trigger).

use sqlx::{PgConnection, PgExecutor};

/// One reaction of a message with its count.
#[derive(Debug, Clone)]
pub struct ReactionRow {
    /// Reaction row id.
    pub id: i64,
    /// Message id.
    pub message: i64,
    /// The reaction text.
    pub reaction: String,
    /// Number of reactors.
    pub count: i64,
    /// Whether the viewer reacted.
    pub you: bool,
}

/// Reactions of the given messages in creation order, with counts and the viewer's own flag.
pub async fn summaries(
    db: impl PgExecutor<'_>,
    message_ids: &[i64],
    viewer: Option<i64>,
) -> Result<Vec<ReactionRow>, sqlx::Error> {
    sqlx::query_as!(
        ReactionRow,
        r#"select r.id, r.message, r.reaction, count(*) as "count!",
                  coalesce(bool_or(ur."user" = $2), false) as "you!"
           from reactions r join user_reactions ur on ur.reaction = r.id
           where r.message = any($1)
           group by r.id
           order by r.id"#,
        message_ids,
        viewer
    )
    .fetch_all(db)
    .await
}

/// The first `limit` reactors (by time) of each of the given reaction rows: `(reaction id, session id)`.
pub async fn first_reactors(
    db: impl PgExecutor<'_>,
    reaction_ids: &[i64],
    limit: i64,
) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select reaction as "reaction!", session_id as "session_id!" from (
               select ur.reaction, u.session_id, ur.at,
                      row_number() over (partition by ur.reaction order by ur.at, ur."user") as rank
               from user_reactions ur join users u on u.id = ur."user"
               where ur.reaction = any($1)
           ) ranked
           where rank <= $2
           order by at"#,
        reaction_ids,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.reaction, r.session_id))
        .collect())
}

/// Adds `user_id`'s reaction; returns whether it was new.
pub async fn add(
    conn: &mut PgConnection,
    message_id: i64,
    reaction: &str,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    // Reaction rows cannot be updated (trigger), so a concurrent first insert of the same
    // reaction can leave this statement without a row to attach to: try once more then.
    for _ in 0..2 {
        let done = sqlx::query!(
            r#"with ins as (
                   insert into reactions (message, reaction)
                   select $1, $2 from messages where id = $1 and data is not null for share
                   on conflict do nothing returning id
               ), r as (
                   select id from ins
                   union all select id from reactions where message = $1 and reaction = $2
                   limit 1
               )
               insert into user_reactions (reaction, "user") select id, $3 from r
               on conflict do nothing"#,
            message_id,
            reaction,
            user_id
        )
        .execute(&mut *conn)
        .await?;
        if done.rows_affected() > 0 {
            return Ok(true);
        }
        if has_reacted(&mut *conn, message_id, reaction, user_id).await? {
            return Ok(false);
        }
    }
    Ok(false)
}

async fn has_reacted(
    db: impl PgExecutor<'_>,
    message_id: i64,
    reaction: &str,
    user_id: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select exists (
               select 1 from reactions r join user_reactions ur on ur.reaction = r.id
               where r.message = $1 and r.reaction = $2 and ur."user" = $3
           ) as "found!""#,
        message_id,
        reaction,
        user_id
    )
    .fetch_one(db)
    .await
}

/// Removes reactions of a message: one user's (`user_id`), one kind (`reaction`), or all;
/// returns how many reactor rows were removed.
pub async fn remove(
    conn: &mut PgConnection,
    message_id: i64,
    reaction: Option<&str>,
    user_id: Option<i64>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query!(
        r#"delete from user_reactions ur using reactions r
           where ur.reaction = r.id and r.message = $1
             and ($2::text is null or r.reaction = $2)
             and ($3::bigint is null or ur."user" = $3)"#,
        message_id,
        reaction,
        user_id
    )
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// The message's current seqno.
pub async fn message_seqno(db: impl PgExecutor<'_>, message_id: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar!("select seqno from messages where id = $1", message_id)
        .fetch_one(db)
        .await
}

/// Reactors of one reaction in reaction order: `(session id, at)`; `limit <= 0` means all.
pub async fn reactors(
    db: impl PgExecutor<'_>,
    message_id: i64,
    reaction: &str,
    limit: i64,
) -> Result<Vec<(String, f64)>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select u.session_id, ur.at
           from reactions r
           join user_reactions ur on ur.reaction = r.id
           join users u on u.id = ur."user"
           where r.message = $1 and r.reaction = $2
           order by ur.at, ur."user"
           limit case when $3::bigint > 0 then $3::bigint end"#,
        message_id,
        reaction,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.session_id, r.at)).collect())
}
