//! An edit to some documents, applied to a resolved site kept from an earlier run: the edited
//! documents are loaded and resolved again, the site relinked, and the pages that can show what
//! they hold are named. `serve` applies each edit to the site it keeps in memory
//! (`serve::LiveSite::update`), and `build` to the site its cache kept from the last build
//! (docs/incremental.md): both then render only those pages, and the files made of every
//! document. What a page shows is decided by rendering it: this module names the pages an edit
//! *can* change, and the caller writes those whose bytes did.

use crate::Fatal;
use crate::diagnostics::{self, Diagnostic};
use crate::hash::FastSet;
use crate::layout::{self, page_path};
use crate::resolve::{ResolvedDoc, Site};
use crate::theme::Strings;
use std::path::{Path, PathBuf};

/// What an edit did to the site.
pub(crate) struct Applied {
    /// The documents edited, by their place in the site (after it was relinked).
    pub(crate) documents: usize,
    /// What the edited documents and the relinking said, sorted. With errors, the site must be
    /// built again in full before it is used again.
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// The output files (relative to the output folder) that can differ after the edit, besides
    /// the files made of every document (the search index, annotations.jsonld, the book).
    pub(crate) pages: FastSet<String>,
    /// The files of the edited documents, before the edit and after: each document, its
    /// sidecar and its translations (what is said about them is said again).
    pub(crate) files: Vec<PathBuf>,
}

/// Applies to `site` the edit of the files `changed`, if they are all documents, sidecars or
/// translations of the site and the edit leaves its set of pages as it was (no slug or draft
/// changed, no sidecar added or removed, no translation added or lost, the feed kept or none).
/// `None` asks for a full build; `site` is then unchanged.
pub(crate) fn apply(
    site: &mut Site,
    strings: &Strings,
    root: &Path,
    drafts: bool,
    changed: &[PathBuf],
) -> Result<Option<Applied>, Fatal> {
    let Some(edited) = edited_documents(site, changed) else {
        return Ok(None);
    };
    let mut diags = Vec::new();
    let Some(fresh) = reload(site, root, &edited, drafts, &mut diags)? else {
        return Ok(None);
    };
    let before = SiteWide::of(site, strings, &edited);
    let had_feed = crate::render::has_feed(site);
    let slugs: Vec<String> = edited.iter().map(|&i| site.docs[i].doc.slug.clone()).collect();
    // The entries whose pages show an edited document: those it has occurrences of, before
    // the edit and after.
    let mut entries: FastSet<usize> = (edited.iter())
        .flat_map(|&i| &site.docs[i].occurrences)
        .map(|o| o.entry)
        .collect();
    let mut files = Vec::new();
    for (i, rd) in fresh {
        entries.extend(rd.occurrences.iter().map(|o| o.entry));
        files.extend([&site.docs[i], &rd].into_iter().flat_map(files_of));
        site.docs[i] = rd;
    }
    files.sort();
    files.dedup();
    let relinked = site.relink_edited(&slugs, &mut diags);
    diagnostics::sort(&mut diags);
    let mut applied = Applied {
        documents: edited.len(),
        diagnostics: diags,
        pages: FastSet::default(),
        files,
    };
    if applied.diagnostics.iter().any(Diagnostic::is_error) {
        return Ok(Some(applied));
    }
    // Every page links the feed, or none does: a site that gains or loses its feed (its first
    // dated document, or its last) is built again whole.
    if crate::render::has_feed(site) != had_feed {
        return Ok(None);
    }
    // The pages that can show what an edited document holds: its own, the pages it links to
    // or linked to (their lists of who links to them), its entries' pages, and the site-wide
    // pages when what they are made from changed (the home page, the sitemap and the feed list
    // every document; the glossary's index counts every occurrence).
    let edited_now: Vec<usize> = (0..site.docs.len())
        .filter(|&i| slugs.contains(&site.docs[i].doc.slug))
        .collect();
    let after = SiteWide::of(site, strings, &edited_now);
    let pages = &mut applied.pages;
    pages.extend(slugs.iter().map(|s| layout::doc_page(s)));
    pages.extend(relinked.into_keys().map(|target| page_path(&target)));
    pages.extend(entries.iter().map(|&e| layout::entry_page(&site.entries[e].id)));
    if before.home != after.home {
        pages.extend([layout::HOME, layout::FEED].map(str::to_owned));
        pages.extend(crate::render::sitemap_paths(site));
    }
    if before.counts != after.counts {
        pages.insert(layout::GLOSSARY.to_owned());
    }
    Ok(Some(applied))
}

