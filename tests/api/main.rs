//! End-to-end API tests: real server, real PostgreSQL, one database per test.

mod admin_cli;
mod auth;
mod auth_malformed;
mod batch;
mod general;
mod rooms;
mod server_process;
