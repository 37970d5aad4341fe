//! Memory that strangers can make the server hold: request bodies in transit are bounded by
//! `server.unauthenticated_body_budget_bytes` (onion bodies and uploads with forged signatures
//! alike), a body that stalls is cut by the minimum rate, and an answer that a client never
//! reads is charged to `server.answer_budget_bytes` and freed after `server.send_timeout_secs`.

use std::sync::Arc;
use std::time::{Duration, Instant};

use sogs_client::Signer;
use sogs_protocol::signing::AuthScheme;
use sogs_tests::binaries::ServerProcess;
use sogs_tests::{TestApp, TestUser};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

const MIB: usize = 1024 * 1024;
/// What each hostile onion request declares: the onion body limit's payload.
const DECLARED: usize = 10 * MIB;
/// What each hostile upload declares: the default upload limit.
const DECLARED_UPLOAD: usize = 10_000_000;
/// What each hostile connection sends before it stalls.
const SENT: usize = 9_500_000;

/// The server's resident memory in bytes.
fn rss(pid: i32) -> usize {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: usize = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap();
    kb * 1024
}

/// Opens a connection, sends `head` and up to [`SENT`] body bytes (stopping when the server
/// refuses them), then holds the connection open until `until`.
async fn stall(port: u16, head: String, until: Instant) {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)).await else {
        return;
    };
    let chunk = vec![0x5a_u8; 64 * 1024];
    if stream.write_all(head.as_bytes()).await.is_ok() {
        let mut sent = 0;
        while sent < SENT && stream.write_all(&chunk).await.is_ok() {
            sent += chunk.len();
        }
    }
    tokio::time::sleep_until(until.into()).await;
    drop(stream);
}

/// The X-SOGS headers as raw HTTP header lines.
fn header_lines(headers: &sogs_protocol::signing::SignedHeaders) -> String {
    headers
        .pairs()
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect()
}

fn onion_head() -> String {
    format!("POST /oxen/v4/lsrpc HTTP/1.1\r\nHost: x\r\nContent-Length: {DECLARED}\r\n\r\n")
}

/// An upload whose X-SOGS headers name a real-looking caller with a fresh timestamp, signed
/// over another body: the server cannot tell it is forged until the whole body is in.
fn forged_upload_head(signer: &Signer) -> String {
    let auth = header_lines(&signer.sign_now("POST", "/room/lobby/file", b"not this body"));
    format!(
        "POST /room/lobby/file HTTP/1.1\r\nHost: x\r\nContent-Length: {DECLARED_UPLOAD}\r\n{auth}\r\n"
    )
}

#[tokio::test]
async fn stalled_onion_bodies_and_forged_uploads_stay_within_the_body_budget() {
    const BUDGET: usize = 32 * MIB;
    // Documented in OPERATIONS.md ("Memory bounds"): per-connection buffers and allocator slack.
    const OVERHEAD: usize = 96 * MIB;
    let app = TestApp::spawn().await;
    app.create_room("lobby", "rwua").await;
    let budget = BUDGET.to_string();
    let (_dir, server) = ServerProcess::start_beside_with_env(
        app.data_dir.path(),
        &app.database.url,
        &[("SOGS__SERVER__UNAUTHENTICATED_BODY_BUDGET_BYTES", &budget)],
    );
    let port: u16 = server.address.rsplit(':').next().unwrap().parse().unwrap();
    let probe = sogs_client::Client::new(&server.address);
    assert!(!probe.capabilities().await.unwrap().capabilities.is_empty());
    let before = rss(server.pid());

    let until = Instant::now() + Duration::from_secs(6);
    let mut held = Vec::new();
    for i in 0..200 {
        let head = if i % 2 == 0 {
            onion_head()
        } else {
            let signer = Signer::new(
                TestUser::random().seed,
                AuthScheme::Blind15,
                *app.state.keys.public(),
            );
            forged_upload_head(&signer)
        };
        held.push(tokio::spawn(stall(port, head, until)));
    }
    let mut peak = 0;
    while Instant::now() < until {
        peak = peak.max(rss(server.pid()));
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let started = Instant::now();
    let caps = probe.capabilities().await;
    assert!(
        caps.is_ok(),
        "the server still answers while bodies are held"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    for task in held {
        task.await.unwrap();
    }
    let growth = peak.saturating_sub(before);
    eprintln!("RSS growth {} MiB", growth / MIB);
    assert!(
        growth < BUDGET + OVERHEAD,
        "RSS grew by {} MiB holding 200 stalled 10 MiB bodies (budget {} MiB + {} MiB)",
        growth / MIB,
        BUDGET / MIB,
        OVERHEAD / MIB
    );
}

/// Sends `head` and `body` on a new connection and reads the answer's status line.
async fn status_of(port: u16, head: &str, body: &[u8]) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    let _ = stream.write_all(body).await;
    let mut answer = vec![0; 4096];
    let n = tokio::time::timeout(Duration::from_secs(20), stream.read(&mut answer))
        .await
        .unwrap()
        .unwrap();
    String::from_utf8_lossy(&answer[..n]).into_owned()
}

#[tokio::test]
async fn a_body_that_does_not_fit_the_budget_is_refused_at_once_with_503() {
    let app = TestApp::spawn_with(|s| s.server.unauthenticated_body_budget_bytes = MIB).await;
    let head = format!(
        "POST /oxen/v4/lsrpc HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
        2 * MIB
    );
    let answer = status_of(app.port, &head, b"").await;
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("retry-after: 5"),
        "{answer}"
    );

    // One body held half-way takes the budget; the next one that would not fit is refused.
    let half = format!("POST /oxen/v4/lsrpc HTTP/1.1\r\nHost: x\r\nContent-Length: {MIB}\r\n\r\n");
    let mut holder = TcpStream::connect(("127.0.0.1", app.port)).await.unwrap();
    holder.write_all(half.as_bytes()).await.unwrap();
    holder.write_all(&vec![0; 900 * 1024]).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while app.state.body_budget.used() < 900 * 1024 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let small = format!(
        "POST /oxen/v4/lsrpc HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
        200 * 1024
    );
    let answer = status_of(app.port, &small, b"").await;
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    drop(holder);
}

