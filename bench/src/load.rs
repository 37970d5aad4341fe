//! A load generator: N concurrent clients, each with its own identity, sending one kind of
//! request for a fixed time against a running server; reports requests per second and latency
//! percentiles. Every signed request carries a fresh nonce, as real clients' do.

use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;
use sogs_client::{Client, Signer};
use sogs_protocol::ids::ServerPubkey;
use sogs_protocol::signing::AuthScheme;

/// Options of `sogs-bench load`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Opts {
    /// Server base URL.
    #[arg(long, default_value = "http://127.0.0.1:3000")]
    server: String,
    /// Server public key (hex), as in the room URL.
    #[arg(long)]
    pubkey: String,
    /// Room token.
    #[arg(long, default_value = "bench")]
    room: String,
    /// What each client sends.
    #[arg(long, value_enum, default_value_t = Mode::Poll)]
    mode: Mode,
    /// Concurrent clients.
    #[arg(long, default_value_t = 100)]
    clients: usize,
    /// Seconds to run (after a one-second warm-up).
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Pace each client to one request per this many milliseconds (0: as fast as it can).
    /// Session clients poll every 10 s; pacing measures latency at a sustainable rate.
    #[arg(long, default_value_t = 0)]
    interval_ms: u64,
    /// The seqno polls start from (set from the room: a poller that is nearly caught up).
    #[arg(skip)]
    since: i64,
}

/// The room's current message sequence, so polls ask for the last couple of updates only.
async fn current_sequence(http: &reqwest::Client, opts: &Opts) -> anyhow::Result<i64> {
    let room: serde_json::Value = Client::with_http(&opts.server, http.clone())
        .get_json(&format!("/room/{}", opts.room))
        .await?;
    Ok(room["message_sequence"].as_i64().unwrap_or(0))
}

/// Options of `sogs-bench upload`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct UploadOpts {
    /// Server base URL.
    #[arg(long, default_value = "http://127.0.0.1:3000")]
    server: String,
    /// Server public key (hex).
    #[arg(long)]
    pubkey: String,
    /// Room token.
    #[arg(long, default_value = "bench")]
    room: String,
    /// File size in bytes.
    #[arg(long, default_value_t = 10_000_000)]
    bytes: usize,
}

/// Uploads one file of `bytes` bytes and prints its id.
pub(crate) async fn upload(opts: UploadOpts) -> anyhow::Result<()> {
    let signer = Signer::new(
        [200; 32],
        AuthScheme::Blind15,
        ServerPubkey::parse(&opts.pubkey)?,
    );
    let client = Client::new(&opts.server).signed(signer);
    let content: Vec<u8> = (0..opts.bytes).map(|i| (i % 251) as u8).collect();
    let resp = client
        .request(
            Method::POST,
            &format!("/room/{}/file", opts.room),
            &[],
            Some(content),
        )
        .await?;
    anyhow::ensure!(
        resp.status == 201,
        "upload failed: {} {}",
        resp.status,
        resp.text()
    );
    println!("{}", resp.json::<serde_json::Value>()?["id"]);
    Ok(())
}

/// The request each client repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Mode {
    /// Signed `GET /room/{room}/messages/since/{n}?t=r&reactors=5` (the poll hot path).
    Poll,
    /// The same poll, anonymous.
    AnonPoll,
    /// Signed `GET /room/{room}` (authentication plus one room query).
    Room,
    /// Signed `POST /room/{room}/message` (rate limit off in the bench room's config).
    Post,
    /// Signed `GET /room/{room}/file/{id}` of the largest file in the room.
    Download,
}

