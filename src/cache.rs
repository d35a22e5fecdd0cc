//! The build cache: what the last build of an output read, wrote and reported, in a folder
//! beside the output (`.NAME.glossa-cache/`), so that a `glossa build` with nothing changed
//! since does nothing, and says what the last one said.
//!
//! What the cache holds is a [`Manifest`]: the *key* (glossa's version and binary, and the
//! build's options), a stamp (size, times, inode) of every file under `seeds/`, `content/` and
//! `themes/` taken before the build read them, a stamp of every file and folder the build left
//! in the output, and the build's warnings and summary. A build whose key and stamps all match finds
//! the output as the last build left it, and a build from nothing would make the same bytes
//! again: it writes nothing ([`Cache::unchanged`]).
//!
//! Beside the manifest the cache keeps the build's resolved site (`site.HASH`, the parts of a
//! `resolve::snapshot`, each written only when it is not there already):
//! when only documents, sidecars or translations changed since, and the output stands as the
//! last build left it, the build resolves only those documents again, against that site, and
//! renders only what they can change ([`Cache::compare`], `crate::edit`).
//!
//! A cache is never trusted further than that. It is read whole and checked against a hash of
//! its text (and the site's parts against the hashes that name them): one that is truncated,
//! corrupt, of another format or another glossa is ignored with a note, and the build goes on
//! as if there were none. When something else changed, the build renders the whole site again
//! and compares each file with what the output holds on the disk (`write::Changes`), not with
//! the cache. A stamp is taken before the file is read, so
//! an edit made while a build runs shows at the next one; a file modified less than two seconds
//! before the build started counts as changed at the next build, whatever its stamp says (a
//! filesystem's clock may be that coarse).
//!
//! An edge of the pipeline: it reads and writes the cache folder and stats the site's files.

mod stamps;

use crate::diagnostics::Diagnostic;
use serde::{Deserialize, Serialize};
pub(crate) use stamps::nanos;
use stamps::{Stamp, Tree, known, stamps, tree};
use std::path::{Path, PathBuf};

/// The first line of the manifest, before the hash of the rest: a file that does not start so
/// is not a cache of this format.
const MAGIC: &str = "glossa-build-cache 4";

/// Inputs modified this close to the build's start (nanoseconds) count as changed next time.
const RACY_NANOS: i128 = 2_000_000_000;

/// How the files of the resolved site's parts start, in the cache folder (`site.HASH`).
const SITE: &str = "site";

/// The file in the cache folder of what the output `name` kept.
fn kept_file(name: &str) -> String {
    format!("kept-{name}")
}

/// The folders of a site that a build reads.
const INPUTS: [&str; 3] = ["seeds", "content", "themes"];

/// What one build of an output read, wrote and reported.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Manifest {
    pub(crate) key: String,
    /// When the build started (its stamps were taken then), nanoseconds since the epoch.
    started: i128,
    inputs: Vec<Stamp>,
    /// The output's files and folders: a folder as it was holds the same names, and is not
    /// listed again ([`tree`]).
    outputs: Tree,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) summary: Counts,
    /// The hash of the resolved site kept beside the manifest, if one is.
    site: Option<u64>,
    /// What the outputs made of every document kept of the build (`render::kept`): each
    /// output's name and the hash of its file beside the manifest.
    kept: Vec<(String, u64)>,
}

/// How the site's files and the output stand against the last build's.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Comparison {
    /// Nothing changed: a build would make the same.
    Unchanged,
    /// The output stands as it was left and no input was added or removed, but these inputs
    /// (relative paths, `/`-separated) were modified, or modified near that build's start.
    Modified(Vec<String>),
    /// Anything else, or no last build to compare with.
    Other,
}

/// The figures of a build's summary line.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
pub(crate) struct Counts {
    pub(crate) documents: usize,
    pub(crate) notes: usize,
    pub(crate) entries: usize,
    pub(crate) occurrences: usize,
    pub(crate) pages: usize,
}

/// The cache of one output folder: where it is, and what it held when the build began.
pub(crate) struct Cache {
    dir: PathBuf,
    /// The manifest read, if there was a usable one.
    pub(crate) previous: Option<Manifest>,
    /// Notes about the cache found after it was opened (a spoiled part of the kept site), for
    /// the build that goes on without it ([`Cache::take_notes`]).
    late: std::sync::Mutex<Vec<Diagnostic>>,
}

impl Cache {
    /// The cache folder of `out`: `.NAME.glossa-cache` beside it.
    pub(crate) fn dir_of(out: &Path) -> PathBuf {
        crate::write::beside_output(out, "cache")
    }

