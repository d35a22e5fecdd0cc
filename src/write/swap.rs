//! Putting a finished build in place of the old output, so that the output is always one
//! whole build: never missing, never half of one, never two builds mixed.
//!
//! - **A lock.** A build holds an advisory lock on `.NAME.glossa-lock` beside the output
//!   ([`OutputLock`]) from before it stages until after it swaps: two builds into one output
//!   take turns (the second waits, and says so).
//! - **Folders of its own.** Each build stages into `.NAME.glossa-staging-PID-TIME-N`, a name
//!   no other build uses; the output marker goes in first.
//! - **One step.** On Linux the staging folder and the output trade places in one system call
//!   (`renameat2` with RENAME_EXCHANGE); the old output, now under the staging name, is then
//!   removed. Elsewhere, or on a filesystem without it, the output is renamed away to
//!   `.NAME.glossa-old-…` and the staging folder renamed in, and back if that fails.
//! - **Clean-up.** Under the lock, no other build of the output is running, so what is left
//!   beside it under those names is a failed or killed build's: [`recover`] puts an old output
//!   back where the output is missing, and removes the rest, each only if it carries the output
//!   marker (or is empty): a folder glossa did not make is left, and named.

use crate::diagnostics::{Code, Diagnostic};
use std::path::{Path, PathBuf};

pub(crate) const STAGING: &str = "staging";
const OLD: &str = "old";

/// The output folder's own name, which the names beside it start with.
fn name(out: &Path) -> String {
    out.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into())
}

/// `.NAME.glossa-KIND` beside `out`: a file or folder that belongs to the output (its lock,
/// its build cache).
pub(crate) fn own(out: &Path, kind: &str) -> PathBuf {
    out.with_file_name(format!(".{}.glossa-{kind}", name(out)))
}

/// `.NAME.glossa-KIND-SUFFIX` beside `out`.
pub(crate) fn beside(out: &Path, kind: &str, suffix: &str) -> PathBuf {
    out.with_file_name(format!(".{}.glossa-{kind}-{suffix}", name(out)))
}

/// A suffix no other build (no other process, no earlier folder of this one) uses: the process
/// id, the time in nanoseconds and a counter.
pub(crate) fn unique_suffix() -> String {
    static COUNT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{}-{nanos:x}-{n}", std::process::id())
}

/// A build's turn at its output folder: an advisory lock on a file beside it, held until
/// dropped. On Unix the file is removed, still locked, when the build ends, so none is left
/// behind. Elsewhere (Windows) it stays: a file removed while open there cannot be opened again
/// until every handle is closed, so a build arriving then would fail instead of waiting.
pub(crate) struct OutputLock {
    file: std::fs::File,
    #[cfg(unix)]
    path: PathBuf,
}

impl OutputLock {
    /// Takes the lock of `out` (whose parent exists), waiting as long as another build holds
    /// it; `waiting` is called once before a wait.
    pub(crate) fn acquire(out: &Path, waiting: impl FnOnce()) -> std::io::Result<OutputLock> {
        let path = own(out, "lock");
        let mut waiting = Some(waiting);
        loop {
            let file = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&path)?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => {
                    if let Some(say) = waiting.take() {
                        say();
                    }
                    file.lock()?;
                }
                // A filesystem without locks: builds into it cannot take turns, as before.
                Err(std::fs::TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {}
                Err(std::fs::TryLockError::Error(e)) => return Err(e),
            }
            // The build before may have removed the file once we had opened it: the lock is
            // on the file that has the name now, or taken again.
            if still_named(&file, &path) {
                return Ok(OutputLock {
                    file,
                    #[cfg(unix)]
                    path,
                });
            }
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed while locked: a build waiting on this file sees it gone and opens a new one.
        #[cfg(unix)]
        let _ = std::fs::remove_file(&self.path);
        let _ = self.file.unlock();
    }
}

/// Whether `path` still names the open `file`.
#[cfg(unix)]
fn still_named(file: &std::fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), path.metadata()) {
        (Ok(a), Ok(b)) => (a.dev(), a.ino()) == (b.dev(), b.ino()),
        _ => false,
    }
}

/// Elsewhere the lock file is never removed, so it always names the file.
#[cfg(not(unix))]
fn still_named(_: &std::fs::File, _: &Path) -> bool {
    true
}

