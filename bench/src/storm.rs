//! `sogs-bench batch-storm`: fills a room with large messages, then keeps several worst-case
//! `/batch` requests running (256 × `messages/recent?limit=256`) while it measures the latency
//! of `/capabilities` on fresh connections, the request everyone else is waiting behind.

use std::time::{Duration, Instant};

use serde_json::json;
use sogs_client::{Client, Signer};
use sogs_protocol::ids::ServerPubkey;
use sogs_protocol::signing::AuthScheme;

/// Options of `sogs-bench batch-storm`.
#[derive(Debug, Clone, clap::Args)]
pub(crate) struct Opts {
    /// Server base URL.
    #[arg(long, default_value = "http://127.0.0.1:3000")]
    server: String,
    /// Server public key (hex).
    #[arg(long)]
    pubkey: String,
    /// Room token (posts must not be rate-limited there).
    #[arg(long, default_value = "bench")]
    room: String,
    /// Messages to post first.
    #[arg(long, default_value_t = 256)]
    messages: usize,
    /// Bytes of data per message.
    #[arg(long, default_value_t = 60_000)]
    message_bytes: usize,
    /// Worst-case batches kept running at once.
    #[arg(long, default_value_t = 4)]
    batches: usize,
    /// Seconds to measure.
    #[arg(long, default_value_t = 20)]
    seconds: u64,
}

/// Seeds the room, runs the storm, prints the batches' times and the probe's latencies.
pub(crate) async fn run(opts: Opts) -> anyhow::Result<()> {
    let pubkey = ServerPubkey::parse(&opts.pubkey)?;
    let poster =
        Client::new(&opts.server).signed(Signer::new([202; 32], AuthScheme::Blind15, pubkey));
    let data = vec![b'm'; opts.message_bytes];
    for _ in 0..opts.messages {
        let resp = poster.post_message(&opts.room, &data, json!({})).await?;
        anyhow::ensure!(
            resp.status == 201,
            "post failed: {} {}",
            resp.status,
            resp.text()
        );
    }
    let until = Instant::now() + Duration::from_secs(opts.seconds);
    let storms: Vec<_> = (0..opts.batches)
        .map(|i| {
            let signer = Signer::new([210 + i as u8; 32], AuthScheme::Blind15, pubkey);
            tokio::spawn(storm(
                Client::new(&opts.server).signed(signer),
                opts.room.clone(),
                until,
            ))
        })
        .collect();
    let probe = tokio::spawn(probe(opts.server.clone(), until));
    let mut batch_ms = Vec::new();
    for storm in storms {
        batch_ms.extend(storm.await??);
    }
    let caps_ms = probe.await??;
    println!(
        "batch-storm: {} batches of 256 × recent?limit=256 in a room of {} × {} B messages",
        opts.batches, opts.messages, opts.message_bytes
    );
    report("batch", batch_ms);
    report("/capabilities (new connection each)", caps_ms);
    Ok(())
}

/// Sends worst-case batches back to back until `until`; each one's time in ms.
async fn storm(client: Client, room: String, until: Instant) -> anyhow::Result<Vec<f64>> {
    let element =
        json!({"method": "GET", "path": format!("/room/{room}/messages/recent?limit=256")});
    let elements = json!(vec![element; 256]);
    let mut times = Vec::new();
    while Instant::now() < until {
        let started = Instant::now();
        let resp = client
            .send_json(reqwest::Method::POST, "/batch", &elements)
            .await?;
        anyhow::ensure!(resp.status == 200, "batch failed: {}", resp.status);
        times.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    Ok(times)
}

/// `/capabilities` every 20 ms on a new connection each time, until `until`.
async fn probe(server: String, until: Instant) -> anyhow::Result<Vec<f64>> {
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut times = Vec::new();
    while Instant::now() < until {
        let client = Client::new(&server);
        let started = Instant::now();
        client.capabilities().await?;
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Ok(times)
}

fn report(what: &str, mut ms: Vec<f64>) {
    ms.sort_by(f64::total_cmp);
    let at = |q: f64| {
        ms.get(((ms.len() as f64 * q) as usize).min(ms.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0.0)
    };
    println!(
        "  {what}: {} samples, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        ms.len(),
        at(0.5),
        at(0.99),
        ms.last().copied().unwrap_or(0.0)
    );
}
