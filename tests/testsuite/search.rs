//! Search (contract §7): `search/index.html`, the search box in every page's header, and the
//! chunked index under `search/` that finds words in documents, notes, glosses and entries.
//!
//! The index is read back here the way `search.js` reads it: meta.js names the chunks, a query
//! word (folded) is looked up as a prefix in the chunks that can hold it, postings name pages,
//! and a page's fragment names the section (paragraph, note, gloss, entry) holding the word.

use crate::support::{Page, Site, resolve_href};
use glossa::render::search::{Folding, fold, words};
use serde_json::Value;
use std::path::{Path, PathBuf};

const DOC: &str = "\
---
title: Gespräche in Moskau
lang: de
---
Der Außenminister traf sich mit Beamten.

Ein Waffenstillstand wurde nicht vereinbart.

- Punkt eins über Grenzen
";

const SIDECAR: &str = "\
annotations:
  - quote: Beamten
    note: Ehemalige Diplomaten, keine Minister.
  - quote: vereinbart
    gloss: agreed upon
  - quote: Punkt eins
    note: Listenpunkte zählen mit.
";

const GLOSSARY: &str = "\
- id: waffenstillstand
  term: Waffenstillstand
  kind: concept
  forms: [Waffenstillstands]
  definition: Eine Pause der Kämpfe, auch Feuerpause genannt.
";

fn site() -> Site {
    Site::new(&[
        ("seeds/gespraeche.md", DOC),
        ("seeds/gespraeche.yaml", SIDECAR),
        ("content/glossary.yaml", GLOSSARY),
        ("content/pages/about.md", "# Über uns\n\nWir lesen Zeitungsartikel.\n"),
    ])
}

/// The index as written: meta, chunks and fragments, parsed from their script wrappers.
struct Index {
    dir: PathBuf,
    meta: Value,
}

fn unwrap_call(text: &str, call: &str) -> Value {
    let start = text.find('(').unwrap_or_else(|| panic!("{call}: {text}")) + 1;
    assert!(text.starts_with(call), "expected {call}(…): {text}");
    let body = text[start..].trim_end().trim_end_matches(");");
    // A chunk call starts with its number.
    let json = if call == "glossaSearch.meta" {
        body
    } else {
        body.split_once(',').expect("NUMBER,DATA").1
    };
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{call}: {e}: {json}"))
}

impl Index {
    fn open(out: &Path) -> Index {
        let dir = out.join("search");
        let meta = unwrap_call(&read(&dir.join("meta.js")), "glossaSearch.meta");
        Index { dir, meta }
    }

    fn folding(&self) -> Folding {
        Folding {
            digraphs: self.meta["digraphs"].as_bool().expect("digraphs"),
        }
    }

    fn chunk(&self, n: usize) -> serde_json::Map<String, Value> {
        let name = self.meta["chunk_files"][n].as_str().expect("a chunk's file");
        let text = read(&self.dir.join(format!("c/{name}.js")));
        assert!(text.starts_with(&format!("glossaSearch.chunk(\"{name}\",")), "{text}");
        match unwrap_call(&text, "glossaSearch.chunk") {
            Value::Object(m) => m,
            other => panic!("chunk {n} is not an object: {other}"),
        }
    }

    /// Page `page`'s fragment, found as search.js finds it: in its own file when meta.js lists
    /// it among the pages alone, else in its group's, which holds `meta.group` pages in a row.
    fn fragment(&self, page: usize) -> Value {
        let group = self.meta["group"].as_u64().expect("group") as usize;
        let alone = self.meta["alone"]
            .as_array()
            .expect("alone")
            .contains(&Value::from(page));
        let (name, first) = match alone {
            true => (format!("p{page}"), page),
            false => ((page / group).to_string(), page / group * group),
        };
        let text = read(&self.dir.join(format!("f/{name}.js")));
        let head = format!("glossaSearch.fragments(\"{name}\",{first},[");
        assert!(text.starts_with(&head), "{text}");
        let list = text[head.len() - 1..].trim_end().trim_end_matches(");");
        let list: Value = serde_json::from_str(list).unwrap_or_else(|e| panic!("f/{name}.js: {e}: {list}"));
        let list = list.as_array().expect("a list of fragments");
        let pages = self.meta["pages"].as_u64().expect("pages") as usize;
        let end = if alone { page + 1 } else { pages.min(first + group) };
        assert_eq!(list.len(), end - first, "f/{name}.js holds pages {first}..{end}");
        list[page - first].clone()
    }

