//! The search index as an output: each document's and extra page's words and fragment, added
//! in page order, then the glossary entries', then the index's files and the search page.

use super::kept::{KeptIndex, KeptWriter, Patch};
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
    /// What the last build kept, read by `patches` for `start`.
    kept: std::sync::Mutex<Option<KeptIndex>>,
}

/// The index being made: from every page, or from what the last build kept and the pages
/// rendered again.
pub(in crate::render) enum IndexState {
    Whole(IndexBuilder),
    Patch(Patch),
}

/// The name of what the index keeps for the next build (`render::kept`).
const KEPT: &str = "search";

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
            kept: std::sync::Mutex::default(),
        })
    }
}

impl SearchIndex<'_> {
    /// Documents and extra pages: the pages of the index before the glossary's entries.
    fn items(&self) -> usize {
        self.maker.site.docs.len() + self.maker.site.pages.len()
    }

    /// What the last build kept, if it is well-formed and of this site: as many pages, and
    /// the same folding (a document's language may turn German folding on or off).
    fn read_kept(&self, last: &Kept) -> Option<KeptIndex> {
        let kept = KeptIndex::parse(last.get(KEPT)?)?;
        let pages = self.items() + self.maker.site.entries.len();
        let fits = kept.items as usize == self.items()
            && kept.pages() as usize == pages
            && kept.folding.digraphs == self.folding.digraphs;
        fits.then_some(kept)
    }
}

impl Output for SearchIndex<'_> {
    type Part = PageEntry;
    type State<'s> = IndexState;

    fn start(&self, _sink: &dyn Sink, last: Option<&Kept>) -> Result<IndexState, RenderError> {
        let Some(last) = last else {
            return Ok(IndexState::Whole(IndexBuilder::new(self.folding)));
        };
        let taken = self.kept.lock().unwrap_or_else(|e| e.into_inner()).take();
        match taken.or_else(|| self.read_kept(last)) {
            Some(kept) => Ok(IndexState::Patch(Patch {
                kept,
                fresh: Vec::new(),
            })),
            None => Err(RenderError::Io(std::io::Error::other(
                "the search index the last build kept cannot be read",
            ))),
        }
    }

    fn part(&self, item: &Item, _sink: &dyn Sink) -> Result<PageEntry, RenderError> {
        let kind = match item.kind {
            Kind::Document => "document",
            Kind::Page => "page",
        };
        let record = document_record(item.rd, item.body()?, item.translations()?, &item.html()?.notes, kind);
        Ok(record.index_entry(self.folding))
    }

    fn take_in(&self, index: &mut IndexState, at: usize, entry: PageEntry, sink: &dyn Sink) -> Result<(), RenderError> {
        match index {
            IndexState::Whole(index) => put_fragments(index.add(entry), sink),
            IndexState::Patch(patch) => {
                patch.fresh.push((at as u32, entry));
                Ok(())
            }
        }
    }

    /// The entries' words, in entry order, then the chunks, the meta file and the search page;
    /// after an edit, the files the fresh pages change. With `keep`, what the next build needs.
    fn finish(&self, index: IndexState, sink: &dyn Sink, keep: Option<&Keep>) -> Result<Stats, RenderError> {
        let (site, theme) = (self.maker.site, self.maker.theme);
        match index {
            IndexState::Whole(mut index) => {
                let raw_html = site.config.raw_html;
                let entry_words: Vec<PageEntry> = (site.entries.par_iter())
                    .map(|e| entry_record(e, raw_html).index_entry(self.folding))
                    .collect();
                for entry in entry_words {
                    put_fragments(index.add(entry), sink)?;
                }
                let mut writer = keep.map(|_| KeptWriter::default());
                let items = self.items() as u32;
                index.finish(
                    items,
                    &mut |path, text| sink.put(&path, text.as_bytes()),
                    writer.as_mut(),
                )?;
                if let (Some(keep), Some(writer)) = (keep, writer) {
                    keep.put(KEPT, writer.into_bytes());
                }
            }
            // The entries' share is kept: only documents and extra pages change with an edit.
            IndexState::Patch(patch) => {
                let kept = patch.finish(sink)?;
                if let Some(keep) = keep {
                    keep.put(KEPT, kept);
                }
            }
        }
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

    /// When the last build kept an index of this site: the pages rendered again replace their
    /// share of it.
    fn patches(&self, last: &Kept) -> bool {
        let kept = self.read_kept(last);
        let fits = kept.is_some();
        *self.kept.lock().unwrap_or_else(|e| e.into_inner()) = kept;
        fits
    }
}

/// Writes the fragment files that adding a page completed.
fn put_fragments(files: Vec<(String, String)>, sink: &dyn Sink) -> Result<(), RenderError> {
    for (path, text) in files {
        sink.put(&path, text.as_bytes())?;
    }
    Ok(())
}
