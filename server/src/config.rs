//! Settings: built-in defaults, then a TOML file, then `SOGS__…` environment variables, then flags.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

use crate::domain::filter::Alphabet;

/// The annotated default configuration, printed by `sogs-server default-config`.
pub const DEFAULT_CONFIG_TOML: &str = include_str!("../../sogs.example.toml");

/// Every setting of the server and the admin tool.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Where the server listens and how it is reached.
    pub server: ServerSettings,
    /// Which PostgreSQL to use and how.
    pub db: DbSettings,
    /// User identity rules.
    pub users: UserSettings,
    /// Room activity windows.
    pub rooms: RoomSettings,
    /// Posting rules.
    pub messages: MessageSettings,
    /// Uploaded files.
    pub files: FileSettings,
    /// Blinded direct messages.
    pub direct_messages: DmSettings,
    /// Per-room overrides, `[room.TOKEN]` (token compared case-insensitively).
    pub room: BTreeMap<String, RoomOverrides>,
    /// Logging.
    pub log: LogSettings,
    /// The background cleanup task.
    pub cleanup: CleanupSettings,
}

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
}

impl Default for DmSettings {
    fn default() -> Self {
        Self {
            expiry_days: 15.0,
            refuse_from_banned: true,
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
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
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
        }
    }
}

impl Default for DbSettings {
    fn default() -> Self {
        Self {
            url: String::new(),
            max_connections: 20,
            auto_migrate: true,
        }
    }
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

/// Values given on the command line; they win over the file and the environment.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct CommandLineOverrides {
    /// Configuration file (TOML); also `SOGS_CONFIG`.
    #[arg(long, env = "SOGS_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Directory for the server key and the managed PostgreSQL cluster.
    #[arg(long, global = true)]
    pub data_dir: Option<PathBuf>,
    /// PostgreSQL URL to use instead of the managed cluster.
    #[arg(long, global = true)]
    pub database_url: Option<String>,
}

/// Why the configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The named configuration file does not exist.
    #[error("configuration file {0} does not exist")]
    MissingFile(PathBuf),
    /// A key is unknown or a value has the wrong type.
    #[error("invalid configuration: {0}")]
    Invalid(#[from] Box<figment::Error>),
    /// A value has the right type but is not acceptable.
    #[error("invalid configuration: {key}: {reason}")]
    Value {
        /// Dotted key, e.g. `server.base_url`.
        key: &'static str,
        /// What is wrong with it.
        reason: String,
    },
}