    /// Reads the cache of `out`, keeping its manifest only if it is whole and made with `key`;
    /// any other is set aside with a note in `notes` (a missing cache is no news).
    pub(crate) fn open(out: &Path, key: &str, notes: &mut Vec<Diagnostic>) -> Cache {
        let dir = Cache::dir_of(out);
        let previous = match std::fs::read(dir.join("manifest")) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => ignored(&dir, &format!("it cannot be read ({e})"), notes),
            Ok(bytes) => match parse(&bytes) {
                Err(why) => ignored(&dir, why, notes),
                Ok(m) if m.key != key => ignored(&dir, "it was made by another glossa or with other options", notes),
                Ok(m) => Some(m),
            },
        };
        Cache {
            dir,
            previous,
            late: Default::default(),
        }
    }

    /// The notes about the cache found since it was opened, said once.
    pub(crate) fn take_notes(&self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.late.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// How the inputs (as `now` stamped them) and the output files stand against the last
    /// build's: unchanged when every stamp matches, none added or removed and none modified
    /// near that build's start.
    pub(crate) fn compare(&self, now: &Stamped, out: &Path) -> Comparison {
        let Some(m) = &self.previous else {
            return Comparison::Other;
        };
        let same_paths =
            m.inputs.len() == now.inputs.len() && m.inputs.iter().zip(&now.inputs).all(|(a, b)| a.path == b.path);
        if !same_paths || m.outputs != tree(out, "", Some(&known(&m.outputs))) {
            return Comparison::Other;
        }
        // An edit in the clock tick of the build's start changes no stamp but this one.
        let racy = |s: &Stamp| s.modified >= m.started - RACY_NANOS;
        let modified: Vec<String> = (m.inputs.iter().zip(&now.inputs))
            .filter(|(then, now)| then != now || racy(then))
            .map(|(_, now)| now.path.clone())
            .collect();
        match modified.is_empty() {
            true => Comparison::Unchanged,
            false => Comparison::Modified(modified),
        }
    }

    /// The resolved site the last build kept, its parts checked (`resolve::snapshot::Kept`):
    /// the head the manifest names (by its hash) and the chunks the head names, read in
    /// parallel. A part missing or spoiled is noted (and a spoiled one removed, for the next
    /// save to write it again): the build goes on without the kept site.
    pub(crate) fn site(&self) -> Option<crate::resolve::snapshot::Kept> {
        use crate::resolve::snapshot::{Kept, Spoiled, chunks_named};
        use rayon::prelude::*;
        let head_name = self.previous.as_ref()?.site?;
        let read = |name: u64| std::fs::read(self.part(name)).map_err(|e| (name, e.to_string()));
        let parts = read(head_name).and_then(|head| {
            let names = chunks_named(&head).unwrap_or_default();
            let chunks = names
                .par_iter()
                .map(|&name| read(name))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((head, chunks, names))
        });
        let spoiled = match parts {
            Err((name, e)) => (name, format!("a part of its kept site cannot be read ({e})")),
            Ok((head, chunks, names)) => match Kept::new(head, chunks) {
                Ok(kept) => return Some(kept),
                Err(Spoiled::Head) => (head_name, "its kept site is spoiled".to_owned()),
                Err(Spoiled::Chunk(at)) => (names[at], "a part of its kept site is spoiled".to_owned()),
            },
        };
        let file = self.part(spoiled.0);
        let _ = std::fs::remove_file(&file);
        let note = note(&file, &spoiled.1, "this build loads the whole site again");
        self.late
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(note);
        None
    }

    /// What the last build's outputs kept (`render::kept`): each file the manifest names
    /// whose bytes have the hash it gives (one that does not is left out, and its output is
    /// made from every document again).
    pub(crate) fn kept(&self) -> crate::render::kept::Kept {
        let named = self.previous.iter().flat_map(|m| &m.kept);
        let blobs = named
            .filter_map(|(name, hash)| {
                let bytes = std::fs::read(self.dir.join(kept_file(name))).ok()?;
                (crate::hash::of_bytes(&bytes) == *hash).then(|| (name.clone(), bytes))
            })
            .collect();
        crate::render::kept::Kept::new(blobs)
    }

    /// Writes what this build's outputs kept, each through a temporary file renamed into
    /// place, and names them with their hashes in `manifest` (saved after them).
    pub(crate) fn save_kept(
        &self,
        manifest: &mut Manifest,
        blobs: std::collections::BTreeMap<String, Vec<u8>>,
    ) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        for (name, bytes) in blobs {
            let file = kept_file(&name);
            let tmp = self.dir.join(format!("{file}.new"));
            std::fs::write(&tmp, &bytes)?;
            std::fs::rename(&tmp, self.dir.join(&file))?;
            manifest.kept.push((name, crate::hash::of_bytes(&bytes)));
        }
        Ok(())
    }

    /// The file of the kept site's part named `hash`.
    fn part(&self, hash: u64) -> PathBuf {
        self.dir.join(format!("{SITE}.{hash:016x}"))
    }

    /// Forgets the cache of `out`: the output is about to change under it. The kept site's
    /// parts stay, named by no manifest, for the next save to keep those it makes again.
    pub(crate) fn forget(out: &Path) -> std::io::Result<()> {
        std::fs::remove_file(Cache::dir_of(out).join("manifest")).or_else(gone)
    }

    /// Forgets the cache of `out` wholly, for a build that keeps none (`--no-cache`): every
    /// file of the cache goes, and the folder with them if nothing else is in it.
    pub(crate) fn forget_wholly(out: &Path) -> std::io::Result<()> {
        let dir = Cache::dir_of(out);
        Cache::forget(out)?;
        let Ok(listing) = std::fs::read_dir(&dir) else {
            return Ok(());
        };
        for entry in listing.flatten() {
            let name = entry.file_name();
            let ours = name
                .to_str()
                .is_some_and(|n| n == "manifest.new" || n.starts_with(SITE) || n.starts_with(&kept_file("")));
            if ours {
                std::fs::remove_file(entry.path()).or_else(gone)?;
            }
        }
        // Left when something else is in it: not the cache's to remove.
        let _ = std::fs::remove_dir(&dir);
        Ok(())
    }

    /// Writes each part of the site's snapshot that is not in the folder already, through a
    /// temporary file renamed into place (a part's file is named by its hash: it is whole or
    /// the hash tells). Named by no manifest yet, so it may run while the site renders: a
    /// build that then fails takes back the parts it added ([`Cache::take_back`]).
    pub(crate) fn keep_site(&self, site: &crate::resolve::Site) -> std::io::Result<SiteParts> {
        std::fs::create_dir_all(&self.dir)?;
        let mut named = crate::hash::FastSet::default();
        let mut added = Vec::new();
        // A chunk given by its name alone is as it was read from its file here.
        let head = crate::resolve::snapshot::save_to(site, &mut |hash, bytes| {
            named.insert(hash);
            if let Some(bytes) = bytes
                && self.keep_part(hash, bytes)?
            {
                added.push(hash);
            }
            Ok(())
        })?;
        Ok(SiteParts { head, named, added })
    }

    /// Removes the parts [`Cache::keep_site`] added, for a build that failed after: the cache
    /// is left as the last build saved it.
    pub(crate) fn take_back(&self, parts: &SiteParts) {
        for &hash in &parts.added {
            let _ = std::fs::remove_file(self.part(hash));
        }
    }

    /// Writes the manifest, naming the site's `parts` as written, through a temporary file
    /// renamed into place (a build killed meanwhile leaves no manifest, or the whole one, naming
    /// parts all there); last, the parts it does not name are removed.
    ///
    /// `changed`, when given, are all the files of `out` the build wrote or removed (an edit's
    /// build, which writes few): only they and their folders are stamped again, the rest taken
    /// as the last build stamped them (a file changed by anyone else meanwhile still shows at
    /// the next comparison, which stamps everything). Otherwise the output is walked.
    pub(crate) fn save_with(
        &self,
        manifest: Manifest,
        out: &Path,
        parts: Option<SiteParts>,
        changed: Option<&[String]>,
    ) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let (site, named) = match parts {
            Some(parts) => (Some(parts.head), parts.named),
            None => (None, crate::hash::FastSet::default()),
        };
        let outputs = match (changed, self.previous.as_ref()) {
            (Some(changed), Some(last)) => last.outputs.restamped(out, changed),
            // The output the last build left, less what this build changed: only the folders it
            // changed are listed.
            (_, last) => tree(out, "", last.map(|m| known(&m.outputs)).as_ref()),
        };
        let manifest = Manifest {
            outputs,
            site,
            ..manifest
        };
        let body = postcard::to_allocvec(&manifest).map_err(std::io::Error::other)?;
        let tmp = self.dir.join("manifest.new");
        let head = format!("{MAGIC} {:016x}\n", crate::hash::of_bytes(&body));
        std::fs::write(&tmp, [head.as_bytes(), &body].concat())?;
        std::fs::rename(&tmp, self.dir.join("manifest"))?;
        for entry in std::fs::read_dir(&self.dir)?.flatten() {
            if entry.file_name().to_str().is_some_and(|file| stale_part(file, &named)) {
                std::fs::remove_file(entry.path())?;
            }
        }
        Ok(())
    }

    /// Puts a part of the kept site into the folder, unless a file of its name and size is
    /// there (a part of an earlier save, whole unless spoiled since: [`Cache::site`] tells);
    /// whether it wrote one.
    fn keep_part(&self, hash: u64, bytes: &[u8]) -> std::io::Result<bool> {
        let file = self.part(hash);
        if std::fs::metadata(&file).is_ok_and(|m| m.len() == bytes.len() as u64) {
            return Ok(false);
        }
        let tmp = file.with_extension("new");
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, &file)?;
        Ok(true)
    }
}

