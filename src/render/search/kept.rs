//! What the index keeps of a build for the next ([`KeptWriter`], read back as [`KeptIndex`]):
//! every word with its postings and its entry's length, and every page's fragment's length.
//! After an edit, that and the fresh pages alone make the new index ([`Patch`]): the fresh
//! pages' postings replace their old ones, and only the files whose content changed are
//! written; the others are named to the sink as they stand (docs/incremental.md).

use super::PageEntry;
use super::cuts::{self, ChunkNames, chunk_ranges};
use super::index::{Postings, alone_pages, meta_text, numbers, push_entry, push_varint};
use super::words::Folding;
use crate::concat::cat;
use crate::render::{Piece, RenderError, Sink};
use std::collections::BTreeMap;
use std::ops::Range;

/// The blob's first bytes: its format, changed with it.
const MAGIC: &[u8] = b"glossa search index 1\n";

/// Writes the blob: [`MAGIC`]; the digraph flag, the number of items (documents and extra
/// pages), the number of pages and each page's fragment's length; the number of words, then
/// each word (length, bytes), its entry's length and its postings (length, bytes), in word
/// order. Every number is a LEB128 varint.
#[derive(Default)]
pub(super) struct KeptWriter {
    bytes: Vec<u8>,
}

impl KeptWriter {
    pub(super) fn start(&mut self, folding: Folding, items: u32, fragment_lens: &[u32], words: usize) {
        self.bytes.extend_from_slice(MAGIC);
        push_varint(&mut self.bytes, u32::from(folding.digraphs));
        push_varint(&mut self.bytes, items);
        push_varint(&mut self.bytes, fragment_lens.len() as u32);
        for &len in fragment_lens {
            push_varint(&mut self.bytes, len);
        }
        push_varint(&mut self.bytes, words as u32);
    }

    pub(super) fn word(&mut self, word: &str, entry_len: usize, postings: &[u8]) {
        push_varint(&mut self.bytes, word.len() as u32);
        self.bytes.extend_from_slice(word.as_bytes());
        push_varint(&mut self.bytes, entry_len as u32);
        push_varint(&mut self.bytes, postings.len() as u32);
        self.bytes.extend_from_slice(postings);
    }

    pub(super) fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// The index a build kept, read back.
pub(super) struct KeptIndex {
    pub(super) folding: Folding,
    pub(super) items: u32,
    pub(super) fragment_lens: Vec<u32>,
    /// The words, one after the other.
    text: String,
    postings: Vec<u8>,
    words: Vec<KeptWord>,
}

struct KeptWord {
    word: Range<usize>,
    postings: Range<usize>,
    entry_len: usize,
}

/// Reads the blob's numbers and bytes in turn.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn number(&mut self) -> Option<u32> {
        let end = self.0.iter().position(|&b| b < 0x80)? + 1;
        let n = numbers(&self.0[..end]).next()?;
        self.0 = &self.0[end..];
        Some(n)
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let len = self.number()? as usize;
        let (bytes, rest) = self.0.split_at_checked(len)?;
        self.0 = rest;
        Some(bytes)
    }
}

impl KeptIndex {
    /// The blob read back, if it is one, whole and well-formed (its words in order).
    pub(super) fn parse(blob: &[u8]) -> Option<KeptIndex> {
        let mut r = Reader(blob.strip_prefix(MAGIC)?);
        let digraphs = match r.number()? {
            0 => false,
            1 => true,
            _ => return None,
        };
        let items = r.number()?;
        let pages = r.number()?;
        // Each number takes a byte at least: a count larger than what is left is a lie.
        let fragment_lens = (0..pages.min(r.0.len() as u32 + 1))
            .map(|_| r.number())
            .collect::<Option<Vec<u32>>>()?;
        let count = r.number()? as usize;
        let mut index = KeptIndex {
            folding: Folding { digraphs },
            items,
            fragment_lens,
            text: String::new(),
            postings: Vec::new(),
            words: Vec::with_capacity(count.min(r.0.len())),
        };
        for _ in 0..count {
            let word = std::str::from_utf8(r.bytes()?).ok()?;
            let entry_len = r.number()? as usize;
            let postings = r.bytes()?;
            if index
                .words
                .last()
                .is_some_and(|last| index.text[last.word.clone()] >= *word)
            {
                return None;
            }
            let (w, p) = (index.text.len(), index.postings.len());
            index.text.push_str(word);
            index.postings.extend_from_slice(postings);
            index.words.push(KeptWord {
                word: w..index.text.len(),
                postings: p..index.postings.len(),
                entry_len,
            });
        }
        (r.0.is_empty() && index.fragment_lens.len() == pages as usize && items <= pages).then_some(index)
    }

