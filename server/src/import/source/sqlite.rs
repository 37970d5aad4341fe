//! The SQLite backend of the source: a read-only connection holding one read transaction.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, OpenFlags};

use super::super::ImportError;
use super::value::Value;

/// A pysogs `sogs.db`, opened read-only.
pub(crate) struct SqliteSource {
    conn: Mutex<Connection>,
}

fn source_error(e: impl std::fmt::Display) -> ImportError {
    ImportError::Source(e.to_string())
}

impl SqliteSource {
    /// Opens `path` read-only and starts a read transaction (one consistent snapshot).
    pub(crate) fn open(path: &Path) -> Result<Self, ImportError> {
        if !path.is_file() {
            return Err(ImportError::Source(format!(
                "{} is not a file (give the path of sogs.db or a postgresql:// URL)",
                path.display()
            )));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| ImportError::Source(format!("{}: {e}", path.display())))?;
        conn.execute_batch("BEGIN").map_err(source_error)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    /// Runs `sql` and collects every row.
    pub(crate) fn rows(&self, sql: &str) -> Result<Vec<Vec<Value>>, ImportError> {
        let conn = self
            .conn
            .lock()
            .map_err(|_| ImportError::Source("source connection poisoned".into()))?;
        let mut stmt = conn.prepare(sql).map_err(source_error)?;
        let width = stmt.column_count();
        let mut rows = stmt.query([]).map_err(source_error)?;
        let mut all = Vec::new();
        while let Some(row) = rows.next().map_err(source_error)? {
            let mut values = Vec::with_capacity(width);
            for i in 0..width {
                values.push(convert(row.get_ref(i).map_err(source_error)?));
            }
            all.push(values);
        }
        Ok(all)
    }

    /// Ends the read transaction.
    pub(crate) fn close(self) {
        if let Ok(conn) = self.conn.into_inner() {
            let _ = conn.execute_batch("COMMIT");
        }
    }
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
