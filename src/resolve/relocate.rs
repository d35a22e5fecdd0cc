//! Re-anchoring quotes after the text has changed (`glossa check --fix`).
//!
//! Annotation tools that re-anchor by fuzzy search with no minimum score and no margin over
//! the runner-up move notes to the wrong place without a word. Here a quote that no longer
//! matches moves only when exactly one passage is close: its similarity is at least
//! [`MIN_SIMILARITY`] and at least [`MIN_MARGIN`] above every other passage that does not
//! overlap it. Everything else is an orphan, reported and left where it is.
//!
//! Similarity is normalized Levenshtein over characters (1.0 = identical), after folding
//! whitespace runs and quotation marks as quote matching does. Candidates are the passages
//! that start and end at word boundaries, are 3/4 to 5/4 of the quote's length, and begin and
//! end with words close to the quote's first and last words ([`MIN_EDGE_SIMILARITY`]): an
//! edit inside a quote is followed, an edit that changes where it starts or ends is not.
//!
//! The search is bounded. For each candidate start, one pass over the text after it gives the
//! distance of every candidate end at once (`Prefixes`, Myers' bit-vector algorithm: 64
//! characters of the quote in one machine word, so a passage costs its length times the
//! quote's length / 64, where a distance per passage cost that product for each of them). A
//! quote longer than [`MAX_SIMILAR_CHARS`] is not searched at all, and a search that has done
//! `MAX_STEPS` steps of work stops with what it found: a long quote on a text where its
//! first word stands everywhere cannot hold `check` or `serve` up.

use crate::resolve::fold::{fold_pattern, is_double_quote, is_single_quote};
use crate::resolve::reading::Reading;
use std::ops::Range;

pub const MIN_SIMILARITY: f64 = 0.8;
pub const MIN_MARGIN: f64 = 0.1;
pub const MIN_EDGE_SIMILARITY: f64 = 0.6;
/// The longest quote (in characters, folded) that is searched for a similar passage.
pub const MAX_SIMILAR_CHARS: usize = 10_000;
/// How much work one search may do, in steps of 64 characters of the quote against one
/// character of the text: about a tenth of a second.
const MAX_STEPS: u64 = 50_000_000;

#[derive(Clone, Debug, PartialEq)]
pub enum Relocation {
    /// Exactly one close passage: the quote moves there.
    Moved {
        block: usize,
        range: Range<usize>,
        similarity: f64,
    },
    /// No passage is close enough.
    NoneClose { best: Option<(usize, Range<usize>, f64)> },
    /// Two or more passages are about as close.
    Competing {
        first: (usize, Range<usize>, f64),
        second: (usize, Range<usize>, f64),
    },
}

/// The most similar candidate passage, whatever its score: `(block, range, similarity)`.
pub fn most_similar(reading: &Reading, quote: &str) -> Option<(usize, Range<usize>, f64)> {
    candidates(reading, quote).0.into_iter().next()
}

pub fn relocate(reading: &Reading, quote: &str) -> Relocation {
    let (candidates, complete) = candidates(reading, quote);
    let Some(first) = candidates.first().cloned() else {
        return Relocation::NoneClose { best: None };
    };
    // A search cut short may have missed a closer passage or a rival: nothing moves.
    if !complete {
        return Relocation::NoneClose { best: Some(first) };
    }
    let second = candidates
        .iter()
        .find(|c| c.0 != first.0 || c.1.end <= first.1.start || first.1.end <= c.1.start)
        .cloned();
    if first.2 < MIN_SIMILARITY {
        return Relocation::NoneClose { best: Some(first) };
    }
    match second {
        Some(second) if first.2 - second.2 < MIN_MARGIN => Relocation::Competing { first, second },
        _ => Relocation::Moved {
            block: first.0,
            range: first.1,
            similarity: first.2,
        },
    }
}

