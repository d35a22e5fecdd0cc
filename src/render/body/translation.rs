//! A translation's blocks as HTML, and the elements that splice them in after the original's
//! blocks (`Renderer::translation_after`).
//!
//! Block N of a translation stands with block N of the original (their kinds match: resolve
//! checked it). Each translation block is an element with `class="translation"`, `lang` and
//! `data-translates` (the id of the original's block: `p-N`, a heading's id, `li-N`, `td-N`);
//! the blocks of every language but the one shown by default carry `hidden`. A translation
//! has no annotations and no glossary occurrences: its text is rendered as written.

use super::{OpenBlock, Renderer};
use crate::concat::{cat, push};
use crate::markdown::{escape, html_as_text, is_inline, is_inline_end, rewrite_link};
use crate::resolve::PageBody;
use crate::resolve::reading::BlockKind;
use pulldown_cmark::{Alignment, Event, Tag, TagEnd, html};

/// One translation of a page, ready to splice in: its language, whether it is shown by
/// default, and each block's HTML (empty for a block with no text of its own, such as a list
/// item made of paragraphs).
pub struct TranslatedBlocks {
    pub lang: String,
    pub shown: bool,
    pub blocks: Vec<String>,
}

/// The HTML of each block of a translation's reading text, its links made relative to `root`.
pub fn translated_blocks(page: &PageBody, root: &str) -> Vec<String> {
    blocks_of(page, root, false)
}

/// [`translated_blocks`] for the EPUB edition: raw HTML (`markdown.raw_html`) shown as text,
/// as in the book's chapters (`Renderer::as_written`), since a book's XHTML must be
/// well-formed and raw HTML need not be.
pub fn translated_book_blocks(page: &PageBody, root: &str) -> Vec<String> {
    blocks_of(page, root, true)
}

fn blocks_of(page: &PageBody, root: &str, book: bool) -> Vec<String> {
    let mut blocks: Vec<Vec<Event>> = vec![Vec::new(); page.reading.blocks.len()];
    let mut open: Vec<usize> = Vec::new();
    let (mut next, mut code) = (0usize, 0usize);
    for (event, _) in &page.body.events {
        match event {
            Event::Start(Tag::CodeBlock(_)) => code += 1,
            Event::End(TagEnd::CodeBlock) => code = code.saturating_sub(1),
            Event::Start(Tag::Paragraph | Tag::Heading { .. } | Tag::Item | Tag::TableCell) => {
                open.push(next);
                next += 1;
            }
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell) => {
                open.pop();
            }
            _ if code > 0 => {}
            Event::Text(_)
            | Event::Code(_)
            | Event::SoftBreak
            | Event::HardBreak
            | Event::InlineHtml(_)
            | Event::Html(_)
            | Event::InlineMath(_) => {
                if let Some(&b) = open.last() {
                    blocks[b].push(if book {
                        html_as_text(event.clone())
                    } else {
                        event.clone()
                    });
                }
            }
            Event::Start(tag) if is_inline(tag) || matches!(tag, Tag::Image { .. }) => {
                if let Some(&b) = open.last() {
                    blocks[b].push(rewrite_link(event.clone(), root));
                }
            }
            Event::End(tag) if is_inline_end(tag) || matches!(tag, TagEnd::Image) => {
                if let Some(&b) = open.last() {
                    blocks[b].push(event.clone());
                }
            }
            _ => {}
        }
    }
    blocks
        .into_iter()
        .map(|events| {
            let mut s = String::new();
            html::push_html(&mut s, events.into_iter());
            s.trim().to_owned()
        })
        .collect()
}

impl<'a> Renderer<'a> {
    /// A block of the reading text opens: the next in its order.
    pub(super) fn open_block(&mut self, kind: BlockKind, id: String, level: u8) {
        self.open_blocks.push(OpenBlock {
            block: self.blocks_seen,
            kind,
            id,
            level,
            done: false,
        });
        self.blocks_seen += 1;
    }

    /// A block closes: its translation follows it, unless it went out already.
    pub(super) fn close_block(&mut self) {
        if let Some(b) = self.open_blocks.pop()
            && !b.done
        {
            self.translation_after(b.block, b.kind, &b.id, b.level);
        }
    }

