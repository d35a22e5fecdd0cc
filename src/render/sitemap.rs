//! The sitemap: every page's address, for a site with a `base_url`.

use crate::concat::cat;
use crate::layout;
use crate::markdown::escape;
use crate::resolve::Site;

/// sitemap.xml: the home page, every document and page, the glossary and its entries.
pub(super) fn sitemap(site: &Site, base: &str) -> String {
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
