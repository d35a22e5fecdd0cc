//! `annotations.jsonld` and its pages after an edit, from what the last build kept
//! (docs/incremental.md).
//!
//! Each file (the collection with its first page, and each further page: `pages`) is a head,
//! its documents' items in document order, and a tail that holds the collection's `total` or
//! the page's `startIndex`. A build keeps where each document's items sit in each file
//! ([`Layout`]: its length in bytes and how many items it has). The next build, shown only the
//! documents rendered again, writes again only the files whose bytes may change: the pages of
//! those documents, the collection's file when the `total` changes, and the pages whose
//! `startIndex` changes when an edit changes a number of items. Each is written as the old
//! file's ranges of every other document and the fresh items of those ([`Patch`]): no other
//! document is read, and the old bytes are copied by the kernel (`Sink::patch`), never read
//! into memory. The other files are not touched, nor asked about (`layout::FileSet`).
//!
//! The layout of a file, in bytes: the head ends with the `[` that opens the items; when there
//! is at least one item, a `\n` follows it, then each document's items, the documents joined
//! by `,\n`, and a `\n` after the last; then the tail, from the `]` that closes the items.

use super::pages::Paging;
use crate::render::kept::Kept;
use crate::render::{Piece, RenderError, Sink};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Range;

/// The name of what `annotations.jsonld` keeps (`render::kept`): a [`Layout`] a file.
pub(super) const KEPT: &str = "annotations";

/// What ends every item the file is made of but the last, and the last: its line's end.
const BETWEEN: &[u8] = b",\n";
const AFTER_LAST: &[u8] = b"\n";

/// Where each document's items sit in one file.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(in crate::render) struct Layout {
    /// The head's length: the bytes before the first item's line.
    pub(super) head: u64,
    /// Each document's items in document order: their length in bytes, without what follows
    /// the last, and how many (`(0, 0)` for a document without one).
    pub(super) docs: Vec<(u64, u64)>,
    /// Where the tail starts: the `]` that closes the items.
    pub(super) tail: u64,
}

impl Layout {
    /// Adds a document's items, as `doc_items` made them (each followed by `,\n`).
    pub(super) fn push(&mut self, items: &str, count: usize) {
        self.docs.push(match count {
            0 => (0, 0),
            _ => ((items.len() - BETWEEN.len()) as u64, count as u64),
        });
    }

    /// Where the tail starts in a file of this head and these documents.
    pub(super) fn tail_start(&self) -> u64 {
        let filled = self.docs.iter().filter(|(_, count)| *count > 0);
        let (bytes, n) = filled.fold((0, 0), |(bytes, n), (len, _)| (bytes + len, n + 1));
        match n {
            0 => self.head,
            // The `\n` after the head, each document's items, and each one's line end.
            _ => {
                let ends = BETWEEN.len() as u64 * (n - 1) + AFTER_LAST.len() as u64;
                self.head + AFTER_LAST.len() as u64 + bytes + ends
            }
        }
    }

    /// How many items the file holds.
    pub(super) fn total(&self) -> u64 {
        self.docs.iter().map(|(_, count)| count).sum()
    }

    /// Whether the layout is whole and fits a file of `docs` documents whose head is `head`
    /// bytes long.
    fn fits(&self, docs: usize, head: usize) -> bool {
        self.head == head as u64
            && self.docs.len() == docs
            && (self.docs.iter()).all(|&(len, count)| (len == 0) == (count == 0))
            && self.tail == self.tail_start()
    }
}

/// The layouts `last` kept, a file each, if they are whole and fit the site `paging` cuts into
/// pages: anything else is not used, and every document is rendered again.
pub(super) fn kept(last: &Kept, paging: &Paging) -> Option<Vec<Layout>> {
    let (layouts, rest) = postcard::take_from_bytes::<Vec<Layout>>(last.get(KEPT)?).ok()?;
    let fit = |(page, layout): (usize, &Layout)| layout.fits(paging.docs_of(page).len(), paging.head(page).len());
    let whole = rest.is_empty() && layouts.len() == paging.count() && layouts.iter().enumerate().all(fit);
    whole.then_some(layouts)
}

/// What a build keeps of its layouts for the next.
pub(super) fn to_bytes(layouts: &[Layout]) -> Vec<u8> {
    postcard::to_allocvec(layouts).expect("numbers are always written")
}

/// The files being made again: the last build's layouts, and the items of the documents
/// rendered again, by their place among the documents.
pub(in crate::render) struct Patch {
    last: Vec<Layout>,
    fresh: BTreeMap<usize, (String, usize)>,
}

impl Patch {
    pub(super) fn new(last: Vec<Layout>) -> Patch {
        Patch {
            last,
            fresh: BTreeMap::new(),
        }
    }

    /// Takes in the items of the document at `at` (an extra page's place has none).
    pub(super) fn take_in(&mut self, at: usize, items: (String, usize)) {
        if at < self.last.iter().map(|l| l.docs.len()).sum() {
            self.fresh.insert(at, items);
        }
    }

