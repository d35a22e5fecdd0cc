//! The output rule: which folder a build may replace. One place, because every build empties
//! its output folder whole (it swaps a new one in), so a wrong output folder loses files.
//!
//! The rule works on real paths. The output path is first made absolute and normalised
//! lexically (`a/../b` is `b`, whether `a` exists or not), so that no `..` is left to walk out
//! of a folder that a later `create_dir_all` makes real; the folders it names are then resolved
//! through symbolic links (the nearest existing ancestor, canonicalised, plus the missing
//! rest). It is checked before anything is created, and once more after its parent folder is
//! made ([`Plan::prepare`]). The output may not:
//!
//! - be the site's folder or an ancestor of it;
//! - be, hold or lie inside one of the site's sources: `seeds/`, `content/`, `themes/`,
//!   `schema/`, `.git/`, or any other dot-folder of the site's root;
//! - be a file, a symbolic link or a mount point (the swap cannot replace those safely);
//! - be a non-empty folder that glossa did not build (one without the [`MARKER`] file),
//!   unless `--force` is given.
//!
//! site.yaml's `output` is relative to the site's root and must stay inside it, as written
//! ([`config_output_refusal`]) and as a real path (through no link): a repository's
//! configuration must not make a build empty a folder elsewhere on the disk.
//!
//! Reads the disk (and creates the output's parent folder); writes nothing else.

use crate::diagnostics::{Code, Diagnostic};
use crate::yaml::pos::YamlPositions;
use std::path::{Component, Path, PathBuf};

/// The file glossa writes into every output folder it builds: a folder that has it may be
/// replaced by the next build; a non-empty one without it needs `--force`.
pub(crate) const MARKER: &str = ".glossa-output";

/// The marker's contents, the same in every build (the output stays byte-identical).
pub(crate) const MARKER_TEXT: &str =
    "This folder is built by glossa. Every build replaces it whole: keep nothing else in it.\n";

/// The site's folders that no build may touch, besides every dot-folder of the root.
const SOURCES: [&str; 5] = ["seeds", "content", "themes", "schema", ".git"];

/// Why a folder may not be the output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// site.yaml's `output` is absolute or leaves the site's folder.
    LeavesSite,
    /// The site's folder itself, or a folder that holds it.
    HoldsSite,
    /// One of the site's sources (`folder`, e.g. `seeds/`), a folder inside it, or (`holds`)
    /// a folder that holds it.
    Sources {
        folder: String,
        holds: bool,
    },
    NotAFolder,
    SymbolicLink,
    /// Found on Unix only, by device number (the standard library has no stable volume id
    /// elsewhere, where the swap's rename of a mount point fails with the system's error).
    #[cfg_attr(not(unix), allow(dead_code))]
    MountPoint,
    /// Not empty, and without the marker.
    NotBuiltByGlossa,
    /// The path cannot be resolved or its parent created.
    Unusable(String),
}

impl Refusal {
    /// What is wrong, naming the rule; with `out`, naming the folder too (when the message
    /// stands at another file's line).
    pub(crate) fn message(&self, out: Option<&Path>) -> String {
        let the = match out {
            Some(out) => format!("the output folder {}", out.display()),
            None => "the output folder".to_owned(),
        };
        match self {
            Refusal::LeavesSite => "`output` must be a folder inside the site's folder".to_owned(),
            Refusal::HoldsSite => format!("{the} is the site's folder or holds it"),
            Refusal::Sources { folder, holds: false } => {
                format!("{the} is or lies inside {folder}, one of the site's sources")
            }
            Refusal::Sources { folder, holds: true } => {
                format!("{the} holds {folder}, one of the site's sources")
            }
            Refusal::NotAFolder => format!("{the} is a file, not a folder"),
            Refusal::SymbolicLink => format!("{the} is a symbolic link"),
            Refusal::MountPoint => format!("{the} is a mount point"),
            Refusal::NotBuiltByGlossa => {
                format!("{the} is not empty, and glossa did not build it (it has no {MARKER} file)")
            }
            Refusal::Unusable(e) => format!("cannot use {the}: {e}"),
        }
    }

