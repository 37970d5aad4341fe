//! Posts with their ids, seqnos and timestamps as they are (tombstones and whispers
//! included), their edit history, reactions with their reactors, and pins.

use sqlx::PgConnection;

use super::{Import, Verdict, failed};
use crate::check::{self, Known};
use crate::source::tables::{HistoryRow, MessageRow, PinRow, ReactionRow, ReactorRow};
use crate::summary::Kind;
use crate::{Env, ImportError};

impl Import for MessageRow {
    const KIND: Kind = Kind::Messages;

    fn check(&self, known: &mut Known, _: &Env) -> Result<Verdict, ImportError> {
        known.room("messages", self.id, self.room)?;
        known.user("messages", self.id, "user", self.user)?;
        if let Some(whisper) = self.whisper {
            known.user("messages", self.id, "whisper", whisper)?;
        }
        match (&self.data, &self.signature) {
            (Some(_), None) => {
                return Err(ImportError::Invalid(format!(
                    "messages {}: content without a signature",
                    self.id
                )));
            }
            (_, Some(sig)) => check::signature("messages", self.id, sig)?,
            (None, None) => {}
        }
        known.messages.insert(self.id, self.room);
        Ok(Verdict::Write)
    }

    async fn write(&self, tx: &mut PgConnection, _: &Env) -> Result<(), ImportError> {
        sqlx::query!(
            r#"insert into messages (id, room, "user", posted, edited, seqno, seqno_data,
                                     seqno_reactions, seqno_creation, data, data_size,
                                     signature, filtered, whisper, whisper_mods)
               values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"#,
            self.id,
            self.room,
            self.user,
            self.posted,
            self.edited,
            self.seqno,
            self.seqno_data,
            self.seqno_reactions,
            self.seqno_creation,
            self.data,
            self.data_size,
            self.signature,
            self.filtered,
            self.whisper,
            self.whisper_mods
        )
        .execute(&mut *tx)
        .await
        .map_err(failed(Self::KIND))?;
        Ok(())
    }
}

impl Import for HistoryRow {
    const KIND: Kind = Kind::History;

    fn check(&self, known: &mut Known, _: &Env) -> Result<Verdict, ImportError> {
        known.message("message_history", self.message, self.message)?;
        Ok(Verdict::Write)
    }

    async fn write(&self, tx: &mut PgConnection, _: &Env) -> Result<(), ImportError> {
        sqlx::query!(
            r#"insert into message_history (message, replaced, data, signature)
               values ($1, $2, $3, $4)"#,
            self.message,
            self.replaced,
            self.data,
            self.signature
        )
        .execute(&mut *tx)
        .await
        .map_err(failed(Self::KIND))?;
        Ok(())
    }
}

impl Import for ReactionRow {
    const KIND: Kind = Kind::Reactions;

    fn check(&self, known: &mut Known, _: &Env) -> Result<Verdict, ImportError> {
        known.message("reactions", self.id, self.message)?;
        known.reactions.insert(self.id);
        Ok(Verdict::Write)
    }

    async fn write(&self, tx: &mut PgConnection, _: &Env) -> Result<(), ImportError> {
        sqlx::query!(
            "insert into reactions (id, message, reaction) values ($1, $2, $3)",
            self.id,
            self.message,
            self.reaction
        )
        .execute(&mut *tx)
        .await
        .map_err(failed(Self::KIND))?;
        Ok(())
    }
}

impl Import for ReactorRow {
    const KIND: Kind = Kind::Reactors;

    fn check(&self, known: &mut Known, _: &Env) -> Result<Verdict, ImportError> {
        let row = format!("(reaction {}, user {})", self.reaction, self.user);
        if !known.reactions.contains(&self.reaction) {
            return Err(check::dangling(
                "user_reactions",
                row,
                "reaction",
                self.reaction,
            ));
        }
        known.user("user_reactions", &row, "user", self.user)?;
        Ok(Verdict::Write)
    }

    async fn write(&self, tx: &mut PgConnection, _: &Env) -> Result<(), ImportError> {
        sqlx::query!(
            r#"insert into user_reactions (reaction, "user", at) values ($1, $2, $3)"#,
            self.reaction,
            self.user,
            self.at
        )
        .execute(&mut *tx)
        .await
        .map_err(failed(Self::KIND))?;
        Ok(())
    }
}

impl Import for PinRow {
    const KIND: Kind = Kind::Pins;

    fn check(&self, known: &mut Known, _: &Env) -> Result<Verdict, ImportError> {
        let row = format!("(room {}, message {})", self.room, self.message);
        let room = known.message("pinned_messages", &row, self.message)?;
        if room != self.room {
            return Err(ImportError::Invalid(format!(
                "pinned_messages {row}: the message is in room {room}"
            )));
        }
        known.user("pinned_messages", &row, "pinned_by", self.pinned_by)?;
        Ok(Verdict::Write)
    }

    async fn write(&self, tx: &mut PgConnection, _: &Env) -> Result<(), ImportError> {
        sqlx::query!(
            r#"insert into pinned_messages (room, message, pinned_by, pinned_at)
               values ($1, $2, $3, $4)"#,
            self.room,
            self.message,
            self.pinned_by,
            self.pinned_at
        )
        .execute(&mut *tx)
        .await
        .map_err(failed(Self::KIND))?;
        Ok(())
    }
}