    /// Pages holding a word that starts with the folded `query`, as `(page, count)`.
    fn postings(&self, query: &str) -> Vec<(usize, u64)> {
        let term = fold(query, self.folding());
        let chunks = self.meta["chunks"].as_array().expect("chunks").len();
        let mut out = Vec::new();
        for n in 0..chunks {
            for (word, postings) in self.chunk(n) {
                if !word.starts_with(&term) {
                    continue;
                }
                let p: Vec<u64> = postings
                    .as_array()
                    .expect("postings")
                    .iter()
                    .map(|v| v.as_u64().expect("a number"))
                    .collect();
                let mut page = 0;
                for pair in p.chunks(2) {
                    page += pair[0];
                    out.push((page as usize, pair[1]));
                }
            }
        }
        out.sort();
        out
    }

    /// Where a query leads: `URL#ANCHOR` of every section whose text holds a matching word.
    fn hits(&self, query: &str) -> Vec<String> {
        let term = fold(query, self.folding());
        let mut out = Vec::new();
        for (page, _) in self.postings(query) {
            let f = self.fragment(page);
            let url = f["u"].as_str().expect("url");
            let title = f["t"].as_str().expect("title");
            let mut any = words(&fold(title, self.folding())).any(|w| w.starts_with(&term));
            for s in f["s"].as_array().expect("sections") {
                let (anchor, text) = (s[0].as_str().expect("anchor"), s[2].as_str().expect("text"));
                if words(&fold(text, self.folding())).any(|w| w.starts_with(&term)) {
                    any = true;
                    out.push(if anchor.is_empty() {
                        url.to_owned()
                    } else {
                        format!("{url}#{anchor}")
                    });
                }
            }
            assert!(any, "page {page} is listed for {query:?} but holds no such word: {f}");
        }
        out.sort();
        out.dedup();
        out
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_search_page_is_a_form_that_names_its_file() {
    let site = site();
    site.build_ok(&[]);
    let page = site.page("search/index.html");
    let form = page.one("form.search-form");
    assert_eq!(form.attr("action"), Some("index.html"));
    assert_eq!(form.attr("method"), Some("get"));
    let input = page.one("form.search-form input[name=\"q\"]");
    assert_eq!(input.attr("type"), Some("search"));
    // The input is labelled.
    let id = input.attr("id").expect("an id for the label");
    assert_eq!(page.all(&format!("label[for=\"{id}\"]")).len(), 1);
    // The script and its index are files of the site.
    let script = page
        .one("script[src$=\"search.js\"]")
        .attr("src")
        .expect("src")
        .to_owned();
    assert!(
        resolve_href(&site.out().join("search/index.html"), &script).is_file(),
        "{script}"
    );
    let data = page.one("#search").attr("data-index").expect("data-index").to_owned();
    assert!(
        resolve_href(&site.out().join("search/index.html"), &format!("{data}meta.js")).is_file(),
        "{data}"
    );
    // Without JavaScript the page says why nothing happens.
    assert_eq!(page.all("noscript").len(), 1);
}

#[test]
fn every_page_has_a_search_box_in_its_header() {
    let site = site();
    site.build_ok(&[]);
    for rel in [
        "index.html",
        "gespraeche/index.html",
        "about/index.html",
        "glossary/index.html",
        "glossary/waffenstillstand/index.html",
    ] {
        let page = site.page(rel);
        let form = page.one("header form[role=\"search\"]");
        let action = form.attr("action").expect("an action");
        assert!(action.ends_with("search/index.html"), "{rel}: {action}");
        assert_eq!(
            resolve_href(&site.out().join(rel), action),
            site.out().join("search/index.html"),
            "{rel}: {action}"
        );
        assert_eq!(
            page.all("header form[role=\"search\"] input[name=\"q\"]").len(),
            1,
            "{rel}"
        );
        assert!(
            page.one("header form[role=\"search\"] input[name=\"q\"]")
                .attr("aria-label")
                .is_some(),
            "{rel}: the header's search field has a name"
        );
    }
}

#[test]
fn words_from_every_source_are_found_where_they_are() {
    let site = site();
    site.build_ok(&[]);
    let index = Index::open(&site.out());
    // Document text, by paragraph.
    assert_eq!(index.hits("traf"), ["gespraeche/index.html#p-1"]);
    // A list item links to the last id before it.
    assert_eq!(index.hits("Grenzen"), ["gespraeche/index.html#p-2"]);
    // A sidecar note.
    assert_eq!(index.hits("Diplomaten"), ["gespraeche/index.html#note-1"]);
    assert_eq!(index.hits("Listenpunkte"), ["gespraeche/index.html#note-2"]);
    // A gloss, at its quote.
    let gloss = index.hits("agreed");
    assert_eq!(gloss.len(), 1, "{gloss:?}");
    let (url, id) = gloss[0].split_once('#').expect("an anchor");
    assert_eq!(url, "gespraeche/index.html");
    let page = site.page(url);
    assert!(page.by_id(id).value().classes().any(|c| c == "gloss"), "{id}");
    // A glossary entry, by its definition.
    assert_eq!(index.hits("Feuerpause"), ["glossary/waffenstillstand/index.html"]);
    // An extra page, and a document's title.
    assert_eq!(index.hits("Zeitungsartikel"), ["about/index.html#p-1"]);
    assert!(!index.postings("Moskau").is_empty(), "titles are indexed");
}

#[test]
fn german_folds_case_sharp_s_and_umlauts() {
    let site = site();
    site.build_ok(&[]);
    let index = Index::open(&site.out());
    for query in [
        "Aussenminister",
        "aussenminister",
        "AUSSENMINISTER",
        "Außenminister",
        "außenmin",
    ] {
        assert_eq!(index.hits(query), ["gespraeche/index.html#p-1"], "{query}");
    }
    // `ä` as `a` and as `ae`: the document is German.
    assert_eq!(index.hits("zahlen"), ["gespraeche/index.html#note-2"]);
    assert_eq!(index.hits("zaehlen"), ["gespraeche/index.html#note-2"]);
    // A prefix finds the longer words, in the text and in the glossary.
    let hits = index.hits("waffenstill");
    assert!(hits.contains(&"gespraeche/index.html#p-2".to_owned()), "{hits:?}");
    assert!(
        hits.contains(&"glossary/waffenstillstand/index.html".to_owned()),
        "{hits:?}"
    );
}

#[test]
fn the_prefix_waffenstill_finds_every_inflection() {
    let site = Site::new(&[(
        "seeds/a.txt",
        "Titel\n\nDer Waffenstillstand hielt.\n\nDie Dauer des Waffenstillstands war kurz.\n\nWaffen schweigen.\n",
    )]);
    site.build_ok(&[]);
    let index = Index::open(&site.out());
    assert_eq!(index.hits("waffenstill"), ["a/index.html#p-1", "a/index.html#p-2"]);
    assert_eq!(index.hits("Waffen").len(), 3);
}

#[test]
fn postings_count_words_and_rank_titles_higher() {
    let site = Site::new(&[
        ("seeds/a.txt", "Titel\n\nKrim Krim Krim.\n"),
        ("seeds/b.md", "---\ntitle: Die Krim\n---\nAnderes.\n"),
    ]);
    site.build_ok(&[]);
    let index = Index::open(&site.out());
    let postings = index.postings("krim");
    assert_eq!(postings.len(), 2, "{postings:?}");
    let counts: Vec<u64> = postings.iter().map(|p| p.1).collect();
    assert!(counts.contains(&3), "three in the text: {postings:?}");
    assert!(
        counts.iter().all(|&c| c >= 3),
        "a title word weighs three: {postings:?}"
    );
}

#[test]
fn search_false_writes_no_search_page_and_no_box() {
    let site = site();
    site.write("content/site.yaml", "search: false\n");
    site.build_ok(&[]);
    assert!(!site.out().join("search").exists());
    let page: Page = site.page("gespraeche/index.html");
    assert!(page.all("form[role=\"search\"]").is_empty());
    assert!(page.all("a[href$=\"search/index.html\"]").is_empty());
}

#[test]
fn hostile_text_stays_data_in_the_index() {
    let site = Site::new(&[("seeds/a.txt", "Titel\n\n</script><script>alert(1)</script> harmlos\n")]);
    site.build_ok(&[]);
    let index = Index::open(&site.out());
    let hits = index.hits("harmlos");
    assert_eq!(hits, ["a/index.html#p-1"]);
    // The fragment is a single call with a JSON string: the text never closes it.
    let text = read(&site.out().join("search/f/0.js"));
    assert_eq!(text.matches("glossaSearch.").count(), 1, "{text}");
    assert_eq!(text.lines().count(), 1, "{text}");
}

/// A "word" of 200,000 letters would be a chunk of its own, and meta.js lists the first word
/// of every chunk: words are cut to `WORD_CHARS` characters, and a query for the whole word,
/// cut as search.js cuts it, still finds it.
#[test]
fn long_words_are_cut_and_still_found() {
    let long: Vec<String> = (0..4).map(|i| format!("{i}{}", "ab".repeat(100_000))).collect();
    let text = format!("Titel\n\n{}\n\nDer Rest.\n", long.join(" "));
    let site = Site::new(&[("seeds/a.txt", text.as_str())]);
    site.build_ok(&[]);
    let meta = std::fs::metadata(site.out().join("search/meta.js"))
        .expect("meta.js")
        .len();
    assert!(meta < 4_000, "meta.js is {meta} bytes");
    let index = Index::open(&site.out());
    for word in &long {
        let query: Vec<&str> = words(word).collect();
        assert_eq!(query.len(), 1);
        assert_eq!(query[0].chars().count(), glossa::render::search::WORD_CHARS);
        assert_eq!(index.hits(query[0]), ["a/index.html#p-1"]);
    }
}

/// Without `raw_html`, HTML in a note or a definition is shown as text, an HTML block as a
/// paragraph of it, as in a document: the search text holds what the reader sees, `<b>` too.
#[test]
fn escaped_html_in_notes_and_definitions_is_searched_as_shown() {
    let site = Site::new(&[
        ("seeds/a.txt", "Titel\n\nDer Hund bellt laut.\n"),
        (
            "seeds/a.yaml",
            "annotations:\n  - quote: Hund\n    note: \"Use &lt;b&gt; or <b>fett</b> here.\"\n  - quote: bellt\n    note: \"<div>\\nblockhtml\\n</div>\"\n",
        ),
        (
            "content/glossary.yaml",
            "- id: hund\n  term: Hund\n  definition: \"Ein Tier, <i>treu</i>.\"\n",
        ),
    ]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let first = page.by_id("note-1").html();
    assert!(
        first.contains("Use &lt;b&gt; or &lt;b&gt;fett&lt;/b&gt; here."),
        "{first}"
    );
    let block = page.by_id("note-2").html();
    assert!(block.contains("<p>&lt;div&gt;\nblockhtml\n&lt;/div&gt;</p>"), "{block}");

    let index = Index::open(&site.out());
    let sections = index.fragment(0)["s"].clone();
    let notes: Vec<&str> = sections
        .as_array()
        .expect("sections")
        .iter()
        .filter(|s| s[1] == "note")
        .map(|s| s[2].as_str().expect("text"))
        .collect();
    assert_eq!(notes, ["Use <b> or <b>fett</b> here.", "<div> blockhtml </div>"]);
    assert_eq!(index.hits("blockhtml"), ["a/index.html#note-2"]);
    let entry = index.fragment(1)["s"][0][2].clone();
    assert_eq!(entry, "Hund: Ein Tier, <i>treu</i>.");
}
