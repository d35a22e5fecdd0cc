//! Load: the edge that reads the site. Input: the site's folder. Output: a resolved
//! [`Site`] (config, discover, reading the files, parse and resolve), and, when a
//! page renders, its document's body made again from its file ([`Reload`]). Touches the disk:
//! it reads every file the stages below it work on, so that they read none.

use crate::diagnostics::{Code, Diagnostic};
use crate::parse::Entry;
use crate::parse::document::{ParseOptions, ParsedDocument, decode, parse_document};
use crate::resolve::{self, Glossary, PageBody, ResolvedDoc, Site, SourceChanged, SourceCheck};
use crate::{BuildOptions, Fatal, config, discover, parse};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

mod static_dir;
mod translations;

pub(crate) use static_dir::StaticDir;

/// Everything up to and including resolve: what `build`, `check` and `serve` share. Each
/// document keeps only what rendering cannot make again ([`ResolvedDoc`]; its body is dropped
/// as soon as it is resolved), so that memory stays flat on large sites.
pub fn load(opts: &BuildOptions, diags: &mut Vec<Diagnostic>) -> Result<Option<Site>, Fatal> {
    load_with(opts, diags, None)
}

/// A sidecar's text to read in place of its file, or of no file: what `glossa add` is about
/// to write, checked before it is written ([`crate::add`]). Its document is loaded even when
/// it is a draft, so that the new text is always checked.
pub(crate) struct Overlay {
    pub document: PathBuf,
    pub sidecar: PathBuf,
    pub text: String,
    /// A glossary file's text to read in place of the file, or of no file (`serve`'s editor
    /// adds an entry with the item that names it).
    pub glossary: Option<(PathBuf, String)>,
}

/// [`load`], with one sidecar's text given instead of read.
pub(crate) fn load_with(
    opts: &BuildOptions,
    diags: &mut Vec<Diagnostic>,
    overlay: Option<&Overlay>,
) -> Result<Option<Site>, Fatal> {
    Ok(load_overlaid(opts, diags, &|_, _, _| None::<()>, overlay)?.map(|(site, _)| site))
}

/// What a document looks like to a visitor of [`load_visiting`]: resolved, its body, and its
/// sidecar's text.
pub(crate) type Visit<'v, T> = dyn Fn(&ResolvedDoc, &PageBody, &str) -> Option<T> + Sync + 'v;

/// [`load`], showing each document to `visit` while its body and its sidecar's text are still
/// at hand (`check --fix` moves quotes there); what it returns comes back in discovery order.
pub(crate) fn load_visiting<T: Send>(
    opts: &BuildOptions,
    diags: &mut Vec<Diagnostic>,
    visit: &Visit<'_, T>,
) -> Result<Option<(Site, Vec<T>)>, Fatal> {
    load_overlaid(opts, diags, visit, None)
}

fn load_overlaid<T: Send>(
    opts: &BuildOptions,
    diags: &mut Vec<Diagnostic>,
    visit: &Visit<'_, T>,
    overlay: Option<&Overlay>,
) -> Result<Option<(Site, Vec<T>)>, Fatal> {
    let root = &opts.root;
    let mut config = site_config(opts, diags)?;
    // The glossary first: every document is resolved against it as soon as it is parsed. It is
    // read while seeds/ is walked.
    let ((documents, walk_diags), glossary) = rayon::join(
        || {
            let mut diags = Vec::new();
            (discover::documents(root, &mut diags), diags)
        },
        || read_glossary(root, overlay.and_then(|o| o.glossary.as_ref())),
    );
    diags.extend(walk_diags);
    if documents.is_empty() {
        diags.push(
            Diagnostic::error(
                Code::NoDocuments,
                root.join("seeds"),
                "no documents: there is no .txt or .md file under seeds/",
            )
            .hint("add a text, e.g. seeds/erlkoenig.txt, or create a site with `glossa new DIR`"),
        );
        return Ok(None);
    }
    let (found, entries, glossary, glossary_diags) = glossary?;
    config.statics = std::sync::Arc::new(crate::layout::StaticSet::new(
        found.static_files.into_iter().map(|(p, _)| p),
    ));
    diags.extend(glossary_diags);
    let paired = translations::pair(root, &config, &documents, &found.translations, diags);
    let opts_parse = ParseOptions {
        smart_punctuation: config.smart_punctuation,
    };
    let resolving = Resolving {
        root,
        translations: &paired,
        config: &config,
        entries: &entries,
        glossary: &glossary,
        parse: &opts_parse,
        drafts: opts.drafts,
        overlay,
    };
    let (docs, visited) = resolving.documents(&documents, visit, diags)?;
    let pages = resolving.pages(&found.pages, diags)?;
    let site = resolve::resolve(root, config, docs, pages, entries, glossary, diags);
    diags.extend(crate::render::epub::check_pages(&site));
    if site.config.base_url.is_none() && opts.warn_sitemap {
        diags.push(
            Diagnostic::warning(
                Code::NoBaseUrl,
                root.join("content").join("site.yaml"),
                "no `base_url`: sitemap.xml is left out",
            )
            .hint("set `base_url` in site.yaml or pass --base-url"),
        );
    }
    Ok(Some((site, visited)))
}

