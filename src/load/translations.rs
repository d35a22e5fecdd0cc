//! The translations' side of loading: each translation found under content/translations/
//! paired with its document, read, parsed and checked against the document's blocks while the
//! document's body is at hand; and a translation's body made again when its page renders.

use super::read;
use crate::Fatal;
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::discover::FoundTranslation;
use crate::parse::document::{ParseOptions, body_of, decode};
use crate::parse::translation::parse_translation;
use crate::resolve::translation::{Side, Translation, check_blocks};
use crate::resolve::{self, PageBody, ResolvedDoc, SourceChanged, SourceCheck};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Each document's translations, by its place in `documents`, in the order a reader is offered
/// them: site.yaml's `translations:` first, then alphabetical. A translation with no document,
/// with a folder that is no language, or with two documents or two files of one language, is
/// an error.
pub(super) fn pair<'f>(
    root: &Path,
    config: &Config,
    documents: &[(PathBuf, Option<PathBuf>)],
    found: &'f [FoundTranslation],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Vec<&'f FoundTranslation>> {
    let seeds = root.join("seeds");
    let mut by_stem: HashMap<PathBuf, Vec<usize>> = HashMap::new();
    for (i, (path, _)) in documents.iter().enumerate() {
        if let Ok(rel) = path.strip_prefix(&seeds) {
            by_stem.entry(rel.with_extension("")).or_default().push(i);
        }
    }
    let mut paired: Vec<Vec<&FoundTranslation>> = vec![Vec::new(); documents.len()];
    for t in found {
        if !crate::config::is_valid_lang(&t.lang) {
            diags.push(
                Diagnostic::error(
                    Code::InvalidLang,
                    &t.path,
                    format!("`{}` is not a BCP 47 language tag", t.lang),
                )
                .hint("a translation stands in the folder of its language: content/translations/en/…"),
            );
            continue;
        }
        match by_stem.get(&t.stem).map(Vec::as_slice) {
            Some(&[i]) => {
                if let Some(other) = paired[i].iter().find(|o| o.lang == t.lang) {
                    diags.push(
                        Diagnostic::error(
                            Code::DuplicateTranslation,
                            &t.path,
                            format!("a second translation of one document into `{}`", t.lang),
                        )
                        .hint(format!(
                            "`{}` is one already; keep one of the two",
                            shown(root, &other.path)
                        )),
                    );
                } else {
                    paired[i].push(t);
                }
            }
            Some(several) => diags.push(
                Diagnostic::error(
                    Code::AmbiguousTranslation,
                    &t.path,
                    "this translation could belong to more than one document",
                )
                .hint(format!(
                    "{} share its path and name; rename one",
                    several
                        .iter()
                        .map(|&i| shown(root, &documents[i].0))
                        .collect::<Vec<_>>()
                        .join(" and ")
                )),
            ),
            None => diags.push(
                Diagnostic::error(
                    Code::TranslationWithoutOriginal,
                    &t.path,
                    "a translation with no original",
                )
                .hint(format!(
                    "it translates `seeds/{0}.txt` or `seeds/{0}.md`, which is not there",
                    t.stem.display()
                )),
            ),
        }
    }
    let rank = |lang: &str| config.translations.iter().position(|l| l == lang).unwrap_or(usize::MAX);
    for list in &mut paired {
        list.sort_by(|a, b| rank(&a.lang).cmp(&rank(&b.lang)).then_with(|| a.lang.cmp(&b.lang)));
    }
    paired
}

/// A path as people see it: relative to the site's folder.
fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root).unwrap_or(path).display().to_string()
}

/// Reads, parses and checks a document's translations against its body; keeps those whose
/// blocks match (an error for each other).
pub(super) fn attach(
    root: &Path,
    kept: &mut ResolvedDoc,
    body: &PageBody,
    translations: &[&FoundTranslation],
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> Result<(), Fatal> {
    let opts = ParseOptions {
        smart_punctuation: config.smart_punctuation,
    };
    let name = shown(root, &kept.doc.path);
    for t in translations {
        let source = match decode(read(&t.path)?, &t.path) {
            Ok(s) => s,
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let source_check = SourceCheck::of(&source);
        let mut parsed = parse_translation(&t.path, source, kept.doc.meta.lines, &opts, diags);
        let reading = resolve::prepare(&mut parsed.body, config.raw_html);
        let original = Side {
            name: &name,
            path: &kept.doc.path,
            source: &body.body.source,
            reading: &body.reading,
        };
        let translation = Side {
            name: "",
            path: &t.path,
            source: &parsed.body.source,
            reading: &reading,
        };
        if let Some(d) = check_blocks(&original, &translation) {
            diags.push(d);
            continue;
        }
        kept.add_translation_links(&t.path, &parsed.body, config, diags);
        kept.translations.push(Translation {
            lang: t.lang.clone(),
            path: t.path.clone(),
            title: parsed.title.unwrap_or_default(),
            kind: parsed.kind,
            lines: kept.doc.meta.lines,
            body_start: parsed.body_start,
            title_in_body: parsed.title_in_body,
            source_check,
        });
    }
    Ok(())
}

/// A kept translation's body, made again from its file exactly as loading made it. Fails if
/// the file no longer holds the text it was checked in.
pub(crate) fn translation_body(t: &Translation, config: &Config) -> Result<PageBody, SourceChanged> {
    let changed = |reason: String| SourceChanged {
        path: t.path.clone(),
        reason,
    };
    let bytes = std::fs::read(&t.path).map_err(|e| changed(format!("cannot read it again: {e}")))?;
    let source = decode(bytes, &t.path).map_err(|_| changed("it is no longer UTF-8".into()))?;
    if SourceCheck::of(&source) != t.source_check {
        return Err(changed("it changed while the site was being built".into()));
    }
    let opts = ParseOptions {
        smart_punctuation: config.smart_punctuation,
    };
    let mut body = body_of(t.kind, t.lines, t.body_start, t.title_in_body, source, &opts);
    let reading = resolve::prepare(&mut body, config.raw_html);
    Ok(PageBody { body, reading })
}
