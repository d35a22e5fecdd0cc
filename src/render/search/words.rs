//! Search's words: how text is folded ([`Folding`], [`fold`]), what a word is ([`words`]), and
//! the counting of a page's words in one pass over its text ([`WordCounter`]). `search.js`
//! runs the same rules on a query.

use std::hash::BuildHasher;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// How text is folded for search: the same rules run in `search.js`.
#[derive(Clone, Copy, Debug, Default)]
pub struct Folding {
    /// German digraphs `ae`, `oe`, `ue` fold to `a`, `o`, `u`, as `ä`, `ö`, `ü` do: `Mueller`
    /// finds `Müller`. On for sites whose language is German.
    pub digraphs: bool,
}

impl Folding {
    pub fn for_lang(lang: &str) -> Self {
        let primary = lang.split(['-', '_']).next().unwrap_or("");
        Folding {
            digraphs: primary.eq_ignore_ascii_case("de"),
        }
    }

    /// The rules for a site: German rules when the site or any of its documents is German
    /// (one index serves every page, so the rules are the site's, not a page's).
    pub fn for_site<'a>(site_lang: &'a str, doc_langs: impl IntoIterator<Item = &'a str>) -> Self {
        let german = std::iter::once(site_lang)
            .chain(doc_langs)
            .any(|l| Folding::for_lang(l).digraphs);
        Folding { digraphs: german }
    }
}

/// Lower case, without diacritics, `ß` as `ss`: `Außenminister` → `aussenminister`. These are
/// the rules `search.js` mirrors; `WordCounter` applies them as it reads a page.
pub fn fold(s: &str, folding: Folding) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else {
            fold_other(c, &mut out);
        }
    }
    if folding.digraphs {
        fold_digraphs(&mut out);
    }
    out
}

/// Folds a character outside ASCII into `out`: from the table for Latin letters, by the
/// general rules for the rest.
pub(super) fn fold_other(c: char, out: &mut String) {
    match latin(c) {
        Some(folded) => out.push_str(&folded.text),
        None => fold_char(c, out),
    }
}

/// Code points below this are folded once, into a table: the Latin letters of most European
/// languages.
pub(super) const LATIN_END: u32 = 0x250;

/// General punctuation (spaces, dashes, quotation marks, `…`): never part of a word, folded or
/// not, so [`WordCounter`] ends the word there without folding.
pub(super) const PUNCTUATION: std::ops::RangeInclusive<char> = '\u{2000}'..='\u{206F}';

/// A character of the Latin table, folded.
pub(super) struct LatinFold {
    pub(super) text: String,
    /// Whether what it folds to is letters and digits only (`ä` → `a`), none of them (`×`),
    /// or both.
    pub(super) shape: Shape,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    Word,
    Break,
    Mixed,
}

/// The folding of `c` from the table, if it is non-ASCII Latin.
pub(super) fn latin(c: char) -> Option<&'static LatinFold> {
    static TABLE: std::sync::OnceLock<Vec<LatinFold>> = std::sync::OnceLock::new();
    let i = (c as u32).checked_sub(0x80).filter(|&i| i < LATIN_END - 0x80)?;
    let table = TABLE.get_or_init(|| {
        (0x80..LATIN_END)
            .map(|u| {
                let mut text = String::new();
                if let Some(c) = char::from_u32(u) {
                    fold_char(c, &mut text);
                }
                // Nothing at all is a word's part too: the word goes on.
                let shape = match (text.chars().all(is_word_char), text.chars().any(is_word_char)) {
                    (true, _) => Shape::Word,
                    (false, false) => Shape::Break,
                    (false, true) => Shape::Mixed,
                };
                LatinFold { text, shape }
            })
            .collect()
    });
    Some(&table[i as usize])
}

pub(super) fn fold_char(c: char, out: &mut String) {
    for c in c.to_lowercase().nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'ß' => out.push_str("ss"),
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            'ø' => out.push('o'),
            'đ' => out.push('d'),
            'ł' => out.push('l'),
            'þ' => out.push_str("th"),
            'ı' => out.push('i'),
            // A final sigma is a sigma (JavaScript's toLowerCase writes `ς` at a word's end).
            'ς' => out.push('σ'),
            c => out.push(c),
        }
    }
}

/// `ae`, `oe`, `ue` → `a`, `o`, `u`, scanning left to right without overlaps (as a global
/// regex replace of `/ae|oe|ue/` does). Without overlaps, an `e` goes exactly when the letter
/// before it in the text is `a`, `o` or `u`: that letter is never an `e`, so it always stays.
pub(super) fn fold_digraphs(s: &mut String) {
    // Byte by byte: the letters are ASCII, and an ASCII byte is never part of another
    // character, so dropping one leaves valid UTF-8.
    let mut bytes = std::mem::take(s).into_bytes();
    fold_digraph_bytes(&mut bytes);
    *s = String::from_utf8(bytes).unwrap_or_default();
}

