//! Glossary previews: the data a reading page carries of the glossary entries it links, for the
//! theme's script to show as a preview (the entry's term, kind and the first paragraph of its
//! definition) when a reader points at or focuses one of those links.
//!
//! The data comes with the page, not from a file per entry: a page gets one
//! `<template class="glossary-previews">` before `</body>`, with an element for each entry it
//! links, and the script element of the theme's `static/previews.js`; a page that links no
//! entry gets neither. A page with 100 links to 100 entries weighs about
//! 12 kB more, compressed (docs/themes.md has the figures): no request on hover, nothing to
//! fetch when the site is opened from disk, and no file more per entry. Which entries a page
//! links is read from the finished page, so that every link counts, whoever wrote it:
//! occurrences, `term:` and `see:` links, links in notes and translations, and the theme's own
//! (a document's list of terms, an entry's related entries). A page links an entry several times
//! over, alike (its occurrences, its list of terms): each link as written is looked at once.
//!
//! The preview's paragraph is the first paragraph of the HTML the entry's page shows of its
//! definition, rendered by the same function from the page's root and kept for every page from
//! that root: each entry's definition is rendered at most once for document and extra pages, and
//! once for entry pages. So is the rest of its preview, but for the link it carries, which is
//! the page's.

use super::{PageMaker, READING_ROOTS};
use crate::concat::cat;
use crate::hash::{FastMap, FastSet};
use crate::layout::linked_entry;
use crate::markdown::{BODY_BASE, escape, markdown_html, plain_text};
use crate::parse::Entry;
use std::sync::OnceLock;

/// The glossary as previews need it: entries by id, and each entry's preview made once for each
/// root, when a page first links it, but for the link it carries, which is the page's.
pub(super) struct Previews<'a> {
    entries: &'a [Entry],
    raw_html: bool,
    /// The entries' places by their ids, made when a page first links an entry. (Keys owned: a
    /// cell of borrowed keys would tie `PageMaker` to one lifetime.)
    by_id: OnceLock<FastMap<String, usize>>,
    /// By root (as [`READING_ROOTS`]), by entry: the entry's preview between the two places
    /// that name the link (`push_preview`), links made from that root.
    made: [Vec<OnceLock<String>>; 2],
    /// Every preview's end, after the link: its label (`preview_open`) and closing tags.
    end: String,
}

impl<'a> Previews<'a> {
    pub(super) fn new(entries: &'a [Entry], raw_html: bool, open: &str) -> Self {
        let cells = || (0..entries.len()).map(|_| OnceLock::new()).collect();
        Previews {
            entries,
            raw_html,
            by_id: OnceLock::new(),
            made: [cells(), cells()],
            end: cat!["\">", escape(open), "</a></p></div>"],
        }
    }

    /// Entry `i`'s preview from the end of its first link to the start of its second, pushed
    /// onto `out`: its term and kind, and the first paragraph of its definition as its page
    /// shows it, its links made from `root` (for a definition without one, a list or a table,
    /// its text).
    fn push_middle(&self, out: &mut String, i: usize, root: &str) {
        let make = || {
            let e = &self.entries[i];
            let html = markdown_html(&e.definition, root, self.raw_html, BODY_BASE);
            let paragraph = first_paragraph(&html)
                .unwrap_or_else(|| cat!["<p>", escape(&plain_text(&e.definition, self.raw_html)), "</p>"]);
            cat![
                "\"><p class=\"preview-head\"><span class=\"preview-term\">",
                escape(&e.term),
                "</span> <span class=\"preview-kind\">",
                escape(&e.kind),
                "</span></p>",
                paragraph,
                "<p class=\"preview-open\"><a href=\""
            ]
        };
        match READING_ROOTS.iter().position(|r| *r == root) {
            Some(r) => out.push_str(self.made[r][i].get_or_init(make)),
            None => out.push_str(&make()),
        }
    }
}

/// The first `<p>` element of definition HTML, when it has one, without its footnote
/// references: their notes are on the entry's page, not on the page the preview shows on.
fn first_paragraph(html: &str) -> Option<String> {
    const FOOTNOTE: &str = "<sup class=\"footnote-reference\">";
    let start = ["<p>", "<p "].iter().filter_map(|p| html.find(p)).min()?;
    let end = start + html[start..].find("</p>")? + "</p>".len();
    let mut p = &html[start..end];
    let mut out = String::with_capacity(p.len());
    while let Some(at) = p.find(FOOTNOTE) {
        out.push_str(&p[..at]);
        let close = p[at..].find("</sup>").map_or(p.len(), |c| at + c + "</sup>".len());
        p = &p[close..];
    }
    out.push_str(p);
    Some(out)
}

