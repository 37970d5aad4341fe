//! Hostile input and resource limits (the "Hardening" issue): NUL bytes, byte-exact data,
//! value limits, DM limits, batch nesting and budgets, body limits and timeouts, outages.

mod bodies;
mod input;
mod message_size;
mod outage;
