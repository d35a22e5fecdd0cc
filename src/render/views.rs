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
    pub backlinks: Vec<Link>,
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
    pub backlinks: Vec<Link>,
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
    pub backlinks: Vec<Link>,
}
