//! `sogs-admin migrate`: apply pending migrations (done when the context opens).

use crate::context::Context;

/// Reports that the schema is current; the context applied any pending migration.
pub(crate) async fn run(_ctx: &Context) -> anyhow::Result<()> {
    println!("Database is up to date.");
    Ok(())
}
