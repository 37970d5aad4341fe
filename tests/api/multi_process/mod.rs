//! Two server processes on one database, as behind a load balancer: what one process writes,
//! the other serves within 1 s (the documented bound for in-memory caches), nonces are spent
//! once across processes, and a killed process loses no acknowledged post.

mod crash;
mod messages;
mod moderation;
mod nonces;

use std::future::Future;
use std::time::{Duration, Instant};

use sogs_client::{Client, Signer};
use sogs_protocol::api::rooms::RoomDetails;
use sogs_protocol::api::users::RoomsOrGlobal;
use sogs_protocol::signing::AuthScheme;
use sogs_tests::binaries::ServerProcess;
use sogs_tests::{TestApp, TestUser};

/// The documented bound: a change made through one process is served by every other within it.
const BOUND: Duration = Duration::from_secs(1);
/// How often a test polls for a change.
const POLL_EVERY: Duration = Duration::from_millis(20);
/// The room every test uses (open to all: read, write, upload, accessible).
const ROOM: &str = "lobby";
/// What a member polls (needs `read`).
const RECENT: &str = "/room/lobby/messages/recent";

/// Process A (the in-process `TestApp`) and process B (a `sogs-server` binary) serving one
/// database with one server key.
struct Pair {
    a: TestApp,
    b: ServerProcess,
    _b_dir: tempfile::TempDir,
}

impl Pair {
    /// Starts A on a fresh database with the room, then B beside it.
    async fn start() -> Self {
        let a = TestApp::spawn().await;
        a.create_room(ROOM, "rwua").await;
        let (b_dir, b) = ServerProcess::start_beside(a.data_dir.path(), &a.database.url);
        Self {
            a,
            b,
            _b_dir: b_dir,
        }
    }

    /// `user`'s blind15 client on A.
    fn on_a(&self, user: &TestUser) -> Client {
        self.a.client_15(user)
    }

    /// `user`'s blind15 client on B (same server key, so the same blinded id).
    fn on_b(&self, user: &TestUser) -> Client {
        let signer = Signer::new(user.seed, AuthScheme::Blind15, *self.a.state.keys.public());
        Client::new(&self.b.address).signed(signer)
    }

    /// B's `GET /room/<ROOM>` as anonymous.
    async fn room_on_b(&self) -> Result<RoomDetails, String> {
        Client::new(&self.b.address)
            .room(ROOM)
            .await
            .map_err(|e| e.to_string())
    }

    /// A new user who is a moderator (or admin) of the room, with a client on A.
    async fn moderator(&self, admin: bool) -> Client {
        let client = self.on_a(&TestUser::random());
        self.a.make_mod(&client, Some(ROOM), admin).await;
        client
    }
}

/// The blinded id a client signs as.
fn id(client: &Client) -> String {
    client.signer().unwrap().id()
}

/// The scope `{"rooms": [ROOM]}` of a ban, unban or appointment.
fn in_room() -> RoomsOrGlobal {
    RoomsOrGlobal {
        rooms: Some(vec![ROOM.to_owned()]),
        global: None,
    }
}

/// `Ok` when `GET path` answers `want` (a status, raw: refusals are what is awaited), else the
/// answer seen.
async fn answers(client: &Client, path: &str, want: u16) -> Result<(), String> {
    match client.get(path).await {
        Ok(resp) if resp.status == want => Ok(()),
        Ok(resp) => Err(format!("{} {}", resp.status, resp.text())),
        Err(e) => Err(e.to_string()),
    }
}

/// Polls `check` every 20 ms until it is `Ok`; panics (with the last answer) unless a check sent
/// within [`BOUND`] of `since` succeeds. Returns how long after `since` the change was seen.
async fn seen_within_bound<F, Fut>(since: Instant, what: &str, mut check: F) -> Duration
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    let mut last = String::from("no check ran");
    loop {
        let sent = since.elapsed();
        assert!(
            sent <= BOUND,
            "{what}: not seen within {BOUND:?}; last answer: {last}"
        );
        match check().await {
            Ok(()) => {
                eprintln!("{what}: seen after {sent:?}");
                return sent;
            }
            Err(answer) => last = answer,
        }
        tokio::time::sleep(POLL_EVERY).await;
    }
}
