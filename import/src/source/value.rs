//! One cell of a source row, the same for both backends, and a reader that takes the cells
//! of a row in column order with the types the importer expects.

use super::super::ImportError;

/// A value as read from SQLite or PostgreSQL.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    Null,
    Int(i64),
    Float(f64),
    Bool(bool),
    Text(String),
    Blob(Vec<u8>),
}

/// Reads one row's cells in order; errors name the table and column.
pub(crate) struct RowReader {
    table: &'static str,
    columns: Vec<&'static str>,
    values: std::vec::IntoIter<Value>,
    at: usize,
}

impl RowReader {
    /// A reader over `values`, whose names are the comma-separated `columns`.
    pub(crate) fn new(table: &'static str, columns: &'static str, values: Vec<Value>) -> Self {
        Self {
            table,
            columns: columns.split(',').map(str::trim).collect(),
            values: values.into_iter(),
            at: 0,
        }
    }

    fn next(&mut self) -> (Value, &'static str) {
        let name = self.columns.get(self.at).copied().unwrap_or("?");
        self.at += 1;
        (self.values.next().unwrap_or(Value::Null), name)
    }

    fn bad(&self, column: &str, want: &str, got: &Value) -> ImportError {
        ImportError::Schema(format!(
            "{}.{column}: expected {want}, found {got:?}",
            self.table
        ))
    }

    /// An integer that may be NULL.
    pub(crate) fn opt_i64(&mut self) -> Result<Option<i64>, ImportError> {
        match self.next() {
            (Value::Null, _) => Ok(None),
            (Value::Int(v), _) => Ok(Some(v)),
            (Value::Bool(b), _) => Ok(Some(i64::from(b))),
            (other, column) => Err(self.bad(column, "an integer", &other)),
        }
    }

    /// A number (integer or float) that may be NULL.
    pub(crate) fn opt_f64(&mut self) -> Result<Option<f64>, ImportError> {
        match self.next() {
            (Value::Null, _) => Ok(None),
            (Value::Float(v), _) => Ok(Some(v)),
            (Value::Int(v), _) => Ok(Some(v as f64)),
            (other, column) => Err(self.bad(column, "a number", &other)),
        }
    }

    /// A boolean (SQLite stores 0/1) that may be NULL.
    pub(crate) fn opt_bool(&mut self) -> Result<Option<bool>, ImportError> {
        match self.next() {
            (Value::Null, _) => Ok(None),
            (Value::Bool(b), _) => Ok(Some(b)),
            (Value::Int(v), _) => Ok(Some(v != 0)),
            (other, column) => Err(self.bad(column, "a boolean", &other)),
        }
    }

    /// Text that may be NULL.
    pub(crate) fn opt_text(&mut self) -> Result<Option<String>, ImportError> {
        match self.next() {
            (Value::Null, _) => Ok(None),
            (Value::Text(s), _) => Ok(Some(s)),
            (Value::Blob(b), column) => String::from_utf8(b)
                .map(Some)
                .map_err(|_| ImportError::Schema(format!("{}.{column}: not UTF-8", self.table))),
            (other, column) => Err(self.bad(column, "text", &other)),
        }
    }

    /// Bytes (a BLOB, or text taken as its UTF-8 bytes) that may be NULL.
    pub(crate) fn opt_bytes(&mut self) -> Result<Option<Vec<u8>>, ImportError> {
        match self.next() {
            (Value::Null, _) => Ok(None),
            (Value::Blob(b), _) => Ok(Some(b)),
            (Value::Text(s), _) => Ok(Some(s.into_bytes())),
            (other, column) => Err(self.bad(column, "bytes", &other)),
        }
    }

    fn required<T>(&self, value: Option<T>) -> Result<T, ImportError> {
        let column = self.columns.get(self.at - 1).copied().unwrap_or("?");
        value.ok_or_else(|| ImportError::Schema(format!("{}.{column} is NULL", self.table)))
    }

    /// A non-NULL integer.
    pub(crate) fn i64(&mut self) -> Result<i64, ImportError> {
        let v = self.opt_i64()?;
        self.required(v)
    }

    /// A non-NULL number.
    pub(crate) fn f64(&mut self) -> Result<f64, ImportError> {
        let v = self.opt_f64()?;
        self.required(v)
    }

    /// A non-NULL boolean.
    pub(crate) fn bool(&mut self) -> Result<bool, ImportError> {
        let v = self.opt_bool()?;
        self.required(v)
    }

    /// Non-NULL text.
    pub(crate) fn text(&mut self) -> Result<String, ImportError> {
        let v = self.opt_text()?;
        self.required(v)
    }

    /// Non-NULL bytes.
    pub(crate) fn bytes(&mut self) -> Result<Vec<u8>, ImportError> {
        let v = self.opt_bytes()?;
        self.required(v)
    }

    /// Non-NULL bytes from a column pysogs declares TEXT but fills with bytes
    /// (`message_history.data`): a BLOB as is; text in PostgreSQL's `\x…` bytea output form
    /// (what its trigger's implicit bytea-to-text cast stores) decoded from hex.
    pub(crate) fn bytes_in_text(&mut self) -> Result<Vec<u8>, ImportError> {
        match self.next() {
            (Value::Text(s), _) => match s.strip_prefix("\\x").map(hex::decode) {
                Some(Ok(bytes)) => Ok(bytes),
                _ => Ok(s.into_bytes()),
            },
            (Value::Blob(b), _) => Ok(b),
            (other, column) => Err(self.bad(column, "bytes", &other)),
        }
    }
}
