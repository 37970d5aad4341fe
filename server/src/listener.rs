//! The listening socket and the process's connection limits: accept backlog, open-file
//! limit, and a cap on concurrent connections below it (so accept never fails with EMFILE).

use std::net::{SocketAddr, TcpListener};

use std::time::Duration;

use nix::sys::resource::{Resource, getrlimit, setrlimit};
use nix::sys::socket::setsockopt;
use nix::sys::socket::sockopt::TcpUserTimeout;
use socket2::{Domain, Protocol, Socket, Type};

/// File descriptors kept free for the database pool, log files and the managed cluster's pipes.
const RESERVED_FDS: u64 = 256;

/// Binds `addr` with `SO_REUSEADDR` and the given accept backlog (std's `bind` fixes it at 128).
pub fn bind(addr: SocketAddr, backlog: u32) -> std::io::Result<TcpListener> {
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, Some(Protocol::TCP))?;
    socket.set_reuse_address(true)?;
    socket.bind(&addr.into())?;
    socket.listen(i32::try_from(backlog).unwrap_or(i32::MAX))?;
    Ok(socket.into())
}

/// Makes every connection accepted on `listener` close when data it sends stays unacknowledged
/// for `timeout`, which includes a client that stopped reading (its window stays at zero): the
/// kernel then aborts the connection, actix drops it, and the answer it held is freed. Accepted
/// sockets inherit the option from the listener.
pub fn set_send_timeout(listener: &TcpListener, timeout: Duration) -> std::io::Result<()> {
    let millis = u32::try_from(timeout.as_millis())
        .unwrap_or(u32::MAX)
        .max(1);
    setsockopt(listener, TcpUserTimeout, &millis).map_err(std::io::Error::from)
}

/// Raises the soft open-file limit to the hard one and returns the limit in force.
pub fn raise_open_file_limit() -> u64 {
    match getrlimit(Resource::RLIMIT_NOFILE) {
        Ok((soft, hard)) if soft < hard => match setrlimit(Resource::RLIMIT_NOFILE, hard, hard) {
            Ok(()) => hard,
            Err(e) => {
                tracing::warn!(error = %e, soft, hard, "cannot raise the open-file limit");
                soft
            }
        },
        Ok((soft, _)) => soft,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the open-file limit");
            1024
        }
    }
}

/// Concurrent connections allowed in all: the configured cap, but never more than the open-file
/// limit leaves room for.
pub fn connection_cap(configured: usize, open_files: u64) -> usize {
    let room = open_files.saturating_sub(RESERVED_FDS).max(16);
    configured.min(usize::try_from(room).unwrap_or(usize::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_leaves_room_for_other_descriptors() {
        assert_eq!(connection_cap(10_000, 1024), 768);
        assert_eq!(connection_cap(500, 1_048_576), 500);
        assert_eq!(connection_cap(10_000, 100), 16);
    }

    #[test]
    fn the_soft_open_file_limit_is_raised_to_the_hard_one() {
        let in_force = raise_open_file_limit();
        let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE).unwrap();
        assert_eq!((in_force, soft), (hard, hard));
    }

    #[test]
    fn the_backlog_holds_more_than_std_s_128_pending_connections() {
        // Nobody accepts: every connection beyond the backlog would hang in SYN retries.
        let listener = bind("127.0.0.1:0".parse().unwrap(), 1024).unwrap();
        let addr = listener.local_addr().unwrap();
        let timeout = std::time::Duration::from_secs(2);
        let pending: Vec<_> = (0..400)
            .map(|i| {
                std::net::TcpStream::connect_timeout(&addr, timeout)
                    .unwrap_or_else(|e| panic!("connection {i} not queued: {e}"))
            })
            .collect();
        assert_eq!(pending.len(), 400);
    }
}