/// site.yaml, with the command line's `--base-url`.
pub(crate) fn site_config(opts: &BuildOptions, diags: &mut Vec<Diagnostic>) -> Result<config::Config, Fatal> {
    let (mut config, d) = config::load(&opts.root).map_err(|e| Fatal(format!("cannot read content/site.yaml: {e}")))?;
    diags.extend(d);
    if let Some(url) = &opts.base_url {
        config.base_url = Some(if url.ends_with('/') {
            url.clone()
        } else {
            format!("{url}/")
        });
    }
    Ok(config)
}

fn read(p: &Path) -> Result<Vec<u8>, Fatal> {
    std::fs::read(p).map_err(|e| Fatal(format!("cannot read {}: {e}", p.display())))
}

type GlossaryRead = (discover::Found, Vec<Entry>, Glossary, Vec<Diagnostic>);

/// content/ walked, its glossary files read and parsed, and the glossary's matcher made.
fn read_glossary(root: &Path, given: Option<&(PathBuf, String)>) -> Result<GlossaryRead, Fatal> {
    let mut diags = Vec::new();
    let mut found = discover::content(root, &mut diags);
    if let Some((path, _)) = given.filter(|(p, _)| !found.glossary.contains(p)) {
        found.glossary.push(path.clone());
    }
    let mut entries = Vec::new();
    for path in &found.glossary {
        let bytes = match given.filter(|(p, _)| p == path) {
            Some((_, text)) => text.as_bytes().to_vec(),
            None => read(path)?,
        };
        match decode(bytes, path) {
            Ok(text) => entries.extend(parse::glossary::parse_glossary(&text, path, &mut diags)),
            Err(d) => diags.push(d),
        }
    }
    let glossary = Glossary::new(&entries);
    Ok((found, entries, glossary, diags))
}

/// What reading, parsing and resolving one document needs.
struct Resolving<'a> {
    root: &'a Path,
    /// Each document's translations, by its place in discovery order.
    translations: &'a [Vec<&'a discover::FoundTranslation>],
    config: &'a config::Config,
    entries: &'a [Entry],
    glossary: &'a Glossary,
    parse: &'a ParseOptions,
    drafts: bool,
    overlay: Option<&'a Overlay>,
}

impl Resolving<'_> {
    /// Each document read, parsed and resolved on its own, in parallel, and its body dropped;
    /// results keep discovery order, and the site-wide checks come after.
    fn documents<T: Send>(
        &self,
        documents: &[(PathBuf, Option<PathBuf>)],
        visit: &Visit<'_, T>,
        diags: &mut Vec<Diagnostic>,
    ) -> Result<(Vec<ResolvedDoc>, Vec<T>), Fatal> {
        type Loaded<T> = Result<(Option<ResolvedDoc>, Option<T>, Vec<Diagnostic>), Fatal>;
        let loaded: Vec<Loaded<T>> = documents
            .par_iter()
            .zip(self.translations)
            .map(|((path, sidecar), translations)| {
                let mut diags = Vec::new();
                let overlay = self.overlay.filter(|o| o.document == *path);
                let sidecar = match overlay {
                    Some(o) => Sidecar::Given(&o.sidecar, &o.text),
                    None => sidecar.as_deref().map_or(Sidecar::None, Sidecar::File),
                };
                let Some(ParsedDocument {
                    doc,
                    body,
                    sidecar_source: parsed_sidecar,
                }) = read_document_with(path, sidecar, self.parse, &mut diags)?
                    .filter(|p| !p.doc.meta.draft || self.drafts || overlay.is_some())
                else {
                    return Ok((None, None, diags));
                };
                let (mut kept, body) = resolve::resolve_doc(
                    doc,
                    body,
                    &parsed_sidecar,
                    self.config,
                    self.entries,
                    self.glossary,
                    &mut diags,
                );
                translations::attach(self.root, &mut kept, &body, translations, self.config, &mut diags)?;
                let visited = visit(&kept, &body, &parsed_sidecar);
                kept.forget_selectors();
                Ok((Some(kept), visited, diags))
            })
            .collect();
        let (mut docs, mut visited) = (Vec::with_capacity(loaded.len()), Vec::new());
        for result in loaded {
            let (doc, v, d) = result?;
            diags.extend(d);
            docs.extend(doc);
            visited.extend(v);
        }
        Ok((docs, visited))
    }

    /// The extra pages of content/, resolved without the glossary; their bodies dropped too.
    fn pages(&self, paths: &[PathBuf], diags: &mut Vec<Diagnostic>) -> Result<Vec<ResolvedDoc>, Fatal> {
        let no_glossary = Glossary::new(&[]);
        let mut pages = Vec::new();
        for path in paths {
            match decode(read(path)?, path) {
                Ok(text) => pages.extend(
                    parse_document(path, text, None, self.parse, diags)
                        .filter(|p| !p.doc.meta.draft || self.drafts)
                        .map(|p| resolve::resolve_doc(p.doc, p.body, "", self.config, &[], &no_glossary, diags).0),
                ),
                Err(d) => diags.push(d),
            }
        }
        Ok(pages)
    }
}

