//! The search index as an output: each document's and extra page's words and fragment, added
//! in page order, then the glossary entries', then the index's files and the search page.

use super::{Folding, IndexBuilder, PageEntry, document_record, entry_record};
use crate::layout;
use crate::render::kept::{Keep, Kept};
use crate::render::output::{Item, Kind, Output};
use crate::render::{PAGE_BYTES, PageMaker, RenderError, Sink, Stats};
use rayon::prelude::*;

/// The search index and its page (`search/`, `search.html`).
pub(in crate::render) struct SearchIndex<'a> {
    maker: &'a PageMaker<'a>,
    folding: Folding,
}

impl<'a> SearchIndex<'a> {
    /// The index of a site with search. The index is all or nothing: `serve`'s partial
    /// rebuilds, which do not want it, leave it as it was.
    pub(in crate::render) fn new(maker: &'a PageMaker<'a>, sink: &dyn Sink) -> Option<Self> {
        let config = &maker.site.config;
        if !config.search || !sink.wants("search/meta.js") {
            return None;
        }
        let docs = maker.site.docs.iter();
        let langs = (docs.clone().filter_map(|d| d.doc.meta.lang.as_deref()))
            .chain(docs.flat_map(|d| d.translations.iter().map(|t| t.lang.as_str())));
        Some(SearchIndex {
            maker,
            folding: Folding::for_site(&config.lang, langs),
        })
    }
}

impl Output for SearchIndex<'_> {
    type Part = PageEntry;
    type State<'s> = IndexBuilder;

    fn start(&self, _sink: &dyn Sink, _last: Option<&Kept>) -> Result<IndexBuilder, RenderError> {
        Ok(IndexBuilder::new(self.folding))
    }

    fn part(&self, item: &Item, _sink: &dyn Sink) -> Result<PageEntry, RenderError> {
        let kind = match item.kind {
            Kind::Document => "document",
            Kind::Page => "page",
        };
        let record = document_record(item.rd, item.body()?, item.translations()?, &item.html()?.notes, kind);
        Ok(record.index_entry(self.folding))
    }

    fn take_in(
        &self,
        index: &mut IndexBuilder,
        _at: usize,
        entry: PageEntry,
        sink: &dyn Sink,
    ) -> Result<(), RenderError> {
        put_fragments(index.add(entry), sink)
    }

    /// The entries' words, in entry order, then the chunks, the meta file and the search page.
    fn finish(&self, mut index: IndexBuilder, sink: &dyn Sink, _keep: Option<&Keep>) -> Result<Stats, RenderError> {
        let (site, theme) = (self.maker.site, self.maker.theme);
        let raw_html = site.config.raw_html;
        let entry_words: Vec<PageEntry> = (site.entries.par_iter())
            .map(|e| entry_record(e, raw_html).index_entry(self.folding))
            .collect();
        for entry in entry_words {
            put_fragments(index.add(entry), sink)?;
        }
        index.finish(&mut |path, text| sink.put(&path, text.as_bytes()))?;
        let c = self.maker.base(
            "search",
            "../",
            &site.config.lang,
            theme.strings.get("search"),
            layout::SEARCH,
        );
        sink.put(layout::SEARCH, &self.maker.render("search.html", &c, PAGE_BYTES)?)?;
        Ok(Stats {
            pages: 1,
            ..Stats::default()
        })
    }

    /// Not yet: every page's words are counted again.
    fn patches(&self, _last: &Kept) -> bool {
        false
    }
}

/// Writes the fragment file that adding a page filled, if it did.
fn put_fragments(file: Option<(String, String)>, sink: &dyn Sink) -> Result<(), RenderError> {
    match file {
        Some((path, text)) => Ok(sink.put(&path, text.as_bytes())?),
        None => Ok(()),
    }
}
