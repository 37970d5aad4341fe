//! The sections of the settings file (`[server]`, `[db]`, `[messages]`, …) and their defaults.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::domain::filter::Alphabet;

/// `[cleanup]`: the background task that applies scheduled changes and prunes old rows.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct CleanupSettings {
    /// Seconds between two passes.
    pub interval_secs: f64,
    /// Edit history older than this many days is deleted.
    pub history_prune_days: f64,
}

impl Default for CleanupSettings {
    fn default() -> Self {
        Self {
            interval_secs: 10.0,
            history_prune_days: 30.0,
        }
    }
}

/// `[messages]`: posting rules.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct MessageSettings {
    /// Posts allowed per user and room within `rate_limit_secs` (0 disables the limit; admins
    /// are always exempt).
    pub rate_limit_posts: u32,
    /// The rate-limit window in seconds.
    pub rate_limit_secs: f64,
    /// Refuse posts whose body or display name contains a word of the profanity list.
    pub profanity_filter: bool,
    /// Quarantine filtered posts silently (the poster sees success) instead of answering 429.
    pub profanity_silent: bool,
    /// A file of extra words or phrases (one per line) for the profanity filter.
    pub profanity_custom: String,
    /// Refuse posts with characters of these scripts: `persian`, `arabic`, `cyrillic`.
    pub alphabet_filters: Vec<Alphabet>,
    /// Quarantine alphabet-filtered posts silently instead of answering 429.
    pub alphabet_silent: bool,
    /// Apply the filters to moderators too.
    pub filter_mods: bool,
    /// Days a message is kept before the cleanup deletes it (pinned ones excepted); 0 keeps
    /// messages forever.
    pub retention_days: f64,
    /// Largest message `data` a post or an edit may carry, in bytes once base64-decoded (413
    /// above it), however the request arrives (direct, `/batch`, `/sequence`, onion).
    pub max_size_bytes: usize,
}

/// The filters in force in one room.
#[derive(Debug, Clone, PartialEq)]
pub struct RoomFilters {
    /// Profanity filter on.
    pub profanity: bool,
    /// Profanity hits are quarantined silently.
    pub profanity_silent: bool,
    /// Refused scripts.
    pub alphabets: Vec<Alphabet>,
    /// Alphabet hits are quarantined silently.
    pub alphabet_silent: bool,
    /// Moderators are filtered too.
    pub filter_mods: bool,
}

/// `[files]`: uploads.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct FileSettings {
    /// Days an attachment lives after it is attached to a post (0 = forever).
    pub expiry_days: f64,
    /// Largest accepted upload, in bytes (413 above it).
    pub max_size_bytes: usize,
}

/// `[direct_messages]`: the blinded inbox.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct DmSettings {
    /// Days a direct message is kept.
    pub expiry_days: f64,
    /// Refuse DMs from senders banned in any room (global bans are refused at authentication).
    pub refuse_from_banned: bool,
    /// Largest accepted message, in bytes once base64-decoded (413 above it).
    pub max_size_bytes: usize,
    /// DMs one sender may send within `rate_limit_secs` (0 disables the limit); 429 past it.
    pub rate_limit_messages: u32,
    /// The rate-limit window in seconds.
    pub rate_limit_secs: f64,
}

impl Default for DmSettings {
    fn default() -> Self {
        Self {
            expiry_days: 15.0,
            refuse_from_banned: true,
            max_size_bytes: 65_536,
            rate_limit_messages: 30,
            rate_limit_secs: 60.0,
        }
    }
}

/// `[room.TOKEN]`: settings for one room that override the global ones.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RoomOverrides {
    /// Overrides `messages.rate_limit_posts`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit_posts: Option<u32>,
    /// Overrides `messages.rate_limit_secs`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit_secs: Option<f64>,
    /// Overrides `messages.profanity_filter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profanity_filter: Option<bool>,
    /// Overrides `messages.profanity_silent`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profanity_silent: Option<bool>,
    /// Overrides `messages.alphabet_filters`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alphabet_filters: Option<Vec<Alphabet>>,
    /// Overrides `messages.retention_days`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention_days: Option<f64>,
    /// `[room.TOKEN.filter_reply.KIND]`: overrides `[filter_reply.KIND]` field by field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filter_reply: Option<FilterReplies>,
}

