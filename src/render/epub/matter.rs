//! The book's matter around the chapters: the glossary as back matter (grouped by kind, as
//! the site's glossary is, each entry linking back to its occurrences), and the reading order
//! with its tables of contents.

use super::links::{BookLinks, GLOSSARY_FILE, chapter_file, entry_anchor};
use super::{COVER_FILE, Epub, Plan, TITLE_FILE, TocItem};
use crate::concat::{cat, push};
use crate::markdown::{escape, focusable_blocks, markdown_html};
use crate::render::RenderError;
use crate::render::output::Kind;
use crate::render::pages::glossary_groups;
use serde::Serialize;
use std::collections::HashMap;

/// A glossary entry in the back matter.
#[derive(Serialize)]
struct EntryView {
    anchor: String,
    term: String,
    definition_html: String,
    /// The links to its occurrences, made here: on a large site they are most of the book's
    /// glossary, and as template values they would take many times their size.
    uses_html: String,
    related: Vec<Ref>,
}

/// A link with its text.
#[derive(Serialize, Clone)]
pub(super) struct Ref {
    pub(super) title: String,
    pub(super) href: String,
}

#[derive(Serialize)]
struct GroupView {
    kind: String,
    id: String,
    entries: Vec<EntryView>,
}

/// The glossary's XHTML (`epub/glossary.xhtml`); the images its definitions show are added
/// to `images`.
pub(super) fn glossary(epub: &Epub, links: &BookLinks, images: &mut Vec<String>) -> Result<Vec<u8>, RenderError> {
    let site = epub.maker.site;
    let entries = &site.entries;
    let by_id: HashMap<&str, usize> = entries.iter().enumerate().map(|(i, e)| (e.id.as_str(), i)).collect();
    let mut uses = occurrences(epub);
    let groups: Vec<GroupView> = glossary_groups(site)
        .into_iter()
        .map(|g| GroupView {
            kind: g.kind,
            id: cat!["kind-", g.slug],
            entries: (g.entries.iter())
                .filter_map(|summary| by_id.get(summary.id.as_str()).copied())
                .map(|i| {
                    let e = &entries[i];
                    let html = markdown_html(&e.definition, super::BOOK_ROOT, false, 4);
                    let html = links.rewrite(&html, &cat!["glossary/", e.id], images);
                    EntryView {
                        anchor: entry_anchor(&e.id),
                        term: e.term.clone(),
                        definition_html: focusable_blocks(html, epub.maker.theme.strings.get("code_block")),
                        uses_html: std::mem::take(&mut uses[i]),
                        related: related(epub, i, &by_id),
                    }
                })
                .collect(),
        })
        .collect();
    let config = &site.config;
    let title = epub.maker.theme.strings.get("glossary");
    let mut c = epub.context(&config.lang, title);
    c.insert("groups", &groups);
    epub.render("epub/glossary.xhtml", &c, 64 * 1024)
}

/// Each entry's occurrences as links, by chapter in reading order: the chapter's title links
/// the first occurrence in it, the numbers after it the others (`Title 2 3; Other title`).
fn occurrences(epub: &Epub) -> Vec<String> {
    let site = epub.maker.site;
    let mut uses: Vec<String> = vec![String::new(); site.entries.len()];
    for rd in &site.docs {
        let file = chapter_file(&rd.doc.slug);
        let title = escape(&rd.doc.title);
        for o in &rd.occurrences {
            let html = &mut uses[o.entry];
            let href = cat![file, "#", o.id(&site.entries)];
            if o.k > 1 {
                push!(html, " <a href=\"", href, "\">", o.k, "</a>");
                continue;
            }
            if !html.is_empty() {
                html.push_str("; ");
            }
            push!(html, "<a href=\"", href, "\">", title, "</a>");
        }
    }
    uses
}

/// The entries related to entry `i`: its `see`, then those whose `see` names it.
fn related(epub: &Epub, i: usize, by_id: &HashMap<&str, usize>) -> Vec<Ref> {
    let entries = &epub.maker.site.entries;
    let mut ids: Vec<usize> = entries[i]
        .see
        .iter()
        .filter_map(|s| by_id.get(s.as_str()).copied())
        .collect();
    for (j, other) in entries.iter().enumerate() {
        if j != i && other.see.iter().any(|s| *s == entries[i].id) && !ids.contains(&j) {
            ids.push(j);
        }
    }
    ids.into_iter()
        .map(|j| Ref {
            title: entries[j].term.clone(),
            href: cat!["#", entry_anchor(&entries[j].id)],
        })
        .collect()
}

/// The reading order and the tables of contents.
pub(super) struct Spine {
    /// The navigation document's table of contents (and the NCX's), in reading order.
    pub(super) toc: Vec<Ref>,
    /// Landmarks: `(epub:type, link)`.
    pub(super) landmarks: Vec<Landmark>,
    /// Every file of the reading order (file names in `EPUB/`).
    pub(super) files: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct Landmark {
    kind: &'static str,
    title: String,
    href: String,
}

/// The cover and title page, the front pages, the documents, the glossary, the back pages.
pub(super) fn spine(epub: &Epub, plan: &Plan, chapters: &[TocItem], glossary: bool) -> Spine {
    let strings = &epub.maker.theme.strings;
    let config = &epub.maker.site.config;
    let mut spine = Spine {
        toc: Vec::new(),
        landmarks: Vec::new(),
        files: Vec::new(),
    };
    if config.epub.cover.is_some() {
        spine.files.push(COVER_FILE.to_owned());
    }
    let add = |spine: &mut Spine, title: &str, file: String| {
        spine.toc.push(Ref {
            title: title.to_owned(),
            href: file.clone(),
        });
        spine.files.push(file);
    };
    add(&mut spine, &config.title, TITLE_FILE.to_owned());
    // The contents as a page of the book too, after the title page.
    spine.files.push(super::NAV_FILE.to_owned());
    let page = |slug: &str| chapters.iter().find(|c| c.kind == Kind::Page && c.slug == slug);
    for p in plan.front.iter().filter_map(|s| page(s)) {
        add(&mut spine, &p.title, chapter_file(&p.slug));
    }
    let mut first_doc = true;
    for d in chapters.iter().filter(|c| c.kind == Kind::Document) {
        if std::mem::take(&mut first_doc) {
            spine.landmarks.push(Landmark {
                kind: "bodymatter",
                title: d.title.clone(),
                href: chapter_file(&d.slug),
            });
        }
        add(&mut spine, &d.title, chapter_file(&d.slug));
    }
    if glossary {
        let title = strings.get("glossary");
        spine.landmarks.push(Landmark {
            kind: "glossary",
            title: title.to_owned(),
            href: GLOSSARY_FILE.to_owned(),
        });
        add(&mut spine, title, GLOSSARY_FILE.to_owned());
    }
    for p in plan.back.iter().filter_map(|s| page(s)) {
        add(&mut spine, &p.title, chapter_file(&p.slug));
    }
    spine.landmarks.insert(
        0,
        Landmark {
            kind: "toc",
            title: strings.get("contents").to_owned(),
            href: cat![super::NAV_FILE, "#toc"],
        },
    );
    spine
}
