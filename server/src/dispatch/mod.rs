//! The framework-neutral core every request goes through, whichever way it arrived (direct,
//! inside `/batch`/`/sequence`, or unwrapped from an onion request): the request and response
//! types, path parameters and the route table. It imports neither actix nor the handlers.

pub mod file_body;
pub mod params;
pub mod request;
pub mod router;

pub use file_body::{FileBody, materialize};
pub use request::{ApiRequest, ApiResponse};
pub use router::Router;