/// Runs the load and prints the summary.
pub(crate) async fn run(opts: Opts) -> anyhow::Result<()> {
    let server_pk = ServerPubkey::parse(&opts.pubkey)?;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(opts.clients)
        .build()?;
    let deadline = Instant::now() + Duration::from_secs(opts.seconds + 1);
    let measure_from = Instant::now() + Duration::from_secs(1);
    let since = current_sequence(&http, &opts).await?.saturating_sub(2);
    let opts = Arc::new(Opts { since, ..opts });
    let tasks: Vec<_> = (0..opts.clients)
        .map(|i| {
            let client = client_for(&opts, &http, server_pk, i);
            let opts = Arc::clone(&opts);
            tokio::spawn(async move { one_client(client, opts, measure_from, deadline).await })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = 0usize;
    for task in tasks {
        let (lat, err) = task.await?;
        latencies.extend(lat);
        errors += err;
    }
    report(&opts, latencies, errors);
    Ok(())
}

fn client_for(
    opts: &Opts,
    http: &reqwest::Client,
    server_pk: ServerPubkey,
    index: usize,
) -> Client {
    let client = Client::with_http(&opts.server, http.clone());
    if opts.mode == Mode::AnonPoll {
        return client;
    }
    let mut seed = [0u8; 32];
    seed[..8].copy_from_slice(&(index as u64 + 1).to_le_bytes());
    client.signed(Signer::new(seed, AuthScheme::Blind15, server_pk))
}

async fn one_client(
    client: Client,
    opts: Arc<Opts>,
    measure_from: Instant,
    deadline: Instant,
) -> (Vec<Duration>, usize) {
    let mut latencies = Vec::new();
    let mut errors = 0;
    let mut counter = 0u64;
    let interval = Duration::from_millis(opts.interval_ms);
    // Spread paced clients over the interval so they do not fire in lockstep.
    tokio::time::sleep(interval.mul_f64(fastrand_fraction(counter_seed(&client)))).await;
    while Instant::now() < deadline {
        counter += 1;
        let start = Instant::now();
        let ok = send_one(&client, &opts, counter).await;
        if start >= measure_from {
            latencies.push(start.elapsed());
            errors += usize::from(!ok);
        }
        if let Some(rest) = interval.checked_sub(start.elapsed()) {
            tokio::time::sleep(rest).await;
        }
    }
    (latencies, errors)
}

async fn send_one(client: &Client, opts: &Opts, counter: u64) -> bool {
    // Polls ask for the last two updates: what a caught-up Session client gets.
    let room = &opts.room;
    let result = match opts.mode {
        Mode::Poll | Mode::AnonPoll => {
            client
                .get(&format!(
                    "/room/{room}/messages/since/{}?t=r&reactors=5",
                    opts.since
                ))
                .await
        }
        Mode::Room => client.get(&format!("/room/{room}")).await,
        Mode::Post => {
            let data = format!("bench message {counter}").into_bytes();
            client.post_message(room, &data, json!({})).await
        }
        Mode::Download => {
            client
                .request(Method::GET, &format!("/room/{room}/file/1"), &[], None)
                .await
        }
    };
    matches!(result, Ok(r) if (200..300).contains(&r.status))
}

/// A per-client number to spread start times (the signer's id, or 0 for anonymous clients).
fn counter_seed(client: &Client) -> u64 {
    client.signer().map_or(0, |s| {
        s.id()
            .bytes()
            .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)))
    })
}

fn fastrand_fraction(seed: u64) -> f64 {
    (seed % 10_000) as f64 / 10_000.0
}

fn report(opts: &Opts, mut latencies: Vec<Duration>, errors: usize) {
    latencies.sort();
    let n = latencies.len();
    let pct = |p: f64| {
        latencies
            .get(((n as f64 * p) as usize).min(n.saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    println!(
        "{:?}: {} clients (interval {} ms), {} s: {} requests, {:.0} req/s, {} errors; latency p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        opts.mode,
        opts.clients,
        opts.interval_ms,
        opts.seconds,
        n,
        n as f64 / opts.seconds as f64,
        errors,
        ms(pct(0.50)),
        ms(pct(0.90)),
        ms(pct(0.99)),
        ms(latencies.last().copied().unwrap_or_default()),
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
