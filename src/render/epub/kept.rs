//! The book after an edit, from what the last build kept (docs/incremental.md).
//!
//! A build keeps the book's place and time and, chapter by chapter in the book's order, the
//! images each one shows ([`KeptBook`]). The next build, shown only the documents rendered
//! again, makes their chapters anew and copies every other chapter from the book the output
//! holds, compressed as it stands there (`Container::copy`): an entry copied gives the bytes
//! the same entry made again gives, so the book is the one a build from nothing makes. The
//! glossary, the navigation and the package document are made again, as always.

use super::links::chapter_file;
use super::{Plan, TocItem};
use crate::render::LastFile;
use crate::render::output::Kind;
use crate::resolve::Site;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The name of what the book keeps (`render::kept`).
pub(super) const KEPT: &str = "book";

/// What a build keeps of its book.
#[derive(Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct KeptBook {
    /// Where the book is in the output, and the time of its entries (`dcterms:modified`):
    /// a book elsewhere, or of another time, is made again whole.
    pub(super) path: String,
    pub(super) modified: String,
    /// Each chapter's slug, in the book's order, with the images of content/static/ it shows.
    pub(super) chapters: Vec<(String, Vec<String>)>,
}

impl KeptBook {
    pub(super) fn encode(&self) -> Vec<u8> {
        // A plain struct of strings: postcard cannot fail on it.
        postcard::to_allocvec(self).unwrap_or_default()
    }

    /// The kept book, if `bytes` are one and it is the book `plan` makes, with the same
    /// chapters in the same order.
    pub(super) fn of(bytes: &[u8], plan: &Plan, site: &Site) -> Option<KeptBook> {
        let kept: KeptBook = postcard::from_bytes(bytes).ok()?;
        let order = order(site, plan);
        let same = kept.path == plan.path
            && kept.modified == plan.modified
            && kept.chapters.len() == order.len()
            && (kept.chapters.iter().zip(&order)).all(|((slug, _), (_, placed))| *slug == placed.toc.slug);
        same.then_some(kept)
    }
}

/// A chapter of the book as its contents list it, with its notes and occurrences (counted).
#[derive(Clone)]
pub(super) struct Placed {
    pub(super) toc: TocItem,
    pub(super) notes: usize,
    pub(super) occurrences: usize,
}

/// The book's chapters in its order, each with its item's place in the pass (documents, then
/// extra pages): the order in which a build from nothing takes them in.
pub(super) fn order(site: &Site, plan: &Plan) -> Vec<(usize, Placed)> {
    let docs = site.docs.iter().map(|d| (Kind::Document, d));
    let pages = site.pages.iter().map(|p| (Kind::Page, p));
    (docs.chain(pages))
        .enumerate()
        .filter(|(_, (_, rd))| plan.chapters.contains(rd.doc.slug.as_str()))
        .map(|(at, (kind, rd))| {
            let toc = TocItem {
                slug: rd.doc.slug.clone(),
                title: rd.doc.title.clone(),
                kind,
            };
            let placed = Placed {
                toc,
                notes: rd.notes,
                occurrences: rd.occurrences.len(),
            };
            (at, placed)
        })
        .collect()
}

/// The last build's book, being copied from: its entries, the images of each chapter, and
/// how far the new book has come in the chapters' order.
pub(super) struct LastBook<'s> {
    pub(super) archive: zip::ZipArchive<Box<dyn LastFile + 's>>,
    images: HashMap<String, Vec<String>>,
    order: Vec<(usize, Placed)>,
    next: usize,
}

/// A chapter to copy from the last book: its entry's name, what the contents list say of it,
/// and its images.
pub(super) struct Copied {
    pub(super) entry: String,
    pub(super) placed: Placed,
    pub(super) images: Vec<String>,
}

impl<'s> LastBook<'s> {
    pub(super) fn open(
        file: Box<dyn LastFile + 's>,
        kept: KeptBook,
        site: &Site,
        plan: &Plan,
    ) -> std::io::Result<LastBook<'s>> {
        Ok(LastBook {
            archive: zip::ZipArchive::new(file).map_err(std::io::Error::other)?,
            images: kept.chapters.into_iter().collect(),
            order: order(site, plan),
            next: 0,
        })
    }

    /// The chapters to copy before the item at `at` of the pass (all that are left, for
    /// `usize::MAX`); the chapter of the item itself, made again, is passed over.
    pub(super) fn before(&mut self, at: usize) -> Vec<Copied> {
        let mut copied = Vec::new();
        while let Some((place, placed)) = self.order.get(self.next) {
            if *place > at {
                break;
            }
            self.next += 1;
            if *place < at {
                let slug = &placed.toc.slug;
                copied.push(Copied {
                    entry: crate::concat::cat!["EPUB/", chapter_file(slug)],
                    images: self.images.remove(slug).unwrap_or_default(),
                    placed: placed.clone(),
                });
            }
        }
        copied
    }
}
