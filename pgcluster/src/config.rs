//! The cluster's own configuration, rewritten at every start: Unix socket only, private socket,
//! `local` connections only in `pg_hba.conf`, so even a manual `pg_ctl start` cannot expose
//! the cluster on TCP.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use super::ClusterError;

/// File with our settings, included at the end of `postgresql.conf`.
const SETTINGS_FILE: &str = "sogs-server.conf";
/// The line `postgresql.conf` must end with.
const INCLUDE_LINE: &str = "include = 'sogs-server.conf'";
/// Comment written above [`INCLUDE_LINE`].
const INCLUDE_COMMENT: &str =
    "# Added by sogs-server (keep it last: its settings must win; it is re-added at every start)";

/// Only Unix-socket connections. The socket directory is the cluster directory (mode 0700),
/// so only the cluster account (and root) can reach it.
const PG_HBA: &str = "\
# Written by sogs-server at every start; edits are overwritten.
# Unix-socket connections only (no host lines: nothing over TCP). The socket lives in this
# directory (mode 0700), so only the cluster's own account and root can connect.
# TYPE  DATABASE  USER  METHOD
local   all       all   trust
";

/// Writes the settings file and `pg_hba.conf`, and makes `postgresql.conf` end by including
/// the settings. Idempotent; files are replaced atomically and owned by `owner`.
pub(super) fn write(pg_dir: &Path, owner: Option<(u32, u32)>) -> Result<(), ClusterError> {
    write_file(&pg_dir.join(SETTINGS_FILE), &settings(pg_dir), owner)?;
    write_file(&pg_dir.join("pg_hba.conf"), PG_HBA, owner)?;
    let main_conf = pg_dir.join("postgresql.conf");
    let current = std::fs::read_to_string(&main_conf)?;
    if let Some(updated) = with_include_last(&current) {
        write_file(&main_conf, &updated, owner)?;
    }
    Ok(())
}

/// Our settings: no TCP listener; the socket in `pg_dir`, accessible to its owner only.
fn settings(pg_dir: &Path) -> String {
    let socket_dir = pg_dir.to_string_lossy().replace('\'', "''");
    format!(
        "# Written by sogs-server at every start; edits are overwritten.\n\
         # The cluster is reachable only through the Unix socket in its own directory.\n\
         listen_addresses = ''\n\
         unix_socket_directories = '{socket_dir}'\n\
         unix_socket_permissions = 0700\n"
    )
}

/// `postgresql.conf` with our include as its last line, or `None` if it already is.
fn with_include_last(conf: &str) -> Option<String> {
    let meaningful: Vec<&str> = conf.lines().filter(|l| !l.trim().is_empty()).collect();
    if meaningful.last().map(|l| l.trim()) == Some(INCLUDE_LINE) {
        return None;
    }
    let mut kept: String = conf
        .lines()
        .filter(|l| !matches!(l.trim(), INCLUDE_LINE | INCLUDE_COMMENT))
        .flat_map(|l| [l, "\n"])
        .collect();
    kept.push_str(&format!("\n{INCLUDE_COMMENT}\n{INCLUDE_LINE}\n"));
    Some(kept)
}

/// Replaces `path` with `contents` (mode 0600) through a temporary file (named after our pid,
/// so that `sogs-admin` and the server never share one) and a rename.
fn write_file(path: &Path, contents: &str, owner: Option<(u32, u32)>) -> Result<(), ClusterError> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(format!(".sogs-tmp.{}", std::process::id()));
    let temporary = Path::new(&temporary);
    let _ = std::fs::remove_file(temporary);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(temporary)?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()?;
    if let Some((uid, gid)) = owner {
        std::os::unix::fs::chown(temporary, Some(uid), Some(gid))?;
    }
    std::fs::rename(temporary, path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_include_is_appended_once_and_kept_last() {
        let first = with_include_last("port = 5432\n").unwrap_or_default();
        assert!(first.ends_with(&format!("{INCLUDE_LINE}\n")), "{first}");
        assert_eq!(with_include_last(&first), None);
        let edited = format!("{first}listen_addresses = '*'\n");
        let fixed = with_include_last(&edited).unwrap_or_default();
        assert!(fixed.ends_with(&format!("{INCLUDE_LINE}\n")), "{fixed}");
        assert_eq!(fixed.matches(INCLUDE_LINE).count(), 1, "{fixed}");
    }

    #[test]
    fn settings_quote_the_socket_directory() {
        let text = settings(Path::new("/tmp/it's"));
        assert!(
            text.contains("unix_socket_directories = '/tmp/it''s'"),
            "{text}"
        );
        assert!(text.contains("listen_addresses = ''"), "{text}");
    }
}
