//! The glossary (contract §4): where forms are found, how occurrences are marked and linked,
//! and the entry and index pages.

use crate::support::{Page, Site, is_inside, reading_text, surroundings, text_of};

const GLOSSARY: &str = "\
- id: krim
  term: Krim
  kind: place
  definition: A peninsula in the Black Sea.
- id: un
  term: UN
  kind: organisation
  definition: The United Nations.
- id: unsr
  term: UN-Sicherheitsrat
  kind: organisation
  forms: [UN-Sicherheitsrates, UN-Sicherheitsrat]
  definition: The Security Council of the United Nations.
";

/// One Markdown document `a` with the glossary above.
fn site_with(doc: &str) -> Site {
    Site::new(&[("seeds/a.md", doc), ("content/glossary.yaml", GLOSSARY)])
}

/// `(id, text, linked)` of every glossary occurrence on a page, in text order.
fn occurrences(page: &Page) -> Vec<(String, String, bool)> {
    page.all(".term[id^=\"t-\"]")
        .iter()
        .map(|e| {
            (
                e.attr("id").unwrap_or_default().to_owned(),
                reading_text(e),
                e.value().name() == "a",
            )
        })
        .collect()
}

fn occ(id: &str, text: &str, linked: bool) -> (String, String, bool) {
    (id.to_owned(), text.to_owned(), linked)
}

#[test]
fn forms_match_whole_words_only() {
    let site = site_with("# T\n\nDie Krim, der Krimi, die Krimäer, xKrim, Krim2, ÄKrim, (Krim) und die Krim.\n");
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let found = occurrences(&page);
    assert_eq!(
        found.iter().map(|o| o.0.as_str()).collect::<Vec<_>>(),
        ["t-krim-1", "t-krim-2", "t-krim-3"],
        "{found:?}"
    );
    assert_eq!(surroundings(&page.by_id("t-krim-1")).0, "Die ");
    assert!(surroundings(&page.by_id("t-krim-2")).0.ends_with("ÄKrim, ("));
    assert!(surroundings(&page.by_id("t-krim-3")).0.ends_with("und die "));
}

#[test]
fn forms_match_case_sensitively() {
    let site = site_with("# T\n\nDie krim und die KRIM und die Krim.\n");
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let found = occurrences(&page);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(
        surroundings(&page.by_id("t-krim-1")).0,
        "Die krim und die KRIM und die "
    );
}

#[test]
fn the_longest_form_wins_where_forms_overlap() {
    let site = site_with("# T\n\nIm UN-Sicherheitsrates sitzt die UN, der UN-Sicherheitsrat tagt.\n");
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    assert_eq!(
        occurrences(&page),
        [
            occ("t-unsr-1", "UN-Sicherheitsrates", true),
            occ("t-un-1", "UN", true),
            occ("t-unsr-2", "UN-Sicherheitsrat", false)
        ]
    );
}

#[test]
fn code_is_not_searched_for_forms() {
    let site = site_with(
        "# T\n\nDie `Krim` im Code.\n\n```\nKrim im Block\n```\n\n    Krim eingerückt\n\nDie Krim im Text.\n",
    );
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    assert_eq!(occurrences(&page), [occ("t-krim-1", "Krim", true)]);
    assert_eq!(
        surroundings(&page.by_id("t-krim-1")),
        ("Die ".to_owned(), " im Text.".to_owned())
    );
    for code in page.all("code") {
        assert!(
            code.select(&crate::support::selector(".term")).next().is_none(),
            "no occurrence in {}",
            code.html()
        );
    }
}

const THREE: &str = "# T\n\nKrim eins, Krim zwei.\n\nKrim drei.\n";

