//! Running the built `sogs-server` and `sogs-admin` binaries (built by the README's test command).

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Path of a workspace binary next to this test executable (`target/<profile>/<name>`).
pub fn binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    let profile_dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>");
    let path = profile_dir.join(name);
    assert!(
        path.is_file(),
        "{} is missing: run `cargo build --workspace --bins` first",
        path.display()
    );
    path
}

/// Runs `sogs-admin` with `args`, returning its output.
pub fn admin(args: &[&str]) -> Output {
    Command::new(binary("sogs-admin"))
        .args(args)
        .env_remove("SOGS_CONFIG")
        .stdin(Stdio::null())
        .output()
        .expect("run sogs-admin")
}

/// A `sogs-server` process started by a test.
pub struct ServerProcess {
    /// The child process.
    pub child: Child,
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    /// Every log line read up to "serving".
    pub startup_log: Vec<String>,
    /// The log lines read after "serving", so far.
    later_log: Arc<Mutex<Vec<String>>>,
}

impl ServerProcess {
    /// Starts `sogs-server` with `args` (plus `--listen 127.0.0.1:0`) and waits until it serves.
    pub fn start(args: &[&str]) -> Self {
        Self::start_with_env(args, &[])
    }

    /// [`start`](Self::start) with extra environment variables (`SOGS__SECTION__KEY` settings).
    #[expect(
        clippy::zombie_processes,
        reason = "the child is waited for in Drop or stop_with"
    )]
    pub fn start_with_env(args: &[&str], env: &[(&str, &str)]) -> Self {
        let mut child = server_command(args)
            .envs(env.iter().copied())
            .spawn()
            .expect("start sogs-server");
        let stderr = child.stderr.take().expect("stderr");
        let mut lines = BufReader::new(stderr).lines();
        let deadline = Instant::now() + Duration::from_secs(120);
        let mut startup_log = Vec::new();
        while Instant::now() < deadline {
            let Some(Ok(line)) = lines.next() else { break };
            let port = serde_json::from_str::<serde_json::Value>(&line)
                .ok()
                .and_then(|v| v["fields"]["server.port"].as_u64());
            startup_log.push(line);
            if let Some(port) = port {
                // Keep draining stderr so the server never blocks on a full pipe.
                let later_log = Arc::new(Mutex::new(Vec::new()));
                let kept = Arc::clone(&later_log);
                std::thread::spawn(move || {
                    for line in lines.map_while(Result::ok) {
                        kept.lock().expect("log lines").push(line);
                    }
                });
                return Self {
                    child,
                    address: format!("http://127.0.0.1:{port}"),
                    startup_log,
                    later_log,
                };
            }
        }
        let _ = child.kill();
        panic!("sogs-server did not start:\n{}", startup_log.join("\n"));
    }

    /// Starts another server on the database at `database_url` with the server key of
    /// `data_dir`, copied into a data directory of its own (returned: keep it while the server
    /// runs), as a second host behind a load balancer would be.
    pub fn start_beside(data_dir: &Path, database_url: &str) -> (tempfile::TempDir, Self) {
        Self::start_beside_with_env(data_dir, database_url, &[])
    }

    /// [`start_beside`](Self::start_beside) with extra environment variables.
    pub fn start_beside_with_env(
        data_dir: &Path,
        database_url: &str,
        env: &[(&str, &str)],
    ) -> (tempfile::TempDir, Self) {
        let own = tempfile::tempdir().expect("data dir of the second server");
        let key = sogs_server::keys::KEY_FILE;
        std::fs::copy(data_dir.join(key), own.path().join(key)).expect("copy the server key");
        let dir = own.path().to_str().expect("UTF-8 temp path").to_owned();
        let server =
            Self::start_with_env(&["--data-dir", &dir, "--database-url", database_url], env);
        (own, server)
    }

    /// The log lines written after start-up so far (JSON, one event each).
    pub fn later_log(&self) -> Vec<String> {
        self.later_log.lock().expect("log lines").clone()
    }

    /// The server's pid.
    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    /// Waits up to `within` for the process to exit by itself; returns its status.
    pub fn wait_exit(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let deadline = Instant::now() + within;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait for the server") {
                return Some(status);
            }
            if Instant::now() > deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Sends `signal` and waits for the process to exit; returns whether it exited successfully.
    pub fn stop_with(mut self, signal: nix::sys::signal::Signal) -> bool {
        let pid = nix::unistd::Pid::from_raw(self.child.id() as i32);
        nix::sys::signal::kill(pid, signal).expect("signal the server");
        self.child.wait().expect("wait for the server").success()
    }

    /// The join URLs the server logged at start-up.
    pub fn join_urls(&self) -> Vec<String> {
        self.startup_log
            .iter()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| {
                v["fields"]["message"]
                    .as_str()
                    .and_then(|m| m.strip_prefix("join URL: "))
                    .map(str::to_owned)
            })
            .collect()
    }
}

