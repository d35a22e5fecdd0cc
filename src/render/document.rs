//! The HTML pages as an output: a page for each document and extra page, made as the pass
//! reaches it, then what is made of the whole site (the home page, the glossary and its
//! entries' pages and the 404 page: `pages`).

use super::body::RenderedBody;
use super::kept::{Keep, Kept};
use super::output::{ITEM_ROOT, Item, Kind, Output};
use super::views::*;
use super::{PAGE_BYTES, PageMaker, RenderError, Sink, Stats, pages};
use crate::concat::cat;
use crate::layout::{self, PageRef};
use crate::resolve::{ResolvedDoc, Site};
use crate::theme;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// The site's HTML pages.
pub(super) struct HtmlPages<'a> {
    maker: &'a PageMaker<'a>,
    /// Whether the home page is wanted: every document then gives its line on it.
    home: bool,
}

/// What a document or page leaves behind once its page is written: whether it was wanted
/// and written.
pub(super) struct Rendered {
    written: bool,
}

/// The pages written so far.
#[derive(Default)]
pub(super) struct Taken {
    pages: usize,
}

impl<'a> HtmlPages<'a> {
    pub(super) fn new(maker: &'a PageMaker<'a>, sink: &dyn Sink) -> Self {
        HtmlPages {
            maker,
            home: sink.wants(layout::HOME),
        }
    }
}

impl Output for HtmlPages<'_> {
    type Part = Rendered;
    type State<'s> = Taken;

    fn start(&self, _sink: &dyn Sink, _last: Option<&Kept>) -> Result<Taken, RenderError> {
        Ok(Taken::default())
    }

    fn part(&self, item: &Item, sink: &dyn Sink) -> Result<Rendered, RenderError> {
        let written = match item.kind {
            Kind::Document => render_doc(self.maker, item, sink)?,
            Kind::Page => pages::render_page(self.maker, item, sink)?,
        };
        Ok(Rendered { written })
    }

    fn take_in(&self, taken: &mut Taken, _at: usize, part: Rendered, _sink: &dyn Sink) -> Result<(), RenderError> {
        taken.pages += usize::from(part.written);
        Ok(())
    }

    /// The pages made of the whole site, and the counts, all of them made from the resolved
    /// site (no document is read again for them).
    fn finish(&self, taken: Taken, sink: &dyn Sink, _keep: Option<&Keep>) -> Result<Stats, RenderError> {
        let site = self.maker.site;
        let summaries: Vec<DocSummary> = match self.home {
            true => (site.docs.par_iter())
                .map(|rd| doc_summary(site, &self.maker.theme.strings, rd))
                .collect(),
            false => Vec::new(),
        };
        let mut pages = taken.pages;
        pages += pages::render_home_and_glossary(self.maker, &summaries, sink)?;
        pages += pages::render_404(self.maker, sink)?;
        Ok(Stats {
            pages,
            notes: site.docs.iter().map(|rd| rd.notes).sum(),
            occurrences: site.docs.iter().map(|rd| rd.occurrences.len()).sum(),
        })
    }

    /// Every page is made of the resolved site and its own item: nothing to keep.
    fn patches(&self, _last: &Kept) -> bool {
        true
    }
}

/// A document's line on the home page: made without rendering it.
pub fn doc_summary(site: &Site, strings: &theme::Strings, rd: &ResolvedDoc) -> DocSummary {
    let doc = &rd.doc;
    DocSummary {
        title: doc.title.clone(),
        url: layout::doc_page(&doc.slug),
        author: doc.meta.author.clone().unwrap_or_default(),
        date: doc.meta.date.clone().unwrap_or_default(),
        date_display: doc.meta.date.as_deref().map(|d| strings.date(d)).unwrap_or_default(),
        summary: doc.meta.summary.clone().unwrap_or_default(),
        lang: doc.meta.lang.clone().unwrap_or_else(|| site.config.lang.clone()),
        notes: rd.notes,
        terms: rd
            .occurrences
            .iter()
            .map(|o| o.entry)
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        tags: doc.meta.tags.clone(),
    }
}

/// Renders one document page and hands it to the sink, if the sink wants it; says whether it
/// did.
fn render_doc(maker: &PageMaker, item: &Item, sink: &dyn Sink) -> Result<bool, RenderError> {
    let rd = item.rd;
    let path = &layout::doc_page(&rd.doc.slug);
    if !sink.wants(path) {
        return Ok(false);
    }
    let summary = doc_summary(maker.site, &maker.theme.strings, rd);
    let view = doc_view(maker, rd, &summary, item.html()?);
    let meta = maker.document_meta(rd, &summary, ITEM_ROOT, path);
    let mut c = maker.base_with("document", ITEM_ROOT, &summary.lang, &rd.doc.title, path, &meta);
    c.insert("doc", &view);
    let size = PAGE_BYTES + view.body_html.len() + view.notes_html.len();
    let page = maker.render("document.html", &c, size)?;
    sink.put(path, &maker.with_previews(page, path, ITEM_ROOT))?;
    Ok(true)
}

/// What the document template sees of a document.
fn doc_view<'b>(maker: &PageMaker, rd: &ResolvedDoc, summary: &DocSummary, body: &'b RenderedBody) -> DocView<'b> {
    let (doc, entries, root) = (&rd.doc, &maker.site.entries, ITEM_ROOT);
    let mut terms: BTreeMap<usize, usize> = BTreeMap::new();
    for o in &rd.occurrences {
        *terms.entry(o.entry).or_default() += 1;
    }
    let mut terms: Vec<TermUse> = terms
        .into_iter()
        .map(|(e, count)| TermUse {
            id: entries[e].id.clone(),
            term: entries[e].term.clone(),
            url: cat![root, layout::entry_page(&entries[e].id)],
            count,
        })
        .collect();
    terms.sort_by_cached_key(|t| t.term.to_lowercase());
    DocView {
        title: doc.title.clone(),
        slug: doc.slug.clone(),
        author: summary.author.clone(),
        date: summary.date.clone(),
        date_display: summary.date_display.clone(),
        lang: summary.lang.clone(),
        summary: summary.summary.clone(),
        tags: doc.meta.tags.clone(),
        source: doc.meta.source.clone(),
        body_html: &body.html,
        notes_html: &body.endnotes_html,
        notes: body.notes.len(),
        terms,
        backlinks: maker.backlinks(&PageRef::Doc(doc.slug.clone()), root),
        translations: (rd.translations.iter())
            .map(|t| TranslationView {
                lang: t.lang.clone(),
                title: t.title.clone(),
            })
            .collect(),
    }
}