    pub(super) fn pages(&self) -> u32 {
        self.fragment_lens.len() as u32
    }

    fn word(&self, i: usize) -> &str {
        &self.text[self.words[i].word.clone()]
    }

    fn postings_of(&self, i: usize) -> &[u8] {
        &self.postings[self.words[i].postings.clone()]
    }
}

/// A word of the index after the edit: as kept, or with new postings.
struct NewWord<'a> {
    word: &'a str,
    /// The kept word it is, unchanged; `None`: its postings changed, are `fresh`.
    kept: Option<usize>,
    fresh: Vec<u8>,
    entry_len: usize,
}

/// The index of the last build, and the pages rendered again since, in page order.
pub(in crate::render) struct Patch {
    pub(super) kept: KeptIndex,
    pub(super) fresh: Vec<(u32, PageEntry)>,
}

impl Patch {
    /// Writes the files of the new index whose content changed, names the others to `sink`
    /// as they stand, and returns what the next build keeps.
    pub(super) fn finish(self, sink: &dyn Sink) -> Result<Vec<u8>, RenderError> {
        let words = self.merged_words();
        let (firsts, names) = self.chunks(&words, sink)?;
        let mut lens = self.kept.fragment_lens.clone();
        for (page, entry) in &self.fresh {
            lens[*page as usize] = entry.fragment.len() as u32;
        }
        self.fragments(&lens, sink)?;
        let meta = meta_text(
            self.kept.pages(),
            self.kept.folding,
            &firsts,
            &names,
            &alone_pages(&lens),
        );
        sink.put("search/meta.js", meta.as_bytes())?;
        let mut keep = KeptWriter::default();
        keep.start(self.kept.folding, self.kept.items, &lens, words.len());
        for w in &words {
            let postings = w.kept.map_or(&w.fresh[..], |i| self.kept.postings_of(i));
            keep.word(w.word, w.entry_len, postings);
        }
        Ok(keep.into_bytes())
    }

