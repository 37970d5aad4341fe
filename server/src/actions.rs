//! Moderation actions shared by the HTTP routes and `sogs-admin`: find the target user, apply a
//! grant, ban or unban, and log it, in one transaction. Callers check who may act.

use sqlx::PgPool;

use sogs_protocol::blinding::{blind15_candidates, blind25_from_session};
use sogs_protocol::ids::{ServerPubkey, UserId};

use crate::domain::moderation::ModChange;
use crate::domain::overrides::OverrideChanges;
use crate::domain::user::canonical_id;
use crate::storage::modlog::{self, Entry};
use crate::storage::{moderation, overrides, users};

/// Why an action could not be done.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    /// The id is not a valid user id.
    #[error("invalid session id: {0}")]
    BadId(String),
    /// A database failure.
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// The user row an action on `id` applies to (created if needed). A `05` id, while blinding is
/// required, means the existing blinded user (either blind15 candidate, or the blind25 id);
/// failing that the `05` row, recorded in `needs_blinding` for import at first login (§3.5).
pub async fn resolve_user(
    pool: &PgPool,
    server_pk: &ServerPubkey,
    require_blind: bool,
    id: &UserId,
) -> Result<i64, ActionError> {
    if let Some(found) = find_user(pool, server_pk, require_blind, id).await? {
        return Ok(found);
    }
    let bad = |e: &dyn std::fmt::Display| ActionError::BadId(format!("{}: {e}", id.as_str()));
    match id {
        UserId::Session(session) if require_blind => {
            let [abs, _] = blind15_candidates(session, server_pk).map_err(|e| bad(&e))?;
            let b25 = blind25_from_session(session, server_pk).map_err(|e| bad(&e))?;
            let stored =
                users::record_needs_blinding(pool, session.as_str(), abs.as_str(), b25.as_str());
            Ok(stored.await?)
        }
        _ => {
            let canonical = canonical_id(id, server_pk).map_err(|e| bad(&e))?;
            Ok(users::ensure(pool, id.as_str(), &canonical).await?)
        }
    }
}

/// The existing user an action on `id` means (see [`resolve_user`]), without creating one.
pub async fn find_user(
    pool: &PgPool,
    server_pk: &ServerPubkey,
    require_blind: bool,
    id: &UserId,
) -> Result<Option<i64>, ActionError> {
    let bad = |e: &dyn std::fmt::Display| ActionError::BadId(format!("{}: {e}", id.as_str()));
    match id {
        UserId::Session(session) if require_blind => {
            let [abs, neg] = blind15_candidates(session, server_pk).map_err(|e| bad(&e))?;
            let b25 = blind25_from_session(session, server_pk).map_err(|e| bad(&e))?;
            let blinded =
                users::find_blinded(pool, abs.as_str(), neg.as_str(), b25.as_str()).await?;
            Ok(match blinded {
                Some(found) => Some(found),
                None => users::find(pool, session.as_str()).await?,
            })
        }
        _ => {
            let canonical = canonical_id(id, server_pk).map_err(|e| bad(&e))?;
            Ok(users::find(pool, &canonical)
                .await?
                .or(users::find(pool, id.as_str()).await?))
        }
    }
}

/// Who did it and to whom.
#[derive(Debug, Clone, Copy)]
pub struct Parties {
    /// The moderator (`None`: the CLI).
    pub actor: Option<i64>,
    /// The target user.
    pub target: i64,
}

/// Applies a moderator change in `rooms` (`None`: globally); returns `(token, info_updates)`
/// of the touched rooms (every room for a global change).
pub async fn set_moderator(
    pool: &PgPool,
    who: Parties,
    rooms: Option<&[i64]>,
    change: ModChange,
    visible: bool,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let admin = if change == ModChange::AddAdmin {
        Some(true)
    } else if change == ModChange::DemoteToModerator {
        Some(false)
    } else {
        None
    };
    let targets: Vec<Option<i64>> =
        rooms.map_or(vec![None], |r| r.iter().copied().map(Some).collect());
    for room in &targets {
        match (room, change.grant()) {
            (Some(room), Some(_)) => {
                moderation::set_room_moderator(&mut tx, *room, who.target, admin, visible).await?
            }
            (Some(room), None) => {
                moderation::remove_room_moderator(
                    &mut tx,
                    *room,
                    who.target,
                    change == ModChange::RemoveAdmin,
                )
                .await?
            }
            (None, Some(_)) => {
                moderation::set_global_moderator(&mut tx, who.target, admin, visible).await?
            }
            (None, None) => {
                moderation::remove_global_moderator(
                    &mut tx,
                    who.target,
                    change == ModChange::RemoveAdmin,
                )
                .await?
            }
        }
        let details = serde_json::json!({ "visible": visible });
        log(&mut tx, who, *room, change.action(), details).await?;
    }
    let updates = moderation::info_updates(&mut tx, rooms).await?;
    tx.commit().await?;
    Ok(updates)
}

/// Bans the target from `rooms` (`None`: globally), until `until` when given.
pub async fn ban(
    pool: &PgPool,
    who: Parties,
    rooms: Option<&[i64]>,
    until: Option<f64>,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    for room in rooms.map_or(vec![None], |r| r.iter().copied().map(Some).collect()) {
        moderation::ban(&mut tx, room, who.target, until).await?;
        log(
            &mut tx,
            who,
            room,
            "ban",
            serde_json::json!({ "until": until }),
        )
        .await?;
    }
    tx.commit().await
}

/// Lifts the target's ban in `rooms` (`None`: the global ban).
pub async fn unban(pool: &PgPool, who: Parties, rooms: Option<&[i64]>) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    for room in rooms.map_or(vec![None], |r| r.iter().copied().map(Some).collect()) {
        moderation::unban(&mut tx, room, who.target).await?;
        log(&mut tx, who, room, "unban", serde_json::json!({})).await?;
    }
    tx.commit().await
}

/// Sets a user's room permission overrides, first dropping the scheduled changes of the
/// permissions set unless `keep_scheduled`.
pub async fn set_permissions(
    pool: &PgPool,
    who: Parties,
    room: i64,
    changes: &OverrideChanges,
    keep_scheduled: bool,
    details: serde_json::Value,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    if !keep_scheduled {
        let (r, w, u) = (
            changes.read.is_some(),
            changes.write.is_some(),
            changes.upload.is_some(),
        );
        overrides::unschedule(&mut tx, room, who.target, r, w, u).await?;
    }
    overrides::set(&mut tx, room, who.target, changes).await?;
    log(&mut tx, who, Some(room), "set_permissions", details).await?;
    tx.commit().await
}

/// Deletes every post of the target in `room` (logged when someone else does it); returns
/// how many were deleted.
pub async fn delete_posts(pool: &PgPool, who: Parties, room: i64) -> Result<u64, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let n = moderation::delete_user_posts(&mut tx, room, who.target).await?;
    if n > 0 && who.actor != Some(who.target) {
        log(
            &mut tx,
            who,
            Some(room),
            "delete_all_posts",
            serde_json::json!({ "count": n }),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(n)
}

/// Appends a log entry in the action's transaction.
pub async fn log(
    conn: &mut sqlx::PgConnection,
    who: Parties,
    room: Option<i64>,
    action: &str,
    details: serde_json::Value,
) -> Result<(), sqlx::Error> {
    modlog::record(
        conn,
        &Entry {
            actor: who.actor,
            room,
            action,
            target: Some(who.target),
            details,
        },
    )
    .await
}
