//! The EPUB 3 edition of the site (docs/epub.md), an output like the HTML pages: each
//! document and chosen extra page is a chapter, made in parallel (`part`) from the same body
//! renderer as its page, in book mode (notes as EPUB footnotes, glosses in the text: see
//! `body::BodyOptions::book`), through the theme's `epub/` templates, its links pointed inside
//! the book (`links`); chapters go into the ZIP container as they are taken in, in page order
//! (`container`), so the book is never held whole. At the end: the glossary as back matter
//! (`matter`), the navigation document, the NCX and the package document (`package`).
//!
//! The book has one folder, `EPUB/`: the chapters as `SLUG.xhtml` (slugs are `[a-z0-9-]+`),
//! the book's own files named with `_`, which no slug has, images under `media/`.

mod container;
mod kept;
mod links;
mod matter;
mod package;

pub(crate) use links::BOOK_ROOT;

use super::body::{BodyOptions, TranslatedBlocks, render_body, translated_book_blocks};
use super::kept::{Keep, Kept};
use super::output::{Item, Kind, Output};
use super::{PageMaker, RenderError, Sink, Stats};
use crate::concat::cat;
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic};
use crate::resolve::Site;
use crate::theme::NotePlacement;
use container::{Container, Entry, Packing};
use kept::{Copied, KeptBook, LastBook, Placed};
use links::{BookLinks, chapter_file};
use std::collections::{BTreeSet, HashSet};
use std::io::Write;

/// The files of content/static/ a book may hold (its images), read by the loading edge as it
/// reads documents for [`super::Bodies`]: rendering reads no file.
pub trait StaticFiles: Sync {
    /// Whether content/static/ has a file at `path` (relative to it, `/`-separated).
    fn has(&self, path: &str) -> bool;
    /// That file's bytes.
    fn read(&self, path: &str) -> std::io::Result<Vec<u8>>;
}

/// The book's own files in `EPUB/` (slugs have no `_`).
const TITLE_FILE: &str = "title_page.xhtml";
const COVER_FILE: &str = "cover_page.xhtml";
const NAV_FILE: &str = "nav_doc.xhtml";
const CSS_FILE: &str = "epub.css";

/// What the whole book is made of, decided before the pass.
pub(super) struct Plan<'a> {
    /// Where the book goes in the sink.
    pub(super) path: String,
    /// The extra pages before the texts, and after the glossary, in order.
    front: Vec<&'a str>,
    back: Vec<&'a str>,
    /// Every slug with a chapter: the documents and the chosen pages.
    chapters: HashSet<&'a str>,
    /// `dcterms:modified`: the newest document's date, not the clock.
    modified: String,
    time: zip::DateTime,
    translation: Option<&'a str>,
}

impl<'a> Plan<'a> {
    pub(super) fn new(site: &'a Site, path: String) -> Plan<'a> {
        let epub = &site.config.epub;
        let front: Vec<&str> = epub.front.iter().map(|p| p.value.as_str()).collect();
        let back: Vec<&str> = match &epub.back {
            Some(back) => back.iter().map(|p| p.value.as_str()).collect(),
            None => (site.pages.iter())
                .map(|p| p.doc.slug.as_str())
                .filter(|s| !front.contains(s))
                .collect(),
        };
        let pages: HashSet<&str> = site.pages.iter().map(|p| p.doc.slug.as_str()).collect();
        let docs = site.docs.iter().map(|d| d.doc.slug.as_str());
        let chosen = front.iter().chain(&back).copied().filter(|p| pages.contains(p));
        let newest = (site.docs.iter())
            .filter_map(|d| d.doc.meta.date.as_deref())
            .filter(|d| container::entry_time(Some(d)) != zip::DateTime::default())
            .max();
        Plan {
            path,
            chapters: docs.chain(chosen).collect(),
            modified: cat![newest.map_or("1980-01-01", |d| &d[..10]), "T00:00:00Z"],
            time: container::entry_time(newest),
            translation: epub.translation.as_deref(),
            front,
            back,
        }
    }
}

/// The EPUB edition as an output.
pub(super) struct Epub<'a> {
    maker: &'a PageMaker<'a>,
    plan: Plan<'a>,
    statics: &'a dyn StaticFiles,
    /// Whether its chapters, notes and occurrences are the run's counts (`glossa epub`), or
    /// the book is one more file of the site (`glossa build`), whose pages count.
    counts: bool,
}

/// One chapter, made on any thread: its entry, compressed, and what the book keeps of it.
pub(super) struct Chapter {
    toc: TocItem,
    entry: Entry,
    /// The images of content/static/ it shows.
    images: Vec<String>,
    notes: usize,
    occurrences: usize,
}