    /// The words after the edit, in order: the kept ones that no fresh page had nor has, as
    /// they were; the others with the fresh pages' postings in place of their old ones (and
    /// none left out).
    fn merged_words(&self) -> Vec<NewWord<'_>> {
        let mut fresh_words: BTreeMap<&str, Vec<(u32, u32)>> = BTreeMap::new();
        for (page, e) in &self.fresh {
            for (&(start, end), &count) in e.spans.iter().zip(&e.counts) {
                fresh_words
                    .entry(&e.words[start as usize..end as usize])
                    .or_default()
                    .push((*page, count));
            }
        }
        let pages: Vec<u32> = self.fresh.iter().map(|(p, _)| *p).collect();
        let kept = &self.kept;
        let mut out = Vec::with_capacity(kept.words.len() + fresh_words.len());
        let mut fresh = fresh_words.into_iter().peekable();
        let mut i = 0;
        loop {
            let old = (i < kept.words.len()).then(|| kept.word(i));
            let new_first = match (old, fresh.peek()) {
                (None, None) => return out,
                (Some(o), Some((f, _))) => *f <= o,
                (None, Some(_)) => true,
                (Some(_), None) => false,
            };
            let (word, pairs, from) = if new_first {
                let (word, pairs) = fresh.next().unwrap_or_default();
                let from = (old == Some(word)).then(|| {
                    i += 1;
                    i - 1
                });
                (word, pairs, from)
            } else {
                i += 1;
                let word = kept.word(i - 1);
                if fresh_pairs(kept.postings_of(i - 1), &pages).is_empty() {
                    out.push(NewWord {
                        word,
                        kept: Some(i - 1),
                        fresh: Vec::new(),
                        entry_len: kept.words[i - 1].entry_len,
                    });
                    continue;
                }
                (word, Vec::new(), Some(i - 1))
            };
            // A page rendered again but unchanged (most are) leaves its words as they were.
            if let Some(i) = from.filter(|&i| fresh_pairs(kept.postings_of(i), &pages) == pairs) {
                out.push(NewWord {
                    word,
                    kept: Some(i),
                    fresh: Vec::new(),
                    entry_len: kept.words[i].entry_len,
                });
                continue;
            }
            let postings = merged_postings(from.map(|i| kept.postings_of(i)), &pages, &pairs);
            if !postings.is_empty() {
                let mut entry = String::new();
                push_entry(&mut entry, word, &postings);
                out.push(NewWord {
                    word,
                    kept: None,
                    fresh: postings,
                    entry_len: entry.len(),
                });
            }
        }
    }

    /// Cuts the words into chunks, writes those whose words or cuts changed and names the
    /// others; returns every chunk's first word and name, for `meta.js`.
    fn chunks<'w>(&self, words: &[NewWord<'w>], sink: &dyn Sink) -> std::io::Result<(Vec<&'w str>, Vec<String>)> {
        let kept = &self.kept;
        let old_ranges = chunk_ranges((0..kept.words.len()).map(|i| (kept.word(i), kept.words[i].entry_len)));
        let mut old_names = ChunkNames::default();
        let old: crate::hash::FastSet<(&str, &str, usize, String)> = (old_ranges.iter())
            .map(|r| {
                let first = kept.word(r.start);
                (first, kept.word(r.end - 1), r.len(), old_names.name(first))
            })
            .collect();
        let mut names = ChunkNames::default();
        let (mut firsts, mut chunk_names) = (Vec::new(), Vec::new());
        for r in chunk_ranges(words.iter().map(|w| (w.word, w.entry_len))) {
            let chunk = &words[r.clone()];
            let (first, last) = (chunk[0].word, chunk[chunk.len() - 1].word);
            let name = names.name(first);
            let path = cat!["search/c/", name, ".js"];
            let head = cuts::chunk_head(&name);
            let same = chunk.iter().all(|w| w.kept.is_some()) && old.contains(&(first, last, r.len(), name.clone()));
            if same {
                let len = head.len() + chunk.iter().map(|w| w.entry_len + 1).sum::<usize>() - 1 + cuts::CHUNK_END.len();
                sink.patch(&path, &[Piece::Old(0..len as u64)])?;
            } else {
                let mut text = head;
                for (n, w) in chunk.iter().enumerate() {
                    if n > 0 {
                        text.push(',');
                    }
                    push_entry(&mut text, w.word, w.kept.map_or(&w.fresh[..], |i| kept.postings_of(i)));
                }
                text.push_str(cuts::CHUNK_END);
                sink.put(&path, text.as_bytes())?;
            }
            firsts.push(first);
            chunk_names.push(name);
        }
        Ok((firsts, chunk_names))
    }

    /// The fragment files: a group or page with a fresh page in it patched from the old file
    /// (the other pages' fragments copied from it) and the fresh fragments; the others named
    /// as they stand.
    fn fragments(&self, lens: &[u32], sink: &dyn Sink) -> std::io::Result<()> {
        let old_lens = &self.kept.fragment_lens;
        let fresh = |page: u32| {
            (self.fresh.binary_search_by_key(&page, |(p, _)| *p)).map_or(None, |i| Some(&self.fresh[i].1.fragment))
        };
        let pages = lens.len() as u32;
        for group in 0..pages.div_ceil(cuts::GROUP_PAGES) {
            let first = group * cuts::GROUP_PAGES;
            let range = first..pages.min(first + cuts::GROUP_PAGES);
            let holds = |lens: &[u32]| range.clone().any(|p| !cuts::alone(lens[p as usize] as usize));
            if !holds(lens) {
                continue;
            }
            let name = cuts::group_name(group);
            let path = cat!["search/f/", name, ".js"];
            let head = cuts::fragments_head(&name, first);
            let mut pieces = Pieces::default();
            // Where each page's place starts in the old file, if there was one.
            let mut old_at = holds(old_lens).then_some(head.len());
            match old_at {
                Some(_) => pieces.old(0..head.len()),
                None => pieces.fresh(head.as_bytes()),
            }
            for p in range.clone() {
                let slot_len = |lens: &[u32]| match cuts::alone(lens[p as usize] as usize) {
                    true => cuts::ALONE_SLOT.len(),
                    false => lens[p as usize] as usize,
                };
                let slot = old_at.map(|at| at..at + slot_len(old_lens));
                if p > first {
                    match &slot {
                        Some(s) => pieces.old(s.start - 1..s.start),
                        None => pieces.fresh(b","),
                    }
                }
                match (fresh(p), slot.clone()) {
                    (_, _) if cuts::alone(lens[p as usize] as usize) => pieces.fresh(cuts::ALONE_SLOT.as_bytes()),
                    (Some(fragment), _) => pieces.fresh(fragment.as_bytes()),
                    (None, Some(slot)) => pieces.old(slot),
                    (None, None) => return Err(std::io::Error::other(format!("{path}: a page is missing"))),
                }
                old_at = slot.map(|s| s.end + 1);
            }
            match old_at {
                Some(at) => pieces.old(at - 1..at - 1 + cuts::FRAGMENTS_END.len()),
                None => pieces.fresh(cuts::FRAGMENTS_END.as_bytes()),
            }
            sink.patch(&path, &pieces.list())?;
        }
        for p in (0..pages).filter(|&p| cuts::alone(lens[p as usize] as usize)) {
            let name = cuts::alone_name(p);
            let path = cat!["search/f/", name, ".js"];
            let head = cuts::fragments_head(&name, p);
            match fresh(p) {
                Some(fragment) => sink.put(&path, cat![head, fragment, cuts::FRAGMENTS_END].as_bytes())?,
                None => {
                    let len = head.len() + lens[p as usize] as usize + cuts::FRAGMENTS_END.len();
                    sink.patch(&path, &[Piece::Old(0..len as u64)])?
                }
            }
        }
        Ok(())
    }
}

