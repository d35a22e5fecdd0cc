//! Feeds and sharing (docs/site.md, docs/themes.md): the Atom feed, the Open Graph and
//! Twitter card tags, the schema.org JSON-LD, the alternate links, the favicon and the
//! sitemap's `lastmod`.

use crate::support::{Page, Site};
use serde_json::Value;
use std::path::Path;

const BASE: &str = "https://example.org/readings/";

/// Four documents: two dated (one by nobody named, in another language), one undated and one
/// dated draft; an extra page and a glossary entry.
fn site() -> Site {
    Site::new(&[
        (
            "content/site.yaml",
            "title: Readings & Notes\ndescription: Texts <with> notes.\nlang: en\n",
        ),
        (
            "seeds/older.md",
            "---\ntitle: Der ältere Text\ndate: 2023-01-15\nlang: de\nsummary: An older text.\n---\n\nEin Wald.\n",
        ),
        (
            "seeds/newer.md",
            "---\ntitle: The newer text </script><!-- &\nauthor: Ann Author\ndate: 2024-03-01\nsummary: Fish & chips <b>bold</b> \"quoted\"\ntags: [food, prose]\n---\n\nA forest and more.\n",
        ),
        (
            "seeds/undated.md",
            "---\ntitle: No date\n---\n\nA forest without time.\n",
        ),
        (
            "seeds/draft.md",
            "---\ntitle: A draft\ndate: 2025-05-05\ndraft: true\n---\n\nNot yet.\n",
        ),
        (
            "content/pages/about.md",
            "---\ntitle: About\nsummary: What this is.\n---\n\nAbout it.\n",
        ),
        (
            "content/glossary.yaml",
            "- id: wald\n  term: Wald\n  kind: term\n  definition: \"A forest. Dark and deep, with [links](https://example.org/) & more.\"\n",
        ),
    ])
}

