//! Translations: a document's text in another language, aligned with it block by block.
//!
//! A translation of `seeds/PATH/NAME.EXT` into `L` is `content/translations/L/PATH/NAME.txt`
//! or `.md` (found by `crate::discover`, read by `crate::load`). Its reading text must have the
//! original's blocks (paragraphs, headings, list items, table cells), kind for kind and in the
//! same number: block N of the translation is shown with block N of the original. This module
//! holds what the site keeps of a translation ([`Translation`]) and the check of the blocks
//! ([`check_blocks`]); no disk access.

use super::SourceCheck;
use super::reading::{Block, Reading};
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::parse::document::Kind;
use crate::parse::sidecar::Lines;
use std::path::PathBuf;

/// A translation as the site keeps it: enough to find and parse its file again when the page
/// renders (`crate::load::translation_body`), and its title. Its text is not kept.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Translation {
    /// The language, the name of its folder under content/translations/.
    pub lang: String,
    #[serde(with = "crate::stored::path")]
    pub path: PathBuf,
    /// The translated title: the first line of a `.txt`, as the original's is; a `.md`'s as
    /// the original's (front matter `title:` or its first `#` heading).
    pub title: String,
    pub kind: Kind,
    /// The original's `lines:` (a `.txt` translation breaks its lines as its original does).
    pub lines: Lines,
    pub body_start: usize,
    pub title_in_body: bool,
    pub source_check: SourceCheck,
}

/// One side of the check: a file's path as people see it, its source and its reading text.
pub struct Side<'a> {
    pub name: &'a str,
    pub path: &'a std::path::Path,
    pub source: &'a str,
    pub reading: &'a Reading,
}

/// Checks that `translation` has `original`'s blocks, kind for kind, in the same number. The
/// error points at the first block where the two stop matching, in the translation, and names
/// the original's line of it.
pub fn check_blocks(original: &Side, translation: &Side) -> Option<Diagnostic> {
    let (ours, theirs) = (&translation.reading.blocks, &original.reading.blocks);
    let at = ours.iter().zip(theirs.iter()).position(|(a, b)| a.kind != b.kind);
    if at.is_none() && ours.len() == theirs.len() {
        return None;
    }
    let n = at.unwrap_or(ours.len().min(theirs.len()));
    let line = |side: &Side, block: Option<&Block>| match block {
        Some(b) => Pos::of_offset(side.source, b.start, 1),
        None => Pos::of_offset(side.source, side.source.trim_end().len(), 1),
    };
    let (our_block, their_block) = (ours.get(n), theirs.get(n));
    let what = |b: Option<&Block>| b.map_or("the end of the text", |b| b.kind.name());
    let blocks = |n: usize| {
        if n == 1 {
            "1 block".to_owned()
        } else {
            format!("{n} blocks")
        }
    };
    let counts = if ours.len() == theirs.len() {
        format!("both have {}", blocks(ours.len()))
    } else {
        format!("{} here, {} in the original", blocks(ours.len()), theirs.len())
    };
    let their_pos = line(original, their_block);
    let message = format!(
        "this translation stops matching its original `{}` at block {}: {} here, {} at {}:{} ({counts})",
        original.name,
        n + 1,
        what(our_block),
        what(their_block),
        original.name,
        their_pos.line,
    );
    let ours_pos = line(translation, our_block);
    Some(
        Diagnostic::error(Code::TranslationMismatch, translation.path, message)
            .at(translation.source, ours_pos)
            .hint(format!(
                "a translation has its original's blocks (paragraphs, headings, list items, table cells) in the same order: \
                 block {} of `{}` is line {} there",
                n + 1,
                original.name,
                their_pos.line
            )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(md: &str) -> Reading {
        crate::resolve::reading::of_markdown(md)
    }

    fn check(a: &str, b: &str) -> Option<Diagnostic> {
        let (ra, rb) = (reading(a), reading(b));
        let p = std::path::Path::new("t.md");
        let side = |name, source, reading| Side {
            name,
            path: p,
            source,
            reading,
        };
        check_blocks(&side("seeds/a.md", a, &ra), &side("t.md", b, &rb))
    }

    #[test]
    fn the_same_blocks_pass_and_the_first_difference_is_named_with_both_lines() {
        assert!(check("## A\n\nText.\n\n- x\n- y\n", "## B\n\nTexte.\n\n- u\n- v\n").is_none());
        let d = check("## A\n\nText.\n\nMore.\n", "## B\n\n- Texte.\n\nPlus.\n").expect("kinds differ");
        assert_eq!(d.line, Some(3));
        assert!(
            d.message
                .contains("at block 2: a list item here, a paragraph at seeds/a.md:3"),
            "{}",
            d.message
        );
        assert!(d.message.contains("both have 3 blocks"), "{}", d.message);
        let d = check("One.\n\nTwo.\n\nThree.\n", "Eins.\n\nZwei.\n").expect("a block missing");
        assert!(
            d.message
                .contains("block 3: the end of the text here, a paragraph at seeds/a.md:5"),
            "{}",
            d.message
        );
        assert!(d.message.contains("2 blocks here, 3 in the original"), "{}", d.message);
        assert_eq!(d.line, Some(3));
    }
}