    /// The code of the rule the folder breaks.
    pub(crate) fn code(&self) -> Code {
        match self {
            Refusal::LeavesSite => Code::OutputOutsideSite,
            Refusal::HoldsSite => Code::OutputHoldsSite,
            Refusal::Sources { .. } => Code::OutputOverlapsSources,
            Refusal::NotAFolder => Code::OutputNotAFolder,
            Refusal::SymbolicLink => Code::OutputSymlink,
            Refusal::MountPoint => Code::OutputMountPoint,
            Refusal::NotBuiltByGlossa => Code::OutputNotBuiltByGlossa,
            Refusal::Unusable(_) => Code::OutputUnusable,
        }
    }

    /// How to proceed; `flag` when the output came from `--out`, else from site.yaml.
    pub(crate) fn hint(&self, flag: bool) -> String {
        let point = if flag { "--out" } else { "`output`" };
        match self {
            Refusal::LeavesSite => {
                "`output` is relative to the site's folder, e.g. `output: public`; to build elsewhere, pass --out"
                    .to_owned()
            }
            Refusal::HoldsSite | Refusal::Sources { .. } => format!(
                "every build replaces its output folder whole: point {point} at a folder of its own, such as `public`"
            ),
            Refusal::NotAFolder => format!("remove the file, or point {point} at a folder"),
            Refusal::SymbolicLink => {
                format!("point {point} at the folder itself: a build would replace the link, not the folder")
            }
            Refusal::MountPoint => {
                format!(
                    "a build swaps its output folder whole, which a mount point cannot be: point {point} at a folder inside it"
                )
            }
            Refusal::NotBuiltByGlossa => format!(
                "every build replaces its output folder whole: empty it, point {point} at a new folder, or pass --force to replace it"
            ),
            Refusal::Unusable(_) => format!("point {point} at a folder that can be created"),
        }
    }
}

/// `path` made absolute against `base` and normalised without reading the disk: `.` dropped,
/// each `..` removes the part before it (at the filesystem root it stays there).
pub(crate) fn lexical(base: &Path, path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    let joined = base.join(path);
    for part in joined.components() {
        match part {
            Component::Prefix(_) | Component::RootDir | Component::Normal(_) => out.push(part),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
        }
    }
    out
}

/// Why site.yaml's `output` may not be used as it is: absolute, or leaving the site's folder
/// once normalised (`a/../../x`). The real-path rule ([`Plan`]) applies to it after that.
pub(crate) fn config_output_refusal(output: &Path) -> Option<Refusal> {
    if output.has_root() || output.components().any(|c| matches!(c, Component::Prefix(_))) {
        return Some(Refusal::LeavesSite);
    }
    let mut depth = 0usize;
    for part in output.components() {
        match part {
            Component::Normal(_) => depth += 1,
            Component::ParentDir if depth == 0 => return Some(Refusal::LeavesSite),
            Component::ParentDir => depth -= 1,
            _ => {}
        }
    }
    None
}

/// A normalised absolute path with its symbolic links resolved: the nearest ancestor that
/// exists, canonicalised, and the missing rest after it (which, normalised, has no `..`).
fn real(path: &Path) -> Result<PathBuf, Refusal> {
    let mut rest = Vec::new();
    let mut at = path;
    loop {
        if at.symlink_metadata().is_ok() {
            let found = std::fs::canonicalize(at)
                .map_err(|e| Refusal::Unusable(format!("cannot resolve {}: {e}", at.display())))?;
            return Ok(rest.iter().rev().fold(found, |acc: PathBuf, part| acc.join(part)));
        }
        match (at.file_name(), at.parent()) {
            (Some(name), Some(parent)) => {
                rest.push(name.to_owned());
                at = parent;
            }
            _ => return Ok(path.to_path_buf()),
        }
    }
}

/// The site's sources as real paths, each with the name messages give it (`seeds/`).
fn sources(root: &Path) -> Result<Vec<(PathBuf, String)>, Refusal> {
    let mut names: Vec<String> = SOURCES.iter().map(|s| (*s).to_owned()).collect();
    if let Ok(entries) = std::fs::read_dir(root) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') && entry.path().is_dir() && !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
        .into_iter()
        .map(|name| Ok((real(&root.join(&name))?, format!("{name}/"))))
        .collect()
}

