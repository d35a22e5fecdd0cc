//! The build cache: what the last build of an output read, wrote and reported, in a folder
//! beside the output (`.NAME.glossa-cache/`), so that a `glossa build` with nothing changed
//! since does nothing, and says what the last one said.
//!
//! What the cache holds is a [`Manifest`]: the *key* (glossa's version and binary, and the
//! build's options), a stamp (size, times, inode) of every file under `seeds/`, `content/` and
//! `themes/` taken before the build read them, a stamp of every file the build left in the
//! output, and the build's warnings and summary. A build whose key and stamps all match finds
//! the output as the last build left it, and a build from nothing would make the same bytes
//! again: it writes nothing ([`Cache::unchanged`]).
//!
//! Beside the manifest the cache keeps the build's resolved site (`site`, `resolve::snapshot`):
//! when only documents, sidecars or translations changed since, and the output stands as the
//! last build left it, the build resolves only those documents again, against that site, and
//! renders only what they can change ([`Cache::compare`], `crate::edit`).
//!
//! A cache is never trusted further than that. It is read whole and checked against a hash of
//! its text (and the site against the hash the manifest gives it): one that is truncated,
//! corrupt, of another format or another glossa is ignored with a note, and the build goes on
//! as if there were none. When something else changed, the build renders the whole site again
//! and compares each file with what the output holds on the disk (`write::Changes`), not with
//! the cache. A stamp is taken before the file is read, so
//! an edit made while a build runs shows at the next one; a file modified less than two seconds
//! before the build started counts as changed at the next build, whatever its stamp says (a
//! filesystem's clock may be that coarse).
//!
//! An edge of the pipeline: it reads and writes the cache folder and stats the site's files.

use crate::diagnostics::Diagnostic;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The first line of the manifest, before the hash of the rest: a file that does not start so
/// is not a cache of this format.
const MAGIC: &str = "glossa-build-cache 2";

/// Inputs modified this close to the build's start (nanoseconds) count as changed next time.
const RACY_NANOS: i128 = 2_000_000_000;

/// The resolved site's file in the cache folder.
const SITE: &str = "site";

/// The file in the cache folder of what the output `name` kept.
fn kept_file(name: &str) -> String {
    format!("kept-{name}")
}

/// The folders of a site that a build reads.
const INPUTS: [&str; 3] = ["seeds", "content", "themes"];

/// A file as last seen: where it is (relative, `/`-separated), its size and its times.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stamp {
    pub(crate) path: String,
    size: u64,
    /// Modification time, nanoseconds since the epoch.
    modified: i128,
    /// Status change time and inode (Unix): a file replaced by another with the same size and
    /// modification time (a copy that keeps times) still shows.
    changed: i128,
    inode: u64,
}

