//! Markdown as every stage reads it: the HTML of notes, definitions and pages (links made
//! relative, heading attributes and raw HTML as allowed), the plain text of events (one rule),
//! the links a note or a definition holds, and HTML escaping. Input: Markdown text; output:
//! HTML or text. No disk access.

use crate::concat::cat;
use crate::layout::refused_scheme;
use crate::layout::{STATIC_SCHEME, classify, href};
use pulldown_cmark::{Event, Tag, TagEnd, html};

mod outline;

pub(crate) use outline::{BODY_BASE, ENDNOTE_BASE, Outline};

/// Raw HTML as the page shows it without `raw_html`: its text, escaped, and an HTML block as a
/// paragraph of that text. The one rule for documents, notes and definitions, their HTML and
/// their text alike.
pub(crate) fn html_as_text(e: Event<'_>) -> Event<'_> {
    match e {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
        Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
        other => other,
    }
}

/// Renders Markdown (a note, a definition, a page) with cross-links resolved from `root`, its
/// first heading shown at level `heading_base` (see [`Outline`]).
pub(crate) fn markdown_html(md: &str, root: &str, raw_html: bool, heading_base: u8) -> String {
    let events = pulldown_cmark::Parser::new_ext(md, crate::parse::document::markdown_options(false));
    let mut out = String::with_capacity(md.len() + md.len() / 2);
    html::push_html(&mut out, markdown_events(events, root, raw_html, heading_base));
    out
}

/// The events of [`markdown_html`]: links resolved, heading attributes and raw HTML as allowed,
/// headings at the levels of [`Outline`].
fn markdown_events<'e>(
    events: impl Iterator<Item = Event<'e>>,
    root: &str,
    raw_html: bool,
    heading_base: u8,
) -> impl Iterator<Item = Event<'e>> {
    let mut outline = Outline::new(heading_base);
    events
        .map(move |e| rewrite_link(e, root))
        .map(move |e| heading_attrs(e, raw_html))
        .map(move |e| if raw_html { e } else { html_as_text(e) })
        .map(move |e| outline.event(e))
}

/// How pulldown-cmark starts a code block's HTML, and a table's.
const CODE_BLOCK_START: &str = "<pre><code";
const TABLE_START: &str = "<table>";

/// A page's code blocks and tables made reachable: a block wider than its column scrolls, and a reader
/// without a mouse can scroll it only once it can take focus (axe: scrollable-region-focusable).
/// Whether a block scrolls depends on the reader's screen, so every `<pre>` of `html` gets
/// `tabindex="0"`, and the name `label` (in the interface's language) to be announced by when
/// focus lands on it; with `role="group"`, since a `<pre>` of no role may not be named. Every
/// `<table>` gets `tabindex="0"` alone.
pub(crate) fn focusable_blocks(html: String, label: &str) -> String {
    if !html.contains(CODE_BLOCK_START) && !html.contains(TABLE_START) {
        return html;
    }
    let named = match label {
        "" => String::new(),
        _ => cat![" role=\"group\" aria-label=\"", escape(label), "\""],
    };
    // A table keeps its role (it is announced as a table) and scrolls sideways as a code
    // block does (the theme's CSS): it takes focus too.
    html.replace(CODE_BLOCK_START, &cat!["<pre tabindex=\"0\"", named, "><code"])
        .replace(TABLE_START, "<table tabindex=\"0\">")
}

/// Where the pages that hold notes stand, one folder below the site's root (`SLUG/index.html`,
/// `NAME/index.html`): a note rendered ahead, while its links are read, is rendered from there.
pub(crate) const NOTE_ROOT: &str = "../";

/// A note's links with their byte offsets, for resolving to check and, from the same parse
/// when one gives them, its HTML and text as [`note_html_and_text`] makes them from
/// [`NOTE_ROOT`]: resolving and rendering would each parse the note otherwise. A note with a
/// heading is rendered where it stands, whose section gives the heading its level.
pub(crate) fn note_links_and_html(note: &str, raw_html: bool) -> NoteLinks {
    let events = note_events(note);
    let links = link_destinations(events.iter().map(|(e, r)| (e, r.start)));
    let images = plain_images(events.iter().map(|(e, r)| (e, r.start)));
    let heading = events
        .iter()
        .any(|(e, _)| matches!(e, Event::Start(Tag::Heading { .. })));
    if extended(note) || heading {
        return NoteLinks {
            links,
            images,
            ahead: None,
        };
    }
    let (html, text) = html_and_text(events, note.len(), NOTE_ROOT, raw_html, BODY_BASE);
    let ahead = NoteAhead {
        html: html.into_boxed_str(),
        text: text.into_boxed_str(),
    };
    NoteLinks {
        links,
        images,
        ahead: Some(ahead),
    }
}

/// What [`note_links_and_html`] reads of a note: its checked links ([`link_destinations`]), its
/// other images ([`plain_images`]), each with its byte offset, and its HTML and text when the
/// same parse gives them.
pub(crate) struct NoteLinks {
    pub(crate) links: Vec<(String, usize)>,
    pub(crate) images: Vec<(String, usize)>,
    pub(crate) ahead: Option<NoteAhead>,
}

