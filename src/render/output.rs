//! The seam between the resolved site and what is made of it.
//!
//! An [`Output`] is one product of a build: the HTML pages, the search index,
//! `annotations.jsonld`, the sitemap. Every output sees the same pass over the site: each
//! document and extra page ([`Item`]) is shown to every output in parallel, a chunk at a time
//! (`Output::part`); what each output keeps of it is taken in serially, in page order, while the
//! next chunk renders (`Output::take_in`); then every output finishes at once
//! (`Output::finish`). After an edit, when every output can make its files from what it kept
//! of the last build (`Output::patches`, `super::kept`), the pass shows them only the items
//! whose pages the sink wants. A new output is a new type implementing [`Output`], added to the list in
//! [`render_site`](super::render_site): no stage above `render` changes, and an output that
//! needs an item's body or its HTML asks the [`Item`] for it, made once for all outputs.

use super::body::{RenderedBody, TranslatedBlocks, render_body, translated_blocks};
use super::kept::{Carry, Keep, Kept};
use super::{PageMaker, RenderError, Sink, Stats};
use crate::resolve::{PageBody, ResolvedDoc};
use rayon::prelude::*;
use std::cell::OnceCell;

/// One output of the build; see the module's documentation for the order of the calls.
pub(super) trait Output: Sync {
    /// What the output takes of one item, made on any thread.
    type Part: Send;
    /// What it builds across the whole site, item by item in page order.
    type State<'s>: Send;

    /// Before the first item: `sink` is where the output's files go; `last`, what the output
    /// kept of the last build, when the pass shows it only the items rendered again
    /// ([`Output::patches`]).
    fn start<'s>(&self, sink: &'s dyn Sink, last: Option<&Kept>) -> Result<Self::State<'s>, RenderError>;

    /// What this output makes of one item (and the files it writes of it at once, into
    /// `sink`); runs in parallel with other items.
    fn part(&self, item: &Item, sink: &dyn Sink) -> Result<Self::Part, RenderError>;

    /// Takes in one item's part, in page order; `at` is the item's place in the site's
    /// (documents, then extra pages).
    fn take_in(
        &self,
        state: &mut Self::State<'_>,
        at: usize,
        part: Self::Part,
        sink: &dyn Sink,
    ) -> Result<(), RenderError>;

    /// After the last item: the files made of the whole site, and what the output keeps of
    /// them for the next build, into `keep` when there is one. Returns what it counted.
    fn finish(&self, state: Self::State<'_>, sink: &dyn Sink, keep: Option<&Keep>) -> Result<Stats, RenderError>;

    /// Whether the output makes its files from `last` (what it kept of the last build) and
    /// the items rendered again alone; if not, every item is shown to it.
    fn patches(&self, last: &Kept) -> bool;
}

/// What an item of the pass is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// A document of `seeds/`.
    Document,
    /// An extra page of `content/pages/`.
    Page,
}

/// A document or extra page as the outputs see it: its kept form, and its body and HTML made
/// when the first output asks for them (never, when no output does: `serve` often wants only
/// the home page, and then no document is read again).
pub(super) struct Item<'a> {
    pub(super) rd: &'a ResolvedDoc,
    pub(super) kind: Kind,
    /// The language the item is written in: its own `lang`, else the site's.
    pub(super) lang: &'a str,
    maker: &'a PageMaker<'a>,
    body: OnceCell<PageBody>,
    translations: OnceCell<Vec<PageBody>>,
    html: OnceCell<RenderedBody>,
}

/// Links in a page's reading text go this way up to the site root: every document and extra
/// page is one folder deep.
pub(super) const ITEM_ROOT: &str = "../";

impl<'a> Item<'a> {
    fn new(maker: &'a PageMaker<'a>, kind: Kind, rd: &'a ResolvedDoc) -> Self {
        let lang = rd.doc.meta.lang.as_deref().unwrap_or(&maker.site.config.lang);
        Item {
            rd,
            kind,
            lang,
            maker,
            body: OnceCell::new(),
            translations: OnceCell::new(),
            html: OnceCell::new(),
        }
    }

