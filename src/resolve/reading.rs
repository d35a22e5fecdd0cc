//! The reading text: what a reader sees of a document, block by block.
//!
//! Quotes are matched against it, glossary forms are found in it, and the renderer maps its
//! offsets back to the event stream to insert annotation elements. A block is the innermost
//! paragraph, heading, list item or table cell; its text is the concatenation of its text and
//! inline-code events, with soft breaks as a space. Image alt text, code blocks and raw HTML
//! (when allowed) are not reading text.

use crate::hash::{FastMap, FastSet};
use crate::markdown::{html_as_text, is_inline, is_inline_end};
use crate::parse::document::Spanned;
use crate::slug::slugify;
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};
use std::ops::Range;

/// What a block is: a translation's blocks must be its original's, kind for kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BlockKind {
    #[default]
    Paragraph,
    Heading,
    Item,
    Cell,
}

impl BlockKind {
    /// The kind in words, for messages.
    pub fn name(self) -> &'static str {
        match self {
            BlockKind::Paragraph => "a paragraph",
            BlockKind::Heading => "a heading",
            BlockKind::Item => "a list item",
            BlockKind::Cell => "a table cell",
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Block {
    pub kind: BlockKind,
    /// Where the block starts in the source (its line, for messages).
    pub start: usize,
    pub text: String,
    /// Ranges of the text inside Markdown links.
    pub links: Vec<Range<usize>>,
    /// Ranges of inline code (not searched for glossary forms).
    pub code: Vec<Range<usize>>,
    /// `(offset in text, byte offset in the source)` at the start of each piece.
    pub sources: Vec<(usize, usize)>,
    /// The paragraph id if this block is a `<p>`.
    pub paragraph: Option<usize>,
}

impl Block {
    /// The source byte offset of a text offset (near enough for a line number).
    pub fn source_offset(&self, at: usize) -> usize {
        let i = self.sources.partition_point(|(o, _)| *o <= at);
        match i.checked_sub(1).and_then(|i| self.sources.get(i)) {
            Some((o, s)) => s + (at - o),
            None => self.sources.first().map_or(0, |(_, s)| *s),
        }
    }
}

/// Where a text-bearing event sits in the reading text.
#[derive(Clone, Copy, Debug)]
pub struct Piece {
    pub block: usize,
    pub start: usize,
}

#[derive(Clone, Debug, Default)]
pub struct Reading {
    pub blocks: Vec<Block>,
    /// For each event index, its piece if it carries reading text.
    pub pieces: Vec<Option<Piece>>,
    /// Heading ids by event index of the heading's start.
    pub heading_ids: Vec<(usize, String)>,
    pub paragraphs: usize,
    /// Footnote labels in order of first reference.
    pub footnote_order: Vec<String>,
    /// For each inline element's start event (emphasis, strong, link, …), the offset in its
    /// block where it ends: the renderer needs it to keep marks and inline elements nested.
    pub inline_end: FastMap<usize, usize>,
}

/// Prepares the event stream for reading: raw HTML becomes text unless allowed.
pub fn sanitize(events: &mut [Spanned], raw_html: bool) {
    if raw_html {
        return;
    }
    for (e, _) in events.iter_mut() {
        *e = html_as_text(std::mem::replace(e, Event::SoftBreak));
    }
}

fn is_block(tag: &Tag) -> bool {
    matches!(tag, Tag::Paragraph | Tag::Heading { .. } | Tag::Item | Tag::TableCell)
}

fn is_block_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell
    )
}