#[tokio::test]
async fn a_body_that_stalls_after_a_burst_is_cut_by_the_minimum_rate() {
    let app = TestApp::spawn_with(|s| s.server.min_body_rate_bytes_per_sec = 1000).await;
    let head = "POST /oxen/v4/lsrpc HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n";
    let started = Instant::now();
    let answer = status_of(app.port, head, &vec![0; 200_000]).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("too slow"), "{answer}");
    // Cut at the end of the second 5-second window, long before the 30 s body timeout.
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(app.state.body_budget.used(), 0, "its bytes are given back");
}

/// Opens a connection with a tiny receive buffer, sends `head` + `body` and never reads.
async fn non_reader(port: u16, request: &[u8]) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let mut stream = socket.connect(([127, 0, 0, 1], port).into()).await.unwrap();
    stream.write_all(request).await.unwrap();
    stream
}

fn batch_request(app: &TestApp, user: &TestUser, path: &str) -> Vec<u8> {
    let body = serde_json::to_vec(&serde_json::json!([{"method": "GET", "path": path}])).unwrap();
    let signer = Signer::new(user.seed, AuthScheme::Blind15, *app.state.keys.public());
    let auth = header_lines(&signer.sign_now("POST", "/batch", &body));
    let mut request = format!(
        "POST /batch HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{auth}\r\n",
        body.len()
    )
    .into_bytes();
    request.extend_from_slice(&body);
    request
}

async fn wait_for(within: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    done()
}

#[tokio::test]
async fn an_answer_nobody_reads_is_charged_then_freed_after_the_send_timeout() {
    let app = TestApp::spawn_with(|s| {
        s.server.send_timeout_secs = 2.0;
        s.server.answer_budget_bytes = 14 * MIB;
    })
    .await;
    app.create_room("lobby", "rwua").await;
    let alice = TestUser::random();
    let id = app
        .client_15(&alice)
        .upload_file("lobby", vec![7u8; 9 * MIB], None)
        .await
        .unwrap()
        .id;
    let path = format!("/room/lobby/file/{id}");
    // A /batch answer carries the file as base64 in memory: about 12 MiB.
    let stuck = non_reader(app.port, &batch_request(&app, &alice, &path)).await;
    let budget = Arc::clone(&app.state.answer_budget);
    assert!(
        wait_for(Duration::from_secs(10), || budget.used() > 10 * MIB).await,
        "the unread answer is charged"
    );
    // While it is held, a second large answer does not fit: 503, and nothing more is held.
    let second = batch_request(&app, &TestUser::random(), &path);
    let answer = status_of(app.port, &String::from_utf8_lossy(&second), b"").await;
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    let freed = wait_for(Duration::from_secs(15), || budget.used() == 0).await;
    assert!(
        freed,
        "the connection was closed and its answer freed ({} bytes held)",
        budget.used()
    );
    drop(stuck);
}
