//! Direct messages (the blinded inbox) and the request nonces still remembered.

use sqlx::PgConnection;

use super::{Import, Verdict, failed};
use crate::check::Known;
use crate::source::tables::{InboxRow, NonceRow};
use crate::summary::Kind;
use crate::{Env, ImportError};

/// The reference's default lifetime of a direct message, for rows that have none.
const DM_LIFETIME_SECS: f64 = 15.0 * 86400.0;

impl Import for InboxRow {
    const KIND: Kind = Kind::Inbox;

    fn check(&self, known: &mut Known, _: &Env) -> Result<Verdict, ImportError> {
        known.user("inbox", self.id, "recipient", self.recipient)?;
        known.user("inbox", self.id, "sender", self.sender)?;
        Ok(Verdict::Write)
    }

    async fn write(&self, tx: &mut PgConnection, _: &Env) -> Result<(), ImportError> {
        // Both are NULL-able in pysogs (never NULL in practice) and NOT NULL here: a missing
        // time is the import's, a missing expiry the default lifetime after posting.
        let posted_at = self.posted_at.unwrap_or_else(sogs_server::clock::unix_now);
        let expiry = self.expiry.unwrap_or(posted_at + DM_LIFETIME_SECS);
        sqlx::query!(
            r#"insert into inbox (id, recipient, sender, body, posted_at, expiry)
               values ($1, $2, $3, $4, $5, $6)"#,
            self.id,
            self.recipient,
            self.sender,
            self.body,
            posted_at,
            expiry
        )
        .execute(&mut *tx)
        .await
        .map_err(failed(Self::KIND))?;
        Ok(())
    }
}

impl Import for NonceRow {
    const KIND: Kind = Kind::Nonces;

    fn check(&self, known: &mut Known, _: &Env) -> Result<Verdict, ImportError> {
        if !known.users.contains(&self.user) {
            return Ok(Verdict::Skip("nonce of a user that does not exist"));
        }
        if self.expiry < sogs_server::clock::unix_now() {
            return Ok(Verdict::Skip("expired nonce"));
        }
        Ok(Verdict::Write)
    }

    async fn write(&self, tx: &mut PgConnection, _: &Env) -> Result<(), ImportError> {
        sqlx::query!(
            r#"insert into user_request_nonces ("user", nonce, expiry) values ($1, $2, $3)"#,
            self.user,
            self.nonce,
            self.expiry
        )
        .execute(&mut *tx)
        .await
        .map_err(failed(Self::KIND))?;
        Ok(())
    }
}
