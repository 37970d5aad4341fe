//! Malformed requests in the server's log: a flood of them yields no ERROR line and at most
//! ten WARN lines a minute (the built server, its JSON log read from stderr).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use sogs_tests::TestApp;
use sogs_tests::binaries::ServerProcess;

/// The client-error lines logged per minute.
const PER_MINUTE: usize = 10;

/// Sends `request` on a new connection and returns the status line of the answer.
fn send_raw(address: &str, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(address.trim_start_matches("http://")).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    answer.lines().next().unwrap_or_default().to_owned()
}

fn level(line: &str) -> String {
    let event: serde_json::Value = serde_json::from_str(line).unwrap();
    event["level"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_burst_of_malformed_requests_logs_no_error_and_a_bounded_number_of_warnings() {
    let app = TestApp::spawn().await;
    let data_dir = app.data_dir.path().to_str().unwrap().to_owned();
    let server =
        ServerProcess::start(&["--data-dir", &data_dir, "--database-url", &app.database.url]);
    let huge_header = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(200_000));
    let requests: [(&[u8], &str); 4] = [
        (b"GARBAGE\r\n\r\n", "400"),
        (b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", "400"),
        (b"GET /\x01\x1b HTTP/1.1\r\n\r\n", "400"),
        (huge_header.as_bytes(), "431"),
    ];
    for round in 0..15 {
        for (request, status) in requests {
            let answer = send_raw(&server.address, request);
            assert!(answer.contains(status), "round {round}: {answer}");
        }
    }

    let deadline = Instant::now() + Duration::from_secs(10);
    let client_errors = |log: &[String]| {
        log.iter()
            .filter(|l| l.contains("sogs_server::client_errors"))
            .count()
    };
    while client_errors(&server.later_log()) < PER_MINUTE && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let log = server.later_log();
    let errors: Vec<_> = log.iter().filter(|l| level(l) == "ERROR").collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(client_errors(&log), PER_MINUTE, "{log:#?}");
    assert!(log.len() <= PER_MINUTE + 5, "{log:#?}");
    let warning = log.iter().find(|l| l.contains("client error: ")).unwrap();
    assert_eq!(level(warning), "WARN", "{warning}");
    assert!(warning.contains("request parse error"), "{warning}");
}