/// The rule, which reads the disk but writes nothing: `root` and `out` absolute and
/// normalised.
pub(crate) fn check(root: &Path, out: &Path, force: bool) -> Result<(), Refusal> {
    let root = real(root)?;
    let real_out = real(out)?;
    if root.starts_with(&real_out) {
        return Err(Refusal::HoldsSite);
    }
    // A new dot-folder of the root is one too (`--out .cache/site`).
    if let Ok(rel) = real_out.strip_prefix(&root)
        && let Some(Component::Normal(first)) = rel.components().next()
        && first.to_string_lossy().starts_with('.')
    {
        return Err(Refusal::Sources {
            folder: format!("{}/", first.to_string_lossy()),
            holds: false,
        });
    }
    for (source, folder) in sources(&root)? {
        if real_out.starts_with(&source) || source.starts_with(&real_out) {
            let holds = real_out != source && source.starts_with(&real_out);
            return Err(Refusal::Sources { folder, holds });
        }
    }
    check_existing(out, force)
}

/// What an output that exists already must be: a folder of its own that glossa built (or an
/// empty one, or any with `force`).
fn check_existing(out: &Path, force: bool) -> Result<(), Refusal> {
    let Ok(meta) = out.symlink_metadata() else {
        return Ok(());
    };
    if meta.file_type().is_symlink() {
        return Err(Refusal::SymbolicLink);
    }
    if !meta.is_dir() {
        return Err(Refusal::NotAFolder);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Some(parent) = out.parent()
            && let Ok(above) = parent.metadata()
            && above.dev() != meta.dev()
        {
            return Err(Refusal::MountPoint);
        }
    }
    if force || out.join(MARKER).symlink_metadata().is_ok_and(|m| m.is_file()) {
        return Ok(());
    }
    match std::fs::read_dir(out).map(|mut entries| entries.next().is_none()) {
        Ok(true) => Ok(()),
        Ok(false) => Err(Refusal::NotBuiltByGlossa),
        Err(e) => Err(Refusal::Unusable(e.to_string())),
    }
}

/// One build's output folder, as asked for, not yet checked.
pub(crate) struct Plan {
    /// The site's root, absolute and normalised.
    root: PathBuf,
    /// The output, absolute and normalised: what messages and the summary show.
    pub out: PathBuf,
    force: bool,
    /// From `--out` (else from site.yaml's `output`): where messages point.
    flag: bool,
    /// The site's site.yaml, as the other diagnostics name it (under the root as given).
    site_yaml: PathBuf,
}

impl Plan {
    /// `out` from `--out` (relative to the current folder), else site.yaml's `output`
    /// (relative to the root).
    pub(crate) fn new(given_root: &Path, flag_out: Option<&Path>, config_out: &Path, force: bool) -> Plan {
        let cwd = std::env::current_dir().unwrap_or_default();
        let root = lexical(&cwd, given_root);
        let (out, flag) = match flag_out {
            Some(out) => (lexical(&cwd, out), true),
            None => (lexical(&root, config_out), false),
        };
        Plan {
            site_yaml: given_root.join("content").join("site.yaml"),
            root,
            out,
            force,
            flag,
        }
    }

    /// The rule, before anything is created.
    pub(crate) fn check(&self) -> Result<(), Diagnostic> {
        self.rule(&self.out).map_err(|r| self.diagnostic(&r))
    }

    /// [`check`], and for site.yaml's `output`, that its real path stays inside the site's
    /// (a link in the repository must not lead it out).
    fn rule(&self, out: &Path) -> Result<(), Refusal> {
        if !self.flag && !real(out)?.starts_with(real(&self.root)?) {
            return Err(Refusal::LeavesSite);
        }
        check(&self.root, out, self.force)
    }

    /// Creates the output's parent folder and checks the rule again on the real path, now
    /// that it exists (a link or a folder may have appeared in between). Returns the real
    /// path: the one the build locks, stages beside and swaps.
    pub(crate) fn prepare(&self) -> Result<PathBuf, Diagnostic> {
        self.check()?;
        let (Some(parent), Some(name)) = (self.out.parent(), self.out.file_name()) else {
            return Err(self.diagnostic(&Refusal::HoldsSite));
        };
        std::fs::create_dir_all(parent)
            .map_err(|e| self.diagnostic(&Refusal::Unusable(format!("cannot create {}: {e}", parent.display()))))?;
        let real_parent = std::fs::canonicalize(parent)
            .map_err(|e| self.diagnostic(&Refusal::Unusable(format!("cannot resolve {}: {e}", parent.display()))))?;
        let real_out = real_parent.join(name);
        self.rule(&real_out).map_err(|r| self.diagnostic(&r))?;
        Ok(real_out)
    }

