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

use crate::resolve::fold::{Folded, fold_pattern};
use crate::resolve::picker::{Hit, every_hit, pick};
use crate::resolve::reading::Reading;

/// The selector of a selection (`resolve::picker`).
pub(super) use crate::resolve::picker::Picked as Placed;

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
    Ok(pick(reading, &folded, &pattern, ours))
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
