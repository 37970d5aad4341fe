//! Prometheus metrics: a process-wide `metrics` recorder (installed once, on the first server
//! built with `[metrics] listen` set) and a separate listener serving `GET /metrics`.
//!
//! Every recording function in [`record`] first checks [`enabled`] (one atomic load), so with
//! metrics off nothing is allocated or looked up. The recorder is global to the process: tests
//! that run several servers in one process share it, and a second install is a no-op.

mod exporter;
pub mod record;
mod routes;

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

pub use exporter::MetricsServer;
pub use record::*;
pub use routes::RouteMetrics;

/// Bucket bounds (seconds) of the latency histograms.
const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// How often histogram samples are folded into the buckets when nobody scrapes.
const UPKEEP_INTERVAL: Duration = Duration::from_secs(5);

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Whether a recorder is installed (metrics are on in this process).
#[inline]
pub fn enabled() -> bool {
    matches!(HANDLE.get(), Some(Some(_)))
}

/// Installs the Prometheus recorder once per process and returns its handle; `None` when it
/// cannot be installed (another recorder is already global), which is logged once.
pub fn install() -> Option<&'static PrometheusHandle> {
    HANDLE.get_or_init(build_and_install).as_ref()
}

fn build_and_install() -> Option<PrometheusHandle> {
    let builder = match PrometheusBuilder::new()
        .set_buckets_for_metric(Matcher::Suffix("_seconds".to_owned()), LATENCY_BUCKETS)
    {
        Ok(builder) => builder,
        Err(e) => {
            tracing::warn!(error = %e, "metrics disabled: bad histogram buckets");
            return None;
        }
    };
    let recorder = builder.build_recorder();
    let handle = recorder.handle();
    if let Err(e) = metrics::set_global_recorder(recorder) {
        tracing::warn!(error = %e, "metrics disabled: a metrics recorder is already installed");
        return None;
    }
    record::describe();
    let upkeep = handle.clone();
    let spawned = std::thread::Builder::new()
        .name("sogs-metrics-upkeep".to_owned())
        .spawn(move || {
            loop {
                std::thread::sleep(UPKEEP_INTERVAL);
                upkeep.run_upkeep();
            }
        });
    if let Err(e) = spawned {
        tracing::warn!(error = %e, "metrics upkeep thread not started; scrapes still fold samples");
    }
    Some(handle)
}
