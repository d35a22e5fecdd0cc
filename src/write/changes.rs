//! An incremental build's writes: the site is rendered whole, but only the files whose bytes
//! differ from what the output holds are staged, and the commit moves just those in (and
//! removes the files the build no longer makes), each step undone if a later one fails. A build
//! that renders only some files (after an edit to documents: docs/incremental.md) says which
//! ([`Changes::only`]): the others stay as they are.
//!
//! The comparison is with the output on the disk, byte for byte, never with a record of it: a
//! file someone edited in the output is put right like any other. A commit keeps a journal in
//! its staging folder (what it replaces, adds and removes, the replaced files linked into
//! `.glossa-old/`) from before its first step, so that a build killed halfway is undone by the
//! next one, under the output's lock ([`roll_back`], called by `swap::recover`): the output is
//! then the last whole build again, as with the swap.

use super::Staging;
use crate::layout::FileSet;
use crate::render::{Piece, Sink};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The journal of a commit under way, in its staging folder.
const JOURNAL: &str = ".glossa-journal";
/// Where a commit keeps the output's files it replaces or removes, in its staging folder.
const OLD: &str = ".glossa-old";

/// A sink that stages the files of a build that differ from those of the output `out`.
pub(crate) struct Changes {
    out: PathBuf,
    staging: Staging,
    /// Every file the build makes.
    made: Mutex<Vec<String>>,
    /// The files staged by `put` (they differ from the output's) and by `stream` (compared
    /// when the build is done).
    staged: Mutex<Vec<String>>,
    streamed: Mutex<Vec<String>>,
    /// The files this build makes, when it makes only some of the site's (`None`: all).
    wanted: Option<FileSet>,
}

/// What a commit changed in the output, each list sorted.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Committed {
    /// Replaced or added.
    pub(crate) written: Vec<String>,
    pub(crate) removed: Vec<String>,
}

impl Changes {
    pub(crate) fn new(out: &Path) -> std::io::Result<Changes> {
        Ok(Changes {
            out: out.to_path_buf(),
            staging: Staging::new(out)?,
            made: Mutex::default(),
            staged: Mutex::default(),
            streamed: Mutex::default(),
            wanted: None,
        })
    }

    /// [`Changes::new`] for a build that makes only the files `wanted` names: the others of the
    /// output are left as they are (and are not even listed), and of those it names, the ones
    /// it did not make are removed.
    pub(crate) fn only(out: &Path, wanted: FileSet) -> std::io::Result<Changes> {
        Ok(Changes {
            wanted: Some(wanted),
            ..Changes::new(out)?
        })
    }

    /// Moves the staged files that differ into the output and removes those of the output the
    /// build did not make; on an error, undoes what it did, and the output is as it was.
    pub(crate) fn commit(self) -> std::io::Result<Committed> {
        let staged = take(&self.staged);
        let mut written = staged;
        for rel in take(&self.streamed) {
            let new = self.staging.dir.join(&rel);
            if same_files(&self.out.join(&rel), &new)? {
                std::fs::remove_file(new)?;
            } else {
                written.push(rel);
            }
        }
        written.sort();
        let made: crate::hash::FastSet<String> = take(&self.made).into_iter().collect();
        let mut removed: Vec<String> = match &self.wanted {
            None => files(&self.out),
            Some(wanted) => files_of(&self.out, wanted),
        };
        removed.retain(|rel| rel != crate::output::MARKER && !made.contains(rel));
        removed.sort();
        let plan = Committed { written, removed };
        if plan.written.is_empty() && plan.removed.is_empty() {
            return Ok(plan);
        }
        let dir = &self.staging.dir;
        std::fs::write(dir.join(JOURNAL), journal(&plan))?;
        if let Err(e) = apply(dir, &self.out, &plan) {
            roll_back(dir, &self.out)?;
            return Err(e);
        }
        remove_empty_folders(&self.out, &plan.removed);
        Ok(plan)
    }
}

impl super::Files for Changes {
    /// A file copied into the site (a static file): staged only if it differs.
    fn copy(&self, rel: &str, from: &Path) -> std::io::Result<()> {
        self.put(rel, &std::fs::read(from)?)
    }
}

impl Sink for Changes {
    fn wants(&self, rel: &str) -> bool {
        self.wanted.as_ref().is_none_or(|wanted| wanted.contains(rel))
    }