/// A chapter in the book's tables of contents.
#[derive(Clone)]
pub(super) struct TocItem {
    pub(super) slug: String,
    pub(super) title: String,
    pub(super) kind: Kind,
}

/// The book being written: its container, its chapters so far (with the images each shows,
/// what the book keeps), the images it holds; after an edit, the last book it copies from.
pub(super) struct Taken<'s> {
    container: Container<Box<dyn Write + Send + 's>>,
    chapters: Vec<TocItem>,
    kept: Vec<(String, Vec<String>)>,
    images: BTreeSet<String>,
    stats: Stats,
    last: Option<LastBook<'s>>,
}

impl<'a> Epub<'a> {
    pub(super) fn new(maker: &'a PageMaker<'a>, plan: Plan<'a>, statics: &'a dyn StaticFiles, counts: bool) -> Self {
        Epub {
            maker,
            plan,
            statics,
            counts,
        }
    }

    fn links<'l>(
        &'l self,
        in_book: &'l (dyn Fn(&str) -> bool + Sync),
        has: &'l (dyn Fn(&str) -> bool + Sync),
    ) -> BookLinks<'l> {
        let base_url = self.maker.site.config.base_url.as_deref();
        BookLinks {
            in_book,
            has_static: has,
            base_url,
            base_path: base_url.map_or("/", |u| {
                let after = u.split_once("://").map_or(u, |(_, r)| r);
                after.find('/').map_or("/", |i| &after[i..])
            }),
        }
    }

    /// An entry of `EPUB/`, deflated.
    fn text(&self, name: &str, bytes: &[u8]) -> Result<Entry, RenderError> {
        Ok(Entry::new(
            &cat!["EPUB/", name],
            bytes,
            self.plan.time,
            Packing::Deflate,
        )?)
    }

    /// How a chapter's text is rendered: in book mode, from [`BOOK_ROOT`], raw HTML as text
    /// (a book's XHTML must be well-formed), every note at the end of the chapter.
    fn body_options<'o>(&'o self, lang: &'o str) -> BodyOptions<'o> {
        let site_lang = self.maker.site.config.lang.as_str();
        BodyOptions {
            root: BOOK_ROOT,
            raw_html: false,
            notes: NotePlacement::End,
            strings: &self.maker.theme.strings,
            site_lang: (lang != site_lang).then_some(site_lang),
            lang,
            book: true,
        }
    }

    /// The template values every file of the book sees (`site`, `t`, `lang`, `css`).
    fn context(&self, lang: &str, title: &str) -> tera::Context {
        let mut c = tera::Context::new();
        for (key, value) in &self.maker.shared {
            c.insert_value(*key, value.clone());
        }
        c.insert("lang", lang);
        c.insert("page_title", title);
        c.insert("css", CSS_FILE);
        c
    }

    fn render(&self, template: &str, c: &tera::Context, size: usize) -> Result<Vec<u8>, RenderError> {
        self.maker.render(template, c, size)
    }

    /// One chapter: the item's body in book mode, with its translation if the book asks for
    /// one, through `epub/chapter.xhtml`.
    fn chapter(&self, item: &Item) -> Result<Option<Chapter>, RenderError> {
        let (rd, site) = (item.rd, self.maker.site);
        let slug = rd.doc.slug.as_str();
        if !self.plan.chapters.contains(slug) {
            return Ok(None);
        }
        let entries = match item.kind {
            Kind::Document => &site.entries[..],
            Kind::Page => &[],
        };
        let translations: Vec<TranslatedBlocks> = match self.plan.translation {
            Some(lang) => (rd.translations.iter().zip(item.translations()?))
                .filter(|(t, _)| t.lang == lang)
                .map(|(t, body)| TranslatedBlocks {
                    lang: t.lang.clone(),
                    shown: true,
                    blocks: translated_book_blocks(body, BOOK_ROOT),
                })
                .collect(),
            None => Vec::new(),
        };
        let body = render_body(rd, item.body()?, entries, &translations, &self.body_options(item.lang));
        let in_book = |s: &str| self.plan.chapters.contains(s);
        let has = |p: &str| self.statics.has(p);
        let links = self.links(&in_book, &has);
        let mut images = Vec::new();
        let body_html = links.rewrite(&body.html, slug, &mut images);
        let notes_html = links.rewrite(&body.endnotes_html, slug, &mut images);
        let strings = &self.maker.theme.strings;
        let meta = &rd.doc.meta;
        let mut c = self.context(item.lang, &rd.doc.title);
        c.insert(
            "kind",
            if item.kind == Kind::Document {
                "document"
            } else {
                "page"
            },
        );
        c.insert("title", &rd.doc.title);
        c.insert("author", meta.author.as_deref().unwrap_or_default());
        c.insert("date", meta.date.as_deref().unwrap_or_default());
        c.insert(
            "date_display",
            &meta.date.as_deref().map(|d| strings.date(d)).unwrap_or_default(),
        );
        c.insert("source", &meta.source);
        c.insert("body_html", &body_html);
        c.insert("notes_html", &notes_html);
        let bytes = self.render("epub/chapter.xhtml", &c, 4096 + body_html.len() + notes_html.len())?;
        Ok(Some(Chapter {
            toc: TocItem {
                slug: slug.to_owned(),
                title: rd.doc.title.clone(),
                kind: item.kind,
            },
            entry: self.text(&chapter_file(slug), &bytes)?,
            images,
            notes: rd.notes,
            occurrences: rd.occurrences.len(),
        }))
    }

    /// A chapter taken into the book, made or copied: its images after it, and its place in
    /// the contents and in what the book keeps.
    fn took(&self, taken: &mut Taken, placed: Placed, images: Vec<String>) -> Result<(), RenderError> {
        self.add_images(taken, &images)?;
        taken.stats.pages += 1;
        taken.stats.notes += placed.notes;
        taken.stats.occurrences += placed.occurrences;
        taken.kept.push((placed.toc.slug.clone(), images));
        taken.chapters.push(placed.toc);
        Ok(())
    }

    /// After an edit: the chapters of the last book before the item at `at` of the pass,
    /// copied as they stand there.
    fn copy_chapters(&self, taken: &mut Taken, at: usize) -> Result<(), RenderError> {
        let copied = taken.last.as_mut().map(|last| last.before(at)).unwrap_or_default();
        for Copied { entry, placed, images } in copied {
            let Taken { last, container, .. } = &mut *taken;
            if let Some(last) = last {
                let file = (last.archive.by_name_raw(entry.as_bytes()))
                    .map_err(|e| std::io::Error::other(format!("{}: {entry}: {e}", self.plan.path)))?;
                container.copy(file)?;
            }
            self.took(taken, placed, images)?;
        }
        Ok(())
    }

    /// The images not yet in the book, read and stored.
    fn add_images(&self, taken: &mut Taken, images: &[String]) -> Result<(), RenderError> {
        for path in images {
            if taken.images.contains(path) {
                continue;
            }
            let bytes = self.statics.read(path)?;
            let entry = Entry::new(
                &cat!["EPUB/", links::MEDIA, path],
                &bytes,
                self.plan.time,
                Packing::Store,
            )?;
            taken.container.add(entry)?;
            taken.images.insert(path.clone());
        }
        Ok(())
    }
}

