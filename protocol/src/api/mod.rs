//! JSON wire types of the API, one module per resource; each type's doc names its endpoints.
//!
//! Request bodies accept exactly what the server accepts (the shapes that differ from plain
//! serde are the named deserializers of [`quirks`]); responses serialize to exactly what the
//! server sends, with optional keys omitted where it omits them. Their JSON is pinned by the
//! snapshot tests in `protocol/tests/it/api/`.

pub mod batch;
pub mod capabilities;
pub mod common;
pub mod delete_all;
pub mod dm;
pub mod files;
pub mod messages;
pub mod paths;
pub mod permissions;
pub mod pins;
pub mod quirks;
pub mod reactions;
pub mod room_info;
pub mod rooms;
pub mod users;