    fn progress(&self, done: usize, total: usize) {
        self.staging.progress(done, total);
    }

    fn put(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        record(&self.made, rel);
        if same_file(&self.out.join(rel), bytes) {
            return Ok(());
        }
        record(&self.staged, rel);
        self.staging.put(rel, bytes)
    }

    fn stream(&self, rel: &str) -> std::io::Result<Box<dyn std::io::Write + Send + '_>> {
        record(&self.made, rel);
        record(&self.streamed, rel);
        self.staging.stream(rel)
    }

    fn last(&self, rel: &str) -> std::io::Result<Box<dyn crate::render::LastFile + '_>> {
        let file = std::fs::File::open(self.out.join(rel))?;
        Ok(Box::new(std::io::BufReader::new(file)))
    }

    /// Staged only if the pieces change the file: the old ranges are copied by the kernel
    /// (`io::copy` between files), never read into memory.
    fn patch(&self, rel: &str, pieces: &[Piece]) -> std::io::Result<()> {
        record(&self.made, rel);
        let mut old = std::fs::File::open(self.out.join(rel))?;
        if patch_changes_nothing(&mut old, pieces)? {
            return Ok(());
        }
        record(&self.staged, rel);
        let mut new = std::fs::File::create(self.staging.target(rel)?)?;
        super::write_pieces(&mut old, &mut new, pieces, rel)
    }
}

/// Whether writing `pieces` would give the bytes `old` holds: each old range where it was,
/// each new piece the same as the bytes it would replace, and nothing after.
fn patch_changes_nothing(old: &mut std::fs::File, pieces: &[Piece]) -> std::io::Result<bool> {
    use std::io::{Read, Seek, SeekFrom};
    let mut at = 0;
    for piece in pieces {
        match piece {
            Piece::Old(range) if range.start == at => at = range.end,
            Piece::Old(_) => return Ok(false),
            Piece::New(bytes) => {
                let mut was = vec![0; bytes.len()];
                old.seek(SeekFrom::Start(at))?;
                if old.read_exact(&mut was).is_err() || was != *bytes {
                    return Ok(false);
                }
                at += bytes.len() as u64;
            }
        }
    }
    Ok(old.metadata()?.len() == at)
}

fn record(list: &Mutex<Vec<String>>, rel: &str) {
    list.lock().unwrap_or_else(|e| e.into_inner()).push(rel.to_owned());
}

fn take(list: &Mutex<Vec<String>>) -> Vec<String> {
    std::mem::take(&mut *list.lock().unwrap_or_else(|e| e.into_inner()))
}

/// Whether the file at `path` holds `bytes` (its size first, then its bytes).
fn same_file(path: &Path, bytes: &[u8]) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && std::fs::read(path).is_ok_and(|old| old == bytes)
}

/// Whether the file at `old` holds the bytes of the file at `new` (compared a block at a
/// time: a streamed file is one too large to hold whole, such as annotations.jsonld).
fn same_files(old: &Path, new: &Path) -> std::io::Result<bool> {
    use std::io::Read;
    let size = |p: &Path| std::fs::metadata(p).map(|m| m.len());
    if !old.is_file() || size(old)? != size(new)? {
        return Ok(false);
    }
    let (mut a, mut b) = (std::fs::File::open(old)?, std::fs::File::open(new)?);
    let (mut x, mut y) = (vec![0; 1 << 16], vec![0; 1 << 16]);
    loop {
        let n = a.read(&mut x)?;
        if n == 0 {
            return Ok(true);
        }
        b.read_exact(&mut y[..n])?;
        if x[..n] != y[..n] {
            return Ok(false);
        }
    }
}

/// Every file under `dir`, relative, `/`-separated.
fn files(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| !e.file_type().is_dir())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(dir).ok()?;
            Some(rel.to_string_lossy().replace('\\', "/"))
        })
        .collect()
}

/// The files of `set` that are in the output `out`, relative, `/`-separated: only its folders
/// are listed.
fn files_of(out: &Path, set: &FileSet) -> Vec<String> {
    let named = (set.files.iter()).filter(|rel| out.join(rel).is_file()).cloned();
    let under = set.folders.iter().flat_map(|folder| {
        let listed = files(&out.join(folder));
        listed.into_iter().map(move |rel| format!("{folder}/{rel}"))
    });
    named.chain(under).collect()
}