/// The `(page, count)` pairs of postings for the fresh `pages` (sorted), in page order.
fn fresh_pairs(postings: &[u8], pages: &[u32]) -> Vec<(u32, u32)> {
    let (mut out, mut page) = (Vec::new(), 0u32);
    let last = pages.last().copied().unwrap_or_default();
    let mut n = numbers(postings);
    while let (Some(delta), Some(count)) = (n.next(), n.next()) {
        page = page.wrapping_add(delta);
        if page > last {
            break;
        }
        if pages.binary_search(&page).is_ok() {
            out.push((page, count));
        }
    }
    out
}

/// A word's postings, `old` without the fresh `pages`, with the fresh pages' `(page, count)`
/// pairs (in page order) in their place.
fn merged_postings(old: Option<&[u8]>, pages: &[u32], fresh: &[(u32, u32)]) -> Vec<u8> {
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    let mut n = numbers(old.unwrap_or_default());
    let mut page = 0u32;
    while let (Some(delta), Some(count)) = (n.next(), n.next()) {
        page = page.wrapping_add(delta);
        if pages.binary_search(&page).is_err() {
            pairs.push((page, count));
        }
    }
    pairs.extend_from_slice(fresh);
    pairs.sort_unstable_by_key(|&(p, _)| p);
    let mut postings = Postings::default();
    for (page, count) in pairs {
        postings.push(page, count);
    }
    postings.bytes
}

