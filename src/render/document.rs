//! The HTML pages as an output: a page for each document and extra page, made as the pass
//! reaches it, then what is made of the whole site (the home page, the glossary and its
//! entries' pages and the 404 page: `pages`).

use super::body::RenderedBody;
use super::output::{ITEM_ROOT, Item, Kind, Output};
use super::views::*;
use super::{PAGE_BYTES, PageMaker, RenderError, Sink, Stats, pages};
use crate::concat::cat;
use crate::layout::{self, PageRef};
use crate::resolve::{ResolvedDoc, Site};
use crate::theme;
use std::collections::BTreeMap;

/// The site's HTML pages.
pub(super) struct HtmlPages<'a> {
    maker: &'a PageMaker<'a>,
    /// Whether the home page is wanted: every document then gives its line on it.
    home: bool,
}

/// What a document or page leaves behind once its page is written.
pub(super) struct Rendered {
    /// Its line on the home page, when that is wanted.
    summary: Option<DocSummary>,
    notes: usize,
    occurrences: usize,
    /// Whether the page was wanted and written.
    written: bool,
}

/// The documents' lines on the home page, in document order, and the counts so far.
#[derive(Default)]
pub(super) struct Taken {
    summaries: Vec<DocSummary>,
    stats: Stats,
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

    fn start(&self, _sink: &dyn Sink) -> Result<Taken, RenderError> {
        Ok(Taken {
            summaries: Vec::with_capacity(self.maker.site.docs.len()),
            stats: Stats::default(),
        })
    }

    fn part(&self, item: &Item, sink: &dyn Sink) -> Result<Rendered, RenderError> {
        match item.kind {
            Kind::Document => render_doc(self.maker, item, sink, self.home),
            Kind::Page => pages::render_page(self.maker, item, sink).map(|written| Rendered {
                summary: None,
                notes: 0,
                occurrences: 0,
                written,
            }),
        }
    }

    fn take_in(&self, taken: &mut Taken, part: Rendered, _sink: &dyn Sink) -> Result<(), RenderError> {
        taken.stats.notes += part.notes;
        taken.stats.occurrences += part.occurrences;
        taken.stats.pages += usize::from(part.written);
        taken.summaries.extend(part.summary);
        Ok(())
    }

    fn finish(&self, taken: Taken, sink: &dyn Sink) -> Result<Stats, RenderError> {
        let mut stats = taken.stats;
        stats.pages += pages::render_home_and_glossary(self.maker, &taken.summaries, sink)?;
        stats.pages += pages::render_404(self.maker, sink)?;
        Ok(stats)
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

/// Renders one document page and hands it to the sink, if the sink wants it.
fn render_doc(maker: &PageMaker, item: &Item, sink: &dyn Sink, home: bool) -> Result<Rendered, RenderError> {
    let rd = item.rd;
    let path = &layout::doc_page(&rd.doc.slug);
    let written = sink.wants(path);
    // The home page's line needs no body: a page not wanted is not read again for it.
    let summary = (written || home).then(|| doc_summary(maker.site, &maker.theme.strings, rd));
    if let Some(summary) = summary.as_ref().filter(|_| written) {
        let view = doc_view(maker, rd, summary, item.html()?);
        let meta = maker.document_meta(rd, summary, ITEM_ROOT, path);
        let mut c = maker.base_with("document", ITEM_ROOT, &summary.lang, &rd.doc.title, path, &meta);
        c.insert("doc", &view);
        let size = PAGE_BYTES + view.body_html.len() + view.notes_html.len();
        let page = maker.render("document.html", &c, size)?;
        sink.put(path, &maker.with_previews(page, path, ITEM_ROOT))?;
    }
    Ok(Rendered {
        summary: summary.filter(|_| home),
        notes: rd.notes,
        occurrences: rd.occurrences.len(),
        written,
    })
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
