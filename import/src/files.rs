//! Uploads: pysogs keeps each file on disk (`files.path`, usually
//! `uploads/<room token>/<id>_<name>`, relative to its working directory); we copy the content
//! into `files.content`, checked against the recorded size, keeping id, expiry and links. Only
//! regular files inside the uploads directory are read ([`locate`]).

mod locate;

use std::path::{Path, PathBuf};

use sqlx::PgConnection;
use tokio::io::AsyncReadExt as _;

use super::check::Known;
use super::source::tables::FileRow;
use super::summary::Kind;
use super::write::{Import, Verdict, failed};
use super::{Env, ImportError};

/// The canonical path of the uploads directory `given` (symbolic links resolved), so that
/// every file read can be checked to lie inside it.
pub(crate) fn uploads_dir(given: &Path) -> Result<PathBuf, ImportError> {
    let fail = |why: String| ImportError::UploadsDir(format!("{}: {why}", given.display()));
    let real = std::fs::canonicalize(given).map_err(|e| fail(e.to_string()))?;
    if !real.is_dir() {
        return Err(fail("not a directory".into()));
    }
    Ok(real)
}

impl Import for FileRow {
    const KIND: Kind = Kind::Files;

    fn check(&self, known: &mut Known, env: &Env) -> Result<Verdict, ImportError> {
        if let Some(room) = self.room {
            known.room("files", self.id, room)?;
        }
        if let Some(uploader) = self.uploader {
            known.user("files", self.id, "uploader", uploader)?;
        }
        if let Some(message) = self.message {
            known.message("files", self.id, message)?;
        }
        let Some(found) = self.open(env)? else {
            if self
                .expiry
                .is_some_and(|e| e < sogs_server::clock::unix_now())
            {
                return Ok(Verdict::Skip("expired upload whose content is gone"));
            }
            return Err(self.upload_error(format!(
                "content not found: files.path is {:?}, looked under {} (pass pysogs's uploads \
                 directory with --uploads)",
                self.path,
                env.uploads.display()
            )));
        };
        self.check_size(found.len, &found.path)?;
        known.files.insert(self.id);
        Ok(Verdict::Write)
    }

    async fn write(&self, tx: &mut PgConnection, env: &Env) -> Result<(), ImportError> {
        // found and checked again: what `check` saw may have changed since
        let found = self
            .open(env)?
            .ok_or_else(|| self.upload_error("content vanished during the import".into()))?;
        self.check_size(found.len, &found.path)?;
        let mut content = Vec::with_capacity(usize::try_from(found.len).unwrap_or(0));
        // one byte more than expected at most: a file that grew is caught by the size check
        tokio::fs::File::from_std(found.file)
            .take(found.len.saturating_add(1))
            .read_to_end(&mut content)
            .await
            .map_err(|e| self.upload_error(format!("{}: {e}", found.path.display())))?;
        self.check_size(content.len() as u64, &found.path)?;
        sqlx::query!(
            r#"insert into files (id, room, uploader, message, size, uploaded, expiry, filename,
                                  content)
               values ($1, $2, $3, $4, $5, $6, $7, $8, $9)"#,
            self.id,
            self.room,
            self.uploader,
            self.message,
            self.size,
            self.uploaded,
            self.expiry,
            self.filename,
            content
        )
        .execute(&mut *tx)
        .await
        .map_err(failed(Self::KIND))?;
        Ok(())
    }

    fn bytes(&self) -> u64 {
        u64::try_from(self.size).unwrap_or(0)
    }
}

impl FileRow {
    /// Finds and opens the content; refuses what leaves the uploads directory or is not a
    /// regular file.
    fn open(&self, env: &Env) -> Result<Option<locate::Opened>, ImportError> {
        locate::open(&self.path, &env.uploads).map_err(|reason| self.upload_error(reason))
    }

    fn upload_error(&self, reason: String) -> ImportError {
        ImportError::Upload {
            id: self.id,
            reason,
        }
    }

    fn check_size(&self, len: u64, found: &Path) -> Result<(), ImportError> {
        if i64::try_from(len).ok() == Some(self.size) {
            return Ok(());
        }
        Err(self.upload_error(format!(
            "{} has {len} bytes but files.size says {}",
            found.display(),
            self.size
        )))
    }
}