/// `sogs-server args… --listen 127.0.0.1:0`, logging JSON at info level to a piped stderr.
fn server_command(args: &[&str]) -> Command {
    let mut command = Command::new(binary("sogs-server"));
    command
        .args(args)
        .args(["--listen", "127.0.0.1:0"])
        .env("SOGS__LOG__FORMAT", "json")
        .env("SOGS__LOG__LEVEL", "info")
        .env("SOGS__METRICS__LISTEN", "127.0.0.1:0")
        .env_remove("RUST_LOG")
        .env_remove("SOGS_CONFIG")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// Runs `sogs-server args…` expecting it to exit by itself within `within` (it is killed and
/// the test fails otherwise); returns its exit status and stderr.
pub fn server_exits(args: &[&str], within: Duration) -> Output {
    let mut child = server_command(args).spawn().expect("start sogs-server");
    let mut stderr = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut text = Vec::new();
        let _ = stderr.read_to_end(&mut text);
        text
    });
    let deadline = Instant::now() + within;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for sogs-server") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("sogs-server did not exit within {within:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    Output {
        status,
        stdout: Vec::new(),
        stderr: reader.join().expect("stderr reader"),
    }
}

/// The pid on the first line of `<data_dir>/pg/postmaster.pid`, if that file exists.
pub fn postmaster_pid(data_dir: &Path) -> Option<i32> {
    sogs_pgcluster::postmaster_pid(&data_dir.join("pg"))
}

/// Whether the managed cluster of `data_dir` has a live postmaster (a zombie counts as dead).
pub fn postmaster_running(data_dir: &Path) -> bool {
    sogs_pgcluster::postmaster_alive(&data_dir.join("pg"))
}

/// Calls `check` every 100 ms until it returns `Some` or `within` has passed.
pub async fn poll_until<T, F, Fut>(within: Duration, mut check: F) -> Option<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + within;
    loop {
        if let Some(found) = check().await {
            return Some(found);
        }
        if Instant::now() > deadline {
            return None;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

impl Drop for ServerProcess {
    /// Stops a server the test left running: SIGTERM first (so its PostgreSQL stops too), then SIGKILL.
    fn drop(&mut self) {
        let pid = nix::unistd::Pid::from_raw(self.child.id() as i32);
        if nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).is_ok() {
            let deadline = Instant::now() + Duration::from_secs(30);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A `sogs-client` profile directory, driven through the built binary.
pub struct ClientProfile {
    /// The profile directory.
    pub dir: tempfile::TempDir,
}

impl Default for ClientProfile {
    fn default() -> Self {
        Self::new()
    }
}

impl ClientProfile {
    /// An empty profile.
    pub fn new() -> Self {
        Self {
            dir: tempfile::tempdir().expect("profile dir"),
        }
    }

    /// Runs `sogs-client --profile <dir> args…` without blocking the test's runtime (the
    /// server under test runs on it).
    pub async fn run(&self, args: &[&str]) -> Output {
        tokio::process::Command::new(binary("sogs-client"))
            .arg("--profile")
            .arg(self.dir.path())
            .args(args)
            .env_remove("SOGS_CLIENT_PROFILE")
            .stdin(Stdio::null())
            .output()
            .await
            .expect("run sogs-client")
    }

    /// Runs a command that must succeed; returns its stdout.
    pub async fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args).await;
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "sogs-client {args:?} failed: {stderr}"
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs a command that must fail with exactly one `error: …` line and no panic; returns it.
    pub async fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args).await;
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(
            out.status.code(),
            Some(1),
            "sogs-client {args:?} should fail: {stderr}"
        );
        assert!(
            !stderr.contains("panicked"),
            "sogs-client {args:?} panicked: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "one line expected: {stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        stderr
    }

    /// Creates an identity with a display name; returns its Session ID.
    pub async fn new_identity(&self, name: &str) -> String {
        let out = self.ok(&["id", "new", "--name", name]).await;
        let line = out
            .lines()
            .find_map(|l| l.strip_prefix("Session ID: "))
            .expect("Session ID line");
        line.trim().to_owned()
    }

    /// The profile's Ed25519 seed (read from its key file).
    pub fn seed(&self) -> [u8; 32] {
        let hex = std::fs::read_to_string(self.dir.path().join("identity")).expect("identity file");
        let mut seed = [0u8; 32];
        hex::decode_to_slice(hex.trim(), &mut seed).expect("hex seed");
        seed
    }
}
