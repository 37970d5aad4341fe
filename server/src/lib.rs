//! Session Community server (SOGS): library behind the `sogs-server` and `sogs-admin` binaries.

pub mod actions;
pub mod auth;
pub mod budget;
pub mod cache;
pub mod cleanup;
pub mod clock;
pub mod config;
pub mod dispatch;
pub mod domain;
pub mod error;
pub mod http;
pub mod keys;
pub mod limits;
pub mod listener;
pub mod metrics;
pub mod startup;
pub mod state;
pub mod storage;
pub mod telemetry;
pub mod web;
pub mod writeback;

/// The schema migrations in `migrations/`, embedded at build time.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");