/// A patch's pieces as they are found: neighbouring old ranges joined, new bytes gathered.
#[derive(Default)]
struct Pieces {
    list: Vec<Result<Range<u64>, Vec<u8>>>,
}

impl Pieces {
    fn old(&mut self, range: Range<usize>) {
        let range = range.start as u64..range.end as u64;
        match self.list.last_mut() {
            Some(Ok(last)) if last.end == range.start => last.end = range.end,
            _ => self.list.push(Ok(range)),
        }
    }

    fn fresh(&mut self, bytes: &[u8]) {
        match self.list.last_mut() {
            Some(Err(last)) => last.extend_from_slice(bytes),
            _ => self.list.push(Err(bytes.to_vec())),
        }
    }

    fn list(&self) -> Vec<Piece<'_>> {
        (self.list.iter())
            .map(|p| match p {
                Ok(range) => Piece::Old(range.clone()),
                Err(bytes) => Piece::New(bytes),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::search::{IndexBuilder, PageRecord, Section, SectionKind};
    use std::collections::BTreeMap;
    use std::sync::Mutex;

    const DE: Folding = Folding { digraphs: true };

    /// An output in memory: the last build's files, and what this build makes of them.
    #[derive(Default)]
    struct Memory {
        old: BTreeMap<String, Vec<u8>>,
        made: Mutex<BTreeMap<String, Vec<u8>>>,
    }

    impl Sink for Memory {
        fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
            self.made.lock().unwrap().insert(path.to_owned(), bytes.to_vec());
            Ok(())
        }

        fn stream(&self, path: &str) -> std::io::Result<Box<dyn std::io::Write + Send + '_>> {
            Err(std::io::Error::other(format!("{path}: not streamed here")))
        }

        fn patch(&self, path: &str, pieces: &[Piece]) -> std::io::Result<()> {
            let old = self
                .old
                .get(path)
                .ok_or_else(|| std::io::Error::other(format!("no {path}")))?;
            let mut bytes = Vec::new();
            for piece in pieces {
                match piece {
                    Piece::Old(r) => bytes.extend_from_slice(
                        old.get(r.start as usize..r.end as usize)
                            .ok_or_else(|| std::io::Error::other(format!("{path}: {r:?} past the end")))?,
                    ),
                    Piece::New(b) => bytes.extend_from_slice(b),
                }
            }
            self.put(path, &bytes)
        }
    }

    fn record(n: usize, text: &str) -> PageRecord {
        PageRecord {
            title: format!("Seite {n}"),
            url: format!("s{n}/index.html"),
            kind: "document",
            sections: vec![Section {
                anchor: "p-1".into(),
                kind: SectionKind::Text,
                text: text.into(),
            }],
        }
    }

    /// A site's pages: texts of a small vocabulary, a few pages long.
    fn texts(pages: usize) -> Vec<String> {
        let vocabulary = [
            "hund", "katze", "maus", "baum", "haus", "fluss", "berg", "stadt", "wald", "see",
        ];
        (0..pages)
            .map(|n| {
                let words = (0..40 + (n * 37) % 400).map(|i| vocabulary[(n * 7 + i * i) % vocabulary.len()]);
                cat![words.collect::<Vec<_>>().join(" "), " wort", n % 50]
            })
            .collect()
    }

    /// A build from nothing of `texts` (the last `entries` of them being glossary entries):
    /// its files and what it keeps.
    fn whole(texts: &[String], entries: usize) -> (BTreeMap<String, Vec<u8>>, Vec<u8>) {
        let mut index = IndexBuilder::new(DE);
        let mut files = BTreeMap::new();
        for (n, text) in texts.iter().enumerate() {
            for (path, text) in index.add(record(n, text).index_entry(DE)) {
                files.insert(path, text.into_bytes());
            }
        }
        let mut keep = KeptWriter::default();
        let items = (texts.len() - entries) as u32;
        let mut put = |path: String, text: String| {
            files.insert(path, text.into_bytes());
            Ok(())
        };
        index.finish(items, &mut put, Some(&mut keep)).unwrap();
        (files, keep.into_bytes())
    }