    /// Writes into `sink` the files whose bytes may change (see the module's documentation),
    /// each as the old file's ranges and the fresh items, its tail made by `paging`. Returns
    /// the new layouts, for the next build.
    pub(super) fn write(self, sink: &dyn Sink, paging: &Paging) -> Result<Vec<Layout>, RenderError> {
        let mut first = 0;
        let now: Vec<Layout> = (self.last.iter())
            .map(|last| {
                let now = self.now(last, first);
                first += last.docs.len();
                now
            })
            .collect();
        let total = |layouts: &[Layout]| layouts.iter().map(Layout::total).sum::<u64>();
        let (total_was, total_now) = (total(&self.last), total(&now));
        let (mut first, mut before_was, mut before_now) = (0, 0, 0);
        for (page, (last, now)) in self.last.iter().zip(&now).enumerate() {
            let docs = first..first + last.docs.len();
            let edited = self.fresh.range(docs).next().is_some();
            let (moved, n) = match page {
                0 => (total_was != total_now, total_now),
                _ => (before_was != before_now, before_now),
            };
            if edited || moved {
                let tail = paging.tail(page, n);
                let mut pieces = pieces(last, now, |at| self.fresh.get(&(first + at)));
                pieces.push(Piece::New(tail.as_bytes()));
                sink.patch(&paging.path(page), &pieces)?;
            }
            first += last.docs.len();
            before_was += last.total();
            before_now += now.total();
        }
        Ok(now)
    }

    /// The new layout of the file `last` was, whose first document is at `first`.
    fn now(&self, last: &Layout, first: usize) -> Layout {
        let mut now = Layout {
            head: last.head,
            docs: Vec::with_capacity(last.docs.len()),
            tail: 0,
        };
        for (at, old) in last.docs.iter().enumerate() {
            match self.fresh.get(&(first + at)) {
                Some((items, count)) => now.push(items, *count),
                None => now.docs.push(*old),
            }
        }
        now.tail = now.tail_start();
        now
    }
}

/// The pieces of a file laid out as `last` was and as `now` is, its tail left out: the head
/// and the separators where the old file has them, each document kept as a range of the old
/// file, and the fresh documents' items (`fresh`, by their place in the file).
fn pieces<'a>(last: &Layout, now: &Layout, fresh: impl Fn(usize) -> Option<&'a (String, usize)>) -> Vec<Piece<'a>> {
    let mut pieces = Pieces::default();
    let (was_last, is_last) = (last_filled(last), last_filled(now));
    pieces.copy(0..last.head);
    let first_line = last.head + AFTER_LAST.len() as u64;
    match (was_last, is_last) {
        (Some(_), Some(_)) => pieces.copy(last.head..first_line),
        (None, Some(_)) => pieces.add(AFTER_LAST),
        _ => {}
    }
    // Where the document's items start in the old file.
    let mut old_at = first_line;
    for (at, (&(old_len, old_count), &(len, count))) in last.docs.iter().zip(&now.docs).enumerate() {
        let start = old_at;
        let old_end = end_of_line(at, was_last);
        if old_count > 0 {
            old_at += old_len + old_end.len() as u64;
        }
        if count == 0 {
            continue;
        }
        let end = end_of_line(at, is_last);
        match fresh(at) {
            Some((items, _)) => {
                pieces.add(&items.as_bytes()[..len as usize]);
                pieces.add(end);
            }
            None => {
                pieces.copy(start..start + len);
                match end == old_end {
                    true => pieces.copy(start + len..start + len + end.len() as u64),
                    false => pieces.add(end),
                }
            }
        }
    }
    pieces.0
}

/// The place of the last document with items, if one has.
fn last_filled(layout: &Layout) -> Option<usize> {
    layout.docs.iter().rposition(|(_, count)| *count > 0)
}

/// What follows the items of the document at `at` in a file whose last document with items
/// is `last`.
fn end_of_line(at: usize, last: Option<usize>) -> &'static [u8] {
    match last == Some(at) {
        true => AFTER_LAST,
        false => BETWEEN,
    }
}

/// Pieces of a file, each range of the old file that follows the one before joined to it: a
/// file with one document edited is five pieces, whatever the number of documents.
#[derive(Default)]
struct Pieces<'a>(Vec<Piece<'a>>);

impl<'a> Pieces<'a> {
    fn copy(&mut self, range: Range<u64>) {
        if range.is_empty() {
            return;
        }
        if let Some(Piece::Old(before)) = self.0.last_mut()
            && before.end == range.start
        {
            before.end = range.end;
            return;
        }
        self.0.push(Piece::Old(range));
    }

    fn add(&mut self, bytes: &'a [u8]) {
        if !bytes.is_empty() {
            self.0.push(Piece::New(bytes));
        }
    }
}
