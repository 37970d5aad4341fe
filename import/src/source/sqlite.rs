//! The SQLite backend of the source: a read-only connection holding one read transaction.
//! A file that is not an SQLite database, or is truncated or corrupt, is named as such.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::types::ValueRef;
use rusqlite::{Connection, ErrorCode, OpenFlags};

use super::super::ImportError;
use super::value::Value;

/// What to give instead of a file that is not a pysogs database.
const GIVE: &str = "give the path of pysogs's sogs.db or a postgresql:// URL";

/// A pysogs `sogs.db`, opened read-only.
pub(crate) struct SqliteSource {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl SqliteSource {
    /// Opens `path` read-only and starts a read transaction (one consistent snapshot); checks
    /// that it is an SQLite database with tables.
    pub(crate) fn open(path: &Path) -> Result<Self, ImportError> {
        let fail = |why: String| ImportError::Source(format!("{}{why}", path.display()));
        let meta = match std::fs::metadata(path) {
            Ok(meta) => meta,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(fail(format!(" does not exist ({GIVE})")));
            }
            Err(e) => return Err(fail(format!(": {e}"))),
        };
        if !meta.is_file() {
            return Err(fail(format!(" is not a file ({GIVE})")));
        }
        if meta.len() == 0 {
            return Err(fail(format!(
                " is empty (0 bytes), not an SQLite database ({GIVE})"
            )));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| fail(format!(": {e}")))?;
        let source = Self {
            conn: Mutex::new(conn),
            path: path.to_path_buf(),
        };
        source
            .lock()?
            .execute_batch("BEGIN")
            .map_err(|e| source.error(e))?;
        source.has_tables()?;
        Ok(source)
    }

    /// Reads the schema (which reads the header): an error here means "not a database" or
    /// "truncated"; no table at all means an empty database, not pysogs's.
    fn has_tables(&self) -> Result<(), ImportError> {
        let rows = self.rows("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")?;
        match rows.first().and_then(|r| r.first()) {
            Some(Value::Int(0)) => Err(ImportError::Source(format!(
                "{} is an SQLite database without any table, not pysogs's ({GIVE})",
                self.path.display()
            ))),
            _ => Ok(()),
        }
    }

    /// Runs `sql` and collects every row.
    pub(crate) fn rows(&self, sql: &str) -> Result<Vec<Vec<Value>>, ImportError> {
        collect(&*self.lock()?, sql).map_err(|e| self.error(e))
    }

    /// Whether `sql` runs; `Err` when the file turns out damaged rather than the SQL wrong.
    pub(crate) fn runs(&self, sql: &str) -> Result<bool, ImportError> {
        match collect(&*self.lock()?, sql) {
            Ok(_) => Ok(true),
            Err(e) if damaged(&e) => Err(self.error(e)),
            Err(_) => Ok(false),
        }
    }

    /// Ends the read transaction.
    pub(crate) fn close(self) {
        if let Ok(conn) = self.conn.into_inner() {
            let _ = conn.execute_batch("COMMIT");
        }
    }

    fn lock(&self) -> Result<MutexGuard<'_, Connection>, ImportError> {
        self.conn
            .lock()
            .map_err(|_| ImportError::Source("source connection poisoned".into()))
    }

    /// A read error, saying plainly when the file is not a database or is damaged.
    fn error(&self, e: rusqlite::Error) -> ImportError {
        let path = self.path.display();
        ImportError::Source(match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase) => {
                format!("{path} is not an SQLite database ({GIVE})")
            }
            Some(ErrorCode::DatabaseCorrupt) => format!(
                "{path} is truncated or corrupt ({e}): copy it again from the stopped pysogs \
                 server, or restore it from a backup"
            ),
            _ => e.to_string(),
        })
    }
}

/// Whether `e` says the file is not a database or is damaged.
fn damaged(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt)
    )
}

/// Runs `sql` and collects every row.
fn collect(conn: &Connection, sql: &str) -> rusqlite::Result<Vec<Vec<Value>>> {
    let mut stmt = conn.prepare(sql)?;
    let width = stmt.column_count();
    let mut rows = stmt.query([])?;
    let mut all = Vec::new();
    while let Some(row) = rows.next()? {
        let mut values = Vec::with_capacity(width);
        for i in 0..width {
            values.push(convert(row.get_ref(i)?));
        }
        all.push(values);
    }
    Ok(all)
}

fn convert(value: ValueRef<'_>) -> Value {
    match value {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(f) => Value::Float(f),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}
