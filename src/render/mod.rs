//! Render: a resolved [`Site`], and each document's [`PageBody`] as its page renders (from a
//! [`Bodies`]) → the files of the output, handed one by one to a sink. No disk access: the
//! bodies come from the loading edge (`crate::load::Reload`).
//!
//! Pages are rendered and passed on at once, never all held in memory. Everything here is
//! deterministic: the same site gives the same bytes.

pub mod body;
pub mod jsonld;
pub mod search;
pub mod views;

use crate::concat::cat;
use crate::layout::{self, PageRef, page_path};
use crate::markdown::{escape, markdown_html, plain_text};
use crate::parse::Entry;
use crate::resolve::{PageBody, ResolvedDoc, Site, SourceChanged};
use crate::theme;
use body::{BodyOptions, render_body};
use rayon::prelude::*;
use std::collections::BTreeMap;
use views::*;

/// Where rendered files go: a path relative to the output root, and the bytes. Document
/// pages are rendered and handed over from several threads at once.
pub trait Sink: Sync {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()>;

    /// A file written piece by piece, for one too large to hold whole (annotations.jsonld).
    fn stream(&self, path: &str) -> std::io::Result<Box<dyn std::io::Write + Send + '_>>;

    /// Told as document pages are done, `(done, total)`, for a progress display.
    fn progress(&self, _done: usize, _total: usize) {}

    /// Whether the file at `path` is wanted. A full build wants every file; `serve`, after an
    /// edit, only those the edit changed, and rendering skips the others.
    fn wants(&self, _path: &str) -> bool {
        true
    }
}

/// Gives the body a kept document's page renders from ([`PageBody`]): the loading edge makes
/// it again from the document's file (`crate::load::Reload`), so that rendering reads no file.
pub trait Bodies: Sync {
    fn body(&self, doc: &ResolvedDoc) -> Result<PageBody, SourceChanged>;
}

#[derive(Debug)]
pub enum RenderError {
    Template(String),
    Io(std::io::Error),
    /// A document's file changed between reading and rendering it.
    Changed(SourceChanged),
}

impl From<std::io::Error> for RenderError {
    fn from(e: std::io::Error) -> Self {
        RenderError::Io(e)
    }
}

/// Counts for the summary line.
#[derive(Default, Debug)]
pub struct Stats {
    pub pages: usize,
    pub notes: usize,
    pub occurrences: usize,
}

struct Ctx<'a> {
    site: &'a Site,
    bodies: &'a dyn Bodies,
    theme: &'a theme::Theme,
    /// What every page's template sees the same (`site`, `t`, `theme`, `has_glossary`), made
    /// into template values once: a Tera value shares its maps and strings when it is cloned,
    /// so each page gets them without serializing them again.
    shared: Vec<(&'static str, tera::Value)>,
    nav_pages: Vec<(String, String)>,
}

impl Ctx<'_> {
    fn base(&self, kind: &str, root: &str, lang: &str, title: &str, path: &str) -> tera::Context {
        let mut c = tera::Context::new();
        for (key, value) in &self.shared {
            c.insert_value(*key, value.clone());
        }
        c.insert("root", root);
        c.insert("lang", lang);
        c.insert("page_title", title);
        c.insert("kind", kind);
        // 404.html is served at every missing address: it has no address of its own.
        let canonical = match &self.site.config.base_url {
            Some(b) if kind != "404" => cat![b, path],
            _ => String::new(),
        };
        c.insert("canonical", &canonical);
        let nav: Vec<Link> = self
            .nav_pages
            .iter()
            .map(|(name, title)| Link {
                title: title.clone(),
                url: cat![root, layout::doc_page(name)],
            })
            .collect();
        c.insert("nav", &nav);
        c
    }

    /// How the reading text of a page in `lang` is rendered.
    fn body_options<'o>(&'o self, root: &'o str, lang: &str) -> BodyOptions<'o> {
        let site_lang = self.site.config.lang.as_str();
        BodyOptions {
            root,
            raw_html: self.site.config.raw_html,
            notes: self.theme.notes,
            strings: &self.theme.strings,
            site_lang: (lang != site_lang).then_some(site_lang),
        }
    }

    /// The page's bytes. `size` is about how long it will be: the page is written once into a
    /// buffer that holds it, and handed on as bytes (Tera writes only whole strings, so they are
    /// UTF-8 without a check).
    fn render(&self, template: &str, ctx: &tera::Context, size: usize) -> Result<Vec<u8>, RenderError> {
        let mut out = Vec::with_capacity(size);
        self.theme
            .tera
            .render_to(template, ctx, &mut out)
            .map_err(|e| RenderError::Template(e.to_string()))?;
        Ok(out)
    }

    fn backlinks(&self, target: &PageRef, root: &str) -> Vec<Link> {
        let mut out: Vec<Link> = self
            .site
            .backlinks
            .get(target)
            .into_iter()
            .flatten()
            .map(|from| Link {
                title: self.title_of(from),
                url: cat![root, page_path(from)],
            })
            .collect();
        out.sort_by(|a, b| a.title.cmp(&b.title).then_with(|| a.url.cmp(&b.url)));
        out
    }

    fn title_of(&self, r: &PageRef) -> String {
        let idx = &self.site.index;
        match r {
            PageRef::Doc(s) => idx.docs.get(s).map(|d| d.0.clone()),
            PageRef::Page(s) => idx.pages.get(s).map(|d| d.0.clone()),
            PageRef::Term(s) => idx.terms.get(s).cloned(),
        }
        .unwrap_or_default()
    }
}

