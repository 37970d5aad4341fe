//! A database outage on demand: a TCP proxy in front of a test database's Unix socket that the
//! test can cut (connections refused, open ones dropped) and restore on the same port.

use std::path::PathBuf;
use std::time::Duration;

use sogs_server::config::DbSettings;
use sqlx::PgPool;
use sqlx::postgres::PgConnectOptions;
use tokio::net::{TcpListener, TcpStream, UnixStream};
use tokio::task::JoinHandle;

use crate::TestDatabase;

/// A proxy from `127.0.0.1:<port>` to the test cluster's socket.
pub struct DbProxy {
    port: u16,
    socket: PathBuf,
    accepting: Option<JoinHandle<()>>,
}

impl DbProxy {
    /// Starts proxying to `database`'s cluster.
    pub async fn start(database: &TestDatabase) -> Self {
        let socket_dir = database
            .url
            .split("host=")
            .nth(1)
            .expect("the test URL names its socket directory");
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let port = listener.local_addr().expect("proxy address").port();
        let mut proxy = Self {
            port,
            socket: PathBuf::from(socket_dir).join(".s.PGSQL.5432"),
            accepting: None,
        };
        proxy.serve(listener);
        proxy
    }

    /// A pool through the proxy, sized and timed like the server's (`[db]` settings).
    pub fn pool(&self, database: &TestDatabase, settings: &DbSettings) -> PgPool {
        let options = PgConnectOptions::new()
            .host("127.0.0.1")
            .port(self.port)
            .username(sogs_pgcluster::DB_NAME)
            .database(&database.name);
        sogs_server::storage::pool_options(settings).connect_lazy_with(options)
    }

    /// The database "goes away": new connections are refused and open ones are cut.
    pub fn cut(&mut self) {
        if let Some(accepting) = self.accepting.take() {
            accepting.abort();
        }
    }

    /// The database is back, on the same port.
    pub async fn restore(&mut self) {
        let address = format!("127.0.0.1:{}", self.port);
        let listener = loop {
            match TcpListener::bind(&address).await {
                Ok(listener) => break listener,
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        };
        self.serve(listener);
    }

    fn serve(&mut self, listener: TcpListener) {
        let socket = self.socket.clone();
        self.accepting = Some(tokio::spawn(async move {
            // Connection tasks live in this set: aborting the accept task drops them all.
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((client, _)) = listener.accept().await {
                connections.spawn(pipe(client, socket.clone()));
            }
        }));
    }
}

impl Drop for DbProxy {
    fn drop(&mut self) {
        self.cut();
    }
}

async fn pipe(mut client: TcpStream, socket: PathBuf) {
    if let Ok(mut server) = UnixStream::connect(&socket).await {
        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
    }
}
