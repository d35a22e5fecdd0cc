//! The document pages: each rendered with its body as it renders, in parallel a chunk at a
//! time, and what each leaves behind (its line on the home page, its annotations for
//! annotations.jsonld, its words for the search index) taken in in document order.

use super::body::render_body;
use super::views::*;
use super::{DOC_CHUNK, PAGE_BYTES, PageMaker, RenderError, Sink, Stats, jsonld, put_fragments, search};
use crate::concat::cat;
use crate::layout::{self, PageRef};
use crate::resolve::{ResolvedDoc, Site};
use crate::theme;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// What a document page leaves behind once it is written.
struct RenderedDoc {
    /// Its line on the home page, when that is wanted.
    summary: Option<DocSummary>,
    notes: usize,
    /// Whether the page was wanted and written.
    written: bool,
    occurrences: usize,
    /// Its items of annotations.jsonld, and how many (none when the file is not wanted).
    jsonld: (String, usize),
    /// Its words and fragment for the search index, when there is one.
    search: Option<search::PageEntry>,
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
fn render_doc(maker: &PageMaker, rd: &ResolvedDoc, sink: &dyn Sink, wants: Wants) -> Result<RenderedDoc, RenderError> {
    let (site, entries) = (maker.site, &maker.site.entries);
    let path = &layout::doc_page(&rd.doc.slug);
    let written = sink.wants(path);
    let jsonld = wants.jsonld;
    // The home page's line needs no reloaded body: a page not wanted is not reloaded for it
    // (serve wants the home page alone often; that would read and parse every document).
    if !written && !jsonld && wants.search.is_none() {
        return Ok(RenderedDoc {
            summary: wants.home.then(|| doc_summary(site, &maker.theme.strings, rd)),
            notes: rd.notes,
            written,
            occurrences: rd.occurrences.len(),
            jsonld: (String::new(), 0),
            search: None,
        });
    }
    let summary = doc_summary(site, &maker.theme.strings, rd);
    let page = maker.bodies.body(rd).map_err(RenderError::Changed)?;
    let mut search_entry = None;
    if written || wants.search.is_some() {
        let doc = &rd.doc;
        let root = "../";
        let body = render_body(rd, &page, entries, &maker.body_options(root, &summary.lang));
        // Its words and fragment join the index in document order.
        if let Some(folding) = wants.search {
            search_entry = Some(search::document_record(rd, &page, &body.notes, "document").index_entry(folding));
        }
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
        let view = DocView {
            title: doc.title.clone(),
            slug: doc.slug.clone(),
            author: summary.author.clone(),
            date: summary.date.clone(),
            date_display: summary.date_display.clone(),
            lang: summary.lang.clone(),
            summary: summary.summary.clone(),
            tags: doc.meta.tags.clone(),
            source: doc.meta.source.clone(),
            body_html: body.html,
            notes_html: body.endnotes_html,
            notes: body.notes.len(),
            terms,
            backlinks: maker.backlinks(&PageRef::Doc(doc.slug.clone()), root),
        };
        if written {
            let mut c = maker.base("document", root, &summary.lang, &doc.title, path);
            c.insert("doc", &view);
            let size = PAGE_BYTES + view.body_html.len() + view.notes_html.len();
            sink.put(path, &maker.render("document.html", &c, size)?)?;
        }
    }
    Ok(RenderedDoc {
        written,
        occurrences: rd.occurrences.len(),
        jsonld: if jsonld {
            jsonld::doc_items(site, rd, &page)
        } else {
            (String::new(), 0)
        },
        notes: summary.notes,
        summary: wants.home.then_some(summary),
        search: search_entry,
    })
}

/// Which of the files made from every document the sink wants.
#[derive(Clone, Copy)]
struct Wants {
    home: bool,
    jsonld: bool,
    /// The search index's folding, when the index is wanted: every document then gives its
    /// fragment and words.
    search: Option<search::Folding>,
}

/// Renders every document page into `sink`: in parallel, a chunk at a time, each page written
/// as soon as it is made. What outlives a chunk is small: the home page's summaries (returned)
/// and the counts; the annotations of a chunk go out to annotations.jsonld, and the words of
/// its documents into the search `index`, in document order.
pub(super) fn render_documents(
    maker: &PageMaker,
    index: &mut Option<search::IndexBuilder>,
    stats: &mut Stats,
    sink: &dyn Sink,
) -> Result<Vec<DocSummary>, RenderError> {
    let site = maker.site;
    let mut jsonld = match sink.wants("annotations.jsonld") {
        true => Some(jsonld::Writer::new(
            std::io::BufWriter::new(sink.stream("annotations.jsonld")?),
            site,
        )?),
        false => None,
    };
    let wants = Wants {
        home: sink.wants(layout::HOME),
        jsonld: jsonld.is_some(),
        search: index.as_ref().map(search::IndexBuilder::folding),
    };
    let mut summaries = Vec::with_capacity(site.docs.len());
    let mut done = 0;
    // What comes back from a chunk is taken in, in document order, while the next chunk
    // renders: the one thread taking in never holds up the others.
    let mut take_in = |rendered: Vec<Result<RenderedDoc, RenderError>>| -> Result<(), RenderError> {
        for r in rendered {
            let r = r?;
            stats.notes += r.notes;
            stats.occurrences += r.occurrences;
            stats.pages += usize::from(r.written);
            if let Some(jsonld) = &mut jsonld {
                jsonld.items(&r.jsonld)?;
            }
            summaries.extend(r.summary);
            if let (Some(index), Some(entry)) = (&mut *index, r.search) {
                put_fragments(index.add(entry), sink)?;
            }
            done += 1;
        }
        sink.progress(done, site.docs.len());
        Ok(())
    };
    let mut chunks = site.docs.chunks(DOC_CHUNK);
    let mut pending = None;
    loop {
        let next = chunks.next();
        let (rendered, taken) = rayon::join(
            || next.map(|chunk| chunk.par_iter().map(|rd| render_doc(maker, rd, sink, wants)).collect()),
            || pending.take().map_or(Ok(()), &mut take_in),
        );
        taken?;
        match rendered {
            Some(r) => pending = Some(r),
            None => break,
        }
    }
    if let Some(jsonld) = jsonld {
        jsonld.finish(site)?;
    }
    Ok(summaries)
}
