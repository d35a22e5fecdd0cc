//! Resolve: parsed documents, pages and glossary → a [`Site`] where every annotation has its
//! span, every glossary occurrence its id, and every cross-link its target.
//!
//! Input: parsed documents (a `Document`, its `Body` and its sidecar's text), pages and the
//! glossary. Output: per document, the [`ResolvedDoc`] the site keeps and the short-lived
//! [`PageBody`]; then the [`Site`]. No disk access, but for an error's position in a file
//! (`yaml::ErrorFiles`). Problems become diagnostics; whatever still resolves is kept so that
//! one run reports every error.
//!
//! This file holds the types the stage hands on and its two entry points' order: one document
//! on its own ([`resolve_doc`], in `document`), then the site ([`resolve`], its checks in
//! `site`, the links written in its files in `link_check`).

pub mod anchor;
pub mod context;
mod document;
pub mod fold;
pub mod glossary;
mod link_check;
pub mod links;
pub mod picker;
pub mod reading;
pub mod relocate;
mod site;
pub mod snapshot;
pub mod translation;
pub mod unicode_hint;

use crate::concat::cat;
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::hash::FastMap;
use crate::layout::{PageRef, Target};
use crate::markdown::NoteAhead;
use crate::parse::document::Body;
use crate::parse::{Document, Entry};
use crate::yaml::ErrorFiles;
use anchor::Anchor;
use context::Context;
pub use document::resolve_doc;
use link_check::LinkRef;
pub use link_check::markdown_links;
use links::{PageIds, SiteIndex};
use reading::Reading;
use site::check_entries;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

/// A glossary occurrence in a document.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
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
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct ResolvedDoc {
    pub doc: Document,
    pub anchors: Vec<Option<Anchor>>,
    pub occurrences: Vec<Occurrence>,
    /// What the entry pages show of each occurrence, by its place in `occurrences`: read from
    /// a snapshot only for the entry pages an edit renders again.
    pub contexts: crate::stored::Lazy<Vec<Context>>,
    pub notes: usize,
    /// Every id of the page, shared with the site's index.
    pub ids: Arc<PageIds>,
    /// The links written in the document, its notes and `see:` values, and in its
    /// translations: read from a snapshot only for the links an edit checks again.
    links: crate::stored::Lazy<Vec<LinkRef>>,
    /// By annotation, its note's HTML and text, when they came from the parse that read the
    /// note's links (`crate::markdown::note_links_and_html`). Left out of a snapshot of the
    /// site (`snapshot`), a tenth of its bytes and many values to read back: a page renders
    /// its notes from the annotations without it, alike.
    #[serde(skip)]
    pub note_html: Arc<Vec<Option<NoteAhead>>>,
    /// What the source was, to tell that reading it again gave the same text.
    pub source_check: SourceCheck,
    /// Its translations whose blocks match its own, in the order a reader is offered them
    /// (site.yaml's `translations:`, then alphabetical): the first is shown by default.
    pub translations: Vec<translation::Translation>,
}

/// The text a page renders from: the document's source and events, and its reading text.
/// Short-lived: made when a document is resolved (and dropped once it is), and made again,
/// exactly so, for the moment its page renders.
pub struct PageBody {
    pub body: Body,
    pub reading: Reading,
}

/// What a document's source was, to tell that reading it again gave the same text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    /// Takes in the links written in a translation of the document (at `path`, its body
    /// `body`): shown on the document's page, they are checked with its own links (a fragment
    /// names an id of that page) and count among the links the page makes. Its images are
    /// warned about as the document's are.
    pub fn add_translation_links(&mut self, path: &Path, body: &Body, config: &Config, diags: &mut Vec<Diagnostic>) {
        let mut images = Vec::new();
        link_check::body_links(&Arc::from(path), body, &mut self.links, &mut images);
        let page_dir = crate::layout::page_folder(&self.doc.slug);
        link_check::warn_relative_images(&images, &config.statics, Some(&page_dir), diags);
    }

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
    /// The snapshot's parts the site was loaded from, if it was (`snapshot::load`), for a save
    /// after an edit to keep those that did not change.
    pub origin: Option<snapshot::Origin>,
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
    /// The glossary for resolving every document of a site.
    pub fn new(entries: &[Entry]) -> Glossary {
        Glossary::scanning(entries, glossary::Scan::Site)
    }

    /// The glossary for resolving what `scan` says.
    pub fn scanning(entries: &[Entry], scan: glossary::Scan) -> Glossary {
        let (matcher, clashes) = glossary::Matcher::new(entries, scan);
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
    link_check::warn_relative_images_in_definitions(&entries, &config.statics, diags);
    for (form, first, second) in &glossary.clashes {
        let e = &entries[*second];
        diags.push(
            files
                .get(&e.path)
                .value_error(
                    Code::DuplicateForm,
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
        origin: None,
    };
    site.relink(root, diags);
    site
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

/// The kind of a `Target` as a page reference, for templates.
pub fn target_page(t: &Target) -> Option<PageRef> {
    match t {
        Target::Doc { slug, .. } => Some(PageRef::Doc(slug.clone())),
        Target::Page { name, .. } => Some(PageRef::Page(name.clone())),
        Target::Term { id } => Some(PageRef::Term(id.clone())),
        _ => None,
    }
}