#[test]
fn by_default_only_the_first_occurrence_in_each_document_is_a_link() {
    let site = Site::new(&[
        ("seeds/a.md", THREE),
        ("seeds/b.md", "# B\n\nAuch die Krim und die Krim.\n"),
        ("content/glossary.yaml", GLOSSARY),
    ]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    assert_eq!(
        occurrences(&page),
        [
            occ("t-krim-1", "Krim", true),
            occ("t-krim-2", "Krim", false),
            occ("t-krim-3", "Krim", false)
        ]
    );
    assert_eq!(page.by_id("t-krim-1").attr("href"), Some("../glossary/krim/index.html"));
    assert_eq!(page.by_id("t-krim-2").value().name(), "span");
    let b = site.page("b/index.html");
    assert_eq!(
        occurrences(&b),
        [occ("t-krim-1", "Krim", true), occ("t-krim-2", "Krim", false)]
    );
}

#[test]
fn glossary_link_first_can_be_set_explicitly() {
    let site = site_with(THREE);
    site.write("content/site.yaml", "glossary: { link: first }\n");
    site.build_ok(&[]);
    let linked: Vec<bool> = occurrences(&site.page("a/index.html"))
        .into_iter()
        .map(|o| o.2)
        .collect();
    assert_eq!(linked, [true, false, false]);
}

#[test]
fn glossary_link_all_links_every_occurrence() {
    let site = site_with(THREE);
    site.write("content/site.yaml", "glossary: { link: all }\n");
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    assert_eq!(
        occurrences(&page),
        [
            occ("t-krim-1", "Krim", true),
            occ("t-krim-2", "Krim", true),
            occ("t-krim-3", "Krim", true)
        ]
    );
    for o in page.all("a.term") {
        assert_eq!(o.attr("href"), Some("../glossary/krim/index.html"));
    }
}

#[test]
fn glossary_link_none_links_no_occurrence() {
    let site = site_with(THREE);
    site.write("content/site.yaml", "glossary:\n  link: none\n");
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    assert_eq!(
        occurrences(&page),
        [
            occ("t-krim-1", "Krim", false),
            occ("t-krim-2", "Krim", false),
            occ("t-krim-3", "Krim", false)
        ]
    );
    assert!(page.all("span.term").len() == 3);
}

#[test]
fn a_bad_glossary_link_value_is_an_error() {
    let site = site_with(THREE);
    site.write("content/site.yaml", "title: X\nglossary: { link: sometimes }\n");
    let run = site.build(&[]);
    site.assert_fails(&run, &["content/site.yaml:2:"]);
}

#[test]
fn an_occurrence_inside_a_markdown_link_is_not_linked() {
    let site = site_with("# T\n\nDie [Krim heute](https://example.org/) und so.\n");
    site.write("content/site.yaml", "glossary: { link: all }\n");
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let o = page.by_id("t-krim-1");
    assert_eq!(o.value().name(), "span");
    assert_eq!(o.attr("class"), Some("term"));
    assert!(page.all("a a").is_empty(), "a link inside a link");
}

#[test]
fn an_occurrence_inside_a_see_span_is_not_linked() {
    let site = Site::new(&[
        ("seeds/a.md", "# T\n\nHeute liegt die Krim am Meer.\n"),
        (
            "seeds/a.yaml",
            "annotations:\n  - id: sea\n    quote: liegt die Krim am Meer\n    see: doc:b\n",
        ),
        ("seeds/b.md", "# B\n\nDie Krim.\n"),
        ("content/glossary.yaml", GLOSSARY),
    ]);
    site.write("content/site.yaml", "glossary: { link: all }\n");
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let o = page.by_id("t-krim-1");
    assert_eq!(o.value().name(), "span", "{}", o.html());
    assert!(
        is_inside(&o, "a.see"),
        "the occurrence keeps its place inside the see link"
    );
    assert!(page.all("a a").is_empty(), "a link inside a link");
}

const LAWROW: &str =
    "- id: lawrow\n  term: Sergej Lawrow\n  kind: person\n  forms: [Lawrow]\n  definition: Foreign minister.\n";

#[test]
fn explicit_term_annotations_count_as_occurrences_in_text_order() {
    let site = Site::new(&[
        (
            "seeds/a.md",
            "# T\n\nLawrow sprach. Der Minister sagte etwas.\n\nDann ging Lawrow.\n",
        ),
        (
            "seeds/a.yaml",
            "annotations:\n  - id: minister\n    quote: Der Minister\n    term: lawrow\n",
        ),
        ("seeds/b.md", "# B\n\nAuch Lawrow.\n"),
        ("content/glossary.yaml", LAWROW),
    ]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let found: Vec<(String, String)> = occurrences(&page).into_iter().map(|o| (o.0, o.1)).collect();
    assert_eq!(
        found,
        [
            ("t-lawrow-1".into(), "Lawrow".into()),
            ("t-lawrow-2".into(), "Der Minister".into()),
            ("t-lawrow-3".into(), "Lawrow".into())
        ]
    );
    // The `term:` annotation's quote links to its entry.
    let minister = page.by_id("minister");
    let link = minister
        .select(&crate::support::selector("a"))
        .next()
        .map(|a| a.attr("href").unwrap_or_default().to_owned());
    assert_eq!(
        link.as_deref(),
        Some("../glossary/lawrow/index.html"),
        "{}",
        minister.html()
    );
    // Numbering starts again in every document.
    assert_eq!(
        occurrences(&site.page("b/index.html")),
        [occ("t-lawrow-1", "Lawrow", true)]
    );
}

#[test]
fn a_term_annotation_over_a_form_counts_once() {
    let site = Site::new(&[
        ("seeds/a.md", "# T\n\nAußenminister Lawrow sprach, und Lawrow ging.\n"),
        (
            "seeds/a.yaml",
            "annotations:\n  - id: al\n    quote: Außenminister Lawrow\n    term: lawrow\n",
        ),
        ("content/glossary.yaml", LAWROW),
    ]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let ids: Vec<String> = occurrences(&page).into_iter().map(|o| o.0).collect();
    assert_eq!(ids, ["t-lawrow-1", "t-lawrow-2"]);
    assert_eq!(reading_text(&page.by_id("t-lawrow-1")), "Außenminister Lawrow");
}

#[test]
fn glossary_files_under_content_glossary_are_read() {
    let site = Site::new(&[
        ("seeds/a.md", "# T\n\nLawrow und die Krim.\n"),
        (
            "content/glossary.yaml",
            "- id: krim\n  term: Krim\n  definition: A peninsula.\n",
        ),
        ("content/glossary/people.yaml", LAWROW),
    ]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    assert!(page.has_id("t-lawrow-1") && page.has_id("t-krim-1"));
    assert!(site.out().join("glossary/lawrow/index.html").is_file());
}

fn two_documents() -> Site {
    Site::new(&[
        (
            "seeds/a.md",
            "# Alpha\n\nVor langer Zeit und noch viel längerer Zeit, als die Welt jung war und niemand zählte, lag die Krim am Schwarzen Meer, und dahinter kam lange nichts, nur Wasser und Wind und Weite ohne Ende.\n\nNoch einmal die Krim.\n",
        ),
        ("seeds/b.txt", "Beta\n\nAuch hier: die Krim.\n"),
        ("content/glossary.yaml", GLOSSARY),
    ])
}

#[test]
fn an_entry_page_lists_every_occurrence_grouped_by_document() {
    let site = two_documents();
    site.build_ok(&[]);
    let entry = site.page("glossary/krim/index.html");
    let links: Vec<String> = entry
        .all("a[href*=\"#t-krim-\"]")
        .iter()
        .filter_map(|a| a.attr("href"))
        .map(str::to_owned)
        .collect();
    assert_eq!(
        links,
        [
            "../../a/index.html#t-krim-1",
            "../../a/index.html#t-krim-2",
            "../../b/index.html#t-krim-1"
        ]
    );
    for href in &links {
        let (file, fragment) = href.split_once('#').unwrap_or_default();
        let target = Page::open(&crate::support::resolve_href(&entry.path, file));
        assert!(target.has_id(fragment), "{href}: no element with that id");
    }
    // Each document's group names the document and links to it, before its occurrences.
    let position = |needle: &str| {
        entry
            .source
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} not on the entry page"))
    };
    let alpha = entry.all("a[href=\"../../a/index.html\"]");
    let beta = entry.all("a[href=\"../../b/index.html\"]");
    assert_eq!(alpha.iter().map(text_of).collect::<Vec<_>>(), ["Alpha"]);
    assert_eq!(beta.iter().map(text_of).collect::<Vec<_>>(), ["Beta"]);
    assert!(position(">Alpha<") < position("a/index.html#t-krim-1"));
    assert!(position("a/index.html#t-krim-2") < position(">Beta<"));
    assert!(position(">Beta<") < position("b/index.html#t-krim-1"));
}

#[test]
fn an_entry_page_shows_about_sixty_characters_of_context() {
    let site = two_documents();
    site.build_ok(&[]);
    let entry = site.page("glossary/krim/index.html");
    let first = entry.one("a[href=\"../../a/index.html#t-krim-1\"]");
    let context = first
        .ancestors()
        .filter_map(scraper::ElementRef::wrap)
        .find(|e| e.value().name() == "li" || e.value().name() == "p")
        .map(|e| text_of(&e))
        .unwrap_or_else(|| text_of(&first));
    assert!(
        context.contains("niemand zählte, lag die Krim am Schwarzen Meer, und dahinter"),
        "{context}"
    );
    assert!(
        !context.contains("Vor langer Zeit"),
        "the context is about 60 characters, not the whole paragraph: {context}"
    );
    assert!(
        !context.contains("ohne Ende"),
        "the context is about 60 characters, not the whole paragraph: {context}"
    );
}

#[test]
fn an_entry_page_shows_definition_forms_and_related_entries_both_ways() {
    let site = Site::new(&[
        ("seeds/a.md", "# T\n\nDie UN und der UN-Sicherheitsrat.\n"),
        (
            "content/glossary.yaml",
            "- id: un\n  term: UN\n  definition: The *United* Nations.\n  see: [unsr]\n- id: unsr\n  term: UN-Sicherheitsrat\n  forms: [UN-Sicherheitsrates, UN-Sicherheitsrat]\n  definition: The Security Council.\n",
        ),
    ]);
    site.build_ok(&[]);
    let un = site.page("glossary/un/index.html");
    assert!(
        un.source.contains("The <em>United</em> Nations."),
        "the definition is rendered Markdown"
    );
    assert_eq!(un.hrefs_of("UN-Sicherheitsrat"), ["../unsr/index.html"]);
    let unsr = site.page("glossary/unsr/index.html");
    let text = text_of(&unsr.one("main"));
    assert!(text.contains("UN-Sicherheitsrates"), "the forms are shown: {text}");
    assert_eq!(
        unsr.hrefs_of("UN"),
        ["../un/index.html"],
        "related entries are shown on both entries' pages"
    );
}

#[test]
fn the_glossary_index_groups_entries_by_kind_a_to_z() {
    let site = Site::new(&[
        (
            "seeds/a.md",
            "# T\n\nDie UN, die NATO, die Krim, der Zar und das Abkommen.\n",
        ),
        (
            "content/glossary.yaml",
            "- id: un\n  term: UN\n  kind: organisation\n  definition: x\n\
             - id: krim\n  term: Krim\n  kind: place\n  definition: x\n\
             - id: nato\n  term: NATO\n  kind: organisation\n  definition: x\n\
             - id: zar\n  term: Zar\n  definition: x\n\
             - id: abkommen\n  term: Abkommen\n  definition: x\n",
        ),
    ]);
    site.build_ok(&[]);
    let index = site.page("glossary/index.html");
    // Walk headings and entry links in document order: each entry sits under its kind's heading.
    let mut heading = String::new();
    let mut seen: Vec<(String, String)> = Vec::new();
    for e in index.all("main h2, main h3, main a[href]") {
        if e.value().name() != "a" {
            heading = text_of(&e);
        } else if let Some(id) = e.attr("href").and_then(|h| h.strip_suffix("/index.html"))
            && ["un", "krim", "nato", "zar", "abkommen"].contains(&id)
        {
            seen.push((heading.clone(), id.to_owned()));
        }
    }
    let under = |kind: &str| -> Vec<String> {
        seen.iter()
            .filter(|(h, _)| h.contains(kind))
            .map(|(_, id)| id.clone())
            .collect()
    };
    assert_eq!(under("organisation"), ["nato", "un"], "{seen:?}");
    assert_eq!(under("place"), ["krim"], "{seen:?}");
    assert_eq!(
        under("term"),
        ["abkommen", "zar"],
        "entries without a kind are `term`s: {seen:?}"
    );
    assert_eq!(seen.len(), 5, "every entry is listed once: {seen:?}");
}

#[test]
fn kinds_of_any_words_make_valid_unique_ids() {
    let site = Site::new(&[
        ("seeds/a.md", "# T\n\nDie UN, die NATO und die Krim.\n"),
        (
            "content/glossary.yaml",
            "- id: un\n  term: UN\n  kind: Place name\n  definition: x\n\
             - id: krim\n  term: Krim\n  kind: place-name\n  definition: x\n\
             - id: nato\n  term: NATO\n  kind: Bündnis der Staaten\n  definition: x\n",
        ),
    ]);
    site.build_ok(&[]);
    let index = site.page("glossary/index.html");
    let ids: Vec<String> = index
        .all("section.kind-group")
        .iter()
        .map(|s| s.attr("id").expect("an id").to_owned())
        .collect();
    // Kinds in code point order: `Bündnis…`, `Place name`, `place-name`.
    assert_eq!(
        ids,
        ["kind-buendnis-der-staaten", "kind-place-name", "kind-place-name-2"]
    );
    let jumps: Vec<String> = index
        .all(".kind-jump a")
        .iter()
        .map(|a| a.attr("href").expect("a link").to_owned())
        .collect();
    assert_eq!(jumps, ids.iter().map(|id| format!("#{id}")).collect::<Vec<_>>());
    // The heading still shows the kind as written.
    assert!(text_of(&index.all("section.kind-group h2")[1]).contains("Place name"));
}

#[test]
fn an_entry_with_no_occurrence_is_a_warning() {
    let site = site_with("# T\n\nNur die Krim.\n");
    let run = site.build_ok(&[]);
    let warnings = run.warnings();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("content/glossary.yaml:5:") && w.contains("un")),
        "{run}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("content/glossary.yaml:9:") && w.contains("unsr")),
        "{run}"
    );
    assert!(!warnings.iter().any(|w| w.contains("krim")), "{run}");
    assert!(
        site.out().join("glossary/un/index.html").is_file(),
        "an unused entry still gets its page"
    );
}

#[test]
fn the_title_is_not_searched_for_forms() {
    let site = Site::new(&[
        ("seeds/a.txt", "Die Krim\n\nAm Schwarzen Meer liegt die Krim.\n"),
        ("content/glossary.yaml", GLOSSARY),
    ]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    assert_eq!(occurrences(&page), [occ("t-krim-1", "Krim", true)]);
    assert!(surroundings(&page.by_id("t-krim-1")).0.ends_with("liegt die "));
}

#[test]
fn forms_are_found_in_headings_list_items_and_table_cells() {
    let site = site_with("# T\n\n## Die Krim\n\n- Krim\n\n| Ort |\n| --- |\n| Krim |\n");
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let ids: Vec<String> = occurrences(&page).into_iter().map(|o| o.0).collect();
    assert_eq!(ids, ["t-krim-1", "t-krim-2", "t-krim-3"]);
    assert!(is_inside(&page.by_id("t-krim-1"), "h2"));
    assert!(is_inside(&page.by_id("t-krim-2"), "li"));
    assert!(is_inside(&page.by_id("t-krim-3"), "td"));
}

#[test]
fn first_occurrence_is_a_link_even_with_a_later_term_annotation() {
    let site = Site::new(&[
        (
            "seeds/a.md",
            "# T\n\nLawrow sprach. Der Minister sagte etwas. Dann ging Lawrow.\n",
        ),
        (
            "seeds/a.yaml",
            "annotations:\n  - id: minister\n    quote: Der Minister\n    term: lawrow\n",
        ),
        (
            "content/glossary.yaml",
            "- id: lawrow\n  term: Sergej Lawrow\n  forms: [Lawrow]\n  definition: Foreign minister.\n",
        ),
    ]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let first = page.by_id("t-lawrow-1");
    assert_eq!(reading_text(&first), "Lawrow");
    assert_eq!(
        first.value().name(),
        "a",
        "the first occurrence is a link: {}",
        first.html()
    );
    assert_eq!(first.attr("href"), Some("../glossary/lawrow/index.html"));
    assert_eq!(
        page.by_id("t-lawrow-3").value().name(),
        "span",
        "later form occurrences only carry an id"
    );
}

#[test]
fn an_occurrence_inside_a_markdown_link_leaves_the_link_whole() {
    let site = Site::new(&[
        ("seeds/a.md", "# T\n\nDie [Krim heute](https://example.org/) und so.\n"),
        (
            "content/glossary.yaml",
            "- id: krim\n  term: Krim\n  definition: A peninsula.\n",
        ),
    ]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let links = page.all("a[href=\"https://example.org/\"]");
    assert_eq!(
        links.len(),
        1,
        "one Markdown link gives one <a>: {}",
        page.one("[id=\"p-1\"]").html()
    );
    assert_eq!(reading_text(&links[0]), "Krim heute");
    assert!(is_inside(&page.by_id("t-krim-1"), "a[href=\"https://example.org/\"]"));
}

#[test]
fn a_quote_starting_inside_emphasis_leaves_no_empty_element() {
    let site = Site::new(&[
        ("seeds/a.md", "# T\n\nEin *sehr langer* Satz.\n"),
        (
            "seeds/a.yaml",
            "annotations:\n  - quote: langer Satz\n    gloss: long sentence\n",
        ),
    ]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let p = page.one("[id=\"p-1\"]");
    assert!(!p.html().contains("<em></em>"), "{}", p.html());
    assert_eq!(reading_text(&page.by_id("a-1")), "langer Satz");
}
