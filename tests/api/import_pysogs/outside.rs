//! Only regular files inside `--uploads` are read: a symbolic link (to a file or through a
//! directory) that leaves it, an absolute `files.path` outside it, a FIFO or a directory in
//! place of a file each stop the import with the file id, the path and why, and nothing of
//! what lies outside reaches the database.

use std::os::unix::fs::symlink;
use std::path::PathBuf;

use sogs_tests::TestDatabase;

use super::fixture::{Fixture, random_bytes};
use super::{rows_in, run_admin};

/// The fixture's uploads directory as the importer names it (symbolic links resolved).
fn uploads(fx: &Fixture) -> PathBuf {
    std::fs::canonicalize(fx.uploads()).unwrap()
}

/// A file outside the uploads directory, of `len` random bytes; returns its path and bytes.
fn secret(fx: &Fixture, name: &str, len: usize) -> (PathBuf, Vec<u8>) {
    let dir = fx.dir.path().join("private");
    std::fs::create_dir_all(&dir).unwrap();
    let bytes = random_bytes(len);
    let path = dir.join(name);
    std::fs::write(&path, &bytes).unwrap();
    (path, bytes)
}

/// Imports through `sogs-admin` and expects the refusal `upload <id>: <message>…`, with
/// nothing written and `outside` (when given) in no row.
async fn assert_refused(fx: &Fixture, id: i64, message: &str, outside: Option<&[u8]>) {
    let sqlite = fx.write_sqlite();
    let database = TestDatabase::create().await;
    let data_dir = tempfile::tempdir().unwrap();

    let out = run_admin(fx, &database, data_dir.path(), &sqlite);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let want = format!("upload {id}: {message}");
    assert!(stderr.contains(&want), "want {want:?} in {stderr}");

    let pool = database.pool().await;
    assert_eq!(rows_in(&pool).await, 0, "nothing was written");
    if let Some(outside) = outside {
        let stored: i64 = sqlx::query_scalar("select count(*) from files where content = $1")
            .bind(outside)
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(stored, 0, "the bytes outside were stored");
    }
    assert!(
        !data_dir.path().join(sogs_server::keys::KEY_FILE).exists(),
        "no key installed after a refusal"
    );
}

#[tokio::test]
async fn an_upload_symlinked_to_a_file_outside_the_uploads_dir_is_refused() {
    let fx = Fixture::new();
    let (target, bytes) = secret(&fx, "shadow", fx.attachment.len());
    let link = fx.uploads().join("lobby/2_cat.jpg");
    std::fs::remove_file(&link).unwrap();
    symlink(&target, &link).unwrap();

    let message = format!(
        "{} leaves the uploads directory {} (it resolves to {})",
        uploads(&fx).join("lobby/2_cat.jpg").display(),
        uploads(&fx).display(),
        std::fs::canonicalize(&target).unwrap().display()
    );
    assert_refused(&fx, 2, &message, Some(&bytes)).await;
}

#[tokio::test]
async fn an_upload_reached_through_a_directory_symlinked_outside_is_refused() {
    let fx = Fixture::new();
    // the lobby's uploads moved out, a symbolic link left in their place
    let moved = fx.dir.path().join("private-lobby");
    std::fs::rename(fx.uploads().join("lobby"), &moved).unwrap();
    symlink(&moved, fx.uploads().join("lobby")).unwrap();

    let message = format!(
        "{} leaves the uploads directory",
        uploads(&fx).join("lobby/1_lobby.png").display()
    );
    assert_refused(&fx, 1, &message, Some(&fx.image)).await;
}

#[tokio::test]
async fn an_absolute_path_outside_the_uploads_dir_is_refused_though_the_file_exists() {
    let fx = Fixture::new();
    // no copy under --uploads: only the old place outside holds the document
    std::fs::remove_file(fx.document_path()).unwrap();
    let old = fx.old_document_path();
    assert!(old.is_file());

    let message = format!(
        "{} leaves the uploads directory {}, and no file of that name is under it",
        old.display(),
        uploads(&fx).display()
    );
    let outside = fx.document.to_ascii_uppercase();
    assert_refused(&fx, 4, &message, Some(&outside)).await;
}

#[tokio::test]
async fn a_fifo_in_place_of_an_upload_is_refused_without_blocking() {
    let fx = Fixture::new();
    let path = fx.uploads().join("lobby/2_cat.jpg");
    std::fs::remove_file(&path).unwrap();
    nix::unistd::mkfifo(&path, nix::sys::stat::Mode::S_IRWXU).unwrap();

    let message = format!(
        "{} is not a regular file (it is a FIFO)",
        uploads(&fx).join("lobby/2_cat.jpg").display()
    );
    assert_refused(&fx, 2, &message, None).await;
}

#[tokio::test]
async fn a_directory_in_place_of_an_upload_is_refused() {
    let fx = Fixture::new();
    let path = fx.uploads().join("lobby/1_lobby.png");
    std::fs::remove_file(&path).unwrap();
    std::fs::create_dir(&path).unwrap();

    let message = format!(
        "{} is not a regular file (it is a directory)",
        uploads(&fx).join("lobby/1_lobby.png").display()
    );
    assert_refused(&fx, 1, &message, None).await;
}