/// [`fold_digraphs`] on the bytes of text.
pub(super) fn fold_digraph_bytes(bytes: &mut Vec<u8>) {
    let mut after_vowel = false;
    bytes.retain(|&b| {
        let dropped = after_vowel && b == b'e';
        after_vowel = is_digraph_vowel(b);
        !dropped
    });
}

/// The first letters of the digraphs: `a`, `o`, `u`.
fn is_digraph_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'o' | b'u')
}

/// Words are cut to this many characters (after folding), as `search.js` cuts a query's words:
/// a run of letters hundreds of kilobytes long would otherwise be a chunk of its own, and the
/// first word of every chunk is in `meta.js`, which every query loads. Cut words still find
/// themselves, as a query for the whole word is cut the same way.
pub const WORD_CHARS: usize = 64;

/// The words of folded text: runs of letters and digits, each cut to [`WORD_CHARS`].
pub fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
        .map(|w| &w[..capped_len(w)])
}

/// The length in bytes of `word` cut to [`WORD_CHARS`] characters.
pub(super) fn capped_len(word: &str) -> usize {
    capped_len_of_bytes(word.as_bytes())
}

/// [`capped_len`] of the bytes of text: a character starts at each byte that does not go on
/// one before it (`10xxxxxx`).
fn capped_len_of_bytes(word: &[u8]) -> usize {
    // Fewer bytes than the cap are fewer characters: the common case needs no count.
    if word.len() <= WORD_CHARS {
        return word.len();
    }
    let mut starts = (word.iter().enumerate()).filter(|&(_, &b)| b & 0xC0 != 0x80);
    starts.nth(WORD_CHARS).map_or(word.len(), |(i, _)| i)
}

/// Letters and digits: what words are made of.
pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric()
}

/// Each ASCII letter or digit lowered, 0 for every other byte: the inner loop of
/// [`WordCounter::add`].
pub(super) static ASCII_WORD: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        if (b as u8).is_ascii_alphanumeric() {
            table[b] = (b as u8).to_ascii_lowercase();
        }
        b += 1;
    }
    table
};

/// The hash of a folded word, by which a page's words and the index's are found: one hash
/// for both, so that a word is hashed once.
pub(super) fn word_hash(word: &[u8]) -> u64 {
    foldhash::fast::FixedState::default().hash_one(word)
}

/// Whether two words are the same, compared in place: words are short, shorter than a call to
/// compare them would be worth, so they are compared eight bytes at a time (the last eight
/// overlapping the others), or four, or one.
pub(super) fn same_word(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    let eight = |i: usize| a[i..].first_chunk::<8>() == b[i..].first_chunk::<8>();
    let four = |i: usize| a[i..].first_chunk::<4>() == b[i..].first_chunk::<4>();
    match n {
        0..4 => a.iter().zip(b).all(|(x, y)| x == y),
        4..8 => four(0) && four(n - 4),
        _ => (0..n - 8).step_by(8).all(eight) && eight(n - 8),
    }
}

/// The first bytes of the two-byte characters of the Latin table (U+0080 to U+024F).
const TWO_BYTE_LEADS: std::ops::RangeInclusive<u8> = 0xC2..=0xC9;

/// For each two-byte character of the Latin table that folds to one ASCII letter or digit
/// (`ä` → `a`), that letter, 0 for the others: indexed by the first byte's place among
/// [`TWO_BYTE_LEADS`] and the last six bits of the second.
pub(super) fn two_byte_letters() -> &'static [u8; 512] {
    static TABLE: std::sync::OnceLock<[u8; 512]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = [0; 512];
        for (i, letter) in table.iter_mut().enumerate() {
            let c = char::from_u32(0x80 + i as u32).and_then(latin);
            if let Some(LatinFold {
                text,
                shape: Shape::Word,
            }) = c
                && let [b] = text.as_bytes()
                && b.is_ascii()
            {
                *letter = *b;
            }
        }
        table
    })
}

/// Counts the words of a page in one pass over its text: each character is folded as [`fold`]
/// does, runs of letters and digits are words as [`words`] finds them, and each word, with
/// its digraphs folded, is counted where it first stood. The same as folding, splitting and
/// counting in turn, without the folded copy of the text.
pub(super) struct WordCounter {
    pub(super) folding: Folding,
    /// Each word once, in the order met, each followed by a line break: whole characters only
    /// (valid UTF-8), as only whole folded characters join a word and words are cut between them.
    pub(super) words: Vec<u8>,
    /// Where each word stands in `words`.
    pub(super) spans: Vec<(u32, u32)>,
    pub(super) counts: Vec<u32>,
    /// Each word's hash, kept for the index, which finds the word by it (`IndexBuilder::add`),
    /// and for this table when it grows.
    pub(super) hashes: Vec<u64>,
    /// The words' numbers, by the hash of the word.
    pub(super) table: hashbrown::HashTable<u32>,
    /// The word being read, folded so far: whole characters.
    pub(super) word: Vec<u8>,
    /// Whether the last letter of the word so far is `a`, `o` or `u`, and whether an `e` came
    /// after one: the digraphs are noted as the letters come, not looked for after.
    pub(super) after_vowel: bool,
    pub(super) digraph: bool,
    /// One character outside ASCII, folded (a buffer kept for reuse).
    pub(super) folded: String,
}