/// About how long a page is, besides its text: the buffer a page is rendered into starts this
/// large.
const PAGE_BYTES: usize = 16 * 1024;

/// How many documents are rendered at once: enough to keep every thread busy, few enough
/// that the pages in flight stay small.
const DOC_CHUNK: usize = 64;

/// What a document page leaves behind once it is written.
struct RenderedDoc {
    /// Its line on the home page, when that is wanted.
    summary: Option<DocSummary>,
    notes: usize,
    /// Whether the page was wanted and written.
    written: bool,
    occurrences: usize,
    /// Its items of annotations.jsonld, and how many (none when the file is not wanted).
    jsonld: (String, usize),
    /// Its words and fragment for the search index, when there is one.
    search: Option<search::PageEntry>,
}

/// A document's line on the home page: made without rendering it.
pub fn doc_summary(site: &Site, strings: &theme::Strings, rd: &ResolvedDoc) -> DocSummary {
    let doc = &rd.doc;
    DocSummary {
        title: doc.title.clone(),
        url: layout::doc_page(&doc.slug),
        author: doc.meta.author.clone().unwrap_or_default(),
        date: doc.meta.date.clone().unwrap_or_default(),
        date_display: doc.meta.date.as_deref().map(|d| strings.date(d)).unwrap_or_default(),
        summary: doc.meta.summary.clone().unwrap_or_default(),
        lang: doc.meta.lang.clone().unwrap_or_else(|| site.config.lang.clone()),
        notes: rd.notes,
        terms: rd
            .occurrences
            .iter()
            .map(|o| o.entry)
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        tags: doc.meta.tags.clone(),
    }
}

