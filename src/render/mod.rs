//! Render: a resolved [`Site`], and each document's [`PageBody`] as its page renders (from a
//! [`Bodies`]) → the files of the output, handed one by one to a sink. No disk access: the
//! bodies come from the loading edge (`crate::load::Reload`).
//!
//! Pages are rendered and passed on at once, never all held in memory. Everything here is
//! deterministic: the same site gives the same bytes.
//!
//! Every file of the site is made by an output over the resolved site (`output::Output`):
//! the HTML pages (`document`, `pages`), the search index (`search`), `annotations.jsonld`
//! (`jsonld`) and the sitemap (`sitemap`). This file holds their list ([`render_site`]) and
//! what every page is made with (`PageMaker`).

mod backlinks;
pub mod body;
mod document;
pub mod epub;
mod feed;
pub mod jsonld;
pub mod kept;
mod output;
use output::AtEnd;
mod pages;
mod previews;
pub mod search;
mod share;
mod sitemap;
pub mod views;
mod xml;

// What serve compares to tell whether an edit changed the home page and the glossary's index.
pub use document::doc_summary;
pub use pages::occurrence_counts;
// What serve writes again when the list of documents changed, and when it builds every page.
pub use feed::has_feed;
pub use sitemap::sitemap_paths;

use crate::concat::cat;
use crate::layout::{self, PageRef};
use crate::markdown::plain_text;
use crate::resolve::{PageBody, ResolvedDoc, Site, SourceChanged};
use crate::theme;
use body::BodyOptions;
use kept::Carry;
use views::*;

/// Where the pages that carry previews and backlinks stand, by their way back to the site root:
/// documents and extra pages one folder deep, entry pages two. What such pages share is made
/// once for each (`previews`, `backlinks`).
const READING_ROOTS: [&str; 2] = ["../", "../../"];

/// Where rendered files go: a path relative to the output root, and the bytes. Document
/// pages are rendered and handed over from several threads at once.
pub trait Sink: Sync {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()>;

    /// A file written piece by piece, for one too large to hold whole (annotations.jsonld).
    fn stream(&self, path: &str) -> std::io::Result<Box<dyn std::io::Write + Send + '_>>;

    /// Writes `path` as `pieces` say, in order: ranges of the file the output holds at `path`,
    /// as the last build left it, and new bytes. After an edit, an output too large to make
    /// again (annotations.jsonld) changes only its edited documents' share this way
    /// (`kept`). Only a sink over an existing output can; the others say so.
    fn patch(&self, path: &str, _pieces: &[Piece]) -> std::io::Result<()> {
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            format!("{path}: there is no output to patch"),
        ))
    }

    /// The file the output holds at `path`, as the last build left it, to read: after an
    /// edit, the book copies its unchanged chapters from it (`kept`). Only a sink over an
    /// existing output can; the others say so.
    fn last(&self, path: &str) -> std::io::Result<Box<dyn LastFile + '_>> {
        Err(std::io::Error::new(
            std::io::ErrorKind::Unsupported,
            format!("{path}: there is no output to read"),
        ))
    }

    /// Told as document pages are done, `(done, total)`, for a progress display.
    fn progress(&self, _done: usize, _total: usize) {}

    /// Whether the file at `path` is wanted. A full build wants every file; `serve`, after an
    /// edit, only those the edit changed, and rendering skips the others.
    fn wants(&self, _path: &str) -> bool {
        true
    }
}

/// A file of the output as [`Sink::last`] gives it.
pub trait LastFile: std::io::Read + std::io::Seek + Send {}
impl<T: std::io::Read + std::io::Seek + Send> LastFile for T {}

/// A piece of a file written by [`Sink::patch`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    /// These bytes of the file the output holds (offsets from its start).
    Old(std::ops::Range<u64>),
    /// New bytes.
    New(&'a [u8]),
}

/// Gives the body a kept document's page renders from ([`PageBody`]): the loading edge makes
/// it again from the document's file (`crate::load::Reload`), so that rendering reads no file.
pub trait Bodies: Sync {
    fn body(&self, doc: &ResolvedDoc) -> Result<PageBody, SourceChanged>;

    /// A translation's body, made again from its file as loading made it.
    fn translation(&self, t: &crate::resolve::translation::Translation) -> Result<PageBody, SourceChanged>;
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

impl std::ops::Add for Stats {
    type Output = Stats;

    fn add(self, other: Stats) -> Stats {
        Stats {
            pages: self.pages + other.pages,
            notes: self.notes + other.notes,
            occurrences: self.occurrences + other.occurrences,
        }
    }
}

/// What every page is made with: the site, its bodies and theme, and what every page's
/// template sees the same.
struct PageMaker<'a> {
    site: &'a Site,
    bodies: &'a dyn Bodies,
    theme: &'a theme::Theme,
    /// What every page's template sees the same (`site`, `t`, `theme`, `has_glossary`), made
    /// into template values once: a Tera value shares its maps and strings when it is cloned,
    /// so each page gets them without serializing them again.
    shared: Vec<(&'static str, tera::Value)>,
    nav_pages: Vec<(String, String)>,
    /// Whether the site has a feed, which every page then links.
    has_feed: bool,
    /// What reading pages carry of the glossary entries they link (`previews`).
    previews: previews::Previews<'a>,
    /// The pages that link others, as lists of backlinks show them (`backlinks`).
    linkers: backlinks::Linkers,
}

impl PageMaker<'_> {
    fn base(&self, kind: &str, root: &str, lang: &str, title: &str, path: &str) -> tera::Context {
        let meta = self.meta(kind, root, lang, title);
        self.base_with(kind, root, lang, title, path, &meta)
    }

