//! Uploads: pysogs keeps each file on disk (`files.path`, usually
//! `uploads/<room token>/<id>_<name>`, relative to its working directory); we copy the content
//! into `files.content`, checked against the recorded size, keeping id, expiry and links.

use std::path::{Component, Path, PathBuf};

use sqlx::PgConnection;

use super::check::Known;
use super::source::tables::FileRow;
use super::summary::Kind;
use super::write::{Import, Verdict, failed};
use super::{Env, ImportError};

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
        let Some(found) = locate(&self.path, &env.uploads) else {
            if self.expiry.is_some_and(|e| e < crate::clock::unix_now()) {
                return Ok(Verdict::Skip("expired upload whose content is gone"));
            }
            return Err(self.upload_error(format!(
                "content not found: files.path is {:?}, looked under {} (pass pysogs's uploads \
                 directory with --uploads)",
                self.path,
                env.uploads.display()
            )));
        };
        let len = std::fs::metadata(&found)
            .map_err(|e| self.upload_error(format!("{}: {e}", found.display())))?
            .len();
        self.check_size(len, &found)?;
        known.files.insert(self.id);
        Ok(Verdict::Write)
    }

    async fn write(&self, tx: &mut PgConnection, env: &Env) -> Result<(), ImportError> {
        let found = locate(&self.path, &env.uploads)
            .ok_or_else(|| self.upload_error("content vanished during the import".into()))?;
        let content = tokio::fs::read(&found)
            .await
            .map_err(|e| self.upload_error(format!("{}: {e}", found.display())))?;
        self.check_size(content.len() as u64, &found)?;
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

/// The first existing file among [`candidates`].
pub(crate) fn locate(path: &str, uploads: &Path) -> Option<PathBuf> {
    candidates(path, uploads).into_iter().find(|p| p.is_file())
}

/// Where the content of `files.path` may be: the path itself when absolute, then the path
/// under `uploads` with ever fewer leading components (`uploads/lobby/12_a.jpg` →
/// `<uploads>/uploads/lobby/12_a.jpg`, `<uploads>/lobby/12_a.jpg`, `<uploads>/12_a.jpg`).
/// `..` and root components are dropped, so nothing outside `uploads` is read for a relative
/// path. The `<id>_` prefix pysogs gives every stored name keeps the short forms unambiguous.
pub(crate) fn candidates(path: &str, uploads: &Path) -> Vec<PathBuf> {
    let given = Path::new(path);
    let mut out = Vec::new();
    if given.is_absolute() {
        out.push(given.to_path_buf());
    }
    let parts: Vec<&std::ffi::OsStr> = given
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part),
            _ => None,
        })
        .collect();
    for skip in 0..parts.len() {
        out.push(uploads.join(parts[skip..].iter().collect::<PathBuf>()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relative_path_is_looked_up_under_the_uploads_dir_by_ever_shorter_suffixes() {
        let got = candidates("uploads/lobby/12_a.jpg", Path::new("/srv/up"));
        let want: Vec<PathBuf> = [
            "/srv/up/uploads/lobby/12_a.jpg",
            "/srv/up/lobby/12_a.jpg",
            "/srv/up/12_a.jpg",
        ]
        .iter()
        .map(PathBuf::from)
        .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn an_absolute_path_is_tried_first_and_dot_dot_never_escapes() {
        let got = candidates("/var/sogs/uploads/x/1_b", Path::new("/new"));
        assert_eq!(got[0], PathBuf::from("/var/sogs/uploads/x/1_b"));
        assert_eq!(got[1], PathBuf::from("/new/var/sogs/uploads/x/1_b"));
        let escaped = candidates("../../etc/passwd", Path::new("/new"));
        assert!(escaped.iter().all(|p| p.starts_with("/new")), "{escaped:?}");
    }
}