/// Swaps the finished `staging` folder in for `out`. On an error the output is as it was.
pub(crate) fn swap_in(staging: &Path, out: &Path) -> std::io::Result<()> {
    if out.symlink_metadata().is_err() {
        return std::fs::rename(staging, out);
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        use rustix::io::Errno;
        match renameat_with(CWD, staging, CWD, out, RenameFlags::EXCHANGE) {
            Ok(()) => {
                // The old output, under the staging name now; if it cannot be removed here,
                // the next build removes it.
                let _ = std::fs::remove_dir_all(staging);
                return Ok(());
            }
            // The filesystem cannot exchange: rename away and in.
            Err(Errno::INVAL | Errno::NOSYS | Errno::OPNOTSUPP) => {}
            Err(e) => return Err(e.into()),
        }
    }
    swap_by_renames(staging, out)
}

/// The swap in two renames: the output away under an `old` name, the staging folder in. A
/// process killed between the two leaves the old output under that name, which the next
/// build puts back ([`recover`]).
fn swap_by_renames(staging: &Path, out: &Path) -> std::io::Result<()> {
    let old = beside(out, OLD, &unique_suffix());
    std::fs::rename(out, &old)?;
    if let Err(e) = std::fs::rename(staging, out) {
        let _ = std::fs::rename(&old, out);
        return Err(e);
    }
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

/// Takes the lock of `out` (saying so on stderr when another build holds it) and tidies up
/// what failed or killed builds left beside it ([`recover`]), with a warning for each
/// leftover it keeps.
pub(crate) fn claim(out: &Path, diags: &mut Vec<Diagnostic>) -> Result<OutputLock, String> {
    let lock = OutputLock::acquire(out, || {
        eprintln!("waiting for another build of {} to finish", out.display());
    })
    .map_err(|e| format!("cannot lock the output folder {}: {e}", out.display()))?;
    let kept =
        recover(out).map_err(|e| format!("cannot remove what a stopped build left beside {}: {e}", out.display()))?;
    for path in kept {
        diags.push(
            Diagnostic::warning(
                Code::StrayStagingFolder,
                &path,
                "left as it is: named like a build's staging folder, but glossa did not make it",
            )
            .hint("remove it or rename it"),
        );
    }
    Ok(lock)
}

/// After a failed or killed build of `out`, to be called with its lock held: an old output
/// left where the output is missing is put back, and the other leftovers (staging and old
/// folders) are removed. Returns the leftovers it did not remove because glossa did not make
/// them (no output marker, not empty).
pub(crate) fn recover(out: &Path) -> std::io::Result<Vec<PathBuf>> {
    let Some(parent) = out.parent() else {
        return Ok(Vec::new());
    };
    let prefix = |kind: &str| format!(".{}.glossa-{kind}-", name(out));
    let (staging, old) = (prefix(STAGING), prefix(OLD));
    let mut leftovers: Vec<(bool, PathBuf)> = Vec::new();
    for entry in std::fs::read_dir(parent)?.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let is_old = file_name.starts_with(&old);
        if (is_old || file_name.starts_with(&staging)) && entry.file_type().is_ok_and(|t| t.is_dir()) {
            leftovers.push((is_old, entry.path()));
        }
    }
    if out.symlink_metadata().is_err() {
        let modified = |p: &Path| p.metadata().and_then(|m| m.modified()).ok();
        let newest = leftovers
            .iter()
            .enumerate()
            .filter(|(_, (is_old, _))| *is_old)
            .max_by_key(|(_, (_, p))| modified(p))
            .map(|(i, _)| i);
        if let Some(i) = newest {
            let (_, path) = leftovers.swap_remove(i);
            std::fs::rename(&path, out)?;
        }
    }
    let mut kept = Vec::new();
    for (_, path) in leftovers {
        let marked = path.join(crate::output::MARKER).is_file();
        let empty = std::fs::read_dir(&path).is_ok_and(|mut d| d.next().is_none());
        if marked || empty {
            // A staging folder of an incremental build killed while it committed: what it
            // had moved into the output goes back first.
            super::changes::roll_back(&path, out)?;
            std::fs::remove_dir_all(&path)?;
        } else {
            kept.push(path);
        }
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{MARKER, MARKER_TEXT};

    fn folder(path: &Path, files: &[(&str, &str)]) {
        std::fs::create_dir_all(path).expect("a folder");
        for (name, text) in files {
            std::fs::write(path.join(name), text).expect("a file");
        }
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path).unwrap_or_default()
    }

    #[test]
    fn both_swaps_replace_the_output_and_leave_nothing_beside_it() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let out = tmp.path().join("public");
        for swap in [swap_in, swap_by_renames] {
            folder(&out, &[("index.html", "old")]);
            let staging = beside(&out, STAGING, &unique_suffix());
            folder(&staging, &[("index.html", "new")]);
            swap(&staging, &out).expect("the swap");
            assert_eq!(read(&out.join("index.html")), "new");
            let names: Vec<_> = std::fs::read_dir(tmp.path())
                .expect("a listing")
                .flatten()
                .map(|e| e.file_name())
                .collect();
            assert_eq!(names, ["public"]);
            std::fs::remove_dir_all(&out).expect("removed");
        }
    }

    #[test]
    fn a_failed_swap_leaves_the_output_as_it_was() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let out = tmp.path().join("public");
        folder(&out, &[("index.html", "old")]);
        let missing = beside(&out, STAGING, "gone");
        assert!(swap_by_renames(&missing, &out).is_err());
        assert!(swap_in(&missing, &out).is_err());
        assert_eq!(read(&out.join("index.html")), "old");
        assert_eq!(std::fs::read_dir(tmp.path()).expect("a listing").count(), 1);
    }

    #[test]
    fn a_failed_commit_removes_its_staging_folder() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let out = tmp.path().join("public");
        let staging = crate::write::Staging::new(&out).expect("a staging folder");
        assert_eq!(std::fs::read_dir(tmp.path()).expect("a listing").count(), 1);
        // Its folder gone, the output cannot be put there.
        assert!(staging.commit(&tmp.path().join("gone/public")).is_err());
        assert_eq!(std::fs::read_dir(tmp.path()).expect("a listing").count(), 0);
    }

    #[test]
    fn recovery_puts_an_old_output_back_and_removes_glossas_leftovers() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let out = tmp.path().join("public");
        let marked = [(MARKER, MARKER_TEXT), ("index.html", "old")];
        folder(&beside(&out, OLD, "1-a-0"), &marked);
        folder(&beside(&out, STAGING, "2-b-0"), &[(MARKER, MARKER_TEXT)]);
        folder(&beside(&out, STAGING, "3-c-0"), &[]);
        let foreign = beside(&out, STAGING, "4-d-0");
        folder(&foreign, &[("mine.txt", "not glossa's")]);
        folder(&tmp.path().join("unrelated"), &[("x", "y")]);
        let kept = recover(&out).expect("recovery");
        assert_eq!(kept, [foreign]);
        assert_eq!(read(&out.join("index.html")), "old", "the old output is back");
        let mut names: Vec<_> = std::fs::read_dir(tmp.path())
            .expect("a listing")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [".public.glossa-staging-4-d-0", "public", "unrelated"]);
    }

    #[test]
    fn a_second_lock_waits_for_the_first() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let out = tmp.path().join("public");
        let first = OutputLock::acquire(&out, || panic!("the first does not wait")).expect("a lock");
        let (tx, rx) = std::sync::mpsc::channel();
        let waiter = {
            let out = out.clone();
            std::thread::spawn(move || {
                let said = tx.clone();
                let lock = OutputLock::acquire(&out, move || said.send("waiting").expect("sent"));
                tx.send("locked").expect("sent");
                lock.is_ok()
            })
        };
        assert_eq!(rx.recv().ok(), Some("waiting"));
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(
            rx.try_recv().is_err(),
            "the second waits while the first holds the lock"
        );
        drop(first);
        assert_eq!(rx.recv().ok(), Some("locked"));
        assert!(waiter.join().unwrap_or(false));
        let left: Vec<_> = std::fs::read_dir(tmp.path())
            .expect("a listing")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        if cfg!(unix) {
            assert_eq!(left, [] as [String; 0], "no lock file is left");
        } else {
            assert_eq!(left, [".public.glossa-lock"], "the lock file stays, unlocked");
        }
    }
}
