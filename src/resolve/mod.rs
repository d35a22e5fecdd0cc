//! Resolve: parsed documents, pages and glossary → a [`Site`] where every annotation has its
//! span, every glossary occurrence its id, and every cross-link its target.
//!
//! Input: parsed documents (a `Document`, its `Body` and its sidecar's text), pages and the
//! glossary. Output: per document, the [`ResolvedDoc`] the site keeps and the short-lived
//! [`PageBody`]; then the [`Site`]. No disk access, but for an error's position in a file
//! (`yaml::ErrorFiles`). Problems become diagnostics; whatever still resolves is kept so that
//! one run reports every error.

pub mod anchor;
pub mod context;
pub mod fold;
pub mod glossary;
pub mod links;
pub mod reading;
pub mod relocate;
pub mod unicode_hint;

use crate::concat::cat;
use crate::config::{Config, GlossaryLink};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::layout::{PageRef, Target, classify};
use crate::markdown::{NoteAhead, link_destinations, note_links_and_html};
use crate::parse::document::Body;
use crate::parse::{Document, Entry};
use crate::yaml::pos::YamlPositions;
use crate::yaml::{ErrorFiles, value_error_in};
use crate::{FastMap, FastSet};
use anchor::Anchor;
use context::Context;
use links::{PageIds, SiteIndex};
use pulldown_cmark::{Event, Parser, Tag};
use reading::Reading;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

/// A glossary occurrence in a document.
#[derive(Clone, Debug)]
pub struct Occurrence {
    pub entry: usize,
    /// Counts this entry's occurrences in the document from 1.
    pub k: usize,
    pub block: usize,
    pub range: Range<usize>,
    pub linked: bool,
    /// The annotation that made it, for explicit `term:` annotations.
    pub annotation: Option<usize>,
}

impl Occurrence {
    pub fn id(&self, entries: &[Entry]) -> String {
        cat!["t-", entries[self.entry].id, "-", self.k]
    }
}

/// A resolved document as the site keeps it until its page is rendered: small, so that a
/// site of many thousand documents fits in memory. Its text is not in it: [`PageBody`] holds
/// that, made when the document is resolved and made again from its file when the page
/// renders (`crate::load::page_body`), checked against [`ResolvedDoc::source_check`].
#[derive(Clone)]
pub struct ResolvedDoc {
    pub doc: Document,
    pub anchors: Vec<Option<Anchor>>,
    pub occurrences: Vec<Occurrence>,
    /// What the entry pages show of each occurrence, by its place in `occurrences`.
    pub contexts: Vec<Context>,
    pub notes: usize,
    /// Every id of the page, shared with the site's index.
    pub ids: Arc<PageIds>,
    /// The links written in the document, its notes and `see:` values.
    links: Vec<LinkRef>,
    /// By annotation, its note's HTML and text, when they came from the parse that read the
    /// note's links ([`crate::markdown::note_links_and_html`]).
    pub note_html: Arc<Vec<Option<NoteAhead>>>,
    /// What the source was, to tell that reading it again gave the same text.
    pub source_check: SourceCheck,
}

/// The text a page renders from: the document's source and events, and its reading text.
/// Short-lived: made when a document is resolved (and dropped once it is), and made again,
/// exactly so, for the moment its page renders.
pub struct PageBody {
    pub body: Body,
    pub reading: Reading,
}

/// What a document's source was, to tell that reading it again gave the same text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SourceCheck {
    len: usize,
    hash: u64,
}

impl SourceCheck {
    pub fn of(source: &str) -> SourceCheck {
        use std::hash::BuildHasher;
        // foldhash with a fixed seed: the same text always gives the same hash, several times
        // faster than SipHash (this tells an edit from no edit; nobody chooses the text to fool it).
        SourceCheck {
            len: source.len(),
            hash: foldhash::fast::FixedState::default().hash_one(source),
        }
    }
}

/// A document's file no longer holds the text it was resolved from: it was edited or removed
/// while the site was being built.
#[derive(Debug)]
pub struct SourceChanged {
    pub path: std::path::PathBuf,
    pub reason: String,
}

