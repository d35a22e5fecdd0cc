//! The output layout: every file path and URL of a built site, made here and nowhere else, and
//! what a link written in a text may point at (`doc:`, `page:`, `term:`, `static:`, `#id`).
//!
//! A document or an extra page is `SLUG/index.html`, a glossary entry
//! `glossary/ID/index.html`; every link between pages is relative to the page it stands in
//! (its `root`, such as `../`). Pure; below every stage.

use crate::concat::cat;
use crate::diagnostics::Code;

mod statics;

pub(crate) use statics::STATIC_SCHEME;
pub(crate) use statics::StaticSet;

/// The home page.
pub(crate) const HOME: &str = "index.html";
/// The glossary's index page.
pub(crate) const GLOSSARY: &str = "glossary/index.html";
/// The search page.
pub(crate) const SEARCH: &str = "search/index.html";
/// The Atom feed of the documents (with a `base_url`).
pub(crate) const FEED: &str = "feed.xml";
/// Every annotation of the site as W3C Web Annotations: the collection, with its first page.
pub(crate) const ANNOTATIONS: &str = "annotations.jsonld";
/// The folder of the collection's other pages ([`annotation_page`]).
pub(crate) const ANNOTATION_PAGES: &str = "annotations";
/// The sitemap, or the index of its parts once a site has more addresses than one may hold.
pub(crate) const SITEMAP: &str = "sitemap.xml";

/// Some of the output's files, by name: these files, and every file under these folders (the
/// files a build of part of the site makes, and may remove), and the `patched` files and every
/// file under the `patched` folders (files it makes, and never removes).
#[derive(Debug, Default)]
pub(crate) struct FileSet {
    pub(crate) files: crate::hash::FastSet<String>,
    pub(crate) folders: Vec<&'static str>,
    /// Files, and folders of files, that a build of part of the site writes when their bytes
    /// change and leaves alone otherwise: it is not asked about them, and does not list them.
    /// They are annotations.jsonld and its pages ([`ANNOTATION_PAGES`]), one a hundred
    /// documents: an edit that leaves the number of documents as it was (the only kind built
    /// in part: docs/incremental.md) leaves the set of pages as it was, and the output was
    /// checked to be the last build's, so every page it does not write is the last build's,
    /// and right. Naming each page as unchanged instead would cost an open a page, and listing
    /// the folder a read of it, for nothing.
    pub(crate) patched: Vec<&'static str>,
}

impl FileSet {
    /// The files made of every document (the search index under `search/`,
    /// annotations.jsonld and its pages, and the book when site.yaml's `epub.file` names one):
    /// an edit to any document may change them.
    pub(crate) fn of_every_document(book: Option<&str>) -> FileSet {
        FileSet {
            files: book.into_iter().map(str::to_owned).collect(),
            folders: vec!["search"],
            patched: vec![ANNOTATIONS, ANNOTATION_PAGES],
        }
    }

    /// Whether the output file `rel` is one of the set.
    pub(crate) fn contains(&self, rel: &str) -> bool {
        let under = |folder: &str| rel.strip_prefix(folder).is_some_and(|r| r.starts_with('/'));
        self.files.contains(rel)
            || self.folders.iter().any(|f| under(f))
            || self.patched.iter().any(|p| *p == rel || under(p))
    }
}

/// The `n`th page (from 2: the first is in [`ANNOTATIONS`]) of the annotation collection.
pub(crate) fn annotation_page(n: usize) -> String {
    cat![ANNOTATION_PAGES, "/", n, ".jsonld"]
}

/// The `n`th part (from 1) of a sitemap too large for one file.
pub(crate) fn sitemap_part(n: usize) -> String {
    cat!["sitemap-", n, ".xml"]
}

/// The page of a document or an extra page, relative to the site root.
pub(crate) fn doc_page(slug: &str) -> String {
    cat![slug, "/index.html"]
}

/// The folder of a document's or an extra page's page ([`doc_page`]), from the site root: what
/// a relative address written in its text is read from.
pub(crate) fn page_folder(slug: &str) -> String {
    cat![slug, "/"]
}

/// The page of a glossary entry relative to the glossary's folder: the glossary's index links
/// `ID/index.html`, an entry page `../ID/index.html` (shorter than going up to the root).
pub(crate) fn entry_page_in_glossary(id: &str) -> String {
    cat![id, "/index.html"]
}

/// The page of a glossary entry, relative to the site root.
pub(crate) fn entry_page(id: &str) -> String {
    cat!["glossary/", id, "/", ENTRY_FILE]
}

