//! Glossary previews (docs/themes.md, "Glossary previews"): a reading page carries, in one
//! `<template class="glossary-previews">`, a preview of each glossary entry it links — term,
//! kind, the first paragraph of the definition as its entry page shows it, a link to the entry —
//! found by the address the page links it by; `static/previews.js` shows them. The browser
//! checks (tests/browser/previews.mjs) test the showing.

use crate::support::{Page, Site, resolve_href, text_of};
use scraper::{ElementRef, Html};

const GLOSSARY: &str = "\
- id: krim
  term: Krim
  kind: place
  definition: |
    A peninsula in the *Black Sea*, see [the Council](term:unsr).

    Its second paragraph is on the entry's page only.
- id: unsr
  term: UN-Sicherheitsrat <&>
  kind: organisation
  forms: [UN-Sicherheitsrat]
  definition: The Security Council of the United Nations.
  see: [krim]
- id: nato
  term: NATO
  kind: organisation
  definition: |
    - a list, not a paragraph
- id: unused
  term: Unused
  kind: term
  definition: Linked by no page.
";

fn site(doc: &str, sidecar: &str) -> Site {
    Site::new(&[
        ("seeds/a.md", doc),
        ("seeds/a.yaml", sidecar),
        ("content/glossary.yaml", GLOSSARY),
        ("content/pages/about.md", "# About\n\nSee [NATO](term:nato).\n"),
        ("content/pages/plain.md", "# Plain\n\nNo glossary link here.\n"),
    ])
}

/// The previews a page carries: `(data-href, its template's content)`, in page order.
fn previews(page: &Page) -> Vec<(String, Html)> {
    let templates = page.all("template.glossary-previews");
    assert!(templates.len() <= 1, "one block of previews at most");
    let Some(t) = templates.first() else {
        return Vec::new();
    };
    // The template's content, parsed as the browser parses it into its fragment.
    let content = Html::parse_fragment(&t.inner_html());
    let items: Vec<(String, String)> = content
        .select(&crate::support::selector(".preview"))
        .map(|p| (p.attr("data-href").unwrap_or_default().to_owned(), p.html()))
        .collect();
    items
        .into_iter()
        .map(|(h, html)| (h, Html::parse_fragment(&html)))
        .collect()
}

fn one<'a>(html: &'a Html, css: &str) -> ElementRef<'a> {
    let found: Vec<_> = html.select(&crate::support::selector(css)).collect();
    assert_eq!(found.len(), 1, "one {css} in {}", html.html());
    found[0]
}

#[test]
fn a_document_carries_a_preview_of_each_entry_it_links_once() {
    let site = site(
        "# T\n\nDie Krim und die Krim, der UN-Sicherheitsrat.[^1] Mehr zur [NATO](term:nato).\n\n\
         Siehe da.\n\n[^1]: Zur [Krim](term:krim).\n",
        "annotations:\n  - quote: Siehe da\n    see: term:unused\n",
    );
    site.build_ok(&["--quiet"]);
    let page = site.page("a/index.html");
    let found = previews(&page);
    let hrefs: Vec<&str> = found.iter().map(|(h, _)| h.as_str()).collect();
    assert_eq!(
        hrefs,
        [
            "../glossary/krim/index.html",
            "../glossary/unsr/index.html",
            "../glossary/nato/index.html",
            "../glossary/unused/index.html"
        ],
        "occurrences, a term: link, a see: link, each entry once"
    );
    // Every preview is found by an address a link of the page has.
    for (href, _) in &found {
        assert!(
            !page.all(&format!("body a[href=\"{href}\"]")).is_empty(),
            "a link to {href}"
        );
    }
    let (_, krim) = &found[0];
    assert_eq!(text_of(&one(krim, ".preview-term")), "Krim");
    assert_eq!(text_of(&one(krim, ".preview-kind")), "place");
    // The first paragraph, as the entry's page renders it, its links made from this page.
    let first = one(krim, ".preview-head + p");
    assert_eq!(
        first.inner_html(),
        "A peninsula in the <em>Black Sea</em>, see <a href=\"../glossary/unsr/index.html\">the Council</a>."
    );
    assert!(!krim.html().contains("second paragraph"));
    let entry = site.page("glossary/krim/index.html");
    assert!(
        entry
            .one(".definition")
            .inner_html()
            .contains("A peninsula in the <em>Black Sea</em>, see"),
        "the same definition HTML as the entry's page"
    );
    let open = one(krim, ".preview-open a");
    assert_eq!(open.attr("href"), Some("../glossary/krim/index.html"));
    assert_eq!(text_of(&open), "Open entry");
    // Escaped as every term is.
    let (_, unsr) = &found[1];
    assert_eq!(text_of(&one(unsr, ".preview-term")), "UN-Sicherheitsrat <&>");
    // A definition without a paragraph: its text as one.
    let (_, nato) = &found[2];
    assert_eq!(text_of(&one(nato, ".preview-head + p")), "a list, not a paragraph");
    // The page loads the script that shows them.
    assert_eq!(
        page.all("script[src=\"../static/previews.js\"][defer]").len(),
        1,
        "previews.js, deferred"
    );
    assert!(site.out().join("static/previews.js").is_file());
}