/// Whether a quote is too long to look for a passage like it ([`MAX_SIMILAR_CHARS`]).
pub fn too_long_to_search(quote: &str) -> bool {
    fold_pattern(quote.trim()).chars().count() > MAX_SIMILAR_CHARS
}

/// Every candidate passage with its similarity, best first, and whether the search was
/// complete (not stopped by [`MAX_STEPS`]). None for a quote longer than [`MAX_SIMILAR_CHARS`].
fn candidates(reading: &Reading, quote: &str) -> (Vec<(usize, Range<usize>, f64)>, bool) {
    let target = fold_pattern(quote.trim());
    let target_chars: Vec<char> = target.chars().collect();
    let len = target_chars.len();
    if len == 0 || too_long_to_search(quote) {
        return (Vec::new(), true);
    }
    let (min, max) = ((len * 3).div_ceil(4), (len * 5) / 4 + 1);
    let first_word = target.split(' ').next().unwrap_or_default();
    let last_word = target.rsplit(' ').next().unwrap_or_default();
    let pattern = Pattern::new(&target_chars);
    let mut steps = 0u64;
    let mut candidates: Vec<(usize, Range<usize>, f64)> = Vec::new();
    'blocks: for (b, block) in reading.blocks.iter().enumerate() {
        let text = block.text.as_str();
        let starts: Vec<usize> = word_starts(text)
            .into_iter()
            .filter(|&s| close_words(text[s..].split(char::is_whitespace).next().unwrap_or(""), first_word))
            .collect();
        let ends: Vec<usize> = word_ends(text)
            .into_iter()
            .filter(|&e| close_words(text[..e].rsplit(char::is_whitespace).next().unwrap_or(""), last_word))
            .collect();
        for &s in &starts {
            steps += (pattern.blocks * max.min(text.len() - s)) as u64;
            if steps > MAX_STEPS {
                break 'blocks;
            }
            let after = &ends[ends.partition_point(|&e| e <= s)..];
            if let Some((e, sim)) = best_end(&pattern, text, s, after, min, max) {
                candidates.push((b, s..e, sim));
            }
        }
    }
    candidates.sort_by(|a, b| {
        b.2.total_cmp(&a.2)
            .then_with(|| (a.0, a.1.start).cmp(&(b.0, b.1.start)))
    });
    (candidates, steps <= MAX_STEPS)
}

/// Whether a word of the text is close to a word of the quote ([`MIN_EDGE_SIMILARITY`]). Two
/// words whose lengths differ by more than that allows are not compared letter by letter.
fn close_words(word: &str, quote_word: &str) -> bool {
    let (a, b) = (word.chars().count(), quote_word.chars().count());
    let (short, long) = (a.min(b) as f64, a.max(b) as f64);
    if long > 0.0 && 1.0 - (long - short) / long < MIN_EDGE_SIMILARITY {
        return false;
    }
    strsim::normalized_levenshtein(&fold_pattern(word), quote_word) >= MIN_EDGE_SIMILARITY
}

/// Of the passages from `s` to one of `ends` (sorted, all after `s`) that are `min..=max`
/// characters long, the most similar to the pattern (the first of equals), with its
/// similarity: normalized Levenshtein between the passage, folded, and the folded quote. One
/// pass over the text from `s`, folding as it goes, gives the distance of every end.
fn best_end(pattern: &Pattern, text: &str, s: usize, ends: &[usize], min: usize, max: usize) -> Option<(usize, f64)> {
    let mut prefixes = pattern.prefixes();
    let mut ends = ends.iter().peekable();
    let (mut chars, mut folded, mut distance, mut in_space) = (0usize, 0usize, pattern.len, false);
    let mut best: Option<(usize, f64)> = None;
    for (k, c) in text[s..].char_indices() {
        chars += 1;
        if chars > max {
            break;
        }
        if c.is_whitespace() {
            if !in_space {
                distance = prefixes.push(' ');
                folded += 1;
            }
            in_space = true;
        } else {
            let c = if is_double_quote(c) {
                '"'
            } else if is_single_quote(c) {
                '\''
            } else {
                c
            };
            distance = prefixes.push(c);
            folded += 1;
            in_space = false;
        }
        let at = s + k + c.len_utf8();
        while ends.next_if(|&&e| e < at).is_some() {}
        if ends.next_if(|&&e| e == at).is_some() && chars >= min {
            let sim = 1.0 - distance as f64 / folded.max(pattern.len) as f64;
            if best.is_none_or(|(_, bs)| sim > bs) {
                best = Some((at, sim));
            }
        }
        if ends.peek().is_none() {
            break;
        }
    }
    best
}

