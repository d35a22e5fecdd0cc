//! The shortest selector that finds one match of a quote and no other: the quote as the text
//! spells it, and a picker only where the quote occurs more than once — the shorter of a
//! prefix and a suffix that leave one match (widened to whole words), else its occurrence.
//!
//! Two callers know which match they mean and want it written down: `serve`'s editor (a
//! selection made in a page) and `glossa import` (an annotation made elsewhere, placed by its
//! context). Pure.

use super::fold::{Folded, is_cluster_boundary, needs_strict, strict_eq};
use super::reading::Reading;

/// A match of a quote: the block and its folded range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Hit {
    pub(crate) block: usize,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// The selector of one match.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Picked {
    pub(crate) quote: String,
    pub(crate) prefix: Option<String>,
    pub(crate) suffix: Option<String>,
    pub(crate) occurrence: Option<usize>,
}

/// Every match of the folded `pattern` in text order, overlapping ones included, that starts
/// and ends between characters as a reader sees them (as anchoring counts them).
pub(crate) fn every_hit(reading: &Reading, folded: &[Folded], pattern: &str) -> Vec<Hit> {
    let mut hits = Vec::new();
    if pattern.is_empty() {
        return hits;
    }
    for (block, f) in folded.iter().enumerate() {
        let text = &reading.blocks[block].text;
        let mut from = 0;
        while let Some(i) = f.text[from..].find(pattern) {
            let start = from + i;
            let end = start + pattern.len();
            if is_cluster_boundary(text, f.original(start)) && is_cluster_boundary(text, f.original(end)) {
                hits.push(Hit { block, start, end });
            }
            from = start + f.text[start..].chars().next().map_or(1, char::len_utf8);
        }
    }
    hits
}

/// The text of a match, as the reading text spells it.
pub(crate) fn original(reading: &Reading, folded: &[Folded], h: Hit) -> String {
    let f = &folded[h.block];
    reading.blocks[h.block].text[f.original(h.start)..f.original(h.end)].to_owned()
}

/// The matches of `pattern` that anchoring accepts for a quote spelled `quote`: a quote with
/// typographic marks matches only where the text has the same marks (docs/sidecars.md).
pub(crate) fn matches(reading: &Reading, folded: &[Folded], pattern: &str, quote: &str) -> Vec<Hit> {
    let strict = needs_strict(quote);
    every_hit(reading, folded, pattern)
        .into_iter()
        .filter(|h| !strict || strict_eq(quote, original(reading, folded, *h).trim_end()))
        .collect()
}

/// The selector of the match `ours` of the folded `pattern` (see the module's documentation).
pub(crate) fn pick(reading: &Reading, folded: &[Folded], pattern: &str, ours: Hit) -> Picked {
    let text = &reading.blocks[ours.block].text;
    let f = &folded[ours.block];
    let quote = text[f.original_range(ours.start, ours.end, text)].to_owned();
    let hits = matches(reading, folded, pattern, &quote);
    let mut placed = Picked {
        quote,
        ..Picked::default()
    };
    if hits.len() <= 1 {
        return placed;
    }
    let before = &f.text[..ours.start];
    let after = &f.text[ours.end..];
    let prefix = shortest(before, true, |p| {
        hits.iter()
            .filter(|h| folded[h.block].text[..h.start].ends_with(p))
            .count()
    });
    let suffix = shortest(after, false, |s| {
        hits.iter()
            .filter(|h| folded[h.block].text[h.end..].starts_with(s))
            .count()
    });
    let in_text = |from: usize, to: usize| text[f.original(from)..f.original(to)].to_owned();
    match (prefix, suffix) {
        (Some(p), Some(s)) if s.chars().count() < p.chars().count() => {
            placed.suffix = Some(in_text(ours.end, ours.end + s.len()));
        }
        (Some(p), _) => placed.prefix = Some(in_text(ours.start - p.len(), ours.start)),
        (None, Some(s)) => placed.suffix = Some(in_text(ours.end, ours.end + s.len())),
        (None, None) => placed.occurrence = hits.iter().position(|h| *h == ours).map(|i| i + 1),
    }
    placed
}

/// The shortest end of `context` (its end for a prefix, its start for a suffix), widened to
/// whole words, that `count` finds once; `None` when even all of it is found more often.
fn shortest(context: &str, prefix: bool, count: impl Fn(&str) -> usize) -> Option<String> {
    let bounds: Vec<usize> = context.char_indices().map(|(i, _)| i).chain([context.len()]).collect();
    for k in 1..bounds.len() {
        let piece = if prefix {
            &context[bounds[bounds.len() - 1 - k]..]
        } else {
            &context[..bounds[k]]
        };
        if count(piece) == 1 {
            return Some(widen(context, piece.len(), prefix).to_owned());
        }
    }
    None
}

/// `len` bytes at the end (prefix) or start (suffix) of `context`, widened to a word's edge.
fn widen(context: &str, len: usize, prefix: bool) -> &str {
    if prefix {
        let start = context.len() - len;
        let head = &context[..start];
        let word_start = head
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let from = if context[start..].starts_with(char::is_whitespace) {
            start
        } else {
            word_start
        };
        &context[from..]
    } else {
        let tail = &context[len..];
        let word_end = if context[..len].ends_with(char::is_whitespace) {
            0
        } else {
            tail.find(char::is_whitespace).unwrap_or(tail.len())
        };
        &context[..len + word_end]
    }
}