#[test]
fn links_in_a_preview_resolve_from_the_page() {
    let site = site("# T\n\nDie Krim.\n", "annotations: []\n");
    site.build_ok(&["--quiet"]);
    for page_path in ["a/index.html", "glossary/unsr/index.html"] {
        let page = site.page(page_path);
        for (href, html) in previews(&page) {
            for a in html.select(&crate::support::selector("a[href]")) {
                let target = resolve_href(&site.out().join(page_path), a.attr("href").unwrap_or_default());
                assert!(target.is_file(), "{page_path}: {href}: {target:?}");
            }
        }
    }
}

#[test]
fn entry_and_extra_pages_carry_previews_of_the_entries_they_link() {
    let site = site("# T\n\nDie Krim.\n", "annotations: []\n");
    site.build_ok(&["--quiet"]);
    // An entry page: its related entries, by the address it links them by, and the entries
    // its definition links.
    let entry = site.page("glossary/unsr/index.html");
    let hrefs: Vec<String> = previews(&entry).into_iter().map(|(h, _)| h).collect();
    assert_eq!(hrefs, ["../krim/index.html"]);
    let krim = site.page("glossary/krim/index.html");
    let hrefs: Vec<String> = previews(&krim).into_iter().map(|(h, _)| h).collect();
    assert_eq!(hrefs, ["../../glossary/unsr/index.html"], "the definition's term: link");
    let (_, unsr) = &previews(&krim)[0];
    assert_eq!(
        one(unsr, ".preview-open a").attr("href"),
        Some("../../glossary/unsr/index.html")
    );
    // An extra page.
    let about = site.page("about/index.html");
    let hrefs: Vec<String> = previews(&about).into_iter().map(|(h, _)| h).collect();
    assert_eq!(hrefs, ["../glossary/nato/index.html"]);
}

#[test]
fn pages_that_link_no_entry_carry_none() {
    let site = site("# T\n\nNichts.\n", "annotations: []\n");
    site.build_ok(&["--quiet"]);
    for p in ["a/index.html", "plain/index.html", "glossary/unused/index.html"] {
        assert!(previews(&site.page(p)).is_empty(), "{p}");
    }
    // Nor the home page and the glossary's index, which are not reading pages: neither data
    // nor script.
    for p in [
        "a/index.html",
        "plain/index.html",
        "glossary/unused/index.html",
        "index.html",
        "glossary/index.html",
    ] {
        let page = site.page(p);
        assert!(page.all("template").is_empty(), "{p}");
        assert!(page.all("script[src$=\"previews.js\"]").is_empty(), "{p}");
    }
}

#[test]
fn a_site_without_a_glossary_loads_no_previews() {
    let site = Site::new(&[("seeds/a.md", "# T\n\nText.\n")]);
    site.build_ok(&["--quiet"]);
    let page = site.page("a/index.html");
    assert!(page.all("template").is_empty());
    assert!(page.all("script[src$=\"previews.js\"]").is_empty());
}

#[test]
fn the_link_of_a_preview_is_in_the_site_language() {
    let site = site("# T\n\nDie Krim.\n", "annotations: []\n");
    site.write("content/site.yaml", "title: T\nlang: de\n");
    site.build_ok(&["--quiet"]);
    let (_, krim) = &previews(&site.page("a/index.html"))[0];
    assert_eq!(text_of(&one(krim, ".preview-open a")), "Eintrag öffnen");
}
