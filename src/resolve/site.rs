//! The site-wide part of resolving: the documents' order, the glossary's and the slugs' own
//! checks, entries that occur nowhere, the index of every page's ids, every link checked
//! against it, and the backlinks (also again after an edit, for `serve`).

use super::link_check::{LinkAt, LinkRef, check_link, markdown_links};
use super::links::SiteIndex;
use super::{Relinked, ResolvedDoc, Site};
use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::hash::FastMap;
use crate::layout::PageRef;
use crate::parse::Entry;
use crate::yaml::ErrorFiles;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

impl Site {
    /// The site-wide part of resolving, given resolved documents and pages: their order, slugs,
    /// documents without a sidecar, entries that occur nowhere, and every cross-link checked
    /// against the index of ids, with the backlinks. `serve` runs it again after it replaced
    /// an edited document.
    pub fn relink(&mut self, root: &Path, diags: &mut Vec<Diagnostic>) {
        // Every document may have changed: no part of a snapshot is taken as it was read.
        self.origin = None;
        sort_docs(&mut self.docs);
        self.pages.sort_by(|a, b| {
            a.doc
                .meta
                .weight
                .cmp(&b.doc.meta.weight)
                .then_with(|| a.doc.title.cmp(&b.doc.title))
        });
        let (resolved, pages, entries) = (&self.docs, &self.pages, &self.entries);
        check_slugs(root, resolved, pages, diags);
        warn_missing_sidecars(resolved, resolved, diags);
        warn_unused_entries(entries, resolved, diags);
        let statics = &self.config.statics;
        (self.index, self.backlinks) = link_site(resolved, pages, entries, statics, diags);
    }

    /// The index of a site put together again from parts resolved and checked before (the
    /// build cache's kept site, `snapshot`), with the `backlinks` [`Site::relink`] made of it
    /// then: no link is checked again (that build gave the checks' messages), and an edit
    /// checks only its documents' links and the links into them ([`Site::relink_edited`]).
    pub(crate) fn relink_kept(&mut self, backlinks: BTreeMap<PageRef, BTreeSet<PageRef>>) {
        self.index = site_index(&self.docs, &self.pages, &self.entries, &self.config.statics);
        self.backlinks = backlinks;
    }

    /// [`Site::relink`] after the documents `slugs` were resolved again (`serve`), where the
    /// edit kept every slug and sidecar as it was: only their links, and the links that point
    /// at them, are checked again. Returns, for each page whose backlinks may have changed, the
    /// edited documents that linked to it before and those that link to it now.
    pub fn relink_edited(&mut self, slugs: &[String], diags: &mut Vec<Diagnostic>) -> BTreeMap<PageRef, Relinked> {
        if let Some(origin) = &mut self.origin {
            origin.edited(slugs);
        }
        sort_docs(&mut self.docs);
        warn_unused_entries(&self.entries, &self.docs, diags);
        let edited_docs = self.docs.iter().filter(|d| slugs.contains(&d.doc.slug));
        warn_missing_sidecars(&self.docs, edited_docs, diags);
        let edited: Vec<PageRef> = slugs.iter().map(|s| PageRef::Doc(s.clone())).collect();
        let mut changes: BTreeMap<PageRef, Relinked> = BTreeMap::new();
        for (target, sources) in &mut self.backlinks {
            for e in &edited {
                if sources.remove(e) {
                    changes.entry(target.clone()).or_default().before.insert(e.clone());
                }
            }
        }
        self.backlinks.retain(|_, sources| !sources.is_empty());
        let edited_docs: Vec<&ResolvedDoc> = self.docs.iter().filter(|d| slugs.contains(&d.doc.slug)).collect();
        let mut files = ErrorFiles::default();
        for d in &edited_docs {
            self.index
                .docs
                .insert(d.doc.slug.clone(), (d.doc.title.clone(), d.ids.clone()));
        }
        for d in &edited_docs {
            let from = PageRef::Doc(d.doc.slug.clone());
            for link in d.links.iter() {
                if let Some(to) = check_link(&self.index, link, Some(&d.ids), &mut files, diags)
                    && to != from
                {
                    self.backlinks.entry(to.clone()).or_default().insert(from.clone());
                    changes.entry(to).or_default().after.insert(from.clone());
                }
            }
        }
        // Links into the edited documents may name ids they no longer have.
        let sources: BTreeSet<&PageRef> = edited.iter().filter_map(|e| self.backlinks.get(e)).flatten().collect();
        for from in sources {
            match from {
                PageRef::Doc(slug) | PageRef::Page(slug) => {
                    let list = if matches!(from, PageRef::Doc(_)) {
                        &self.docs
                    } else {
                        &self.pages
                    };
                    for d in list.iter().filter(|d| d.doc.slug == *slug && !slugs.contains(slug)) {
                        for link in d.links.iter() {
                            check_link(&self.index, link, Some(&d.ids), &mut files, diags);
                        }
                    }
                }
                PageRef::Term(id) => {
                    for e in self.entries.iter().filter(|e| e.id == *id) {
                        for (dest, offset) in markdown_links(&e.definition) {
                            let link = LinkRef {
                                dest,
                                file: Arc::from(e.path.as_path()),
                                at: LinkAt::Yaml(e.key_path("definition"), offset),
                            };
                            check_link(&self.index, &link, None, &mut files, diags);
                        }
                    }
                }
            }
        }
        changes
    }

