//! Finding an upload's content under `--uploads`, and never outside it: a candidate path is
//! resolved (symbolic links and all) and read only if it is a regular file whose real path
//! lies inside the canonical uploads directory; what is opened is checked again, so a swap
//! between the check and the read cannot reach another file.

use std::fs::{File, Metadata, OpenOptions};
use std::io::ErrorKind;
use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
use std::path::{Component, Path, PathBuf};

/// An upload's content, open for reading.
#[derive(Debug)]
pub(crate) struct Opened {
    /// The real path (inside the uploads directory).
    pub(crate) path: PathBuf,
    /// Its length when opened.
    pub(crate) len: u64,
    /// The open file.
    pub(crate) file: File,
}

/// What is at one candidate path.
#[derive(Debug, PartialEq, Eq)]
enum At {
    Nothing,
    /// A regular file inside the uploads directory, by its real path.
    File(PathBuf),
    /// Something whose real path is outside the uploads directory, and the message.
    Outside(String),
    /// A directory, FIFO, socket or device, and the message.
    NotRegular(String),
}

/// Finds and opens the content of `files.path`: the first of [`candidates`] that exists.
/// `uploads` must be canonical. `Ok(None)`: nothing exists at any of them. `Err`: why a path
/// that exists is not read (it leaves `uploads`, or is not a regular file), or an I/O error;
/// the message names the path.
pub(crate) fn open(path: &str, uploads: &Path) -> Result<Option<Opened>, String> {
    let absolute = Path::new(path).is_absolute();
    let mut outside = None;
    for (i, candidate) in candidates(path, uploads).iter().enumerate() {
        match inspect(candidate, uploads)? {
            At::Nothing => {}
            At::File(real) => return open_checked(&real, uploads).map(Some),
            // the absolute path as given, outside: where pysogs kept it; a copy may be here
            At::Outside(why) if i == 0 && absolute => outside = Some(why),
            At::Outside(why) | At::NotRegular(why) => return Err(why),
        }
    }
    match outside {
        Some(why) => Err(format!(
            "{why}, and no file of that name is under it (copy pysogs's uploads into that \
             directory)"
        )),
        None => Ok(None),
    }
}

/// Where the content of `files.path` may be: the path itself when absolute, then the path
/// under `uploads` with ever fewer leading components (`uploads/lobby/12_a.jpg` →
/// `<uploads>/uploads/lobby/12_a.jpg`, `<uploads>/lobby/12_a.jpg`, `<uploads>/12_a.jpg`).
/// `..` and root components are dropped, so only the absolute path itself may name a place
/// outside `uploads` (and [`open`] reads nothing there). The `<id>_` prefix pysogs gives every
/// stored name keeps the short forms unambiguous.
fn candidates(path: &str, uploads: &Path) -> Vec<PathBuf> {
    let given = Path::new(path);
    let mut out = Vec::new();
    if given.is_absolute() {
        out.push(given.to_path_buf());
    }
    let parts: Vec<&std::ffi::OsStr> = given
        .components()
        .filter_map(|c| match c {
            Component::Normal(part) => Some(part),
            _ => None,
        })
        .collect();
    for skip in 0..parts.len() {
        out.push(uploads.join(parts[skip..].iter().collect::<PathBuf>()));
    }
    out
}

/// Resolves `candidate` and says whether it may be read.
fn inspect(candidate: &Path, uploads: &Path) -> Result<At, String> {
    let real = match std::fs::canonicalize(candidate) {
        Ok(real) => real,
        Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::NotADirectory) => {
            return Ok(At::Nothing);
        }
        Err(e) => return Err(format!("{}: {e}", candidate.display())),
    };
    if !real.starts_with(uploads) {
        let via = if real == candidate {
            String::new()
        } else {
            format!(" (it resolves to {})", real.display())
        };
        return Ok(At::Outside(format!(
            "{} leaves the uploads directory {}{via}",
            candidate.display(),
            uploads.display(),
        )));
    }
    let meta = std::fs::metadata(&real).map_err(|e| format!("{}: {e}", real.display()))?;
    Ok(match not_regular(&meta) {
        Some(kind) => At::NotRegular(format!(
            "{} is not a regular file (it is {kind})",
            candidate.display()
        )),
        None => At::File(real),
    })
}

/// What a non-regular file is, or `None` for a regular one.
fn not_regular(meta: &Metadata) -> Option<&'static str> {
    let t = meta.file_type();
    if t.is_file() {
        None
    } else if t.is_dir() {
        Some("a directory")
    } else if t.is_fifo() {
        Some("a FIFO")
    } else if t.is_socket() {
        Some("a socket")
    } else if t.is_block_device() || t.is_char_device() {
        Some("a device")
    } else {
        Some("not a file")
    }
}

/// Opens `real` without following a final symbolic link and without blocking (a FIFO put
/// there since), then checks that the open file is regular and is still what `real` resolves
/// to inside `uploads` (same device and inode).
fn open_checked(real: &Path, uploads: &Path) -> Result<Opened, String> {
    let changed = |why: String| format!("{} changed while being read: {why}", real.display());
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(real)
        .map_err(|e| changed(e.to_string()))?;
    let meta = file.metadata().map_err(|e| changed(e.to_string()))?;
    if let Some(kind) = not_regular(&meta) {
        return Err(changed(format!("it is now {kind}")));
    }
    let At::File(again) = inspect(real, uploads)? else {
        return Err(changed(
            "it no longer resolves to a file in the uploads directory".into(),
        ));
    };
    let now = std::fs::metadata(&again).map_err(|e| changed(e.to_string()))?;
    if (now.dev(), now.ino()) != (meta.dev(), meta.ino()) {
        return Err(changed("it was replaced".into()));
    }
    Ok(Opened {
        path: again,
        len: meta.len(),
        file,
    })
}

#[cfg(test)]
mod tests;
