//! `sogs-bench load`: N concurrent clients sending one kind of request for a fixed time against
//! one or more running servers (client i uses server i mod n); prints one Markdown table row:
//! requests per second, latency percentiles, errors by status, and the CPU split between the
//! servers, PostgreSQL and this load generator. Every signed request carries a fresh nonce.

mod cpu;
mod modes;
mod upload;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use sogs_client::Client;
use sogs_protocol::ids::ServerPubkey;

pub(crate) use modes::Mode;
pub(crate) use upload::{UploadOpts, upload};

/// The header of the rows `load` prints.
const HEADER: &str = "| mode | clients | req/s | p50 ms | p99 ms | errors | CPU server | CPU postgres | CPU bench | CPU other | idle | notes |\n|---|---|---|---|---|---|---|---|---|---|---|---|";

/// Options of `sogs-bench load`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Opts {
    /// Server base URLs, comma-separated; client i uses server i mod n.
    #[arg(long, value_delimiter = ',', default_value = "http://127.0.0.1:3000")]
    server: Vec<String>,
    /// Server public key (hex), as in the room URL.
    #[arg(long)]
    pubkey: String,
    /// Room token.
    #[arg(long, default_value = "bench")]
    room: String,
    /// What each client sends.
    #[arg(long, value_enum, default_value_t = Mode::Poll)]
    mode: Mode,
    /// Concurrent clients (each with its own connection).
    #[arg(long, default_value_t = 100)]
    clients: usize,
    /// Distinct users: client i signs as user i mod this (0: one user per client). Clients
    /// sharing a user still sign every request with a fresh nonce.
    #[arg(long, default_value_t = 400)]
    identities: usize,
    /// Seconds to measure (after a one-second warm-up).
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Pace each client to one request per this many milliseconds (0: as fast as it can).
    /// Session clients poll every 10 s; pacing measures latency at a sustainable rate.
    #[arg(long, default_value_t = 0)]
    interval_ms: u64,
    /// Server pids, comma-separated, for the CPU split (their shares are summed).
    #[arg(long, value_delimiter = ',')]
    server_pid: Vec<u32>,
    /// The PostgreSQL data directory (with `postmaster.pid`): its postmaster and children are
    /// PostgreSQL's share. Without it, every process named `postgres` is.
    #[arg(long)]
    pg_data: Option<PathBuf>,
    /// Print the Markdown table header before the row.
    #[arg(long)]
    header: bool,
}

/// What the clients measured.
#[derive(Debug, Default)]
struct Tally {
    latencies: Vec<Duration>,
    /// Failed requests by kind: `429`, `503`, `batch 404` (a subrequest), `transport`.
    errors: BTreeMap<String, usize>,
}

/// Prepares the mode, runs the load and prints the row.
pub(crate) async fn run(opts: Opts) -> anyhow::Result<()> {
    anyhow::ensure!(!opts.server.is_empty(), "--server: at least one URL");
    let server_pk = ServerPubkey::parse(&opts.pubkey)?;
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(opts.clients)
        .build()?;
    let first = Client::with_http(&opts.server[0], http.clone());
    let prepared = Arc::new(modes::prepare(opts.mode, &opts.room, &first, server_pk).await?);
    let measure_from = Instant::now() + Duration::from_secs(1);
    let deadline = measure_from + Duration::from_secs(opts.seconds);
    let watched = cpu::Watched {
        servers: opts.server_pid.clone(),
        pg_data: opts.pg_data.clone(),
    };
    let cpu_window = tokio::task::spawn_blocking(move || {
        std::thread::sleep(measure_from.saturating_duration_since(Instant::now()));
        let start = watched.sample();
        std::thread::sleep(deadline.saturating_duration_since(Instant::now()));
        cpu::Split::between(&start, &watched.sample())
    });
    let interval = Duration::from_millis(opts.interval_ms);
    let tasks: Vec<_> = (0..opts.clients)
        .map(|i| {
            let client = client_for(&opts, &http, server_pk, i);
            let prepared = Arc::clone(&prepared);
            // Paced clients start spread over the interval so they do not fire in lockstep.
            let offset = interval.mul_f64((i as f64 * 0.618_034).fract());
            tokio::spawn(async move {
                tokio::time::sleep(offset).await;
                one_client(client, &prepared, interval, measure_from, deadline).await
            })
        })
        .collect();
    let mut total = Tally::default();
    for task in tasks {
        let tally = task.await?;
        total.latencies.extend(tally.latencies);
        for (kind, n) in tally.errors {
            *total.errors.entry(kind).or_default() += n;
        }
    }
    let split = cpu_window.await?;
    if opts.header {
        println!("{HEADER}");
    }
    println!("{}", row(&opts, &prepared, total, &split));
    if !split.top_others.is_empty() {
        let named: Vec<String> = split
            .top_others
            .iter()
            .map(|(name, p)| format!("{name} {p:.0} %"))
            .collect();
        eprintln!("  (CPU other, largest: {})", named.join(", "));
    }
    Ok(())
}

