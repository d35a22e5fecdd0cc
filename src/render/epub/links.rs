//! A chapter's links and images made to point inside the book: the small transformation
//! between the body renderer's HTML and the book's XHTML.
//!
//! The body renderer makes every link of glossa's own (`doc:`, `page:`, `term:`, a glossary
//! occurrence, a `see:`) from the root it is given; a chapter is rendered from [`BOOK_ROOT`],
//! a root no written link has, so that those links are told apart from the others here and
//! pointed at the book's files: `SLUG.xhtml#ID` for a document or extra page in the book, the
//! glossary's back matter for an entry. A link to a page the book does not hold goes to the
//! site (with a `base_url`), else loses its address; a relative link to other files of the
//! site likewise, and a `static:` link (a book's links may lead only to its chapters, and a
//! reading system opens no PDF). An image of content/static/ (`static:PATH`, or a relative
//! address that leads there) goes into the book (`media/PATH`); any other image is replaced by
//! its alternative text, since a book may hold no remote image.

use crate::concat::cat;
use crate::config::image_media_type;
use percent_encoding::percent_decode_str;

/// The root a chapter's body is rendered from: the prefix of every link glossa makes.
pub(crate) const BOOK_ROOT: &str = "glossa-book:/";

/// The glossary's back matter.
pub(super) const GLOSSARY_FILE: &str = "glossary_terms.xhtml";

/// Where images of content/static/ stand in the book, beside the chapters.
pub(super) const MEDIA: &str = "media/";

/// The id of a glossary entry in the back matter.
pub(super) fn entry_anchor(id: &str) -> String {
    cat!["g-", id]
}

/// The book's file of a document or extra page.
pub(super) fn chapter_file(slug: &str) -> String {
    cat![slug, ".xhtml"]
}

/// What a chapter's links are resolved against.
pub(super) struct BookLinks<'a> {
    /// Whether a document or extra page of this slug is in the book.
    pub(super) in_book: &'a (dyn Fn(&str) -> bool + Sync),
    /// Whether content/static/ has this file.
    pub(super) has_static: &'a (dyn Fn(&str) -> bool + Sync),
    /// The site's address, for links to what the book does not hold.
    pub(super) base_url: Option<&'a str>,
    /// The path part of `base_url` (`/repo/`), which a link starting with `/` begins with.
    pub(super) base_path: &'a str,
}

