//! End-to-end API tests: real server, real PostgreSQL, one database per test.

mod admin_cli;
mod auth;
mod auth_malformed;
mod batch;
mod client_cli;
mod dm;
mod files;
mod general;
mod messages;
mod onion;
mod pins;
mod reactions;
mod room_info;
mod rooms;
mod server_process;
