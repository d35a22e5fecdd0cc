//! Where the index's files are cut, and what they are called: rules that an edit of a few pages
//! cannot move far, so that a build after an edit writes the few files whose content changed
//! and finds every other file under its old name (docs/search.md).
//!
//! - **Fragment files** hold the fragments of [`GROUP_PAGES`] pages in a row, by page number:
//!   file `f/K.js` holds pages `K·GROUP_PAGES …`. The set of pages changes only when documents
//!   are added or removed (a build from nothing then), never with an edit. A page whose
//!   fragment reaches [`ALONE_BYTES`] is its own file, `f/pN.js`, and its group holds `0` in its
//!   place: a group stays small however long its pages, and a page growing past the limit
//!   changes its group and its own file only.
//! - **Chunks** of the sorted word list end after a word whose hash makes it a cut once the
//!   chunk holds at least [`CHUNK_MIN`] bytes (the longer a word's postings, the likelier; more
//!   likely again past the middle between the limits), or
//!   before a word that would take it past [`CHUNK_MAX`]. A changed word's postings move the
//!   cuts up to the next word that is a cut either way, usually the chunk's own end. A chunk is
//!   named by a hash of its first word ([`ChunkNames`]), listed in `meta.js`.

/// Pages in a fragment file.
pub const GROUP_PAGES: u32 = 5;

/// A page whose fragment has this many bytes or more is a fragment file of its own: a group
/// of [`GROUP_PAGES`] pages holds at most about five times this.
pub const ALONE_BYTES: usize = 16 * 1024;

/// A chunk ends at a cut word only once it holds this many bytes of words and postings.
pub const CHUNK_MIN: usize = 8 * 1024;

/// A chunk ends before a word that would take it past this many bytes (unless the word is its
/// first: a single word's postings may be longer).
pub const CHUNK_MAX: usize = 48 * 1024;

/// About how many bytes of words and postings lie between two cut words: a word is a cut with
/// a chance of its entry's length in this.
const CUT_SPACING: u64 = 24 * 1024;

/// FNV-1a, 64 bits: a hash written out in file names must stay the same from one glossa to
/// the next, which the build's map hashers do not promise.
pub(super) fn fnv(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The group (fragment file) of a page.
pub(super) fn group_of(page: u32) -> u32 {
    page / GROUP_PAGES
}

/// Whether a page's fragment is a file of its own.
pub(super) fn alone(fragment_len: usize) -> bool {
    fragment_len >= ALONE_BYTES
}

/// The name of a group's fragment file (`f/NAME.js`), and of a page's own.
pub(super) fn group_name(group: u32) -> String {
    group.to_string()
}

pub(super) fn alone_name(page: u32) -> String {
    format!("p{page}")
}

/// The start of a fragment file, `glossaSearch.fragments("NAME",FIRST,[`: the fragments of
/// its pages follow, comma-separated, `0` for a page that is a file of its own, then
/// [`FRAGMENTS_END`].
pub(super) fn fragments_head(name: &str, first: u32) -> String {
    format!("glossaSearch.fragments(\"{name}\",{first},[")
}

pub(super) const FRAGMENTS_END: &str = "]);\n";

/// What a group holds in place of a page that is a file of its own.
pub(super) const ALONE_SLOT: &str = "0";

/// The start of chunk `NAME`'s file: its entries (`"word":[postings]`) follow,
/// comma-separated, then [`CHUNK_END`].
pub(super) fn chunk_head(name: &str) -> String {
    format!("glossaSearch.chunk(\"{name}\",{{")
}

pub(super) const CHUNK_END: &str = "});\n";

/// Cuts the sorted word list into chunks, word by word.
#[derive(Default)]
pub(super) struct ChunkCutter {
    /// Bytes of the chunk being filled: its entries and the commas between them.
    bytes: usize,
    words: usize,
}

/// Where a word goes: whether a chunk ends before it, and whether one ends after it.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Cut {
    pub(super) before: bool,
    pub(super) after: bool,
}

impl ChunkCutter {
    /// The next word, its entry `entry_len` bytes long.
    pub(super) fn next(&mut self, word: &str, entry_len: usize) -> Cut {
        let before = self.words > 0 && self.bytes + 1 + entry_len > CHUNK_MAX;
        if before {
            (self.bytes, self.words) = (0, 0);
        }
        self.bytes += entry_len + usize::from(self.words > 0);
        self.words += 1;
        // Past the middle between the limits, cuts come four times as often: few chunks reach
        // the maximum, where a cut would move with the sizes before it.
        let spacing = match self.bytes >= (CHUNK_MIN + CHUNK_MAX) / 2 {
            true => CUT_SPACING / 4,
            false => CUT_SPACING,
        };
        let after = self.bytes >= CHUNK_MIN && fnv(word.as_bytes()) % spacing < entry_len as u64;
        if after {
            (self.bytes, self.words) = (0, 0);
        }
        Cut { before, after }
    }
}

/// Names chunks by a hash of their first word, in order; two first words of one index that
/// hash alike (one chance in 2^48 a pair) are told apart by a suffix, the later one's.
#[derive(Default)]
pub(super) struct ChunkNames {
    taken: crate::hash::FastSet<String>,
}