/// `[filter_reply]`: the automatic reply posted when a filter catches a post, per filter.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct FilterReplies {
    /// `[filter_reply.profanity]`: reply to posts caught by the profanity filter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profanity: Option<FilterReply>,
    /// `[filter_reply.alphabet]`: reply to posts caught by an alphabet filter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alphabet: Option<FilterReply>,
}

/// One filter's reply settings; unset fields fall back to the global section, then defaults.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct FilterReply {
    /// The reply; `\p` becomes the poster's display name (or id), `\r` the room name, `\\` a
    /// backslash. No text: no reply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The display name the reply is posted under (default `SOGS`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile_name: Option<String>,
    /// Post the reply for everyone (`true`) or whisper it to the poster and the moderators
    /// (`false`, the default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public: Option<bool>,
}

impl Default for MessageSettings {
    fn default() -> Self {
        Self {
            rate_limit_posts: 5,
            rate_limit_secs: 16.0,
            profanity_filter: false,
            profanity_silent: true,
            profanity_custom: String::new(),
            alphabet_filters: Vec::new(),
            alphabet_silent: true,
            filter_mods: false,
            retention_days: 0.0,
            max_size_bytes: 64 * 1024,
        }
    }
}

impl Default for FileSettings {
    fn default() -> Self {
        Self {
            expiry_days: 15.0,
            max_size_bytes: 10_000_000,
        }
    }
}

/// `[server]`: listening address, public URL and data directory.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ServerSettings {
    /// Address and port the HTTP server binds to.
    pub listen: SocketAddr,
    /// Public base URL used in join links; empty means `http://<listen>`.
    pub base_url: String,
    /// Directory holding the server key and, when managed, the PostgreSQL cluster.
    pub data_dir: PathBuf,
    /// Largest accepted request body, in bytes: onion requests and permitted uploads.
    pub max_body_bytes: usize,
    /// Largest body of any other request (posts, DMs, moderation), in bytes.
    pub body_limit_bytes: usize,
    /// Largest body of a `/batch` or `/sequence` request, in bytes.
    pub batch_body_limit_bytes: usize,
    /// Most body bytes (files included) one `/batch` or `/sequence` answer carries; elements
    /// that would go past it answer 413.
    pub batch_response_limit_bytes: usize,
    /// Seconds a client has to send its whole request body (408 and the connection closed after).
    pub body_timeout_secs: f64,
    /// Bytes of request bodies the process holds in memory at once, across all connections
    /// (every body is unauthenticated while it arrives); a body that does not fit is refused
    /// with 503 and `Retry-After`. 0: no budget.
    pub unauthenticated_body_budget_bytes: usize,
    /// Fewest bytes per second a body must keep arriving at, measured over 5-second windows
    /// after the first (408 and the connection closed below it). 0: no minimum.
    pub min_body_rate_bytes_per_sec: usize,
    /// Seconds an answer may make no progress because the client does not read it before the
    /// connection is closed and the answer freed (the kernel's `TCP_USER_TIMEOUT`).
    pub send_timeout_secs: f64,
    /// Bytes of answers the process holds in memory at once, across all connections; an
    /// answer that does not fit is replaced by 503 with `Retry-After`. 0: no budget.
    pub answer_budget_bytes: usize,
    /// Milliseconds of work one `/batch` or `/sequence` may use; elements not started by
    /// then are not executed and answer 503 saying so.
    pub batch_time_budget_ms: u64,
    /// Keep rooms, permissions, users and recent messages in memory (invalidated by
    /// PostgreSQL notifications); off, every request reads the database.
    pub memory_caches: bool,
    /// Pending connections the kernel queues before the server accepts them.
    pub listen_backlog: u32,
    /// Most concurrent client connections (lowered to fit the open-file limit).
    pub max_connections: usize,
}

/// `[db]`: the database.
#[derive(Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct DbSettings {
    /// PostgreSQL URL; empty means a PostgreSQL cluster managed in `<data_dir>/pg`.
    pub url: String,
    /// Size of the connection pool.
    pub max_connections: u32,
    /// Run pending migrations at start-up.
    pub auto_migrate: bool,
    /// Seconds a request waits for a pool connection before it is answered 503.
    pub acquire_timeout_secs: f64,
    /// PostgreSQL's `statement_timeout` on every pooled connection, in seconds; also the most
    /// a request waits for the database before it is answered 503 (a frozen or partitioned
    /// database cannot enforce its own timeout).
    pub statement_timeout_secs: f64,
    /// Seconds start-up keeps retrying an unreachable database before giving up.
    pub connect_retry_secs: f64,
}