/// A quote prepared for Myers' bit-vector algorithm: for each of its characters, the bits of
/// the positions where it stands, 64 positions a word.
struct Pattern {
    len: usize,
    blocks: usize,
    positions: crate::hash::FastMap<char, Vec<u64>>,
}

impl Pattern {
    fn new(chars: &[char]) -> Pattern {
        let blocks = chars.len().div_ceil(64).max(1);
        let mut positions: crate::hash::FastMap<char, Vec<u64>> = crate::hash::FastMap::default();
        for (i, &c) in chars.iter().enumerate() {
            positions.entry(c).or_insert_with(|| vec![0; blocks])[i / 64] |= 1 << (i % 64);
        }
        Pattern {
            len: chars.len(),
            blocks,
            positions,
        }
    }

    /// The distances of the pattern to the prefixes of a text, as its characters come.
    fn prefixes(&self) -> Prefixes<'_> {
        Prefixes {
            pattern: self,
            plus: vec![!0; self.blocks],
            minus: vec![0; self.blocks],
            distance: self.len,
        }
    }
}

/// The last column of the edit-distance table between a pattern and a growing text, kept as
/// bit-vectors of the vertical differences (+1 in `plus`, −1 in `minus`): Myers (1999), in
/// the block form for patterns longer than 64, with the text's start fixed (a whole-string
/// distance, as strsim's `levenshtein` gives, not a search).
struct Prefixes<'p> {
    pattern: &'p Pattern,
    plus: Vec<u64>,
    minus: Vec<u64>,
    distance: usize,
}

impl Prefixes<'_> {
    /// Adds a character to the text; the distance between the pattern and the text so far.
    fn push(&mut self, c: char) -> usize {
        let eqs = self.pattern.positions.get(&c);
        let last = self.pattern.blocks - 1;
        // The table's top row counts the text's characters: +1 a column.
        let mut carry: i8 = 1;
        for b in 0..=last {
            let (pv, mv) = (self.plus[b], self.minus[b]);
            let mut eq = eqs.map_or(0, |v| v[b]);
            let xv = eq | mv;
            if carry < 0 {
                eq |= 1;
            }
            let xh = ((eq & pv).wrapping_add(pv) ^ pv) | eq;
            let mut ph = mv | !(xh | pv);
            let mut mh = pv & xh;
            let high = if b == last {
                1 << ((self.pattern.len - 1) % 64)
            } else {
                1 << 63
            };
            let out = if ph & high != 0 {
                1
            } else if mh & high != 0 {
                -1
            } else {
                0
            };
            ph <<= 1;
            mh <<= 1;
            if carry < 0 {
                mh |= 1;
            } else if carry > 0 {
                ph |= 1;
            }
            self.plus[b] = mh | !(xv | ph);
            self.minus[b] = ph & xv;
            carry = out;
        }
        self.distance = self.distance.wrapping_add_signed(carry as isize);
        self.distance
    }
}

/// Where a passage may start: after whitespace, or where a word begins after punctuation
/// (so `„Der` offers both `„Der` and `Der`).
fn word_starts(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut prev: Option<char> = None;
    for (i, c) in text.char_indices() {
        let after_space = prev.is_none_or(char::is_whitespace) && !c.is_whitespace();
        let word_begins = c.is_alphanumeric() && !prev.is_some_and(char::is_alphanumeric);
        if after_space || word_begins {
            out.push(i);
        }
        prev = Some(c);
    }
    out
}

