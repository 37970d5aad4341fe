//! The host side of a managed cluster: where the PostgreSQL binaries are, which account runs
//! the cluster, and the permissions of its directories.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use super::ClusterError;

/// Account the cluster runs as when the server runs as root.
const SYSTEM_ACCOUNT: &str = "postgres";

/// Finds the directory holding `initdb` and `pg_ctl`: PATH first, then the newest Debian version.
pub fn find_bin_dir() -> Option<PathBuf> {
    let has_tools = |dir: &Path| {
        ["initdb", "pg_ctl", "psql"]
            .iter()
            .all(|t| dir.join(t).is_file())
    };
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            if has_tools(&dir) {
                // Follow Debian's symlinks to the versioned directory, which holds every tool.
                let real = std::fs::canonicalize(dir.join("initdb")).ok();
                return Some(
                    real.and_then(|p| p.parent().map(Path::to_path_buf))
                        .unwrap_or(dir),
                );
            }
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse().ok()?;
            Some((version, e.path().join("bin")))
        })
        .filter(|(_, bin)| has_tools(bin))
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

/// `Some((uid, gid))` of the account the cluster must run as, when we are root.
pub(super) fn account_for_cluster() -> Result<Option<(u32, u32)>, ClusterError> {
    if !nix::unistd::geteuid().is_root() {
        return Ok(None);
    }
    let user = nix::unistd::User::from_name(SYSTEM_ACCOUNT)
        .ok()
        .flatten()
        .ok_or(ClusterError::NoSystemAccount)?;
    Ok(Some((user.uid.as_raw(), user.gid.as_raw())))
}

/// Makes sure the cluster account can reach `dir`: the directory itself becomes 0711
/// (searchable, not listable), and every ancestor must already be searchable by others.
pub(super) fn open_path_for_account(dir: &Path) -> Result<(), ClusterError> {
    let mode = std::fs::metadata(dir)?.permissions().mode();
    if mode & 0o001 == 0 {
        std::fs::set_permissions(
            dir,
            std::fs::Permissions::from_mode((mode & 0o7777) | 0o711),
        )?;
    }
    for ancestor in dir.ancestors().skip(1) {
        let mode = std::fs::metadata(ancestor)?.permissions().mode();
        if mode & 0o001 == 0 {
            return Err(ClusterError::NotTraversable(ancestor.to_path_buf()));
        }
    }
    Ok(())
}

/// Creates the cluster directory with mode 0700, owned by the cluster account.
pub(super) fn prepare_private_dir(
    dir: &Path,
    owner: Option<(u32, u32)>,
) -> Result<(), ClusterError> {
    std::fs::create_dir_all(dir)?;
    if let Some((uid, gid)) = owner {
        std::os::unix::fs::chown(dir, Some(uid), Some(gid))?;
    }
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    Ok(())
}