impl Settings {
    /// Loads defaults, the TOML file, `SOGS__` environment variables and the overrides, in that order.
    pub fn load(
        cli: &CommandLineOverrides,
        extra: &[(&'static str, String)],
    ) -> Result<Self, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        if let Some(path) = &cli.config {
            if !path.is_file() {
                return Err(ConfigError::MissingFile(path.clone()));
            }
            figment = figment.merge(Toml::file(path));
        }
        figment = figment.merge(Env::prefixed("SOGS__").split("__"));
        if let Some(dir) = &cli.data_dir {
            figment = figment.merge(("server.data_dir", dir));
        }
        if let Some(url) = &cli.database_url {
            figment = figment.merge(("db.url", url));
        }
        for (key, value) in extra {
            figment = figment.merge((*key, value));
        }
        let settings: Settings = figment.extract().map_err(Box::new)?;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let base = &self.server.base_url;
        if !(base.is_empty() || base.starts_with("http://") || base.starts_with("https://")) {
            return Err(value_error(
                "server.base_url",
                "must start with http:// or https://",
            ));
        }
        if !self.db.url.is_empty() && !self.db.url.starts_with("postgres") {
            return Err(value_error(
                "db.url",
                "must be a postgres:// or postgresql:// URL",
            ));
        }
        if self.db.max_connections == 0 {
            return Err(value_error("db.max_connections", "must be at least 1"));
        }
        if self
            .log
            .level
            .parse::<tracing_subscriber::EnvFilter>()
            .is_err()
        {
            return Err(value_error("log.level", "is not a valid log filter"));
        }
        for (key, days) in [
            (
                "rooms.active_threshold_days",
                self.rooms.active_threshold_days,
            ),
            (
                "rooms.active_prune_threshold_days",
                self.rooms.active_prune_threshold_days,
            ),
            ("messages.rate_limit_secs", self.messages.rate_limit_secs),
            (
                "direct_messages.expiry_days",
                self.direct_messages.expiry_days,
            ),
        ] {
            if !(days.is_finite() && days > 0.0) {
                return Err(value_error(key, "must be a positive number"));
            }
        }
        if !(self.files.expiry_days.is_finite() && self.files.expiry_days >= 0.0) {
            return Err(value_error(
                "files.expiry_days",
                "must be 0 (never) or a positive number of days",
            ));
        }
        for (token, overrides) in &self.room {
            if sogs_protocol::ids::RoomToken::parse(token).is_err() {
                return Err(value_error(
                    "room",
                    &format!("[room.{token}]: not a valid room token"),
                ));
            }
            if overrides
                .rate_limit_secs
                .is_some_and(|s| !(s.is_finite() && s > 0.0))
            {
                return Err(value_error(
                    "room.*.rate_limit_secs",
                    "must be a positive number",
                ));
            }
        }
        Ok(())
    }

    fn overrides_for(&self, token: &str) -> Option<&RoomOverrides> {
        self.room
            .iter()
            .find(|(t, _)| t.eq_ignore_ascii_case(token))
            .map(|(_, o)| o)
    }

    /// The filters of a room: the `[messages]` settings with the room's overrides applied.
    pub fn filters_for(&self, token: &str) -> RoomFilters {
        let m = &self.messages;
        let o = self.overrides_for(token);
        RoomFilters {
            profanity: o
                .and_then(|o| o.profanity_filter)
                .unwrap_or(m.profanity_filter),
            profanity_silent: o
                .and_then(|o| o.profanity_silent)
                .unwrap_or(m.profanity_silent),
            alphabets: o
                .and_then(|o| o.alphabet_filters.clone())
                .unwrap_or_else(|| m.alphabet_filters.clone()),
            alphabet_silent: m.alphabet_silent,
            filter_mods: m.filter_mods,
        }
    }

    /// The post rate limit of a room: `(posts, seconds)`; 0 posts means no limit.
    pub fn rate_limit_for(&self, token: &str) -> (u32, f64) {
        let overrides = self.overrides_for(token);
        (
            overrides
                .and_then(|o| o.rate_limit_posts)
                .unwrap_or(self.messages.rate_limit_posts),
            overrides
                .and_then(|o| o.rate_limit_secs)
                .unwrap_or(self.messages.rate_limit_secs),
        )
    }

    /// When an attachment attached now expires (`None`: never).
    pub fn attachment_expiry(&self, now: f64) -> Option<f64> {
        (self.files.expiry_days > 0.0).then_some(now + self.files.expiry_days * 86400.0)
    }

    /// The public base URL, without a trailing slash.
    pub fn base_url(&self) -> String {
        if self.server.base_url.is_empty() {
            format!("http://{}", self.server.listen)
        } else {
            self.server.base_url.trim_end_matches('/').to_owned()
        }
    }

    /// The directory holding the key file and the managed cluster.
    pub fn data_dir(&self) -> &Path {
        &self.server.data_dir
    }
}

fn value_error(key: &'static str, reason: &str) -> ConfigError {
    ConfigError::Value {
        key,
        reason: reason.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_file_parses_to_the_defaults() {
        let parsed: Settings = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::string(DEFAULT_CONFIG_TOML))
            .extract()
            .unwrap();
        assert_eq!(parsed, Settings::default());
    }

    #[test]
    fn an_unknown_key_is_named_in_the_error() {
        let err = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::string("[server]\nlisten_port = 5\n"))
            .extract::<Settings>()
            .unwrap_err();
        assert!(err.to_string().contains("listen_port"), "{err}");
    }

    #[test]
    fn an_unknown_alphabet_is_refused_naming_it() {
        let err = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::string(
                "[messages]\nalphabet_filters = [\"russian\"]\n",
            ))
            .extract::<Settings>()
            .unwrap_err();
        assert!(err.to_string().contains("russian"), "{err}");
    }

    #[test]
    fn room_overrides_apply_case_insensitively() {
        let settings: Settings = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::string(
                "[room.Lobby]\nrate_limit_posts = 9\nprofanity_filter = true\n",
            ))
            .extract()
            .unwrap();
        assert_eq!(settings.rate_limit_for("lobby"), (9, 16.0));
        assert!(settings.filters_for("LOBBY").profanity);
        assert!(!settings.filters_for("other").profanity);
    }

    #[test]
    fn a_bad_base_url_is_refused() {
        let mut s = Settings::default();
        s.server.base_url = "ftp://x".into();
        assert!(
            s.validate()
                .unwrap_err()
                .to_string()
                .contains("server.base_url")
        );
    }
}
