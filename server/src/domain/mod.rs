//! Domain types and rules: no SQL, no HTTP.

pub mod filename;
pub mod filter;
pub mod listing;
pub mod message;
pub mod moderation;
pub mod overrides;
pub mod permissions;
pub mod rate_limit;
pub mod room;
pub mod user;
