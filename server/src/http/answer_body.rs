//! An answer body held in memory and charged to the process's answer budget until it has been
//! sent (or its connection is gone), handed to actix in slices so that its write buffer never
//! holds a second copy of a large answer.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use actix_web::body::{BodySize, MessageBody};
use bytes::Bytes;

use crate::budget::{ByteBudget, Charge};

/// Bytes handed to actix at a time (its write buffer takes more only once it has drained).
const SLICE: usize = 32 * 1024;

/// The unsent rest of an answer, and the charge for it.
#[derive(Debug)]
pub struct ChargedBody {
    rest: Bytes,
    size: u64,
    _charge: Charge,
}

impl ChargedBody {
    /// Charges `body` to `budget`; `None` when it does not fit.
    pub fn new(body: Bytes, budget: &Arc<ByteBudget>) -> Option<Self> {
        let charge = budget.try_charge(body.len())?;
        Some(Self {
            size: body.len() as u64,
            rest: body,
            _charge: charge,
        })
    }
}

impl MessageBody for ChargedBody {
    type Error = Infallible;

    fn size(&self) -> BodySize {
        BodySize::Sized(self.size)
    }

    fn poll_next(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        if self.rest.is_empty() {
            return Poll::Ready(None);
        }
        let len = self.rest.len().min(SLICE);
        Poll::Ready(Some(Ok(self.rest.split_to(len))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_comes_out_in_slices_and_its_charge_ends_with_it() {
        let budget = ByteBudget::new(100_000);
        let body = ChargedBody::new(Bytes::from(vec![7u8; 70_000]), &budget);
        let mut body = Box::pin(body.expect("fits"));
        assert_eq!(budget.used(), 70_000);
        let waker = futures_util::task::noop_waker();
        let mut cx = Context::from_waker(&waker);
        let mut lens = Vec::new();
        while let Poll::Ready(Some(Ok(slice))) = body.as_mut().poll_next(&mut cx) {
            lens.push(slice.len());
        }
        assert_eq!(lens, [SLICE, SLICE, 70_000 - 2 * SLICE]);
        drop(body);
        assert_eq!(budget.used(), 0);
    }

    #[test]
    fn an_answer_over_the_budget_is_refused() {
        let budget = ByteBudget::new(10);
        assert!(ChargedBody::new(Bytes::from_static(&[0; 11]), &budget).is_none());
    }
}