/// A file already gone is forgotten as well as removed.
fn gone(e: std::io::Error) -> std::io::Result<()> {
    match e.kind() {
        std::io::ErrorKind::NotFound => Ok(()),
        _ => Err(e),
    }
}

/// The parts of a site's snapshot in the cache folder, as [`Cache::keep_site`] wrote them.
pub(crate) struct SiteParts {
    /// The head's hash, which the manifest names.
    head: u64,
    /// Every part the head names, the head among them.
    named: crate::hash::FastSet<u64>,
    /// The parts that were not in the folder before.
    added: Vec<u64>,
}

/// Whether a file of the cache folder is a part of a kept site that `named` does not hold, a
/// part's temporary file, or the kept site of an older cache (`site`, whole).
fn stale_part(file: &str, named: &crate::hash::FastSet<u64>) -> bool {
    let Some(rest) = file.strip_prefix(SITE) else {
        return false;
    };
    let hash = rest.strip_prefix('.').filter(|hash| hash.len() == 16);
    !hash
        .and_then(|hash| u64::from_str_radix(hash, 16).ok())
        .is_some_and(|hash| named.contains(&hash))
}

/// The site's files as a build found them before it read any: when, and their stamps.
#[derive(Clone)]
pub(crate) struct Stamped {
    started: i128,
    inputs: Vec<Stamp>,
}

