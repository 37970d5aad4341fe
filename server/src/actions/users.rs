//! Actions on a user: moderator grants, bans, permission overrides, deleting all their posts.

use sqlx::PgPool;

use super::{Parties, log};
use crate::domain::moderation::{ModAction, ModChange};
use crate::domain::overrides::OverrideChanges;
use crate::storage::{moderation, overrides};

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
        log(
            &mut tx,
            who.actor,
            *room,
            Some(who.target),
            change.action(),
            details,
        )
        .await?;
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
            who.actor,
            room,
            Some(who.target),
            ModAction::Ban,
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
        log(
            &mut tx,
            who.actor,
            room,
            Some(who.target),
            ModAction::Unban,
            serde_json::json!({}),
        )
        .await?;
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
    log(
        &mut tx,
        who.actor,
        Some(room),
        Some(who.target),
        ModAction::SetPermissions,
        details,
    )
    .await?;
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
            who.actor,
            Some(room),
            Some(who.target),
            ModAction::DeleteAllPosts,
            serde_json::json!({ "count": n }),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(n)
}

/// Schedules permission changes (`[read, write, upload]`, `None`: unchanged) for time `at`.
pub async fn schedule_permissions(
    pool: &PgPool,
    who: Parties,
    room: i64,
    at: f64,
    values: [Option<bool>; 3],
    details: serde_json::Value,
) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    overrides::schedule(&mut tx, room, who.target, at, values).await?;
    let (actor, target) = (who.actor, Some(who.target));
    log(
        &mut tx,
        actor,
        Some(room),
        target,
        ModAction::SchedulePermissions,
        details,
    )
    .await?;
    tx.commit().await
}
