//! The HTML pages besides the documents': the extra pages, the home page, the glossary and
//! its entries' pages, and the 404 page.

use super::output::{ITEM_ROOT, Item};
use super::views::*;
use super::{PAGE_BYTES, PageMaker, RenderError, Sink, url_path};
use crate::concat::cat;
use crate::layout::{self, PageRef};
use crate::markdown::{BODY_BASE, focusable_blocks, markdown_html, plain_text};
use crate::parse::Entry;
use crate::resolve::{ResolvedDoc, Site};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// The home page, the glossary and its entries' pages. Returns the pages written.
pub(super) fn render_home_and_glossary(
    maker: &PageMaker,
    summaries: &[DocSummary],
    sink: &dyn Sink,
) -> Result<usize, RenderError> {
    let (site, config, theme, entries) = (maker.site, &maker.site.config, maker.theme, &maker.site.entries);
    let mut pages = 0;
    // Home.
    if sink.wants(layout::HOME) {
        let mut c = maker.base("home", "", &config.lang, &config.title, "");
        c.insert("documents", &summaries);
        c.insert("epub", &config.epub.file);
        sink.put(layout::HOME, &maker.render("index.html", &c, PAGE_BYTES)?)?;
        pages += 1;
    }

    // Glossary.
    if !entries.is_empty() && sink.wants(layout::GLOSSARY) {
        let groups = glossary_groups(site);
        let mut c = maker.base(
            "glossary",
            "../",
            &config.lang,
            theme.strings.get("glossary"),
            layout::GLOSSARY,
        );
        c.insert("groups", &groups);
        sink.put(layout::GLOSSARY, &maker.render("glossary.html", &c, PAGE_BYTES)?)?;
        pages += 1;
    }
    if !entries.is_empty() {
        // Rendered and written in parallel.
        let uses = EntryIndex::new(site);
        let written: Vec<Result<bool, RenderError>> = entries
            .par_iter()
            .enumerate()
            .map(|(i, e)| {
                let path = layout::entry_page(&e.id);
                if !sink.wants(&path) {
                    return Ok(false);
                }
                let root = "../../";
                let view = entry_view(site, &uses, i, e, root, maker);
                let description = first_sentence(&e.definition, config.raw_html);
                let meta = maker.entry_meta(e, description, root, &path);
                let mut c = maker.base_with("entry", root, &config.lang, &e.term, &path, &meta);
                c.insert("entry", &view);
                let page = maker.render("entry.html", &c, PAGE_BYTES)?;
                sink.put(&path, &maker.with_previews(page, &path, root))?;
                Ok(true)
            })
            .collect();
        for w in written {
            pages += usize::from(w?);
        }
    }
    Ok(pages)
}

/// The glossary's entries by kind, each kind with a slug for its id, the entries in order of
/// their terms.
pub(super) fn glossary_groups(site: &Site) -> Vec<Group> {
    let entries = &site.entries;
    let counts = occurrence_counts(site);
    let mut kinds: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        kinds.entry(e.kind.as_str()).or_default().push(i);
    }
    let mut slugs = std::collections::HashSet::new();
    kinds
        .into_iter()
        .map(|(kind, mut ids)| {
            // Kinds are any words: as ids they are slugs, unique among the kinds.
            let base = Some(crate::slug::slugify(kind))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "kind".into());
            let slug = std::iter::once(base.clone())
                .chain((2..).map(|n| format!("{base}-{n}")))
                .find(|s| slugs.insert(s.clone()))
                .unwrap_or(base);
            // Each key made once, not once a comparison: a slug is made from the term.
            ids.sort_by_cached_key(|&i| (sort_key(&entries[i].term), entries[i].id.clone()));
            Group {
                kind: kind.to_owned(),
                slug,
                entries: ids
                    .into_iter()
                    .map(|i| EntrySummary {
                        id: entries[i].id.clone(),
                        term: entries[i].term.clone(),
                        url: layout::entry_page_in_glossary(&entries[i].id),
                        summary: first_sentence(&entries[i].definition, site.config.raw_html),
                        count: counts[i],
                    })
                    .collect(),
            }
        })
        .collect()
}

fn sort_key(s: &str) -> String {
    crate::slug::slugify(s)
}

fn first_sentence(md: &str, raw_html: bool) -> String {
    let text = plain_text(md, raw_html);
    let end = text
        .char_indices()
        .find(|&(i, c)| c == '.' && text[i + 1..].starts_with(' '))
        .map_or(text.len(), |(i, _)| i + 1);
    text[..end].to_owned()
}

/// How many occurrences each entry has in the whole site, by entry: the counts the glossary's
/// index shows.
pub fn occurrence_counts(site: &Site) -> Vec<usize> {
    let mut counts = vec![0; site.entries.len()];
    for d in &site.docs {
        for o in &d.occurrences {
            counts[o.entry] += 1;
        }
    }
    counts
}

/// Who uses each entry, computed once for all entry pages (no scan of every document per entry).
struct EntryIndex<'s> {
    by_id: std::collections::HashMap<&'s str, usize>,
    /// For each entry, the entries whose `see` names it.
    named_by: Vec<Vec<usize>>,
    /// For each entry, its occurrences as (document, occurrence) in document order.
    uses: Vec<Vec<(usize, usize)>>,
}