fn read(site: &Site, rel: &str) -> String {
    std::fs::read_to_string(site.out().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The `content` of `<meta property|name="NAME">`, if the page has one (and only one).
fn meta(page: &Page, name: &str) -> Option<String> {
    let found = page.all(&format!("meta[property=\"{name}\"], meta[name=\"{name}\"]"));
    assert!(found.len() <= 1, "{name} twice in {}", page.path.display());
    found.first().map(|m| m.attr("content").unwrap_or_default().to_owned())
}

/// The page's schema.org JSON-LD, parsed.
fn json_ld(page: &Page) -> Value {
    let script = page.one("script[type=\"application/ld+json\"]");
    let text: String = script.text().collect();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("JSON-LD of {}: {e}\n{text}", page.path.display()))
}

fn alternate(page: &Page, kind: &str) -> Option<String> {
    let found = page.all(&format!("link[rel=\"alternate\"][type=\"{kind}\"]"));
    found.first().map(|l| l.attr("href").unwrap_or_default().to_owned())
}

fn child<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> Option<roxmltree::Node<'a, 'a>> {
    node.children().find(|c| c.has_tag_name(name))
}

fn text<'a>(node: roxmltree::Node<'a, 'a>, name: &str) -> &'a str {
    child(node, name).and_then(|c| c.text()).unwrap_or_default()
}

#[test]
fn the_feed_lists_the_dated_documents_newest_first_and_never_a_draft() {
    let site = site();
    site.build_ok(&["--base-url", BASE, "--drafts"]);
    let xml = read(&site, "feed.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("feed.xml is not XML: {e}\n{xml}"));
    let feed = doc.root_element();
    assert!(feed.has_tag_name(("http://www.w3.org/2005/Atom", "feed")), "{xml}");
    assert_eq!(text(feed, "title"), "Readings & Notes");
    assert_eq!(text(feed, "subtitle"), "Texts <with> notes.");
    assert_eq!(text(feed, "id"), BASE);
    // Its `updated` is the newest document's date, not the build's time (the draft's is newer).
    assert_eq!(text(feed, "updated"), "2024-03-01T00:00:00Z");
    let self_link = feed
        .children()
        .find(|c| c.has_tag_name("link") && c.attribute("rel") == Some("self"));
    assert_eq!(
        self_link.and_then(|l| l.attribute("href")),
        Some("https://example.org/readings/feed.xml")
    );
    // A document names no author: the site stands for it.
    assert_eq!(child(feed, "author").map(|a| text(a, "name")), Some("Readings & Notes"));

    let entries: Vec<_> = feed.children().filter(|c| c.has_tag_name("entry")).collect();
    let titles: Vec<&str> = entries.iter().map(|e| text(*e, "title")).collect();
    assert_eq!(titles, ["The newer text </script><!-- &", "Der ältere Text"], "{xml}");

    let newer = entries[0];
    let url = "https://example.org/readings/newer/index.html";
    assert_eq!(text(newer, "id"), url);
    assert_eq!(child(newer, "link").and_then(|l| l.attribute("href")), Some(url));
    assert_eq!(text(newer, "published"), "2024-03-01T00:00:00Z");
    assert_eq!(text(newer, "updated"), "2024-03-01T00:00:00Z");
    assert_eq!(child(newer, "author").map(|a| text(a, "name")), Some("Ann Author"));
    assert_eq!(text(newer, "summary"), "Fish & chips <b>bold</b> \"quoted\"");
    let tags: Vec<&str> = (newer.children())
        .filter(|c| c.has_tag_name("category"))
        .filter_map(|c| c.attribute("term"))
        .collect();
    assert_eq!(tags, ["food", "prose"]);

    // A document in another language says so; its summary is in the site's, as on its page.
    let older = entries[1];
    let xml_lang = ("http://www.w3.org/XML/1998/namespace", "lang");
    assert_eq!(older.attribute(xml_lang), Some("de"));
    assert_eq!(child(older, "summary").and_then(|s| s.attribute(xml_lang)), Some("en"));
    assert_eq!(child(older, "author"), None, "the feed's author stands for it");

    // Every page links the feed, relative to itself.
    assert_eq!(
        alternate(&site.page("index.html"), "application/atom+xml").as_deref(),
        Some("feed.xml")
    );
    assert_eq!(
        alternate(&site.page("glossary/wald/index.html"), "application/atom+xml").as_deref(),
        Some("../../feed.xml")
    );
}

#[test]
fn without_a_base_url_or_a_dated_document_there_is_no_feed_and_no_link_to_one() {
    let site = site();
    site.build_ok(&[]);
    assert!(!site.out().join("feed.xml").exists());
    assert_eq!(alternate(&site.page("index.html"), "application/atom+xml"), None);

    let undated = Site::new(&[("seeds/a.md", "# A\n\nText.\n")]);
    undated.build_ok(&["--base-url", BASE]);
    assert!(!undated.out().join("feed.xml").exists());
    assert_eq!(alternate(&undated.page("a/index.html"), "application/atom+xml"), None);
    // annotations.jsonld is always there, and always linked.
    assert!(undated.out().join("annotations.jsonld").is_file());
    assert_eq!(
        alternate(&undated.page("a/index.html"), "application/ld+json").as_deref(),
        Some("../annotations.jsonld")
    );
}

/// Every page of the site's output, relative to it.
fn pages(out: &Path) -> Vec<String> {
    let mut pages: Vec<String> = crate::support::files_under(out)
        .into_keys()
        .filter(|p| p.ends_with(".html"))
        .collect();
    pages.sort();
    pages
}

#[test]
fn every_page_has_open_graph_and_twitter_meta_and_a_favicon() {
    let site = site();
    site.build_ok(&["--base-url", BASE]);
    let all = pages(&site.out());
    assert!(all.len() >= 8, "{all:?}");
    for rel in &all {
        let page = site.page(rel);
        let want_type = if ["newer/index.html", "older/index.html", "undated/index.html"].contains(&rel.as_str()) {
            "article"
        } else {
            "website"
        };
        assert_eq!(meta(&page, "og:type").as_deref(), Some(want_type), "{rel}");
        assert_eq!(
            meta(&page, "og:site_name").as_deref(),
            Some("Readings & Notes"),
            "{rel}"
        );
        assert_eq!(meta(&page, "twitter:card").as_deref(), Some("summary"), "{rel}");
        assert!(meta(&page, "og:title").is_some_and(|t| !t.is_empty()), "{rel}");
        // og:url is the page's absolute address, as its canonical link; 404.html has none.
        let canonical = page
            .all("link[rel=\"canonical\"]")
            .first()
            .and_then(|l| l.attr("href"))
            .map(str::to_owned);
        assert_eq!(meta(&page, "og:url"), canonical, "{rel}");
        if rel != "404.html" {
            assert!(
                canonical.is_some_and(
                    |c| c == format!("{BASE}{}", rel.trim_end_matches("index.html")) || c == format!("{BASE}{rel}")
                ),
                "{rel}"
            );
        }
        // The favicon is linked and is there.
        let icon = page
            .one("link[rel=\"icon\"]")
            .attr("href")
            .unwrap_or_default()
            .to_owned();
        let icon_file = if rel == "404.html" {
            site.out().join(icon.trim_start_matches("/readings/"))
        } else {
            site.out().join(rel).parent().unwrap().join(&icon)
        };
        assert!(icon_file.is_file(), "{rel}: {icon} is not a file");
        // No empty tag anywhere.
        for m in page.all("meta[content]") {
            assert!(
                !m.attr("content").unwrap_or_default().is_empty(),
                "{rel}: empty {:?}",
                m.value()
            );
        }
    }
    let home = site.page("index.html");
    assert_eq!(meta(&home, "og:title").as_deref(), Some("Readings & Notes"));
    assert_eq!(meta(&home, "og:description").as_deref(), Some("Texts <with> notes."));
    assert_eq!(meta(&home, "og:locale").as_deref(), Some("en_US"));

    let newer = site.page("newer/index.html");
    assert_eq!(
        meta(&newer, "og:title").as_deref(),
        Some("The newer text </script><!-- &")
    );
    assert_eq!(
        meta(&newer, "og:description").as_deref(),
        Some("Fish & chips <b>bold</b> \"quoted\"")
    );
    assert_eq!(meta(&newer, "description"), meta(&newer, "og:description"));
    assert_eq!(meta(&newer, "article:published_time").as_deref(), Some("2024-03-01"));
    assert_eq!(meta(&site.page("undated/index.html"), "article:published_time"), None);
    // A document's locale is its language's.
    assert_eq!(
        meta(&site.page("older/index.html"), "og:locale").as_deref(),
        Some("de_DE")
    );
    // An extra page's summary and an entry's first sentence describe them.
    assert_eq!(
        meta(&site.page("about/index.html"), "og:description").as_deref(),
        Some("What this is.")
    );
    assert_eq!(
        meta(&site.page("glossary/wald/index.html"), "og:description").as_deref(),
        Some("A forest.")
    );
}

#[test]
fn without_a_base_url_pages_say_no_address_and_write_no_empty_tag() {
    let site = Site::new(&[("content/site.yaml", "lang: grc\n"), ("seeds/a.md", "# A\n\nText.\n")]);
    site.build_ok(&[]);
    for rel in pages(&site.out()) {
        let page = site.page(&rel);
        assert_eq!(meta(&page, "og:url"), None, "{rel}");
        // A language without a territory the table knows has no og:locale (rather than a wrong one).
        assert_eq!(meta(&page, "og:locale"), None, "{rel}");
        // No description anywhere: none is said.
        assert_eq!(meta(&page, "description"), None, "{rel}");
        assert_eq!(meta(&page, "og:description"), None, "{rel}");
        for m in page.all("meta[content]") {
            assert!(
                !m.attr("content").unwrap_or_default().is_empty(),
                "{rel}: empty {:?}",
                m.value()
            );
        }
    }
    let doc = site.page("a/index.html");
    let article = json_ld(&doc);
    assert_eq!(article["@type"], "Article");
    assert_eq!(article.get("url"), None, "no address without a base URL");
    assert_eq!(article["isPartOf"]["url"], Value::Null);
}

#[test]
fn og_locale_keeps_the_region_of_lang() {
    let site = Site::new(&[
        ("content/site.yaml", "lang: de-CH\n"),
        ("seeds/a.md", "---\ntitle: A\nlang: pt\n---\n\nTexto.\n"),
    ]);
    site.build_ok(&[]);
    assert_eq!(meta(&site.page("index.html"), "og:locale").as_deref(), Some("de_CH"));
    assert_eq!(meta(&site.page("a/index.html"), "og:locale").as_deref(), Some("pt_BR"));
}

#[test]
fn document_pages_carry_an_article_and_entry_pages_a_defined_term() {
    let site = site();
    site.build_ok(&["--base-url", BASE]);
    let page = site.page("newer/index.html");
    // The title holds `</script>`: the script element must not end there.
    let script_text: String = page.one("script[type=\"application/ld+json\"]").text().collect();
    assert!(!script_text.contains("</"), "{script_text}");
    let article = json_ld(&page);
    assert_eq!(article["@context"], "https://schema.org");
    assert_eq!(article["@type"], "Article");
    assert_eq!(article["headline"], "The newer text </script><!-- &");
    assert_eq!(article["author"]["@type"], "Person");
    assert_eq!(article["author"]["name"], "Ann Author");
    assert_eq!(article["inLanguage"], "en");
    assert_eq!(article["datePublished"], "2024-03-01");
    assert_eq!(article["url"], "https://example.org/readings/newer/index.html");
    assert_eq!(article["isPartOf"]["@type"], "WebSite");
    assert_eq!(article["isPartOf"]["name"], "Readings & Notes");
    assert_eq!(article["isPartOf"]["url"], BASE);

    let older = json_ld(&site.page("older/index.html"));
    assert_eq!(older["inLanguage"], "de");
    assert_eq!(older.get("author"), None, "no author is named");

    let term = json_ld(&site.page("glossary/wald/index.html"));
    assert_eq!(term["@type"], "DefinedTerm");
    assert_eq!(term["name"], "Wald");
    assert_eq!(term["url"], "https://example.org/readings/glossary/wald/index.html");
    assert_eq!(term["description"], "A forest. Dark and deep, with links & more.");
    assert_eq!(term["inDefinedTermSet"]["@type"], "DefinedTermSet");
    assert_eq!(
        term["inDefinedTermSet"]["url"],
        "https://example.org/readings/glossary/index.html"
    );

    // The other pages have none.
    for rel in ["index.html", "about/index.html", "glossary/index.html", "404.html"] {
        assert!(
            site.page(rel).all("script[type=\"application/ld+json\"]").is_empty(),
            "{rel}"
        );
    }
}

#[test]
fn the_sitemap_gives_a_documents_date_as_its_lastmod() {
    let site = site();
    site.build_ok(&["--base-url", BASE]);
    let xml = read(&site, "sitemap.xml");
    let doc = roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("sitemap.xml is not XML: {e}\n{xml}"));
    let urlset = doc.root_element();
    assert!(
        urlset.has_tag_name(("http://www.sitemaps.org/schemas/sitemap/0.9", "urlset")),
        "{xml}"
    );
    let lastmod: Vec<(&str, &str)> = (urlset.children())
        .filter(|c| c.has_tag_name("url"))
        .map(|u| (text(u, "loc"), text(u, "lastmod")))
        .collect();
    let of = |page: &str| {
        let loc = format!("{BASE}{page}");
        lastmod.iter().find(|(l, _)| *l == loc).map(|(_, m)| *m)
    };
    assert_eq!(of("newer/index.html"), Some("2024-03-01"), "{xml}");
    assert_eq!(of("older/index.html"), Some("2023-01-15"));
    assert_eq!(of("undated/index.html"), Some(""), "an undated document has no lastmod");
    assert_eq!(of("about/index.html"), Some(""));
    assert_eq!(of(""), Some(""), "the home page");
    // A small site's sitemap is one file: no index, no parts.
    assert!(!site.out().join("sitemap-1.xml").exists());
}

#[test]
fn a_theme_or_content_static_replaces_the_favicon() {
    let theirs = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";
    let by_theme = Site::new(&[
        ("content/site.yaml", "theme: mine\n"),
        ("themes/mine/static/favicon.svg", theirs),
        ("seeds/a.md", "# A\n\nText.\n"),
    ]);
    by_theme.build_ok(&[]);
    assert_eq!(read(&by_theme, "static/favicon.svg"), theirs);
    let by_site = Site::new(&[
        ("content/static/static/favicon.svg", theirs),
        ("seeds/a.md", "# A\n\nText.\n"),
    ]);
    by_site.build_ok(&[]);
    assert_eq!(read(&by_site, "static/favicon.svg"), theirs);
    let default = Site::new(&[("seeds/a.md", "# A\n\nText.\n")]);
    default.build_ok(&[]);
    assert!(read(&default, "static/favicon.svg").starts_with("<svg"));
    assert_eq!(
        default.page("a/index.html").one("link[rel=\"icon\"]").attr("href"),
        Some("../static/favicon.svg")
    );
}
