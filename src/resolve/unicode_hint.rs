//! Why a quote was not found, where Unicode is the reason: a match would start or end inside a
//! character as a reader sees it (a grapheme cluster), or the text spells the quote's words in
//! another normalisation. Both look the same on screen, so the usual closest-passage hint would
//! only puzzle; these say what differs. Only run for a quote that was not found.

use crate::diagnostics::visible;
use crate::resolve::fold::{Folded, cluster_around, fold_pattern, is_cluster_boundary};
use crate::resolve::reading::Reading;
use std::ops::Range;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc, is_nfc_quick, is_nfd};
use unicode_segmentation::UnicodeSegmentation;

/// Why a quote whose letters the text has was not found, where Unicode is the reason: the
/// match would start or end inside a character, or the text spells the same words in another
/// normalisation (`Ü` as one code point, or as `U` and a combining diaeresis).
///
/// `split` is the first candidate that fit but for its edges (block and range in its text),
/// `folded` the blocks' folded texts, `line` the document's line of an offset in a block.
pub fn hint(
    reading: &Reading,
    folded: &[Folded],
    quote: &str,
    split: Option<(usize, Range<usize>)>,
    line: &dyn Fn(usize, usize) -> usize,
) -> Option<String> {
    if let Some((block, Range { start, end })) = split {
        let text = &reading.blocks[block].text;
        let inside = |at: usize| (!is_cluster_boundary(text, at)).then(|| cluster_around(text, at));
        let (first, last) = (inside(start), inside(end));
        let edges: Vec<String> = [("start", &first), ("end", &last)]
            .into_iter()
            .filter_map(|(edge, r)| {
                let r = r.clone()?;
                Some(format!(
                    "{edge} inside the character `{}` (`{}`)",
                    &text[r.clone()],
                    spelled(&text[r])
                ))
            })
            .collect();
        let whole = first.map_or(start, |r| r.start)..last.map_or(end, |r| r.end);
        return Some(format!(
            "the text has these letters (line {} of the document), but a match would {}; a quote starts and ends with whole characters:\n«{}»",
            line(block, start),
            edges.join(" and "),
            visible(&text[whole])
        ));
    }
    let (block, range) = in_other_normalisation(reading, folded, quote)?;
    let passage = &reading.blocks[block].text[range.clone()];
    Some(format!(
        "the text has the same words in another Unicode normalisation (line {} of the document, {} there; the quote is {}):\n«{}»\nwrite the quote as it stands in the text, or save both files as NFC",
        line(block, range.start),
        normal_form(passage),
        normal_form(quote),
        visible(passage)
    ))
}

/// The first passage that is `quote` once both are composed (NFC), though spelled otherwise.
/// Only blocks that are not composed are composed to be searched, one character (grapheme
/// cluster) at a time so as to know where each stands in the text; when the quote is composed,
/// the blocks that are too are skipped, as the quote would have matched there as it is.
fn in_other_normalisation(reading: &Reading, folded: &[Folded], quote: &str) -> Option<(usize, Range<usize>)> {
    let composed_quote: String = quote.nfc().collect();
    let quote_is_composed = composed_quote == quote;
    let pattern = fold_pattern(&composed_quote);
    let as_spelled = fold_pattern(quote);
    if pattern.is_empty() {
        return None;
    }
    for (b, block) in reading.blocks.iter().enumerate() {
        let text = &block.text;
        let composed = is_nfc_quick(text.chars()) == IsNormalized::Yes;
        if composed && quote_is_composed {
            continue;
        }
        let passages = if composed {
            matches_in(&folded[b], text, &pattern)
        } else {
            let (nfc, clusters) = composed_by_cluster(text);
            // The text offset of the cluster that starts at or before (or at or after) `at`.
            let before = |at: usize| clusters[clusters.partition_point(|&(n, _)| n <= at) - 1].1;
            let after = |at: usize| clusters[clusters.partition_point(|&(n, _)| n < at)].1;
            matches_in(&Folded::new(&nfc), &nfc, &pattern)
                .into_iter()
                .map(|r| before(r.start)..after(r.end))
                .collect()
        };
        if let Some(r) = passages
            .into_iter()
            .find(|r| fold_pattern(&text[r.clone()]) != as_spelled)
        {
            return Some((b, r));
        }
    }
    None
}

/// Where `pattern` stands in `text`, searched in its folded form `folded`.
fn matches_in(folded: &Folded, text: &str, pattern: &str) -> Vec<Range<usize>> {
    folded
        .text
        .match_indices(pattern)
        .map(|(at, _)| folded.original_range(at, at + pattern.len(), text))
        .collect()
}

/// `text` composed (NFC) one grapheme cluster at a time, and where each cluster starts in both,
/// `(composed, text)`, with both ends last.
fn composed_by_cluster(text: &str) -> (String, Vec<(usize, usize)>) {
    let mut composed = String::with_capacity(text.len());
    let mut starts = Vec::new();
    for (at, cluster) in text.grapheme_indices(true) {
        starts.push((composed.len(), at));
        composed.extend(cluster.nfc());
    }
    starts.push((composed.len(), text.len()));
    (composed, starts)
}

/// Which normalisation `text` is in, for a message.
fn normal_form(text: &str) -> &'static str {
    if is_nfc(text) {
        "NFC"
    } else if is_nfd(text) {
        "NFD"
    } else {
        "neither NFC nor NFD"
    }
}

/// Each character of a cluster as `\u{…}`, ASCII letters apart: `e\u{301}`.
fn spelled(cluster: &str) -> String {
    cluster
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() {
                c.to_string()
            } else {
                format!("\\u{{{:X}}}", c as u32)
            }
        })
        .collect()
}
