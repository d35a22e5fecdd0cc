//! Stamps: what the build cache records of a file or folder (its size, times and inode), and
//! the walks that take them, of the site's folders and of the output (`Tree`), or only where a
//! build changed files (`Tree::restamped`). An edge: it stats the disk and reads nothing else.

use serde::{Deserialize, Serialize};
use std::path::Path;

/// A file as last seen: where it is (relative, `/`-separated), its size and its times.
/// Written as a list of its fields, without their names: a manifest holds tens of thousands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Stamp {
    pub(crate) path: String,
    size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub(super) modified: i128,
    /// Status change time and inode (Unix): a file replaced by another with the same size and
    /// modification time (a copy that keeps times) still shows.
    changed: i128,
    inode: u64,
}

impl Serialize for Stamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (&self.path, self.size, self.modified, self.changed, self.inode).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Stamp {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Stamp, D::Error> {
        let (path, size, modified, changed, inode) = Deserialize::deserialize(d)?;
        Ok(Stamp {
            path,
            size,
            modified,
            changed,
            inode,
        })
    }
}

/// The stamps of the files under `dir` (hidden entries included, links followed), named
/// `prefix/…`, sorted by path (as bytes); none if `dir` is missing.
pub(super) fn stamps(dir: &Path, prefix: &str) -> Vec<Stamp> {
    tree(dir, prefix, None).files
}

/// The files and the folders under a folder (the folder itself among them), stamped, each
/// sorted by path (as bytes).
#[derive(Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct Tree {
    files: Vec<Stamp>,
    folders: Vec<Stamp>,
}

impl Tree {
    /// This tree of the output `out` after the files `changed` (relative, `/`-separated) were
    /// written or removed: each of them and each folder above it stamped again, or left out if
    /// it is gone; the others as they are.
    pub(super) fn restamped(&self, out: &Path, changed: &[String]) -> Tree {
        let mut files = self.files.clone();
        let mut folders = self.folders.clone();
        let mut above: Vec<&str> = vec![""];
        for rel in changed {
            restamp(&mut files, out, rel, std::fs::Metadata::is_file);
            let mut at = rel.as_str();
            while let Some((folder, _)) = at.rsplit_once('/') {
                above.push(folder);
                at = folder;
            }
        }
        above.sort_unstable();
        above.dedup();
        for folder in above {
            restamp(&mut folders, out, folder, std::fs::Metadata::is_dir);
        }
        Tree { files, folders }
    }
}

/// Stamps `rel` in `stamps` (sorted by path) again as it is in `out`, if it is there and of the
/// kind `is`; leaves it out otherwise.
fn restamp(stamps: &mut Vec<Stamp>, out: &Path, rel: &str, is: fn(&std::fs::Metadata) -> bool) {
    let at = stamps.binary_search_by(|s| s.path.as_str().cmp(rel));
    let now = std::fs::metadata(out.join(rel))
        .ok()
        .filter(is)
        .map(|m| stamp(rel.to_owned(), &m));
    match (at, now) {
        (Ok(i), Some(now)) => stamps[i] = now,
        (Ok(i), None) => {
            stamps.remove(i);
        }
        (Err(i), Some(now)) => stamps.insert(i, now),
        (Err(_), None) => {}
    }
}

/// What a [`Tree`] showed of each folder, by its name: its stamp, and its files and folders.
pub(super) type Known<'t> = crate::hash::FastMap<&'t str, (&'t Stamp, Vec<&'t Stamp>, Vec<&'t Stamp>)>;

/// What `tree` showed of each folder.
pub(super) fn known(tree: &Tree) -> Known<'_> {
    let mut known: Known = tree
        .folders
        .iter()
        .map(|f| (f.path.as_str(), (f, Vec::new(), Vec::new())))
        .collect();
    fn parent(s: &Stamp) -> &str {
        s.path.rsplit_once('/').map_or("", |(parent, _)| parent)
    }
    for file in &tree.files {
        if let Some((_, files, _)) = known.get_mut(parent(file)) {
            files.push(file);
        }
    }
    for folder in tree.folders.iter().filter(|f| !f.path.is_empty()) {
        if let Some((_, _, folders)) = known.get_mut(parent(folder)) {
            folders.push(folder);
        }
    }
    known
}