impl WordCounter {
    pub(super) fn new(folding: Folding, capacity: usize) -> Self {
        WordCounter {
            folding,
            words: Vec::with_capacity(capacity * 8),
            spans: Vec::with_capacity(capacity),
            counts: Vec::with_capacity(capacity),
            hashes: Vec::with_capacity(capacity),
            table: hashbrown::HashTable::with_capacity(capacity),
            word: Vec::new(),
            after_vowel: false,
            digraph: false,
            folded: String::new(),
        }
    }

    /// Counts the words of `text`, each `weight` times.
    pub(super) fn add(&mut self, text: &str, weight: u32) {
        let bytes = text.as_bytes();
        let two_byte = two_byte_letters();
        let mut i = 0;
        while i < bytes.len() {
            // A run of characters that each fold to one ASCII letter or digit (ASCII letters
            // and digits, most Latin letters with diacritics) joins the word without being
            // decoded, noting digraphs as it goes.
            let (mut after_vowel, mut digraph) = (self.after_vowel, self.digraph);
            while let Some(&b) = bytes.get(i) {
                let (letter, len) = match ASCII_WORD[b as usize] {
                    0 => match bytes.get(i + 1) {
                        Some(&next) if (TWO_BYTE_LEADS).contains(&b) => (
                            two_byte[usize::from(b - TWO_BYTE_LEADS.start()) << 6 | usize::from(next & 0x3F)],
                            2,
                        ),
                        _ => break,
                    },
                    lower => (lower, 1),
                };
                if letter == 0 {
                    break;
                }
                digraph |= after_vowel & (letter == b'e');
                after_vowel = is_digraph_vowel(letter);
                self.word.push(letter);
                i += len;
            }
            (self.after_vowel, self.digraph) = (after_vowel, digraph);
            let Some(&b) = bytes.get(i) else { break };
            if b.is_ascii() {
                self.end(weight);
                i += 1;
                continue;
            }
            let Some(c) = text[i..].chars().next() else { break };
            i += c.len_utf8();
            // What the other characters fold to is known for the Latin ones, and for general
            // punctuation: only the others are folded here, a character at a time.
            match latin(c) {
                Some(f) if f.shape == Shape::Word => self.push_letters(f.text.bytes()),
                Some(f) if f.shape == Shape::Break => self.end(weight),
                Some(f) => {
                    for f in f.text.chars() {
                        self.push(f, weight);
                    }
                }
                None if PUNCTUATION.contains(&c) => self.end(weight),
                None => {
                    let mut folded = std::mem::take(&mut self.folded);
                    folded.clear();
                    fold_char(c, &mut folded);
                    for f in folded.chars() {
                        self.push(f, weight);
                    }
                    self.folded = folded;
                }
            }
        }
        self.end(weight);
    }

    /// Adds folded letters (the bytes of whole characters) to the word, noting digraphs.
    fn push_letters(&mut self, letters: impl ExactSizeIterator<Item = u8>) {
        self.word.reserve(letters.len());
        let (mut after_vowel, mut digraph) = (self.after_vowel, self.digraph);
        for b in letters {
            digraph |= after_vowel & (b == b'e');
            after_vowel = is_digraph_vowel(b);
            self.word.push(b);
        }
        (self.after_vowel, self.digraph) = (after_vowel, digraph);
    }

    pub(super) fn push(&mut self, folded: char, weight: u32) {
        if is_word_char(folded) {
            self.push_letters(folded.encode_utf8(&mut [0; 4]).bytes());
        } else {
            self.end(weight);
        }
    }

    /// Counts the word read so far, if there is one.
    pub(super) fn end(&mut self, weight: u32) {
        if self.word.is_empty() {
            return;
        }
        if self.folding.digraphs && self.digraph {
            fold_digraph_bytes(&mut self.word);
        }
        (self.after_vowel, self.digraph) = (false, false);
        self.word.truncate(capped_len_of_bytes(&self.word));
        let (words, spans) = (&self.words, &self.spans);
        let word = &self.word[..];
        let hash = word_hash(word);
        let text = |i: u32| {
            let (start, end) = spans[i as usize];
            &words[start as usize..end as usize]
        };
        match self.table.find(hash, |&i| same_word(text(i), word)) {
            Some(&i) => self.counts[i as usize] += weight,
            None => {
                let i = self.counts.len() as u32;
                self.hashes.push(hash);
                let hashes = &self.hashes;
                self.table.insert_unique(hash, i, |&i| hashes[i as usize]);
                let start = self.words.len() as u32;
                self.words.extend_from_slice(word);
                self.spans.push((start, self.words.len() as u32));
                self.words.push(b'\n');
                self.counts.push(weight);
            }
        }
        self.word.clear();
    }
}