/// Renders one document page and hands it to the sink, if the sink wants it.
fn render_doc(ctx: &Ctx, rd: &ResolvedDoc, sink: &dyn Sink, wants: Wants) -> Result<RenderedDoc, RenderError> {
    let (site, entries) = (ctx.site, &ctx.site.entries);
    let path = &layout::doc_page(&rd.doc.slug);
    let written = sink.wants(path);
    let jsonld = wants.jsonld;
    // serve (issue #18): the home page's line needs no reloaded body, so a page not wanted
    // is not reloaded for it (that would read and parse every document of the site again).
    if !written && !jsonld && wants.search.is_none() {
        return Ok(RenderedDoc {
            summary: wants.home.then(|| doc_summary(site, &ctx.theme.strings, rd)),
            notes: rd.notes,
            written,
            occurrences: rd.occurrences.len(),
            jsonld: (String::new(), 0),
            search: None,
        });
    }
    let summary = doc_summary(site, &ctx.theme.strings, rd);
    let page = ctx.bodies.body(rd).map_err(RenderError::Changed)?;
    let mut search_entry = None;
    if written || wants.search.is_some() {
        let doc = &rd.doc;
        let root = "../";
        let body = render_body(rd, &page, entries, &ctx.body_options(root, &summary.lang));
        // Its words and fragment join the index in document order.
        if let Some(folding) = wants.search {
            search_entry = Some(search::document_record(rd, &page, &body.notes, "document").index_entry(folding));
        }
        let mut terms: BTreeMap<usize, usize> = BTreeMap::new();
        for o in &rd.occurrences {
            *terms.entry(o.entry).or_default() += 1;
        }
        let mut terms: Vec<TermUse> = terms
            .into_iter()
            .map(|(e, count)| TermUse {
                id: entries[e].id.clone(),
                term: entries[e].term.clone(),
                url: cat![root, layout::entry_page(&entries[e].id)],
                count,
            })
            .collect();
        terms.sort_by_cached_key(|t| t.term.to_lowercase());
        let view = DocView {
            title: doc.title.clone(),
            slug: doc.slug.clone(),
            author: summary.author.clone(),
            date: summary.date.clone(),
            date_display: summary.date_display.clone(),
            lang: summary.lang.clone(),
            summary: summary.summary.clone(),
            tags: doc.meta.tags.clone(),
            source: doc.meta.source.clone(),
            body_html: body.html,
            notes_html: body.endnotes_html,
            notes: body.notes.len(),
            terms,
            backlinks: ctx.backlinks(&PageRef::Doc(doc.slug.clone()), root),
        };
        if written {
            let mut c = ctx.base("document", root, &summary.lang, &doc.title, path);
            c.insert("doc", &view);
            let size = PAGE_BYTES + view.body_html.len() + view.notes_html.len();
            sink.put(path, &ctx.render("document.html", &c, size)?)?;
        }
    }
    Ok(RenderedDoc {
        written,
        occurrences: rd.occurrences.len(),
        jsonld: if jsonld {
            jsonld::doc_items(site, rd, &page)
        } else {
            (String::new(), 0)
        },
        notes: summary.notes,
        summary: wants.home.then_some(summary),
        search: search_entry,
    })
}

/// Which of the files made from every document the sink wants.
#[derive(Clone, Copy)]
struct Wants {
    home: bool,
    jsonld: bool,
    /// The search index's folding, when the index is wanted: every document then gives its
    /// fragment and words.
    search: Option<search::Folding>,
}

