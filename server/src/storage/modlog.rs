//! The moderation log (`moderation_log`): one row per moderation action, written in the
//! action's own transaction, from HTTP and from the admin CLI alike.

use sqlx::{PgConnection, PgExecutor};

use crate::domain::moderation::ModAction;

/// One action to record.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Who acted (`None`: an operator at the CLI).
    pub actor: Option<i64>,
    /// The room (`None`: a global action).
    pub room: Option<i64>,
    /// What was done.
    pub action: ModAction,
    /// Whom it concerned.
    pub target: Option<i64>,
    /// Further details (a JSON object).
    pub details: serde_json::Value,
}

/// Appends `entry`.
pub async fn record(conn: &mut PgConnection, entry: &Entry) -> Result<(), sqlx::Error> {
    sqlx::query!(
        r#"insert into moderation_log (actor, room, action, target, details)
           values ($1, $2, $3, $4, $5::text::jsonb)"#,
        entry.actor,
        entry.room,
        entry.action.as_str(),
        entry.target,
        entry.details.to_string()
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// A logged action, with ids resolved to what they are called now.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LoggedAction {
    /// Epoch seconds.
    pub at: f64,
    /// Actor's session id (`None`: the CLI or the server).
    pub actor: Option<String>,
    /// Room token (`None`: global).
    pub room: Option<String>,
    /// The verb.
    pub action: String,
    /// Target's session id.
    pub target: Option<String>,
    /// Details as JSON text.
    pub details: String,
}

/// Actions since `since` (epoch seconds), optionally in one room (by token), oldest first.
pub async fn list(
    db: impl PgExecutor<'_>,
    room: Option<&str>,
    since: f64,
) -> Result<Vec<LoggedAction>, sqlx::Error> {
    sqlx::query_as!(
        LoggedAction,
        r#"select l.at, a.session_id as "actor?", r.token as "room?", l.action,
                  t.session_id as "target?", l.details::text as "details!"
           from moderation_log l
           left join users a on a.id = l.actor
           left join rooms r on r.id = l.room
           left join users t on t.id = l.target
           where l.at >= $2 and ($1::text is null or lower(r.token) = lower($1))
           order by l.at, l.id"#,
        room,
        since
    )
    .fetch_all(db)
    .await
}
