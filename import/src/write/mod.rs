//! Copying rows: one [`Import`] impl per pysogs table (checks against what was read before,
//! then one compile-checked insert), and the driver that pages through each table in
//! dependency order.

mod inbox;
mod messages;
mod rooms;
mod users;

use sqlx::PgConnection;

use super::check::Known;
use super::source::tables::{self, Table};
use super::source::{Pages, Source};
use super::summary::{Kind, Summary};
use super::{Env, ImportError, Progress};

/// What to do with a row that passed its checks.
pub(crate) enum Verdict {
    /// Copy it.
    Write,
    /// Leave it out, for this reason (counted in the summary).
    Skip(&'static str),
}

/// A pysogs table copied into ours.
pub(crate) trait Import: Table {
    /// Its kind in the summary.
    const KIND: Kind;
    /// Checks the row against the rows read before; records what later tables refer to.
    fn check(&self, known: &mut Known, env: &Env) -> Result<Verdict, ImportError>;
    /// Inserts the row (never called in a dry run).
    async fn write(&self, tx: &mut PgConnection, env: &Env) -> Result<(), ImportError>;
    /// Upload bytes this row carries.
    fn bytes(&self) -> u64 {
        0
    }
}

/// Wraps a failed insert with the kind of row.
pub(crate) fn failed(kind: Kind) -> impl FnOnce(sqlx::Error) -> ImportError {
    move |source| ImportError::Write {
        what: kind.label(),
        source,
    }
}

/// Checks that every table and column the importer reads exists in the source.
pub(crate) async fn probe_all(source: &Source) -> Result<(), ImportError> {
    source.probe::<tables::UserRow>().await?;
    source.probe::<tables::RoomRow>().await?;
    source.probe::<tables::MessageRow>().await?;
    source.probe::<tables::HistoryRow>().await?;
    source.probe::<tables::ReactionRow>().await?;
    source.probe::<tables::ReactorRow>().await?;
    source.probe::<tables::FileRow>().await?;
    source.probe::<tables::PinRow>().await?;
    source.probe::<tables::OverrideRow>().await?;
    source.probe::<tables::PermFutureRow>().await?;
    source.probe::<tables::BanFutureRow>().await?;
    source.probe::<tables::RoomUserRow>().await?;
    source.probe::<tables::NeedsBlindingRow>().await?;
    source.probe::<tables::InboxRow>().await?;
    source.probe::<tables::NonceRow>().await
}

/// Source rows we have nowhere to put: the id maps pysogs kept for rooms imported from its
/// 0.1.x predecessor (old message and file ids in legacy URLs).
pub(crate) async fn not_carried_over(source: &Source) -> Result<Vec<String>, ImportError> {
    let mut notes = Vec::new();
    for (table, what) in [
        (
            "room_import_hacks",
            "message id offsets of rooms imported from SOGS 0.1.x",
        ),
        (
            "file_id_hacks",
            "file id map of rooms imported from SOGS 0.1.x",
        ),
    ] {
        if source
            .runs(&format!("SELECT COUNT(*) FROM {table}"))
            .await?
        {
            let n = source.count_table(table).await?;
            if n > 0 {
                notes.push(format!(
                    "{table}: {n} rows ({what}; legacy 0.1.x clients' old ids stop resolving)"
                ));
            }
        }
    }
    Ok(notes)
}

/// Copies every table, parents before children.
pub(crate) async fn copy_all(
    source: &Source,
    tx: &mut PgConnection,
    env: &Env,
    known: &mut Known,
    summary: &mut Summary,
    progress: &dyn Progress,
) -> Result<(), ImportError> {
    let mut run = Run {
        source,
        tx,
        env,
        known,
        summary,
        progress,
    };
    run.copy::<tables::UserRow>().await?;
    run.copy::<tables::RoomRow>().await?;
    run.copy::<tables::MessageRow>().await?;
    run.copy::<tables::HistoryRow>().await?;
    run.copy::<tables::ReactionRow>().await?;
    run.copy::<tables::ReactorRow>().await?;
    run.copy::<tables::FileRow>().await?;
    run.copy::<tables::PinRow>().await?;
    run.copy::<tables::OverrideRow>().await?;
    run.copy::<tables::PermFutureRow>().await?;
    run.copy::<tables::BanFutureRow>().await?;
    run.copy::<tables::RoomUserRow>().await?;
    run.copy::<tables::NeedsBlindingRow>().await?;
    run.copy::<tables::InboxRow>().await?;
    run.copy::<tables::NonceRow>().await
}

struct Run<'a> {
    source: &'a Source,
    tx: &'a mut PgConnection,
    env: &'a Env,
    known: &'a mut Known,
    summary: &'a mut Summary,
    progress: &'a dyn Progress,
}

impl Run<'_> {
    /// Pages through one table: check, write, count.
    async fn copy<T: Import>(&mut self) -> Result<(), ImportError> {
        let total = self.source.count::<T>().await?;
        self.progress.stage(T::KIND.label(), total);
        self.summary.entry(T::KIND).source = total;
        let mut pages = Pages::<T>::new();
        while let Some(page) = pages.next(self.source).await? {
            let n = page.len() as u64;
            for row in page {
                self.one(row).await?;
            }
            self.progress.advance(n);
        }
        self.progress.finish_stage();
        Ok(())
    }

    async fn one<T: Import>(&mut self, row: T) -> Result<(), ImportError> {
        match row.check(self.known, self.env)? {
            Verdict::Write => {
                if !self.env.dry_run {
                    row.write(self.tx, self.env).await?;
                }
                self.summary.entry(T::KIND).written += 1;
                self.summary.file_bytes += row.bytes();
            }
            Verdict::Skip(reason) => {
                *self
                    .summary
                    .entry(T::KIND)
                    .skipped
                    .entry(reason)
                    .or_default() += 1;
            }
        }
        Ok(())
    }
}
