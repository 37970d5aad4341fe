//! JSON wire types of the API, one module per resource; each type's doc names its endpoints.

pub mod messages;
pub mod rooms;