/// Renders every file of the site into `sink`; each document's and page's body comes from
/// `bodies` as it renders.
pub fn render_site(
    site: &Site,
    bodies: &dyn Bodies,
    theme: &theme::Theme,
    sink: &dyn Sink,
) -> Result<Stats, RenderError> {
    let config = &site.config;
    let site_view = SiteView {
        title: config.title.clone(),
        description: config.description.clone(),
        lang: config.lang.clone(),
        base_url: config.base_url.clone().unwrap_or_default(),
        search: config.search,
    };
    let theme_view = ThemeView {
        name: theme.name.clone(),
        notes: theme.notes,
        stylesheets: theme.stylesheets.clone(),
    };
    let ctx = Ctx {
        site,
        bodies,
        theme,
        shared: vec![
            ("site", tera::Value::from_serializable(&site_view)),
            (
                "has_glossary",
                tera::Value::from_serializable(&!site.entries.is_empty()),
            ),
            ("t", tera::Value::from_serializable(theme.strings.map())),
            ("theme", tera::Value::from_serializable(&theme_view)),
        ],
        nav_pages: site
            .pages
            .iter()
            .map(|p| (p.doc.slug.clone(), p.doc.title.clone()))
            .collect(),
    };
    let mut stats = Stats::default();
    let entries = &site.entries;
    let mut index = config.search.then(|| {
        let langs = site.docs.iter().filter_map(|d| d.doc.meta.lang.as_deref());
        search::IndexBuilder::new(search::Folding::for_site(&config.lang, langs))
    });
    // The search index is all or nothing: `serve`'s partial rebuilds leave it as it was.
    if !sink.wants("search/meta.js") {
        index = None;
    }

    // Documents: rendered in parallel, a chunk at a time, each page written as soon as it is
    // made. What outlives a chunk is small: the home page's summaries and the counts; the
    // annotations of a chunk go out to annotations.jsonld in document order.
    let mut jsonld = match sink.wants("annotations.jsonld") {
        true => Some(jsonld::Writer::new(
            std::io::BufWriter::new(sink.stream("annotations.jsonld")?),
            site,
        )?),
        false => None,
    };
    let wants = Wants {
        home: sink.wants(layout::HOME),
        jsonld: jsonld.is_some(),
        search: index.as_ref().map(search::IndexBuilder::folding),
    };
    let mut summaries = Vec::with_capacity(site.docs.len());
    let mut done = 0;
    // What comes back from a chunk is taken in, in document order, while the next chunk
    // renders: the one thread taking in never holds up the others.
    let mut take_in = |rendered: Vec<Result<RenderedDoc, RenderError>>| -> Result<(), RenderError> {
        for r in rendered {
            let r = r?;
            stats.notes += r.notes;
            stats.occurrences += r.occurrences;
            stats.pages += usize::from(r.written);
            if let Some(jsonld) = &mut jsonld {
                jsonld.items(&r.jsonld)?;
            }
            summaries.extend(r.summary);
            if let (Some(index), Some(entry)) = (&mut index, r.search) {
                put_fragments(index.add(entry), sink)?;
            }
            done += 1;
        }
        sink.progress(done, site.docs.len());
        Ok(())
    };
    let mut chunks = site.docs.chunks(DOC_CHUNK);
    let mut pending = None;
    loop {
        let next = chunks.next();
        let (rendered, taken) = rayon::join(
            || next.map(|chunk| chunk.par_iter().map(|rd| render_doc(&ctx, rd, sink, wants)).collect()),
            || pending.take().map_or(Ok(()), &mut take_in),
        );
        taken?;
        match rendered {
            Some(r) => pending = Some(r),
            None => break,
        }
    }
    if let Some(jsonld) = jsonld {
        jsonld.finish(site)?;
    }

    // Extra pages.
    for p in &site.pages {
        let wanted = sink.wants(&layout::doc_page(&p.doc.slug));
        if !wanted && index.is_none() {
            continue;
        }
        let root = "../";
        let lang = p.doc.meta.lang.clone().unwrap_or_else(|| config.lang.clone());
        let page = bodies.body(p).map_err(RenderError::Changed)?;
        let body = render_body(p, &page, &[], &ctx.body_options(root, &lang));
        if let Some(index) = &mut index {
            add_to_index(index, search::document_record(p, &page, &body.notes, "page"), sink)?;
        }
        if !wanted {
            continue;
        }
        let view = PageView {
            title: p.doc.title.clone(),
            name: p.doc.slug.clone(),
            body_html: body.html,
            notes_html: body.endnotes_html,
            backlinks: ctx.backlinks(&PageRef::Page(p.doc.slug.clone()), root),
        };
        let path = layout::doc_page(&p.doc.slug);
        let mut c = ctx.base("page", root, &lang, &p.doc.title, &path);
        c.insert("page", &view);
        sink.put(&path, &ctx.render("page.html", &c, PAGE_BYTES)?)?;
        stats.pages += 1;
    }

    // The rest goes two ways at once: the search index takes in the entries' words and is
    // written out, while the home page, the glossary and the entry pages render.
    let folding = index.as_ref().map(search::IndexBuilder::folding);
    let entry_words: Vec<Option<search::PageEntry>> = entries
        .par_iter()
        .map(|e| folding.map(|f| search::entry_record(e, site.config.raw_html).index_entry(f)))
        .collect();
    let (indexed, rendered) = rayon::join(
        || write_index(&ctx, index, entry_words, sink),
        || render_home_and_glossary(&ctx, &summaries, sink),
    );
    stats.pages += indexed? + rendered?;

    // 404: GitHub Pages serves it at any depth, so its links are absolute when they can be.
    let root404 = config.base_url.as_deref().map(url_path).unwrap_or_default();
    let c = ctx.base(
        "404",
        &root404,
        &config.lang,
        theme.strings.get("not_found"),
        "404.html",
    );
    sink.put("404.html", &ctx.render("404.html", &c, PAGE_BYTES)?)?;
    sink.put(".nojekyll", b"")?;
    stats.pages += 1;

    if let Some(base) = config.base_url.as_ref().filter(|_| sink.wants("sitemap.xml")) {
        sink.put("sitemap.xml", sitemap(site, base).as_bytes())?;
    }

    for (rel, source) in &theme.static_files {
        sink.put(&format!("static/{rel}"), &source.bytes()?)?;
    }
    Ok(stats)
}

