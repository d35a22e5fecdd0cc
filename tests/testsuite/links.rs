//! Cross-links (contract §5): `doc:`, `term:` and `page:` destinations in every kind of
//! Markdown and in `see:`, checked and turned into relative URLs naming the file.

use crate::support::{Page, Site, resolve_href};

const GLOSSARY: &str = "\
- id: krim
  term: Krim
  definition: |
    A peninsula. Read [the B text](doc:b#p-2)
    and [the contact](page:about#kontakt).
";

fn linked_site() -> Site {
    Site::new(&[
        (
            "seeds/a.md",
            "# Alpha\n\nZu [B](doc:b), zu [B zwei](doc:b#p-2), zur [Krim](term:krim), zum [Kontakt](page:about#kontakt), \
             zum [Impressum](page:about#impressum), zur [Notiz](doc:b#wichtig) und [hierher](#p-2).\n\nZweiter Absatz.\n",
        ),
        (
            "seeds/a.yaml",
            "annotations:\n  - id: second\n    quote: Zweiter\n    note: |\n      A note that links\n      to [the B note](doc:b#p-2).\n    see: page:about\n",
        ),
        (
            "seeds/b.txt",
            "Beta\n\nErster Absatz von B.\n\nZweiter Absatz von B, wichtig.\n",
        ),
        (
            "seeds/b.yaml",
            "annotations:\n  - id: wichtig\n    quote: wichtig\n    gloss: important\n",
        ),
        (
            "content/pages/about.md",
            "# About\n\nBack to [Alpha](doc:a) and the [term](term:krim).\n\n## Kontakt\n\nMail.\n\n## Imprint {#impressum}\n\nText.\n",
        ),
        ("content/glossary.yaml", GLOSSARY),
    ])
}

/// Asserts that every `href` with a fragment on `page` among `hrefs` resolves to a file that
/// holds the fragment's id.
fn assert_targets_exist(page: &Page, hrefs: &[String]) {
    for href in hrefs {
        let (file, fragment) = href.split_once('#').unwrap_or((href, ""));
        let path = resolve_href(&page.path, file);
        assert!(
            path.is_file(),
            "{href} from {}: no file {}",
            page.path.display(),
            path.display()
        );
        if !fragment.is_empty() {
            assert!(
                Page::open(&path).has_id(fragment),
                "{href}: no element with id `{fragment}`"
            );
        }
    }
}

#[test]
fn links_in_a_markdown_document_become_relative_urls() {
    let site = linked_site();
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let cases = [
        ("B", "../b/index.html"),
        ("B zwei", "../b/index.html#p-2"),
        ("Krim", "../glossary/krim/index.html"),
        ("Kontakt", "../about/index.html#kontakt"),
        ("Impressum", "../about/index.html#impressum"),
        ("Notiz", "../b/index.html#wichtig"),
        ("hierher", "#p-2"),
    ];
    for (text, href) in cases {
        assert_eq!(page.hrefs_in("[id=\"p-1\"]", text), [href], "the link `{text}`");
    }
    let hrefs: Vec<String> = cases
        .iter()
        .map(|c| c.1.to_owned())
        .filter(|h| !h.starts_with('#'))
        .collect();
    assert_targets_exist(&page, &hrefs);
}

#[test]
fn links_in_a_note_and_in_see_become_relative_urls() {
    let site = linked_site();
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    assert_eq!(page.hrefs_of("the B note"), ["../b/index.html#p-2"]);
    let see: Vec<String> = page
        .all("[id=\"second\"] a.see")
        .iter()
        .filter_map(|a| a.attr("href"))
        .map(str::to_owned)
        .collect();
    assert_eq!(see, ["../about/index.html"]);
    assert_targets_exist(&page, &see);
}

#[test]
fn links_in_a_glossary_definition_become_relative_urls() {
    let site = linked_site();
    site.build_ok(&[]);
    let entry = site.page("glossary/krim/index.html");
    assert_eq!(entry.hrefs_of("the B text"), ["../../b/index.html#p-2"]);
    assert_eq!(entry.hrefs_of("the contact"), ["../../about/index.html#kontakt"]);
    assert_targets_exist(
        &entry,
        &["../../b/index.html#p-2".into(), "../../about/index.html#kontakt".into()],
    );
}

#[test]
fn links_in_a_page_become_relative_urls() {
    let site = linked_site();
    site.build_ok(&[]);
    let about = site.page("about/index.html");
    assert_eq!(about.hrefs_in("p", "Alpha"), ["../a/index.html"]);
    assert_eq!(about.hrefs_in("p", "term"), ["../glossary/krim/index.html"]);
    assert!(
        about.has_id("kontakt") && about.has_id("impressum"),
        "heading ids of a page"
    );
}

#[test]
fn a_document_page_lists_the_pages_that_link_to_it() {
    let site = linked_site();
    site.build_ok(&[]);
    let b = site.page("b/index.html");
    // B's own text links nowhere; links back can only be its "Linked from" list.
    assert_eq!(
        b.hrefs_in("main", "Alpha"),
        ["../a/index.html"],
        "linked from the document Alpha (body and note)"
    );
    assert_eq!(
        b.hrefs_in("main", "Krim"),
        ["../glossary/krim/index.html"],
        "linked from the entry's definition"
    );
    let a = site.page("a/index.html");
    assert_eq!(
        a.hrefs_in("main", "About"),
        ["../about/index.html"],
        "Alpha is linked from the page About"
    );
}

/// A page's "Linked from" list (the links `css` finds): each page's title and address, in the
/// list's order.
fn linked_from(page: &Page, css: &str) -> Vec<(String, String)> {
    (page.all(css).iter())
        .map(|a| {
            (
                crate::support::text_of(a),
                a.attr("href").unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// The list is by title, then address, whatever the pages' names and kinds, each page once
/// however often it links; an entry page, two folders deep, lists the same pages from there.
#[test]
fn the_pages_that_link_a_page_are_listed_by_title_then_address() {
    let site = Site::new(&[
        ("seeds/target.md", "# Ziel\n\nSee [Krim](term:krim).\n"),
        ("seeds/a.md", "# Zebra\n\n[Ziel](doc:target) and [again](doc:target).\n"),
        ("seeds/b.md", "# Apfel\n\n[Ziel](doc:target), [Krim](term:krim).\n"),
        ("seeds/c.md", "# Apfel\n\n[Ziel](doc:target), [Krim](term:krim).\n"),
        ("seeds/d.md", "# Mitte\n\nLinks nowhere.\n"),
        ("content/pages/about.md", "# Beta\n\n[Ziel](doc:target).\n"),
        (
            "content/glossary.yaml",
            "- id: krim\n  term: Krim\n  definition: See [Ziel](doc:target).\n",
        ),
    ]);
    site.build_ok(&[]);
    let pair = |title: &str, href: &str| (title.to_owned(), href.to_owned());
    assert_eq!(
        linked_from(&site.page("target/index.html"), "section.backlinks a"),
        [
            pair("Apfel", "../b/index.html"),
            pair("Apfel", "../c/index.html"),
            pair("Beta", "../about/index.html"),
            pair("Krim", "../glossary/krim/index.html"),
            pair("Zebra", "../a/index.html"),
        ]
    );
    assert_eq!(
        // Krim has no forms and no related entries: its facts are its backlinks.
        linked_from(&site.page("glossary/krim/index.html"), "dl.facts a"),
        [
            pair("Apfel", "../../b/index.html"),
            pair("Apfel", "../../c/index.html"),
            pair("Ziel", "../../target/index.html"),
        ]
    );
    assert!(linked_from(&site.page("d/index.html"), "section.backlinks a").is_empty());
}

#[test]
fn a_document_linked_from_nowhere_lists_nothing() {
    let site = Site::new(&[
        ("seeds/a.md", "# Alpha\n\nText.\n"),
        ("seeds/b.md", "# Beta\n\nText.\n"),
    ]);
    site.build_ok(&[]);
    let a = site.page("a/index.html");
    assert!(a.hrefs_of("Beta").is_empty());
    assert!(a.all("main a[href=\"../b/index.html\"]").is_empty());
}

/// A site whose only problem is the broken link in `file`.
fn broken(file: &str, contents: &str) -> Site {
    let site = Site::new(&[
        ("seeds/a.md", "# Alpha\n\nErster Absatz.\n\nZweiter Absatz.\n"),
        ("seeds/b.md", "# Beta\n\nText.\n"),
        ("content/pages/about.md", "# About\n\n## Kontakt\n\nMail.\n"),
        (
            "content/glossary.yaml",
            "- id: krim\n  term: Krim\n  definition: A peninsula.\n",
        ),
    ]);
    site.write(file, contents);
    site
}

#[test]
fn an_unknown_document_in_a_markdown_link_is_an_error_where_written() {
    let site = broken(
        "seeds/a.md",
        "# Alpha\n\nErster Absatz.\n\nZweiter [Absatz](doc:nope).\n",
    );
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.md:5:", "nope"]);
}

#[test]
fn an_unknown_fragment_in_a_markdown_link_is_an_error_where_written() {
    let site = broken(
        "seeds/a.md",
        "# Alpha\n\nErster Absatz.\n\nZweiter [Absatz](doc:b#p-9).\n",
    );
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.md:5:", "p-9"]);
}

#[test]
fn an_unknown_fragment_in_the_same_document_is_an_error() {
    let site = broken("seeds/a.md", "# Alpha\n\nErster [Absatz](#p-7).\n\nZweiter Absatz.\n");
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.md:3:", "p-7"]);
}

#[test]
fn an_unknown_page_or_page_fragment_is_an_error_where_written() {
    let site = broken(
        "seeds/a.md",
        "# Alpha\n\n[Eins](page:abuot).\n\n[Zwei](page:about#kontak).\n",
    );
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.md:3:", "abuot", "seeds/a.md:5:", "kontak"]);
}

#[test]
fn an_unknown_term_in_a_markdown_link_is_an_error_where_written() {
    let site = broken(
        "seeds/a.md",
        "# Alpha\n\nErster Absatz.\n\n\nZweiter [Absatz](term:kirm).\n",
    );
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.md:6:", "kirm"]);
}

#[test]
fn a_broken_link_in_a_footnote_is_an_error_where_written() {
    let site = broken(
        "seeds/a.md",
        "# Alpha\n\nErster Absatz.[^1]\n\n[^1]: See\n    [there](doc:nope).\n",
    );
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.md:6:", "nope"]);
}

#[test]
fn a_broken_link_after_front_matter_is_an_error_on_its_line() {
    let site = broken(
        "seeds/a.md",
        "---\ntitle: Alpha\nauthor: X\n---\n\nErster [Absatz](doc:nope).\n",
    );
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.md:6:", "nope"]);
}

#[test]
fn a_broken_link_in_a_note_is_an_error_where_written() {
    let site = broken(
        "seeds/a.yaml",
        "annotations:\n  - quote: Zweiter\n    gloss: second\n    note: A note that links to [x](doc:nope).\n",
    );
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.yaml:4:", "nope"]);
}

#[test]
fn a_broken_see_is_an_error_where_written() {
    let site = broken(
        "seeds/a.yaml",
        "annotations:\n  - quote: Zweiter\n    note: n\n    see: doc:b#p-4\n",
    );
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.yaml:4:", "p-4"]);
}

#[test]
fn a_broken_link_in_a_glossary_definition_is_an_error_where_written() {
    let site = broken(
        "content/glossary.yaml",
        "- id: krim\n  term: Krim\n  kind: place\n  definition: A peninsula, see [x](page:nope).\n",
    );
    let run = site.build(&[]);
    site.assert_fails(&run, &["content/glossary.yaml:4:", "nope"]);
}

#[test]
fn a_broken_link_in_a_page_is_an_error_where_written() {
    let site = broken(
        "content/pages/about.md",
        "# About\n\n## Kontakt\n\nMail [me](doc:a#p-3).\n",
    );
    let run = site.build(&[]);
    site.assert_fails(&run, &["content/pages/about.md:5:", "p-3"]);
}

#[test]
fn a_fragment_may_name_any_id_of_the_target_page() {
    let site = Site::new(&[
        (
            "seeds/a.md",
            "# Alpha\n\n[Absatz](doc:b#p-1), [Notiz](doc:b#note-1), [Vorkommen](doc:b#t-krim-1), [Quote](doc:b#meer), [Kapitel](doc:b#kapitel).\n",
        ),
        ("seeds/b.md", "# Beta\n\nDie Krim im Meer.\n\n## Kapitel\n\nText.\n"),
        (
            "seeds/b.yaml",
            "annotations:\n  - id: meer\n    quote: im Meer\n    note: The sea.\n",
        ),
        (
            "content/glossary.yaml",
            "- id: krim\n  term: Krim\n  definition: A peninsula.\n",
        ),
    ]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let hrefs: Vec<String> = ["Absatz", "Notiz", "Vorkommen", "Quote", "Kapitel"]
        .iter()
        .flat_map(|t| page.hrefs_in("[id=\"p-1\"]", t))
        .collect();
    assert_eq!(
        hrefs,
        [
            "../b/index.html#p-1",
            "../b/index.html#note-1",
            "../b/index.html#t-krim-1",
            "../b/index.html#meer",
            "../b/index.html#kapitel"
        ]
    );
    assert_targets_exist(&page, &hrefs);
}

#[test]
fn linked_from_counts_links_in_notes_see_definitions_and_pages() {
    let site = Site::new(&[
        ("seeds/a.md", "# Alpha\n\nEins zwei.\n"),
        (
            "seeds/a.yaml",
            "annotations:\n  - quote: Eins\n    note: Only a note links to [Cee](doc:c).\n  - quote: zwei\n    see: doc:d#p-1\n",
        ),
        ("seeds/c.md", "# Cee\n\nText.\n"),
        ("seeds/d.md", "# Dee\n\nText.\n"),
        ("seeds/e.md", "# Eee\n\nText.\n"),
        ("seeds/f.md", "# Eff\n\nText.\n"),
        (
            "content/glossary.yaml",
            "- id: zeichen\n  term: Zeichen\n  definition: Said in [Eee](doc:e).\n",
        ),
        ("content/pages/about.md", "# About\n\nSee [Eff](doc:f#p-1).\n"),
    ]);
    site.build_ok(&[]);
    assert_eq!(
        site.page("c/index.html").hrefs_in("main", "Alpha"),
        ["../a/index.html"],
        "from a note"
    );
    assert_eq!(
        site.page("d/index.html").hrefs_in("main", "Alpha"),
        ["../a/index.html"],
        "from a see"
    );
    let e = site.page("e/index.html");
    assert_eq!(
        e.hrefs_in("main", "Zeichen"),
        ["../glossary/zeichen/index.html"],
        "from a definition"
    );
    assert_eq!(
        site.page("f/index.html").hrefs_in("main", "About"),
        ["../about/index.html"],
        "from a page"
    );
}

#[test]
fn a_broken_link_in_a_multi_line_note_is_an_error_on_its_line() {
    let site = broken(
        "seeds/a.yaml",
        "annotations:\n  - quote: Zweiter\n    note: |\n      A note\n      that links to [x](doc:nope).\n",
    );
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.yaml:5:", "nope"]);
}

#[test]
fn a_broken_link_in_a_multi_line_definition_is_an_error_on_its_line() {
    let site = broken(
        "content/glossary.yaml",
        "- id: krim\n  term: Krim\n  definition: |\n    A peninsula,\n    see [x](page:nope).\n",
    );
    let run = site.build(&[]);
    site.assert_fails(&run, &["content/glossary.yaml:5:", "nope"]);
}