    /// `base`, with what the page's head says of it (`share`) made by the caller.
    fn base_with(&self, kind: &str, root: &str, lang: &str, title: &str, path: &str, meta: &MetaView) -> tera::Context {
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
        c.insert("meta", meta);
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
    fn body_options<'o>(&'o self, root: &'o str, lang: &'o str) -> BodyOptions<'o> {
        let site_lang = self.site.config.lang.as_str();
        BodyOptions {
            root,
            raw_html: self.site.config.raw_html,
            notes: self.theme.notes,
            strings: &self.theme.strings,
            site_lang: (lang != site_lang).then_some(site_lang),
            lang,
            book: false,
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

impl<'a> PageMaker<'a> {
    fn new(site: &'a Site, bodies: &'a dyn Bodies, theme: &'a theme::Theme) -> PageMaker<'a> {
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
        PageMaker {
            site,
            bodies,
            theme,
            shared: vec![
                ("site", tera::Value::from_serializable(&site_view)),
                (
                    "has_glossary",
                    tera::Value::from_serializable(&!site.entries.is_empty()),
                ),
                (
                    "has_translations",
                    tera::Value::from_serializable(&site.docs.iter().any(|d| !d.translations.is_empty())),
                ),
                ("t", tera::Value::from_serializable(theme.strings.map())),
                ("theme", tera::Value::from_serializable(&theme_view)),
            ],
            nav_pages: site
                .pages
                .iter()
                .map(|p| (p.doc.slug.clone(), p.doc.title.clone()))
                .collect(),
            has_feed: feed::has_feed(site),
            previews: previews::Previews::new(&site.entries, config.raw_html, theme.strings.get("preview_open")),
            linkers: backlinks::Linkers::default(),
        }
    }
}

/// Renders every file of the site into `sink`; each document's and page's body comes from
/// `bodies` as it renders. The site's outputs are listed here: a new output is one more
/// entry.
pub fn render_site(
    site: &Site,
    bodies: &dyn Bodies,
    theme: &theme::Theme,
    sink: &dyn Sink,
) -> Result<Stats, RenderError> {
    render_outputs(site, bodies, theme, None, sink, Carry::default())
}

/// [`render_site`], and the EPUB edition into the output when site.yaml's `epub.file` names it
/// (its images read from `statics`); with what builds keep for the next as `carry` says
/// ([`kept`]).
pub fn render_site_and_book(
    site: &Site,
    bodies: &dyn Bodies,
    theme: &theme::Theme,
    statics: &dyn epub::StaticFiles,
    sink: &dyn Sink,
    carry: Carry,
) -> Result<Stats, RenderError> {
    render_outputs(site, bodies, theme, Some(statics), sink, carry)
}

fn render_outputs(
    site: &Site,
    bodies: &dyn Bodies,
    theme: &theme::Theme,
    statics: Option<&dyn epub::StaticFiles>,
    sink: &dyn Sink,
    carry: Carry,
) -> Result<Stats, RenderError> {
    let maker = PageMaker::new(site, bodies, theme);
    let book_file = site.config.epub.file.clone().filter(|f| sink.wants(f));
    let outputs = (
        document::HtmlPages::new(&maker, sink),
        (
            search::SearchIndex::new(&maker, sink),
            (
                jsonld::Annotations::new(site, sink),
                (
                    sitemap::Sitemap::new(site, sink).map(AtEnd),
                    (
                        feed::Feed::new(site, sink).map(AtEnd),
                        (statics.zip(book_file)).map(|(statics, file)| {
                            epub::Epub::new(&maker, epub::Plan::new(site, file), statics, false)
                        }),
                    ),
                ),
            ),
        ),
    );
    output::run(&maker, &outputs, sink, carry)
}

/// The EPUB edition alone (`glossa epub`), as `path` in `sink`.
pub fn render_book(
    site: &Site,
    bodies: &dyn Bodies,
    theme: &theme::Theme,
    statics: &dyn epub::StaticFiles,
    sink: &dyn Sink,
    path: &str,
) -> Result<Stats, RenderError> {
    let maker = PageMaker::new(site, bodies, theme);
    let book = epub::Epub::new(&maker, epub::Plan::new(site, path.to_owned()), statics, true);
    output::run(&maker, &book, sink, Carry::default())
}

/// The path part of a URL: `https://u.github.io/repo/` → `/repo/`.
fn url_path(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, r)| r);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_owned(),
        None => "/".to_owned(),
    }
}
