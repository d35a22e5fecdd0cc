//! `glossa import FILE`: annotations made elsewhere (W3C Web Annotations, as glossa's own
//! `annotations.jsonld` and Recogito write them; a Hypothesis search result) written into the
//! sidecars of the documents they target, through `glossa add`'s code (docs/import.md).
//!
//! `read` turns the JSON into annotations, `place` finds each one's document and passage;
//! here each document's annotations are appended to its sidecar together
//! ([`crate::add::plan_items`]), the site is checked with the new text once per sidecar
//! ([`crate::add::check`]), and the text is written ([`crate::add::commit`]) unless the run
//! is dry. An annotation the sidecar already has (the same passage, saying the same) is
//! skipped with a note, so that importing a file again writes nothing. An annotation that
//! cannot be placed is an error and none of it is written; a sidecar whose new text does not
//! check is not written either; the others are.

mod pages;
mod place;
mod read;

use crate::add::{Refusal, Request};
use crate::diagnostics::{Code, Diagnostic, Pos, Severity};
use crate::resolve::anchor::Anchor;
use crate::resolve::fold::Folded;
use crate::resolve::{ResolvedDoc, Site};
use crate::{BuildOptions, Fatal};
use place::{Addresses, Orphan, Target};
use read::Foreign;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// What to import, from where, into which site.
#[derive(Clone, Debug, Default)]
pub struct ImportOptions {
    pub root: PathBuf,
    /// The import file.
    pub file: PathBuf,
    /// Every annotation goes to this document, whatever page it targets.
    pub doc: Option<PathBuf>,
    /// Check and show what would be written, and write nothing.
    pub dry_run: bool,
}