/// The search index's last part: the entries' words, in entry order, then the chunks, the meta
/// file and the search page. Returns the pages written.
fn write_index(
    ctx: &Ctx,
    index: Option<search::IndexBuilder>,
    entry_words: Vec<Option<search::PageEntry>>,
    sink: &dyn Sink,
) -> Result<usize, RenderError> {
    let (config, theme) = (&ctx.site.config, ctx.theme);
    if let Some(mut index) = index {
        for entry in entry_words.into_iter().flatten() {
            put_fragments(index.add(entry), sink)?;
        }
        index.finish(&mut |path, text| sink.put(&path, text.as_bytes()))?;
        let c = ctx.base(
            "search",
            "../",
            &config.lang,
            theme.strings.get("search"),
            layout::SEARCH,
        );
        sink.put(layout::SEARCH, &ctx.render("search.html", &c, PAGE_BYTES)?)?;
        return Ok(1);
    }
    Ok(0)
}

/// The home page, the glossary and its entries' pages. Returns the pages written.
fn render_home_and_glossary(ctx: &Ctx, summaries: &[DocSummary], sink: &dyn Sink) -> Result<usize, RenderError> {
    let (site, config, theme, entries) = (ctx.site, &ctx.site.config, ctx.theme, &ctx.site.entries);
    let mut pages = 0;
    // Home.
    if sink.wants(layout::HOME) {
        let mut c = ctx.base("home", "", &config.lang, &config.title, "");
        c.insert("documents", &summaries);
        sink.put(layout::HOME, &ctx.render("index.html", &c, PAGE_BYTES)?)?;
        pages += 1;
    }

    // Glossary.
    if !entries.is_empty() && sink.wants(layout::GLOSSARY) {
        let counts = occurrence_counts(site);
        let mut kinds: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, e) in entries.iter().enumerate() {
            kinds.entry(e.kind.as_str()).or_default().push(i);
        }
        let mut slugs = std::collections::HashSet::new();
        let groups: Vec<Group> = kinds
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
            .collect();
        let mut c = ctx.base(
            "glossary",
            "../",
            &config.lang,
            theme.strings.get("glossary"),
            layout::GLOSSARY,
        );
        c.insert("groups", &groups);
        sink.put(layout::GLOSSARY, &ctx.render("glossary.html", &c, PAGE_BYTES)?)?;
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
                let view = entry_view(site, &uses, i, e, root, ctx);
                let mut c = ctx.base("entry", root, &config.lang, &e.term, &path);
                c.insert("entry", &view);
                sink.put(&path, &ctx.render("entry.html", &c, PAGE_BYTES)?)?;
                Ok(true)
            })
            .collect();
        for w in written {
            pages += usize::from(w?);
        }
    }
    Ok(pages)
}

/// Adds a page to the search index.
fn add_to_index(index: &mut search::IndexBuilder, record: search::PageRecord, sink: &dyn Sink) -> std::io::Result<()> {
    let entry = record.index_entry(index.folding());
    put_fragments(index.add(entry), sink)
}

/// Writes the fragment file that adding a page filled, if it did.
fn put_fragments(file: Option<(String, String)>, sink: &dyn Sink) -> std::io::Result<()> {
    match file {
        Some((path, text)) => sink.put(&path, text.as_bytes()),
        None => Ok(()),
    }
}

/// The path part of a URL: `https://u.github.io/repo/` → `/repo/`.
fn url_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, r)| r);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_owned(),
        None => "/".to_owned(),
    }
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

fn entry_view(site: &Site, index: &EntryIndex, i: usize, e: &Entry, root: &str, ctx: &Ctx) -> EntryView {
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
        definition_html: markdown_html(&e.definition, root, site.config.raw_html),
        related,
        count,
        documents,
        backlinks: ctx.backlinks(&PageRef::Term(e.id.clone()), root),
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

fn sitemap(site: &Site, base: &str) -> String {
    let mut urls = vec![base.to_owned()];
    urls.extend(site.docs.iter().map(|d| cat![base, layout::doc_page(&d.doc.slug)]));
    urls.extend(site.pages.iter().map(|p| cat![base, layout::doc_page(&p.doc.slug)]));
    if !site.entries.is_empty() {
        urls.push(cat![base, layout::GLOSSARY]);
        urls.extend(site.entries.iter().map(|e| cat![base, layout::entry_page(&e.id)]));
    }
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for u in urls {
        s.push_str(&format!("  <url><loc>{}</loc></url>\n", escape(&u)));
    }
    s.push_str("</urlset>\n");
    s
}