/// A document's files: its own, its sidecar's and its translations'.
fn files_of(rd: &ResolvedDoc) -> impl Iterator<Item = PathBuf> + '_ {
    let doc = &rd.doc;
    (std::iter::once(doc.path.clone()))
        .chain(doc.sidecar_path.clone())
        .chain(rd.translations.iter().map(|t| t.path.clone()))
}

/// The places in the site of the documents `changed` are (or are the sidecars or the
/// translations of); `None` when one is none of these, or is gone.
fn edited_documents(site: &Site, changed: &[PathBuf]) -> Option<Vec<usize>> {
    let mut edited: Vec<usize> = Vec::new();
    for path in changed {
        let i = site.docs.iter().position(|d| {
            d.doc.path == *path
                || d.doc.sidecar_path.as_deref() == Some(path.as_path())
                || d.translations.iter().any(|t| t.path == *path)
        })?;
        if !path.is_file() {
            return None;
        }
        if !edited.contains(&i) {
            edited.push(i);
        }
    }
    Some(edited)
}

/// The documents `edited` loaded and resolved again, each with its place; `None` when the edit
/// changes the site's set of pages or files (a sidecar added or removed, a new slug, a
/// document that became a draft, a translation added or lost) or a document cannot be built,
/// for a full build to say.
fn reload(
    site: &Site,
    root: &Path,
    edited: &[usize],
    drafts: bool,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<Vec<(usize, ResolvedDoc)>>, Fatal> {
    let mut fresh = Vec::new();
    for &i in edited {
        let old = &site.docs[i].doc;
        let sidecar = old.path.with_extension("yaml");
        let sidecar = sidecar.is_file().then_some(sidecar);
        if sidecar != old.sidecar_path {
            return Ok(None);
        }
        let Some(rd) = crate::load::reload_document(site, root, &old.path, sidecar.as_deref(), diags)? else {
            return Ok(None);
        };
        let langs = |d: &ResolvedDoc| d.translations.iter().map(|t| t.lang.clone()).collect::<Vec<_>>();
        // A translation that no longer matches is an error the full build shows.
        if rd.doc.slug != old.slug || (rd.doc.meta.draft && !drafts) || langs(&rd) != langs(&site.docs[i]) {
            return Ok(None);
        }
        fresh.push((i, rd));
    }
    Ok(Some(fresh))
}

/// What the site-wide pages are made from, of the edited documents: their places in home-page
/// order with the line the home page shows for each (the view the template receives) and
/// whether each is a draft (a draft is in a build with `--drafts`, but never in the feed), and
/// the site's occurrence counts by entry. Compared before and after an edit, it says whether those
/// pages must be made again: rendering the home page of a 10,000-document site takes longer
/// than all the rest of an edit.
struct SiteWide {
    home: Vec<(usize, crate::render::views::DocSummary, bool)>,
    counts: Vec<usize>,
}

impl SiteWide {
    fn of(site: &Site, strings: &Strings, docs: &[usize]) -> SiteWide {
        let mut docs = docs.to_vec();
        docs.sort_unstable();
        SiteWide {
            home: docs
                .iter()
                .map(|&i| {
                    let rd = &site.docs[i];
                    (i, crate::render::doc_summary(site, strings, rd), rd.doc.meta.draft)
                })
                .collect(),
            counts: crate::render::occurrence_counts(site),
        }
    }
}