    /// The files after editing `edits` of the last build's `files` (kept as `kept`), made by a
    /// patch, and what it keeps.
    fn patched(
        files: &BTreeMap<String, Vec<u8>>,
        kept: &[u8],
        texts: &[String],
        edits: &[usize],
    ) -> (BTreeMap<String, Vec<u8>>, Vec<u8>) {
        let patch = Patch {
            kept: KeptIndex::parse(kept).expect("a kept index"),
            fresh: (edits.iter())
                .map(|&n| (n as u32, record(n, &texts[n]).index_entry(DE)))
                .collect(),
        };
        let sink = Memory {
            old: files.clone(),
            made: Mutex::default(),
        };
        let kept = patch.finish(&sink).unwrap();
        (sink.made.into_inner().unwrap(), kept)
    }

    /// How many files differ between two outputs (added, removed or changed).
    fn changed(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> usize {
        let names: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
        names.into_iter().filter(|n| a.get(*n) != b.get(*n)).count()
    }

    /// Each edit, patched, gives the files and the kept index of a build from nothing, and
    /// changes few files; two edits in a row too (the second patched from the first's keep).
    #[test]
    fn a_patch_makes_what_a_build_from_nothing_makes() {
        let mut texts = texts(200);
        let (mut files, mut kept) = whole(&texts, 20);
        type Change = fn(&mut Vec<String>);
        let edits: [(&str, &[usize], Change); 7] = [
            ("a word no other page has", &[42], |t| t[42].push_str(" einzigartig")),
            ("a word only the page had", &[42], |t| {
                t[42] = t[42].replace(" einzigartig", "")
            }),
            ("a fragment past the limit of a file alone", &[77], |t| {
                t[77] = "lang ".repeat(4000)
            }),
            ("the fragment back under it", &[77], |t| t[77] = "kurz".into()),
            ("the first and the last page", &[0, 179], |t| {
                t[0].push_str(" anfang");
                t[179] = "ende".into();
            }),
            ("every word of a page", &[5], |t| t[5] = "ganz anders als vorher".into()),
            ("two pages in one group", &[10, 11], |t| {
                t[10].push_str(" zehn");
                t[11].push_str(" elf");
            }),
        ];
        for (what, pages, edit) in edits {
            edit(&mut texts);
            let (want, want_kept) = whole(&texts, 20);
            let (made, made_kept) = patched(&files, &kept, &texts, pages);
            let mut got = files.clone();
            // The files the patch did not make are those the sink removes.
            got.retain(|path, _| made.contains_key(path));
            got.extend(made);
            for (path, bytes) in &want {
                assert!(
                    got.get(path) == Some(bytes),
                    "{what}: {path} is not what a build from nothing makes:\n{}\n{}",
                    String::from_utf8_lossy(got.get(path).map_or(&b""[..], |b| b)),
                    String::from_utf8_lossy(bytes)
                );
            }
            assert_eq!(
                got.keys().collect::<Vec<_>>(),
                want.keys().collect::<Vec<_>>(),
                "{what}"
            );
            assert!(made_kept == want_kept, "{what}: the kept index");
            let n = changed(&files, &want);
            eprintln!("{what}: {n} files changed");
            assert!(n <= 12, "{what}: {n} files changed");
            (files, kept) = (want, want_kept);
        }
    }

    #[test]
    fn a_blob_not_whole_is_not_read() {
        let (_, kept) = whole(&texts(30), 3);
        assert!(KeptIndex::parse(&kept).is_some());
        for cut in [0, 5, MAGIC.len(), kept.len() / 2, kept.len() - 1] {
            assert!(KeptIndex::parse(&kept[..cut]).is_none(), "cut at {cut}");
        }
        let mut longer = kept.clone();
        longer.push(0);
        assert!(KeptIndex::parse(&longer).is_none());
        let index = KeptIndex::parse(&kept).unwrap();
        assert_eq!((index.items, index.pages()), (27, 30));
    }
}
