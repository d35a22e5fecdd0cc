//! Discover: walk `seeds/` and `content/` and say what is there. Reads no file contents.
//!
//! Files are found by the rule of [`crate::site_files`] (hidden entries skipped, symlinks only
//! inside the site, special files never opened). Each `*.yaml` under seeds/ is paired with the
//! document of the same path and stem.

use crate::diagnostics::{Code, Diagnostic};
use crate::site_files::{files, is_file};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What `content/` holds ([`content`]); the documents under `seeds/` are walked apart
/// ([`documents`]), at the same time.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub pages: Vec<PathBuf>,
    pub glossary: Vec<PathBuf>,
    /// `content/static/**`: (path relative to the output root, source path).
    pub static_files: Vec<(String, PathBuf)>,
    /// `content/translations/LANG/**.{txt,md}`, in path order.
    pub translations: Vec<FoundTranslation>,
}

/// A translation's file: `content/translations/LANG/PATH/NAME.EXT` translates the document
/// `seeds/PATH/NAME.*`.
#[derive(Debug)]
pub(crate) struct FoundTranslation {
    pub lang: String,
    /// `PATH/NAME`: the original's path under seeds/, without its extension.
    pub stem: PathBuf,
    pub path: PathBuf,
}

/// The documents under seeds/ with their sidecars, in path order (the walk that takes long on
/// a large site: [`content`] can be read meanwhile).
pub(crate) fn documents(root: &Path, diags: &mut Vec<Diagnostic>) -> Vec<(PathBuf, Option<PathBuf>)> {
    let seeds = root.join("seeds");
    // Documents as (stem, path), in the walk's order; paths compare component by component,
    // which is slow enough to count on 10,000 files, so they are sorted (by stem) only when
    // the walk's order is not already that order, and looked up by hash.
    let mut docs: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut sidecars: Vec<PathBuf> = Vec::new();
    for path in files(root, &seeds, diags) {
        match path.extension().and_then(|e| e.to_str()) {
            Some("txt" | "md") => docs.push((path.with_extension(""), path)),
            Some("yaml") => sidecars.push(path),
            Some("yml") => diags.push(
                Diagnostic::warning(Code::YmlSidecar, &path, "ignored: sidecars end in `.yaml`")
                    .hint("rename it to .yaml"),
            ),
            _ => diags.push(Diagnostic::warning(
                Code::UnknownFile,
                &path,
                "ignored: not a document (.txt, .md) or a sidecar (.yaml)",
            )),
        }
    }
    if !docs.is_sorted_by(|a, b| a.0 <= b.0) {
        // Stable: the documents of one stem stay in the walk's order.
        docs.sort_by(|a, b| a.0.cmp(&b.0));
    }
    let mut by_stem: HashMap<&Path, Vec<&Path>> = HashMap::with_capacity(docs.len());
    for (stem, path) in &docs {
        by_stem.entry(stem).or_default().push(path);
    }
    let mut paired: HashMap<PathBuf, PathBuf> = HashMap::with_capacity(sidecars.len());
    for s in sidecars {
        let stem = s.with_extension("");
        match by_stem.get(stem.as_path()) {
            Some(d) if d.len() == 1 => {
                paired.insert(d[0].to_path_buf(), s);
            }
            Some(d) => diags.push(
                Diagnostic::error(
                    Code::AmbiguousSidecar,
                    &s,
                    "this sidecar could belong to more than one document",
                )
                .hint(format!(
                    "{} share its stem; rename one",
                    d.iter()
                        .map(|p| p.display().to_string())
                        .collect::<Vec<_>>()
                        .join(" and ")
                )),
            ),
            None => diags.push(
                Diagnostic::error(Code::SidecarWithoutDocument, &s, "a sidecar with no document").hint(format!(
                    "expected `{0}.txt` or `{0}.md` beside it",
                    stem.file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default()
                )),
            ),
        }
    }
    drop(by_stem);
    docs.into_iter()
        .map(|(_, p)| {
            let side = paired.remove(&p);
            (p, side)
        })
        .collect()
}