    /// The item's body (source, events, reading text), read again from its file.
    pub(super) fn body(&self) -> Result<&PageBody, RenderError> {
        if let Some(body) = self.body.get() {
            return Ok(body);
        }
        let body = self.maker.bodies.body(self.rd).map_err(RenderError::Changed)?;
        Ok(self.body.get_or_init(|| body))
    }

    /// The bodies of the item's translations, in the order of `rd.translations`, read again
    /// from their files.
    pub(super) fn translations(&self) -> Result<&[PageBody], RenderError> {
        if let Some(t) = self.translations.get() {
            return Ok(t);
        }
        let bodies = (self.rd.translations.iter())
            .map(|t| self.maker.bodies.translation(t).map_err(RenderError::Changed))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(self.translations.get_or_init(|| bodies))
    }

    /// The item's reading text as HTML, with its notes. Extra pages have no glossary
    /// occurrences.
    pub(super) fn html(&self) -> Result<&RenderedBody, RenderError> {
        if let Some(html) = self.html.get() {
            return Ok(html);
        }
        let entries = match self.kind {
            Kind::Document => &self.maker.site.entries[..],
            Kind::Page => &[],
        };
        let options = self.maker.body_options(ITEM_ROOT, self.lang);
        let translations: Vec<TranslatedBlocks> = (self.rd.translations.iter().zip(self.translations()?))
            .enumerate()
            .map(|(i, (t, body))| TranslatedBlocks {
                lang: t.lang.clone(),
                shown: i == 0,
                blocks: translated_blocks(body, ITEM_ROOT),
            })
            .collect();
        let html = render_body(self.rd, self.body()?, entries, &translations, &options);
        Ok(self.html.get_or_init(|| html))
    }
}

/// Two outputs as one: each part and state is a pair, and the two finish at once.
impl<A: Output, B: Output> Output for (A, B) {
    type Part = (A::Part, B::Part);
    type State<'s> = (A::State<'s>, B::State<'s>);

    fn start<'s>(&self, sink: &'s dyn Sink, last: Option<&Kept>) -> Result<Self::State<'s>, RenderError> {
        Ok((self.0.start(sink, last)?, self.1.start(sink, last)?))
    }

    fn part(&self, item: &Item, sink: &dyn Sink) -> Result<Self::Part, RenderError> {
        Ok((self.0.part(item, sink)?, self.1.part(item, sink)?))
    }

    fn take_in(
        &self,
        state: &mut Self::State<'_>,
        at: usize,
        part: Self::Part,
        sink: &dyn Sink,
    ) -> Result<(), RenderError> {
        self.0.take_in(&mut state.0, at, part.0, sink)?;
        self.1.take_in(&mut state.1, at, part.1, sink)
    }

    fn finish(&self, state: Self::State<'_>, sink: &dyn Sink, keep: Option<&Keep>) -> Result<Stats, RenderError> {
        let (a, b) = rayon::join(
            || self.0.finish(state.0, sink, keep),
            || self.1.finish(state.1, sink, keep),
        );
        Ok(a? + b?)
    }

    fn patches(&self, last: &Kept) -> bool {
        self.0.patches(last) && self.1.patches(last)
    }
}

/// An output that may be left out (the search index of a site without search, the sitemap of
/// a site without a base URL, a file the sink does not want).
impl<O: Output> Output for Option<O> {
    type Part = Option<O::Part>;
    type State<'s> = Option<O::State<'s>>;

    fn start<'s>(&self, sink: &'s dyn Sink, last: Option<&Kept>) -> Result<Self::State<'s>, RenderError> {
        self.as_ref().map(|o| o.start(sink, last)).transpose()
    }

    fn part(&self, item: &Item, sink: &dyn Sink) -> Result<Self::Part, RenderError> {
        self.as_ref().map(|o| o.part(item, sink)).transpose()
    }

    fn take_in(
        &self,
        state: &mut Self::State<'_>,
        at: usize,
        part: Self::Part,
        sink: &dyn Sink,
    ) -> Result<(), RenderError> {
        match (self, state, part) {
            (Some(o), Some(state), Some(part)) => o.take_in(state, at, part, sink),
            _ => Ok(()),
        }
    }

    fn finish(&self, state: Self::State<'_>, sink: &dyn Sink, keep: Option<&Keep>) -> Result<Stats, RenderError> {
        match (self, state) {
            (Some(o), Some(state)) => o.finish(state, sink, keep),
            _ => Ok(Stats::default()),
        }
    }

    fn patches(&self, last: &Kept) -> bool {
        self.as_ref().is_none_or(|o| o.patches(last))
    }
}