impl ResolvedDoc {
    /// Drops the annotations' selectors: once anchored, the anchors say where the quotes
    /// stand. A build drops them as soon as a document is resolved (`check --fix`, which
    /// moves quotes, reads them first).
    pub fn forget_selectors(&mut self) {
        for a in Arc::make_mut(&mut self.doc.annotations) {
            a.selector = crate::parse::sidecar::Selector::none();
        }
    }
}

pub struct Site {
    pub config: Config,
    /// In home-page order: weight, then date (newest first), then title.
    pub docs: Vec<ResolvedDoc>,
    pub pages: Vec<ResolvedDoc>,
    pub entries: Vec<Entry>,
    /// target page → the pages that link to it.
    pub backlinks: BTreeMap<PageRef, BTreeSet<PageRef>>,
    pub index: SiteIndex,
    /// The glossary's forms and ids, to resolve a document again (`serve`).
    pub glossary: Glossary,
}

/// The edited documents that linked to a page before an edit, and those that link to it after.
#[derive(Debug, Default)]
pub struct Relinked {
    pub before: BTreeSet<PageRef>,
    pub after: BTreeSet<PageRef>,
}

/// What resolving a document needs from the glossary: made once, shared by every document.
pub struct Glossary {
    matcher: glossary::Matcher,
    term_ids: FastMap<String, usize>,
    /// Forms listed by two entries: `(form, first entry, second entry)`.
    clashes: Vec<(String, usize, usize)>,
}

impl Glossary {
    pub fn new(entries: &[Entry]) -> Glossary {
        let (matcher, clashes) = glossary::Matcher::new(entries);
        let term_ids = entries.iter().enumerate().map(|(i, e)| (e.id.clone(), i)).collect();
        Glossary {
            matcher,
            term_ids,
            clashes,
        }
    }
}

/// Resolves the site once every document and page is resolved on its own ([`resolve_doc`]):
/// the glossary's own checks, slugs, entries that occur nowhere, cross-links and backlinks.
pub fn resolve(
    root: &Path,
    config: Config,
    resolved: Vec<ResolvedDoc>,
    pages: Vec<ResolvedDoc>,
    entries: Vec<Entry>,
    glossary: Glossary,
    diags: &mut Vec<Diagnostic>,
) -> Site {
    let mut files = ErrorFiles::default();
    check_entries(&entries, &mut files, diags);
    for (form, first, second) in &glossary.clashes {
        let e = &entries[*second];
        diags.push(
            files
                .get(&e.path)
                .value_error(
                    &e.path,
                    &e.key_path("forms"),
                    format!("the form `{form}` belongs to two entries"),
                )
                .hint(format!(
                    "`{}` lists it too; a form may name only one entry",
                    entries[*first].id
                )),
        );
    }
    let mut site = Site {
        config,
        docs: resolved,
        pages,
        entries,
        backlinks: BTreeMap::new(),
        index: SiteIndex::default(),
        glossary,
    };
    site.relink(root, diags);
    site
}

impl Site {
    /// The site-wide part of resolving, given resolved documents and pages: their order, slugs,
    /// documents without a sidecar, entries that occur nowhere, and every cross-link checked
    /// against the index of ids, with the backlinks. `serve` runs it again after it replaced
    /// an edited document.
    pub fn relink(&mut self, root: &Path, diags: &mut Vec<Diagnostic>) {
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
        if resolved.iter().any(|d| d.doc.sidecar_path.is_some()) {
            for d in resolved.iter().filter(|d| d.doc.sidecar_path.is_none()) {
                let stem = d
                    .doc
                    .path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                diags.push(
                    Diagnostic::warning(&d.doc.path, "this document has no sidecar, though others have one").hint(
                        format!("annotate it in `{stem}.yaml` beside it, or ignore this if it needs none"),
                    ),
                );
            }
        }
        warn_unused_entries(entries, resolved, diags);
        (self.index, self.backlinks) = link_site(resolved, pages, entries, diags);
    }

