//! Users (with the canonical id our schema adds) and the `needs_blinding` records (with the
//! blind25 id our schema adds).

use sogs_protocol::ids::{SessionId, UserId};
use sqlx::PgConnection;

use super::{Import, Verdict, failed};
use crate::check::Known;
use crate::source::tables::{NeedsBlindingRow, UserRow};
use crate::summary::Kind;
use crate::{Env, ImportError};

impl Import for UserRow {
    const KIND: Kind = Kind::Users;

    fn check(&self, known: &mut Known, env: &Env) -> Result<Verdict, ImportError> {
        if self.id == 0 {
            let expected = format!("ff{}", env.server_pk);
            if !self.session_id.eq_ignore_ascii_case(&expected) {
                return Err(ImportError::Key(format!(
                    "the key file does not belong to this pysogs database: its system user is \
                     {} but the key gives {expected} (pass pysogs's own key_x25519)",
                    self.session_id
                )));
            }
            known.source_had_system_user = true;
        }
        if self.session_id.is_empty() {
            return Err(ImportError::Invalid(format!(
                "users {}: empty session id",
                self.id
            )));
        }
        if self.banned && (self.moderator || self.admin) {
            return Err(ImportError::Invalid(format!(
                "users {}: banned and a moderator at once",
                self.id
            )));
        }
        known.users.insert(self.id);
        Ok(Verdict::Write)
    }

    async fn write(&self, tx: &mut PgConnection, env: &Env) -> Result<(), ImportError> {
        let session_id = self.session_id.to_ascii_lowercase();
        let canonical = canonical_id(&session_id, env);
        // Our trigger makes admins moderators; with triggers off, do it here.
        let moderator = self.moderator || self.admin;
        sqlx::query!(
            r#"insert into users (id, session_id, canonical_id, created, last_active, banned,
                                  moderator, admin, visible_mod)
               values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
               on conflict (id) do update
               set session_id = excluded.session_id, canonical_id = excluded.canonical_id,
                   created = excluded.created, last_active = excluded.last_active,
                   banned = excluded.banned, moderator = excluded.moderator,
                   admin = excluded.admin, visible_mod = excluded.visible_mod"#,
            self.id,
            session_id,
            canonical,
            self.created,
            self.last_active,
            self.banned,
            moderator,
            self.admin,
            self.visible_mod
        )
        .execute(&mut *tx)
        .await
        .map_err(failed(Self::KIND))?;
        Ok(())
    }
}

/// The blind25 id of a blind15 user (so their 15 and 25 logins meet, see 0022); any other id
/// is its own canonical id.
fn canonical_id(session_id: &str, env: &Env) -> String {
    UserId::parse(session_id)
        .ok()
        .and_then(|id| sogs_server::domain::user::canonical_id(&id, &env.server_pk).ok())
        .unwrap_or_else(|| session_id.to_owned())
}

impl Import for NeedsBlindingRow {
    const KIND: Kind = Kind::NeedsBlinding;

    fn check(&self, known: &mut Known, env: &Env) -> Result<Verdict, ImportError> {
        known.user("needs_blinding", &self.blinded_abs, "user", self.user)?;
        blinded25(self, env).map(|_| Verdict::Write)
    }

    async fn write(&self, tx: &mut PgConnection, env: &Env) -> Result<(), ImportError> {
        let b25 = blinded25(self, env)?;
        sqlx::query!(
            r#"insert into needs_blinding (blinded_abs, blinded25, "user") values ($1, $2, $3)"#,
            self.blinded_abs.to_ascii_lowercase(),
            b25,
            self.user
        )
        .execute(&mut *tx)
        .await
        .map_err(failed(Self::KIND))?;
        Ok(())
    }
}

/// The blind25 id of the waiting unblinded user (its first blinded login looks it up by that).
fn blinded25(row: &NeedsBlindingRow, env: &Env) -> Result<String, ImportError> {
    let bad =
        |why: &str| ImportError::Invalid(format!("needs_blinding for user {}: {why}", row.user));
    let session = row
        .session_id
        .as_deref()
        .ok_or_else(|| bad("no such user"))?;
    let session = SessionId::parse(session).map_err(|_| bad("not a 05 session id"))?;
    sogs_protocol::blinding::blind25_from_session(&session, &env.server_pk)
        .map(|b| b.as_str().to_owned())
        .map_err(|e| bad(&e.to_string()))
}