/// An output made of the whole site at once, after the pass, that takes nothing of each item
/// (the sitemap, the feed); [`AtEnd`] makes it an [`Output`].
pub(super) trait SiteFile: Sync {
    /// Writes the output's files into `sink`.
    fn write(&self, sink: &dyn Sink) -> Result<Stats, RenderError>;
}

/// A [`SiteFile`] as an [`Output`]: nothing per item, its files at the end.
pub(super) struct AtEnd<T>(pub(super) T);

impl<T: SiteFile> Output for AtEnd<T> {
    type Part = ();
    type State<'s> = ();

    fn start(&self, _sink: &dyn Sink, _last: Option<&Kept>) -> Result<(), RenderError> {
        Ok(())
    }

    fn part(&self, _item: &Item, _sink: &dyn Sink) -> Result<(), RenderError> {
        Ok(())
    }

    fn take_in(&self, _state: &mut (), _at: usize, _part: (), _sink: &dyn Sink) -> Result<(), RenderError> {
        Ok(())
    }

    fn finish(&self, _state: (), sink: &dyn Sink, _keep: Option<&Keep>) -> Result<Stats, RenderError> {
        self.0.write(sink)
    }

    /// Made of the site, not of the items: nothing to keep.
    fn patches(&self, _last: &Kept) -> bool {
        true
    }
}

/// How many items are rendered at once: enough to keep every thread busy, few enough that the
/// pages in flight stay small.
const CHUNK: usize = 64;

/// The pass: every document, then every extra page, through `output`, a chunk at a time;
/// what comes back from a chunk is taken in, in page order, while the next chunk renders, so
/// the one thread taking in never holds up the others. With what the last build kept
/// (`carry.last`) and outputs that patch from it, only the items whose pages `sink` wants.
pub(super) fn run<O: Output>(
    maker: &PageMaker,
    output: &O,
    sink: &dyn Sink,
    carry: Carry,
) -> Result<Stats, RenderError> {
    let site = maker.site;
    let last = carry.last.filter(|last| output.patches(last));
    let items: Vec<(usize, Kind, &ResolvedDoc)> = (site.docs.iter().map(|d| (Kind::Document, d)))
        .chain(site.pages.iter().map(|p| (Kind::Page, p)))
        .enumerate()
        .map(|(at, (kind, rd))| (at, kind, rd))
        // Documents and extra pages alike have their page at `layout::doc_page`.
        .filter(|(_, _, rd)| last.is_none() || sink.wants(&crate::layout::doc_page(&rd.doc.slug)))
        .collect();
    let mut state = output.start(sink, last)?;
    pass(maker, output, &items, &mut state, sink)?;
    output.finish(state, sink, carry.keep)
}

fn pass<O: Output>(
    maker: &PageMaker,
    output: &O,
    items: &[(usize, Kind, &ResolvedDoc)],
    state: &mut O::State<'_>,
    sink: &dyn Sink,
) -> Result<(), RenderError> {
    let docs = maker.site.docs.len();
    let mut done = 0;
    let mut take_in = |parts: Vec<(usize, Result<O::Part, RenderError>)>| -> Result<(), RenderError> {
        for (at, part) in parts {
            output.take_in(state, at, part?, sink)?;
            done += 1;
        }
        sink.progress(done.min(docs), docs);
        Ok(())
    };
    let mut chunks = items.chunks(CHUNK);
    let mut pending = None;
    loop {
        let next = chunks.next();
        let (rendered, taken) = rayon::join(
            || {
                next.map(|chunk| {
                    (chunk.par_iter())
                        .map(|&(at, kind, rd)| (at, output.part(&Item::new(maker, kind, rd), sink)))
                        .collect::<Vec<_>>()
                })
            },
            || pending.take().map_or(Ok(()), &mut take_in),
        );
        taken?;
        match rendered {
            Some(parts) => pending = Some(parts),
            None => return Ok(()),
        }
    }
}
