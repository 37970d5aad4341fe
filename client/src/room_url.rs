//! Community join URLs (`http(s)://host[:port]/<token>?public_key=<64 hex>`), validated the way
//! Session Desktop validates them (spec client-protocols §1.1).

use std::fmt;

use sogs_protocol::ids::ServerPubkey;

/// A validated room URL: server base URL, room token and the server's X25519 key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomUrl {
    /// `scheme://host[:port]`, no trailing slash.
    pub server: String,
    /// The room token as written in the URL.
    pub token: String,
    /// The server's X25519 public key.
    pub pubkey: ServerPubkey,
}

/// Why a string is not a valid room URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoomUrlError {
    /// No `?public_key=` part, or other query parameters.
    #[error("the URL must end in ?public_key=<64 hex digits>")]
    PublicKey,
    /// The host is not a dotted name or address (`localhost` is refused, as Desktop does).
    #[error("invalid host {0:?}: a dotted name or IPv4 address is required")]
    Host(String),
    /// The port is not 1–99999 without a leading zero.
    #[error("invalid port {0:?}")]
    Port(String),
    /// The room token is not 1–64 of `[0-9a-zA-Z_-]`.
    #[error("invalid room token {0:?}")]
    Token(String),
}

impl RoomUrl {
    /// Parses and validates a join URL; a missing scheme means `http://`, as in Desktop.
    pub fn parse(input: &str) -> Result<Self, RoomUrlError> {
        let (scheme, rest) = match input.split_once("://") {
            Some((s, rest))
                if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https") =>
            {
                (s.to_ascii_lowercase(), rest)
            }
            Some((s, _)) => return Err(RoomUrlError::Host(format!("{s}://"))),
            None => ("http".to_owned(), input),
        };
        let (before, hex) = rest
            .split_once("?public_key=")
            .ok_or(RoomUrlError::PublicKey)?;
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(RoomUrlError::PublicKey);
        }
        let pubkey =
            ServerPubkey::parse(&hex.to_ascii_lowercase()).map_err(|_| RoomUrlError::PublicKey)?;
        let (authority, token) = before
            .split_once('/')
            .ok_or_else(|| RoomUrlError::Token(String::new()))?;
        check_token(token)?;
        let (host, port) = match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        check_host(host)?;
        if let Some(port) = port {
            check_port(port)?;
        }
        Ok(Self {
            server: format!("{scheme}://{authority}"),
            token: token.to_owned(),
            pubkey,
        })
    }
}

impl fmt::Display for RoomUrl {
    /// The share/QR form Desktop builds: `server/token?public_key=hex`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}?public_key={}",
            self.server,
            self.token,
            self.pubkey.to_hex()
        )
    }
}

/// Room tokens: 1–64 of `[0-9a-zA-Z_-]`.
fn check_token(token: &str) -> Result<(), RoomUrlError> {
    let ok = (1..=64).contains(&token.len())
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(RoomUrlError::Token(token.to_owned()))
    }
}

/// One or more `label.` groups then a label; labels are alphanumeric with inner `-`, ≤63 chars.
fn check_host(host: &str) -> Result<(), RoomUrlError> {
    let labels: Vec<&str> = host.split('.').collect();
    let valid_label = |l: &&str| {
        (1..=63).contains(&l.len())
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if labels.len() >= 2 && labels.iter().all(valid_label) {
        Ok(())
    } else {
        Err(RoomUrlError::Host(host.to_owned()))
    }
}

/// Ports match `[1-9][0-9]{0,4}`.
fn check_port(port: &str) -> Result<(), RoomUrlError> {
    let ok = (1..=5).contains(&port.len())
        && port.bytes().all(|b| b.is_ascii_digit())
        && !port.starts_with('0');
    if ok {
        Ok(())
    } else {
        Err(RoomUrlError::Port(port.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "a03c383cf63c3c4efe67acc52112a6dd734b3a946b9545f488aaa93da7991238";

    #[test]
    fn accepts_what_desktop_accepts() {
        for (url, server) in [
            (
                format!("http://127.0.0.1:3000/lobby?public_key={KEY}"),
                "http://127.0.0.1:3000",
            ),
            (
                format!("https://open.getsession.org/session-updates?public_key={KEY}"),
                "https://open.getsession.org",
            ),
            (
                format!("example.org/a_b-c?public_key={KEY}"),
                "http://example.org",
            ),
        ] {
            let parsed = RoomUrl::parse(&url).unwrap();
            assert_eq!(parsed.server, server);
            assert_eq!(parsed.pubkey.to_hex(), KEY);
        }
    }

    #[test]
    fn refuses_what_desktop_refuses() {
        for url in [
            format!("http://localhost:3000/lobby?public_key={KEY}"),
            format!("http://127.0.0.1:0300/lobby?public_key={KEY}"),
            format!("http://127.0.0.1/lo.bby?public_key={KEY}"),
            format!("http://127.0.0.1/lobby?public_key={KEY}&x=1"),
            format!("http://127.0.0.1/lobby?public_key={}", &KEY[1..]),
            "http://127.0.0.1/lobby".to_owned(),
            format!("ftp://127.0.0.1/lobby?public_key={KEY}"),
            format!("http://127.0.0.1/?public_key={KEY}"),
        ] {
            assert!(RoomUrl::parse(&url).is_err(), "{url}");
        }
    }

    #[test]
    fn displays_the_share_form() {
        let url = format!("http://127.0.0.1:3000/lobby?public_key={KEY}");
        assert_eq!(RoomUrl::parse(&url).unwrap().to_string(), url);
    }
}
