//! The reading text as HTML: the document's event stream with annotation elements, note
//! references, glossary occurrences and rewritten links spliced in, rendered by pulldown-cmark.
//!
//! Marks (annotations and occurrences) nest properly — crossing quotes are rejected earlier —
//! but they may start or end inside Markdown emphasis or links. Each mark stays one element:
//! a Markdown inline element that the mark only partly covers is closed and reopened around
//! the mark's tag (`<em>a</em><span><em>b</em> c</span>`), as browsers do with misnested
//! tags; one that wholly contains the mark or lies wholly inside it is left whole.

use crate::concat::{cat, push};
use crate::layout::refused_scheme;
use crate::layout::{classify, href};
use crate::markdown::{
    BODY_BASE, ENDNOTE_BASE, NOTE_ROOT, Outline, escape_href, focusable_blocks, heading_attrs, is_inline,
    is_inline_end, note_html_and_text, rewrite_link,
};
use crate::parse::Entry;
use crate::resolve::reading::Piece;
use crate::resolve::{PageBody, ResolvedDoc};
use crate::theme::{NotePlacement, Strings};
use pulldown_cmark::{CowStr, Event, Tag, TagEnd, html};

mod book;
mod notes;
mod translation;

use crate::resolve::reading::BlockKind;
pub use notes::RenderedNote;
use notes::{endnotes_html, gloss_html};
pub use translation::{TranslatedBlocks, translated_blocks, translated_book_blocks};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mark {
    Annotation(usize),
    Occurrence(usize),
}

#[derive(Clone, Copy, Debug)]
enum Op {
    Open(Mark),
    Close(Mark),
}

pub struct RenderedBody {
    pub html: String,
    pub notes: Vec<RenderedNote>,
    /// With [`NotePlacement::End`], the notes as a numbered list; else empty.
    pub endnotes_html: String,
}

/// How a reading text is rendered.
pub struct BodyOptions<'a> {
    /// The way from the page to the site root, for links.
    pub root: &'a str,
    pub raw_html: bool,
    /// After each block, or collected for the end of the text.
    pub notes: NotePlacement,
    /// The interface strings: the backlinks' labels.
    pub strings: &'a Strings,
    /// The site's language when the document is in another one. Notes and glosses are written
    /// for the site's readers, in its language, so they carry it as their `lang`.
    pub site_lang: Option<&'a str>,
    /// The document's language, which its own footnotes carry where `site_lang` is given.
    pub lang: &'a str,
    /// For the EPUB edition: notes as EPUB footnotes, glosses in the text (docs/epub.md).
    pub book: bool,
}

/// An event of the document, borrowing its text rather than copying it: the page's events
/// live only as long as the document they render.
fn borrowed<'a>(e: &'a Event<'static>) -> Event<'a> {
    let b = |s: &'a CowStr<'static>| CowStr::Borrowed(s.as_ref());
    match e {
        Event::Start(tag) => Event::Start(borrowed_tag(tag)),
        Event::Text(s) => Event::Text(b(s)),
        Event::Code(s) => Event::Code(b(s)),
        Event::Html(s) => Event::Html(b(s)),
        Event::InlineHtml(s) => Event::InlineHtml(b(s)),
        Event::InlineMath(s) => Event::InlineMath(b(s)),
        Event::DisplayMath(s) => Event::DisplayMath(b(s)),
        Event::FootnoteReference(s) => Event::FootnoteReference(b(s)),
        other => other.clone(),
    }
}

/// A tag of the document, borrowing its strings (see [`borrowed`]).
fn borrowed_tag<'a>(tag: &'a Tag<'static>) -> Tag<'a> {
    let b = |s: &'a CowStr<'static>| CowStr::Borrowed(s.as_ref());
    match tag {
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Link {
            link_type: *link_type,
            dest_url: b(dest_url),
            title: b(title),
            id: b(id),
        },
        Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } => Tag::Image {
            link_type: *link_type,
            dest_url: b(dest_url),
            title: b(title),
            id: b(id),
        },
        other => other.clone(),
    }
}