/// Reads and parses one document and its sidecar; `None` (with a diagnostic) when a file is
/// not UTF-8 or the document cannot be built.
pub(crate) fn read_document(
    path: &Path,
    sidecar: Option<&Path>,
    opts: &ParseOptions,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<ParsedDocument>, Fatal> {
    read_document_with(path, sidecar.map_or(Sidecar::None, Sidecar::File), opts, diags)
}

/// Where a document's sidecar comes from.
#[derive(Clone, Copy)]
enum Sidecar<'a> {
    None,
    File(&'a Path),
    /// This text, as if read from the file at this path.
    Given(&'a Path, &'a str),
}

fn read_document_with(
    path: &Path,
    sidecar: Sidecar<'_>,
    opts: &ParseOptions,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<ParsedDocument>, Fatal> {
    let text = match decode(read(path)?, path) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return Ok(None);
        }
    };
    let bytes = match sidecar {
        Sidecar::None => None,
        Sidecar::File(s) => Some((s, read(s)?)),
        Sidecar::Given(s, text) => Some((s, text.as_bytes().to_vec())),
    };
    let side = match bytes {
        Some((s, bytes)) => match decode(bytes, s) {
            Ok(t) => Some((s, t)),
            Err(d) => {
                diags.push(d);
                return Ok(None);
            }
        },
        None => None,
    };
    Ok(parse_document(path, text, side, opts, diags))
}

