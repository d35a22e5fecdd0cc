//! The view structs: everything a template sees. This module is the theme authors' API
//! (documented in docs/themes.md); templates see nothing else.

use serde::Serialize;

#[derive(Serialize, Clone)]
pub struct SiteView {
    pub title: String,
    pub description: String,
    pub lang: String,
    pub base_url: String,
    pub search: bool,
}

/// The theme as templates see it (`theme`).
#[derive(Serialize, Clone)]
pub struct ThemeView {
    /// The theme named in site.yaml.
    pub name: String,
    /// Where notes stand: `side` or `end`.
    pub notes: crate::theme::NotePlacement,
    /// Stylesheets under `static/` to link, the most general theme's first.
    pub stylesheets: Vec<String>,
}

#[derive(Serialize, Clone)]
pub struct Link {
    pub title: String,
    pub url: String,
}

#[derive(Serialize, PartialEq)]
pub struct DocSummary {
    pub title: String,
    pub url: String,
    pub author: String,
    pub date: String,
    /// `date` in words, in the interface language: "29 November 2026".
    pub date_display: String,
    pub summary: String,
    pub lang: String,
    pub notes: usize,
    pub terms: usize,
    pub tags: Vec<String>,
}

#[derive(Serialize)]
pub struct TermUse {
    pub id: String,
    pub term: String,
    pub url: String,
    pub count: usize,
}

#[derive(Serialize)]
pub struct DocView<'a> {
    pub title: String,
    pub slug: String,
    pub author: String,
    pub date: String,
    /// `date` in words, in the interface language: "29 November 2026".
    pub date_display: String,
    pub lang: String,
    pub summary: String,
    pub tags: Vec<String>,
    pub source: Option<crate::parse::Source>,
    /// Borrowed from the rendered body: the template context copies it once, as it is.
    pub body_html: &'a str,
    /// With `notes: end`, the notes as a numbered list for the end of the text; else "".
    pub notes_html: &'a str,
    pub notes: usize,
    pub terms: Vec<TermUse>,
    /// The pages that link this one, each a [`Link`] as a template value (made once for the
    /// site: `super::backlinks`).
    pub backlinks: Vec<tera::Value>,
    /// The document's translations, the one shown by default first; empty without any.
    pub translations: Vec<TranslationView>,
}

/// A translation of a document as templates see it: its blocks are in `body_html`, each after
/// the block it translates.
#[derive(Serialize)]
pub struct TranslationView {
    /// Its language (BCP 47), the `lang` of its blocks.
    pub lang: String,
    /// The translated title.
    pub title: String,
}

#[derive(Serialize)]
pub struct PageView<'a> {
    pub title: String,
    pub name: String,
    pub body_html: &'a str,
    /// With `notes: end`, the page's footnotes as a numbered list; else "".
    pub notes_html: &'a str,
    /// The pages that link this one, each a [`Link`] as a template value (made once for the
    /// site: `super::backlinks`).
    pub backlinks: Vec<tera::Value>,
}

#[derive(Serialize)]
pub struct EntrySummary {
    pub id: String,
    pub term: String,
    pub url: String,
    pub summary: String,
    pub count: usize,
}

#[derive(Serialize)]
pub struct Group {
    pub kind: String,
    /// The kind as an id: `kind-SLUG` marks its section of the glossary index.
    pub slug: String,
    pub entries: Vec<EntrySummary>,
}

#[derive(Serialize, Clone)]
pub struct RelatedView {
    pub id: String,
    pub term: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct OccurrenceView {
    pub before: String,
    pub text: String,
    pub after: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct OccurrenceGroup {
    pub title: String,
    pub url: String,
    /// The document's language, that of its title and of the contexts.
    pub lang: String,
    pub occurrences: Vec<OccurrenceView>,
}

#[derive(Serialize)]
pub struct EntryView {
    pub id: String,
    pub term: String,
    pub kind: String,
    pub forms: Vec<String>,
    pub definition_html: String,
    pub related: Vec<RelatedView>,
    pub count: usize,
    pub documents: Vec<OccurrenceGroup>,
    /// The pages that link this one, each a [`Link`] as a template value (made once for the
    /// site: `super::backlinks`).
    pub backlinks: Vec<tera::Value>,
}

/// What a page's `<head>` tells those who share, index or subscribe to it (`meta`): the Open
/// Graph and Twitter card tags, the schema.org JSON-LD and the alternate links. Made by
/// `render::share`; every string is `""` when the page has nothing to say there, so that a
/// template writes no empty tag.
#[derive(Serialize)]
pub struct MetaView {
    /// `og:title`: the page's title; the site's on the home page.
    pub title: String,
    /// `<meta name="description">` and `og:description`: a document's or extra page's
    /// `summary`, an entry's first sentence, else the site's description.
    pub description: String,
    /// `og:type`: `article` on document pages, `website` elsewhere.
    pub og_type: &'static str,
    /// `og:locale` (`de_DE`) from the page's language, or `""` when it has no such form.
    pub locale: String,
    /// `article:published_time`: a document's date (`YYYY-MM-DD`), or `""`.
    pub published: String,
    /// The Atom feed, relative to the page, or `""` when the site has none.
    pub feed_url: String,
    /// `annotations.jsonld`, relative to the page.
    pub annotations_url: String,
    /// The page's schema.org JSON-LD, or `""`: safe to print with `| safe` inside
    /// `<script type="application/ld+json">` (it holds no `<`, `>` or `&`).
    pub json_ld: String,
}