impl Stamped {
    /// Stamps every file under the site's `seeds/`, `content/` and `themes/` (hidden ones
    /// included, links followed), sorted by path.
    pub(crate) fn now(root: &Path) -> Stamped {
        let started = nanos(Ok(std::time::SystemTime::now()));
        let mut inputs = Vec::new();
        for dir in INPUTS {
            inputs.extend(stamps(&root.join(dir), dir));
        }
        Stamped { started, inputs }
    }

    /// The manifest of a build that read these files, with `key`, and said `diagnostics`
    /// (but for notes about the cache itself) and `summary`; its output is stamped when it is
    /// saved.
    pub(crate) fn manifest(self, key: String, diagnostics: &[Diagnostic], summary: &crate::Summary) -> Manifest {
        Manifest {
            key,
            started: self.started,
            inputs: self.inputs,
            outputs: Tree::default(),
            diagnostics: diagnostics
                .iter()
                .filter(|d| d.code != crate::diagnostics::Code::CacheIgnored)
                .cloned()
                .collect(),
            summary: Counts {
                documents: summary.documents,
                notes: summary.notes,
                entries: summary.entries,
                occurrences: summary.occurrences,
                pages: summary.pages,
            },
            site: None,
            kept: Vec::new(),
        }
    }
}

/// A manifest's file: a line naming its format and the hash of the rest, then the manifest in
/// postcard (a tenth of the time JSON took, to write and to read, at 10,000 documents).
fn parse(bytes: &[u8]) -> Result<Manifest, &'static str> {
    let at = memchr::memchr(b'\n', bytes).ok_or("it is truncated")?;
    let (head, body) = (&bytes[..at], &bytes[at + 1..]);
    let sum = std::str::from_utf8(head)
        .ok()
        .and_then(|h| h.strip_prefix(MAGIC))
        .and_then(|s| s.strip_prefix(' '))
        .ok_or("it is of another format")?;
    if u64::from_str_radix(sum, 16) != Ok(crate::hash::of_bytes(body)) {
        return Err("it is truncated or corrupt");
    }
    postcard::from_bytes(body).map_err(|_| "it is corrupt")
}

fn ignored(dir: &Path, why: &str, notes: &mut Vec<Diagnostic>) -> Option<Manifest> {
    notes.push(note(
        dir,
        why,
        "this build starts from nothing and makes the cache again",
    ));
    None
}