/// The [`Tree`] under `dir`, named `prefix/…` (the folder itself `prefix`). Given what an
/// earlier walk showed (`known`), a folder whose stamp is as it was then holds the same names
/// (adding, removing or renaming an entry changes a folder's times): its files are stamped by
/// name and its folders walked, without listing it.
pub(super) fn tree(dir: &Path, prefix: &str, known: Option<&Known>) -> Tree {
    use rayon::slice::ParallelSliceMut;
    let Ok(meta) = std::fs::metadata(dir).map(|m| stamp(prefix.to_owned(), &m)) else {
        return Tree::default();
    };
    let mut all = walk(dir, meta, &Up { dir, up: None }, known);
    all.files.par_sort_unstable_by(|a, b| a.path.cmp(&b.path));
    all.folders.par_sort_unstable_by(|a, b| a.path.cmp(&b.path));
    all
}

/// A folder being walked, and the one it is in: the way back to the top, for a link to a
/// folder to be followed only if it leads to none of them.
struct Up<'a> {
    dir: &'a Path,
    up: Option<&'a Up<'a>>,
}

/// What is under `dir` (stamped `here`), in no order: listed, or as `known` (see [`tree`]).
/// Each file of a listing is stamped relative to it (a lookup of its name alone, not of its
/// whole path: `DirEntry::metadata`); entries and folders are taken in parallel. What cannot
/// be read is passed over, as if it were not there.
fn walk(dir: &Path, here: Stamp, up: &Up, known: Option<&Known>) -> Tree {
    use rayon::prelude::*;
    let name = |file: &str| match here.path.as_str() {
        "" => file.to_owned(),
        folder => format!("{folder}/{file}"),
    };
    let below = |path: &Path, here: Stamp| {
        walk(
            path,
            here,
            &Up {
                dir: path,
                up: Some(up),
            },
            known,
        )
    };
    // A name that is not UTF-8 is kept lossily: such a folder is listed again.
    let as_it_was = |k: &&(&Stamp, Vec<&Stamp>, Vec<&Stamp>)| {
        *k.0 == here
            && !k
                .1
                .iter()
                .chain(&k.2)
                .any(|s| s.path.contains(char::REPLACEMENT_CHARACTER))
    };
    let mut tree = match known.and_then(|k| k.get(here.path.as_str())).filter(as_it_was) {
        Some((_, files, folders)) => {
            // Stamped by their whole path: std has no stat relative to a folder not listed.
            let known = |f: &Stamp| {
                let path = dir.join(f.path.rsplit('/').next().unwrap_or_default());
                std::fs::metadata(&path).ok().map(|meta| (path, meta))
            };
            let files = (files.par_iter())
                .filter_map(|f| {
                    known(f)
                        .filter(|(_, meta)| meta.is_file())
                        .map(|(_, meta)| stamp(f.path.clone(), &meta))
                })
                .collect();
            let trees: Vec<Tree> = (folders.par_iter())
                .filter_map(|f| {
                    known(f)
                        .filter(|(_, meta)| meta.is_dir())
                        .map(|(path, meta)| below(&path, stamp(f.path.clone(), &meta)))
                })
                .collect();
            merged(files, trees)
        }
        None => {
            let Ok(listing) = std::fs::read_dir(dir) else {
                return Tree::default();
            };
            let entries: Vec<std::fs::DirEntry> = listing.flatten().collect();
            let found: Vec<Tree> = (entries.par_iter())
                .filter_map(|entry| {
                    let kind = entry.file_type().ok()?;
                    // A link is followed: to what it leads to, unless that is a folder it is in.
                    let meta = match kind.is_symlink() {
                        true => std::fs::metadata(entry.path()).ok()?,
                        false => entry.metadata().ok()?,
                    };
                    let named = stamp(name(&entry.file_name().to_string_lossy()), &meta);
                    if meta.is_dir() {
                        let path = entry.path();
                        return (!kind.is_symlink() || !leads_up(&path, up)).then(|| below(&path, named));
                    }
                    meta.is_file().then(|| Tree {
                        files: vec![named],
                        folders: Vec::new(),
                    })
                })
                .collect();
            merged(Vec::new(), found)
        }
    };
    tree.folders.push(here);
    tree
}

/// `files` and the trees, as one.
fn merged(mut files: Vec<Stamp>, trees: Vec<Tree>) -> Tree {
    let mut folders = Vec::new();
    for tree in trees {
        files.extend(tree.files);
        folders.extend(tree.folders);
    }
    Tree { files, folders }
}

/// Whether the folder a link at `path` leads to is one of the folders walked down to it.
fn leads_up(path: &Path, up: &Up) -> bool {
    let Ok(target) = std::fs::canonicalize(path) else {
        return true;
    };
    let mut at = Some(up);
    while let Some(folder) = at {
        if std::fs::canonicalize(folder.dir).is_ok_and(|dir| dir == target) {
            return true;
        }
        at = folder.up;
    }
    false
}

