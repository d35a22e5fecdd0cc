//! The collection cut into pages (W3C Web Annotation Data Model §5, Collections), a fixed
//! number of documents each, so that an edit writes again the pages of the edited documents
//! and not one file of every annotation (docs/incremental.md).
//!
//! `annotations.jsonld` is the AnnotationCollection and embeds its first page (`first`), as a
//! site of up to [`DOCS_PER_PAGE`] documents has it alone. A larger site's first page names
//! the next (`next`) and the collection its last (`last`); each further page is a file of its
//! own, `annotations/N.jsonld` (N from 2: [`layout::annotation_page`]), an AnnotationPage with
//! `partOf`, `prev`, `next` (but on the last), and `startIndex`, the number of items before it.
//! Pages follow documents, not items: which page a document's items are on changes only when
//! the number of documents does.
//!
//! IRIs are absolute under `base_url`; without one, they are relative to the file they stand
//! in, as a JSON-LD processor reads them: in `annotations.jsonld` relative to the site root,
//! in a page under `annotations/` written from `../`.

use super::patch::Layout;
use super::{Writer, json_string};
use crate::concat::cat;
use crate::layout::{self, ANNOTATIONS};
use crate::render::Sink;
use crate::resolve::Site;
use std::io::Write;
use std::ops::Range;

/// How many documents' annotations a page holds: a site of up to this many keeps one file.
pub(in crate::render) const DOCS_PER_PAGE: usize = 100;

const CONTEXT: &str = "{\"@context\":\"http://www.w3.org/ns/anno.jsonld\",";

/// How a site's annotations are cut into pages, and what each page's file says around its
/// items.
pub(in crate::render) struct Paging<'a> {
    base_url: Option<&'a str>,
    label: &'a str,
    docs: usize,
    per_page: usize,
}