/// Builds the reading text of an event stream. Generated heading ids are unique among
/// themselves and never take the shape of an id glossa generates (`p-N`, `note-N`, …); a clash
/// with an annotation id is reported by the caller, not avoided silently.
pub fn analyze(events: &[Spanned]) -> Reading {
    let mut a = Analyzer {
        r: Reading {
            pieces: vec![None; events.len()],
            ..Reading::default()
        },
        stack: Vec::new(),
        inline_starts: Vec::new(),
        heading: None,
        used: events
            .iter()
            .filter_map(|(e, _)| match e {
                Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
                _ => None,
            })
            .collect(),
    };
    let mut hidden = 0usize; // inside an image or code block
    for (i, (event, range)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::Image { .. } | Tag::CodeBlock(_)) => hidden += 1,
            Event::End(TagEnd::Image | TagEnd::CodeBlock) => hidden = hidden.saturating_sub(1),
            Event::Start(tag) if is_block(tag) => a.open_block(i, tag, range),
            Event::End(tag) if is_block_end(tag) => a.close_block(tag),
            Event::Start(tag) if is_inline(tag) => {
                if let Some(&b) = a.stack.last() {
                    a.inline_starts.push((i, b, a.r.blocks[b].text.len()));
                }
            }
            Event::End(tag) if is_inline_end(tag) => a.close_inline(tag),
            Event::FootnoteReference(label) if !a.r.footnote_order.iter().any(|l| l == label.as_ref()) => {
                a.r.footnote_order.push(label.to_string());
            }
            Event::Text(t) | Event::Code(t) if hidden == 0 => a.text(i, event, range, t),
            Event::SoftBreak | Event::HardBreak if hidden == 0 => {
                a.line_break(i, matches!(event, Event::HardBreak));
            }
            _ => {}
        }
    }
    a.r
}

/// The reading text as [`analyze`] builds it, event by event.
struct Analyzer {
    r: Reading,
    /// The open blocks, innermost last.
    stack: Vec<usize>,
    /// Open inline elements: (start event, block, start offset).
    inline_starts: Vec<(usize, usize, usize)>,
    /// The open heading: its start event, its id so far, and whether the author wrote it.
    heading: Option<(usize, String, bool)>,
    /// The heading ids taken.
    used: FastSet<String>,
}

impl Analyzer {
    fn open_block(&mut self, i: usize, tag: &Tag, range: &Range<usize>) {
        let r = &mut self.r;
        // A paragraph's or heading's text is about as long as its source: made at that size
        // once. (A list item's source holds its nested blocks too.)
        let size = if matches!(tag, Tag::Paragraph | Tag::Heading { .. }) {
            range.len()
        } else {
            0
        };
        let kind = match tag {
            Tag::Heading { .. } => BlockKind::Heading,
            Tag::Item => BlockKind::Item,
            Tag::TableCell => BlockKind::Cell,
            _ => BlockKind::Paragraph,
        };
        let mut block = Block {
            kind,
            start: range.start,
            text: String::with_capacity(size),
            ..Block::default()
        };
        if matches!(tag, Tag::Paragraph) {
            r.paragraphs += 1;
            block.paragraph = Some(r.paragraphs);
        }
        if let Tag::Heading { id, .. } = tag {
            let explicit = id.as_ref().map(|s| s.to_string());
            self.heading = Some((i, explicit.clone().unwrap_or_default(), explicit.is_some()));
        }
        r.blocks.push(block);
        self.stack.push(r.blocks.len() - 1);
    }

    fn close_block(&mut self, tag: &TagEnd) {
        if let (TagEnd::Heading(_), Some((at, id, explicit))) = (tag, self.heading.take()) {
            let id = if explicit {
                id
            } else {
                let text = self.stack.last().map(|&b| self.r.blocks[b].text.as_str()).unwrap_or("");
                let id = unique_id(&slugify(text), &self.used);
                self.used.insert(id.clone());
                id
            };
            self.r.heading_ids.push((at, id));
        }
        self.stack.pop();
    }

    fn close_inline(&mut self, tag: &TagEnd) {
        if let Some((at, b, start)) = self.inline_starts.pop() {
            let end = self.r.blocks[b].text.len();
            self.r.inline_end.insert(at, end);
            if matches!(tag, TagEnd::Link) {
                self.r.blocks[b].links.push(start..end);
            }
        }
    }

    fn text(&mut self, i: usize, event: &Event, range: &Range<usize>, t: &CowStr) {
        if let Some(&b) = self.stack.last() {
            let block = &mut self.r.blocks[b];
            let start = block.text.len();
            self.r.pieces[i] = Some(Piece { block: b, start });
            block.sources.push((start, range.start + code_offset(event, range, t)));
            block.text.push_str(t);
            if matches!(event, Event::Code(_)) {
                block.code.push(start..block.text.len());
            }
        }
    }

