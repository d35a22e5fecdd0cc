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

use crate::resolve::fold::fold_pattern;
use crate::resolve::reading::Reading;
use std::ops::Range;

pub const MIN_SIMILARITY: f64 = 0.8;
pub const MIN_MARGIN: f64 = 0.1;
pub const MIN_EDGE_SIMILARITY: f64 = 0.6;

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
    candidates(reading, quote).into_iter().next()
}

pub fn relocate(reading: &Reading, quote: &str) -> Relocation {
    let candidates = candidates(reading, quote);
    let Some(first) = candidates.first().cloned() else {
        return Relocation::NoneClose { best: None };
    };
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

/// Every candidate passage with its similarity, best first.
fn candidates(reading: &Reading, quote: &str) -> Vec<(usize, Range<usize>, f64)> {
    let target = fold_pattern(quote.trim());
    let len = target.chars().count();
    if len == 0 {
        return Vec::new();
    }
    let (min, max) = ((len * 3).div_ceil(4), (len * 5) / 4 + 1);
    let first_word = target.split(' ').next().unwrap_or_default();
    let last_word = target.rsplit(' ').next().unwrap_or_default();
    let close = |a: &str, b: &str| strsim::normalized_levenshtein(&fold_pattern(a), b) >= MIN_EDGE_SIMILARITY;
    let mut candidates: Vec<(usize, Range<usize>, f64)> = Vec::new();
    for (b, block) in reading.blocks.iter().enumerate() {
        let text = block.text.as_str();
        let starts: Vec<usize> = word_starts(text)
            .into_iter()
            .filter(|&s| close(text[s..].split(char::is_whitespace).next().unwrap_or(""), first_word))
            .collect();
        let ends: Vec<usize> = word_ends(text)
            .into_iter()
            .filter(|&e| close(text[..e].rsplit(char::is_whitespace).next().unwrap_or(""), last_word))
            .collect();
        for &s in &starts {
            let mut best: Option<(usize, f64)> = None;
            for &e in ends.iter().filter(|&&e| e > s) {
                let n = text[s..e].chars().count();
                if n < min {
                    continue;
                }
                if n > max {
                    break;
                }
                let sim = strsim::normalized_levenshtein(&fold_pattern(&text[s..e]), &target);
                if best.is_none_or(|(_, bs)| sim > bs) {
                    best = Some((e, sim));
                }
            }
            if let Some((e, sim)) = best {
                candidates.push((b, s..e, sim));
            }
        }
    }
    candidates.sort_by(|a, b| {
        b.2.total_cmp(&a.2)
            .then_with(|| (a.0, a.1.start).cmp(&(b.0, b.1.start)))
    });
    candidates
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