impl Output for Epub<'_> {
    type Part = Option<Chapter>;
    type State<'s> = Taken<'s>;

    /// The container, with what comes before the chapters: container.xml, the stylesheet, the
    /// cover and the title page.
    fn start<'s>(&self, sink: &'s dyn Sink, last: Option<&Kept>) -> Result<Taken<'s>, RenderError> {
        let site = self.maker.site;
        let kept = last
            .and_then(|l| l.get(kept::KEPT))
            .and_then(|b| KeptBook::of(b, &self.plan, site));
        let last = match kept {
            Some(kept) => Some(LastBook::open(sink.last(&self.plan.path)?, kept, site, &self.plan)?),
            None => None,
        };
        let mut taken = Taken {
            container: Container::new(sink.stream(&self.plan.path)?, self.plan.time)?,
            chapters: Vec::new(),
            kept: Vec::new(),
            images: BTreeSet::new(),
            stats: Stats::default(),
            last,
        };
        let container_xml = package::container_xml();
        let entry = Entry::new(
            "META-INF/container.xml",
            container_xml.as_bytes(),
            self.plan.time,
            Packing::Deflate,
        )?;
        taken.container.add(entry)?;
        let config = &self.maker.site.config;
        let c = self.context(&config.lang, &config.title);
        let css = self.render("epub/epub.css", &c, 8192)?;
        taken.container.add(self.text(CSS_FILE, &css)?)?;
        if let Some(cover) = &config.epub.cover {
            self.add_images(&mut taken, std::slice::from_ref(&cover.value))?;
            let mut c = self.context(&config.lang, &config.title);
            c.insert("cover", &cat![links::MEDIA, cover.value]);
            taken
                .container
                .add(self.text(COVER_FILE, &self.render("epub/cover.xhtml", &c, 2048)?)?)?;
        }
        taken
            .container
            .add(self.text(TITLE_FILE, &self.render("epub/title.xhtml", &c, 4096)?)?)?;
        Ok(taken)
    }

    fn part(&self, item: &Item, _sink: &dyn Sink) -> Result<Option<Chapter>, RenderError> {
        self.chapter(item)
    }

    fn take_in(
        &self,
        taken: &mut Taken,
        at: usize,
        part: Option<Chapter>,
        _sink: &dyn Sink,
    ) -> Result<(), RenderError> {
        self.copy_chapters(taken, at)?;
        let Some(chapter) = part else {
            return Ok(());
        };
        taken.container.add(chapter.entry)?;
        let placed = Placed {
            toc: chapter.toc,
            notes: chapter.notes,
            occurrences: chapter.occurrences,
        };
        self.took(taken, placed, chapter.images)
    }

    /// The chapters left to copy after an edit; the glossary, the navigation and the package
    /// document; then the container is closed, and what the book keeps is kept.
    fn finish(&self, mut taken: Taken, _sink: &dyn Sink, keep: Option<&Keep>) -> Result<Stats, RenderError> {
        self.copy_chapters(&mut taken, usize::MAX)?;
        let config = &self.maker.site.config;
        let has_glossary = !self.maker.site.entries.is_empty();
        if has_glossary {
            let in_book = |s: &str| self.plan.chapters.contains(s);
            let has = |p: &str| self.statics.has(p);
            let mut images = Vec::new();
            let glossary = matter::glossary(self, &self.links(&in_book, &has), &mut images)?;
            taken.container.add(self.text(links::GLOSSARY_FILE, &glossary)?)?;
            self.add_images(&mut taken, &images)?;
            // A book's "pages" are its chapters, as its contents list them: the glossary too.
            taken.stats.pages += 1;
        }
        let spine = matter::spine(self, &self.plan, &taken.chapters, has_glossary);
        let mut c = self.context(&config.lang, self.maker.theme.strings.get("contents"));
        c.insert("toc", &spine.toc);
        c.insert("landmarks", &spine.landmarks);
        taken
            .container
            .add(self.text(NAV_FILE, &self.render("epub/nav.xhtml", &c, 8192)?)?)?;
        let ncx = package::ncx(config, &identifier(config), &spine.toc);
        taken.container.add(self.text("toc.ncx", ncx.as_bytes())?)?;
        let opf = package::opf(&package::Package {
            config,
            identifier: &identifier(config),
            modified: &self.plan.modified,
            spine: &spine,
            images: &taken.images,
            cover: config.epub.cover.as_ref().map(|c| c.value.as_str()),
        });
        taken.container.add(self.text("package.opf", opf.as_bytes())?)?;
        taken.container.finish()?;
        if let Some(keep) = keep {
            let book = KeptBook {
                path: self.plan.path.clone(),
                modified: self.plan.modified.clone(),
                chapters: taken.kept,
            };
            keep.put(kept::KEPT, book.encode());
        }
        Ok(if self.counts { taken.stats } else { Stats::default() })
    }

    /// After an edit, the chapters of the documents rendered again are made anew, and the
    /// others copied from the last book, when it kept them all.
    fn patches(&self, last: &Kept) -> bool {
        let kept = last.get(kept::KEPT);
        kept.and_then(|bytes| KeptBook::of(bytes, &self.plan, self.maker.site))
            .is_some()
    }
}

