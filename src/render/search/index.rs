//! The index of a whole site, page by page: the word → postings map, the fragment files as
//! their groups fill, then the chunks and `meta.js` (docs/search.md); and what the next build
//! keeps of it (`kept`).

use super::PageEntry;
use super::cuts::{self, ChunkCutter, ChunkNames};
use super::kept::KeptWriter;
use super::words::{Folding, same_word};
use crate::concat::cat;

/// A word's postings as the chunks write them, `page delta, count, page delta, count, …`,
/// each number as a LEB128 varint: most take one byte, so a large site's postings take a
/// third of the memory of `(u32, u32)` pairs.
#[derive(Default)]
pub(super) struct Postings {
    last_page: u32,
    pub(super) bytes: Vec<u8>,
}

impl Postings {
    pub(super) fn push(&mut self, page: u32, count: u32) {
        let delta = page - self.last_page;
        self.last_page = page;
        push_varint(&mut self.bytes, delta);
        push_varint(&mut self.bytes, count);
    }
}

pub(super) fn push_varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// The numbers of LEB128 varints, in order; they end where the bytes do (or at a number too
/// large for 32 bits, which no index writes).
pub(super) fn numbers(bytes: &[u8]) -> impl Iterator<Item = u32> + '_ {
    let mut bytes = bytes.iter();
    std::iter::from_fn(move || {
        let (mut n, mut shift) = (0u32, 0);
        loop {
            let b = *bytes.next()?;
            if shift > 28 {
                return None;
            }
            n |= u32::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(n);
            }
            shift += 7;
        }
    })
}

/// A word's entry in a chunk: `"word":[numbers]`.
pub(super) fn push_entry(out: &mut String, word: &str, postings: &[u8]) {
    crate::render::jsonld::push_json_string(out, word);
    out.push_str(":[");
    let mut digits = itoa::Buffer::new();
    for (i, n) in numbers(postings).enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(digits.format(n));
    }
    out.push(']');
}

/// `meta.js`: what every query loads first.
pub(super) fn meta_text(pages: u32, folding: Folding, firsts: &[&str], names: &[String], alone: &[u32]) -> String {
    let meta = serde_json::json!({
        "version": 3,
        "pages": pages,
        "digraphs": folding.digraphs,
        "chunks": firsts,
        "chunk_files": names,
        "group": cuts::GROUP_PAGES,
        "alone": alone,
    });
    format!("glossaSearch.meta({meta});\n")
}

/// The word → postings map and the fragment files, filled page by page in page order.
#[derive(Default)]
pub(in crate::render) struct IndexBuilder {
    folding: Folding,
    pages: u32,
    /// For each word, its postings so far, found by the hash the page's `WordCounter` gave it.
    words: hashbrown::HashTable<IndexWord>,
    /// The fragments of the group being filled, comma-separated.
    group: String,
    /// Whether a page of that group is in it (not a file of its own).
    group_holds: bool,
    /// Every page's fragment's length, for the next build (`kept`).
    fragment_lens: Vec<u32>,
}

/// A word of the index with its hash and its postings so far.
struct IndexWord {
    hash: u64,
    word: String,
    postings: Postings,
}

/// A file of the index: its path under the output, and its text.
pub(super) type File = (String, String);

impl IndexBuilder {
    pub(super) fn new(folding: Folding) -> Self {
        IndexBuilder {
            folding,
            ..Default::default()
        }
    }

    /// Adds the next page. Returns the fragment files it completes: its own, when it is a file
    /// of its own, and its group's, when it is the group's last page.
    pub(super) fn add(&mut self, entry: PageEntry) -> Vec<File> {
        let page = self.pages;
        self.pages += 1;
        for ((&(start, end), count), hash) in entry.spans.iter().zip(entry.counts).zip(entry.hashes) {
            let word = &entry.words[start as usize..end as usize];
            // A word met before (most are) is looked up without being copied.
            match self
                .words
                .find_mut(hash, |w| same_word(w.word.as_bytes(), word.as_bytes()))
            {
                Some(w) => w.postings.push(page, count),
                None => {
                    let mut postings = Postings::default();
                    postings.push(page, count);
                    let word = word.to_owned();
                    self.words
                        .insert_unique(hash, IndexWord { hash, word, postings }, |w| w.hash);
                }
            }
        }
        self.fragment_lens.push(entry.fragment.len() as u32);
        let mut files = Vec::new();
        if !page.is_multiple_of(cuts::GROUP_PAGES) {
            self.group.push(',');
        }
        if cuts::alone(entry.fragment.len()) {
            self.group.push_str(cuts::ALONE_SLOT);
            let name = cuts::alone_name(page);
            files.push(fragment_file(&name, page, &entry.fragment));
        } else {
            self.group.push_str(&entry.fragment);
            self.group_holds = true;
        }
        if (page + 1).is_multiple_of(cuts::GROUP_PAGES) {
            files.extend(self.flush_group());
        }
        files
    }

