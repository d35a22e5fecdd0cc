//! `annotations.jsonld` after an edit, from what the last build kept (docs/incremental.md).
//!
//! The file is a head, every document's items in document order, and a tail that holds their
//! `total`. A build keeps where each document's items sit in it ([`Layout`]: its length in
//! bytes and how many items it has). The next build, shown only the documents rendered again,
//! writes the file as the old file's ranges of every other document and the fresh items of
//! those ([`Patch`]): no other document is read, and the old bytes are copied by the kernel
//! (`Sink::patch`), never read into memory.
//!
//! The layout, in bytes: the head ends with the `[` that opens the items; when there is at
//! least one item, a `\n` follows it, then each document's items, the documents joined by
//! `,\n`, and a `\n` after the last; then the tail, from the `]` that closes the items.

use crate::render::kept::Kept;
use crate::render::{Piece, RenderError, Sink};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Range;

/// The name of what `annotations.jsonld` keeps (`render::kept`).
pub(super) const KEPT: &str = "annotations";

/// What ends every item the file is made of but the last, and the last: its line's end.
const BETWEEN: &[u8] = b",\n";
const AFTER_LAST: &[u8] = b"\n";

/// Where each document's items sit in the file.
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

    pub(super) fn to_bytes(&self) -> Vec<u8> {
        postcard::to_allocvec(self).expect("numbers are always written")
    }

    /// The layout `last` kept, if it is whole and fits a site of `docs` documents whose head
    /// is `head` bytes long: anything else is not used, and every document is rendered again.
    pub(super) fn kept(last: &Kept, docs: usize, head: usize) -> Option<Layout> {
        let (layout, rest) = postcard::take_from_bytes::<Layout>(last.get(KEPT)?).ok()?;
        let whole = rest.is_empty()
            && layout.head == head as u64
            && layout.docs.len() == docs
            && (layout.docs.iter()).all(|&(len, count)| (len == 0) == (count == 0))
            && layout.tail == layout.tail_start();
        whole.then_some(layout)
    }
}

/// The file being made again: the last build's layout, and the items of the documents rendered
/// again, by their place among the documents.
pub(in crate::render) struct Patch {
    last: Layout,
    fresh: BTreeMap<usize, (String, usize)>,
}

impl Patch {
    pub(super) fn new(last: Layout) -> Patch {
        Patch {
            last,
            fresh: BTreeMap::new(),
        }
    }

    /// Takes in the items of the document at `at` (an extra page's place has none).
    pub(super) fn take_in(&mut self, at: usize, items: (String, usize)) {
        if at < self.last.docs.len() {
            self.fresh.insert(at, items);
        }
    }

    /// Writes the file at `path` into `sink` as the old file's ranges and the fresh items,
    /// its tail made by `tail` from the new total. Returns the new layout, for the next build.
    pub(super) fn write(
        self,
        path: &str,
        sink: &dyn Sink,
        tail: impl FnOnce(u64) -> String,
    ) -> Result<Layout, RenderError> {
        let mut now = Layout {
            head: self.last.head,
            docs: Vec::with_capacity(self.last.docs.len()),
            tail: 0,
        };
        for (at, old) in self.last.docs.iter().enumerate() {
            match self.fresh.get(&at) {
                Some((items, count)) => now.push(items, *count),
                None => now.docs.push(*old),
            }
        }
        now.tail = now.tail_start();
        let tail = tail(now.total());
        let mut pieces = self.pieces(&now);
        pieces.push(Piece::New(tail.as_bytes()));
        sink.patch(path, &pieces)?;
        Ok(now)
    }

    /// The pieces of the new file, its tail left out: the head and the separators where the
    /// old file has them, each document kept as a range of the old file, and the fresh
    /// documents' items.
    fn pieces<'a>(&'a self, now: &Layout) -> Vec<Piece<'a>> {
        let mut pieces = Pieces::default();
        let (was_last, is_last) = (last_filled(&self.last), last_filled(now));
        pieces.copy(0..self.last.head);
        let first_line = self.last.head + AFTER_LAST.len() as u64;
        match (was_last, is_last) {
            (Some(_), Some(_)) => pieces.copy(self.last.head..first_line),
            (None, Some(_)) => pieces.add(AFTER_LAST),
            _ => {}
        }
        // Where the document's items start in the old file.
        let mut old_at = first_line;
        for (at, (&(old_len, old_count), &(len, count))) in self.last.docs.iter().zip(&now.docs).enumerate() {
            let start = old_at;
            let old_end = end_of_line(at, was_last);
            if old_count > 0 {
                old_at += old_len + old_end.len() as u64;
            }
            if count == 0 {
                continue;
            }
            let end = end_of_line(at, is_last);
            match self.fresh.get(&at) {
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
