//! `sogs-admin import-pysogs`: arguments, the progress bar and the summary; the import itself
//! is `sogs_import`.

use std::cell::RefCell;
use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Context as _;
use indicatif::{ProgressBar, ProgressStyle};
use sogs_import::key::{self, KeyInstalled};
use sogs_import::{ImportOptions, Progress};
use sogs_server::config::{CommandLineOverrides, Settings};
use sogs_server::storage::Database;

/// Move a whole session-pysogs instance (database, uploads, key) into a new, empty database.
///
/// Stop pysogs first. Ids, seqnos, timestamps and permissions are kept, and the key is
/// installed as this server's key, so existing join URLs keep working. Runs once, in one
/// transaction: on any error nothing is written.
#[derive(Debug, clap::Args)]
#[command(after_help = "See docs/OPERATIONS.md, \"Importing from session-pysogs\".")]
pub(crate) struct Opts {
    /// The pysogs database: the path of sogs.db, or a postgresql:// URL.
    #[arg(long, value_name = "PATH|URL")]
    from: String,
    /// The pysogs uploads directory (its `uploads` setting); only regular files inside it are
    /// read, symbolic links leading out of it are refused.
    #[arg(long, value_name = "DIR")]
    uploads: PathBuf,
    /// The pysogs key file (`key_x25519`).
    #[arg(long, value_name = "FILE")]
    key: PathBuf,
    /// Read and check everything and print the summary, writing nothing.
    #[arg(long)]
    dry_run: bool,
}

/// Runs the import on the database the settings name (migrating it first).
pub(crate) async fn run(opts: Opts, cli: &CommandLineOverrides) -> anyhow::Result<()> {
    let key = key::read(&opts.key).context("reading --key")?;
    anyhow::ensure!(
        opts.uploads.is_dir(),
        "--uploads {} is not a directory",
        opts.uploads.display()
    );
    let settings = Settings::load(cli, &[])?;
    let data_dir = settings.data_dir().to_path_buf();
    std::fs::create_dir_all(&data_dir)
        .with_context(|| format!("cannot create data directory {}", data_dir.display()))?;
    let options = ImportOptions {
        from: opts.from,
        uploads: opts.uploads,
        key,
        dry_run: opts.dry_run,
    };
    let db = Database::open_for_maintenance(&settings).await?;
    let outcome = import(&db, &options).await;
    db.close()
        .await
        .context("stopping the managed PostgreSQL cluster")?;
    let summary = outcome?;
    println!("{summary}");
    if options.dry_run {
        println!("dry run: nothing was written");
        return Ok(());
    }
    report_key(key::install(&data_dir, &key)?, &data_dir);
    println!("import complete: start sogs-server with pysogs's base URL");
    Ok(())
}

async fn import(db: &Database, options: &ImportOptions) -> anyhow::Result<sogs_import::Summary> {
    db.migrate().await?;
    let progress = Bars::default();
    let summary = sogs_import::run(db.pool(), options, &progress).await;
    progress.finish_stage();
    Ok(summary?)
}

fn report_key(installed: KeyInstalled, data_dir: &std::path::Path) {
    let path = data_dir.join(sogs_server::keys::KEY_FILE);
    match installed {
        KeyInstalled::Written => println!("server key written to {}", path.display()),
        KeyInstalled::Unchanged => println!("server key already in place: {}", path.display()),
        KeyInstalled::Replaced { backup } => println!(
            "server key replaced in {}; the previous key is kept in {}",
            path.display(),
            backup.display()
        ),
    }
}

/// One progress bar per stage on a terminal; a line per stage otherwise.
#[derive(Default)]
struct Bars {
    bar: RefCell<Option<ProgressBar>>,
}

impl Progress for Bars {
    fn stage(&self, name: &str, total: u64) {
        if !std::io::stderr().is_terminal() {
            eprintln!("{name}: {total}");
            return;
        }
        let bar = ProgressBar::new(total);
        if let Ok(style) = ProgressStyle::with_template("{msg:>22} [{bar:40}] {pos}/{len} {eta}") {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(name.to_owned());
        *self.bar.borrow_mut() = Some(bar);
    }

    fn advance(&self, n: u64) {
        if let Some(bar) = self.bar.borrow().as_ref() {
            bar.inc(n);
        }
    }

    fn finish_stage(&self) {
        if let Some(bar) = self.bar.borrow_mut().take() {
            bar.finish();
        }
    }
}
