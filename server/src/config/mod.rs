//! Settings: built-in defaults, then a TOML file, then `SOGS__…` environment variables, then flags.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

mod sections;
mod validate;

pub use sections::MetricsSettings;
pub use sections::WebSettings;
pub use sections::{
    CleanupSettings, DbSettings, DmSettings, FileSettings, LogFormat, LogSettings, MessageSettings,
    RoomFilters, RoomOverrides, RoomSettings, ServerSettings, UserSettings,
};
pub use sections::{FilterReplies, FilterReply};

/// The annotated default configuration, printed by `sogs-server default-config`.
pub const DEFAULT_CONFIG_TOML: &str = include_str!("../../../sogs.example.toml");

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
    /// Automatic replies to filtered posts: `[filter_reply.profanity]`, `[filter_reply.alphabet]`.
    pub filter_reply: FilterReplies,
    /// The web pages for browsers.
    pub web: WebSettings,
    /// Prometheus metrics (`[metrics]`).
    pub metrics: MetricsSettings,
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

    /// A room's message retention in days (0: forever): `[room.TOKEN] retention_days`, else
    /// `[messages] retention_days`.
    pub fn retention_days_for(&self, token: &str) -> f64 {
        self.overrides_for(token)
            .and_then(|o| o.retention_days)
            .unwrap_or(self.messages.retention_days)
    }

    /// A room's own `[room.TOKEN.filter_reply]` settings, if any.
    pub fn room_filter_reply(&self, token: &str) -> Option<&FilterReplies> {
        self.overrides_for(token)
            .and_then(|o| o.filter_reply.as_ref())
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
    fn metrics_are_on_by_default_on_loopback() {
        assert_eq!(Settings::default().metrics.listen, "127.0.0.1:9090");
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
    fn retention_and_filter_replies_parse_globally_and_per_room() {
        let settings: Settings = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::string(
                "[messages]\nretention_days = 30\n\n\
                 [filter_reply.profanity]\ntext = 'Mind \\r, \\p'\n\n\
                 [room.Lobby]\nretention_days = 0\n\n\
                 [room.Lobby.filter_reply.alphabet]\ntext = 'no'\npublic = true\n",
            ))
            .extract()
            .unwrap();
        assert_eq!(settings.retention_days_for("lobby"), 0.0);
        assert_eq!(settings.retention_days_for("other"), 30.0);
        let text = settings.filter_reply.profanity.clone().and_then(|r| r.text);
        assert_eq!(text.as_deref(), Some(r"Mind \r, \p"));
        let room = settings
            .room_filter_reply("LOBBY")
            .and_then(|r| r.alphabet.clone());
        assert_eq!(room.and_then(|r| r.public), Some(true));
        let mut bad = Settings::default();
        bad.messages.retention_days = -1.0;
        assert!(bad.validate().is_err());
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

    #[test]
    fn a_statement_timeout_that_is_not_positive_or_a_zero_message_cap_is_refused() {
        for secs in [0.0, -1.0, f64::NAN] {
            let mut s = Settings::default();
            s.db.statement_timeout_secs = secs;
            let err = s.validate().unwrap_err().to_string();
            assert!(err.contains("db.statement_timeout_secs"), "{err}");
        }
        let mut s = Settings::default();
        s.messages.max_size_bytes = 0;
        let err = s.validate().unwrap_err().to_string();
        assert!(err.contains("messages.max_size_bytes"), "{err}");
    }
}
