//! Typed path parameters of particular routes, parsed before any query: the reaction of the
//! reaction routes and the user a moderation route's `{id}` names (path integers are in
//! [`crate::dispatch::params`]).

use sogs_protocol::api::paths::Reaction;
use sogs_protocol::ids::{BlindedId, UserId};

use crate::actions;
use crate::dispatch::ApiRequest;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The `{reaction}` of the reaction routes (400 when empty, too long or holding a control
/// character), or `None` on a route without one.
pub fn reaction(req: &ApiRequest) -> ApiResult<Option<Reaction>> {
    req.optional_param("reaction")
        .map(|r| Reaction::parse(r).map_err(|e| ApiError::bad_request(e.to_string())))
        .transpose()
}

/// Which ids a moderation route's `{id}` takes, and what an unknown one means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetRule {
    /// `/user/{id}/…`: a `05`, `15` or `25` id (else 404 `Not found`); an unknown user is
    /// created (a `05` id, while blinding is required, is recorded in `needs_blinding`).
    AnyId,
    /// `/room/{token}/permissions/{id}` and `…/futurePermissions/{id}`: a `15` or `25` id only
    /// (else 404 `Not found`); an unknown user is created.
    BlindedId,
    /// `DELETE /room/{token}/all/{id}` and `/rooms/all/{id}`: any id of an existing user (else
    /// 404 `No such user: {id}`).
    Existing,
}

/// The `{id}` of a moderation route, parsed; [`TargetUser::resolve`] finds its user.
#[derive(Debug, Clone)]
pub struct TargetUser {
    id: UserId,
    raw: String,
    rule: TargetRule,
}

/// Parses the `{id}` of a moderation route by `rule` (404 with the route's text).
pub fn target_user(req: &ApiRequest, rule: TargetRule) -> ApiResult<TargetUser> {
    let raw = req.param("id")?;
    let id = match rule {
        TargetRule::BlindedId => BlindedId::parse(raw).map(UserId::Blinded).ok(),
        TargetRule::AnyId | TargetRule::Existing => UserId::parse(raw).ok(),
    };
    let id = id.ok_or_else(|| not_found(rule, raw))?;
    Ok(TargetUser {
        id,
        raw: raw.to_owned(),
        rule,
    })
}

impl TargetUser {
    /// The user row the id means, resolved like every moderation target (`actions::targets`).
    pub async fn resolve(&self, state: &AppState) -> ApiResult<i64> {
        let (pk, require_blind) = (state.keys.public(), state.settings.users.require_blind_keys);
        if self.rule == TargetRule::Existing {
            let found = actions::find_user(&state.db, pk, require_blind, &self.id).await?;
            return found.ok_or_else(|| not_found(self.rule, &self.raw));
        }
        Ok(actions::resolve_user(&state.db, pk, require_blind, &self.id).await?)
    }
}

fn not_found(rule: TargetRule, raw: &str) -> ApiError {
    match rule {
        TargetRule::AnyId | TargetRule::BlindedId => ApiError::not_found("Not found"),
        TargetRule::Existing => ApiError::not_found(format!("No such user: {raw}")),
    }
}