fn block_ops(rd: &ResolvedDoc, page: &PageBody) -> Vec<Vec<(usize, Op)>> {
    let mut items: Vec<Vec<(usize, usize, u8, Mark)>> = vec![Vec::new(); page.reading.blocks.len()];
    for (i, a) in rd.anchors.iter().enumerate() {
        if let Some(a) = a {
            items[a.block].push((a.range.start, a.range.end, 0, Mark::Annotation(i)));
        }
    }
    for (j, o) in rd.occurrences.iter().enumerate() {
        items[o.block].push((o.range.start, o.range.end, 1, Mark::Occurrence(j)));
    }
    items
        .into_iter()
        .map(|mut items| {
            items.sort_by_key(|&(s, e, rank, m)| {
                let index = match m {
                    Mark::Annotation(i) | Mark::Occurrence(i) => i,
                };
                (s, std::cmp::Reverse(e), rank, index)
            });
            let mut ops = Vec::with_capacity(items.len() * 2);
            let mut stack: Vec<(usize, Mark)> = Vec::new();
            for (start, end, _, mark) in items {
                while let Some(&(top_end, top)) = stack.last() {
                    if top_end <= start {
                        ops.push((top_end, Op::Close(top)));
                        stack.pop();
                    } else {
                        break;
                    }
                }
                if stack.last().is_some_and(|&(top_end, _)| end > top_end) {
                    continue; // crossing: reported during resolve
                }
                ops.push((start, Op::Open(mark)));
                stack.push((end, mark));
            }
            while let Some((end, mark)) = stack.pop() {
                ops.push((end, Op::Close(mark)));
            }
            ops
        })
        .collect()
}

enum Open<'a> {
    /// A Markdown inline element and the offset in its block where it ends.
    Md(Tag<'a>, usize),
    Mark(Mark),
}

struct Renderer<'a> {
    rd: &'a ResolvedDoc,
    page: &'a PageBody,
    entries: &'a [Entry],
    root: &'a str,
    raw_html: bool,
    opts: &'a BodyOptions<'a>,
    /// The page's events: the document's own, borrowed, with the marks' HTML among them.
    out: Vec<Event<'a>>,
    stack: Vec<Open<'a>>,
    /// Note numbers waiting for the end of their block, one list per open block.
    pending: Vec<Vec<usize>>,
    notes: Vec<RenderedNote>,
    footnote_numbers: Vec<(String, usize)>,
    /// Inline elements already closed where a mark closed; their End events are skipped.
    skip_ends: usize,
    /// The levels the text's headings are shown at.
    outline: Outline,
    /// The page's translations, spliced in after each block (none: the page as without them).
    translations: &'a [TranslatedBlocks],
    /// The open blocks: each one's place in the reading text, kind, id and heading level, and
    /// whether its translation is out (a list item's goes before a list nested in it).
    open_blocks: Vec<OpenBlock>,
    blocks_seen: usize,
    /// With translations: list items and table cells get ids (`li-N`, `td-N`) for
    /// `data-translates`, and the cells' tags are written here, as pulldown-cmark writes them.
    items: usize,
    cells: usize,
    table: TableState,
    /// The paragraphs so far: paragraph N has the id `p-N`.
    paragraphs: usize,
}

struct OpenBlock {
    block: usize,
    kind: BlockKind,
    id: String,
    level: u8,
    done: bool,
}

/// Where the table being written is: its columns' alignments, whether in its head, and the
/// cell of the row.
#[derive(Default)]
struct TableState {
    aligns: Vec<pulldown_cmark::Alignment>,
    head: bool,
    cell: usize,
}

