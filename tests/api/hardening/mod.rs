//! Hostile input and resource limits (the "Hardening" issue): NUL bytes, byte-exact data,
//! value limits, DM and message size limits, batch nesting and budgets, body limits and
//! timeouts, outages and a frozen database.

mod batches;
mod bodies;
mod freeze;
mod input;
mod memory;
mod message_size;
mod outage;
