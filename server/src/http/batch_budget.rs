//! What one `/batch` or `/sequence` may cost: a time budget for its work and a byte budget for
//! its answer. An element is executed only while both last; once either is spent, every later
//! element answers without being executed, saying so. A write that was executed always has its
//! answer delivered, so no write is ever committed behind an error answer.

use std::time::{Duration, Instant};

use actix_web::http::StatusCode;

use crate::config::ServerSettings;
use crate::dispatch::{ApiRequest, ApiResponse};
use crate::error::ApiError;

/// The budgets of one batch, spent element by element.
#[derive(Debug)]
pub struct BatchBudget {
    deadline: Instant,
    answer_bytes: i64,
    spent: Option<Spent>,
}

/// Which budget ran out first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Spent {
    Time,
    Answer,
}

impl BatchBudget {
    /// The budgets from `[server]`, starting now.
    pub fn new(server: &ServerSettings) -> Self {
        Self {
            deadline: Instant::now() + Duration::from_millis(server.batch_time_budget_ms),
            answer_bytes: i64::try_from(server.batch_response_limit_bytes).unwrap_or(i64::MAX),
            spent: None,
        }
    }

    /// The answer for `sub` when it must not be executed; `None` when it may run.
    pub fn refusal(&mut self, sub: &ApiRequest) -> Option<ApiResponse> {
        if sub.is_batch() {
            return Some(
                ApiError::bad_request("Invalid batch request: batches cannot be nested")
                    .into_response(),
            );
        }
        if self.spent.is_none() && Instant::now() >= self.deadline {
            self.spent = Some(Spent::Time);
        }
        self.spent.map(not_executed)
    }

    /// Marks the time budget spent (an element ran past the database deadline).
    pub fn out_of_time(&mut self) {
        self.spent.get_or_insert(Spent::Time);
    }

    /// What is left of the answer budget, for the next element's `answer_limit`.
    pub fn answer_left(&self) -> usize {
        usize::try_from(self.answer_bytes).unwrap_or(0)
    }

    /// Charges an executed element's answer. A read whose answer does not fit becomes a 413
    /// (a file before it is read from the database; a listing before it is built, by its
    /// handler) and spends the budget; a write's answer is always kept, since what it did is
    /// done.
    pub fn charge(&mut self, writes: bool, response: ApiResponse) -> ApiResponse {
        let size = response
            .file
            .as_ref()
            .map_or(response.body.len() as i64, |f| f.size);
        let refused_by_handler = response.status == StatusCode::PAYLOAD_TOO_LARGE;
        if !writes && (size > self.answer_bytes || refused_by_handler) {
            self.spent = Some(Spent::Answer);
            return too_large();
        }
        self.answer_bytes -= size;
        if self.answer_bytes <= 0 {
            self.spent = Some(Spent::Answer);
        }
        response
    }
}

/// 413 for a read whose answer would not fit what is left of the batch's answer.
pub fn too_large() -> ApiResponse {
    ApiError::status(
        StatusCode::PAYLOAD_TOO_LARGE,
        "Batch answer too large: fetch this on its own",
    )
    .into_response()
}

fn not_executed(spent: Spent) -> ApiResponse {
    match spent {
        Spent::Answer => ApiError::status(
            StatusCode::PAYLOAD_TOO_LARGE,
            "Not executed: the batch's answer is full; send this request on its own",
        )
        .into_response(),
        Spent::Time => crate::budget::busy(
            "Not executed: the batch's time budget is spent; send this request again",
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ServerSettings;
    use actix_web::http::Method;

    fn budget(answer: usize, millis: u64) -> BatchBudget {
        BatchBudget::new(&ServerSettings {
            batch_response_limit_bytes: answer,
            batch_time_budget_ms: millis,
            ..ServerSettings::default()
        })
    }

    fn get() -> ApiRequest {
        ApiRequest::from_target(Method::GET, "/capabilities").expect("valid target")
    }

    fn answer(len: usize) -> ApiResponse {
        ApiResponse::bytes(StatusCode::OK, "application/octet-stream", vec![0; len])
    }

    #[test]
    fn after_a_read_too_large_nothing_more_is_executed() {
        let mut budget = budget(100, 60_000);
        assert!(budget.refusal(&get()).is_none());
        assert_eq!(budget.charge(false, answer(60)).status, StatusCode::OK);
        assert_eq!(
            budget.charge(false, answer(60)).status,
            StatusCode::PAYLOAD_TOO_LARGE
        );
        let refused = budget.refusal(&get()).expect("not executed");
        assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE);
        assert!(String::from_utf8_lossy(&refused.body).starts_with("Not executed"));
    }

    #[test]
    fn a_write_keeps_its_answer_even_past_the_budget() {
        let mut budget = budget(100, 60_000);
        assert_eq!(budget.charge(true, answer(150)).status, StatusCode::OK);
        assert!(budget.refusal(&get()).is_some(), "the budget is spent now");
    }

    #[test]
    fn past_the_time_budget_elements_answer_503_unexecuted() {
        let mut budget = budget(100, 0);
        let refused = budget.refusal(&get()).expect("no time left");
        assert_eq!(refused.status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(
            refused
                .headers
                .iter()
                .any(|(name, _)| name == "retry-after")
        );
    }
}
