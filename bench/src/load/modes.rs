//! The requests a load client repeats, and each mode's set-up: reading the room's state,
//! seeding it with messages, probing the post rate limit.

use reqwest::Method;
use serde_json::json;
use sogs_client::{Client, Signer};
use sogs_protocol::ids::ServerPubkey;
use sogs_protocol::signing::AuthScheme;

/// Messages `fresh-poll` and `recent` need in the room (one full page).
const SEED_MESSAGES: usize = 100;

/// The request each client repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Mode {
    /// Signed `GET /room/{room}/messages/since/{n}?t=r&reactors=5` (the last 2 updates).
    Poll,
    /// The same poll, anonymous.
    AnonPoll,
    /// Signed `GET /room/{room}` (authentication plus one room query).
    Room,
    /// Signed `POST /room/{room}/message` (the output says whether the rate limit is off).
    Post,
    /// Signed `GET /room/{room}/file/1` (upload a file first: `sogs-bench upload`).
    Download,
    /// Session Desktop's caught-up poll: signed `POST /batch` of capabilities, pollInfo at the
    /// current `info_updates`, messages since the current `message_sequence`, inbox, outbox.
    DesktopPoll,
    /// The same batch with `messages/since/0`: a first poll (100 messages; seeded if fewer).
    FreshPoll,
    /// Signed `GET /room/{room}/messages/recent?limit=100` (seeded to 100 messages if fewer).
    Recent,
}

/// What the clients of one run send, prepared once.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub(crate) mode: Mode,
    pub(crate) room: String,
    /// The seqno `poll` asks from.
    since: i64,
    /// The `/batch` body of the desktop polls.
    batch: Vec<u8>,
    /// Remarks for the output (rate limit, room state).
    pub(crate) note: String,
}

/// How one request went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Ok,
    /// A non-2xx answer.
    Status(u16),
    /// A non-2xx subrequest inside a 200 batch.
    SubStatus(u16),
    /// No answer (connection refused or reset, timeout).
    Transport,
}

impl Mode {
    /// Whether the clients sign (every mode but `anon-poll`).
    pub(crate) fn signed(self) -> bool {
        self != Mode::AnonPoll
    }
}

/// Reads the room's state (from `server`) and seeds or probes it as the mode needs.
pub(crate) async fn prepare(
    mode: Mode,
    room: &str,
    server: &Client,
    server_pk: ServerPubkey,
) -> anyhow::Result<Prepared> {
    let mut note = String::new();
    if matches!(mode, Mode::FreshPoll | Mode::Recent) {
        let added = seed(server, room, server_pk).await?;
        note = format!("room seeded with {added} messages");
    }
    if mode == Mode::Post {
        note = probe_rate_limit(server, room, server_pk).await?;
    }
    let details: serde_json::Value = server.get_json(&format!("/room/{room}")).await?;
    let info_updates = details["info_updates"].as_i64().unwrap_or(0);
    let sequence = details["message_sequence"].as_i64().unwrap_or(0);
    let since = match mode {
        Mode::FreshPoll => 0,
        _ => sequence,
    };
    let batch = serde_json::to_vec(&json!([
        {"method": "GET", "path": "/capabilities"},
        {"method": "GET", "path": format!("/room/{room}/pollInfo/{info_updates}")},
        {"method": "GET", "path": format!("/room/{room}/messages/since/{since}?t=r&reactors=5")},
        {"method": "GET", "path": "/inbox"},
        {"method": "GET", "path": "/outbox"},
    ]))?;
    if matches!(mode, Mode::DesktopPoll | Mode::FreshPoll) {
        note = [note, format!("pollInfo/{info_updates}, since/{since}")]
            .into_iter()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("; ");
    }
    let prepared = Prepared {
        mode,
        room: room.to_owned(),
        since: sequence.saturating_sub(2),
        batch,
        note,
    };
    if matches!(mode, Mode::DesktopPoll | Mode::FreshPoll) {
        // One batch up front, so a broken batch fails loudly instead of as a fast error count.
        let resp = send_raw(&server.signed(identity(3_000_000, server_pk)), &prepared, 0).await?;
        let failed = first_failed_subrequest(&resp.body);
        anyhow::ensure!(
            resp.status == 200 && failed.is_none(),
            "batch check: {} {}",
            resp.status,
            resp.text().chars().take(500).collect::<String>()
        );
    }
    Ok(prepared)
}

/// Posts messages (one per seeding identity) until the room's last page is full; returns
/// how many it posted.
async fn seed(server: &Client, room: &str, server_pk: ServerPubkey) -> anyhow::Result<usize> {
    let recent: Vec<serde_json::Value> = server
        .get_json(&format!(
            "/room/{room}/messages/recent?limit={SEED_MESSAGES}"
        ))
        .await?;
    let missing = SEED_MESSAGES.saturating_sub(recent.len());
    for k in 0..missing {
        let poster = server.signed(identity(1_000_000 + k as u64, server_pk));
        let resp = poster
            .post_message(room, format!("seed message {k}").as_bytes(), json!({}))
            .await?;
        anyhow::ensure!(
            resp.status == 201,
            "seeding: {} {}",
            resp.status,
            resp.text()
        );
    }
    Ok(missing)
}

