//! Crawl a whole built site (contract §7): every internal link and asset reference is
//! relative, names a file that exists, and every fragment names an id of its target; ids
//! never repeat within a page.

use crate::support::{Page, Site, files_under, resolve_href};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const BASE: &str = "https://crawl.example/repo/";

/// Every problem the crawl finds in the output folder `out`, one line each.
fn crawl(out: &Path) -> Vec<String> {
    let mut problems = Vec::new();
    let files = files_under(out);
    let mut pages: BTreeMap<String, Page> = BTreeMap::new();
    for rel in files.keys().filter(|f| f.ends_with(".html")) {
        pages.insert(rel.clone(), Page::open(&out.join(rel)));
    }
    for (rel, page) in &pages {
        let mut seen = BTreeSet::new();
        for id in page.ids() {
            if !seen.insert(id.clone()) {
                problems.push(format!("{rel}: the id `{id}` repeats"));
            }
        }
        if rel == "404.html" {
            continue; // served at any depth, so its URLs are absolute (see the build tests)
        }
        for e in page.all("[href], [src]") {
            let Some(url) = e.attr("href").or(e.attr("src")) else {
                continue;
            };
            if e.value().name() == "link" && e.attr("rel") == Some("canonical") {
                continue; // absolute by design (§9)
            }
            if url.starts_with("http://") || url.starts_with("https://") {
                if url.starts_with(BASE) {
                    problems.push(format!("{rel}: `{url}` is absolute but points into the site"));
                }
                continue;
            }
            if url.starts_with("mailto:") {
                continue;
            }
            if url.starts_with('/') || url.contains("://") {
                problems.push(format!("{rel}: `{url}` is not relative"));
                continue;
            }
            let (file, fragment) = url.split_once('#').unwrap_or((url, ""));
            if file.ends_with('/') || (file.is_empty() && fragment.is_empty()) {
                problems.push(format!("{rel}: `{url}` names a folder, not a file"));
                continue;
            }
            let target = if file.is_empty() {
                page.path.clone()
            } else {
                resolve_href(&page.path, file)
            };
            if !target.is_file() {
                problems.push(format!("{rel}: `{url}` points to a file that does not exist"));
                continue;
            }
            if !fragment.is_empty() {
                let target_rel = target
                    .strip_prefix(out)
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                match pages.get(&target_rel) {
                    Some(t) if t.has_id(fragment) => {}
                    Some(_) => problems.push(format!("{rel}: `{url}`: {target_rel} has no id `{fragment}`")),
                    None => problems.push(format!("{rel}: `{url}`: a fragment on a file that is not a page")),
                }
            }
        }
    }
    problems
}

#[test]
fn every_link_of_the_built_site_resolves() {
    let site = Site::from_fixture("crawl");
    site.build_ok(&[]);
    let problems = crawl(&site.out());
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_link_resolves_with_a_base_url_too() {
    let site = Site::from_fixture("crawl");
    site.build_ok(&["--base-url", BASE]);
    let problems = crawl(&site.out());
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// A page of each kind in the crawl fixture: documents (.txt, .md, nested, a project README),
/// extra pages, the glossary index and an entry.
pub const PAGES: &[&str] = &[
    "index.html",
    "lawrow/index.html",
    "erlkoenig/index.html",
    "gedicht/index.html",
    "notizen/index.html",
    "readme/index.html",
    "about/index.html",
    "impressum/index.html",
    "glossary/index.html",
    "glossary/lawrow/index.html",
];

#[test]
fn the_crawl_reaches_every_kind_of_page() {
    // Guards the two tests above against a fixture that quietly stops exercising anything.
    let site = Site::from_fixture("crawl");
    site.build_ok(&[]);
    let files = files_under(&site.out());
    for page in PAGES.iter().chain(&["glossary/erlkoenig/index.html", "img/karte.svg"]) {
        assert!(files.contains_key(*page), "{page} is written");
    }
    let lawrow = site.page("lawrow/index.html");
    assert!(lawrow.all("a[href]").len() > 20, "the fixture is link-rich");
    assert!(lawrow.has_id("t-lawrow-1") && lawrow.has_id("note-1") && lawrow.has_id("sacharowa"));
}

#[test]
fn the_crawl_catches_a_broken_link() {
    // The crawler itself: a dangling href and a repeated id must be reported.
    let site = Site::new(&[("seeds/a.md", "# A\n\nText.\n")]);
    site.build_ok(&[]);
    let page = site.out().join("a/index.html");
    let html = std::fs::read_to_string(&page).unwrap_or_default();
    let html = html.replacen(
        "<p id=\"p-1\">",
        "<p id=\"p-1\"><a href=\"../nowhere/index.html\">x</a><a href=\"../a/\">y</a><span id=\"p-1\"></span>",
        1,
    );
    std::fs::write(&page, html).unwrap_or_default();
    let problems = crawl(&site.out());
    assert_eq!(problems.len(), 3, "{problems:?}");
}