/// A note's HTML, from [`NOTE_ROOT`], and its text, made while its links were read; kept, at
/// their size, until its page renders.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct NoteAhead {
    pub html: Box<str>,
    pub text: Box<str>,
}

/// Whether a note uses a Markdown extension, which [`plain_text`] does not read: then
/// its HTML and its text come from two parses.
fn extended(note: &str) -> bool {
    note.contains(['|', '~', '^', '{']) || ["[ ]", "[x]", "[X]"].iter().any(|t| note.contains(t))
}

/// A note's HTML ([`markdown_html`]) and its plain text ([`plain_text`]), from one parse
/// when one gives both: `plain_text` reads Markdown without the extensions (tables, footnotes,
/// strikethrough, task lists, heading attributes), and a note with none of the characters that
/// start them parses the same either way.
pub(crate) fn note_html_and_text(note: &str, root: &str, raw_html: bool, heading_base: u8) -> (String, String) {
    if extended(note) {
        return (
            markdown_html(note, root, raw_html, heading_base),
            plain_text(note, raw_html),
        );
    }
    html_and_text(note_events(note), note.len(), root, raw_html, heading_base)
}

/// A note's events, with their byte offsets.
fn note_events(note: &str) -> Vec<(Event<'_>, std::ops::Range<usize>)> {
    pulldown_cmark::Parser::new_ext(note, crate::parse::document::markdown_options(false))
        .into_offset_iter()
        .collect()
}

/// The HTML and the plain text of a note's events (of a note `len` bytes long).
fn html_and_text(
    events: Vec<(Event<'_>, std::ops::Range<usize>)>,
    len: usize,
    root: &str,
    raw_html: bool,
    heading_base: u8,
) -> (String, String) {
    let mut events = events;
    if !raw_html {
        for (e, _) in &mut events {
            *e = html_as_text(std::mem::replace(e, Event::SoftBreak));
        }
    }
    let text = plain_text_of(events.iter().map(|(e, _)| e));
    let mut html = String::with_capacity(len + len / 2);
    html::push_html(
        &mut html,
        markdown_events(events.into_iter().map(|(e, _)| e), root, raw_html, heading_base),
    );
    (html, text)
}

/// Cross-links become relative URLs; a destination that would run script (refused as an error
/// during resolve) becomes `#`, so that none reaches a page whatever the checks upstream let by.
pub(crate) fn rewrite_link<'e>(e: Event<'e>, root: &str) -> Event<'e> {
    match e {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: page_url(&dest_url, root).into(),
            title,
            id,
        }),
        // A file of content/static/ from this page; a script URL nowhere.
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if is_checked_image(&dest_url) => Event::Start(Tag::Image {
            link_type,
            dest_url: page_url(&dest_url, root).into(),
            title,
            id,
        }),
        other => other,
    }
}

/// A link's or checked image's address as the page at `root` writes it: relative for a
/// cross-link or a static file, `#` for one refused (a script URL).
fn page_url(dest: &str, root: &str) -> String {
    match classify(dest) {
        Ok(t) if refused_scheme(dest).is_none() => href(&t, dest, root),
        _ => "#".to_owned(),
    }
}

/// Whether an image's address is checked as a link is (and made relative to its page): a
/// file of content/static/ (`static:PATH`), or a script URL, which is refused. Any other image
/// address is left as written.
pub(crate) fn is_checked_image(dest: &str) -> bool {
    dest.starts_with(STATIC_SCHEME) || refused_scheme(dest).is_some()
}

/// Heading attributes (`## Title {#id .class key=value}`) are raw HTML in all but name: `key`
/// may be `onclick`, or `x/onclick`, which a browser reads as two attributes. Unless raw HTML
/// is allowed, only harmless ones stay: `data-*`, `lang`, `dir`, `title` and `translate`, with
/// names of lower-case letters, digits and `-` only.
pub(crate) fn heading_attrs(e: Event<'_>, raw_html: bool) -> Event<'_> {
    match e {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) if !raw_html => Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs: attrs.into_iter().filter(|(name, _)| is_harmless_attr(name)).collect(),
        }),
        other => other,
    }
}

fn is_harmless_attr(name: &str) -> bool {
    let plain = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    plain
        && (matches!(name, "lang" | "dir" | "title" | "translate")
            || name.strip_prefix("data-").is_some_and(|rest| !rest.is_empty()))
}

/// The text of a Markdown string, without markup; raw HTML, unless `raw_html`, is the text the
/// page shows for it.
pub(crate) fn plain_text(md: &str, raw_html: bool) -> String {
    let events = pulldown_cmark::Parser::new(md);
    if raw_html {
        plain_text_of(events)
    } else {
        plain_text_of(events.map(html_as_text))
    }
}