/// Six posts in a row from one new identity: all accepted means the poster rate limit is off
/// (or above 5 per window); a 429 means it is on.
async fn probe_rate_limit(
    server: &Client,
    room: &str,
    server_pk: ServerPubkey,
) -> anyhow::Result<String> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    let poster = server.signed(identity(2_000_000 + nanos % 1_000_000_000, server_pk));
    for i in 1..=6 {
        let resp = poster
            .post_message(room, format!("rate probe {i}").as_bytes(), json!({}))
            .await?;
        if resp.status == 429 {
            return Ok(format!(
                "poster rate limit ON (probe post {i} answered 429)"
            ));
        }
        anyhow::ensure!(
            resp.status == 201,
            "probe post: {} {}",
            resp.status,
            resp.text()
        );
    }
    Ok("poster rate limit off (6/6 rapid posts from one user accepted)".to_owned())
}

/// The blind15 identity number `n` (the same numbers give the same users on every run).
pub(crate) fn identity(n: u64, server_pk: ServerPubkey) -> Signer {
    let mut seed = [0u8; 32];
    seed[..8].copy_from_slice(&(n + 1).to_le_bytes());
    Signer::new(seed, AuthScheme::Blind15, server_pk)
}

/// Sends one request of the prepared kind and classifies the answer.
pub(crate) async fn send_one(client: &Client, p: &Prepared, counter: u64) -> Outcome {
    match send_raw(client, p, counter).await {
        Err(_) => Outcome::Transport,
        Ok(r) if !(200..300).contains(&r.status) => Outcome::Status(r.status),
        Ok(r) if matches!(p.mode, Mode::DesktopPoll | Mode::FreshPoll) => {
            first_failed_subrequest(&r.body).map_or(Outcome::Ok, Outcome::SubStatus)
        }
        Ok(_) => Outcome::Ok,
    }
}

async fn send_raw(
    client: &Client,
    p: &Prepared,
    counter: u64,
) -> Result<sogs_client::Response, sogs_client::ClientError> {
    let room = &p.room;
    match p.mode {
        Mode::Poll | Mode::AnonPoll => {
            let path = format!("/room/{room}/messages/since/{}?t=r&reactors=5", p.since);
            client.get(&path).await
        }
        Mode::Room => client.get(&format!("/room/{room}")).await,
        Mode::Post => {
            let data = format!("bench message {counter}").into_bytes();
            client.post_message(room, &data, json!({})).await
        }
        Mode::Download => {
            let path = format!("/room/{room}/file/1");
            client.request(Method::GET, &path, &[], None).await
        }
        Mode::Recent => {
            let path = format!("/room/{room}/messages/recent?limit={SEED_MESSAGES}");
            client.get(&path).await
        }
        Mode::DesktopPoll | Mode::FreshPoll => {
            let json = [("Content-Type", "application/json")];
            let body = Some(p.batch.clone());
            client.request(Method::POST, "/batch", &json, body).await
        }
    }
}

/// Subrequests in the desktop poll's batch.
const BATCH_LEN: usize = 5;

/// The first non-2xx `"code":` of a batch answer (0 when it has fewer than the 5 answers
/// expected), found without parsing the whole body: a JSON string cannot contain the
/// unescaped key, so only real `code` keys match.
fn first_failed_subrequest(body: &[u8]) -> Option<u16> {
    const KEY: &[u8] = b"\"code\":";
    let mut rest = body;
    let mut seen = 0;
    while let Some(at) = rest.windows(KEY.len()).position(|w| w == KEY) {
        rest = &rest[at + KEY.len()..];
        seen += 1;
        let digits: String = rest
            .iter()
            .skip_while(|b| b.is_ascii_whitespace())
            .take_while(|b| b.is_ascii_digit())
            .map(|&b| char::from(b))
            .collect();
        match digits.parse::<u16>() {
            Ok(code) if (200..300).contains(&code) => {}
            Ok(code) => return Some(code),
            Err(_) => return Some(0),
        }
    }
    (seen < BATCH_LEN).then_some(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_failed_subrequests() {
        let ok = br#"[{"code":200,"headers":{},"body":{"a":"\"code\":500"}},{"code": 204},
            {"code":200},{"code":200},{"code":200}]"#;
        assert_eq!(first_failed_subrequest(ok), None);
        assert_eq!(first_failed_subrequest(br#"[{"code":200}]"#), Some(0));
        let bad = br#"[{"code":200,"body":[]},{"code":429,"body":"slow down"}]"#;
        assert_eq!(first_failed_subrequest(bad), Some(429));
    }
}