    /// A refusal as an error: at site.yaml's `output` line when the path came from there,
    /// else at the folder (relative to the current folder when inside it).
    fn diagnostic(&self, refusal: &Refusal) -> Diagnostic {
        let cwd = std::env::current_dir().unwrap_or_default();
        let shown = self.out.strip_prefix(&cwd).unwrap_or(&self.out);
        let d = if self.flag {
            None
        } else {
            let source = std::fs::read_to_string(&self.site_yaml).unwrap_or_default();
            YamlPositions::index(&source).value(&["output".into()]).map(|pos| {
                Diagnostic::error(refusal.code(), &self.site_yaml, refusal.message(Some(shown))).at(&source, pos)
            })
        };
        // Without `output` in site.yaml (the default, `public`), at the folder too.
        d.unwrap_or_else(|| Diagnostic::error(refusal.code(), shown, refusal.message(None)))
            .hint(refusal.hint(self.flag))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexical_leaves_no_dot_dot() {
        let base = Path::new("/home/u/site");
        assert_eq!(
            lexical(base, Path::new("nonexist/../seeds")),
            Path::new("/home/u/site/seeds")
        );
        assert_eq!(
            lexical(base, Path::new("nonexist/../../site")),
            Path::new("/home/u/site")
        );
        assert_eq!(lexical(base, Path::new("./a/./b/..")), Path::new("/home/u/site/a"));
        assert_eq!(lexical(base, Path::new("../../../../..")), Path::new("/"));
        assert_eq!(lexical(base, Path::new("/abs/x/../y")), Path::new("/abs/y"));
    }

    #[test]
    fn config_output_stays_inside_the_site() {
        for ok in ["public", "build/site", "a/../b", "./out"] {
            assert_eq!(config_output_refusal(Path::new(ok)), None, "{ok}");
        }
        for bad in ["/tmp/x", "..", "../x", "a/../../x", "a/b/../../../x"] {
            assert_eq!(
                config_output_refusal(Path::new(bad)),
                Some(Refusal::LeavesSite),
                "{bad}"
            );
        }
    }

    /// A site at `TMP/site` with its sources, and a folder beside it.
    fn fixture() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let root = tmp.path().canonicalize().expect("canonical").join("site");
        for dir in ["seeds", "content", "themes", "schema", ".git", ".cache", "public"] {
            std::fs::create_dir_all(root.join(dir)).expect("a folder");
        }
        std::fs::create_dir_all(tmp.path().join("other")).expect("a folder");
        (tmp, root)
    }