/// The journal: a line per file, `W` (written: replaced or added) or `R` (removed), then its
/// path.
fn journal(plan: &Committed) -> String {
    let mut text = String::new();
    for (kind, list) in [("W", &plan.written), ("R", &plan.removed)] {
        for rel in list {
            text.push_str(kind);
            text.push(' ');
            text.push_str(rel);
            text.push('\n');
        }
    }
    text
}

/// The commit's steps: each replaced file linked into `.glossa-old/` (the output keeps it
/// meanwhile), then the new one renamed over it; each removed file renamed into `.glossa-old/`.
fn apply(staging: &Path, out: &Path, plan: &Committed) -> std::io::Result<()> {
    for rel in &plan.written {
        let (new, old, live) = (staging.join(rel), staging.join(OLD).join(rel), out.join(rel));
        if live.exists() {
            make_parent(&old)?;
            std::fs::hard_link(&live, &old).or_else(|_| std::fs::copy(&live, &old).map(|_| ()))?;
        } else {
            make_parent(&live)?;
        }
        std::fs::rename(&new, &live)?;
    }
    for rel in &plan.removed {
        let old = staging.join(OLD).join(rel);
        make_parent(&old)?;
        std::fs::rename(out.join(rel), &old)?;
    }
    Ok(())
}

fn make_parent(path: &Path) -> std::io::Result<()> {
    match path.parent() {
        Some(parent) => std::fs::create_dir_all(parent),
        None => Ok(()),
    }
}

/// Undoes the commit whose journal is in `staging`, as far as it went: each file it replaced
/// or removed put back, each it added removed. Without a journal, there is nothing to undo.
pub(crate) fn roll_back(staging: &Path, out: &Path) -> std::io::Result<()> {
    let Ok(text) = std::fs::read_to_string(staging.join(JOURNAL)) else {
        return Ok(());
    };
    let mut added = Vec::new();
    for line in text.lines() {
        let Some((kind, rel)) = line.split_once(' ') else {
            continue;
        };
        let (new, old, live) = (staging.join(rel), staging.join(OLD).join(rel), out.join(rel));
        if old.exists() {
            make_parent(&live)?;
            std::fs::rename(&old, &live)?;
        } else if kind == "W" && !new.exists() && live.exists() {
            // Added (nothing was there to keep) and already moved in.
            std::fs::remove_file(&live)?;
            added.push(rel.to_owned());
        }
    }
    remove_empty_folders(out, &added);
    std::fs::remove_file(staging.join(JOURNAL))
}