    /// A block starts inside a list item: the item's own text is over, and its translation
    /// goes here, before a list or paragraph nested in it.
    pub(super) fn item_text_ends(&mut self) {
        let Some(top) = self.open_blocks.last_mut() else { return };
        if top.kind != BlockKind::Item || top.done {
            return;
        }
        top.done = true;
        let (block, id) = (top.block, top.id.clone());
        self.translation_after(block, BlockKind::Item, &id, 0);
    }

    /// A list item's or table cell's start: with translations, with an id of its own
    /// (`li-N`, `td-N`), written as pulldown-cmark writes the tag.
    pub(super) fn open_item_or_cell(&mut self, event: &'a Event<'static>) {
        let item = matches!(event, Event::Start(Tag::Item));
        let kind = if item { BlockKind::Item } else { BlockKind::Cell };
        if self.translations.is_empty() {
            self.open_block(kind, String::new(), 0);
            if !item {
                self.table.cell += 1;
            }
            self.out.push(super::borrowed(event));
            return;
        }
        let (id, tag) = if item {
            self.items += 1;
            let id = cat!["li-", self.items];
            let tag = cat!["<li id=\"", id, "\">"];
            (id, tag)
        } else {
            self.cells += 1;
            let id = cat!["td-", self.cells];
            let name = if self.table.head { "th" } else { "td" };
            let style = match self.table.aligns.get(self.table.cell) {
                Some(Alignment::Left) => " style=\"text-align: left\"",
                Some(Alignment::Center) => " style=\"text-align: center\"",
                Some(Alignment::Right) => " style=\"text-align: right\"",
                _ => "",
            };
            self.table.cell += 1;
            let tag = cat!["<", name, " id=\"", id, "\"", style, ">"];
            (id, tag)
        };
        self.open_block(kind, id, 0);
        self.out.push(Event::Html(tag.into()));
    }

    /// A table's, its head's or a row's start, or the head's end: kept up with, for the cells'
    /// tags.
    pub(super) fn table_event(&mut self, event: &'a Event<'static>) {
        match event {
            Event::Start(Tag::Table(aligns)) => self.table.aligns = aligns.clone(),
            Event::Start(Tag::TableHead) => {
                self.table.head = true;
                self.table.cell = 0;
            }
            Event::End(TagEnd::TableHead) => self.table.head = false,
            _ => self.table.cell = 0,
        }
        self.out.push(super::borrowed(event));
    }

    /// A paragraph's start, with its id `p-N`; its notes wait for its end.
    pub(super) fn open_paragraph(&mut self) {
        self.item_text_ends();
        self.paragraphs += 1;
        self.pending.push(Vec::new());
        self.open_block(BlockKind::Paragraph, cat!["p-", self.paragraphs], 0);
        self.out
            .push(Event::Html(cat!["<p id=\"p-", self.paragraphs, "\">"].into()));
    }

    /// A block's end: its end tag, its translation and its notes, the end tag first for a
    /// paragraph or heading (they follow it), last for a list item or table cell (they stand
    /// inside it).
    pub(super) fn close_text_block(&mut self, end: Event<'a>, end_first: bool) {
        if end_first {
            self.out.push(end.clone());
        }
        self.close_block();
        self.flush_notes();
        if !end_first {
            self.out.push(end);
        }
    }

    /// The translations of the original's block `block` (its kind and id), one element per
    /// language, for after the block's own text.
    pub(super) fn translation_after(&mut self, block: usize, kind: BlockKind, id: &str, level: u8) {
        let mut s = String::new();
        for t in self.translations {
            let Some(html) = t.blocks.get(block).filter(|h| !h.is_empty()) else {
                continue;
            };
            let (tag, class) = match kind {
                BlockKind::Paragraph => ("p", String::from("translation")),
                BlockKind::Heading => ("p", cat!["translation tr-heading tr-h", usize::from(level)]),
                BlockKind::Item | BlockKind::Cell => ("div", String::from("translation")),
            };
            push!(
                &mut s,
                "<",
                tag,
                " class=\"",
                class,
                "\" lang=\"",
                escape(&t.lang),
                "\" data-translates=\"",
                escape(id),
                "\"",
                if t.shown { "" } else { " hidden" },
                ">",
                html,
                "</",
                tag,
                ">"
            );
            if matches!(kind, BlockKind::Paragraph | BlockKind::Heading) {
                s.push('\n');
            }
        }
        if !s.is_empty() {
            self.out.push(Event::Html(s.into()));
        }
    }
}
