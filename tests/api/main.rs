//! End-to-end API tests: real server, real PostgreSQL, one database per test.
#![expect(
    clippy::unwrap_used,
    reason = "tests: a failed step must abort the test loudly"
)]

mod admin_cli;
mod admin_moderation;
mod auth;
mod auth_malformed;
mod batch;
mod caches;
mod cleanup;
mod client_cli;
mod client_error_logs;
mod client_groups_attach;
mod client_restore;
mod client_senders;
mod delete_all;
mod dm;
mod files;
mod filter_replies;
mod filters;
mod general;
mod group_commit;
mod hardening;
mod import_pysogs;
mod messages;
mod metrics;
mod moderation;
mod multi_process;
mod onion;
mod permissions;
mod pins;
mod reactions;
mod retention;
mod room_info;
mod rooms;
mod schema;
mod server_process;
mod web;