/// What one sidecar received, or would have.
#[derive(Debug)]
pub struct SidecarImport {
    pub sidecar: PathBuf,
    /// The sidecar did not exist.
    pub created: bool,
    /// The new items' text, as written (or as it would be).
    pub items: String,
    pub count: usize,
    /// The lines of the sidecar's new text the items stand at (1-based, end excluded).
    pub lines: Range<usize>,
    /// Written (`false`: a dry run, or refused by the check).
    pub written: bool,
    /// The check refused the new text: its diagnostics are in [`Imported::diagnostics`].
    pub refused: bool,
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Imported {
    pub diagnostics: Vec<Diagnostic>,
    pub sidecars: Vec<SidecarImport>,
    /// Annotations of the file that were not placed (orphaned, ambiguous, no document).
    pub not_placed: usize,
    /// Annotations skipped because their sidecar already has them (or an earlier one of the
    /// file is the same): notes, not errors.
    pub already: usize,
}

impl Imported {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Why an import could not run at all.
#[derive(Debug)]
pub enum ImportError {
    /// `--doc` names no document, or the file cannot be read: exit 2.
    Usage(String),
    Fatal(Fatal),
}

impl From<Fatal> for ImportError {
    fn from(f: Fatal) -> ImportError {
        ImportError::Fatal(f)
    }
}

/// Reads the file, places its annotations and writes them (see the module's documentation).
pub fn import(opts: &ImportOptions) -> Result<Imported, ImportError> {
    let mut out = Imported::default();
    let bytes = std::fs::read(&opts.file)
        .map_err(|e| ImportError::Usage(format!("cannot read {}: {e}", opts.file.display())))?;
    let json: serde_json::Value = match serde_json::from_slice(&bytes) {
        Ok(json) => json,
        Err(e) => {
            out.diagnostics.push(not_json(&opts.file, &bytes, &e));
            return Ok(out);
        }
    };
    let json = match pages::with_pages(&opts.file, json) {
        Ok(json) => json,
        Err(missing) => {
            out.diagnostics.push(missing);
            return Ok(out);
        }
    };
    let read = read::annotations(&json);
    for why in read.left_out {
        out.diagnostics
            .push(Diagnostic::warning(Code::ImportLeftOut, &opts.file, why));
    }
    let build = BuildOptions {
        root: opts.root.clone(),
        ..BuildOptions::default()
    };
    let mut load_diags = Vec::new();
    let Some(site) = crate::load(&build, &mut load_diags)? else {
        out.diagnostics
            .extend(load_diags.into_iter().filter(Diagnostic::is_error));
        return Ok(out);
    };
    let addresses = Addresses {
        base: site.config.base_url.as_deref().unwrap_or_default(),
        docs: site.docs.iter().map(|d| d.doc.slug.as_str()).collect(),
        pages: site.pages.iter().map(|d| d.doc.slug.as_str()).collect(),
        entries: site.entries.iter().map(|e| e.id.as_str()).collect(),
    };
    let forced = opts
        .doc
        .as_deref()
        .map(|d| document_index(&site, &opts.root, d))
        .transpose()?;
    let mut by_doc: Vec<(usize, Vec<Foreign>)> = Vec::new();
    for f in read.annotations {
        let doc = forced.or_else(|| match f.source.as_deref().and_then(|s| addresses.page(s, true)) {
            Some(Target::Doc(i, _)) => Some(i),
            _ => None,
        });
        let Some(doc) = doc else {
            out.not_placed += 1;
            out.diagnostics.push(no_document(&opts.file, &f, &addresses));
            continue;
        };
        match by_doc.iter_mut().find(|(d, _)| *d == doc) {
            Some((_, list)) => list.push(f),
            None => by_doc.push((doc, vec![f])),
        }
    }
    for (doc, annotations) in by_doc {
        import_into(opts, &build, &site, &addresses, doc, &annotations, &mut out)?;
    }
    Ok(out)
}

/// A JSON syntax error at its line and column.
fn not_json(file: &Path, bytes: &[u8], e: &serde_json::Error) -> Diagnostic {
    let text = String::from_utf8_lossy(bytes);
    let d = Diagnostic::error(Code::ImportNotJson, file, format!("this file is not JSON: {e}")).hint(
        "glossa imports W3C Web Annotations (JSON-LD) and the JSON of a Hypothesis search; docs/import.md shows both",
    );
    if e.line() == 0 {
        return d;
    }
    d.at(
        &text,
        Pos {
            line: e.line(),
            col: e.column().max(1),
            width: 1,
        },
    )
}

fn no_document(file: &Path, f: &Foreign, addresses: &Addresses) -> Diagnostic {
    let message = match &f.source {
        Some(s) => format!("{}: it targets {s}, which is no document of this site", f.label),
        None => format!("{}: it names no page it annotates", f.label),
    };
    let base = if addresses.base.is_empty() {
        "set `base_url` in content/site.yaml to the address it was annotated at, or "
    } else {
        ""
    };
    Diagnostic::error(Code::ImportNoDocument, file, message).hint(format!(
        "{base}give the document with --doc (nothing of it was written)"
    ))
}

/// The document `--doc` names.
fn document_index(site: &Site, root: &Path, doc: &Path) -> Result<usize, ImportError> {
    let wanted = [root.join(doc), doc.to_path_buf()]
        .into_iter()
        .find_map(|p| std::fs::canonicalize(p).ok());
    let same = |d: &ResolvedDoc| wanted.is_some() && std::fs::canonicalize(&d.doc.path).ok() == wanted;
    site.docs.iter().position(same).ok_or_else(|| {
        ImportError::Usage(format!(
            "{} is not a document of the site in {}: documents are the .txt and .md files under seeds/",
            doc.display(),
            root.display()
        ))
    })
}

/// Places one document's annotations and writes those that are placed to its sidecar.
fn import_into(
    opts: &ImportOptions,
    build: &BuildOptions,
    site: &Site,
    addresses: &Addresses,
    doc: usize,
    annotations: &[Foreign],
    out: &mut Imported,
) -> Result<(), ImportError> {
    let d = &site.docs[doc].doc;
    let sidecar = d.path.with_extension("yaml");
    let mut diags = Vec::new();
    let reading = crate::load::reading_of(
        &d.path,
        sidecar.is_file().then_some(sidecar.as_path()),
        &site.config,
        &mut diags,
    )?;
    let Some(reading) = reading else {
        out.not_placed += annotations.len();
        out.diagnostics.extend(diags);
        return Ok(());
    };
    let source = std::fs::read(&d.path)
        .ok()
        .and_then(|b| crate::parse::document::decode(b, &d.path).ok())
        .unwrap_or_default();
    let folded: Vec<Folded> = reading.blocks.iter().map(|b| Folded::new(&b.text)).collect();
    let shown = d.path.strip_prefix(&opts.root).unwrap_or(&d.path).display().to_string();
    let sidecar_shown = sidecar
        .strip_prefix(&opts.root)
        .unwrap_or(&sidecar)
        .display()
        .to_string();
    let mut requests = Vec::new();
    let mut placed: Vec<(Anchor, &str)> = Vec::new();
    for f in annotations {
        match place::place(&reading, &folded, f) {
            Ok((picked, passage)) => {
                let new = request(addresses, doc, &d.path, f, picked);
                let existing = (&site.docs[doc], sidecar_shown.as_str());
                match already_there(existing, &passage, &new, &requests, &placed) {
                    Some(why) => {
                        out.already += 1;
                        let message = format!("{}: {why}", f.label);
                        out.diagnostics.push(
                            Diagnostic::error(Code::ImportAlreadyThere, &opts.file, message).severity(Severity::Note),
                        );
                    }
                    None => {
                        requests.push(new);
                        placed.push((passage, &f.label));
                    }
                }
            }
            Err(why) => {
                out.not_placed += 1;
                out.diagnostics
                    .push(orphaned(&opts.file, &shown, f, why, &reading, &source));
            }
        }
    }
    if requests.is_empty() {
        return Ok(());
    }
    write(opts, build, &d.path, &requests, out)
}

/// Why the annotation `new`, placed at `passage`, is not written: an item of the document's
/// sidecar, or one of this import placed before it (`earlier`, at `placed`), already stands
/// at the same passage and says the same (note, gloss, term and see); the selectors as
/// written may differ, the passage they pick is what counts (docs/import.md). An item at the
/// same passage that says something else is a second annotation there, and is imported.
/// `existing` is the document as the site loaded it, and its sidecar's path as shown.
fn already_there(
    (existing, sidecar): (&ResolvedDoc, &str),
    passage: &Anchor,
    new: &Request,
    earlier: &[Request],
    placed: &[(Anchor, &str)],
) -> Option<String> {
    let says = says_of(new);
    let items = existing.doc.annotations.iter().zip(&existing.anchors);
    if let Some((a, _)) = items
        .filter(|(_, at)| at.as_ref() == Some(passage))
        .find(|(a, _)| [&a.note, &a.gloss, &a.term, &a.see].map(|v| v.as_deref()) == says)
    {
        return Some(format!(
            "already in {sidecar} as item `{}` (the same passage, and the same note, gloss, term and see); not imported again",
            a.id
        ));
    }
    let (_, (_, label)) = earlier
        .iter()
        .zip(placed)
        .find(|(r, (at, _))| at == passage && says_of(r) == says)?;
    Some(format!(
        "the same as {label} of this file (the same passage, and the same note, gloss, term and see); imported once"
    ))
}

/// What a request says: its note, gloss, term and see.
fn says_of(r: &Request) -> [Option<&str>; 4] {
    [&r.note, &r.gloss, &r.term, &r.see].map(|v| v.as_deref())
}

/// The `glossa add` request of a placed annotation.
fn request(
    addresses: &Addresses,
    doc: usize,
    path: &Path,
    f: &Foreign,
    picked: crate::resolve::picker::Picked,
) -> Request {
    Request {
        document: path.to_path_buf(),
        quote: picked.quote,
        prefix: picked.prefix,
        suffix: picked.suffix,
        occurrence: picked.occurrence,
        note: f.note.clone(),
        gloss: f.gloss.clone(),
        // A link to no entry of this site cannot be a `term`: it is kept as a `see` link.
        term: f.term_link.as_deref().and_then(|l| addresses.term(l)),
        see: f
            .see_link
            .as_deref()
            .or(f.term_link.as_deref().filter(|l| addresses.term(l).is_none()))
            .map(|l| addresses.see(l, doc)),
        id: f.id.as_deref().and_then(|id| addresses.id(id, doc)),
    }
}

/// The error for an annotation whose quote is not placed, with the closest passage as
/// `check` gives it.
fn orphaned(
    file: &Path,
    doc: &str,
    f: &Foreign,
    why: Orphan,
    reading: &crate::resolve::reading::Reading,
    source: &str,
) -> Diagnostic {
    let quote = crate::diagnostics::visible(f.exact.trim()).into_owned();
    match why {
        Orphan::NotFound => {
            let d = Diagnostic::error(
                Code::ImportOrphaned,
                file,
                format!("{}: orphaned, its quote is not in {doc}: \"{quote}\"", f.label),
            );
            match crate::resolve::anchor::not_found_hint_for(reading, source, &f.exact) {
                Some(h) => d.hint(format!("{h}\n(nothing of this annotation was written)")),
                None => d.hint("nothing of this annotation was written"),
            }
        }
        Orphan::Ambiguous(n) => Diagnostic::error(
            Code::ImportAmbiguous,
            file,
            format!(
                "{}: orphaned, its quote matches {n} times in {doc} and neither its prefix and suffix nor its position tell which: \"{quote}\"",
                f.label
            ),
        )
        .hint("nothing of it was written; add it with `glossa add` and a --prefix, --suffix or --occurrence"),
    }
}

/// Appends the requests to the document's sidecar, checks the site with it, and writes it
/// unless the run is dry.
fn write(
    opts: &ImportOptions,
    build: &BuildOptions,
    document: &Path,
    requests: &[Request],
    out: &mut Imported,
) -> Result<(), ImportError> {
    let plan = match crate::add::plan_items(&opts.root, document, requests) {
        Ok(plan) => plan,
        Err(refusal) => return refused(refusal, requests.len(), out),
    };
    let mut done = SidecarImport {
        sidecar: plan.sidecar.clone(),
        created: plan.creates(),
        // From the start of the first item's line, so that its indentation shows.
        items: plan.text[plan.text[..plan.item.start].rfind('\n').map_or(0, |i| i + 1)..plan.item.end].to_owned(),
        count: requests.len(),
        lines: plan.lines.clone(),
        written: false,
        refused: false,
    };
    let checked = crate::add::check(build, &plan).and_then(|warnings| {
        out.diagnostics.extend(warnings);
        if opts.dry_run {
            Ok(())
        } else {
            crate::add::commit(&plan)
        }
    });
    match checked {
        Ok(()) => done.written = !opts.dry_run,
        Err(Refusal::Check { diagnostics, .. }) => {
            done.refused = true;
            out.diagnostics.extend(diagnostics);
        }
        Err(refusal) => return refused(refusal, requests.len(), out),
    }
    out.sidecars.push(done);
    Ok(())
}

/// A sidecar the items could not be added to: why, as a diagnostic.
fn refused(refusal: Refusal, count: usize, out: &mut Imported) -> Result<(), ImportError> {
    out.not_placed += count;
    match refusal {
        Refusal::Usage(message) => Err(ImportError::Usage(message)),
        Refusal::Diagnostics(diagnostics) | Refusal::Check { diagnostics, .. } => {
            out.diagnostics.extend(diagnostics);
            Ok(())
        }
        Refusal::Fatal(f) => Err(f.into()),
    }
}
