//! `sogs-bench`: micro-benchmarks of the crypto the hot path runs, and a load generator of
//! signed (or anonymous) requests against a running server. See docs/PERFORMANCE.md.

mod load;
mod slow;
mod storm;
mod verify;

use clap::Parser;

/// Benchmarks for sogs-server.
#[derive(Debug, Parser)]
#[command(version, about)]
enum Command {
    /// Signature verifications (and full X-SOGS header checks) per second, one core.
    Verify(verify::Opts),
    /// Concurrent clients sending requests to a running server; reports throughput and latency.
    Load(load::Opts),
    /// Uploads one file of the given size to the room (for the download benchmark).
    Upload(load::UploadOpts),
    /// Holds many slow-body connections while measuring /capabilities and a signed poll.
    SlowBodies(slow::Opts),
    /// Keeps worst-case /batch requests running while measuring /capabilities latency.
    BatchStorm(storm::Opts),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Command::parse() {
        Command::Verify(opts) => verify::run(&opts),
        Command::Load(opts) => load::run(opts).await,
        Command::Upload(opts) => load::upload(opts).await,
        Command::SlowBodies(opts) => slow::run(opts).await,
        Command::BatchStorm(opts) => storm::run(opts).await,
    }
}