/// Where a passage may end: before whitespace, or where a word ends before punctuation.
fn word_ends(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        let before_space = !c.is_whitespace() && next.is_none_or(char::is_whitespace);
        let word_ends = c.is_alphanumeric() && !next.is_some_and(char::is_alphanumeric);
        if before_space || word_ends {
            out.push(i + c.len_utf8());
        }
    }
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::reading::Block;

    fn reading(paragraphs: &[&str]) -> Reading {
        Reading {
            blocks: paragraphs
                .iter()
                .map(|p| Block {
                    text: p.to_string(),
                    ..Block::default()
                })
                .collect(),
            ..Reading::default()
        }
    }

    proptest::proptest! {
        /// The bit-vector distances to every prefix of a text are strsim's, for quotes
        /// shorter and longer than one machine word.
        #[test]
        fn prefix_distances_are_levenshtein(pattern in "[abä ]{1,150}", text in "[abä ]{0,160}") {
            let chars: Vec<char> = pattern.chars().collect();
            let p = Pattern::new(&chars);
            let mut prefixes = p.prefixes();
            for (k, c) in text.char_indices() {
                let end = k + c.len_utf8();
                proptest::prop_assert_eq!(prefixes.push(c), strsim::levenshtein(&pattern, &text[..end]));
            }
        }
    }

    #[test]
    fn a_long_quote_with_a_typo_moves_and_a_huge_one_is_not_searched() {
        // Words of 2 to 8 letters from a fixed pseudo-random sequence, a text of about 16 KB.
        let mut seed = 7u32;
        let mut letter = || {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            (b'a' + (seed >> 16) as u8 % 26) as char
        };
        let words: Vec<String> = (0..3_000).map(|i| (0..2 + i % 7).map(|_| letter()).collect()).collect();
        let text = words.join(" ");
        let r = reading(&[&text]);
        let cut = text[..8_000].rfind(' ').unwrap();
        let mut quote = text[..cut].to_owned();
        quote.replace_range(4_000..4_001, "X");
        let started = std::time::Instant::now();
        match relocate(&r, &quote) {
            Relocation::Moved { range, .. } => assert_eq!(range.start, 0),
            other => panic!("{other:?}"),
        }
        assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
        let huge = "wort1 ".repeat(MAX_SIMILAR_CHARS);
        assert_eq!(most_similar(&r, &huge), None);
    }

    #[test]
    fn a_fixed_typo_moves() {
        let r = reading(&["Eine Gruppe hat Gespräche mit einflussreichen Russen geführt."]);
        match relocate(&r, "Gesprache mit einflusreichen Russen") {
            Relocation::Moved { range, similarity, .. } => {
                assert_eq!(&r.blocks[0].text[range], "Gespräche mit einflussreichen Russen");
                assert!(similarity > 0.9);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_inserted_word_moves() {
        let r = reading(&["Eine Gruppe hat Gespräche mit sehr einflussreichen Russen geführt."]);
        assert!(matches!(
            relocate(&r, "Gespräche mit einflussreichen Russen"),
            Relocation::Moved { .. }
        ));
    }

    #[test]
    fn a_rewritten_sentence_is_an_orphan() {
        let r = reading(&["Später am Tag kam keine Antwort aus Moskau."]);
        assert!(matches!(
            relocate(&r, "Gespräche mit einflussreichen Russen"),
            Relocation::NoneClose { .. }
        ));
    }

    #[test]
    fn two_close_passages_compete() {
        let r = reading(&[
            "Gespräche mit einflussreichen Russen.",
            "Noch einmal: Gespräche mit einflussreichen Russen.",
        ]);
        assert!(matches!(
            relocate(&r, "Gesprache mit einflussreichen Russen"),
            Relocation::Competing { .. }
        ));
    }
}