/// What one build of an output read, wrote and reported.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Manifest {
    pub(crate) key: String,
    /// When the build started (its stamps were taken then), nanoseconds since the epoch.
    started: i128,
    inputs: Vec<Stamp>,
    outputs: Vec<Stamp>,
    pub(crate) diagnostics: Vec<Diagnostic>,
    pub(crate) summary: Counts,
    /// The hash of the resolved site kept beside the manifest, if one is.
    site: Option<u64>,
    /// What the outputs made of every document kept of the build (`render::kept`): each
    /// output's name and the hash of its file beside the manifest.
    #[serde(default)]
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
        let previous = match std::fs::read_to_string(dir.join("manifest")) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => ignored(&dir, &format!("it cannot be read ({e})"), notes),
            Ok(text) => match parse(&text) {
                Err(why) => ignored(&dir, why, notes),
                Ok(m) if m.key != key => ignored(&dir, "it was made by another glossa or with other options", notes),
                Ok(m) => Some(m),
            },
        };
        Cache { dir, previous }
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
        if !same_paths || m.outputs != stamps(out, "") {
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

    /// The resolved site the last build kept (`resolve::snapshot`'s bytes), if it is the one
    /// the manifest names (by the hash it carries; `resolve::snapshot::load` checks the bytes
    /// against it).
    pub(crate) fn site(&self) -> Option<Vec<u8>> {
        let hash = self.previous.as_ref()?.site?;
        let bytes = std::fs::read(self.dir.join(SITE)).ok()?;
        (crate::resolve::snapshot::stored_hash(&bytes) == Some(hash)).then_some(bytes)
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

    /// Forgets the cache of `out`: the output is about to change under it.
    pub(crate) fn forget(out: &Path) -> std::io::Result<()> {
        let dir = Cache::dir_of(out);
        for file in ["manifest", SITE] {
            match std::fs::remove_file(dir.join(file)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
        Ok(())
    }

    /// Writes what this build read (`inputs`, stamped at `started`), left in `out` and
    /// reported, and the site it resolved (`site`, the snapshot's bytes), the site first. Each
    /// through a temporary file renamed into place: a build killed meanwhile leaves no
    /// manifest, or the whole one, and a manifest names the site beside it by its hash.
    pub(crate) fn save(
        &self,
        manifest: Manifest,
        out: &Path,
        site: Option<&crate::resolve::Site>,
    ) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let site = match site {
            Some(site) => {
                // Written as it is made: the snapshot is never held whole.
                let tmp = self.dir.join("site.new");
                let mut file = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
                let hash = crate::resolve::snapshot::save_to(site, &mut file)?;
                file.into_inner().map_err(std::io::IntoInnerError::into_error)?;
                std::fs::rename(&tmp, self.dir.join(SITE))?;
                Some(hash)
            }
            None => None,
        };
        let manifest = Manifest {
            outputs: stamps(out, ""),
            site,
            ..manifest
        };
        let body = serde_json::to_string(&manifest).map_err(std::io::Error::other)?;
        let tmp = self.dir.join("manifest.new");
        std::fs::write(
            &tmp,
            format!("{MAGIC} {:016x}\n{body}", crate::hash::of_bytes(body.as_bytes())),
        )?;
        std::fs::rename(&tmp, self.dir.join("manifest"))
    }
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
            outputs: Vec::new(),
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

fn parse(text: &str) -> Result<Manifest, &'static str> {
    let (head, body) = text.split_once('\n').ok_or("it is truncated")?;
    let sum = head
        .strip_prefix(MAGIC)
        .and_then(|s| s.strip_prefix(' '))
        .ok_or("it is of another format")?;
    if u64::from_str_radix(sum, 16) != Ok(crate::hash::of_bytes(body.as_bytes())) {
        return Err("it is truncated or corrupt");
    }
    serde_json::from_str(body).map_err(|_| "it is corrupt")
}

fn ignored(dir: &Path, why: &str, notes: &mut Vec<Diagnostic>) -> Option<Manifest> {
    notes.push(
        Diagnostic::error(
            crate::diagnostics::Code::CacheIgnored,
            dir,
            format!("build cache ignored: {why}"),
        )
        .severity(crate::diagnostics::Severity::Note)
        .hint("this build starts from nothing and makes the cache again"),
    );
    None
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

/// The stamps of the files under `dir` (hidden entries included, links followed), named
/// `prefix/…`, sorted by path; none if `dir` is missing. The folders are walked in turn (a
/// listing names each entry's kind), the files stamped in parallel.
fn stamps(dir: &Path, prefix: &str) -> Vec<Stamp> {
    use rayon::prelude::*;
    let walk = walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name();
    let files: Vec<PathBuf> = walk
        .into_iter()
        .flatten()
        .filter(|e| !e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    let mut all: Vec<Stamp> = files
        .par_iter()
        .filter_map(|path| {
            let meta = std::fs::metadata(path).ok().filter(std::fs::Metadata::is_file)?;
            let rel = path
                .strip_prefix(dir)
                .unwrap_or(path)
                .to_string_lossy()
                .replace('\\', "/");
            let path = if prefix.is_empty() {
                rel
            } else {
                format!("{prefix}/{rel}")
            };
            Some(stamp(path, &meta))
        })
        .collect();
    all.sort_by(|a, b| a.path.cmp(&b.path));
    all
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

    fn saved(dir: &Path) -> (Cache, PathBuf) {
        let out = dir.join("public");
        std::fs::create_dir_all(out.join("a")).expect("a folder");
        std::fs::write(out.join("a/index.html"), "page").expect("a file");
        let cache = Cache::open(&out, "k", &mut Vec::new());
        let m = Manifest {
            key: "k".into(),
            started: 0,
            inputs: Vec::new(),
            outputs: Vec::new(),
            diagnostics: Vec::new(),
            summary: Counts::default(),
            site: None,
            kept: Vec::new(),
        };
        cache.save(m, &out, None).expect("saved");
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

    #[test]
    fn a_cache_cut_short_or_of_another_key_is_ignored_with_a_note() {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let (cache, out) = saved(tmp.path());
        let mut notes = Vec::new();
        assert!(Cache::open(&out, "other", &mut notes).previous.is_none());
        let file = cache.dir.join("manifest");
        let text = std::fs::read_to_string(&file).expect("the manifest");
        std::fs::write(&file, &text[..text.len() - 3]).expect("cut short");
        assert!(Cache::open(&out, "k", &mut notes).previous.is_none());
        std::fs::write(&file, text.replacen("page", "pag", 1).replacen("\"k\"", "\"k\" ", 1)).expect("altered");
        assert!(Cache::open(&out, "k", &mut notes).previous.is_none());
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert!(notes.iter().all(|n| n.message.starts_with("build cache ignored")));
    }
}
