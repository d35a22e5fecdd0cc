//! Write: the only stage that writes. Everything goes into a staging folder beside the output,
//! which replaces the output only when the whole build has succeeded (`swap`: the lock that
//! makes builds into one output take turns, the swap, and the clean-up after a killed build).

use crate::render::{Piece, Sink};
use std::io::Write;
use std::path::{Component, Path, PathBuf};

mod book;
mod changes;
mod swap;
pub(crate) use book::BookFile;
pub(crate) use changes::{Changes, Committed};
use swap::{STAGING, beside, swap_in, unique_suffix};
pub(crate) use swap::{claim, own as beside_output};

/// Where a build's files go: a [`Sink`] that can also copy a file in (a static file).
pub(crate) trait Files: Sink {
    fn copy(&self, rel: &str, from: &Path) -> std::io::Result<()>;
}

impl Files for Staging {
    fn copy(&self, rel: &str, from: &Path) -> std::io::Result<()> {
        let to = self.target(rel)?;
        std::fs::copy(from, to).map(|_| ())
    }
}

pub(crate) struct Staging {
    dir: PathBuf,
    progress: std::sync::Mutex<Progress>,
    /// The folders made so far: a file into one of them needs no `mkdir` first (the search
    /// index's thousands of files go into two folders).
    made: std::sync::Mutex<crate::hash::FastSet<PathBuf>>,
}

/// A progress bar on a terminal, shown only once a build has taken more than a second.
struct Progress {
    start: std::time::Instant,
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    fn tick(&mut self, done: usize, total: usize) {
        use std::io::IsTerminal;
        if self.bar.is_none() && self.start.elapsed().as_secs_f64() > 1.0 && std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new(total as u64);
            if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} documents") {
                bar.set_style(style);
            }
            self.bar = Some(bar);
        }
        if let Some(bar) = &self.bar {
            bar.set_position(done as u64);
        }
    }
}

impl Staging {
    /// A fresh staging folder beside `out`, whose parent exists: a name of its own
    /// (`beside`), so that no other build's folder is ever touched, with the output marker
    /// in it from the start (what lets the next build remove it if this one is killed).
    pub(crate) fn new(out: &Path) -> std::io::Result<Staging> {
        let dir = loop {
            let dir = beside(out, STAGING, &unique_suffix());
            match std::fs::create_dir(&dir) {
                Ok(()) => break dir,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        };
        let progress = Progress {
            start: std::time::Instant::now(),
            bar: None,
        };
        let staging = Staging {
            dir,
            progress: std::sync::Mutex::new(progress),
            made: Default::default(),
        };
        std::fs::write(staging.dir.join(crate::output::MARKER), crate::output::MARKER_TEXT)?;
        Ok(staging)
    }

    /// Swaps the staging folder in for `out`. On failure the staging folder is removed and
    /// the output is as it was.
    pub(crate) fn commit(mut self, out: &Path) -> std::io::Result<()> {
        if let Some(bar) = self.progress.get_mut().ok().and_then(|p| p.bar.take()) {
            bar.finish_and_clear();
        }
        // Taken out, so that forgetting `self` (its drop would remove the folder) leaks nothing.
        let dir = std::mem::take(&mut self.dir);
        drop(std::mem::take(&mut self.made));
        std::mem::forget(self);
        let swapped = swap_in(&dir, out);
        if swapped.is_err() {
            let _ = std::fs::remove_dir_all(&dir);
        }
        swapped
    }

    pub(crate) fn target(&self, rel: &str) -> std::io::Result<PathBuf> {
        let rel = Path::new(rel);
        if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
            return Err(std::io::Error::other(format!(
                "refusing to write outside the output folder: {}",
                rel.display()
            )));
        }
        let to = self.dir.join(rel);
        if let Some(parent) = to.parent()
            && !self.made.lock().is_ok_and(|m| m.contains(parent))
        {
            std::fs::create_dir_all(parent)?;
            if let Ok(mut m) = self.made.lock() {
                m.insert(parent.to_owned());
            }
        }
        Ok(to)
    }
}