    /// Drops the documents' links once they are checked (a build needs them no more).
    pub fn forget_links(&mut self) {
        use rayon::prelude::*;
        self.origin = None;
        self.docs
            .par_iter_mut()
            .for_each(|d| d.links = crate::stored::Lazy::new(Vec::new()));
    }
}

/// Home-page order: weight, then date (newest first), then title.
fn sort_docs(docs: &mut [ResolvedDoc]) {
    // Each key made once, and the documents moved once into their order: a document is a
    // large value, slow to move at every step of a sort on a large site.
    docs.sort_by_cached_key(|d| {
        let d = &d.doc;
        (
            d.meta.weight,
            std::cmp::Reverse(d.meta.date.clone()),
            d.title.clone(),
            d.slug.clone(),
        )
    });
}

/// The index of every page's ids, every link checked against it, and who links to whom.
fn link_site(
    docs: &[ResolvedDoc],
    pages: &[ResolvedDoc],
    entries: &[Entry],
    statics: &Arc<crate::layout::StaticSet>,
    diags: &mut Vec<Diagnostic>,
) -> (SiteIndex, BTreeMap<PageRef, BTreeSet<PageRef>>) {
    let index = site_index(docs, pages, entries, statics);
    // Every link as (target, source), gathered and sorted, then made into the map at once:
    // on a large site, inserting them one by one into ordered maps is slow serial work.
    let mut pairs: Vec<(PageRef, PageRef)> = Vec::new();
    let mut add = |from: &PageRef, to: Option<PageRef>| {
        if let Some(to) = to
            && to != *from
        {
            pairs.push((to, from.clone()));
        }
    };
    // The documents' links are checked in parallel, and taken in in document order.
    use rayon::prelude::*;
    let checked: Vec<(Vec<Option<PageRef>>, Vec<Diagnostic>)> = docs
        .par_iter()
        .map(|d| {
            let (mut found, mut files) = (Vec::new(), ErrorFiles::default());
            let targets = d
                .links
                .iter()
                .map(|link| check_link(&index, link, Some(&d.ids), &mut files, &mut found))
                .collect();
            (targets, found)
        })
        .collect();
    for (d, (targets, found)) in docs.iter().zip(checked) {
        diags.extend(found);
        let from = PageRef::Doc(d.doc.slug.clone());
        for to in targets {
            add(&from, to);
        }
    }
    let mut files = ErrorFiles::default();
    for p in pages {
        let from = PageRef::Page(p.doc.slug.clone());
        for link in p.links.iter() {
            add(&from, check_link(&index, link, Some(&p.ids), &mut files, diags));
        }
    }
    for e in entries {
        let from = PageRef::Term(e.id.clone());
        for (dest, offset) in markdown_links(&e.definition) {
            let link = LinkRef {
                dest,
                file: Arc::from(e.path.as_path()),
                at: LinkAt::Yaml(e.key_path("definition"), offset),
            };
            add(&from, check_link(&index, &link, None, &mut files, diags));
        }
    }
    (index, backlinks_of(pairs))
}

/// Every page's ids, by slug (the first of two pages with one slug) and every entry's term.
fn site_index(
    docs: &[ResolvedDoc],
    pages: &[ResolvedDoc],
    entries: &[Entry],
    statics: &Arc<crate::layout::StaticSet>,
) -> SiteIndex {
    let mut index = SiteIndex {
        statics: statics.clone(),
        ..SiteIndex::default()
    };
    for d in docs {
        index
            .docs
            .entry(d.doc.slug.clone())
            .or_insert_with(|| (d.doc.title.clone(), d.ids.clone()));
    }
    for p in pages {
        index
            .pages
            .entry(p.doc.slug.clone())
            .or_insert_with(|| (p.doc.title.clone(), p.ids.clone()));
    }
    for e in entries {
        index.terms.insert(e.id.clone(), e.term.clone());
    }
    index
}

