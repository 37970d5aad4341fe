//! Rooms (their picture is set once the files are in) and what hangs off a room per user:
//! permission overrides (bans, grants), scheduled changes and recent activity.

use sogs_protocol::ids::RoomToken;
use sqlx::PgConnection;

use super::{Import, Verdict, failed};
use crate::check::Known;
use crate::source::tables::{BanFutureRow, OverrideRow, PermFutureRow, RoomRow, RoomUserRow};
use crate::summary::Kind;
use crate::{Env, ImportError};

impl Import for RoomRow {
    const KIND: Kind = Kind::Rooms;

    fn check(&self, known: &mut Known, _: &Env) -> Result<Verdict, ImportError> {
        RoomToken::parse(&self.token).map_err(|e| {
            ImportError::Invalid(format!("rooms {}: token {:?}: {e}", self.id, self.token))
        })?;
        if !known.tokens.insert(self.token.to_lowercase()) {
            return Err(ImportError::Invalid(format!(
                "rooms {}: token {:?} is used twice",
                self.id, self.token
            )));
        }
        known.rooms.insert(self.id);
        if let Some(image) = self.image {
            known.room_images.push((self.id, image));
        }
        Ok(Verdict::Write)
    }

    async fn write(&self, tx: &mut PgConnection, _: &Env) -> Result<(), ImportError> {
        sqlx::query!(
            r#"insert into rooms (id, token, name, description, created, message_sequence,
                                  info_updates, active_users, read, accessible, write, upload)
               values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"#,
            self.id,
            self.token,
            self.name,
            self.description,
            self.created,
            self.message_sequence,
            self.info_updates,
            self.active_users,
            self.read,
            self.accessible,
            self.write,
            self.upload
        )
        .execute(&mut *tx)
        .await
        .map_err(failed(Self::KIND))?;
        Ok(())
    }
}

impl Import for OverrideRow {
    const KIND: Kind = Kind::Overrides;

    fn check(&self, known: &mut Known, _: &Env) -> Result<Verdict, ImportError> {
        let row = format!("(room {}, user {})", self.room, self.user);
        known.room("user_permission_overrides", &row, self.room)?;
        known.user("user_permission_overrides", &row, "user", self.user)?;
        if self.banned && (self.moderator || self.admin) {
            return Err(ImportError::Invalid(format!(
                "user_permission_overrides {row}: banned and a moderator at once"
            )));
        }
        Ok(Verdict::Write)
    }

    async fn write(&self, tx: &mut PgConnection, _: &Env) -> Result<(), ImportError> {
        sqlx::query!(
            r#"insert into user_permission_overrides
                   (room, "user", banned, read, accessible, write, upload, moderator, admin,
                    visible_mod)
               values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"#,
            self.room,
            self.user,
            self.banned,
            self.read,
            self.accessible,
            self.write,
            self.upload,
            self.moderator || self.admin,
            self.admin,
            self.visible_mod
        )
        .execute(&mut *tx)
        .await
        .map_err(failed(Self::KIND))?;
        Ok(())
    }
}

impl Import for PermFutureRow {
    const KIND: Kind = Kind::PermissionFutures;

    fn check(&self, known: &mut Known, _: &Env) -> Result<Verdict, ImportError> {
        let row = format!("(room {}, user {}, at {})", self.room, self.user, self.at);
        known.room("user_permission_futures", &row, self.room)?;
        known.user("user_permission_futures", &row, "user", self.user)?;
        Ok(Verdict::Write)
    }

    async fn write(&self, tx: &mut PgConnection, _: &Env) -> Result<(), ImportError> {
        sqlx::query!(
            r#"insert into user_permission_futures (room, "user", at, read, write, upload)
               values ($1, $2, $3, $4, $5, $6)"#,
            self.room,
            self.user,
            self.at,
            self.read,
            self.write,
            self.upload
        )
        .execute(&mut *tx)
        .await
        .map_err(failed(Self::KIND))?;
        Ok(())
    }
}

impl Import for BanFutureRow {
    const KIND: Kind = Kind::BanFutures;

    fn check(&self, known: &mut Known, _: &Env) -> Result<Verdict, ImportError> {
        let row = format!("(room {:?}, user {}, at {})", self.room, self.user, self.at);
        if let Some(room) = self.room {
            known.room("user_ban_futures", &row, room)?;
        }
        known.user("user_ban_futures", &row, "user", self.user)?;
        Ok(Verdict::Write)
    }

    async fn write(&self, tx: &mut PgConnection, _: &Env) -> Result<(), ImportError> {
        sqlx::query!(
            r#"insert into user_ban_futures (room, "user", at, banned) values ($1, $2, $3, $4)"#,
            self.room,
            self.user,
            self.at,
            self.banned
        )
        .execute(&mut *tx)
        .await
        .map_err(failed(Self::KIND))?;
        Ok(())
    }
}

impl Import for RoomUserRow {
    const KIND: Kind = Kind::RoomActivity;

    fn check(&self, known: &mut Known, _: &Env) -> Result<Verdict, ImportError> {
        let row = format!("(room {}, user {})", self.room, self.user);
        known.room("room_users", &row, self.room)?;
        known.user("room_users", &row, "user", self.user)?;
        Ok(Verdict::Write)
    }

    async fn write(&self, tx: &mut PgConnection, _: &Env) -> Result<(), ImportError> {
        sqlx::query!(
            r#"insert into room_users (room, "user", last_active) values ($1, $2, $3)"#,
            self.room,
            self.user,
            self.last_active
        )
        .execute(&mut *tx)
        .await
        .map_err(failed(Self::KIND))?;
        Ok(())
    }
}