pub fn render_body(
    rd: &ResolvedDoc,
    page: &PageBody,
    entries: &[Entry],
    translations: &[TranslatedBlocks],
    opts: &BodyOptions,
) -> RenderedBody {
    let root = opts.root;
    let ops = block_ops(rd, page);
    let mut cursor = vec![0usize; ops.len()];
    let mut r = Renderer {
        rd,
        page,
        entries,
        root,
        raw_html: opts.raw_html,
        opts,
        out: Vec::with_capacity(page.body.events.len() * 2),
        stack: Vec::new(),
        pending: Vec::new(),
        notes: Vec::new(),
        footnote_numbers: Vec::new(),
        skip_ends: 0,
        outline: Outline::new(BODY_BASE),
        translations,
        open_blocks: Vec::new(),
        blocks_seen: 0,
        items: 0,
        cells: 0,
        table: TableState::default(),
        paragraphs: 0,
    };
    for (i, (event, _)) in page.body.events.iter().enumerate() {
        let piece = page.reading.pieces[i];
        match event {
            Event::Text(t) | Event::Code(t) if piece.is_some() => {
                let p = piece.unwrap_or(Piece { block: 0, start: 0 });
                let code = matches!(event, Event::Code(_));
                r.marked_text(t, p, code, &ops[p.block], &mut cursor[p.block]);
            }
            Event::SoftBreak | Event::HardBreak if piece.is_some() => {
                let p = piece.unwrap_or(Piece { block: 0, start: 0 });
                r.marked_break(event, p, &ops[p.block], &mut cursor[p.block]);
            }
            Event::Start(Tag::Paragraph) => r.open_paragraph(),
            Event::End(TagEnd::Paragraph) => r.close_text_block(Event::Html("</p>\n".into()), true),
            Event::Start(heading @ Tag::Heading { .. }) => r.open_heading(heading, i),
            Event::End(TagEnd::Heading(_)) => {
                let end = r.outline.event(borrowed(event));
                r.close_text_block(end, true);
            }
            Event::Start(Tag::Item | Tag::TableCell) => {
                r.item_text_ends();
                r.pending.push(Vec::new());
                r.open_item_or_cell(event);
            }
            Event::End(TagEnd::Item | TagEnd::TableCell) => r.close_text_block(borrowed(event), false),
            Event::Start(Tag::Table(_) | Tag::TableHead | Tag::TableRow) | Event::End(TagEnd::TableHead) => {
                r.table_event(event);
            }
            Event::Start(tag) if !is_inline(tag) && !matches!(tag, Tag::Image { .. }) => {
                r.item_text_ends();
                r.out.push(r.as_written(borrowed(event)));
            }
            Event::Start(tag) if is_inline(tag) => r.open_inline(tag, i),
            Event::End(tag) if is_inline_end(tag) => r.close_inline(event),
            Event::FootnoteReference(label) => r.footnote_ref(label),
            Event::Start(Tag::Image { .. }) => r.out.push(rewrite_link(borrowed(event), root)),
            other => r.out.push(r.as_written(borrowed(other))),
        }
    }
    r.finish()
}

impl<'a> Renderer<'a> {
    /// The page's events as HTML, with its notes in order (and as the end list, if the theme
    /// puts them there).
    fn finish(self) -> RenderedBody {
        let mut html = String::with_capacity(self.page.body.source.len() * 2);
        html::push_html(&mut html, self.out.into_iter());
        let mut notes = self.notes;
        notes.sort_by_key(|n| n.number);
        let endnotes_html = match self.opts.notes {
            NotePlacement::End if !notes.is_empty() => endnotes_html(&notes, self.opts),
            _ => String::new(),
        };
        let code_label = self.opts.strings.get("code_block");
        RenderedBody {
            html: focusable_blocks(html, code_label),
            notes,
            endnotes_html: focusable_blocks(endnotes_html, code_label),
        }
    }