    /// [`Site::relink`] after the documents `slugs` were resolved again (`serve`), where the
    /// edit kept every slug and sidecar as it was: only their links, and the links that point
    /// at them, are checked again. Returns, for each page whose backlinks may have changed, the
    /// edited documents that linked to it before and those that link to it now.
    pub fn relink_edited(&mut self, slugs: &[String], diags: &mut Vec<Diagnostic>) -> BTreeMap<PageRef, Relinked> {
        sort_docs(&mut self.docs);
        warn_unused_entries(&self.entries, &self.docs, diags);
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
            for link in &d.links {
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
                        for link in &d.links {
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
        self.docs.par_iter_mut().for_each(|d| d.links = Vec::new());
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
    diags: &mut Vec<Diagnostic>,
) -> (SiteIndex, BTreeMap<PageRef, BTreeSet<PageRef>>) {
    let mut index = SiteIndex::default();
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
        for link in &p.links {
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
    let backlinks: BTreeMap<PageRef, BTreeSet<PageRef>> = backlinks.into_iter().collect();
    (index, backlinks)
}

fn check_entries(entries: &[Entry], files: &mut ErrorFiles, diags: &mut Vec<Diagnostic>) {
    let mut seen: FastMap<&str, &Entry> = FastMap::default();
    for e in entries {
        if let Some(first) = seen.insert(&e.id, e) {
            diags.push(
                files
                    .get(&e.path)
                    .value_error(&e.path, &e.key_path("id"), format!("duplicate glossary id `{}`", e.id))
                    .hint(format!("also defined in {}", first.path.display())),
            );
        }
    }
    for e in entries {
        for (i, related) in e.see.iter().enumerate() {
            if !seen.contains_key(related.as_str()) {
                let mut path = e.key_path("see");
                path.push(i.into());
                let d =
                    files
                        .get(&e.path)
                        .value_error(&e.path, &path, format!("unknown glossary id `{related}` in `see`"));
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
        let error = |message: String| match &d.doc.slug_origin {
            Some(origin) => Diagnostic {
                message,
                ..origin.clone()
            },
            None => Diagnostic::error(&d.doc.path, message),
        };
        if ["glossary", "search", "static"].contains(&slug) {
            diags.push(
                error(format!("the slug `{slug}` is reserved for the site's own pages")).hint("set another `slug:`"),
            );
        } else if let Some(first) = seen.insert(slug, &d.doc.path) {
            let first = first.strip_prefix(root).unwrap_or(first);
            diags.push(
                error(format!("two documents or pages have the slug `{slug}`")).hint(format!(
                    "{} has it too; set another `slug:` in one of them",
                    first.display()
                )),
            );
        }
    }
}

/// The reading text of a parsed body: its events sanitized, then analyzed. Resolving and the
/// reloading of a page's body (`crate::load`) both make it here, so that they make it alike.
pub fn prepare(body: &mut Body, raw_html: bool) -> Reading {
    reading::sanitize(&mut body.events, raw_html);
    for (_, evs) in &mut body.footnotes {
        reading::sanitize(evs, raw_html);
    }
    reading::analyze(&body.events)
}

/// Resolves one document or page on its own: anchors, glossary occurrences (none for pages,
/// which get an empty [`Glossary`]), notes, ids; its links are checked later, site-wide.
pub fn resolve_doc(
    doc: Document,
    mut body: Body,
    sidecar_source: &str,
    config: &Config,
    entries: &[Entry],
    glossary: &Glossary,
    diags: &mut Vec<Diagnostic>,
) -> (ResolvedDoc, PageBody) {
    let (matcher, term_ids) = (&glossary.matcher, &glossary.term_ids);
    let reading = prepare(&mut body, config.raw_html);
    let sidecar = doc.sidecar_path.clone().unwrap_or_else(|| doc.path.clone());
    let anchors = anchor::anchor_all(
        &doc.annotations,
        &reading,
        &body.source,
        &sidecar,
        sidecar_source,
        diags,
    );

    // The sidecar's positions, indexed on its first error here and shared by the rest.
    let positions = std::cell::OnceCell::new();
    let sidecar_error = |at: &[crate::yaml::pos::Seg], message: String| {
        let positions = positions.get_or_init(|| YamlPositions::index(sidecar_source));
        value_error_in(positions, sidecar_source, &sidecar, at, message)
    };

    // Explicit `term:` annotations.
    let mut explicit = Vec::new();
    for (i, a) in doc.annotations.iter().enumerate() {
        let Some(term) = &a.term else { continue };
        match term_ids.get(&**term) {
            Some(&entry) => {
                if let Some(anchor) = &anchors[i] {
                    explicit.push(Occurrence {
                        entry,
                        k: 0,
                        block: anchor.block,
                        range: anchor.range.clone(),
                        linked: false,
                        annotation: Some(i),
                    });
                }
            }
            None => {
                let d = sidecar_error(&a.key_path("term"), format!("unknown glossary id `{term}`"));
                diags.push(match did_you_mean(term, term_ids.keys().map(String::as_str)) {
                    Some(s) => d.hint(format!("did you mean `{s}`?")),
                    None => d.hint("glossary ids are defined in content/glossary.yaml"),
                });
            }
        }
    }
    let see_spans: Vec<(usize, usize, Range<usize>)> = doc
        .annotations
        .iter()
        .zip(&anchors)
        .enumerate()
        .filter(|(_, (a, _))| a.see.is_some())
        .filter_map(|(i, (_, an))| an.as_ref().map(|an| (i, an.block, an.range.clone())))
        .collect();
    for (i, a) in doc.annotations.iter().enumerate() {
        let Some(an) = &anchors[i] else { continue };
        let near_see = see_spans
            .iter()
            .any(|(j, b, r)| *j != i && *b == an.block && overlaps(r, &an.range));
        // Inside a `see` span: its reference would come before the link closes. Of two
        // annotations on one span, the first written is the outer one.
        let inside_see = see_spans.iter().any(|(j, b, r)| {
            *j != i
                && *b == an.block
                && r.start <= an.range.start
                && an.range.end <= r.end
                && (*r != an.range || *j < i)
        });
        if a.see.is_some() && (reading.blocks[an.block].links.iter().any(|l| overlaps(l, &an.range)) || near_see) {
            diags.push(
                sidecar_error(
                    &a.key_path("see"),
                    "a `see` link would lie inside or around another link".into(),
                )
                .hint("links cannot nest; quote a passage outside the link, or use a `note` with the link in it"),
            );
        } else if a.note.is_some() && inside_see {
            diags.push(
                sidecar_error(
                    &a.key_path("note"),
                    "this note's reference would stand inside a `see` link".into(),
                )
                .hint("a note reference is a link and links cannot nest; quote a passage outside the `see` quote"),
            );
        }
    }
    let see_spans: Vec<(usize, Range<usize>)> = see_spans.into_iter().map(|(_, b, r)| (b, r)).collect();

    // Forms found in the text, minus those that cross an annotation or repeat an explicit one.
    let mut all = explicit.clone();
    for (b, block) in reading.blocks.iter().enumerate() {
        for m in matcher.find(block) {
            let crosses = anchors
                .iter()
                .flatten()
                .any(|a| a.block == b && crosses(&a.range, &m.range));
            let repeats = explicit.iter().any(|o| {
                o.block == b && o.entry == m.entry && o.range.start <= m.range.start && m.range.end <= o.range.end
            });
            if !crosses && !repeats {
                all.push(Occurrence {
                    entry: m.entry,
                    k: 0,
                    block: b,
                    range: m.range,
                    linked: false,
                    annotation: None,
                });
            }
        }
    }
    all.sort_by_key(|o| {
        (
            o.block,
            o.range.start,
            std::cmp::Reverse(o.range.end),
            o.annotation.is_none(),
        )
    });
    let mut link_ranges: Vec<(usize, Range<usize>)> = see_spans;
    for (b, block) in reading.blocks.iter().enumerate() {
        link_ranges.extend(block.links.iter().map(|l| (b, l.clone())));
    }
    let free = |ranges: &[(usize, Range<usize>)], o: &Occurrence| {
        !ranges.iter().any(|(b, r)| *b == o.block && overlaps(r, &o.range))
    };
    for o in all.iter_mut().filter(|o| o.annotation.is_some()) {
        if free(&link_ranges, o) {
            o.linked = true;
            link_ranges.push((o.block, o.range.clone()));
        }
    }
    // `first`: the first occurrence in text order links, whether it is a form or an explicit
    // `term:` annotation (which always links where it can).
    let mut linked_once: FastSet<usize> = FastSet::default();
    let mut count: FastMap<usize, usize> = FastMap::default();
    for o in all.iter_mut() {
        if o.linked {
            linked_once.insert(o.entry);
        } else if o.annotation.is_none() {
            let wanted = match config.glossary_link {
                GlossaryLink::All => true,
                GlossaryLink::First => !linked_once.contains(&o.entry),
                GlossaryLink::None => false,
            };
            if wanted && free(&link_ranges, o) {
                o.linked = true;
                linked_once.insert(o.entry);
            }
        }
        let k = count.entry(o.entry).or_insert(0);
        *k += 1;
        o.k = *k;
    }

    let defined: FastSet<&str> = body.footnotes.iter().map(|(l, _)| l.as_str()).collect();
    let notes = doc
        .annotations
        .iter()
        .zip(&anchors)
        .filter(|(a, an)| a.note.is_some() && an.is_some())
        .count()
        + reading
            .footnote_order
            .iter()
            .filter(|l| defined.contains(l.as_str()))
            .count();
    for (label, evs) in &body.footnotes {
        if !reading.footnote_order.contains(label) {
            let at = evs.first().map_or(0, |(_, r)| r.start);
            diags.push(
                Diagnostic::warning(&doc.path, format!("footnote `[^{label}]` is never referenced")).at_offset(
                    &body.source,
                    at,
                    1,
                ),
            );
        }
    }

    // The page's ids, and clashes between them. The numbered ones (`p-N`, `note-N`,
    // `noteref-N`) are known by their counts; only the others are kept, by name.
    let paragraphs = reading.paragraphs;
    let mut named: FastSet<String> = FastSet::with_capacity_and_hasher(
        reading.heading_ids.len() + doc.annotations.len() + all.len(),
        Default::default(),
    );
    let occurrence_ids: Vec<String> = all.iter().map(|o| o.id(entries)).collect();
    for (_, id) in &reading.heading_ids {
        if PageIds::is_numbered(id, paragraphs, notes) || occurrence_ids.contains(id) || !named.insert(id.clone()) {
            let at = reading
                .heading_ids
                .iter()
                .find(|(_, h)| h == id)
                .map_or(0, |(e, _)| body.events[*e].1.start);
            diags.push(
                Diagnostic::error(&doc.path, format!("the id `{id}` is used twice in this page")).at_offset(
                    &body.source,
                    at,
                    1,
                ),
            );
        }
    }
    for a in doc.annotations.iter() {
        let numbered = PageIds::is_numbered(&a.id, paragraphs, notes);
        if reading::THEME_IDS.contains(&&*a.id) {
            diags.push(
                sidecar_error(
                    &a.key_path("id"),
                    format!("the annotation id `{}` is the theme's", a.id),
                )
                .hint("every page has `<main id=\"main\">` for the skip link; choose another id"),
            );
        } else if numbered || named.contains(&*a.id) || occurrence_ids.iter().any(|o| **o == *a.id) {
            diags.push(
                sidecar_error(&a.key_path("id"), format!("the annotation id `{}` clashes with an id of the page", a.id))
                    .hint("paragraphs (`p-N`), headings, notes (`note-N`) and glossary occurrences (`t-ID-K`) have ids too; choose another"),
            );
        }
        if !numbered {
            named.insert(a.id.to_string());
        }
    }
    named.extend(occurrence_ids);
    let ids = PageIds {
        paragraphs,
        notes,
        named: links::Names::new(named),
    };

    let contexts = all
        .iter()
        .map(|o| Context::of(&reading.blocks[o.block].text, o.range.clone()))
        .collect();
    let (links, note_html) = doc_links(&doc, &body, config.raw_html);
    let resolved = ResolvedDoc {
        source_check: SourceCheck::of(&body.source),
        doc,
        anchors,
        occurrences: all,
        contexts,
        notes,
        ids: Arc::new(ids),
        links,
        note_html: Arc::new(note_html),
    };
    (resolved, PageBody { body, reading })
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

fn crosses(a: &Range<usize>, b: &Range<usize>) -> bool {
    overlaps(a, b) && !(a.start <= b.start && b.end <= a.end) && !(b.start <= a.start && a.end <= b.end)
}

/// Where a link is written, for its error. Every document keeps its links until the site's
/// links are checked, so an annotation's key is kept as its number and name, and made into a
/// path into the YAML only for an error.
#[derive(Clone)]
enum LinkAt {
    /// A byte offset in the document's source.
    Source(usize),
    /// An annotation's value (`note`, `see`) in the sidecar, and a byte offset inside its text.
    Annotation {
        index: usize,
        key: &'static str,
        offset: usize,
    },
    /// A YAML value, and a byte offset inside that value's text.
    Yaml(Vec<crate::yaml::pos::Seg>, usize),
}

#[derive(Clone)]
struct LinkRef {
    dest: String,
    /// Shared by the links of a file.
    file: Arc<Path>,
    at: LinkAt,
}

/// Every link written in a document or page: Markdown links of the body and footnotes, notes,
/// and `see:` values; and, by annotation, the HTML and text of the notes parsed for their links.
fn doc_links(doc: &Document, body: &Body, raw_html: bool) -> (Vec<LinkRef>, Vec<Option<NoteAhead>>) {
    let mut out = Vec::new();
    let source: Arc<Path> = Arc::from(doc.path.as_path());
    let events = body
        .events
        .iter()
        .chain(body.footnotes.iter().flat_map(|(_, e)| e.iter()));
    for (e, range) in events {
        // An image's address is a file of the site, not checked; a script URL is refused.
        let dest = match e {
            Event::Start(Tag::Link { dest_url, .. }) => dest_url,
            Event::Start(Tag::Image { dest_url, .. }) if crate::layout::refused_scheme(dest_url).is_some() => dest_url,
            _ => continue,
        };
        out.push(LinkRef {
            dest: dest.to_string(),
            file: source.clone(),
            at: LinkAt::Source(range.start),
        });
    }
    let sidecar: Arc<Path> = doc.sidecar_path.as_deref().map_or(source, Arc::from);
    let mut note_html = Vec::new();
    for (i, a) in doc.annotations.iter().enumerate() {
        // A note that cannot hold a link is parsed only when it renders.
        if let Some(note) = a.note.as_deref().filter(|n| may_link(n)) {
            let (links, html) = note_links_and_html(note, raw_html);
            if html.is_some() {
                // At most one an annotation, kept until the page renders: made at that size
                // rather than grown by doubling.
                note_html.reserve_exact(doc.annotations.len().saturating_sub(note_html.len()));
                note_html.resize(i, None);
                note_html.push(html);
            }
            for (dest, offset) in links {
                out.push(LinkRef {
                    dest,
                    file: sidecar.clone(),
                    at: LinkAt::Annotation {
                        index: a.index,
                        key: "note",
                        offset,
                    },
                });
            }
        }
        if let Some(see) = &a.see {
            out.push(LinkRef {
                dest: see.to_string(),
                file: sidecar.clone(),
                at: LinkAt::Annotation {
                    index: a.index,
                    key: "see",
                    offset: 0,
                },
            });
        }
    }
    (out, note_html)
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
            &e.path,
            &e.key_path("id"),
            format!("glossary entry `{}` occurs in no document", e.id),
        );
        diags.push(
            Diagnostic {
                severity: crate::diagnostics::Severity::Warning,
                ..d
            }
            .hint("check its `forms` against the text (matching is case-sensitive, whole words)"),
        );
    }
}

/// Link destinations in a Markdown string, with their byte offsets.
pub fn markdown_links(md: &str) -> Vec<(String, usize)> {
    if !may_link(md) {
        return Vec::new();
    }
    let events = Parser::new_ext(md, crate::parse::document::markdown_options(false)).into_offset_iter();
    link_destinations(events.map(|(e, r)| (e, r.start)))
}

/// Whether Markdown may hold a link: every link and image starts with `[` (`![` for an image)
/// or `<` (an autolink). Text without either is not parsed to look for them.
fn may_link(md: &str) -> bool {
    md.contains(['[', '<'])
}

/// Checks a link against the index; an error reads its file from `files`, where the other
/// errors of that file find it read and indexed.
fn check_link(
    index: &SiteIndex,
    link: &LinkRef,
    own: Option<&PageIds>,
    files: &mut ErrorFiles,
    diags: &mut Vec<Diagnostic>,
) -> Option<PageRef> {
    let result = classify(&link.dest)
        .map_err(|m| (m, None))
        .and_then(|t| index.check(&t, own));
    match result {
        Ok(r) => r,
        Err((message, hint)) => {
            let file = files.get(&link.file);
            let mut d = match &link.at {
                LinkAt::Source(offset) => {
                    let (text, lines) = (file.text(), file.lines());
                    let pos = lines.pos_of_offset(text, *offset, link.dest.chars().count());
                    Diagnostic::error(&*link.file, message).at_indexed(text, lines, pos)
                }
                LinkAt::Annotation { index, key, offset } => {
                    let path = crate::parse::sidecar::Annotation::key_path_of(*index, key);
                    yaml_link_error(file, &link.file, &path, *offset, message)
                }
                LinkAt::Yaml(path, offset) => yaml_link_error(file, &link.file, path, *offset, message),
            };
            if let Some(h) = hint {
                d = d.hint(h);
            }
            diags.push(d);
            None
        }
    }
}

/// An error about a link inside a YAML string value, on the link's line when the value is a
/// block of lines.
fn yaml_link_error(
    file: &crate::yaml::ErrorFile,
    path_of_file: &Path,
    path: &[crate::yaml::pos::Seg],
    offset: usize,
    message: String,
) -> Diagnostic {
    let d = file.value_error(path_of_file, path, message);
    let (source, lines) = (file.text(), file.yaml().lines());
    match (d.line, link_line_in_block(source, lines, d.line, offset)) {
        (Some(_), Some(pos)) => d.at_indexed(source, lines, pos),
        _ => d,
    }
}

/// Where a link stands inside a YAML string value: for a block scalar (`note: |`), the value's
/// position is its first content line and the text continues on the indented lines below; for
/// a one-line value, it is on the value's line.
fn link_line_in_block(
    source: &str,
    lines: &crate::diagnostics::LineIndex,
    value_line: Option<usize>,
    offset: usize,
) -> Option<crate::diagnostics::Pos> {
    let line = value_line?;
    let is_indicator = |l: &str| {
        let t = l.trim_end();
        ["|", ">", "|-", ">-", "|+", ">+"].iter().any(|i| t.ends_with(i))
    };
    let first = if line >= 2 && is_indicator(lines.line(source, line - 1)?) {
        line
    } else if is_indicator(lines.line(source, line)?) {
        line + 1
    } else {
        return None;
    };
    let mut consumed = 0;
    let below = (first..).map_while(|n| lines.line(source, n));
    for (i, l) in below.enumerate() {
        let content = l.trim_start();
        if consumed + content.len() + 1 > offset {
            let cut = crate::diagnostics::floor_char_boundary(content, offset - consumed);
            let col = l[..l.len() - content.len()].chars().count() + content[..cut].chars().count() + 1;
            return Some(crate::diagnostics::Pos {
                line: first + i,
                col,
                width: 1,
            });
        }
        consumed += content.len() + 1;
    }
    None
}

/// The kind of a `Target` as a page reference, for templates.
pub fn target_page(t: &Target) -> Option<PageRef> {
    match t {
        Target::Doc { slug, .. } => Some(PageRef::Doc(slug.clone())),
        Target::Page { name, .. } => Some(PageRef::Page(name.clone())),
        Target::Term { id } => Some(PageRef::Term(id.clone())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn markdown_links_are_found_with_their_offsets() {
        let links = |md: &str| super::markdown_links(md);
        assert_eq!(links("Eine Anmerkung ohne Verweis, *betont*."), vec![]);
        assert_eq!(
            links("Siehe [dort](doc:a#p-2) und <https://example.org/>."),
            vec![("doc:a#p-2".to_owned(), 6), ("https://example.org/".to_owned(), 28)]
        );
        assert_eq!(links("[Referenz][r]\n\n[r]: term:x"), vec![("term:x".to_owned(), 0)]);
        // Images are not checked, but a script address in one is refused.
        assert_eq!(links("![Bild](bild.png)"), vec![]);
        assert_eq!(links("![Bild](javascript:x)"), vec![("javascript:x".to_owned(), 0)]);
        // Brackets and angle brackets that make no link.
        assert_eq!(links("a [b] c < d"), vec![]);
    }
}