/// Removes the folders of `out` that removing `files` left empty, from the deepest up.
fn remove_empty_folders(out: &Path, files: &[String]) {
    let mut folders: Vec<PathBuf> = files
        .iter()
        .flat_map(|rel| {
            Path::new(rel)
                .ancestors()
                .skip(1)
                .map(Path::to_path_buf)
                .collect::<Vec<_>>()
        })
        .filter(|p| !p.as_os_str().is_empty())
        .collect();
    folders.sort_by_key(|p| std::cmp::Reverse(p.components().count()));
    folders.dedup();
    for folder in folders {
        // Fails, as it should, on a folder that still holds something.
        let _ = std::fs::remove_dir(out.join(folder));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(dir: &Path, files: &[(&str, &str)]) {
        for (rel, text) in files {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
            std::fs::write(path, text).expect("a file");
        }
    }

    fn listing(dir: &Path) -> Vec<(String, String)> {
        let mut all: Vec<_> = files(dir)
            .into_iter()
            .map(|rel| {
                let text = std::fs::read_to_string(dir.join(&rel)).unwrap_or_default();
                (rel, text)
            })
            .collect();
        all.sort();
        all
    }

    fn one_file(rel: &str) -> FileSet {
        FileSet {
            files: [rel.to_owned()].into_iter().collect(),
            ..FileSet::default()
        }
    }

    fn old_output(tmp: &Path) -> PathBuf {
        let out = tmp.join("public");
        tree(
            &out,
            &[
                (crate::output::MARKER, "m"),
                ("same.html", "same"),
                ("a/changed.html", "old"),
                ("gone/x.html", "x"),
            ],
        );
        out
    }

    fn stage_new_build(out: &Path) -> Changes {
        let changes = Changes::new(out).expect("a staging folder");
        changes.put("same.html", b"same").expect("put");
        changes.put("a/changed.html", b"new").expect("put");
        changes.put("b/added.html", b"added").expect("put");
        changes
    }

    #[test]
    fn a_commit_writes_what_differs_and_removes_what_the_build_no_longer_makes() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let out = old_output(tmp.path());
        let done = stage_new_build(&out).commit().expect("the commit");
        assert_eq!(done.written, ["a/changed.html", "b/added.html"]);
        assert_eq!(done.removed, ["gone/x.html"]);
        let want = [
            (".glossa-output", "m"),
            ("a/changed.html", "new"),
            ("b/added.html", "added"),
            ("same.html", "same"),
        ];
        let want: Vec<_> = want.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        assert_eq!(listing(&out), want);
        assert!(!out.join("gone").exists(), "the emptied folder is removed");
        assert_eq!(
            std::fs::read_dir(tmp.path()).expect("a listing").count(),
            1,
            "no staging left"
        );
    }

    #[test]
    fn a_build_of_some_files_leaves_the_others_and_removes_only_those_it_names() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let out = old_output(tmp.path());
        tree(&out, &[("search/c/1.js", "old chunk"), ("search/c/2.js", "gone chunk")]);
        let wanted = FileSet {
            files: ["a/changed.html".to_owned()].into_iter().collect(),
            folders: vec!["search"],
            ..FileSet::default()
        };
        let changes = Changes::only(&out, wanted).expect("staging");
        assert!(changes.wants("search/c/1.js") && !changes.wants("same.html"));
        changes.put("a/changed.html", b"new").expect("put");
        changes.put("search/c/1.js", b"new chunk").expect("put");
        let done = changes.commit().expect("the commit");
        assert_eq!(done.written, ["a/changed.html", "search/c/1.js"]);
        assert_eq!(done.removed, ["search/c/2.js"], "a file it names and did not make");
        assert_eq!(std::fs::read_to_string(out.join("gone/x.html")).expect("kept"), "x");
        assert_eq!(std::fs::read_to_string(out.join("same.html")).expect("kept"), "same");
    }

    #[test]
    fn a_patch_copies_the_old_ranges_and_writes_the_new_bytes_only_if_they_change_the_file() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let out = old_output(tmp.path());
        tree(&out, &[("all.jsonld", "head[one,two,three]tail")]);
        let changes = Changes::only(&out, one_file("all.jsonld")).expect("staging");
        let same = [Piece::Old(0..9), Piece::New(b"two"), Piece::Old(12..23)];
        changes.patch("all.jsonld", &same).expect("patched");
        let done = changes.commit().expect("the commit");
        assert!(done.written.is_empty(), "the same bytes: {done:?}");
        let changes = Changes::only(&out, one_file("all.jsonld")).expect("staging");
        let edited = [Piece::Old(0..9), Piece::New(b"2,2b"), Piece::Old(12..23)];
        changes.patch("all.jsonld", &edited).expect("patched");
        let done = changes.commit().expect("the commit");
        assert_eq!(done.written, ["all.jsonld"]);
        let now = std::fs::read_to_string(out.join("all.jsonld")).expect("written");
        assert_eq!(now, "head[one,2,2b,three]tail");
        let changes = Changes::only(&out, one_file("all.jsonld")).expect("staging");
        let past_the_end = [Piece::Old(0..99)];
        assert!(
            changes.patch("all.jsonld", &past_the_end).is_err(),
            "a range the file lacks"
        );
    }

    #[test]
    fn a_commit_stopped_halfway_is_rolled_back() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let out = old_output(tmp.path());
        let before = listing(&out);
        let changes = stage_new_build(&out);
        let staging = changes.staging.dir.clone();
        let plan = Committed {
            written: vec!["a/changed.html".into(), "b/added.html".into()],
            removed: vec!["gone/x.html".into()],
        };
        std::fs::write(staging.join(JOURNAL), journal(&plan)).expect("the journal");
        // The first two steps done, as by a build killed then.
        let first = Committed {
            written: plan.written.clone(),
            removed: Vec::new(),
        };
        apply(&staging, &out, &first).expect("half a commit");
        assert_ne!(listing(&out), before);
        roll_back(&staging, &out).expect("rolled back");
        assert_eq!(listing(&out), before);
        assert!(!out.join("b").exists());
        drop(changes);
    }
}
