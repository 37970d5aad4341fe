//! One temporary PostgreSQL cluster per test process (stopped by a watchdog when the process
//! exits) and one database per test, cloned from a migrated template.

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

use sogs_pgcluster::ManagedCluster;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, PgConnection, PgPool};

const TEMPLATE: &str = "sogs_template";

struct SharedCluster {
    /// As `sogs` (owner of every test database, not a superuser), like the server.
    options: PgConnectOptions,
    /// As the cluster's superuser, for creating databases.
    admin_options: PgConnectOptions,
    socket_dir: String,
}

static CLUSTER: OnceLock<SharedCluster> = OnceLock::new();
static NEXT_DB: AtomicU32 = AtomicU32::new(0);

/// A database of its own for one test.
#[derive(Debug, Clone)]
pub struct TestDatabase {
    /// Its name.
    pub name: String,
    /// A `postgres://` URL reaching it over the cluster's Unix socket.
    pub url: String,
    options: PgConnectOptions,
}

impl TestDatabase {
    /// Creates a new database from the migrated template.
    pub async fn create() -> Self {
        let cluster = shared_cluster();
        let name = format!(
            "t{}_{}",
            std::process::id(),
            NEXT_DB.fetch_add(1, Ordering::SeqCst)
        );
        let mut admin = PgConnection::connect_with(&cluster.admin_options)
            .await
            .expect("connect to the test cluster");
        let sql = format!("create database {name} template {TEMPLATE} owner sogs");
        // Concurrent clones of one template can collide briefly; retry.
        for attempt in 0.. {
            match sqlx::raw_sql(&sql).execute(&mut admin).await {
                Ok(_) => break,
                Err(_) if attempt < 50 => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                }
                Err(e) => panic!("create test database: {e}"),
            }
        }
        let url = format!(
            "postgres://sogs@localhost/{name}?host={}",
            cluster.socket_dir
        );
        Self {
            options: cluster.options.clone().database(&name),
            name,
            url,
        }
    }

    /// A small pool on this database.
    pub async fn pool(&self) -> PgPool {
        PgPoolOptions::new()
            .max_connections(5)
            .connect_with(self.options.clone())
            .await
            .expect("connect to the test database")
    }
}

fn shared_cluster() -> &'static SharedCluster {
    CLUSTER.get_or_init(|| {
        // Start in a thread of its own: the caller is inside a test's async runtime.
        std::thread::spawn(start_cluster)
            .join()
            .expect("cluster start thread")
    })
}

fn start_cluster() -> SharedCluster {
    let dir = tempfile::Builder::new()
        .prefix("sogs-test-pg-")
        .tempdir_in("/tmp")
        .expect("temp dir")
        .keep();
    let cluster =
        ManagedCluster::start(&dir).unwrap_or_else(|e| panic!("test PostgreSQL cluster: {e}"));
    spawn_watchdog(&dir, cluster.dir());
    let options = cluster.connect_options();
    let admin_options = cluster.admin_connect_options();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(create_template(&options, &admin_options));
    SharedCluster {
        options,
        admin_options,
        socket_dir: cluster.dir().to_string_lossy().into_owned(),
    }
}

/// Creates the template as the superuser, owned by `sogs`, and migrates it as `sogs`.
async fn create_template(options: &PgConnectOptions, admin_options: &PgConnectOptions) {
    let mut admin = PgConnection::connect_with(admin_options)
        .await
        .expect("connect");
    sqlx::raw_sql(&format!("create database {TEMPLATE} owner sogs"))
        .execute(&mut admin)
        .await
        .expect("create template");
    let mut conn = PgConnection::connect_with(&options.clone().database(TEMPLATE))
        .await
        .expect("connect");
    sogs_server::MIGRATOR
        .run(&mut conn)
        .await
        .expect("migrate template");
    conn.close().await.expect("close");
    admin.close().await.expect("close");
}

/// Stops the cluster (fast shutdown) and removes its directory once this test process exits.
#[expect(
    clippy::zombie_processes,
    reason = "the watchdog must outlive this process; it is never waited for"
)]
fn spawn_watchdog(root: &std::path::Path, pg_dir: &std::path::Path) {
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 0.5; done; \
         pm=$(head -1 '{pg}/postmaster.pid' 2>/dev/null); \
         if [ -n \"$pm\" ]; then kill -INT \"$pm\"; while kill -0 \"$pm\" 2>/dev/null; do sleep 0.2; done; fi; \
         rm -rf '{root}'",
        pid = std::process::id(),
        pg = pg_dir.display(),
        root = root.display(),
    );
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("spawn the cluster watchdog");
}