    #[test]
    fn the_sources_and_the_site_are_refused() {
        let (_tmp, root) = fixture();
        let refused = |rel: &str| check(&root, &lexical(&root, Path::new(rel)), false).err();
        assert_eq!(refused("public"), None);
        assert_eq!(refused("new/deep/out"), None);
        assert_eq!(refused("../other/out"), None);
        assert_eq!(refused("."), Some(Refusal::HoldsSite));
        assert_eq!(refused(".."), Some(Refusal::HoldsSite));
        for (rel, folder) in [
            ("seeds", "seeds/"),
            ("content/x", "content/"),
            ("themes", "themes/"),
            ("schema", "schema/"),
            (".git", ".git/"),
            (".cache/out", ".cache/"),
            (".new-dot/out", ".new-dot/"),
            ("nonexist/../seeds", "seeds/"),
        ] {
            assert_eq!(
                refused(rel),
                Some(Refusal::Sources {
                    folder: folder.to_owned(),
                    holds: false
                }),
                "{rel}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_to_the_real_folder() {
        let (tmp, root) = fixture();
        let base = tmp.path().canonicalize().expect("canonical");
        std::os::unix::fs::symlink(root.join("seeds"), base.join("texts")).expect("a link");
        std::os::unix::fs::symlink(&root, base.join("alias")).expect("a link");
        let refused = |path: &Path| check(&root, path, false).err();
        let inside_seeds = Some(Refusal::Sources {
            folder: "seeds/".to_owned(),
            holds: false,
        });
        assert_eq!(refused(&base.join("texts/new")), inside_seeds);
        assert_eq!(refused(&base.join("alias/seeds")), inside_seeds);
        assert_eq!(refused(&base.join("alias")), Some(Refusal::HoldsSite));
        assert_eq!(refused(&base.join("texts")), inside_seeds);
    }

    /// `/proc` is a mount point on every Linux system: a swap could not replace it.
    #[cfg(target_os = "linux")]
    #[test]
    fn a_mount_point_is_refused() {
        let (_tmp, root) = fixture();
        assert_eq!(check(&root, Path::new("/proc"), true), Err(Refusal::MountPoint));
    }

    #[test]
    fn an_existing_output_must_be_glossas_folder() {
        let (tmp, root) = fixture();
        let other = tmp.path().join("other");
        assert_eq!(check(&root, &other, false), Ok(()), "an empty folder");
        std::fs::write(other.join("notes.txt"), "mine").expect("a file");
        assert_eq!(check(&root, &other, false), Err(Refusal::NotBuiltByGlossa));
        assert_eq!(check(&root, &other, true), Ok(()), "--force");
        std::fs::write(other.join(MARKER), MARKER_TEXT).expect("the marker");
        assert_eq!(check(&root, &other, false), Ok(()));
        assert_eq!(
            check(&root, &other.join("notes.txt"), true),
            Err(Refusal::NotAFolder),
            "--force does not replace a file"
        );
    }
}

#[cfg(all(test, unix))]
mod proptests {
    use super::*;
    use proptest::prelude::*;

    /// The parts a path is made of: `..`, `.`, existing and missing folders, and links (one to
    /// the sources, one to the root, one up, one that dangles).
    const PARTS: [&str; 12] = [
        "..", ".", "seeds", "content", "site", "other", "missing", "up", "to-seeds", "to-site", "dangling", ".git",
    ];

    /// Every file under `dir`, for comparing before and after.
    fn listing(dir: &Path) -> Vec<PathBuf> {
        walkdir::WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
            .map(|e| e.into_path())
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// No random path resolves to a protected folder: whatever `prepare` accepts is a real
        /// folder outside the sources that neither is nor holds the site, and nothing is ever
        /// created inside the sources.
        #[test]
        fn no_path_resolves_to_a_protected_folder(
            parts in proptest::collection::vec(proptest::sample::select(&PARTS[..]), 1..7),
            from_site in any::<bool>(),
        ) {
            let tmp = tempfile::tempdir().expect("a temporary folder");
            let base = tmp.path().canonicalize().expect("canonical");
            let root = base.join("site");
            for dir in ["seeds", "content", "themes", ".git", "other"] {
                std::fs::create_dir_all(root.join(dir)).expect("a folder");
            }
            std::fs::write(root.join("seeds/a.txt"), "A").expect("a file");
            for at in [&root, &root.join("other")] {
                std::os::unix::fs::symlink("..", at.join("up")).expect("a link");
                std::os::unix::fs::symlink(root.join("seeds"), at.join("to-seeds")).expect("a link");
                std::os::unix::fs::symlink(&root, at.join("to-site")).expect("a link");
                std::os::unix::fs::symlink(base.join("nowhere"), at.join("dangling")).expect("a link");
            }
            let before: Vec<_> = ["seeds", "content", "themes", ".git"].iter().map(|d| listing(&root.join(d))).collect();
            let rel: PathBuf = parts.iter().collect();
            let start = if from_site { root.clone() } else { root.join("other") };
            let plan = Plan {
                root: root.clone(),
                out: lexical(&start, &rel),
                force: false,
                flag: true,
                site_yaml: root.join("content/site.yaml"),
            };
            // Only paths inside the case's own folder are created; the others are only checked.
            let accepted = if plan.out.starts_with(&base) {
                plan.prepare().ok()
            } else {
                plan.check().ok().and_then(|()| real(&plan.out).ok())
            };
            if let Some(real_out) = accepted {
                let protected = ["seeds", "content", "themes", ".git"].map(|d| root.join(d));
                prop_assert!(!root.starts_with(&real_out), "{} holds the site", real_out.display());
                for p in &protected {
                    prop_assert!(
                        !real_out.starts_with(p) && !p.starts_with(&real_out),
                        "{} is, holds or lies in {}", real_out.display(), p.display()
                    );
                }
            }
            let after: Vec<_> = ["seeds", "content", "themes", ".git"].iter().map(|d| listing(&root.join(d))).collect();
            prop_assert_eq!(before, after, "nothing was created in the sources");
        }
    }
}