    /// A text or code event of a block, with the marks' tags that open or close inside it or
    /// at its end spliced in; `cursor` is the next of the block's `ops`.
    fn marked_text(&mut self, t: &'a str, p: Piece, code: bool, ops: &[(usize, Op)], cursor: &mut usize) {
        let end = p.start + t.len();
        let mut last = p.start;
        while let Some(&(at, op)) = ops.get(*cursor) {
            let due = at < end || (at == end && matches!(op, Op::Close(_)));
            if !due {
                break;
            }
            if at > last {
                self.text(&t[last - p.start..at - p.start], code);
                last = at;
            }
            self.op(op, at);
            *cursor += 1;
        }
        if end > last {
            self.text(&t[last - p.start..], code);
        }
    }

    /// A line break of a block, after the marks' tags due before it.
    fn marked_break(&mut self, event: &'a Event<'static>, p: Piece, ops: &[(usize, Op)], cursor: &mut usize) {
        while let Some(&(at, op)) = ops.get(*cursor) {
            if at > p.start {
                break;
            }
            self.op(op, at);
            *cursor += 1;
        }
        self.out.push(borrowed(event));
    }

    /// The level a note's first heading is shown at: under the section the note stands in, or
    /// under the heading of the notes at the end of the text.
    fn note_heading_base(&self) -> u8 {
        match self.opts.notes {
            NotePlacement::End => ENDNOTE_BASE,
            _ => self.outline.inner_base(),
        }
    }

    /// A heading's start at its level in the page's outline, with the id resolve gave it; its
    /// notes wait for its end.
    fn open_heading(&mut self, heading: &'a Tag<'static>, event: usize) {
        let Tag::Heading {
            level, classes, attrs, ..
        } = heading
        else {
            return;
        };
        self.item_text_ends();
        self.pending.push(Vec::new());
        let id = self
            .page
            .reading
            .heading_ids
            .iter()
            .find(|(e, _)| *e == event)
            .map(|(_, id)| CowStr::from(id.clone()));
        let level_number = *level as u8;
        self.open_block(
            BlockKind::Heading,
            id.as_deref().unwrap_or_default().to_owned(),
            level_number,
        );
        let heading = Event::Start(Tag::Heading {
            level: *level,
            id,
            classes: classes.clone(),
            attrs: attrs.clone(),
        });
        let heading = self.outline.event(heading_attrs(heading, self.raw_html));
        self.out.push(heading);
    }

    /// A Markdown inline element's start (a link's address rewritten), kept open with the
    /// offset where it ends, so that a mark can close and reopen it.
    fn open_inline(&mut self, tag: &'a Tag<'static>, event: usize) {
        let tag = match rewrite_link(Event::Start(borrowed_tag(tag)), self.root) {
            Event::Start(t) => t,
            _ => borrowed_tag(tag),
        };
        let end = self.page.reading.inline_end.get(&event).copied().unwrap_or(usize::MAX);
        self.stack.push(Open::Md(tag.clone(), end));
        self.out.push(Event::Start(tag));
    }

    /// A Markdown inline element's end, unless a mark already closed it.
    fn close_inline(&mut self, event: &'a Event<'static>) {
        if self.skip_ends > 0 {
            self.skip_ends -= 1;
            return;
        }
        if matches!(self.stack.last(), Some(Open::Md(..))) {
            self.stack.pop();
        }
        self.out.push(borrowed(event));
    }

    fn text(&mut self, s: &'a str, code: bool) {
        let s = CowStr::Borrowed(s);
        self.out.push(if code { Event::Code(s) } else { Event::Text(s) });
    }

    fn html(&mut self, s: String) {
        self.out.push(Event::InlineHtml(s.into()));
    }

    /// Closes an inline element before a mark's tag: an element opened right before (still
    /// empty) is taken back instead of being left empty.
    fn close_md(&mut self, tag: &Tag<'a>) {
        if matches!(self.out.last(), Some(Event::Start(t)) if t == tag) {
            self.out.pop();
        } else {
            self.out.push(Event::End(tag.to_end()));
        }
    }