impl PageMaker<'_> {
    /// `page`, the HTML of the page at `path` whose way back to the site root is `root`, with
    /// the previews of the glossary entries it links and the script that shows them before its
    /// `</body>` (or at its end). A page that links no entry is left as it is.
    pub(super) fn with_previews(&self, mut page: Vec<u8>, path: &str, root: &str) -> Vec<u8> {
        let previews = &self.previews;
        if previews.entries.is_empty() {
            return page;
        }
        let by_id = previews.by_id.get_or_init(|| {
            let entries = previews.entries.iter().enumerate();
            entries.map(|(i, e)| (e.id.clone(), i)).collect()
        });
        let mut block = String::new();
        let mut seen = FastSet::default();
        // Each link as written is looked at once.
        let mut read = FastSet::default();
        // A link from outside the glossary's folder names it; only entry pages link entries
        // without (`../ID/index.html`). Most links of a page go elsewhere: they are not read.
        let hrefs: Box<dyn Iterator<Item = &str>> = match path.starts_with(GLOSSARY_FOLDER) {
            true => Box::new(hrefs(&page)),
            false => Box::new(hrefs_holding(&page, GLOSSARY_FOLDER)),
        };
        for href in hrefs.filter(|href| read.insert(*href)) {
            let Some(&i) = linked_entry(path, href).and_then(|id| by_id.get(&id)) else {
                continue;
            };
            if seen.insert(i) {
                self.push_preview(&mut block, i, href, root);
            }
        }
        if block.is_empty() {
            return page;
        }
        let at = memchr::memmem::rfind(&page, b"</body>").unwrap_or(page.len());
        let block = cat![
            "<template class=\"glossary-previews\">",
            block,
            "</template>\n<script src=\"",
            root,
            "static/previews.js\" defer></script>\n"
        ];
        // Only the end of the page moves.
        let end = page.split_off(at);
        page.extend_from_slice(block.as_bytes());
        page.extend_from_slice(&end);
        page
    }

    /// One entry's preview: its term and kind, the first paragraph of its definition and a link
    /// to its page, as the page links it (`href`, which the script finds the preview by).
    fn push_preview(&self, out: &mut String, i: usize, href: &str, root: &str) {
        out.push_str("<div class=\"preview\" data-href=\"");
        out.push_str(href);
        self.previews.push_middle(out, i, root);
        out.push_str(href);
        out.push_str(&self.previews.end);
    }
}

/// What every link to an entry holds, unless it goes from inside the folder
/// ([`crate::layout::entry_page`]).
const GLOSSARY_FOLDER: &str = "glossary/";

/// The values of the `href` attributes of a page that hold `part`: found by where `part` stands,
/// with the attribute around it.
fn hrefs_holding<'h>(html: &'h [u8], part: &str) -> impl Iterator<Item = &'h str> {
    const HREF: &[u8] = b" href=\"";
    memchr::memmem::find_iter(html, part.as_bytes()).filter_map(|i| {
        let open = memchr::memrchr(b'"', &html[..i])?;
        let end = i + memchr::memchr(b'"', &html[i..])?;
        html[..=open].ends_with(HREF).then_some(())?;
        std::str::from_utf8(&html[open + 1..end]).ok()
    })
}

/// The values of the `href` attributes of a page, as written (escaped). The page is read as
/// bytes, not checked as UTF-8 first: an attribute's value lies between ASCII quotes, so each is
/// checked alone.
fn hrefs(html: &[u8]) -> impl Iterator<Item = &str> {
    const HREF: &[u8] = b" href=\"";
    // memchr's search: every page is read whole, and most of it is text.
    memchr::memmem::find_iter(html, HREF).filter_map(|i| {
        let rest = html.get(i + HREF.len()..)?;
        let end = memchr::memchr(b'"', rest)?;
        std::str::from_utf8(&rest[..end]).ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_first_paragraph() {
        let html = "<h3>x</h3>\n<pre><code>a</code></pre>\n<p>One <em>two</em>.</p>\n<p>Three.</p>\n";
        assert_eq!(first_paragraph(html).as_deref(), Some("<p>One <em>two</em>.</p>"));
        assert_eq!(first_paragraph("<ul><li>a</li></ul>"), None);
        let noted = markdown_html("One[^1] two.\n\n[^1]: A note.\n", "../", false, BODY_BASE);
        assert_eq!(first_paragraph(&noted).as_deref(), Some("<p>One two.</p>"), "{noted}");
    }

    #[test]
    fn reads_every_href() {
        let html = r#"<a href="a">x</a><link rel="icon" href="b"><a class="term" href="../c">"#;
        assert_eq!(hrefs(html.as_bytes()).collect::<Vec<_>>(), ["a", "b", "../c"]);
        let html = r#"<a href="../glossary/a/index.html">glossary/</a> <a title="glossary/x" href="../glossary/b/index.html#glossary/">"#;
        assert_eq!(
            hrefs_holding(html.as_bytes(), GLOSSARY_FOLDER).collect::<Vec<_>>(),
            [
                "../glossary/a/index.html",
                "../glossary/b/index.html#glossary/",
                "../glossary/b/index.html#glossary/"
            ]
        );
    }
}
