//! Byte budgets shared by every connection of a process: request bodies being received and
//! answers waiting to be sent are charged here, so that what strangers can make the server
//! hold in memory has one configured bound however many connections they open.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use ::http::StatusCode;

use crate::dispatch::ApiResponse;

/// A server-wide number of bytes that charges may take; a charge gives its bytes back when
/// dropped. Never waits: a charge that does not fit is refused at once.
#[derive(Debug)]
pub struct ByteBudget {
    used: AtomicUsize,
    limit: usize,
}

/// Bytes taken from a [`ByteBudget`], given back when dropped.
#[derive(Debug)]
pub struct Charge {
    budget: Arc<ByteBudget>,
    bytes: usize,
}

impl ByteBudget {
    /// A budget of `limit` bytes; 0 means no limit.
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(Self {
            used: AtomicUsize::new(0),
            limit: if limit == 0 { usize::MAX } else { limit },
        })
    }

    /// Bytes currently charged.
    pub fn used(&self) -> usize {
        self.used.load(Ordering::Relaxed)
    }

    /// Bytes still free.
    pub fn available(&self) -> usize {
        self.limit.saturating_sub(self.used())
    }

    /// An empty charge, to grow with [`Charge::grow`].
    pub fn empty(self: &Arc<Self>) -> Charge {
        Charge {
            budget: Arc::clone(self),
            bytes: 0,
        }
    }

    /// Takes `bytes`, or nothing (and `None`) when they do not fit.
    pub fn try_charge(self: &Arc<Self>, bytes: usize) -> Option<Charge> {
        let mut charge = self.empty();
        charge.grow(bytes).then_some(charge)
    }

    fn take(&self, bytes: usize) -> bool {
        self.used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                used.checked_add(bytes).filter(|&total| total <= self.limit)
            })
            .is_ok()
    }

    fn give_back(&self, bytes: usize) {
        self.used.fetch_sub(bytes, Ordering::AcqRel);
    }
}

impl Charge {
    /// Adds `bytes` to this charge; false (and nothing taken) when they do not fit.
    pub fn grow(&mut self, bytes: usize) -> bool {
        if bytes == 0 {
            return true;
        }
        let taken = self.budget.take(bytes);
        if taken {
            self.bytes += bytes;
        }
        taken
    }

    /// Bytes held by this charge.
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

impl Drop for Charge {
    fn drop(&mut self) {
        if self.bytes > 0 {
            self.budget.give_back(self.bytes);
        }
    }
}

/// 503 with `Retry-After`: a budget is spent for now, the request was not processed.
pub fn busy(message: &'static str) -> ApiResponse {
    ApiResponse::text(StatusCode::SERVICE_UNAVAILABLE, message)
        .with_header("retry-after", crate::error::RETRY_AFTER_SECS.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charges_fit_until_the_limit_and_come_back_when_dropped() {
        let budget = ByteBudget::new(100);
        let a = budget.try_charge(60);
        assert!(a.is_some());
        assert!(budget.try_charge(41).is_none(), "60 + 41 is over 100");
        let b = budget.try_charge(40);
        assert!(b.is_some());
        assert_eq!(budget.used(), 100);
        drop(a);
        assert_eq!(budget.available(), 60);
        drop(b);
        assert_eq!(budget.used(), 0);
    }

    #[test]
    fn a_growing_charge_keeps_what_it_had_when_a_step_does_not_fit() {
        let budget = ByteBudget::new(10);
        let mut charge = budget.empty();
        assert!(charge.grow(6));
        assert!(!charge.grow(5));
        assert_eq!(charge.bytes(), 6);
        assert_eq!(budget.used(), 6);
        drop(charge);
        assert_eq!(budget.used(), 0);
    }

    #[test]
    fn zero_means_unlimited() {
        let budget = ByteBudget::new(0);
        assert!(budget.try_charge(usize::MAX / 2).is_some());
    }
}
