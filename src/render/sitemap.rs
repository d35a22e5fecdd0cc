//! The sitemap: every page's address, for a site with a `base_url`.

use super::output::{Item, Output};
use super::{RenderError, Sink, Stats};
use crate::concat::cat;
use crate::layout;
use crate::markdown::escape;
use crate::resolve::Site;

/// sitemap.xml as an output, for a site with a base URL: made of the whole site at the end.
pub(super) struct Sitemap<'a> {
    site: &'a Site,
    base: &'a str,
}

impl<'a> Sitemap<'a> {
    pub(super) fn new(site: &'a Site, sink: &dyn Sink) -> Option<Self> {
        let base = site.config.base_url.as_deref()?;
        sink.wants("sitemap.xml").then_some(Sitemap { site, base })
    }
}

impl Output for Sitemap<'_> {
    type Part = ();
    type State<'s> = ();

    fn start(&self, _sink: &dyn Sink) -> Result<(), RenderError> {
        Ok(())
    }

    fn part(&self, _item: &Item, _sink: &dyn Sink) -> Result<(), RenderError> {
        Ok(())
    }

    fn take_in(&self, _state: &mut (), _part: (), _sink: &dyn Sink) -> Result<(), RenderError> {
        Ok(())
    }

    fn finish(&self, _state: (), sink: &dyn Sink) -> Result<Stats, RenderError> {
        sink.put("sitemap.xml", sitemap(self.site, self.base).as_bytes())?;
        Ok(Stats::default())
    }
}

/// sitemap.xml: the home page, every document and page, the glossary and its entries.
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