impl<'a> Paging<'a> {
    pub(in crate::render) fn new(site: &'a Site) -> Paging<'a> {
        Paging::with(site, DOCS_PER_PAGE)
    }

    /// Pages of `per_page` documents (tests cut small sites into several).
    pub(in crate::render) fn with(site: &'a Site, per_page: usize) -> Paging<'a> {
        Paging {
            base_url: site.config.base_url.as_deref(),
            label: &site.config.title,
            docs: site.docs.len(),
            per_page,
        }
    }

    /// How many pages there are: one at least, which may be empty.
    pub(in crate::render) fn count(&self) -> usize {
        self.docs.div_ceil(self.per_page).max(1)
    }

    /// The page (from 0) that holds the items of the document at `doc`.
    pub(in crate::render) fn page_of(&self, doc: usize) -> usize {
        doc / self.per_page
    }

    /// The documents whose items the page `page` holds.
    pub(in crate::render) fn docs_of(&self, page: usize) -> Range<usize> {
        (page * self.per_page).min(self.docs)..((page + 1) * self.per_page).min(self.docs)
    }

    pub(in crate::render) fn documents(&self) -> usize {
        self.docs
    }

    /// The file of the page `page`, relative to the output root.
    pub(in crate::render) fn path(&self, page: usize) -> String {
        match page {
            0 => ANNOTATIONS.to_owned(),
            _ => layout::annotation_page(page + 1),
        }
    }

    /// What the IRIs in the file of `page` start with: `base_url`, else the way from that file
    /// to the site root.
    pub(in crate::render) fn base(&self, page: usize) -> &'a str {
        match (self.base_url, page) {
            (Some(base), _) => base,
            (None, 0) => "",
            (None, _) => "../",
        }
    }

    /// The IRI of the page `page`, as the file of `from` writes it.
    fn iri(&self, page: usize, from: usize) -> String {
        let base = self.base(from);
        json_string(&match page {
            0 => cat![base, ANNOTATIONS, "#page-1"],
            _ => cat![base, layout::annotation_page(page + 1)],
        })
    }

    /// The file of `page` up to the `[` that opens its items.
    pub(in crate::render) fn head(&self, page: usize) -> String {
        match page {
            0 => cat![CONTEXT, "\"first\":{\"id\":", self.iri(0, 0), ",\"items\":["],
            _ => cat![CONTEXT, "\"id\":", self.iri(page, page), ",\"items\":["],
        }
    }

    /// The file of `page` from the `]` that closes its items: for the first, `n` is the
    /// collection's `total`; for the others, their `startIndex`.
    pub(in crate::render) fn tail(&self, page: usize, n: u64) -> String {
        let last = self.count() - 1;
        let next = match page < last {
            true => cat!["\"next\":", self.iri(page + 1, page), ","],
            false => String::new(),
        };
        let collection = json_string(&cat![self.base(page), ANNOTATIONS]);
        if page > 0 {
            return cat![
                "],",
                next,
                "\"partOf\":",
                collection,
                ",\"prev\":",
                self.iri(page - 1, page),
                ",\"startIndex\":",
                n.to_string(),
                ",\"type\":\"AnnotationPage\"}\n"
            ];
        }
        let last = match last {
            0 => String::new(),
            _ => cat!["\"last\":", self.iri(last, 0), ","],
        };
        cat![
            "],",
            next,
            "\"startIndex\":0,\"type\":\"AnnotationPage\"},\"id\":",
            collection,
            ",\"label\":",
            json_string(self.label),
            ",",
            last,
            "\"total\":",
            n.to_string(),
            ",\"type\":\"AnnotationCollection\"}\n"
        ]
    }
}

type Stream<'s> = std::io::BufWriter<Box<dyn Write + Send + 's>>;

/// Every page written whole, streamed out in document order: the collection's file stays open
/// to the end (its tail holds the `total`), each further page is finished when the next
/// starts (its `startIndex` is known when it opens).
pub(in crate::render) struct Whole<'s> {
    sink: &'s dyn Sink,
    collection: Writer<Stream<'s>>,
    /// The page after the first being written: its place, its `startIndex`, its writer.
    page: Option<(usize, u64, Writer<Stream<'s>>)>,
    /// Where each document's items went in the pages after the first that are done.
    done: Vec<Layout>,
}

impl<'s> Whole<'s> {
    pub(in crate::render) fn new(sink: &'s dyn Sink, paging: &Paging) -> std::io::Result<Whole<'s>> {
        let out = std::io::BufWriter::new(sink.stream(ANNOTATIONS)?);
        Ok(Whole {
            sink,
            collection: Writer::new(out, &paging.head(0))?,
            page: None,
            done: Vec::new(),
        })
    }

    /// Appends the items of the document at `at` (an extra page's place has none).
    pub(in crate::render) fn items(
        &mut self,
        paging: &Paging,
        at: usize,
        items: &(String, usize),
    ) -> std::io::Result<()> {
        if at >= paging.documents() {
            return Ok(());
        }
        let page = paging.page_of(at);
        if page == 0 {
            return self.collection.items(items);
        }
        if self.page.as_ref().is_none_or(|(open, ..)| *open != page) {
            self.close_page(paging)?;
            let before = self.collection.total() + self.done.iter().map(Layout::total).sum::<u64>();
            let out = std::io::BufWriter::new(self.sink.stream(&paging.path(page))?);
            self.page = Some((page, before, Writer::new(out, &paging.head(page))?));
        }
        match &mut self.page {
            Some((_, _, writer)) => writer.items(items),
            None => Ok(()),
        }
    }

    fn close_page(&mut self, paging: &Paging) -> std::io::Result<()> {
        if let Some((page, before, writer)) = self.page.take() {
            self.done.push(writer.finish(|_| paging.tail(page, before))?.1);
        }
        Ok(())
    }

    /// Finishes every page; gives back where each document's items went, page by page.
    pub(in crate::render) fn finish(mut self, paging: &Paging) -> std::io::Result<Vec<Layout>> {
        self.close_page(paging)?;
        let after_first: u64 = self.done.iter().map(Layout::total).sum();
        let (_, first) = self.collection.finish(|total| paging.tail(0, total + after_first))?;
        Ok(std::iter::once(first).chain(self.done).collect())
    }
}