/// The text of Markdown events, without markup.
pub(crate) fn plain_text_of<'e, E: std::borrow::Borrow<pulldown_cmark::Event<'e>>>(
    events: impl Iterator<Item = E>,
) -> String {
    let mut out = String::new();
    for e in events {
        match e.borrow() {
            pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) => out.push_str(t),
            pulldown_cmark::Event::SoftBreak | pulldown_cmark::Event::HardBreak => out.push(' '),
            pulldown_cmark::Event::End(pulldown_cmark::TagEnd::Paragraph) => out.push(' '),
            _ => {}
        }
    }
    crate::text::collapse(&out)
}

/// The links of Markdown events that are checked, with their byte offsets.
pub(crate) fn link_destinations<'e, E: std::borrow::Borrow<Event<'e>>>(
    events: impl Iterator<Item = (E, usize)>,
) -> Vec<(String, usize)> {
    events
        .filter_map(|(e, at)| match e.borrow() {
            Event::Start(Tag::Link { dest_url, .. }) => Some((dest_url.to_string(), at)),
            Event::Start(Tag::Image { dest_url, .. }) if is_checked_image(dest_url) => Some((dest_url.to_string(), at)),
            _ => None,
        })
        .collect()
}

/// The images of Markdown events whose addresses are not checked ([`is_checked_image`]), with
/// their byte offsets: a relative one is warned about.
pub(crate) fn plain_images<'e, E: std::borrow::Borrow<Event<'e>>>(
    events: impl Iterator<Item = (E, usize)>,
) -> Vec<(String, usize)> {
    events
        .filter_map(|(e, at)| match e.borrow() {
            Event::Start(Tag::Image { dest_url, .. }) if !is_checked_image(dest_url) => {
                Some((dest_url.to_string(), at))
            }
            _ => None,
        })
        .collect()
}

pub(crate) fn escape_href(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_href(&mut out, s).ok();
    out
}

pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    pulldown_cmark_escape::escape_html(&mut out, s).ok();
    out
}

/// The inline elements a mark may cross: the one list of them, for the reading text and the
/// renderer alike.
pub(crate) fn is_inline(tag: &Tag) -> bool {
    matches!(
        tag,
        Tag::Emphasis | Tag::Strong | Tag::Strikethrough | Tag::Superscript | Tag::Subscript | Tag::Link { .. }
    )
}

/// The ends of the elements [`is_inline`] names.
pub(crate) fn is_inline_end(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_blocks_take_focus_and_a_name_and_nothing_else_changes() {
        let html = markdown_html(
            "Text `<pre><code>`.\n\n```rust\nfn main() {}\n```\n\n    indented\n",
            "",
            false,
            2,
        );
        let made = focusable_blocks(html.clone(), "Code \"block\"");
        let open = "<pre tabindex=\"0\" role=\"group\" aria-label=\"Code &quot;block&quot;\"><code";
        assert_eq!(made.matches(open).count(), 2, "{made}");
        assert_eq!(made.replace(open, "<pre><code"), html, "only the start tags change");
        assert!(
            made.contains("<code>&lt;pre&gt;&lt;code&gt;</code>"),
            "inline code is text"
        );
        let unnamed = focusable_blocks(html, "");
        assert_eq!(unnamed.matches("<pre tabindex=\"0\"><code").count(), 2, "{unnamed}");
        assert_eq!(focusable_blocks("<p>x</p>".into(), "Code"), "<p>x</p>");
    }

    /// One parse gives a note's HTML and text exactly as two do, and notes that use a
    /// Markdown extension (which the text's parse does not read) still get two.
    #[test]
    fn a_note_parsed_once_renders_as_parsed_twice() {
        let notes = [
            "Eine Anmerkung zu *dunkel*, mit [Verweis](doc:d00001).",
            "`code` and **strong**,\nover two lines  \nwith a hard break",
            "# A heading {#id .c}\n\ntext",
            "<b>raw</b> HTML and <!-- a comment -->",
            "> a quote\n\n- a\n- list\n\n1. one",
            "a ~~struck~~ word",
            "| a | b |\n| - | - |\n| 1 | 2 |",
            "a footnote[^1]\n\n[^1]: the note",
            "- [ ] a task\n- [x] done",
            "[a link](https://example.org \"title\") and ![img](pic.png)",
            "an entity &amp; and an escape \\*",
            "",
        ];
        for note in notes {
            for raw_html in [false, true] {
                assert_eq!(
                    note_html_and_text(note, "../", raw_html, 3),
                    (markdown_html(note, "../", raw_html, 3), plain_text(note, raw_html)),
                    "{note:?}, raw_html {raw_html}"
                );
                // Rendered ahead, while resolving reads its links: the same links, and the
                // same HTML and text when they come with them.
                let NoteLinks { links, ahead, .. } = note_links_and_html(note, raw_html);
                assert_eq!(links, crate::resolve::markdown_links(note), "{note:?}");
                if let Some(ahead) = ahead {
                    let made = (ahead.html.to_string(), ahead.text.to_string());
                    assert_eq!(made, note_html_and_text(note, NOTE_ROOT, raw_html, 4), "{note:?}");
                }
            }
        }
    }
}
