//! The PostgreSQL backend of the source: one connection in a read-only repeatable-read
//! transaction, queried with runtime SQL (the source schema is not ours, so no macros).

use sqlx::postgres::{PgConnection, PgRow};
use sqlx::{Column, Connection, Row, TypeInfo, ValueRef};
use tokio::sync::Mutex;

use super::super::ImportError;
use super::value::Value;

/// A pysogs PostgreSQL database.
pub(crate) struct PgSource {
    conn: Mutex<PgConnection>,
}

fn source_error(e: impl std::fmt::Display) -> ImportError {
    ImportError::Source(e.to_string())
}

impl PgSource {
    /// Connects to `url` and starts a read-only snapshot.
    pub(crate) async fn open(url: &str) -> Result<Self, ImportError> {
        let mut conn = PgConnection::connect(url).await.map_err(source_error)?;
        sqlx::raw_sql("begin isolation level repeatable read read only")
            .execute(&mut conn)
            .await
            .map_err(source_error)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    /// Runs `sql` and collects every row.
    pub(crate) async fn rows(&self, sql: &str) -> Result<Vec<Vec<Value>>, ImportError> {
        let mut conn = self.conn.lock().await;
        // `sqlx::query` with a runtime string: the pysogs schema is not known at compile time.
        // One-off statements (each page differs): not kept prepared.
        let rows = sqlx::query(sql)
            .persistent(false)
            .fetch_all(&mut *conn)
            .await
            .map_err(source_error)?;
        rows.iter().map(convert_row).collect()
    }

    /// Whether `sql` runs; a failure is rolled back to a savepoint so the snapshot survives.
    pub(crate) async fn runs(&self, sql: &str) -> bool {
        let mut conn = self.conn.lock().await;
        if sqlx::raw_sql("savepoint probe")
            .execute(&mut *conn)
            .await
            .is_err()
        {
            return false;
        }
        let ok = sqlx::query(sql)
            .persistent(false)
            .fetch_all(&mut *conn)
            .await
            .is_ok();
        let undo = if ok {
            "release savepoint probe"
        } else {
            "rollback to savepoint probe"
        };
        let undone = sqlx::raw_sql(undo).execute(&mut *conn).await.is_ok();
        ok && undone
    }

    /// Ends the snapshot and disconnects.
    pub(crate) async fn close(self) {
        let mut conn = self.conn.into_inner();
        let _ = sqlx::raw_sql("rollback").execute(&mut conn).await;
        let _ = conn.close().await;
    }
}

fn convert_row(row: &PgRow) -> Result<Vec<Value>, ImportError> {
    (0..row.columns().len()).map(|i| convert(row, i)).collect()
}

fn convert(row: &PgRow, i: usize) -> Result<Value, ImportError> {
    let raw = row.try_get_raw(i).map_err(source_error)?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    let type_name = raw.type_info().name().to_owned();
    let value = match type_name.as_str() {
        "INT8" => Value::Int(row.try_get::<i64, _>(i).map_err(source_error)?),
        "INT4" => Value::Int(row.try_get::<i32, _>(i).map_err(source_error)?.into()),
        "INT2" => Value::Int(row.try_get::<i16, _>(i).map_err(source_error)?.into()),
        "FLOAT8" => Value::Float(row.try_get::<f64, _>(i).map_err(source_error)?),
        "FLOAT4" => Value::Float(row.try_get::<f32, _>(i).map_err(source_error)?.into()),
        "BOOL" => Value::Bool(row.try_get::<bool, _>(i).map_err(source_error)?),
        "BYTEA" => Value::Blob(row.try_get::<Vec<u8>, _>(i).map_err(source_error)?),
        "TEXT" | "VARCHAR" | "BPCHAR" | "NAME" => {
            Value::Text(row.try_get::<String, _>(i).map_err(source_error)?)
        }
        other => {
            let column = row.columns()[i].name().to_owned();
            return Err(ImportError::Schema(format!(
                "column {column} has unexpected type {other}"
            )));
        }
    };
    Ok(value)
}