/// What content/ holds: pages, glossary files and static files (no documents).
pub(crate) fn content(root: &Path, diags: &mut Vec<Diagnostic>) -> Found {
    let mut found = Found::default();
    let content = root.join("content");
    found.pages = files(root, &content.join("pages"), diags)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    let main_glossary = content.join("glossary.yaml");
    if is_file(root, &main_glossary, diags) {
        found.glossary.push(main_glossary);
    }
    found.glossary.extend(
        files(root, &content.join("glossary"), diags)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "yaml")),
    );
    found.static_files = static_files(root, diags);
    found.translations = translations(root, diags);
    found
}

/// `content/translations/LANG/**`: the translations' files, each with its language and the
/// stem of the document it translates. A file of another kind, or one outside a language's
/// folder, is left out with a warning.
pub(crate) fn translations(root: &Path, diags: &mut Vec<Diagnostic>) -> Vec<FoundTranslation> {
    let dir = root.join("content").join("translations");
    let mut found = Vec::new();
    for path in files(root, &dir, diags) {
        let Ok(rel) = path.strip_prefix(&dir) else { continue };
        let mut parts = rel.components();
        let lang = parts.next().map(|c| c.as_os_str().to_string_lossy().into_owned());
        let stem = parts.as_path().with_extension("");
        let kind_ok = path.extension().is_some_and(|e| e == "txt" || e == "md");
        match lang {
            Some(lang) if kind_ok && !stem.as_os_str().is_empty() => found.push(FoundTranslation { lang, stem, path }),
            _ if kind_ok => diags.push(
                Diagnostic::warning(
                    Code::TranslationMisplaced,
                    &path,
                    "ignored: a translation stands in its language's folder",
                )
                .hint("move it to content/translations/LANG/, beside the path of its original under seeds/"),
            ),
            _ => diags.push(Diagnostic::warning(
                Code::UnknownFile,
                &path,
                "ignored: a translation is a .txt or .md file",
            )),
        }
    }
    found
}

/// `content/static/**`: (path relative to the output root, source path).
pub(crate) fn static_files(root: &Path, diags: &mut Vec<Diagnostic>) -> Vec<(String, PathBuf)> {
    let static_dir = root.join("content").join("static");
    files(root, &static_dir, diags)
        .into_iter()
        .filter_map(|p| {
            let rel = p.strip_prefix(&static_dir).ok()?.to_string_lossy().replace('\\', "/");
            Some((rel, p))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Documents come in the order of their paths without extension, component by component
    /// (`a` before `a/x` before `a-b`), documents of one stem in file-name order; each sidecar
    /// pairs with the one document of its stem.
    #[test]
    fn documents_in_stem_order_with_their_sidecars() {
        let dir = tempfile::tempdir().unwrap();
        let seeds = dir.path().join("seeds");
        std::fs::create_dir_all(seeds.join("a")).unwrap();
        for f in ["a.md", "a.txt", "a/x.md", "a/x.yaml", "a-b.md", "a.b.md", "a.b.yaml"] {
            std::fs::write(seeds.join(f), "x").unwrap();
        }
        let mut diags = Vec::new();
        let found = documents(dir.path(), &mut diags);
        let names: Vec<(String, Option<String>)> = found
            .iter()
            .map(|(d, s)| {
                let rel = |p: &Path| p.strip_prefix(&seeds).unwrap().to_string_lossy().into_owned();
                (rel(d), s.as_deref().map(rel))
            })
            .collect();
        let expected = [
            ("a.md", None),
            ("a.txt", None),
            ("a/x.md", Some("a/x.yaml")),
            ("a-b.md", None),
            ("a.b.md", Some("a.b.yaml")),
        ];
        assert_eq!(
            names,
            expected
                .iter()
                .map(|(d, s)| (d.to_string(), s.map(str::to_owned)))
                .collect::<Vec<_>>()
        );
        assert!(diags.is_empty(), "{diags:?}");
    }
}