impl ChunkNames {
    pub(super) fn name(&mut self, first: &str) -> String {
        let base = format!("{:012x}", fnv(first.as_bytes()) >> 16);
        let mut name = base.clone();
        let mut n = 1;
        while !self.taken.insert(name.clone()) {
            n += 1;
            name = format!("{base}-{n}");
        }
        name
    }
}

/// The chunks of a sorted word list as `[start, end)` word ranges, from each word and its
/// entry's length.
pub(super) fn chunk_ranges<'w>(words: impl Iterator<Item = (&'w str, usize)>) -> Vec<std::ops::Range<usize>> {
    let mut cutter = ChunkCutter::default();
    let (mut out, mut start, mut at) = (Vec::new(), 0, 0);
    for (word, len) in words {
        let cut = cutter.next(word, len);
        if cut.before {
            out.push(start..at);
            start = at;
        }
        at += 1;
        if cut.after {
            out.push(start..at);
            start = at;
        }
    }
    if start < at {
        out.push(start..at);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word_list(n: usize, len: impl Fn(usize) -> usize) -> Vec<(String, usize)> {
        (0..n).map(|i| (format!("w{i:06}"), len(i))).collect()
    }

    fn ranges(words: &[(String, usize)]) -> Vec<std::ops::Range<usize>> {
        chunk_ranges(words.iter().map(|(w, l)| (w.as_str(), *l)))
    }

    /// Chunks stay between the limits, and hold about the spacing past the minimum.
    #[test]
    fn chunks_stay_within_their_limits() {
        let words = word_list(20_000, |i| 10 + (i * 7919) % 90);
        let cut = ranges(&words);
        let sizes: Vec<usize> = (cut.iter())
            .map(|r| words[r.clone()].iter().map(|(_, l)| l + 1).sum::<usize>() - 1)
            .collect();
        assert_eq!(cut.iter().map(|r| r.len()).sum::<usize>(), words.len());
        assert!(
            sizes[..sizes.len() - 1]
                .iter()
                .all(|s| (CHUNK_MIN..=CHUNK_MAX).contains(s)),
            "{sizes:?}"
        );
        let mean = sizes.iter().sum::<usize>() / sizes.len();
        assert!((24 * 1024..40 * 1024).contains(&mean), "mean {mean}");
    }

    /// A word's postings growing or shrinking (or a word added or removed) changes the chunks
    /// around it only: the later chunks are cut where they were, in all but a few cases one
    /// chunk further.
    #[test]
    fn an_edit_moves_few_cuts() {
        let words = word_list(20_000, |i| 10 + (i * 7919) % 90);
        let before = ranges(&words);
        let mut moved_all = Vec::new();
        for n in 0..400usize {
            let at = (n * 4_999) % words.len();
            let change = [400isize, -8, 30, 5_000, -(words[at].1 as isize) + 1][n % 5];
            let mut edited = words.clone();
            edited[at].1 = (edited[at].1 as isize + change) as usize;
            let after = ranges(&edited);
            moved_all.push(after.iter().filter(|r| !before.contains(r)).count());
        }
        let (max, sum) = (moved_all.iter().max().unwrap(), moved_all.iter().sum::<usize>());
        eprintln!("chunks changed per edit: max {max}, mean {}", sum as f64 / 400.0);
        assert!(*max <= 4 && sum <= 2 * 400, "max {max}, mean {}", sum as f64 / 400.0);
        let mut fewer = words.clone();
        fewer.remove(7_000);
        let names = |w: &[(String, usize)], r: &[std::ops::Range<usize>]| -> Vec<String> {
            r.iter().map(|r| w[r.start].0.clone()).collect()
        };
        let (old, new) = (names(&words, &before), names(&fewer, &ranges(&fewer)));
        let moved = new.iter().filter(|f| !old.contains(f)).count();
        assert!(moved <= 3, "{moved} chunks start elsewhere after removing a word");
    }

    /// A word longer than the maximum is a chunk alone, and the words around it are cut there.
    #[test]
    fn a_long_entry_is_a_chunk_of_its_own() {
        let mut words = word_list(300, |_| 100);
        words[150].1 = 3 * CHUNK_MAX;
        let cut = ranges(&words);
        assert!(cut.contains(&(150..151)), "{cut:?}");
    }

    #[test]
    fn fragment_groups_are_by_page_number() {
        assert_eq!(
            (0..12).map(group_of).collect::<Vec<_>>(),
            [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2]
        );
        assert!(!alone(ALONE_BYTES - 1) && alone(ALONE_BYTES));
        assert_eq!(fragments_head(&alone_name(7), 7), "glossaSearch.fragments(\"p7\",7,[");
    }

    #[test]
    fn chunk_names_are_the_first_words_hash_and_never_twice_the_same() {
        let mut names = ChunkNames::default();
        let a = names.name("abend");
        assert_eq!(a.len(), 12);
        assert_eq!(a, format!("{:012x}", fnv(b"abend") >> 16));
        assert_eq!(names.name("abend"), format!("{a}-2"));
        assert_ne!(names.name("aber"), a);
        // FNV-1a's published test vector: the names stay the same from build to build.
        assert_eq!(fnv(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