impl Drop for Staging {
    /// A build that did not commit leaves no stray folder.
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Sink for Staging {
    fn progress(&self, done: usize, total: usize) {
        if let Ok(mut p) = self.progress.lock() {
            p.tick(done, total);
        }
    }

    fn put(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        // One write of the whole page: no buffer needed, and no copy into one.
        std::fs::write(self.target(rel)?, bytes)
    }

    fn stream(&self, rel: &str) -> std::io::Result<Box<dyn Write + Send + '_>> {
        Ok(Box::new(std::io::BufWriter::with_capacity(
            1 << 16,
            std::fs::File::create(self.target(rel)?)?,
        )))
    }
}

/// A sink that keeps nothing: `check` renders through it to catch template errors.
pub(crate) struct Discard;

impl Sink for Discard {
    fn put(&self, _: &str, _: &[u8]) -> std::io::Result<()> {
        Ok(())
    }

    fn stream(&self, _: &str) -> std::io::Result<Box<dyn Write + Send + '_>> {
        Ok(Box::new(std::io::sink()))
    }
}

/// The hash of each file of `serve`'s output folder as it was last written (or, for a file not
/// written since the full build, as found on the disk), by its path in that folder. A page
/// rendered again after an edit is written only when its bytes differ: which pages an edit
/// changed is decided by the pages themselves, never by a second account of what they show.
#[derive(Default)]
pub(crate) struct FileHashes(std::sync::Mutex<crate::hash::FastMap<String, u64>>);

impl FileHashes {
    /// Whether the file `rel` of `dir` holds `bytes` (of hash `hash`), as last written or, if
    /// it is not known yet, as on the disk (then remembered).
    fn holds(&self, dir: &Path, rel: &str, bytes: &[u8], hash: u64) -> bool {
        if let Some(&known) = self.lock().get(rel) {
            return known == hash;
        }
        let same = std::fs::read(dir.join(rel)).is_ok_and(|old| old == bytes);
        if same {
            self.set(rel, Some(hash));
        }
        same
    }

    /// Records the hash of what `rel` now holds; `None` for not known (written piece by piece,
    /// or removed).
    pub(crate) fn set(&self, rel: &str, hash: Option<u64>) {
        let mut map = self.lock();
        match hash {
            Some(h) => map.insert(rel.to_owned(), h),
            None => map.remove(rel),
        };
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, crate::hash::FastMap<String, u64>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A sink for `serve`'s partial rebuilds: it takes only the files `wanted` says, writes each
/// straight into the live output folder only when its bytes differ from what the file holds
/// ([`FileHashes`]), through a temporary file renamed over the old one (a page is never served
/// half-written), and records what it rendered and what it wrote.
pub(crate) struct Selective<'a> {
    dir: PathBuf,
    wanted: Box<dyn Fn(&str) -> bool + Sync + 'a>,
    hashes: &'a FileHashes,
    /// Every wanted file rendered, and those of them written (their bytes had changed).
    rendered: std::sync::Mutex<Vec<String>>,
    written: std::sync::Mutex<Vec<String>>,
    /// Set from elsewhere to give up: writes fail from then on, and rendering stops.
    cancel: Option<&'a std::sync::atomic::AtomicBool>,
}

/// What a [`Selective`] sink did, each list sorted.
pub(crate) struct Selected {
    /// The files rendered (wanted).
    pub rendered: Vec<String>,
    /// The files written: those rendered whose bytes had changed.
    pub written: Vec<String>,
}

impl<'a> Selective<'a> {
    pub(crate) fn new(
        dir: &Path,
        wanted: impl Fn(&str) -> bool + Sync + 'a,
        hashes: &'a FileHashes,
        cancel: Option<&'a std::sync::atomic::AtomicBool>,
    ) -> Selective<'a> {
        Selective {
            dir: dir.to_path_buf(),
            wanted: Box::new(wanted),
            hashes,
            rendered: Default::default(),
            written: Default::default(),
            cancel,
        }
    }

