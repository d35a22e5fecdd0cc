//! A build after an edit to documents only (docs/incremental.md): when the build cache shows
//! that just documents, sidecars or translations changed since the last build, and the output
//! stands as that build left it, the site that build resolved (kept in the cache) is taken
//! again, only the edited documents are loaded and resolved against it, and only the pages
//! they can change and the files made of every document (the search index,
//! `annotations.jsonld`, the book) are rendered, into `write::Changes`, which writes those
//! whose bytes differ. What the edit changes is decided as `serve` decides it (`crate::edit`).
//!
//! Anything else (site.yaml, the glossary, a template, a static file, a file added or removed, a
//! slug changed, an edit that makes an error) is left to the full build, which says `None` here
//! leads to: the result is always what a build from nothing makes.

use crate::cache::{self, Comparison};
use crate::diagnostics::{self, Code, Diagnostic};
use crate::layout::FileSet;
use crate::load::{Reload, StaticDir};
use crate::render::kept::{Carry, Keep};
use crate::{BuildOptions, Fatal, Opened, Outcome, Summary};
use std::path::PathBuf;
use std::time::Instant;

/// Up to this many files edited, the edited documents are few: resolving them with the
/// glossary's NFA costs less than building its DFA (about 7 ms at 2,000 entries, the time the
/// NFA takes over some 150 documents more than the DFA).
const FEW: usize = 100;

/// The build of an edit to documents, if the cache `opened` allows one: its outcome, with the
/// output and the cache written. `None` when a full build must run (nothing is written then).
pub(crate) fn build(
    opts: &BuildOptions,
    stamped: &cache::Stamped,
    opened: &Opened,
    start: Instant,
) -> Result<Option<Outcome>, Fatal> {
    let (Some(last), Some((mut site, theme, changed))) = (&opened.cache.previous, kept_site(opts, opened)?) else {
        return Ok(None);
    };
    let applied = crate::edit::apply(&mut site, &theme.strings, &opts.root, opts.drafts, &changed)?;
    let Some(applied) = applied.filter(|a| !a.diagnostics.iter().any(Diagnostic::is_error)) else {
        return Ok(None);
    };
    let out = opened.out.clone();
    let mut outcome = Outcome {
        diagnostics: merged(&last.diagnostics, &applied.files, applied.diagnostics),
        summary: None,
    };
    let _lock = crate::write::claim(&out, &mut outcome.diagnostics).map_err(Fatal)?;
    let keep = Keep::default();
    let (stats, done) = match write_edit(opts, (&site, &theme), opened, applied.pages, &keep)? {
        Ok(written) => written,
        Err(e) => return crate::render_failure(opts, &theme, e, outcome).map(Some),
    };
    let summary = Summary {
        documents: site.docs.len(),
        notes: stats.notes,
        entries: site.entries.len(),
        occurrences: stats.occurrences,
        pages: last.summary.pages,
        seconds: 0.0,
        out: out.clone(),
        changed: Some(done.written.len() + done.removed.len()),
        edited: Some(applied.documents),
    };
    let manifest = stamped
        .clone()
        .manifest(last.key.clone(), &outcome.diagnostics, &summary);
    let changed = [done.written, done.removed].concat();
    crate::save_cache(
        &opened.cache,
        manifest,
        (&site, keep),
        (&out, Some(&changed)),
        &mut outcome,
    );
    outcome.summary = Some(Summary {
        seconds: start.elapsed().as_secs_f64(),
        ..summary
    });
    std::thread::spawn(move || drop((site, theme)));
    Ok(Some(outcome))
}

/// The site the last build kept, with the theme and the edited files (absolute), when the
/// cache shows an edit to documents only and holds the site whole; `None` otherwise.
fn kept_site(
    opts: &BuildOptions,
    opened: &Opened,
) -> Result<Option<(crate::resolve::Site, crate::theme::Theme, Vec<PathBuf>)>, Fatal> {
    let Comparison::Modified(modified) = &opened.comparison else {
        return Ok(None);
    };
    if !modified.iter().all(|p| of_documents(p)) {
        return Ok(None);
    }
    let Some(bytes) = opened.cache.site() else {
        return Ok(None);
    };
    // What site.yaml and the theme say, unchanged since, the last build said.
    let mut config = crate::load::site_config(opts, &mut Vec::new())?;
    // content/static/ as it was too (a file added or removed there is no edit of documents):
    // the edited documents' `static:` links are checked against it.
    let statics = crate::discover::static_files(&opts.root, &mut Vec::new());
    config.statics = std::sync::Arc::new(crate::layout::StaticSet::new(statics.into_iter().map(|(p, _)| p)));
    let Some(theme) = crate::theme::load(&opts.root, &config.theme, &config.lang, &mut Vec::new()) else {
        return Ok(None);
    };
    // An edit of a few documents resolves them with an automaton quick to build; many, with
    // the one quick to run.
    let scan = match modified.len() <= FEW {
        true => crate::resolve::glossary::Scan::Few,
        false => crate::resolve::glossary::Scan::Site,
    };
    let Some(site) = crate::resolve::snapshot::load(bytes, config, scan) else {
        return Ok(None);
    };
    let changed = modified.iter().map(|p| opts.root.join(p)).collect();
    Ok(Some((site, theme, changed)))
}

/// Renders the pages of an edit (`pages`) and the files made of every document, from what the
/// outputs kept of the last build (they keep this one's into `keep`), into the output, and
/// commits those that changed. The cache is forgotten first: the output changes under it.
fn write_edit(
    opts: &BuildOptions,
    (site, theme): (&crate::resolve::Site, &crate::theme::Theme),
    opened: &Opened,
    pages: crate::hash::FastSet<String>,
    keep: &Keep,
) -> Result<Result<(crate::render::Stats, crate::write::Committed), crate::render::RenderError>, Fatal> {
    let out = &opened.out;
    let mut wanted = FileSet::of_every_document(site.config.epub.file.as_deref());
    wanted.files.extend(pages);
    let changes = crate::write::Changes::only(out, wanted).map_err(Fatal::staging(out))?;
    let bodies = Reload::new(&site.config);
    let statics = StaticDir::new(&opts.root);
    // The outputs made of every document take the others' share from what they kept.
    let kept = opened.cache.kept();
    let carry = Carry {
        last: Some(&kept),
        keep: Some(keep),
    };
    let stats = match crate::render::render_site_and_book(site, &bodies, theme, &statics, &changes, carry) {
        Ok(stats) => stats,
        Err(e) => return Ok(Err(e)),
    };
    cache::Cache::forget(out).map_err(Fatal::forgetting(out))?;
    let done = changes.commit().map_err(Fatal::committing(out))?;
    Ok(Ok((stats, done)))
}

/// Whether an input (relative to the site) is a document, a sidecar or a translation: the
/// files an edit of documents may touch.
fn of_documents(rel: &str) -> bool {
    rel.starts_with("seeds/") || rel.starts_with("content/translations/")
}

/// What a build from nothing would say after the edit: the last build's diagnostics, but for
/// those about the edited documents' files and those the relinking says again (entries that
/// occur nowhere), with what the edit said, in the order `diagnostics::sort` gives.
fn merged(last: &[Diagnostic], files: &[PathBuf], fresh: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let about_edit = |d: &Diagnostic| d.code == Code::UnusedEntry || files.contains(&d.path);
    let mut all: Vec<Diagnostic> = last.iter().filter(|d| !about_edit(d)).cloned().collect();
    all.extend(fresh);
    diagnostics::sort(&mut all);
    all
}