/// The note that the cache (at `path`) is ignored, and `why`.
fn note(path: &Path, why: &str, hint: &str) -> Diagnostic {
    Diagnostic::error(
        crate::diagnostics::Code::CacheIgnored,
        path,
        format!("build cache ignored: {why}"),
    )
    .severity(crate::diagnostics::Severity::Note)
    .hint(hint)
}

/// What a build's cache is keyed by: glossa's version and its binary (size and time), and the
/// options that change what a build makes.
pub(crate) fn key(opts: &crate::BuildOptions, out: &Path) -> String {
    let exe = std::env::current_exe().ok().and_then(|p| p.metadata().ok());
    let (size, modified) = exe.map_or((0, 0), |m| (m.len(), nanos(m.modified())));
    format!(
        "{} {size} {modified} drafts={} base_url={:?} out={}",
        env!("CARGO_PKG_VERSION"),
        opts.drafts,
        opts.base_url,
        out.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(dir: &Path) -> (Cache, PathBuf) {
        let out = dir.join("public");
        std::fs::create_dir_all(out.join("a")).expect("a folder");
        std::fs::write(out.join("a/index.html"), "page").expect("a file");
        let cache = Cache::open(&out, "k", &mut Vec::new());
        let m = Manifest {
            key: "k".into(),
            started: 0,
            inputs: Vec::new(),
            outputs: Tree::default(),
            diagnostics: Vec::new(),
            summary: Counts::default(),
            site: None,
            kept: Vec::new(),
        };
        cache.save_with(m, &out, None, None).expect("saved");
        (cache, out)
    }

    #[test]
    fn a_saved_cache_reads_back_and_sees_its_output_unchanged() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let (_, out) = saved(tmp.path());
        let mut notes = Vec::new();
        let cache = Cache::open(&out, "k", &mut notes);
        assert!(notes.is_empty());
        let none = Stamped {
            started: 0,
            inputs: Vec::new(),
        };
        assert_eq!(cache.compare(&none, &out), Comparison::Unchanged);
        assert_eq!(cache.site(), None, "no site kept");
        std::fs::write(out.join("a/extra.html"), "x").expect("a file");
        assert_eq!(
            cache.compare(&none, &out),
            Comparison::Other,
            "a file added to the output shows"
        );
    }

    /// A walk that lists only the folders changed since an earlier one finds what a walk that
    /// lists every folder finds, whatever changed: a file edited, added, removed or replaced
    /// by a folder, deep down or at the top, a folder removed or added.
    /// A save removes the parts it does not name, their temporary files and an older cache's
    /// whole `site`, and nothing else.
    #[test]
    fn the_parts_a_save_does_not_name_are_stale() {
        let named: crate::hash::FastSet<u64> = [0xabc].into_iter().collect();
        for (file, stale) in [
            ("site.0000000000000abc", false),
            ("site.0000000000000abd", true),
            ("site.0000000000000abc.new", true),
            ("site.abc", true),
            ("site", true),
            ("site.new", true),
            ("manifest", false),
            ("manifest.new", false),
        ] {
            assert_eq!(stale_part(file, &named), stale, "{file}");
        }
    }

    #[test]
    fn a_cache_cut_short_or_of_another_key_is_ignored_with_a_note() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let (cache, out) = saved(tmp.path());
        let mut notes = Vec::new();
        assert!(Cache::open(&out, "other", &mut notes).previous.is_none());
        let file = cache.dir.join("manifest");
        let bytes = std::fs::read(&file).expect("the manifest");
        std::fs::write(&file, &bytes[..bytes.len() - 3]).expect("cut short");
        assert!(Cache::open(&out, "k", &mut notes).previous.is_none());
        // One byte changed (a `k`, of the key or any other text): the hash no longer matches.
        let at = bytes.iter().rposition(|&b| b == b'k').expect("the key");
        let mut altered = bytes.clone();
        altered[at] = b'j';
        std::fs::write(&file, altered).expect("altered");
        assert!(Cache::open(&out, "k", &mut notes).previous.is_none());
        // Another format's line: not read on.
        std::fs::write(
            &file,
            [b"glossa-build-cache 3 0\n".as_slice(), &bytes[bytes.len() / 2..]].concat(),
        )
        .expect("old");
        assert!(Cache::open(&out, "k", &mut notes).previous.is_none());
        std::fs::write(&file, &bytes).expect("whole again");
        assert!(Cache::open(&out, "k", &mut notes).previous.is_some());
        assert_eq!(notes.len(), 4, "{notes:?}");
        assert!(notes.iter().all(|n| n.message.starts_with("build cache ignored")));
    }
}
