//! [`super::open`] and [`super::candidates`] on real directories, symbolic links and FIFOs.

use std::io::Read as _;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use super::{candidates, open};

/// A temporary `uploads` directory (canonical) next to an `outside` one holding a secret.
struct Dirs {
    _root: tempfile::TempDir,
    uploads: PathBuf,
    outside: PathBuf,
}

impl Dirs {
    fn new() -> Self {
        let root = tempfile::tempdir().unwrap();
        let base = std::fs::canonicalize(root.path()).unwrap();
        let uploads = base.join("uploads");
        let outside = base.join("outside");
        std::fs::create_dir_all(uploads.join("lobby")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("7_secret"), b"secret").unwrap();
        Self {
            _root: root,
            uploads,
            outside,
        }
    }

    fn open(&self, path: &str) -> Result<Option<(PathBuf, Vec<u8>)>, String> {
        Ok(open(path, &self.uploads)?.map(|mut o| {
            let mut bytes = Vec::new();
            o.file.read_to_end(&mut bytes).unwrap();
            assert_eq!(o.len, bytes.len() as u64);
            (o.path, bytes)
        }))
    }
}

fn text(path: &Path) -> String {
    path.display().to_string()
}

#[test]
fn a_relative_path_is_looked_up_under_the_uploads_dir_by_ever_shorter_suffixes() {
    let got = candidates("uploads/lobby/12_a.jpg", Path::new("/srv/up"));
    let want: Vec<PathBuf> = [
        "/srv/up/uploads/lobby/12_a.jpg",
        "/srv/up/lobby/12_a.jpg",
        "/srv/up/12_a.jpg",
    ]
    .iter()
    .map(PathBuf::from)
    .collect();
    assert_eq!(got, want);
}

#[test]
fn an_absolute_path_is_tried_first_and_dot_dot_never_escapes() {
    let got = candidates("/var/sogs/uploads/x/1_b", Path::new("/new"));
    assert_eq!(got[0], PathBuf::from("/var/sogs/uploads/x/1_b"));
    assert_eq!(got[1], PathBuf::from("/new/var/sogs/uploads/x/1_b"));
    let escaped = candidates("../../etc/passwd", Path::new("/new"));
    assert!(escaped.iter().all(|p| p.starts_with("/new")), "{escaped:?}");
}

#[test]
fn a_regular_file_under_the_uploads_dir_is_opened() {
    let d = Dirs::new();
    std::fs::write(d.uploads.join("lobby/1_a"), b"abc").unwrap();
    let (path, bytes) = d.open("uploads/lobby/1_a").unwrap().unwrap();
    assert_eq!(
        (path, bytes),
        (d.uploads.join("lobby/1_a"), b"abc".to_vec())
    );
    assert!(d.open("uploads/lobby/2_missing").unwrap().is_none());
}

#[test]
fn a_symlink_that_stays_inside_the_uploads_dir_is_followed() {
    let d = Dirs::new();
    std::fs::create_dir(d.uploads.join("store")).unwrap();
    std::fs::write(d.uploads.join("store/1_a"), b"abc").unwrap();
    symlink("../store/1_a", d.uploads.join("lobby/1_a")).unwrap();
    let (path, bytes) = d.open("uploads/lobby/1_a").unwrap().unwrap();
    assert_eq!(
        (path, bytes),
        (d.uploads.join("store/1_a"), b"abc".to_vec())
    );
}

#[test]
fn a_symlinked_file_pointing_outside_is_refused() {
    let d = Dirs::new();
    let link = d.uploads.join("lobby/7_secret");
    symlink(d.outside.join("7_secret"), &link).unwrap();
    let err = d.open("uploads/lobby/7_secret").unwrap_err();
    let want = format!(
        "{} leaves the uploads directory {} (it resolves to {})",
        text(&link),
        text(&d.uploads),
        text(&d.outside.join("7_secret"))
    );
    assert_eq!(err, want);
}

#[test]
fn a_symlinked_directory_pointing_outside_is_refused() {
    let d = Dirs::new();
    symlink(&d.outside, d.uploads.join("news")).unwrap();
    let err = d.open("uploads/news/7_secret").unwrap_err();
    assert!(
        err.starts_with(&format!(
            "{} leaves the uploads directory",
            text(&d.uploads.join("news/7_secret"))
        )),
        "{err}"
    );
}

#[test]
fn an_absolute_path_outside_is_never_read_and_says_so_when_no_copy_is_under_uploads() {
    let d = Dirs::new();
    let secret = text(&d.outside.join("7_secret"));
    let err = d.open(&secret).unwrap_err();
    assert!(
        err.starts_with(&format!(
            "{secret} leaves the uploads directory {}, and no file of that name is under it",
            text(&d.uploads)
        )),
        "{err}"
    );
}

#[test]
fn an_absolute_path_outside_is_found_under_uploads_by_its_suffix() {
    let d = Dirs::new();
    std::fs::create_dir(d.uploads.join("outside")).unwrap();
    std::fs::write(d.uploads.join("outside/7_secret"), b"copied").unwrap();
    let (path, bytes) = d.open(&text(&d.outside.join("7_secret"))).unwrap().unwrap();
    assert_eq!(path, d.uploads.join("outside/7_secret"));
    assert_eq!(bytes, b"copied", "the copy, not the file outside");
}

#[test]
fn a_fifo_or_a_directory_in_place_of_a_file_is_refused() {
    let d = Dirs::new();
    let fifo = d.uploads.join("lobby/3_pipe");
    nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
    assert_eq!(
        d.open("uploads/lobby/3_pipe").unwrap_err(),
        format!("{} is not a regular file (it is a FIFO)", text(&fifo))
    );
    std::fs::create_dir(d.uploads.join("lobby/4_dir")).unwrap();
    assert!(
        d.open("lobby/4_dir")
            .unwrap_err()
            .ends_with("4_dir is not a regular file (it is a directory)")
    );
}

#[test]
fn a_file_swapped_for_a_symlink_after_it_was_found_is_not_read() {
    let d = Dirs::new();
    let real = d.uploads.join("lobby/1_a");
    std::fs::write(&real, b"abc").unwrap();
    // what `open` found a moment ago is now a link to the secret
    std::fs::remove_file(&real).unwrap();
    symlink(d.outside.join("7_secret"), &real).unwrap();
    let err = super::open_checked(&real, &d.uploads).unwrap_err();
    assert!(
        err.starts_with(&format!("{} changed while being read", text(&real))),
        "{err}"
    );
}

#[test]
fn a_directory_swapped_for_a_symlink_after_the_file_was_found_is_not_read() {
    let d = Dirs::new();
    std::fs::write(d.uploads.join("lobby/7_secret"), b"public").unwrap();
    let found = d.uploads.join("lobby/7_secret");
    std::fs::rename(d.uploads.join("lobby"), d.uploads.join("old")).unwrap();
    symlink(&d.outside, d.uploads.join("lobby")).unwrap();
    let err = super::open_checked(&found, &d.uploads).unwrap_err();
    assert!(err.contains("changed while being read"), "{err}");
}