impl<'s> EntryIndex<'s> {
    fn new(site: &'s Site) -> Self {
        let by_id: std::collections::HashMap<&str, usize> = site
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str(), i))
            .collect();
        let mut named_by = vec![Vec::new(); site.entries.len()];
        for (i, e) in site.entries.iter().enumerate() {
            for s in &e.see {
                if let Some(&j) = by_id.get(s.as_str()) {
                    named_by[j].push(i);
                }
            }
        }
        let mut uses = vec![Vec::new(); site.entries.len()];
        for (d, doc) in site.docs.iter().enumerate() {
            for (k, o) in doc.occurrences.iter().enumerate() {
                uses[o.entry].push((d, k));
            }
        }
        EntryIndex { by_id, named_by, uses }
    }
}

fn entry_view(site: &Site, index: &EntryIndex, i: usize, e: &Entry, root: &str, maker: &PageMaker) -> EntryView {
    // Related both ways: this entry's `see`, and entries whose `see` names it.
    let mut related_ids: Vec<usize> = e
        .see
        .iter()
        .filter_map(|s| index.by_id.get(s.as_str()).copied())
        .collect();
    for &j in &index.named_by[i] {
        if !related_ids.contains(&j) {
            related_ids.push(j);
        }
    }
    let related = related_ids
        .into_iter()
        .map(|j| &site.entries[j])
        .map(|x| RelatedView {
            id: x.id.clone(),
            term: x.term.clone(),
            url: cat!["../", layout::entry_page_in_glossary(&x.id)],
        })
        .collect();
    let mut documents: Vec<OccurrenceGroup> = Vec::new();
    let mut last_doc = None;
    for &(d, k) in &index.uses[i] {
        let doc = &site.docs[d];
        if last_doc != Some(d) {
            last_doc = Some(d);
            documents.push(OccurrenceGroup {
                title: doc.doc.title.clone(),
                url: cat![root, layout::doc_page(&doc.doc.slug)],
                lang: doc.doc.meta.lang.clone().unwrap_or_else(|| site.config.lang.clone()),
                occurrences: Vec::new(),
            });
        }
        if let Some(group) = documents.last_mut() {
            group.occurrences.push(occurrence_view(doc, k, &site.entries, root));
        }
    }
    let count = index.uses[i].len();
    EntryView {
        id: e.id.clone(),
        term: e.term.clone(),
        kind: e.kind.clone(),
        forms: e.forms.clone(),
        definition_html: focusable_blocks(
            markdown_html(&e.definition, root, site.config.raw_html, BODY_BASE),
            maker.theme.strings.get("code_block"),
        ),
        related,
        count,
        documents,
        backlinks: maker.backlinks(&PageRef::Term(e.id.clone()), root),
    }
}

fn occurrence_view(d: &ResolvedDoc, k: usize, entries: &[Entry], root: &str) -> OccurrenceView {
    let c = &d.contexts[k];
    let (before, text, after) = c.parts();
    OccurrenceView {
        before: before.to_owned(),
        text: text.to_owned(),
        after: after.to_owned(),
        url: cat![root, d.doc.slug, "/index.html#", d.occurrences[k].id(entries)],
    }
}

/// An extra page, written if the sink wants it. Returns whether it was.
pub(super) fn render_page(maker: &PageMaker, item: &Item, sink: &dyn Sink) -> Result<bool, RenderError> {
    let p = item.rd;
    let path = layout::doc_page(&p.doc.slug);
    if !sink.wants(&path) {
        return Ok(false);
    }
    let body = item.html()?;
    let view = PageView {
        title: p.doc.title.clone(),
        name: p.doc.slug.clone(),
        body_html: &body.html,
        notes_html: &body.endnotes_html,
        backlinks: maker.backlinks(&PageRef::Page(p.doc.slug.clone()), ITEM_ROOT),
    };
    let meta = maker.page_meta(p, ITEM_ROOT, item.lang);
    let mut c = maker.base_with("page", ITEM_ROOT, item.lang, &p.doc.title, &path, &meta);
    c.insert("page", &view);
    let page = maker.render("page.html", &c, PAGE_BYTES)?;
    sink.put(&path, &maker.with_previews(page, &path, ITEM_ROOT))?;
    Ok(true)
}

/// The 404 page (and .nojekyll beside it). Returns the pages written.
pub(super) fn render_404(maker: &PageMaker, sink: &dyn Sink) -> Result<usize, RenderError> {
    let config = &maker.site.config;
    // 404: GitHub Pages serves it at any depth, so its links are absolute when they can be.
    let root404 = config.base_url.as_deref().map(url_path).unwrap_or_default();
    let c = maker.base(
        "404",
        &root404,
        &config.lang,
        maker.theme.strings.get("not_found"),
        "404.html",
    );
    sink.put("404.html", &maker.render("404.html", &c, PAGE_BYTES)?)?;
    sink.put(".nojekyll", b"")?;
    Ok(1)
}