    /// The group being filled as its file, if a page of it is in it.
    fn flush_group(&mut self) -> Option<File> {
        let group = cuts::group_of(self.pages - 1);
        let file = self
            .group_holds
            .then(|| fragment_file(&cuts::group_name(group), group * cuts::GROUP_PAGES, &self.group));
        self.group.clear();
        self.group_holds = false;
        file
    }

    /// The last fragment file, the chunks and the meta file, each handed to `put` as soon as
    /// it is made, so that no more than one chunk is held at a time; with `keep`, what a later
    /// build needs to make them again without the other pages, written into it (`kept`).
    pub(super) fn finish(
        mut self,
        items: u32,
        put: &mut dyn FnMut(String, String) -> std::io::Result<()>,
        mut keep: Option<&mut KeptWriter>,
    ) -> std::io::Result<()> {
        if !self.pages.is_multiple_of(cuts::GROUP_PAGES)
            && let Some((path, text)) = self.flush_group()
        {
            put(path, text)?;
        }
        // The words in order, by reference: the map stays as it is, and no second copy of it is made.
        let mut words: Vec<(&str, &[u8])> = (self.words.iter())
            .map(|w| (w.word.as_str(), &w.postings.bytes[..]))
            .collect();
        words.sort_unstable_by_key(|&(word, _)| word);
        if let Some(k) = keep.as_deref_mut() {
            k.start(self.folding, items, &self.fragment_lens, words.len());
        }
        let (mut cutter, mut names) = (ChunkCutter::default(), ChunkNames::default());
        let (mut firsts, mut chunk_names) = (Vec::new(), Vec::new());
        let (mut chunk, mut entry) = (String::new(), String::new());
        let mut flush = |chunk: &mut String, chunk_names: &Vec<String>| -> std::io::Result<()> {
            if chunk.is_empty() {
                return Ok(());
            }
            let name = chunk_names.last().map_or("", String::as_str);
            chunk.push_str(cuts::CHUNK_END);
            put(cat!["search/c/", name, ".js"], std::mem::take(chunk))
        };
        for (word, postings) in words.iter().copied() {
            entry.clear();
            push_entry(&mut entry, word, postings);
            if let Some(k) = keep.as_deref_mut() {
                k.word(word, entry.len(), postings);
            }
            let cut = cutter.next(word, entry.len());
            if cut.before {
                flush(&mut chunk, &chunk_names)?;
            }
            if chunk.is_empty() {
                firsts.push(word);
                chunk_names.push(names.name(word));
                chunk.push_str(&cuts::chunk_head(chunk_names.last().map_or("", String::as_str)));
            } else {
                chunk.push(',');
            }
            chunk.push_str(&entry);
            if cut.after {
                flush(&mut chunk, &chunk_names)?;
            }
        }
        flush(&mut chunk, &chunk_names)?;
        let alone = alone_pages(&self.fragment_lens);
        let meta = meta_text(self.pages, self.folding, &firsts, &chunk_names, &alone);
        put("search/meta.js".to_owned(), meta)
    }
}

/// The pages that are fragment files of their own.
pub(super) fn alone_pages(fragment_lens: &[u32]) -> Vec<u32> {
    (0..fragment_lens.len() as u32)
        .filter(|&p| cuts::alone(fragment_lens[p as usize] as usize))
        .collect()
}

/// A fragment file: `slots` are its pages' fragments (or `0`s), comma-separated.
fn fragment_file(name: &str, first: u32, slots: &str) -> File {
    let text = cat![cuts::fragments_head(name, first), slots, cuts::FRAGMENTS_END];
    (cat!["search/f/", name, ".js"], text)
}
