//! The user a moderation action on an id applies to: found, or created for later (§3.5).

use sqlx::PgPool;

use sogs_protocol::blinding::{blind15_candidates, blind25_from_session};
use sogs_protocol::ids::{ServerPubkey, UserId};

use super::ActionError;
use crate::domain::user::canonical_id;
use crate::storage::users;

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
