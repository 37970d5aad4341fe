//! Rate limits kept in each process's memory (governor): the direct-message sender limit.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

/// At most `count` events per `window` for each user id, refilled evenly over the window
/// (a burst of `count` is allowed). Counted per process: behind a load balancer with N
/// processes a user may reach N times the limit.
pub struct SenderLimiter(Option<DefaultKeyedRateLimiter<i64>>);

impl std::fmt::Debug for SenderLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("SenderLimiter")
            .field(&self.0.as_ref().map(|l| l.len()))
            .finish()
    }
}

impl SenderLimiter {
    /// A limiter of `count` per `window_secs`; `count = 0` never limits.
    pub fn new(count: u32, window_secs: f64) -> Self {
        let limiter = NonZeroU32::new(count)
            .and_then(|burst| {
                let period = Duration::from_secs_f64(window_secs / f64::from(count));
                Quota::with_period(period).map(|quota| quota.allow_burst(burst))
            })
            .map(RateLimiter::keyed);
        Self(limiter)
    }

    /// Whether `user` may act now (and counts the event when it may).
    pub fn allows(&self, user: i64) -> bool {
        self.0
            .as_ref()
            .is_none_or(|limiter| limiter.check_key(&user).is_ok())
    }

    /// Forgets users whose allowance is full again, so memory follows recent senders only.
    pub fn forget_idle(&self) {
        if let Some(limiter) = &self.0 {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_of_count_passes_then_the_sender_waits() {
        let limiter = SenderLimiter::new(3, 60.0);
        assert!((0..3).all(|_| limiter.allows(7)));
        assert!(!limiter.allows(7));
        assert!(limiter.allows(8), "another sender has their own allowance");
    }

    #[test]
    fn zero_disables_the_limit() {
        let limiter = SenderLimiter::new(0, 60.0);
        assert!((0..1000).all(|_| limiter.allows(1)));
    }
}