    pub(crate) fn finish(self) -> Selected {
        let sorted = |list: std::sync::Mutex<Vec<String>>| {
            let mut list = list.into_inner().unwrap_or_else(|e| e.into_inner());
            list.sort();
            list
        };
        Selected {
            rendered: sorted(self.rendered),
            written: sorted(self.written),
        }
    }

    fn paths(&self, rel: &str) -> std::io::Result<(PathBuf, PathBuf)> {
        if Path::new(rel).components().any(|c| !matches!(c, Component::Normal(_))) {
            return Err(std::io::Error::other(format!(
                "refusing to write outside the output folder: {rel}"
            )));
        }
        let to = self.dir.join(rel);
        if let Some(parent) = to.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let name = to
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok((to.with_file_name(format!(".{name}.glossa-new")), to))
    }

    fn record(list: &std::sync::Mutex<Vec<String>>, rel: &str) {
        list.lock().unwrap_or_else(|e| e.into_inner()).push(rel.to_owned());
    }
}

impl Sink for Selective<'_> {
    fn wants(&self, rel: &str) -> bool {
        (self.wanted)(rel)
    }

    fn put(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        if !self.wants(rel) {
            return Ok(());
        }
        Self::record(&self.rendered, rel);
        let hash = crate::hash::of_bytes(bytes);
        if self.hashes.holds(&self.dir, rel, bytes, hash) {
            return Ok(());
        }
        let (tmp, to) = self.paths(rel)?;
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, &to)?;
        self.hashes.set(rel, Some(hash));
        Self::record(&self.written, rel);
        Ok(())
    }

    /// Made of the file served and new bytes, under a temporary name renamed into place.
    fn patch(&self, rel: &str, pieces: &[Piece]) -> std::io::Result<()> {
        if !self.wants(rel) {
            return Ok(());
        }
        let (tmp, to) = self.paths(rel)?;
        let written = std::fs::File::open(&to).and_then(|mut old| {
            let mut new = std::fs::File::create(&tmp)?;
            write_pieces(&mut old, &mut new, pieces, rel)
        });
        if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, &to)) {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
        self.hashes.set(rel, None);
        Self::record(&self.rendered, rel);
        Self::record(&self.written, rel);
        Ok(())
    }

    fn last(&self, rel: &str) -> std::io::Result<Box<dyn crate::render::LastFile + '_>> {
        let file = std::fs::File::open(self.paths(rel)?.1)?;
        Ok(Box::new(std::io::BufReader::new(file)))
    }

    /// Written whole, without a comparison (annotations.jsonld, too large to hold).
    fn stream(&self, rel: &str) -> std::io::Result<Box<dyn Write + Send + '_>> {
        if !self.wants(rel) {
            return Ok(Box::new(std::io::sink()));
        }
        let (tmp, to) = self.paths(rel)?;
        self.hashes.set(rel, None);
        Self::record(&self.rendered, rel);
        Self::record(&self.written, rel);
        Ok(Box::new(Swap {
            file: Some(std::io::BufWriter::new(std::fs::File::create(&tmp)?)),
            tmp,
            to,
            cancel: self.cancel,
        }))
    }
}

/// A file written under a temporary name and renamed into place when flushed; removed if it
/// is cancelled or dropped before.
struct Swap<'a> {
    file: Option<std::io::BufWriter<std::fs::File>>,
    tmp: PathBuf,
    to: PathBuf,
    cancel: Option<&'a std::sync::atomic::AtomicBool>,
}

impl Drop for Swap<'_> {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

impl Write for Swap<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self
            .cancel
            .is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed))
        {
            // Not `Interrupted`, which `write_all` retries.
            return Err(std::io::Error::other("cancelled"));
        }
        match &mut self.file {
            Some(f) => f.write(buf),
            None => Err(std::io::Error::other("written after it was flushed")),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if let Some(mut f) = self.file.take() {
            f.flush()?;
            drop(f);
            std::fs::rename(&self.tmp, &self.to)?;
        }
        Ok(())
    }
}