    fn reopen(&mut self, reopened: Vec<(Tag<'a>, usize)>) {
        for (tag, end) in reopened.into_iter().rev() {
            self.out.push(Event::Start(tag.clone()));
            self.stack.push(Open::Md(tag, end));
        }
    }

    fn op(&mut self, op: Op, at: usize) {
        let mut reopened = Vec::new();
        match op {
            Op::Open(m) => {
                let end = self.mark_end(m);
                // Inline elements that end before the mark does must be reopened inside it; so
                // must a link around an annotation with a note, whose reference is a link too.
                let has_note = matches!(m, Mark::Annotation(i) if self.rd.doc.annotations[i].note.is_some());
                let (run, outermost_link) = self.inline_run();
                let links_from = if has_note { outermost_link } else { None };
                let mut left = run;
                while let Some(Open::Md(_, md_end)) = self.stack.last() {
                    let inside_link = links_from.is_some_and(|d| left > d);
                    if *md_end >= end && !inside_link {
                        break;
                    }
                    if let Some(Open::Md(tag, md_end)) = self.stack.pop() {
                        self.close_md(&tag);
                        reopened.push((tag, md_end));
                    }
                    left -= 1;
                }
                let tag = self.open_tag(m);
                self.html(tag);
                self.stack.push(Open::Mark(m));
            }
            Op::Close(m) => {
                // Inline elements opened inside the mark: those ending here close now, the
                // others are reopened after it.
                while let Some(Open::Md(..)) = self.stack.last() {
                    if let Some(Open::Md(tag, md_end)) = self.stack.pop() {
                        self.close_md(&tag);
                        if md_end <= at {
                            self.skip_ends += 1;
                        } else {
                            reopened.push((tag, md_end));
                        }
                    }
                }
                if matches!(self.stack.last(), Some(Open::Mark(top)) if *top == m) {
                    self.stack.pop();
                }
                let tag = self.close_tag(m);
                self.html(tag);
                if let Mark::Annotation(i) = m
                    && let Some(note) = &self.rd.doc.annotations[i].note
                {
                    let (html, text) = match self.rd.note_html.get(i) {
                        Some(Some(ahead)) if self.root == NOTE_ROOT => (ahead.html.to_string(), ahead.text.to_string()),
                        _ => note_html_and_text(note, self.root, self.raw_html, self.note_heading_base()),
                    };
                    // A note reference is a link: it may not sit inside a Markdown link.
                    let outside = self.leave_links(at);
                    self.note_ref(html, text, false);
                    self.reopen(outside);
                }
            }
        }
        self.reopen(reopened);
    }

    /// How many Markdown inline elements are open on top of the stack (above any mark), and
    /// where among them (counted from the bottom of that run) the outermost link is.
    fn inline_run(&self) -> (usize, Option<usize>) {
        let run = self
            .stack
            .iter()
            .rev()
            .take_while(|o| matches!(o, Open::Md(..)))
            .count();
        let link = self.stack[self.stack.len() - run..]
            .iter()
            .position(|o| matches!(o, Open::Md(Tag::Link { .. }, _)));
        (run, link)
    }

    /// Closes the Markdown inline elements on top of the stack down to the outermost link
    /// among them; returns those that go on after `at`, to reopen.
    fn leave_links(&mut self, at: usize) -> Vec<(Tag<'a>, usize)> {
        let (run, outermost_link) = self.inline_run();
        let Some(depth) = outermost_link else {
            return Vec::new();
        };
        let mut reopen = Vec::new();
        for _ in 0..run - depth {
            if let Some(Open::Md(tag, md_end)) = self.stack.pop() {
                self.close_md(&tag);
                if md_end <= at {
                    self.skip_ends += 1;
                } else {
                    reopen.push((tag, md_end));
                }
            }
        }
        reopen
    }

    fn mark_end(&self, m: Mark) -> usize {
        match m {
            Mark::Annotation(i) => self.rd.anchors[i].as_ref().map_or(0, |a| a.range.end),
            Mark::Occurrence(j) => self.rd.occurrences[j].range.end,
        }
    }

    fn open_tag(&self, m: Mark) -> String {
        match m {
            Mark::Annotation(i) => {
                let a = &self.rd.doc.annotations[i];
                // Room for the tag with its ids and a `see` link: no growing on the way.
                let mut s = String::with_capacity(96 + 2 * a.id.len() + a.see.as_ref().map_or(0, |u| 32 + u.len()));
                let class = if a.gloss.is_some() {
                    "annotation gloss"
                } else {
                    "annotation"
                };
                push!(
                    &mut s,
                    "<span class=\"",
                    class,
                    "\" id=\"",
                    a.id,
                    "\" data-annotation=\"",
                    a.id,
                    "\""
                );
                // Focusable unless a link around or inside it already is (and no tabindex may
                // stand inside a link).
                if a.gloss.is_some() && a.see.is_none() && !self.opts.book && !self.in_link() {
                    s.push_str(" tabindex=\"0\"");
                }
                s.push('>');
                if let Some(see) = &a.see {
                    let url = match classify(see) {
                        Ok(t) if refused_scheme(see).is_none() => href(&t, see, self.root),
                        _ => "#".into(),
                    };
                    // Escaped as pulldown-cmark escapes a Markdown link's destination: control
                    // characters and spaces percent-encoded, so none can hide a scheme.
                    push!(&mut s, "<a class=\"see\" href=\"", escape_href(&url), "\">");
                }
                s
            }
            Mark::Occurrence(j) => {
                let o = &self.rd.occurrences[j];
                let id = o.id(self.entries);
                if self.occurrence_linked(j) {
                    let entry = &self.entries[o.entry].id;
                    cat![
                        "<a class=\"term\" id=\"",
                        id,
                        "\" href=\"",
                        self.root,
                        "glossary/",
                        entry,
                        "/index.html\">"
                    ]
                } else {
                    cat!["<span class=\"term\" id=\"", id, "\">"]
                }
            }
        }
    }

    /// Whether a link is open around the current position: a Markdown link, a `see` link or a
    /// linked glossary occurrence.
    fn in_link(&self) -> bool {
        self.stack.iter().any(|o| match o {
            Open::Md(Tag::Link { .. }, _) => true,
            Open::Mark(Mark::Annotation(i)) => self.rd.doc.annotations[*i].see.is_some(),
            Open::Mark(Mark::Occurrence(j)) => self.occurrence_linked(*j),
            Open::Md(..) => false,
        })
    }

    /// Whether occurrence `j` is rendered as a link: as resolved, unless an annotation with a
    /// note lies inside it. That note's reference is a link too, and links cannot nest; so
    /// the occurrence keeps its id but is not linked, as one inside a `see` quote is not.
    fn occurrence_linked(&self, j: usize) -> bool {
        let o = &self.rd.occurrences[j];
        o.linked
            && !self.rd.anchors.iter().enumerate().any(|(i, a)| {
                a.as_ref().is_some_and(|a| {
                    a.block == o.block
                        && o.range.start <= a.range.start
                        && a.range.end <= o.range.end
                        && a.range != o.range
                        && self.rd.doc.annotations[i].note.is_some()
                })
            })
    }

    fn close_tag(&self, m: Mark) -> String {
        match m {
            Mark::Annotation(i) => {
                let a = &self.rd.doc.annotations[i];
                let mut s = String::with_capacity(64 + a.gloss.as_ref().map_or(0, |g| 2 * g.len()));
                if a.see.is_some() {
                    s.push_str("</a>");
                }
                if let Some(g) = &a.gloss {
                    s.push_str(&gloss_html(g, self.opts));
                }
                s.push_str("</span>");
                s
            }
            Mark::Occurrence(j) => if self.occurrence_linked(j) { "</a>" } else { "</span>" }.into(),
        }
    }
}
