//! The Atom feed (`feed.xml`, RFC 4287) of the documents, for a site with a `base_url`: made of
//! the whole site at the end, from what every kept document says of itself (no text is read
//! again).
//!
//! A feed says when each entry was last changed, so it holds the dated documents only, newest
//! first (documents of one date in site order); an undated document is left out of it, since
//! the only date glossa could give it is the clock's, and the same site must give the same
//! bytes. Its `updated` is its newest document's date. A site without a dated document (or
//! without a `base_url`) has no feed, and its pages link none. Drafts are never in it, even in
//! a build with `--drafts`.

use super::output::SiteFile;
use super::xml::escape;
use super::{RenderError, Sink, Stats};
use crate::concat::{cat, push};
use crate::layout;
use crate::resolve::{ResolvedDoc, Site};

/// feed.xml as an output.
pub(super) struct Feed<'a> {
    site: &'a Site,
    base: &'a str,
}

impl<'a> Feed<'a> {
    pub(super) fn new(site: &'a Site, sink: &dyn Sink) -> Option<Self> {
        let base = site.config.base_url.as_deref()?;
        (has_feed(site) && sink.wants(layout::FEED)).then_some(Feed { site, base })
    }
}

/// Whether the site has a feed: a base URL and a dated document that is not a draft. The pages
/// link the feed only then.
pub fn has_feed(site: &Site) -> bool {
    site.config.base_url.is_some() && site.docs.iter().any(|d| dated(d).is_some())
}

/// A document's date, if it belongs in the feed.
fn dated(rd: &ResolvedDoc) -> Option<&str> {
    rd.doc.meta.date.as_deref().filter(|_| !rd.doc.meta.draft)
}

impl SiteFile for Feed<'_> {
    fn write(&self, sink: &dyn Sink) -> Result<Stats, RenderError> {
        sink.put(layout::FEED, atom(self.site, self.base).as_bytes())?;
        Ok(Stats::default())
    }
}

/// A date as an Atom date-time: the day's start in UTC (documents give a day, Atom wants an
/// instant).
fn instant(date: &str) -> String {
    cat![date, "T00:00:00Z"]
}

/// The feed: the site, then its dated documents, newest first.
fn atom(site: &Site, base: &str) -> String {
    let config = &site.config;
    let mut docs: Vec<(&str, &ResolvedDoc)> = site.docs.iter().filter_map(|d| Some((dated(d)?, d))).collect();
    // Stable: documents of one date keep the site's order.
    docs.sort_by(|a, b| b.0.cmp(a.0));
    let updated = docs.first().map_or(String::new(), |(date, _)| instant(date));
    let (title, lang) = (escape(&config.title), escape(&config.lang));
    let mut out = String::with_capacity(1024 + docs.len() * 512);
    push!(
        &mut out,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"",
        &lang,
        "\">\n  <title>",
        &title,
        "</title>\n"
    );
    if !config.description.is_empty() {
        push!(&mut out, "  <subtitle>", &escape(&config.description), "</subtitle>\n");
    }
    let base = escape(base);
    push!(
        &mut out,
        "  <id>",
        &base,
        "</id>\n  <link rel=\"self\" type=\"application/atom+xml\" href=\"",
        &base,
        layout::FEED,
        "\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"",
        &base,
        "\"/>\n  <updated>",
        &updated,
        "</updated>\n"
    );
    // Atom asks for an author of every entry: the site stands for those that name none.
    if docs
        .iter()
        .any(|(_, d)| d.doc.meta.author.as_deref().unwrap_or_default().is_empty())
    {
        push!(&mut out, "  <author><name>", &title, "</name></author>\n");
    }
    out.push_str("  <generator>glossa</generator>\n");
    for (date, rd) in docs {
        entry(&mut out, rd, date, &base, &config.lang);
    }
    out.push_str("</feed>\n");
    out
}

/// One document as a feed entry. `base` is escaped already.
fn entry(out: &mut String, rd: &ResolvedDoc, date: &str, base: &str, site_lang: &str) {
    let (doc, meta) = (&rd.doc, &rd.doc.meta);
    let url = cat![base, escape(&layout::doc_page(&doc.slug))];
    let date = instant(date);
    out.push_str("  <entry");
    // The title is in the document's language, the summary in the site's (as on the page).
    let own_lang = meta.lang.as_deref().filter(|l| *l != site_lang);
    if let Some(lang) = own_lang {
        push!(out, " xml:lang=\"", &escape(lang), "\"");
    }
    push!(
        out,
        ">\n    <title>",
        &escape(&doc.title),
        "</title>\n    <id>",
        &url,
        "</id>\n    <link rel=\"alternate\" type=\"text/html\" href=\"",
        &url,
        "\"/>\n    <published>",
        &date,
        "</published>\n    <updated>",
        &date,
        "</updated>\n"
    );
    if let Some(author) = meta.author.as_deref().filter(|a| !a.is_empty()) {
        push!(out, "    <author><name>", &escape(author), "</name></author>\n");
    }
    for tag in &meta.tags {
        push!(out, "    <category term=\"", &escape(tag), "\"/>\n");
    }
    if let Some(summary) = meta.summary.as_deref().filter(|s| !s.is_empty()) {
        out.push_str("    <summary");
        if own_lang.is_some() {
            push!(out, " xml:lang=\"", escape(site_lang), "\"");
        }
        push!(out, ">", escape(summary), "</summary>\n");
    }
    out.push_str("  </entry>\n");
}
