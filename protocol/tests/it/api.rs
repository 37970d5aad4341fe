//! `sogs_protocol::api`: snapshots of every response type (values from the spec's examples where
//! it has them) and parsing tests of every request body, quirks and malformed input included.

mod batch;
mod capabilities;
mod common;
mod delete_all;
mod dm;
mod files;
mod messages;
mod paths;
mod permissions;
mod pins;
mod reactions;
mod room_info;
mod rooms;
mod users;

use std::fmt::Debug;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The spec's unblinded example id (§3.4, `contrib/auth-example.py`).
const SESSION_ID: &str = "0588672ccb97f40bb57238989226cf429b575ba355443f47bc76c5ab144a96c65b";
/// The blinded id of the same example (§3.4).
const BLINDED: &str = "1598932d4bccbe595a8789d7eb1629cefc483a0eaddc7e20e8fe5c771efafd9af5";
/// A blind15 id from the spec's vectors (§3.5).
const BLINDED_2: &str = "15cef185d46b60a548641bd8c5baa4b7cf90b7da8e883c0ac774c703d249086479";
/// A blind15 id with the sign bit set (§3.5).
const BLINDED_3: &str = "15f8fbeb20cdde5e0cc0ec84e0b3705ca6090c7b23e8132589970473a5592ba388";
/// The spec's example timestamp (§1.1).
const POSTED: f64 = 1642701309.5007384;
/// A 64-byte signature in base64 (the spec's unblinded auth example, §3.4).
const SIGNATURE: &str =
    "xxLpXHbomAJMB9AtGMyqvBsXrdd2040y+Ol/IKzElWfKJa3EYZRv1GLO6CTLhrDFUwVQe8PPltyGs54Kd7O5Cg==";

/// Serializes to JSON and back, which must give the same value (clients parse what servers send).
#[track_caller]
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + Debug>(value: &T) {
    let json = serde_json::to_value(value).unwrap();
    let back: T = serde_json::from_value(json).unwrap();
    assert_eq!(&back, value);
}

/// Parses a request body as the server does: into a `serde_json::Value` first, then the type.
fn parse<T: DeserializeOwned>(body: &str) -> Result<T, String> {
    let value: serde_json::Value = serde_json::from_str(body).map_err(|e| e.to_string())?;
    T::deserialize(value).map_err(|e| e.to_string())
}

/// Asserts that every body parses, as the server accepts it.
#[track_caller]
fn accepts<T: DeserializeOwned + Debug>(bodies: &[&str]) {
    for body in bodies {
        if let Err(e) = parse::<T>(body) {
            panic!("{body} was refused: {e}");
        }
    }
}

/// Asserts that no body parses, as the server answers 400 to each.
#[track_caller]
fn refuses<T: DeserializeOwned + Debug>(bodies: &[&str]) {
    for body in bodies {
        if let Ok(v) = parse::<T>(body) {
            panic!("{body} was accepted as {v:?}");
        }
    }
}