/// The file of an entry's page in its folder.
const ENTRY_FILE: &str = "index.html";

/// The glossary entry a relative link `href` in the page at `page` (a path from the site
/// root, as [`doc_page`] and [`entry_page`] give it) points at: the inverse of [`entry_page`],
/// whatever way the link goes there (`../glossary/ID/index.html` from a document,
/// `../ID/index.html` from another entry). A fragment or query does not count; an absolute
/// link, or one that leaves the site, points at no entry.
pub(crate) fn linked_entry(page: &str, href: &str) -> Option<String> {
    // Every link of an entry page is asked about: nothing is allocated and little is read until
    // an entry is found, and most links (to documents) end otherwise.
    let slashes = |s: &str| s.bytes().filter(|&b| b == b'/').count();
    let href = &href[..href.bytes().position(|b| b == b'#' || b == b'?').unwrap_or(href.len())];
    if !href.ends_with(ENTRY_FILE) {
        return None;
    }
    let scheme = href.find(':').is_some_and(|c| !href[..c].contains('/'));
    if href.starts_with('/') || scheme {
        return None;
    }
    let (mut up, mut rest) = (0, href);
    loop {
        if let Some(r) = rest.strip_prefix("../") {
            (up, rest) = (up + 1, r);
        } else if let Some(r) = rest.strip_prefix("./") {
            rest = r;
        } else {
            break;
        }
    }
    let kept = slashes(page).checked_sub(up)?;
    // The entry's path has three parts.
    if kept + slashes(rest) + 1 != 3 {
        return None;
    }
    let folder = page.split('/').take(kept);
    let mut path = folder.chain(rest.split('/'));
    // (`a/../b`, `a//b`, `a/./b`: glossa writes none of these, and none is an entry's.)
    match (path.next(), path.next(), path.next(), path.next()) {
        (Some("glossary"), Some(id), Some(ENTRY_FILE), None) if !matches!(id, "" | "." | "..") => Some(id.to_owned()),
        _ => None,
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Doc {
        slug: String,
        fragment: Option<String>,
    },
    Term {
        id: String,
    },
    Page {
        name: String,
        fragment: Option<String>,
    },
    /// A file of content/static/ (copied to the output's root), by its path there.
    Static {
        path: String,
        fragment: Option<String>,
    },
    /// `#id` in the same page.
    Fragment(String),
    /// Anything else: an absolute URL, `mailto:`, a relative path. Passed through.
    Other,
}

/// Reads a link destination. `javascript:` and friends are refused: they never reach a page.
pub(crate) fn classify(dest: &str) -> Result<Target, (Code, String)> {
    let split = |rest: &str| -> (String, Option<String>) {
        match rest.split_once('#') {
            Some((a, f)) => (a.to_owned(), Some(f.to_owned())),
            None => (rest.to_owned(), None),
        }
    };
    // As a browser reads the scheme: `java\tscript:` is `javascript:`.
    if let Some(scheme) = refused_scheme(dest) {
        return Err((Code::UnsafeLink, format!("`{scheme}:` links are not allowed")));
    }
    if let Some(rest) = dest.strip_prefix("doc:") {
        let (slug, fragment) = split(rest);
        return Ok(Target::Doc { slug, fragment });
    }
    if let Some(rest) = dest.strip_prefix("page:") {
        let (name, fragment) = split(rest);
        return Ok(Target::Page { name, fragment });
    }
    if let Some(id) = dest.strip_prefix("term:") {
        if id.contains('#') {
            return Err((
                Code::TermLinkFragment,
                "a `term:` link names an entry, without a fragment".into(),
            ));
        }
        return Ok(Target::Term { id: id.to_owned() });
    }
    if let Some(rest) = dest.strip_prefix(STATIC_SCHEME) {
        let (path, fragment) = split(rest);
        return Ok(Target::Static { path, fragment });
    }
    if let Some(f) = dest.strip_prefix('#') {
        return Ok(Target::Fragment(f.to_owned()));
    }
    Ok(Target::Other)
}

/// The page a link resolves to (for backlinks), plus its URL relative to the site root.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum PageRef {
    Doc(String),
    Page(String),
    Term(String),
}