fn client_for(
    opts: &Opts,
    http: &reqwest::Client,
    server_pk: ServerPubkey,
    index: usize,
) -> Client {
    let client = Client::with_http(&opts.server[index % opts.server.len()], http.clone());
    if !opts.mode.signed() {
        return client;
    }
    let user = match opts.identities {
        0 => index,
        n => index % n,
    };
    client.signed(modes::identity(user as u64, server_pk))
}

async fn one_client(
    client: Client,
    prepared: &modes::Prepared,
    interval: Duration,
    measure_from: Instant,
    deadline: Instant,
) -> Tally {
    let mut tally = Tally::default();
    let mut counter = 0u64;
    while Instant::now() < deadline {
        counter += 1;
        let start = Instant::now();
        let outcome = modes::send_one(&client, prepared, counter).await;
        if start >= measure_from && start < deadline {
            tally.latencies.push(start.elapsed());
            let kind = match outcome {
                modes::Outcome::Ok => None,
                modes::Outcome::Status(s) => Some(s.to_string()),
                modes::Outcome::SubStatus(s) => Some(format!("batch {s}")),
                modes::Outcome::Transport => Some("transport".to_owned()),
            };
            if let Some(kind) = kind {
                *tally.errors.entry(kind).or_default() += 1;
            }
        }
        if let Some(rest) = interval.checked_sub(start.elapsed()) {
            tokio::time::sleep(rest).await;
        }
    }
    tally
}

fn row(opts: &Opts, prepared: &modes::Prepared, mut tally: Tally, cpu: &cpu::Split) -> String {
    tally.latencies.sort();
    let n = tally.latencies.len();
    let pct = |p: f64| {
        let at = ((n as f64 * p) as usize).min(n.saturating_sub(1));
        ms(tally.latencies.get(at).copied().unwrap_or_default())
    };
    let failed: usize = tally.errors.values().sum();
    let errors = if failed == 0 {
        "0".to_owned()
    } else {
        let kinds: Vec<String> = tally
            .errors
            .iter()
            .map(|(k, n)| format!("{k}×{n}"))
            .collect();
        format!("{failed} ({})", kinds.join(", "))
    };
    let mut notes = vec![
        format!("{} s", opts.seconds),
        format!("{} server(s)", opts.server.len()),
    ];
    if opts.mode.signed() {
        let users = match opts.identities {
            0 => opts.clients,
            u => u.min(opts.clients),
        };
        notes.push(format!("{users} users"));
    }
    if opts.interval_ms > 0 {
        let target = opts.clients as f64 * 1000.0 / opts.interval_ms as f64;
        notes.push(format!(
            "every {} ms per client (target {target:.0}/s)",
            opts.interval_ms
        ));
    }
    if !prepared.note.is_empty() {
        notes.push(prepared.note.clone());
    }
    let mode = clap::ValueEnum::to_possible_value(&opts.mode)
        .map_or_else(|| format!("{:?}", opts.mode), |v| v.get_name().to_owned());
    format!(
        "| {mode} | {} | {:.0} | {:.2} | {:.2} | {errors} | {:.0} % | {:.0} % | {:.0} % | {:.0} % | {:.0} % | {} |",
        opts.clients,
        n as f64 / opts.seconds.max(1) as f64,
        pct(0.50),
        pct(0.99),
        cpu.server,
        cpu.postgres,
        cpu.bench,
        cpu.other,
        cpu.idle,
        notes.join("; "),
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
