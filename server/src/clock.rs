//! The server's one clock: seconds since the epoch as a float, the unit of every timestamp it stores.

/// Seconds since the epoch, as a float.
pub fn unix_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}