/// Writes into `new` the file `pieces` make of `old` (the output's file `rel`) and new bytes:
/// the old ranges are copied by the kernel (`io::copy` between files), never read into memory.
pub(crate) fn write_pieces(
    old: &mut std::fs::File,
    new: &mut std::fs::File,
    pieces: &[Piece],
    rel: &str,
) -> std::io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    for piece in pieces {
        match piece {
            Piece::Old(range) => {
                old.seek(SeekFrom::Start(range.start))?;
                let want = range.end - range.start;
                // Between two files (`Take<&File>` included), std copies in the kernel.
                let copied = std::io::copy(&mut (&*old).take(want), new)?;
                if copied != want {
                    return Err(std::io::Error::other(format!(
                        "{rel} is shorter than the last build left it"
                    )));
                }
            }
            Piece::New(bytes) => new.write_all(bytes)?,
        }
    }
    Ok(())
}

/// Replaces the file at `path` with `bytes` so that it is, at every moment and after a crash,
/// either the old file or the whole new one: the bytes go into a temporary file in the same
/// folder (a rename within one file system is atomic), which takes the old file's permissions,
/// is flushed to the disk, and is renamed over the old one. For the files people edit, such
/// as sidecars rewritten by `check --fix`.
pub(crate) fn replace_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(".{name}.glossa-{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        if let Ok(meta) = std::fs::metadata(path) {
            file.set_permissions(meta.permissions())?;
        }
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
        return written;
    }
    // The rename itself reaches the disk when the folder is flushed (where a folder can be
    // opened as a file; elsewhere the rename is as durable as the system makes it).
    if let Ok(folder) = std::fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}

/// Creates the file at `path` with `bytes`, all at once, unless a file is there already (an
/// error of kind `AlreadyExists`, and nothing written): the bytes go into a temporary file
/// beside it, flushed to the disk, which is then linked under its name (a link, unlike a
/// rename, never replaces a file). Where the file system has no links, the file is created
/// exclusively and written in place.
pub(crate) fn create_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(".{name}.glossa-{}.tmp", std::process::id()));
    let linked = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::hard_link(&tmp, path)
    })();
    let _ = std::fs::remove_file(&tmp);
    match linked {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
            let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(path)?;
            file.write_all(bytes)?;
            file.sync_all()
        }
        done => done,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_file_never_replaces_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        create_file(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        let err = create_file(&path, b"other").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }

    #[test]
    fn selective_writes_only_wanted_files_whose_bytes_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = |rel: &str| dir.path().join(rel);
        std::fs::write(path("a.html"), "same").unwrap();
        std::fs::write(path("b.html"), "old").unwrap();
        let hashes = FileHashes::default();
        let sink = Selective::new(dir.path(), |rel| rel != "c.html", &hashes, None);
        for (rel, bytes) in [("a.html", "same"), ("b.html", "new"), ("c.html", "unwanted")] {
            sink.put(rel, bytes.as_bytes()).unwrap();
        }
        let done = sink.finish();
        assert_eq!(done.rendered, ["a.html", "b.html"]);
        assert_eq!(
            done.written,
            ["b.html"],
            "a.html held its bytes already (read from the disk)"
        );
        assert_eq!(std::fs::read_to_string(path("b.html")).unwrap(), "new");
        assert!(!path("c.html").exists());
        // Then from the hashes of what was last written: the disk is not read again.
        let sink = Selective::new(dir.path(), |_| true, &hashes, None);
        sink.put("b.html", b"new").unwrap();
        sink.put("a.html", b"other").unwrap();
        assert_eq!(sink.finish().written, ["a.html"]);
        assert_eq!(std::fs::read_to_string(path("a.html")).unwrap(), "other");
    }

    #[test]
    fn replace_file_keeps_permissions_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.yaml");
        std::fs::write(&path, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        }
        replace_file(&path, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o640);
        }
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.yaml")]);
    }
}