/// The backlinks, from every link as (target, source).
fn backlinks_of(mut pairs: Vec<(PageRef, PageRef)>) -> BTreeMap<PageRef, BTreeSet<PageRef>> {
    use rayon::prelude::*;
    pairs.par_sort_unstable();
    pairs.dedup();
    let mut backlinks = Vec::new();
    let mut pairs = pairs.into_iter().peekable();
    while let Some((to, from)) = pairs.next() {
        let mut sources = vec![from];
        while let Some((_, from)) = pairs.next_if(|(next, _)| *next == to) {
            sources.push(from);
        }
        // Sorted input: both maps are built in one pass, not by repeated insertion.
        backlinks.push((to, sources.into_iter().collect::<BTreeSet<_>>()));
    }
    backlinks.into_iter().collect()
}

pub(super) fn check_entries(entries: &[Entry], files: &mut ErrorFiles, diags: &mut Vec<Diagnostic>) {
    let mut seen: FastMap<&str, &Entry> = FastMap::default();
    for e in entries {
        if let Some(first) = seen.insert(&e.id, e) {
            diags.push(
                files
                    .get(&e.path)
                    .value_error(
                        Code::DuplicateId,
                        &e.path,
                        &e.key_path("id"),
                        format!("duplicate glossary id `{}`", e.id),
                    )
                    .hint(format!("also defined in {}", first.path.display())),
            );
        }
    }
    for e in entries {
        for (i, related) in e.see.iter().enumerate() {
            if !seen.contains_key(related.as_str()) {
                let mut path = e.key_path("see");
                path.push(i.into());
                let d = files.get(&e.path).value_error(
                    Code::UnknownTerm,
                    &e.path,
                    &path,
                    format!("unknown glossary id `{related}` in `see`"),
                );
                diags.push(match did_you_mean(related, seen.keys().copied()) {
                    Some(s) => d.hint(format!("did you mean `{s}`?")),
                    None => d,
                });
            }
        }
    }
}

fn check_slugs(root: &Path, docs: &[ResolvedDoc], pages: &[ResolvedDoc], diags: &mut Vec<Diagnostic>) {
    let mut seen: FastMap<&str, &Path> = FastMap::default();
    for d in docs.iter().chain(pages) {
        let slug = d.doc.slug.as_str();
        // Point at the `slug:` line where there is one, else at the file.
        let error = |code: Code, message: String| match &d.doc.slug_origin {
            Some(origin) => Diagnostic {
                code,
                message,
                ..origin.clone()
            },
            None => Diagnostic::error(code, &d.doc.path, message),
        };
        if ["glossary", "search", "static"].contains(&slug) {
            diags.push(
                error(
                    Code::ReservedSlug,
                    format!("the slug `{slug}` is reserved for the site's own pages"),
                )
                .hint("set another `slug:`"),
            );
        } else if let Some(first) = seen.insert(slug, &d.doc.path) {
            let first = first.strip_prefix(root).unwrap_or(first);
            diags.push(
                error(
                    Code::DuplicateSlug,
                    format!("two documents or pages have the slug `{slug}`"),
                )
                .hint(format!(
                    "{} has it too; set another `slug:` in one of them",
                    first.display()
                )),
            );
        }
    }
}

/// Warns about each of `docs` that has no sidecar when a document of `site` has one: what is
/// said of every document by a full build ([`Site::relink`]), and of the edited ones after an
/// edit ([`Site::relink_edited`]), which keeps every sidecar as it was.
fn warn_missing_sidecars<'d>(
    site: &[ResolvedDoc],
    docs: impl IntoIterator<Item = &'d ResolvedDoc>,
    diags: &mut Vec<Diagnostic>,
) {
    if !site.iter().any(|d| d.doc.sidecar_path.is_some()) {
        return;
    }
    for d in docs.into_iter().filter(|d| d.doc.sidecar_path.is_none()) {
        let stem = d
            .doc
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        diags.push(
            Diagnostic::warning(
                Code::MissingSidecar,
                &d.doc.path,
                "this document has no sidecar, though others have one",
            )
            .hint(format!(
                "annotate it in `{stem}.yaml` beside it, or ignore this if it needs none"
            )),
        );
    }
}

/// A warning for each glossary entry that occurs in none of `docs`.
fn warn_unused_entries(entries: &[Entry], docs: &[ResolvedDoc], diags: &mut Vec<Diagnostic>) {
    let mut used = vec![false; entries.len()];
    for o in docs.iter().flat_map(|d| &d.occurrences) {
        used[o.entry] = true;
    }
    // Often many in one file: each glossary file is read and indexed once for all of them.
    let mut files = ErrorFiles::default();
    for (e, _) in entries.iter().zip(&used).filter(|(_, used)| !**used) {
        let d = files.get(&e.path).value_error(
            Code::UnusedEntry,
            &e.path,
            &e.key_path("id"),
            format!("glossary entry `{}` occurs in no document", e.id),
        );
        diags.push(
            d.severity(crate::diagnostics::Severity::Warning)
                .hint("check its `forms` against the text (matching is case-sensitive, whole words)"),
        );
    }
}
