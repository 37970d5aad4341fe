//! A database outage on demand: a TCP proxy in front of a test database's Unix socket that the
//! test can cut (connections refused, open ones dropped) and restore on the same port, or
//! freeze (connections stay open but no byte goes through, as when PostgreSQL is stopped with
//! SIGSTOP or the network is partitioned) and thaw.

use std::path::PathBuf;
use std::time::Duration;

use sogs_server::config::DbSettings;
use sqlx::PgPool;
use sqlx::postgres::PgConnectOptions;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UnixStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::TestDatabase;

/// A proxy from `127.0.0.1:<port>` to the test cluster's socket.
pub struct DbProxy {
    port: u16,
    socket: PathBuf,
    accepting: Option<JoinHandle<()>>,
    /// `true` while frozen; every connection's forwarding waits on it.
    frozen: watch::Sender<bool>,
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
            frozen: watch::Sender::new(false),
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

    /// The database stops answering without going away: connections (open and new) stay open
    /// but nothing is forwarded in either direction until [`Self::thaw`].
    pub fn freeze(&self) {
        self.frozen.send_replace(true);
    }

    /// Forwarding resumes, with the bytes held during the freeze.
    pub fn thaw(&self) {
        self.frozen.send_replace(false);
    }

    fn serve(&mut self, listener: TcpListener) {
        let socket = self.socket.clone();
        let frozen = self.frozen.clone();
        self.accepting = Some(tokio::spawn(async move {
            // Connection tasks live in this set: aborting the accept task drops them all.
            let mut connections = tokio::task::JoinSet::new();
            while let Ok((client, _)) = listener.accept().await {
                connections.spawn(pipe(client, socket.clone(), frozen.subscribe()));
            }
        }));
    }
}

impl Drop for DbProxy {
    fn drop(&mut self) {
        self.cut();
    }
}

async fn pipe(client: TcpStream, socket: PathBuf, frozen: watch::Receiver<bool>) {
    let Ok(server) = UnixStream::connect(&socket).await else {
        return;
    };
    let (from_client, to_client) = client.into_split();
    let (from_server, to_server) = server.into_split();
    // Either direction ending (a side closed) ends the connection.
    tokio::select! {
        () = forward(from_client, to_server, frozen.clone()) => {}
        () = forward(from_server, to_client, frozen) => {}
    }
}

/// Copies `from` to `to`, holding what it read while the proxy is frozen.
async fn forward(
    mut from: impl AsyncRead + Unpin,
    mut to: impl AsyncWrite + Unpin,
    mut frozen: watch::Receiver<bool>,
) {
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        if frozen.wait_for(|frozen| !*frozen).await.is_err() {
            return;
        }
        if to.write_all(&buffer[..n]).await.is_err() {
            return;
        }
    }
}
