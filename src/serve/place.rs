//! Where a selection made in a served page stands in the document's reading text, and the
//! shortest selector that finds it there and nowhere else.
//!
//! The page sends what the reader selected and the text of its block before and after it, as
//! the browser shows them (docs/sidecars.md, "How a quote is matched": the reading text is
//! what quotes are matched against). The block is found by its whole text, compared with all
//! white space removed (a page's text has line breaks where the reading text has spaces), and
//! the selection by how many characters stand before it. The quote written is the reading
//! text's own spelling of the passage (its quotation marks and dashes as they are), and a
//! picker is added only when the quote occurs more than once: the shorter of a prefix and a
//! suffix that leave one match (widened to whole words), else its occurrence.

use crate::resolve::fold::{Folded, fold_pattern, is_cluster_boundary, needs_strict, strict_eq};
use crate::resolve::reading::Reading;

/// A selection as the page reports it.
#[derive(Clone, Debug, Default, serde::Deserialize)]
pub(super) struct Selection {
    pub(super) quote: String,
    /// The block's text before and after the selection.
    #[serde(default)]
    pub(super) before: String,
    #[serde(default)]
    pub(super) after: String,
    /// How many blocks before this one have the same text (to tell apart repeated blocks).
    #[serde(default)]
    pub(super) nth: usize,
}

/// The selector of a selection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Placed {
    pub(super) quote: String,
    pub(super) prefix: Option<String>,
    pub(super) suffix: Option<String>,
    pub(super) occurrence: Option<usize>,
}

/// A match of the quote: the block and its folded range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Hit {
    block: usize,
    start: usize,
    end: usize,
}

/// The selector for `selection` in `reading`, or why there is none (for the form to show).
pub(super) fn place(reading: &Reading, selection: &Selection) -> Result<Placed, String> {
    let pattern = fold_pattern(selection.quote.trim());
    if pattern.trim().is_empty() {
        return Err("Select some words of the text first.".into());
    }
    let folded: Vec<Folded> = reading.blocks.iter().map(|b| Folded::new(&b.text)).collect();
    let ours = locate(reading, &folded, selection, &pattern).ok_or_else(|| {
        "This selection is not one passage of the reading text: select within one paragraph, heading or list item."
            .to_string()
    })?;
    let text = &reading.blocks[ours.block].text;
    let f = &folded[ours.block];
    let quote = text[f.original_range(ours.start, ours.end, text)].to_owned();
    let strict = needs_strict(&quote);
    let hits: Vec<Hit> = every_hit(reading, &folded, &pattern)
        .into_iter()
        .filter(|h| !strict || strict_eq(&quote, original(reading, &folded, *h).trim_end()))
        .collect();
    let mut placed = Placed {
        quote,
        ..Placed::default()
    };
    if hits.len() <= 1 {
        return Ok(placed);
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
    Ok(placed)
}

/// The match the selection is: in the `nth` block whose text is the selection's block's, the
/// one after as many characters (white space aside) as the page had before it.
fn locate(reading: &Reading, folded: &[Folded], sel: &Selection, pattern: &str) -> Option<Hit> {
    let whole = squeeze(&fold_pattern(&format!("{}{}{}", sel.before, sel.quote, sel.after)));
    let lead = fold_pattern(&format!(
        "{}{}",
        sel.before,
        &sel.quote[..sel.quote.len() - sel.quote.trim_start().len()]
    ));
    let lead = squeeze(&lead).chars().count();
    let block = folded
        .iter()
        .enumerate()
        .filter(|(_, f)| squeeze(&f.text) == whole)
        .nth(sel.nth)
        .map(|(b, _)| b)?;
    every_hit(reading, folded, pattern)
        .into_iter()
        .find(|h| h.block == block && squeeze(&folded[block].text[..h.start]).chars().count() == lead)
}

/// The text without white space.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Every match of the folded `pattern` in text order, overlapping ones included, that starts
/// and ends between characters as a reader sees them (as anchoring counts them).
fn every_hit(reading: &Reading, folded: &[Folded], pattern: &str) -> Vec<Hit> {
    let mut hits = Vec::new();
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

fn original(reading: &Reading, folded: &[Folded], h: Hit) -> String {
    let f = &folded[h.block];
    reading.blocks[h.block].text[f.original(h.start)..f.original(h.end)].to_owned()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(md: &str) -> Reading {
        crate::resolve::reading::of_markdown(md)
    }

    fn sel(before: &str, quote: &str, after: &str) -> Selection {
        Selection {
            quote: quote.into(),
            before: before.into(),
            after: after.into(),
            nth: 0,
        }
    }

    #[test]
    fn a_unique_quote_needs_no_picker_and_keeps_the_texts_marks() {
        let r = reading("Er sagte „ja“ und\nging.\n");
        let p = place(&r, &sel("Er sagte ", "\"ja\" und\nging", ".")).unwrap();
        assert_eq!(p.quote, "„ja“ und ging");
        assert_eq!((p.prefix, p.suffix, p.occurrence), (None, None, None));
    }

    #[test]
    fn a_repeated_quote_gets_the_shortest_prefix_or_suffix_in_whole_words() {
        let r = reading("Der Hund bellt. Ein Hund schläft.\n\nKein Hund hier.\n");
        let p = place(&r, &sel("Der Hund bellt. Ein ", "Hund", " schläft.")).unwrap();
        assert_eq!(p.quote, "Hund");
        assert_eq!(p.prefix.as_deref(), Some("Ein "));
        let p = place(&r, &sel("Der ", "Hund", " bellt. Ein Hund schläft.")).unwrap();
        assert_eq!(p.prefix.as_deref(), Some("Der "));
        let p = place(&r, &sel("Kein ", "Hund", " hier.")).unwrap();
        assert_eq!(p.prefix.as_deref(), Some("Kein "));
    }

    #[test]
    fn identical_blocks_are_told_apart_by_occurrence() {
        let r = reading("Hund.\n\nHund.\n");
        let mut s = sel("", "Hund", ".");
        s.nth = 1;
        let p = place(&r, &s).unwrap();
        assert_eq!((p.prefix, p.suffix, p.occurrence), (None, None, Some(2)));
    }

    #[test]
    fn a_selection_across_blocks_or_of_nothing_is_refused() {
        let r = reading("Eins.\n\nZwei.\n");
        assert!(place(&r, &sel("", "Eins.Zwei", ".")).is_err());
        assert!(place(&r, &sel("Eins", "  ", ".")).is_err());
    }
}