impl BookLinks<'_> {
    /// `html` of a page at `SLUG/index.html` of the site, its links and images pointing inside
    /// the book; the images of content/static/ it shows are added to `images` (their paths
    /// there).
    pub(super) fn rewrite(&self, html: &str, slug: &str, images: &mut Vec<String>) -> String {
        let mut out = String::with_capacity(html.len() + html.len() / 16);
        let mut rest = html;
        while let Some(at) = find_attr(rest) {
            let before = &rest[..at.start];
            let value_end = at.value_start + rest[at.value_start..].find('"').unwrap_or(0);
            let value = &rest[at.value_start..value_end];
            if at.image {
                match self.image(value, slug) {
                    Some(path) => {
                        out.push_str(&rest[..at.value_start]);
                        out.push_str(MEDIA);
                        out.push_str(&escape_path(&path));
                        images.push(path);
                        rest = &rest[value_end..];
                    }
                    None => {
                        // `<img src="…" alt="ALT" …/>` → the alternative text.
                        let tag_start = before.rfind("<img").unwrap_or(before.len());
                        out.push_str(&before[..tag_start]);
                        let end = value_end + rest[value_end..].find("/>").map_or(0, |i| i + 2);
                        let alt = attr_value(&rest[value_end..end], " alt=\"").unwrap_or("");
                        out.push_str("<span class=\"image-missing\">");
                        out.push_str(alt);
                        out.push_str("</span>");
                        rest = &rest[end..];
                    }
                }
                continue;
            }
            match self.link(value, slug) {
                Some(href) => {
                    out.push_str(&rest[..at.value_start]);
                    out.push_str(&href);
                    rest = &rest[value_end..];
                }
                None => {
                    // The attribute goes, with the space before it: a link without an address.
                    out.push_str(before);
                    rest = &rest[value_end + 1..];
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// Where a link of a chapter goes in the book, or `None` for nowhere.
    fn link(&self, href: &str, slug: &str) -> Option<String> {
        if let Some(own) = href.strip_prefix(BOOK_ROOT) {
            let (path, fragment) = own.split_once('#').map_or((own, None), |(p, f)| (p, Some(f)));
            if let Some(entry) = path
                .strip_prefix("glossary/")
                .and_then(|p| p.strip_suffix("/index.html"))
            {
                return Some(cat![GLOSSARY_FILE, "#", entry_anchor(entry)]);
            }
            let target = path.strip_suffix("/index.html").unwrap_or(path);
            if (self.in_book)(target) {
                let hash = if fragment.is_some() { "#" } else { "" };
                return Some(cat![chapter_file(target), hash, fragment.unwrap_or("")]);
            }
            return self.base_url.map(|base| cat![base, own]);
        }
        if href.starts_with('#') || has_scheme(href) {
            return Some(href.to_owned());
        }
        let site_path = site_path(href, slug, self.base_path)?;
        self.base_url.map(|base| cat![base, site_path])
    }

    /// The path under content/static/ of an image the book can hold: a `static:` image (made
    /// from [`BOOK_ROOT`], the site's root), or one whose address leads there from the page.
    fn image(&self, src: &str, slug: &str) -> Option<String> {
        let path = match src.strip_prefix(BOOK_ROOT) {
            Some(from_root) => from_root.to_owned(),
            None if has_scheme(src) => return None,
            None => site_path(src, slug, self.base_path)?,
        };
        let path = path.split(['#', '?']).next().unwrap_or_default();
        let path = percent_decode_str(&path.replace("&amp;", "&"))
            .decode_utf8()
            .ok()?
            .into_owned();
        (image_media_type(&path).is_some() && (self.has_static)(&path)).then_some(path)
    }
}

/// An attribute whose value is an address: where it starts, where its value starts, and
/// whether it is an image's.
struct AddressAttr {
    start: usize,
    value_start: usize,
    image: bool,
}

/// The next ` href="` or ` src="` in `html`. In the renderer's HTML a text's quotes are
/// escaped, so these only stand inside tags.
fn find_attr(html: &str) -> Option<AddressAttr> {
    let href = html.find(" href=\"");
    let src = html.find(" src=\"");
    match (href, src) {
        (Some(h), s) if s.is_none_or(|s| h < s) => Some(AddressAttr {
            start: h,
            value_start: h + " href=\"".len(),
            image: false,
        }),
        (_, Some(s)) => Some(AddressAttr {
            start: s,
            value_start: s + " src=\"".len(),
            image: true,
        }),
        _ => None,
    }
}

/// The value of the attribute that starts with `prefix` (` alt="`) in `tag`.
fn attr_value<'t>(tag: &'t str, prefix: &str) -> Option<&'t str> {
    let start = tag.find(prefix)? + prefix.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// Whether `url` starts with a scheme (`https:`, `mailto:`): an address outside the site.
fn has_scheme(url: &str) -> bool {
    let Some((scheme, _)) = url.split_once(':') else {
        return false;
    };
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
}

/// The path from the site's root of a relative or root-relative address written in the page
/// `SLUG/index.html`; `None` for one that leaves the site.
fn site_path(url: &str, slug: &str, base_path: &str) -> Option<String> {
    let (mut parts, rest) = match url.strip_prefix('/') {
        Some(_) => (
            Vec::new(),
            url.strip_prefix(base_path).or_else(|| url.strip_prefix('/'))?,
        ),
        None => (slug.split('/').collect(), url),
    };
    for part in rest.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    let trailing = if rest.ends_with('/') && !parts.is_empty() {
        "/"
    } else {
        ""
    };
    Some(cat![parts.join("/"), trailing])
}

/// A path of content/static/ as an address: the characters an address may not hold
/// percent-encoded, and `&` escaped for an attribute.
fn escape_path(path: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(path, KEEP).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(html: &str) -> (String, Vec<String>) {
        let links = BookLinks {
            in_book: &|s| s == "a" || s == "b",
            has_static: &|p| p == "img/x.png" || p == "my pic.jpg",
            base_url: None,
            base_path: "/",
        };
        let mut images = Vec::new();
        (links.rewrite(html, "a", &mut images), images)
    }

    #[test]
    fn glossas_links_point_inside_the_book() {
        let (html, _) = rewrite(
            "<a href=\"glossa-book:/b/index.html#p-2\">b</a> <a class=\"term\" id=\"t-x-1\" href=\"glossa-book:/glossary/x/index.html\">x</a> <a href=\"#note-1\">1</a>",
        );
        assert_eq!(
            html,
            "<a href=\"b.xhtml#p-2\">b</a> <a class=\"term\" id=\"t-x-1\" href=\"glossary_terms.xhtml#g-x\">x</a> <a href=\"#note-1\">1</a>"
        );
    }

    #[test]
    fn links_out_of_the_book_go_to_the_site_or_lose_their_address() {
        let (html, _) = rewrite(
            "<a href=\"glossa-book:/c/index.html\">c</a><a href=\"https://x.org/?a=1&amp;b\">x</a><a href=\"../files/f.pdf\">f</a>",
        );
        assert_eq!(html, "<a>c</a><a href=\"https://x.org/?a=1&amp;b\">x</a><a>f</a>");
        let links = BookLinks {
            in_book: &|_| false,
            has_static: &|_| false,
            base_url: Some("https://u.org/r/"),
            base_path: "/r/",
        };
        let html = links.rewrite(
            "<a href=\"glossa-book:/c/index.html#h\">c</a><a href=\"/r/files/f.pdf\">f</a>",
            "a",
            &mut Vec::new(),
        );
        assert_eq!(
            html,
            "<a href=\"https://u.org/r/c/index.html#h\">c</a><a href=\"https://u.org/r/files/f.pdf\">f</a>"
        );
    }

    #[test]
    fn images_of_content_static_go_into_the_book_and_others_become_their_text() {
        let (html, images) = rewrite(
            "<p><img src=\"../img/x.png\" alt=\"An X\" /> <img src=\"https://x.org/y.png\" alt=\"Remote &amp; gone\" title=\"t\" /> <img src=\"../my%20pic.jpg\" alt=\"\" /></p>",
        );
        assert_eq!(
            html,
            "<p><img src=\"media/img/x.png\" alt=\"An X\" /> <span class=\"image-missing\">Remote &amp; gone</span> <img src=\"media/my%20pic.jpg\" alt=\"\" /></p>"
        );
        assert_eq!(images, ["img/x.png", "my pic.jpg"]);
        // `static:` images, made from the book's root; a `static:` link goes to the site.
        let (html, images) = rewrite(
            "<img src=\"glossa-book:/img/x.png\" alt=\"X\" /><img src=\"glossa-book:/gone.png\" alt=\"G\" /><a href=\"glossa-book:/img/x.png#a\">x</a>",
        );
        assert_eq!(
            html,
            "<img src=\"media/img/x.png\" alt=\"X\" /><span class=\"image-missing\">G</span><a>x</a>"
        );
        assert_eq!(images, ["img/x.png"]);
    }

    #[test]
    fn site_paths_resolve_like_a_browser_and_stay_inside_the_site() {
        assert_eq!(site_path("../img/x.png", "a", "/").as_deref(), Some("img/x.png"));
        assert_eq!(site_path("./y.png", "a", "/").as_deref(), Some("a/y.png"));
        assert_eq!(
            site_path("/repo/img/x.png", "a", "/repo/").as_deref(),
            Some("img/x.png")
        );
        assert_eq!(site_path("../../x.png", "a", "/"), None);
    }
}