/// Reads, parses and resolves one document again, as [`load`] does, against `site`'s
/// configuration and glossary, and keeps what `build` keeps of it. `None` (with a diagnostic)
/// when a file is not UTF-8 or the document cannot be built. Drafts are not left out: whether
/// the edit changes the site's set of pages is for the caller (`serve`) to judge.
pub(crate) fn reload_document(
    site: &Site,
    root: &Path,
    path: &Path,
    sidecar: Option<&Path>,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<ResolvedDoc>, Fatal> {
    reload_document_from(site, root, path, sidecar.map_or(Sidecar::None, Sidecar::File), diags)
}

/// [`reload_document`] with the sidecar's text given instead of read: `serve`'s editor checks
/// what it is about to write this way (`LiveSite::check_sidecar`).
pub(crate) fn reload_document_given(
    site: &Site,
    root: &Path,
    path: &Path,
    sidecar: &Path,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<ResolvedDoc>, Fatal> {
    reload_document_from(site, root, path, Sidecar::Given(sidecar, text), diags)
}

fn reload_document_from(
    site: &Site,
    root: &Path,
    path: &Path,
    sidecar: Sidecar<'_>,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<ResolvedDoc>, Fatal> {
    let opts = ParseOptions {
        smart_punctuation: site.config.smart_punctuation,
    };
    let Some(parsed) = read_document_with(path, sidecar, &opts, diags)? else {
        return Ok(None);
    };
    let (entries, glossary) = (&site.entries, &site.glossary);
    let (mut rd, body) = resolve::resolve_doc(
        parsed.doc,
        parsed.body,
        &parsed.sidecar_source,
        &site.config,
        entries,
        glossary,
        diags,
    );
    // What the walk says is about the translations folder, not this document (a file left out,
    // a symlink): the build that last walked it said it, and an edit adds or removes no file.
    let found = discover::translations(root, &mut Vec::new());
    let documents = [(path.to_path_buf(), None)];
    let paired = translations::pair(root, &site.config, &documents, &found, &mut Vec::new());
    translations::attach(root, &mut rd, &body, &paired[0], &site.config, diags)?;
    rd.forget_selectors();
    Ok(Some(rd))
}

/// The reading text of one document, as the site's configuration makes it: `serve`'s editor
/// places a selection made in a page in it. `None` (with a diagnostic) as [`read_document`].
pub(crate) fn reading_of(
    path: &Path,
    sidecar: Option<&Path>,
    config: &config::Config,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<resolve::reading::Reading>, Fatal> {
    let opts = ParseOptions {
        smart_punctuation: config.smart_punctuation,
    };
    let Some(mut parsed) = read_document(path, sidecar, &opts, diags)? else {
        return Ok(None);
    };
    Ok(Some(resolve::prepare(&mut parsed.body, config.raw_html)))
}

/// Makes the body of a kept document again when its page renders: its source read from its
/// file and checked against what it was, its events and reading text made as resolving made
/// them ([`page_body`]).
pub(crate) struct Reload<'c> {
    config: &'c config::Config,
}

impl<'c> Reload<'c> {
    pub(crate) fn new(config: &'c config::Config) -> Reload<'c> {
        Reload { config }
    }
}

impl crate::render::Bodies for Reload<'_> {
    fn body(&self, doc: &ResolvedDoc) -> Result<PageBody, SourceChanged> {
        page_body(doc, self.config)
    }

    fn translation(&self, t: &resolve::translation::Translation) -> Result<PageBody, SourceChanged> {
        translations::translation_body(t, self.config)
    }
}

/// A kept document's body, made again from its file exactly as resolving made it. Fails if
/// the file no longer holds the text it was resolved from.
pub(crate) fn page_body(d: &ResolvedDoc, config: &config::Config) -> Result<PageBody, SourceChanged> {
    let changed = |reason: String| SourceChanged {
        path: d.doc.path.clone(),
        reason,
    };
    let bytes = std::fs::read(&d.doc.path).map_err(|e| changed(format!("cannot read it again: {e}")))?;
    let source = decode(bytes, &d.doc.path).map_err(|_| changed("it is no longer UTF-8".into()))?;
    if SourceCheck::of(&source) != d.source_check {
        return Err(changed("it changed while the site was being built".into()));
    }
    let opts = ParseOptions {
        smart_punctuation: config.smart_punctuation,
    };
    let mut body = d.doc.body(source, &opts);
    let reading = resolve::prepare(&mut body, config.raw_html);
    Ok(PageBody { body, reading })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A kept document's body is read again to render, made as resolving made it, and a file
    /// that no longer holds the text it was resolved from is refused.
    #[test]
    fn a_kept_documents_body_is_read_again_and_a_change_is_noticed() {
        let dir = tempfile::tempdir().unwrap();
        let seeds = dir.path().join("seeds");
        std::fs::create_dir_all(&seeds).unwrap();
        let text = "# Titel\n\nDer Hund bellt.\n";
        std::fs::write(seeds.join("a.md"), text).unwrap();
        std::fs::write(seeds.join("a.yaml"), "annotations:\n  - quote: Hund\n    gloss: dog\n").unwrap();
        let opts = crate::BuildOptions {
            root: dir.path().to_path_buf(),
            ..Default::default()
        };
        let mut diags = Vec::new();
        let texts = |p: &PageBody| p.reading.blocks.iter().map(|b| b.text.clone()).collect::<Vec<_>>();
        let (site, mut visited) = load_visiting(&opts, &mut diags, &|_, body, _| Some(texts(body)))
            .unwrap()
            .unwrap();
        let doc = &site.docs[0];
        let again = page_body(doc, &site.config).unwrap();
        assert_eq!(again.body.source, text);
        assert_eq!(
            texts(&again),
            visited.remove(0),
            "the reading text is made again as it was"
        );
        std::fs::write(seeds.join("a.md"), "# Titel\n\nDer Hund schläft.\n").unwrap();
        let err = page_body(doc, &site.config).err().expect("an edited file is noticed");
        assert!(err.reason.contains("changed"), "{err:?}");
        std::fs::remove_file(seeds.join("a.md")).unwrap();
        let err = page_body(doc, &site.config).err().expect("a removed file is noticed");
        assert!(err.reason.contains("cannot read"), "{err:?}");
    }
}
