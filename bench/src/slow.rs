//! `sogs-bench slow-bodies`: holds many connections that send a large request body slowly
//! (the slowloris pattern against the endpoint with the largest body limit, onion requests)
//! and, while they are held, measures `/capabilities` and a signed poll. Prints the server's
//! RSS before and during the hold when given its pid.

use std::time::{Duration, Instant};

use sogs_client::{Client, Signer};
use sogs_protocol::ids::ServerPubkey;
use sogs_protocol::signing::AuthScheme;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

/// Options of `sogs-bench slow-bodies`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Opts {
    /// Server address, host:port.
    #[arg(long, default_value = "127.0.0.1:3000")]
    address: String,
    /// Server public key (hex), for the signed poll.
    #[arg(long)]
    pubkey: String,
    /// Room token polled while the connections are held.
    #[arg(long, default_value = "bench")]
    room: String,
    /// Slow connections to hold.
    #[arg(long, default_value_t = 1000)]
    connections: usize,
    /// Bytes each connection sends at once before it slows down.
    #[arg(long, default_value_t = 64 * 1024)]
    burst: usize,
    /// Seconds to hold the connections (one byte per connection every 5 s).
    #[arg(long, default_value_t = 20)]
    seconds: u64,
    /// The server's pid, to report its resident memory.
    #[arg(long)]
    server_pid: Option<u32>,
    /// What the slow bodies are: onion requests, or uploads whose X-SOGS headers claim a
    /// fresh caller but whose signature is forged (it covers another body).
    #[arg(long, value_enum, default_value_t = Kind::Onion)]
    kind: Kind,
}

/// The kind of slow body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Kind {
    /// `POST /oxen/v4/lsrpc` declaring 10 MiB.
    Onion,
    /// `POST /room/<room>/file` declaring 10 MiB, with forged X-SOGS headers.
    Upload,
}

/// Opens the slow connections, probes the server while they are held, prints the results.
pub(crate) async fn run(opts: Opts) -> anyhow::Result<()> {
    let rss_before = opts.server_pid.and_then(rss_kb);
    let until = Instant::now() + Duration::from_secs(opts.seconds);
    let mut held = Vec::with_capacity(opts.connections);
    let pubkey = ServerPubkey::parse(&opts.pubkey)?;
    for i in 0..opts.connections {
        let head = request_head(opts.kind, &opts.room, pubkey, i);
        held.push(tokio::spawn(slow_connection(
            opts.address.clone(),
            head,
            opts.burst,
            until,
        )));
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let client = Client::new(format!("http://{}", opts.address));
    let signer = Signer::new([201; 32], AuthScheme::Blind15, pubkey);
    let signed = client.clone().signed(signer);
    let (mut caps, mut polls) = (Vec::new(), Vec::new());
    while Instant::now() + Duration::from_secs(1) < until {
        caps.push(timed(client.get("/capabilities")).await?);
        polls.push(
            timed(signed.get(&format!("/room/{}/messages/recent?limit=1", opts.room))).await?,
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let rss_during = opts.server_pid.and_then(rss_kb);
    let open = held.iter().filter(|h| !h.is_finished()).count();
    println!(
        "slow-bodies ({:?}): {} connections sending {} B then 1 B/5 s; {open} still open at the end",
        opts.kind, opts.connections, opts.burst
    );
    report("/capabilities", &caps);
    report("signed poll", &polls);
    if let (Some(before), Some(during)) = (rss_before, rss_during) {
        println!("server RSS: {before} kB before, {during} kB while held");
    }
    for h in held {
        h.abort();
    }
    Ok(())
}

/// The request line and headers of one slow body: 10 MiB declared for an onion request, and
/// 10 MB (the default upload limit) for an upload.
fn request_head(kind: Kind, room: &str, pubkey: ServerPubkey, i: usize) -> String {
    const DECLARED: usize = 10 * 1024 * 1024;
    const DECLARED_UPLOAD: usize = 10_000_000;
    match kind {
        Kind::Onion => {
            format!(
                "POST /oxen/v4/lsrpc HTTP/1.1\r\nHost: bench\r\nContent-Length: {DECLARED}\r\n\r\n"
            )
        }
        Kind::Upload => {
            let mut seed = [7u8; 32];
            seed[..8].copy_from_slice(&(i as u64).to_le_bytes());
            let path = format!("/room/{room}/file");
            let signed = Signer::new(seed, AuthScheme::Blind15, pubkey).sign_now(
                "POST",
                &path,
                b"another body",
            );
            let auth: String = signed
                .pairs()
                .iter()
                .map(|(name, value)| format!("{name}: {value}\r\n"))
                .collect();
            format!(
                "POST {path} HTTP/1.1\r\nHost: bench\r\nContent-Length: {DECLARED_UPLOAD}\r\n{auth}\r\n"
            )
        }
    }
}

async fn slow_connection(address: String, head: String, burst: usize, until: Instant) {
    let Ok(mut stream) = TcpStream::connect(&address).await else {
        return;
    };
    if stream.write_all(head.as_bytes()).await.is_err()
        || stream.write_all(&vec![b'x'; burst]).await.is_err()
    {
        return;
    }
    while Instant::now() < until {
        tokio::time::sleep(Duration::from_secs(5)).await;
        if stream.write_all(b"x").await.is_err() {
            return;
        }
    }
}

async fn timed(
    request: impl std::future::Future<Output = Result<sogs_client::Response, sogs_client::ClientError>>,
) -> anyhow::Result<(u16, Duration)> {
    let start = Instant::now();
    let resp = request.await?;
    Ok((resp.status, start.elapsed()))
}

fn report(what: &str, samples: &[(u16, Duration)]) {
    let mut ms: Vec<f64> = samples
        .iter()
        .map(|(_, d)| d.as_secs_f64() * 1000.0)
        .collect();
    ms.sort_by(f64::total_cmp);
    let ok = samples.iter().filter(|(s, _)| *s == 200).count();
    let max = ms.last().copied().unwrap_or(0.0);
    let median = ms.get(ms.len() / 2).copied().unwrap_or(0.0);
    println!(
        "  {what}: {ok}/{} answered 200, median {median:.1} ms, max {max:.1} ms",
        samples.len()
    );
}

fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
