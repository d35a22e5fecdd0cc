//! What glossa reads, and how: the one rule for every path of a site that glossa opens
//! (site.yaml, glossary files, seeds, sidecars, pages, static files, a theme's files).
//!
//! Hidden files and folders are skipped. A symlink is followed only when it stays inside the
//! site; special files (FIFOs, sockets, devices) are skipped with a warning, never opened
//! (`look_at` is that rule). Looks at paths and walks folders; reads no file contents. Below
//! every stage, so that `config` and `theme` read by the same rule as `discover` walks.

use crate::diagnostics::{Code, Diagnostic};
use std::path::{Path, PathBuf};

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

/// What stands at a path of the site, by the one rule for symlinks and special files.
enum Entry {
    /// Nothing, or nothing glossa can look at.
    Missing,
    /// Something glossa does not read, with a warning already given.
    Skipped,
    File,
    /// A folder, with its real path (every symlink on the way resolved).
    Dir(PathBuf),
}

/// The site's root with every symlink resolved: where a symlink must lead to be followed.
fn real_root(root: &Path) -> PathBuf {
    std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf())
}

/// Looks at `path` without opening it. A symlink (at `path`, or a folder on the way to it) is
/// followed when it leads to a place inside the site's root, as Jekyll's safe mode does: a
/// site may link its own files, but a build never reads what lies outside it. A symlink that
/// leads out of the site or nowhere, and anything that is neither a file nor a folder (a FIFO,
/// a socket, a device), is skipped with a warning: reading a FIFO would wait for a writer
/// forever.
fn look_at(real_root: &Path, path: &Path, diags: &mut Vec<Diagnostic>) -> Entry {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return Entry::Missing;
    };
    let is_link = meta.file_type().is_symlink();
    let real = match std::fs::canonicalize(path) {
        Ok(real) => real,
        Err(_) if is_link => {
            diags.push(
                Diagnostic::warning(Code::BrokenSymlink, path, "skipped: a symlink that leads nowhere")
                    .hint("what it points to does not exist"),
            );
            return Entry::Skipped;
        }
        Err(_) => return Entry::Missing,
    };
    if !real.starts_with(real_root) {
        diags.push(
            Diagnostic::warning(
                Code::SymlinkOutsideSite,
                path,
                "skipped: a symlink that leads out of the site",
            )
            .hint(format!(
                "it leads to {}; glossa follows only symlinks that stay inside the site's folder",
                real.display()
            )),
        );
        return Entry::Skipped;
    }
    match std::fs::metadata(&real) {
        Ok(m) if m.is_file() => Entry::File,
        Ok(m) if m.is_dir() => Entry::Dir(real),
        Ok(m) => {
            skip_special(path, m.file_type(), diags);
            Entry::Skipped
        }
        Err(_) => Entry::Missing,
    }
}

/// Warns that `path` is neither a file nor a folder, naming what it is where the system says.
fn skip_special(path: &Path, kind: std::fs::FileType, diags: &mut Vec<Diagnostic>) {
    #[cfg(unix)]
    let what = {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            "a named pipe (FIFO)"
        } else if kind.is_socket() {
            "a socket"
        } else if kind.is_block_device() || kind.is_char_device() {
            "a device"
        } else {
            "not a regular file"
        }
    };
    #[cfg(not(unix))]
    let what = {
        let _ = kind;
        "not a regular file"
    };
    diags.push(
        Diagnostic::warning(
            Code::SpecialFile,
            path,
            format!("skipped: {what}, not a file or a folder"),
        )
        .hint("glossa reads only regular files, and symlinks to them inside the site"),
    );
}

/// Whether `path` is a file to read, by the rule of `look_at` (which warns about what it skips).
pub(crate) fn is_file(root: &Path, path: &Path, diags: &mut Vec<Diagnostic>) -> bool {
    matches!(look_at(&real_root(root), path, diags), Entry::File)
}

/// Whether `path` is a folder to read, by the rule of `look_at`.
pub(crate) fn is_dir(root: &Path, path: &Path, diags: &mut Vec<Diagnostic>) -> bool {
    matches!(look_at(&real_root(root), path, diags), Entry::Dir(_))
}

/// Files under `dir`, sorted by path, skipping hidden entries; symlinks and special files by
/// the rule of `look_at`, at every level, `dir` itself included.
pub(crate) fn files(root: &Path, dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let real_root = real_root(root);
    let mut out = Vec::new();
    if let Entry::Dir(real) = look_at(&real_root, dir, diags) {
        let mut walk = Walk {
            real_root,
            open: Vec::new(),
            out: &mut out,
            diags,
        };
        walk.folder(dir, real);
    }
    out
}

/// One walk of [`files`].
struct Walk<'a> {
    real_root: PathBuf,
    /// The real paths of the folders being walked, outermost first: each walk's start, and the
    /// folder holding each symlink followed. A symlink to one of them (or to a folder holding
    /// one, or to a folder between) would be walked without end.
    open: Vec<PathBuf>,
    out: &'a mut Vec<PathBuf>,
    diags: &'a mut Vec<Diagnostic>,
}

impl Walk<'_> {
    /// Walks `dir`, whose real path is `real`, with walkdir: in file-name order, folders
    /// entered where they stand, hidden entries skipped. walkdir follows no symlink here; each
    /// one is looked at by the rule of [`look_at`] and, when it leads to a folder inside the
    /// site, walked in its turn.
    fn folder(&mut self, dir: &Path, real: PathBuf) {
        self.open.push(real);
        let entries = walkdir::WalkDir::new(dir)
            .min_depth(1)
            .follow_links(false)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| !is_hidden(e.file_name()));
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let at = e.path().unwrap_or(dir).to_owned();
                    self.diags.push(Diagnostic::warning(
                        Code::UnreadableFolder,
                        at,
                        format!("skipped: cannot read this folder: {e}"),
                    ));
                    continue;
                }
            };
            let (path, kind) = (entry.path(), entry.file_type());
            if kind.is_file() {
                self.out.push(path.to_owned());
            } else if kind.is_symlink() {
                self.symlink(dir, path);
            } else if !kind.is_dir() {
                skip_special(path, kind, self.diags);
            }
        }
        self.open.pop();
    }

    /// A symlink met in the walk of `dir`.
    fn symlink(&mut self, dir: &Path, path: &Path) {
        match look_at(&self.real_root, path, self.diags) {
            Entry::File => self.out.push(path.to_owned()),
            Entry::Dir(real) => {
                // The real folder holding the link: the walk's real path and the way down to it
                // (no symlink was followed on that way).
                let inside = path
                    .parent()
                    .and_then(|p| p.strip_prefix(dir).ok())
                    .unwrap_or(Path::new(""));
                let Some(holder) = self.open.last().map(|o| o.join(inside)) else {
                    return;
                };
                if self.open.iter().chain([&holder]).any(|o| o.starts_with(&real)) {
                    self.diags.push(
                        Diagnostic::warning(Code::SymlinkLoop, path, "skipped: a symlink to a folder that holds it")
                            .hint("following it would walk the same folders without end"),
                    );
                } else {
                    // The holder stays open beside the folders of the walk: every folder
                    // between it and the walk's start lies above it.
                    self.open.push(holder);
                    self.folder(path, real);
                    self.open.pop();
                }
            }
            Entry::Missing | Entry::Skipped => {}
        }
    }
}