fn stamp(path: String, meta: &std::fs::Metadata) -> Stamp {
    #[cfg(unix)]
    let (changed, inode) = {
        use std::os::unix::fs::MetadataExt;
        (
            i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
            meta.ino(),
        )
    };
    #[cfg(not(unix))]
    let (changed, inode) = (0, 0);
    Stamp {
        path,
        size: meta.len(),
        modified: nanos(meta.modified()),
        changed,
        inode,
    }
}

/// A time as nanoseconds since the epoch (negative before it; 0 when the system has none).
pub(crate) fn nanos(time: std::io::Result<std::time::SystemTime>) -> i128 {
    match time {
        Ok(t) => match t.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => d.as_nanos() as i128,
            Err(e) => -(e.duration().as_nanos() as i128),
        },
        Err(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `text` into the file `rel` under `top`, its folders made.
    fn write_under(top: &Path, rel: &str, text: &str) {
        let path = top.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// A temporary folder with an output folder in it holding the files `rels`.
    fn output_of(rels: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let top = tmp.path().join("out");
        for rel in rels {
            write_under(&top, rel, "x");
        }
        (tmp, top)
    }

    #[test]
    fn a_walk_guided_by_an_earlier_one_finds_what_a_whole_walk_finds() {
        let (_tmp, top) = output_of(&["index.html", "a/index.html", "a/b/c.txt", "a/b/d/e.txt", "f/index.html"]);
        let write = |rel: &str, text: &str| write_under(&top, rel, text);
        let edits: [(&str, &dyn Fn()); 7] = [
            ("nothing", &|| {}),
            ("a file edited", &|| write("a/b/d/e.txt", "longer")),
            ("a file added", &|| write("a/b/new.txt", "x")),
            ("a file removed", &|| {
                std::fs::remove_file(top.join("a/b/c.txt")).unwrap()
            }),
            ("a folder removed", &|| std::fs::remove_dir_all(top.join("f")).unwrap()),
            ("a folder added", &|| write("g/h/index.html", "x")),
            ("a file now a folder", &|| {
                std::fs::remove_file(top.join("a/index.html")).unwrap();
                write("a/index.html/inside.txt", "x");
            }),
        ];
        for (what, edit) in edits {
            let before = tree(&top, "", None);
            assert!(before.files.len() >= 3 && before.folders.iter().any(|f| f.path.is_empty()));
            edit();
            let whole = tree(&top, "", None);
            assert_eq!(tree(&top, "", Some(&known(&before))), whole, "{what}");
            assert_eq!(whole == before, what == "nothing", "{what}");
        }
    }

    #[test]
    fn a_tree_restamped_where_files_changed_is_what_a_whole_walk_finds() {
        let (_tmp, top) = output_of(&["index.html", "a/index.html", "a/b/c.txt", "f/index.html", "s/c/1.js"]);
        let write = |rel: &str, text: &str| write_under(&top, rel, text);
        let remove = |rel: &str| std::fs::remove_file(top.join(rel)).unwrap();
        /// What an edit is, the files it changes, and the edit.
        type Edit<'a> = (&'a str, &'a [&'a str], &'a dyn Fn());
        let edits: [Edit; 5] = [
            ("a file edited", &["a/b/c.txt"], &|| write("a/b/c.txt", "longer")),
            ("a file added", &["s/c/2.js"], &|| write("s/c/2.js", "x")),
            ("a file added in a new folder", &["g/h/index.html"], &|| {
                write("g/h/index.html", "x")
            }),
            ("a file removed, its folder too", &["f/index.html"], &|| {
                remove("f/index.html");
                std::fs::remove_dir(top.join("f")).unwrap();
            }),
            ("two files", &["index.html", "s/c/1.js"], &|| {
                write("index.html", "new");
                remove("s/c/1.js");
            }),
        ];
        for (what, changed, edit) in edits {
            let before = tree(&top, "", None);
            // A folder's times move on within the clock's tick: the edit must show in them.
            std::thread::sleep(std::time::Duration::from_millis(20));
            edit();
            let changed: Vec<String> = changed.iter().map(|s| s.to_string()).collect();
            let restamped = before.restamped(&top, &changed);
            assert_eq!(restamped, tree(&top, "", None), "{what}");
            assert_ne!(restamped, before, "{what}");
        }
    }
}
