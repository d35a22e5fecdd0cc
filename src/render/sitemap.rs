//! The sitemap: every page's address, for a site with a `base_url`, with a document's date as
//! its `lastmod`. A sitemap may hold 50,000 addresses: a larger site gets `sitemap.xml` as a
//! sitemap index of `sitemap-1.xml`, `sitemap-2.xml`, … (the sitemaps.org protocol).

use super::output::SiteFile;
use super::xml::escape;
use super::{RenderError, Sink, Stats};
use crate::concat::{cat, push};
use crate::layout;
use crate::resolve::Site;

/// How many addresses one sitemap may hold (sitemaps.org).
const MAX_URLS: usize = 50_000;

/// sitemap.xml (and its parts) as an output, for a site with a base URL: made of the whole
/// site at the end.
pub(super) struct Sitemap<'a> {
    site: &'a Site,
    base: &'a str,
}

impl<'a> Sitemap<'a> {
    pub(super) fn new(site: &'a Site, sink: &dyn Sink) -> Option<Self> {
        let base = site.config.base_url.as_deref()?;
        sink.wants(layout::SITEMAP).then_some(Sitemap { site, base })
    }
}

impl SiteFile for Sitemap<'_> {
    fn write(&self, sink: &dyn Sink) -> Result<Stats, RenderError> {
        for (path, text) in sitemap_files(&site_urls(self.site, self.base), self.base, MAX_URLS) {
            sink.put(&path, text.as_bytes())?;
        }
        Ok(Stats::default())
    }
}

/// The files the sitemap of `site` is written in: what `serve` makes again when the list of
/// documents changed.
pub fn sitemap_paths(site: &Site) -> Vec<String> {
    let urls = site_urls(site, "").len();
    if urls <= MAX_URLS {
        return vec![layout::SITEMAP.to_owned()];
    }
    let parts = (1..=urls.div_ceil(MAX_URLS)).map(layout::sitemap_part);
    parts.chain([layout::SITEMAP.to_owned()]).collect()
}

/// One address of the sitemap, and the date its page last changed, when known.
struct Url<'s> {
    loc: String,
    lastmod: Option<&'s str>,
}

/// The home page, every document (with its date) and page, the glossary and its entries.
fn site_urls<'s>(site: &'s Site, base: &str) -> Vec<Url<'s>> {
    let url = |path: &str| cat![base, path];
    let mut urls = vec![Url {
        loc: base.to_owned(),
        lastmod: None,
    }];
    urls.extend(site.docs.iter().map(|d| Url {
        loc: url(&layout::doc_page(&d.doc.slug)),
        lastmod: d.doc.meta.date.as_deref(),
    }));
    let page = |path: String| Url {
        loc: url(&path),
        lastmod: None,
    };
    urls.extend(site.pages.iter().map(|p| page(layout::doc_page(&p.doc.slug))));
    if !site.entries.is_empty() {
        urls.push(page(layout::GLOSSARY.to_owned()));
        urls.extend(site.entries.iter().map(|e| page(layout::entry_page(&e.id))));
    }
    urls
}

/// The sitemap's files, `(path, text)`: `sitemap.xml` alone when the addresses fit in one
/// (`limit` of them at most), else their parts of `limit` addresses each and `sitemap.xml`
/// as the index of the parts, each part's `lastmod` the newest of its addresses'.
fn sitemap_files(urls: &[Url], base: &str, limit: usize) -> Vec<(String, String)> {
    if urls.len() <= limit {
        return vec![(layout::SITEMAP.to_owned(), urlset(urls))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (i, part) in urls.chunks(limit.max(1)).enumerate() {
        let path = layout::sitemap_part(i + 1);
        push!(&mut index, "  <sitemap><loc>", escape(&cat![base, path]), "</loc>");
        if let Some(newest) = part.iter().filter_map(|u| u.lastmod).max() {
            push!(&mut index, "<lastmod>", escape(newest), "</lastmod>");
        }
        index.push_str("</sitemap>\n");
        files.push((path, urlset(part)));
    }
    index.push_str("</sitemapindex>\n");
    files.push((layout::SITEMAP.to_owned(), index));
    files
}

/// One sitemap of `urls`.
fn urlset(urls: &[Url]) -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for u in urls {
        push!(&mut s, "  <url><loc>", escape(&u.loc), "</loc>");
        if let Some(date) = u.lastmod {
            push!(&mut s, "<lastmod>", escape(date), "</lastmod>");
        }
        s.push_str("</url>\n");
    }
    s.push_str("</urlset>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(n: usize) -> Vec<Url<'static>> {
        (0..n)
            .map(|i| Url {
                loc: format!("https://example.org/d{i}/index.html"),
                lastmod: ["2024-01-02", "2023-05-06"].get(i % 3).copied(),
            })
            .collect()
    }

    #[test]
    fn a_site_within_the_limit_has_one_sitemap() {
        let files = sitemap_files(&urls(3), "https://example.org/", 3);
        assert_eq!(files.len(), 1);
        let (path, text) = &files[0];
        assert_eq!(path, "sitemap.xml");
        assert!(text.contains("<urlset"), "{text}");
        assert_eq!(text.matches("<url>").count(), 3);
        assert!(text.contains("<loc>https://example.org/d0/index.html</loc><lastmod>2024-01-02</lastmod></url>"));
        assert!(text.contains("<loc>https://example.org/d2/index.html</loc></url>"));
    }

    #[test]
    fn a_site_past_the_limit_gets_an_index_of_parts() {
        let files = sitemap_files(&urls(7), "https://example.org/", 3);
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            ["sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"]
        );
        let counts: Vec<usize> = files[..3].iter().map(|(_, t)| t.matches("<url>").count()).collect();
        assert_eq!(counts, [3, 3, 1], "every address once, in order, at most 3 a part");
        assert!(files[1].1.contains("d3/index.html") && files[1].1.contains("d5/index.html"));
        let index = &files[3].1;
        assert!(index.contains("<sitemapindex"), "{index}");
        assert!(!index.contains("<urlset"));
        assert!(index.contains(
            "  <sitemap><loc>https://example.org/sitemap-1.xml</loc><lastmod>2024-01-02</lastmod></sitemap>\n"
        ));
        // The third part's one address (d6) has a date: 6 % 3 == 0.
        assert!(index.contains("<loc>https://example.org/sitemap-3.xml</loc><lastmod>2024-01-02</lastmod>"));
        assert_eq!(index.matches("<sitemap>").count(), 3);
    }

    #[test]
    fn exactly_the_limit_still_fits_in_one() {
        assert_eq!(sitemap_files(&urls(3), "https://example.org/", 3).len(), 1);
        assert_eq!(sitemap_files(&urls(4), "https://example.org/", 3).len(), 3);
    }
}