    fn line_break(&mut self, i: usize, hard: bool) {
        if let Some(&b) = self.stack.last() {
            let block = &mut self.r.blocks[b];
            self.r.pieces[i] = Some(Piece {
                block: b,
                start: block.text.len(),
            });
            block.text.push(if hard { '\n' } else { ' ' });
        }
    }
}

/// Inline code's source range includes its backticks.
fn code_offset(event: &Event, range: &Range<usize>, _t: &CowStr) -> usize {
    match event {
        Event::Code(_) => 1.min(range.len()),
        _ => 0,
    }
}

fn unique_id(base: &str, used: &FastSet<String>) -> String {
    let base = if base.is_empty() { "section" } else { base };
    // A digit cannot start an id; `t-` is the glossary occurrences' (no suffix would free it).
    let base = if base.starts_with(|c: char| c.is_ascii_digit()) || base.starts_with("t-") {
        format!("h-{base}")
    } else {
        base.to_owned()
    };
    if !used.contains(&base) && !is_reserved(&base) {
        return base;
    }
    (1..)
        .map(|n| format!("{base}-{n}"))
        .find(|id| !used.contains(id) && !is_reserved(id))
        .unwrap_or(base)
}

/// Ids glossa generates itself: a generated heading id never takes one of their shapes.
fn is_reserved(id: &str) -> bool {
    let numbered = |prefix: &str| {
        id.strip_prefix(prefix)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    // `li-N` and `td-N`: the list items and table cells of a document with a translation.
    numbered("p-")
        || numbered("note-")
        || numbered("noteref-")
        || numbered("li-")
        || numbered("td-")
        || id.starts_with("t-")
        || THEME_IDS.contains(&id)
}

/// Ids the themes give elements of every page: the skip link's target.
pub const THEME_IDS: &[&str] = &["main"];

/// The reading text of a Markdown text, parsed as a document's body is: for unit tests here
/// and in the modules that read reading texts.
#[cfg(test)]
pub(crate) fn of_markdown(md: &str) -> Reading {
    let events: Vec<Spanned> = pulldown_cmark::Parser::new_ext(md, crate::parse::document::markdown_options(false))
        .into_offset_iter()
        .map(|(e, r)| (e.into_static(), r))
        .collect();
    analyze(&events)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reading(md: &str) -> Reading {
        of_markdown(md)
    }

    #[test]
    fn a_heading_that_looks_like_an_occurrence_id_gets_a_prefix() {
        let r = reading("# A\n\n## T-Shirts\n\n## T-Shirts\n\nText.\n");
        let ids: Vec<&str> = r.heading_ids.iter().map(|(_, id)| id.as_str()).collect();
        assert_eq!(ids, ["a", "h-t-shirts", "h-t-shirts-1"]);
    }

    #[test]
    fn blocks_join_inline_markup() {
        let r = reading("Ein *kurzer* [Text](x) mit `code`\nund Umbruch.\n\n## Über uns\n\n- eins\n- zwei\n");
        let texts: Vec<_> = r.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(
            texts,
            ["Ein kurzer Text mit code und Umbruch.", "Über uns", "eins", "zwei"]
        );
        assert_eq!(r.blocks[0].links, vec![(11..15)]);
        assert_eq!(r.blocks[0].code, vec![(20..24)]);
        assert_eq!(r.paragraphs, 1);
        assert_eq!(r.heading_ids[0].1, "ueber-uns");
    }

    #[test]
    fn images_and_code_blocks_are_not_reading_text() {
        let r = reading("![Alt text](a.png) after\n\n```\ncode\n```\n");
        assert_eq!(r.blocks[0].text, " after");
        assert_eq!(r.blocks.len(), 1);
    }

    #[test]
    fn heading_ids_are_unique_and_avoid_generated_shapes() {
        let r = reading("## A\n\n## A\n\n## P 1\n\n## x {#custom}\n");
        let ids: Vec<_> = r.heading_ids.iter().map(|(_, id)| id.as_str()).collect();
        assert_eq!(ids, ["a", "a-1", "p-1-1", "custom"]);
    }
}
