//! Checks on setting values that their types cannot express; each error names the key.

use super::{ConfigError, Settings};

impl Settings {
    pub(super) fn validate(&self) -> Result<(), ConfigError> {
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
        let metrics = self.metrics.listen.trim();
        if !metrics.is_empty() && metrics.parse::<std::net::SocketAddr>().is_err() {
            return Err(value_error(
                "metrics.listen",
                "must be empty or an address:port such as 127.0.0.1:9090",
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
            (
                "direct_messages.rate_limit_secs",
                self.direct_messages.rate_limit_secs,
            ),
        ] {
            if !(days.is_finite() && days > 0.0) {
                return Err(value_error(key, "must be a positive number"));
            }
        }
        if !(self.server.body_timeout_secs.is_finite() && self.server.body_timeout_secs > 0.0) {
            return Err(value_error(
                "server.body_timeout_secs",
                "must be a positive number",
            ));
        }
        for (key, secs) in [
            ("server.send_timeout_secs", self.server.send_timeout_secs),
            ("db.acquire_timeout_secs", self.db.acquire_timeout_secs),
            ("db.statement_timeout_secs", self.db.statement_timeout_secs),
        ] {
            if !(secs.is_finite() && secs > 0.0) {
                return Err(value_error(key, "must be a positive number"));
            }
        }
        if self.messages.max_size_bytes == 0 {
            return Err(value_error("messages.max_size_bytes", "must be at least 1"));
        }
        if !(self.db.connect_retry_secs.is_finite() && self.db.connect_retry_secs >= 0.0) {
            return Err(value_error(
                "db.connect_retry_secs",
                "must be 0 or a positive number",
            ));
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
            if overrides.retention_days.is_some_and(|d| !valid_days(d)) {
                return Err(value_error(
                    "room.*.retention_days",
                    "must be 0 (forever) or a positive number of days",
                ));
            }
        }
        if !valid_days(self.messages.retention_days) {
            return Err(value_error(
                "messages.retention_days",
                "must be 0 (forever) or a positive number of days",
            ));
        }
        Ok(())
    }
}

/// A day count where 0 means "forever": finite and not negative.
fn valid_days(days: f64) -> bool {
    days.is_finite() && days >= 0.0
}

fn value_error(key: &'static str, reason: &str) -> ConfigError {
    ConfigError::Value {
        key,
        reason: reason.to_owned(),
    }
}