/// `[users]`: identity rules.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct UserSettings {
    /// Refuse unblinded (`00…`) authentication and advertise the `blind` capability.
    pub require_blind_keys: bool,
}

/// `[rooms]`: activity accounting.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct RoomSettings {
    /// A user counts as active in a room for this many days after their last poll.
    pub active_threshold_days: f64,
    /// Activity rows older than this many days are deleted.
    pub active_prune_threshold_days: f64,
}

/// `[web]`: the server-rendered pages for people with a browser (`/`, `/r/TOKEN/`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct WebSettings {
    /// Serve the list of public rooms at `/` (404 when off).
    pub show_index: bool,
    /// Show a public room's most recent messages on its page.
    pub show_recent: bool,
}

impl Default for WebSettings {
    fn default() -> Self {
        Self {
            show_index: true,
            show_recent: true,
        }
    }
}

/// `[metrics]`: Prometheus metrics on a separate listener, off the public port
/// (docs/OPERATIONS.md, "Metrics").
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsSettings {
    /// Address serving `GET /metrics` (`127.0.0.1:9090` by default); empty turns
    /// metrics off. When the address cannot be bound, the server warns and serves without
    /// metrics.
    pub listen: String,
}

/// The default metrics address: loopback only.
const DEFAULT_METRICS_LISTEN: &str = "127.0.0.1:9090";

impl Default for MetricsSettings {
    fn default() -> Self {
        Self {
            listen: DEFAULT_METRICS_LISTEN.to_owned(),
        }
    }
}

/// `[log]`: logging output.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct LogSettings {
    /// A `tracing` filter such as `info` or `sogs_server=debug,info`.
    pub level: String,
    /// `pretty` for people, `json` for log collectors.
    pub format: LogFormat,
}

/// Log line format.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Pretty,
    /// One JSON object per line.
    Json,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 3000)),
            base_url: String::new(),
            data_dir: PathBuf::from("sogs-data"),
            max_body_bytes: 10 * 1024 * 1024 + 64 * 1024,
            body_limit_bytes: 128 * 1024,
            batch_body_limit_bytes: 1024 * 1024,
            batch_response_limit_bytes: 16 * 1024 * 1024,
            body_timeout_secs: 30.0,
            unauthenticated_body_budget_bytes: 256 * 1024 * 1024,
            min_body_rate_bytes_per_sec: 16 * 1024,
            send_timeout_secs: 20.0,
            answer_budget_bytes: 256 * 1024 * 1024,
            batch_time_budget_ms: 1_000,
            memory_caches: true,
            listen_backlog: 1024,
            max_connections: 10_000,
        }
    }
}

impl Default for DbSettings {
    fn default() -> Self {
        Self {
            url: String::new(),
            max_connections: 20,
            auto_migrate: true,
            acquire_timeout_secs: 3.0,
            statement_timeout_secs: 5.0,
            connect_retry_secs: 60.0,
        }
    }
}

impl DbSettings {
    /// `acquire_timeout_secs` as a duration.
    pub fn acquire_timeout(&self) -> std::time::Duration {
        seconds(self.acquire_timeout_secs)
    }

    /// `statement_timeout_secs` as a duration.
    pub fn statement_timeout(&self) -> std::time::Duration {
        seconds(self.statement_timeout_secs)
    }
}

/// A validated (positive, finite) number of seconds as a duration; one too large to represent
/// is the longest duration.
fn seconds(secs: f64) -> std::time::Duration {
    std::time::Duration::try_from_secs_f64(secs).unwrap_or(std::time::Duration::MAX)
}

impl std::fmt::Debug for DbSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let url = if self.url.is_empty() {
            "(managed)"
        } else {
            "(redacted)"
        };
        f.debug_struct("DbSettings")
            .field("url", &url)
            .field("max_connections", &self.max_connections)
            .field("auto_migrate", &self.auto_migrate)
            .field("acquire_timeout_secs", &self.acquire_timeout_secs)
            .field("statement_timeout_secs", &self.statement_timeout_secs)
            .field("connect_retry_secs", &self.connect_retry_secs)
            .finish()
    }
}

impl Default for UserSettings {
    fn default() -> Self {
        Self {
            require_blind_keys: true,
        }
    }
}

impl Default for RoomSettings {
    fn default() -> Self {
        Self {
            active_threshold_days: 7.0,
            active_prune_threshold_days: 60.0,
        }
    }
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            level: "info".into(),
            format: LogFormat::Pretty,
        }
    }
}
