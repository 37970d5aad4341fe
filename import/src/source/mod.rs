//! The pysogs database being imported: a SQLite file (`sogs.db`) or a PostgreSQL URL, read
//! in one consistent snapshot, page by page, into the plain structs of [`tables`].

mod postgres;
mod sqlite;
pub(crate) mod tables;
pub(crate) mod value;

use std::path::Path;

use super::ImportError;
use tables::{Key, Table};
use value::{RowReader, Value};

/// Rows fetched per query.
const PAGE: usize = 500;

/// An open pysogs database, inside a read-only snapshot.
pub(crate) enum Source {
    Sqlite(sqlite::SqliteSource),
    Postgres(postgres::PgSource),
}

impl Source {
    /// Opens `from`: a `postgres://`/`postgresql://` URL, pysogs's `sqlite:///<path>` form of
    /// `[db] url`, or the path of a SQLite file.
    pub(crate) async fn open(from: &str) -> Result<Self, ImportError> {
        if from.starts_with("postgres://") || from.starts_with("postgresql://") {
            return Ok(Self::Postgres(postgres::PgSource::open(from).await?));
        }
        let path = from.strip_prefix("sqlite:///").unwrap_or(from);
        Ok(Self::Sqlite(sqlite::SqliteSource::open(Path::new(path))?))
    }

    /// Runs `sql` (no parameters) and returns every row's values.
    pub(crate) async fn rows(&self, sql: &str) -> Result<Vec<Vec<Value>>, ImportError> {
        match self {
            Self::Sqlite(s) => s.rows(sql),
            Self::Postgres(p) => p.rows(sql).await,
        }
    }

    /// Whether `sql` runs at all (a missing table or column makes it fail); `Err` when the
    /// source turns out unreadable instead.
    pub(crate) async fn runs(&self, sql: &str) -> Result<bool, ImportError> {
        match self {
            Self::Sqlite(s) => s.runs(sql),
            Self::Postgres(p) => Ok(p.runs(sql).await),
        }
    }

    /// The number of rows of `T`'s table.
    pub(crate) async fn count<T: Table>(&self) -> Result<u64, ImportError> {
        self.count_table(T::NAME).await
    }

    /// The number of rows of `table`.
    pub(crate) async fn count_table(&self, table: &str) -> Result<u64, ImportError> {
        let rows = self.rows(&format!("SELECT COUNT(*) FROM {table}")).await?;
        match rows.first().and_then(|r| r.first()) {
            Some(Value::Int(n)) => Ok(u64::try_from(*n).unwrap_or(0)),
            other => Err(ImportError::Source(format!("count of {table}: {other:?}"))),
        }
    }

    /// Checks that `T`'s table has every column the importer reads.
    pub(crate) async fn probe<T: Table>(&self) -> Result<(), ImportError> {
        let sql = format!("SELECT {} FROM {} LIMIT 1", T::COLUMNS, T::NAME);
        if self.runs(&sql).await? {
            return Ok(());
        }
        Err(ImportError::Schema(format!(
            "table {} lacks some of the columns {}: is this a session-pysogs database, \
             migrated by its latest version (start pysogs once, then stop it)?",
            T::NAME,
            T::COLUMNS
        )))
    }

    /// Ends the read snapshot.
    pub(crate) async fn close(self) {
        match self {
            Self::Sqlite(s) => s.close(),
            Self::Postgres(p) => p.close().await,
        }
    }
}

/// Reads one table page by page: by id for tables with one, else by offset in a fixed order.
pub(crate) struct Pages<T> {
    after: i64,
    offset: usize,
    done: bool,
    _rows: std::marker::PhantomData<T>,
}

impl<T: Table> Pages<T> {
    /// From the first row.
    pub(crate) fn new() -> Self {
        Self {
            after: -1,
            offset: 0,
            done: false,
            _rows: std::marker::PhantomData,
        }
    }

    /// The next page, or `None` after the last.
    pub(crate) async fn next(&mut self, source: &Source) -> Result<Option<Vec<T>>, ImportError> {
        if self.done {
            return Ok(None);
        }
        let sql = match T::KEY {
            Key::Id(id) => format!(
                "SELECT {} FROM {} WHERE {id} > {} ORDER BY {id} LIMIT {PAGE}",
                T::COLUMNS,
                T::NAME,
                self.after
            ),
            Key::Order(order) => format!(
                "SELECT {} FROM {} ORDER BY {order} LIMIT {PAGE} OFFSET {}",
                T::COLUMNS,
                T::NAME,
                self.offset
            ),
        };
        let rows = source.rows(&sql).await?;
        self.done = rows.len() < PAGE;
        self.offset += rows.len();
        let page = rows
            .into_iter()
            .map(|values| T::read(&mut RowReader::new(T::NAME, T::COLUMNS, values)))
            .collect::<Result<Vec<T>, _>>()?;
        if let Some(last) = page.last() {
            self.after = last.key();
        }
        Ok((!page.is_empty()).then_some(page))
    }
}
