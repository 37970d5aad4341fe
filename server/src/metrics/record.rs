//! The recording points: one function per event, each a cheap no-op while metrics are off.

use std::sync::OnceLock;
use std::time::Duration;

use metrics::{
    Counter, counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram,
};

use super::enabled;

/// Describes every metric (HELP lines); called once when the recorder is installed.
pub(super) fn describe() {
    describe_counter!(
        "sogs_requests_total",
        "API requests by route pattern, method, status"
    );
    describe_histogram!(
        "sogs_request_duration_seconds",
        metrics::Unit::Seconds,
        "API request handling time by route pattern"
    );
    describe_counter!(
        "sogs_requests_authenticated_total",
        "Requests by authentication kind (signed or anonymous)"
    );
    describe_counter!("sogs_onion_requests_total", "Onion requests by version");
    describe_gauge!(
        "sogs_db_pool_connections",
        "Database pool connections by state"
    );
    describe_histogram!(
        "sogs_db_pool_acquire_seconds",
        metrics::Unit::Seconds,
        "Wait for a pooled database connection, by path (nonces, posts, activity, probe)"
    );
    describe_counter!("sogs_posts_total", "Messages posted");
    describe_counter!(
        "sogs_posts_rate_limited_total",
        "Posts refused by the rate limit"
    );
    describe_counter!("sogs_posts_filtered_total", "Posts caught by a filter");
    describe_counter!("sogs_uploads_total", "Files uploaded");
    describe_counter!("sogs_upload_bytes_total", "Bytes of uploaded files");
    describe_counter!("sogs_direct_messages_total", "Direct messages sent");
    describe_gauge!("sogs_room_active_users", "Recently active users per room");
    describe_counter!("sogs_cleanup_runs_total", "Cleanup passes completed");
    describe_counter!(
        "sogs_cleanup_removed_total",
        "Rows removed or applied by cleanup"
    );
}

/// A request authenticated (`signed`) or not.
pub fn authenticated(signed: bool) {
    static SIGNED: OnceLock<Counter> = OnceLock::new();
    static ANONYMOUS: OnceLock<Counter> = OnceLock::new();
    if !enabled() {
        return;
    }
    let (cell, kind) = match signed {
        true => (&SIGNED, "signed"),
        false => (&ANONYMOUS, "anonymous"),
    };
    cell.get_or_init(|| counter!("sogs_requests_authenticated_total", "kind" => kind))
        .increment(1);
}

/// An onion request of `version` (`"v3"` or `"v4"`).
pub fn onion_request(version: &'static str) {
    static V3: OnceLock<Counter> = OnceLock::new();
    static V4: OnceLock<Counter> = OnceLock::new();
    if !enabled() {
        return;
    }
    let cell = if version == "v3" { &V3 } else { &V4 };
    cell.get_or_init(|| counter!("sogs_onion_requests_total", "version" => version))
        .increment(1);
}

/// Time spent waiting for a pooled connection on `path` (a batched writer or the scrape probe).
pub fn pool_acquired(path: &'static str, waited: Duration) {
    if enabled() {
        histogram!("sogs_db_pool_acquire_seconds", "path" => path).record(waited.as_secs_f64());
    }
}

/// A post committed.
pub fn post() {
    if enabled() {
        counter!("sogs_posts_total").increment(1);
    }
}

/// A post refused by the rate limit.
pub fn post_rate_limited() {
    if enabled() {
        counter!("sogs_posts_rate_limited_total").increment(1);
    }
}

/// A post caught by filter `filter` (`"profanity"`, `"alphabet"`).
pub fn post_filtered(filter: &'static str) {
    if enabled() {
        counter!("sogs_posts_filtered_total", "filter" => filter).increment(1);
    }
}

/// A file of `bytes` bytes stored.
pub fn upload(bytes: usize) {
    if enabled() {
        counter!("sogs_uploads_total").increment(1);
        counter!("sogs_upload_bytes_total").increment(bytes as u64);
    }
}

/// A direct message stored.
pub fn direct_message() {
    if enabled() {
        counter!("sogs_direct_messages_total").increment(1);
    }
}

/// A completed cleanup pass and what it removed.
pub fn cleanup(counts: &crate::cleanup::Counts) {
    if !enabled() {
        return;
    }
    counter!("sogs_cleanup_runs_total").increment(1);
    let removed = [
        ("files", counts.files),
        ("direct_messages", counts.direct_messages),
        ("message_history", counts.message_history),
        ("room_activity", counts.room_activity),
        ("permission_updates", counts.permission_updates),
        ("nonces", counts.nonces),
        ("expired_messages", counts.expired_messages),
    ];
    for (what, n) in removed {
        counter!("sogs_cleanup_removed_total", "what" => what).increment(n);
    }
}

/// Refreshes the scrape-time gauges: the pool's connections and each room's active users.
pub(super) async fn refresh(state: &crate::state::AppState) {
    if let Ok(probe) = crate::storage::acquire(&state.db, "probe").await {
        drop(probe);
    }
    let size = f64::from(state.db.size());
    let idle = state.db.num_idle() as f64;
    gauge!("sogs_db_pool_connections", "state" => "in_use").set((size - idle).max(0.0));
    gauge!("sogs_db_pool_connections", "state" => "idle").set(idle);
    match crate::storage::rooms::list_all(&state.db).await {
        Ok(rooms) => {
            for room in rooms {
                let (key, value) = room_label(&room);
                gauge!("sogs_room_active_users", key => value).set(room.active_users as f64);
            }
        }
        Err(e) => tracing::warn!(error = %e, "metrics: rooms not read"),
    }
}

/// The label naming `room` in metrics: `room="<token>"` for a room everyone may read, and
/// `room_id="<id>"` for any other, whose token is a join handle that must not leak through
/// the metrics listener.
fn room_label(room: &crate::domain::room::Room) -> (&'static str, String) {
    match room.defaults.read {
        true => ("room", room.token.clone()),
        false => ("room_id", room.id.to_string()),
    }
}