/// `dc:identifier`: `epub.id`, else the site's address, else a name made from its title.
fn identifier(config: &Config) -> String {
    match (&config.epub.id, &config.base_url) {
        (Some(id), _) => id.clone(),
        (None, Some(url)) => url.clone(),
        (None, None) => cat!["urn:glossa:", crate::slug::slugify(&config.title)],
    }
}

/// `epub.front` and `epub.back` against the site's extra pages: each names one, and no page
/// stands twice. Errors point at the names in site.yaml.
pub fn check_pages(site: &Site) -> Vec<Diagnostic> {
    let epub = &site.config.epub;
    let pages: Vec<&str> = site.pages.iter().map(|p| p.doc.slug.as_str()).collect();
    let mut seen = HashSet::new();
    let mut diags = Vec::new();
    for placed in epub.front.iter().chain(epub.back.iter().flatten()) {
        let name = placed.value.as_str();
        if !pages.contains(&name) {
            let d = placed.error(
                Code::UnknownEpubPage,
                format!("no extra page `{name}` in content/pages/"),
            );
            diags.push(match crate::diagnostics::did_you_mean(name, pages.iter().copied()) {
                Some(best) => d.hint(format!("did you mean `{best}`?")),
                None => d.hint("name a page by its file name under content/pages/, without `.md`"),
            });
        } else if !seen.insert(name) {
            diags.push(placed.error(Code::UnknownEpubPage, format!("the extra page `{name}` is named twice")));
        }
    }
    diags
}