/// The URL of a target from a page whose way back to the site root is `root` (`../`).
pub(crate) fn href(target: &Target, dest: &str, root: &str) -> String {
    fn frag(f: &Option<String>) -> [&str; 2] {
        f.as_deref().map_or(["", ""], |f| ["#", f])
    }
    match target {
        Target::Doc { slug, fragment } => {
            let [hash, f] = frag(fragment);
            cat![root, slug, "/index.html", hash, f]
        }
        Target::Page { name, fragment } => {
            let [hash, f] = frag(fragment);
            cat![root, name, "/index.html", hash, f]
        }
        Target::Term { id } => cat![root, "glossary/", id, "/index.html"],
        Target::Static { path, fragment } => {
            let [hash, f] = frag(fragment);
            cat![root, path, hash, f]
        }
        Target::Fragment(f) => cat!["#", f],
        Target::Other => dest.to_owned(),
    }
}

/// A page's URL relative to the site root.
pub(crate) fn page_path(r: &PageRef) -> String {
    match r {
        PageRef::Doc(s) | PageRef::Page(s) => doc_page(s),
        PageRef::Term(id) => entry_page(id),
    }
}

/// The scheme of `url` when it is one that runs code or smuggles a document in
/// (`javascript`, `vbscript`, `data`), as a browser reads it: leading and trailing control
/// characters and spaces are dropped, tabs and line breaks anywhere are ignored, case does not
/// count. So `" Java\tScript:alert(1)"` is refused, as a browser would run it.
pub(crate) fn refused_scheme(url: &str) -> Option<&'static str> {
    const REFUSED: [&str; 3] = ["javascript", "vbscript", "data"];
    // Every link of a site passes here: the scheme is read into a buffer as long as the
    // longest refused one, without a copy of the URL. The bytes dropped are ASCII, so dropping
    // them byte by byte is dropping those characters.
    let mut scheme = [0u8; 10];
    let mut len = 0;
    for b in url.trim_matches(|c: char| c <= ' ').bytes() {
        match b {
            b'\t' | b'\n' | b'\r' => {}
            b':' => {
                return REFUSED
                    .into_iter()
                    .find(|s| s.as_bytes().eq_ignore_ascii_case(&scheme[..len]));
            }
            _ if len == scheme.len() => return None,
            _ => {
                scheme[len] = b;
                len += 1;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_and_builds_relative_urls() {
        let t = classify("doc:erlkoenig#p-3").unwrap();
        assert_eq!(href(&t, "", "../"), "../erlkoenig/index.html#p-3");
        assert_eq!(
            href(&classify("term:lawrow").unwrap(), "", "../../"),
            "../../glossary/lawrow/index.html"
        );
        assert_eq!(href(&classify("page:about").unwrap(), "", ""), "about/index.html");
        assert_eq!(classify("https://x.org/a#b").unwrap(), Target::Other);
        // A file of content/static/ from a document page, an entry page and 404.html with a
        // `base_url` (its root-relative root), its fragment kept.
        let map = classify("static:img/karte.png#page=3").unwrap();
        assert_eq!(href(&map, "", "../"), "../img/karte.png#page=3");
        assert_eq!(href(&map, "", "../../"), "../../img/karte.png#page=3");
        assert_eq!(href(&map, "", "/repo/"), "/repo/img/karte.png#page=3");
        assert!(classify(" JavaScript:alert(1)").is_err());
        assert!(classify("term:a#b").is_err());
    }

    #[test]
    fn finds_the_entry_a_relative_link_points_at() {
        let from_doc = |href| linked_entry(&doc_page("erlkoenig"), href);
        assert_eq!(from_doc("../glossary/lawrow/index.html").as_deref(), Some("lawrow"));
        assert_eq!(from_doc("../glossary/lawrow/index.html#x").as_deref(), Some("lawrow"));
        assert_eq!(from_doc("./../glossary/lawrow/index.html").as_deref(), Some("lawrow"));
        let from_entry = |href| linked_entry(&entry_page("putin"), href);
        assert_eq!(from_entry("../lawrow/index.html").as_deref(), Some("lawrow"));
        assert_eq!(
            from_entry("../../glossary/lawrow/index.html").as_deref(),
            Some("lawrow")
        );
        for not_an_entry in [
            "../glossary/index.html",
            "../glossary/lawrow/",
            "../glossary/x/../lawrow/index.html",
            "../glossary/a/b/index.html",
            "../../../glossary/lawrow/index.html",
            "/glossary/lawrow/index.html",
            "https://x.org/glossary/lawrow/index.html",
            "../other/index.html",
            "#note-1",
            "",
        ] {
            assert_eq!(from_doc(not_an_entry), None, "{not_an_entry}");
        }
        assert_eq!(
            linked_entry(HOME, "glossary/lawrow/index.html").as_deref(),
            Some("lawrow")
        );
    }
}
