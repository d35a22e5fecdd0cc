//! The stable HTML hooks themes and tests rely on (contract §8).

use crate::support::{Site, is_inside, reading_text, text_of};

#[test]
fn html_lang_is_the_documents_language_else_the_sites() {
    let site = Site::new(&[
        ("content/site.yaml", "lang: de\n"),
        ("seeds/fr.txt", "Titre\n\nBonjour.\n"),
        ("seeds/fr.yaml", "lang: fr\n"),
        ("seeds/en.md", "---\nlang: en-GB\n---\n# Title\n\nHello.\n"),
        ("seeds/plain.md", "# Ohne\n\nKeine Sprache angegeben.\n"),
        ("seeds/both.md", "---\nlang: it\n---\n# Both\n\nThe sidecar wins.\n"),
        ("seeds/both.yaml", "lang: es\n"),
    ]);
    site.build_ok(&[]);
    assert_eq!(site.page("fr/index.html").lang(), "fr");
    assert_eq!(site.page("en/index.html").lang(), "en-GB");
    assert_eq!(site.page("plain/index.html").lang(), "de");
    assert_eq!(site.page("both/index.html").lang(), "es");
    assert_eq!(site.page("index.html").lang(), "de");
}

#[test]
fn html_lang_defaults_to_en() {
    let site = Site::new(&[("seeds/a.md", "# A\n\nText.\n")]);
    site.build_ok(&[]);
    assert_eq!(site.page("a/index.html").lang(), "en");
}

#[test]
fn every_paragraph_of_a_markdown_document_is_numbered_in_order() {
    let site = Site::new(&[(
        "seeds/a.md",
        "# Titel\n\nEins.\n\n## Abschnitt\n\nZwei.\n\n> Drei im Zitat.\n\n- Vier in loser\n\n- Liste\n\n```\nkein Absatz\n```\n\nFünf.[^n]\n\n[^n]: Eine Fußnote.\n",
    )]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let expected = ["Eins.", "Zwei.", "Drei im Zitat.", "Vier in loser", "Liste", "Fünf."];
    let numbered: Vec<(String, String)> = page
        .all("p[id^=\"p-\"]")
        .iter()
        .map(|p| (p.attr("id").unwrap_or_default().to_owned(), reading_text(p)))
        .collect();
    let want: Vec<(String, String)> = expected
        .iter()
        .enumerate()
        .map(|(i, t)| (format!("p-{}", i + 1), t.to_string()))
        .collect();
    assert_eq!(numbered, want);
    // Every <p> holding reading text has its id.
    for p in page.all("p") {
        let text = reading_text(&p);
        if expected.contains(&text.as_str()) {
            assert!(p.attr("id").is_some_and(|id| id.starts_with("p-")), "{}", p.html());
        }
    }
}

#[test]
fn every_paragraph_of_a_txt_document_is_numbered_in_order_without_the_title() {
    let site = Site::new(&[(
        "seeds/a.txt",
        "Der Titel\n\nErster Absatz\nüber zwei Zeilen.\n\n\n\nZweiter Absatz.\n\nDritter.\n",
    )]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let numbered: Vec<(String, String)> = page
        .all("p[id^=\"p-\"]")
        .iter()
        .map(|p| (p.attr("id").unwrap_or_default().to_owned(), reading_text(p)))
        .collect();
    assert_eq!(
        numbered,
        [
            ("p-1".to_owned(), "Erster Absatz über zwei Zeilen.".to_owned()),
            ("p-2".to_owned(), "Zweiter Absatz.".to_owned()),
            ("p-3".to_owned(), "Dritter.".to_owned())
        ]
    );
    assert_eq!(text_of(&page.one("h1")), "Der Titel");
}

#[test]
fn an_annotated_quote_is_one_element_with_id_and_data_annotation() {
    let site = Site::new(&[
        ("seeds/a.md", "# T\n\nEins zwei drei vier fünf.\n"),
        (
            "seeds/a.yaml",
            "annotations:\n  - quote: Eins\n    note: n\n  - id: named\n    quote: zwei\n    gloss: two\n  - quote: drei vier\n    see: https://example.org/\n",
        ),
    ]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    for (id, text) in [("a-1", "Eins"), ("named", "zwei"), ("a-3", "drei vier")] {
        let el = page.by_id(id);
        assert_eq!(el.attr("data-annotation"), Some(id), "{}", el.html());
        assert_eq!(reading_text(&el), text);
    }
    assert_eq!(page.all("[data-annotation]").len(), 3);
}

#[test]
fn a_gloss_is_marked_holds_its_text_and_is_focusable() {
    let site = Site::new(&[
        (
            "seeds/a.md",
            "# T\n\nDer Beamte und die Sprecherin.\n\nZweiter Absatz.\n",
        ),
        ("seeds/b.md", "# B\n\nB.\n"),
        (
            "seeds/a.yaml",
            "annotations:\n  - id: beamte\n    quote: Beamte\n    gloss: official\n  - id: sprecherin\n    quote: Sprecherin\n    gloss: spokeswoman\n    see: doc:b\n  - id: zweiter\n    quote: Zweiter\n    gloss: \"<second> & more\"\n    note: A note too.\n",
        ),
    ]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    for (id, gloss, quote) in [
        ("beamte", "official", "Beamte"),
        ("sprecherin", "spokeswoman", "Sprecherin"),
        ("zweiter", "<second> & more", "Zweiter"),
    ] {
        let el = page.by_id(id);
        let classes: Vec<&str> = el.value().classes().collect();
        assert!(classes.contains(&"gloss"), "{}", el.html());
        let texts: Vec<String> = el
            .select(&crate::support::selector(".gloss-text"))
            .map(|g| text_of(&g))
            .collect();
        assert_eq!(texts, [gloss], "{}", el.html());
        assert_eq!(reading_text(&el), quote);
        let focusable =
            el.attr("tabindex") == Some("0") || el.select(&crate::support::selector("a[href]")).next().is_some();
        assert!(focusable, "a gloss can be reached by keyboard: {}", el.html());
    }
    assert!(!page.source.contains("<second>"), "a gloss is plain text, escaped");
}

#[test]
fn a_see_link_is_an_a_see_with_its_href() {
    let site = Site::new(&[
        ("seeds/a.md", "# T\n\nEins zwei drei vier fünf.\n"),
        ("seeds/b.md", "# B\n\nB eins.\n\nB zwei.\n"),
        ("content/pages/about.md", "# About\n\n## Kontakt\n\nHier.\n"),
        (
            "content/glossary.yaml",
            "- id: eins\n  term: Eins\n  definition: One.\n",
        ),
        (
            "seeds/a.yaml",
            "annotations:\n  - id: doc\n    quote: zwei\n    see: doc:b#p-2\n  - id: page\n    quote: drei\n    see: page:about#kontakt\n  - id: url\n    quote: vier\n    see: https://example.org/x?y=1&z=2\n  - id: term\n    quote: fünf\n    see: term:eins\n",
        ),
    ]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    for (id, href) in [
        ("doc", "../b/index.html#p-2"),
        ("page", "../about/index.html#kontakt"),
        ("url", "https://example.org/x?y=1&z=2"),
        ("term", "../glossary/eins/index.html"),
    ] {
        let el = page.by_id(id);
        let see: Vec<&str> = el
            .select(&crate::support::selector("a.see"))
            .filter_map(|a| a.attr("href"))
            .collect();
        assert_eq!(see, [href], "{}", el.html());
    }
}

#[test]
fn an_annotation_id_equal_to_an_explicit_heading_id_is_an_error() {
    let site = Site::new(&[
        ("seeds/a.md", "# T\n\n## Einleitung {#intro}\n\nDer Text.\n"),
        (
            "seeds/a.yaml",
            "annotations:\n  - id: intro\n    quote: Text\n    note: n\n",
        ),
    ]);
    let run = site.build(&[]);
    site.assert_fails(&run, &["intro"]);
    assert!(run.errors().iter().any(|e| e.contains("intro")), "{run}");
}

#[test]
fn an_annotation_id_equal_to_a_generated_id_is_an_error() {
    for id in ["p-1", "note-1", "noteref-1"] {
        let site = Site::new(&[
            ("seeds/a.md", "# T\n\nDer Text.\n"),
            (
                "seeds/a.yaml",
                &format!("annotations:\n  - id: {id}\n    quote: Text\n    note: n\n"),
            ),
        ]);
        let run = site.build(&[]);
        site.assert_fails(&run, &["seeds/a.yaml:2:"]);
    }
}

#[test]
fn a_glossary_occurrence_is_a_term_with_its_id() {
    let site = Site::new(&[
        ("seeds/a.md", "# T\n\nDie Krim und die Krim.\n"),
        (
            "content/glossary.yaml",
            "- id: krim\n  term: Krim\n  definition: A peninsula.\n",
        ),
    ]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let first = page.one("a.term[id=\"t-krim-1\"]");
    assert_eq!(first.attr("href"), Some("../glossary/krim/index.html"));
    let second = page.one("span.term[id=\"t-krim-2\"]");
    assert!(!is_inside(&second, "a"));
}

#[test]
fn an_annotation_id_equal_to_a_heading_id_is_an_error() {
    let site = Site::new(&[
        ("seeds/a.md", "# T\n\n## Intro\n\nDer Text.\n"),
        (
            "seeds/a.yaml",
            "annotations:\n  - id: intro\n    quote: Text\n    note: n\n",
        ),
    ]);
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.yaml:2:", "intro"]);
}

/// No `tabindex` may stand inside a link (HTML forbids it): a gloss inside a link is reached
/// through the link, which shows it on focus.
#[test]
fn a_gloss_inside_a_link_is_reached_through_the_link() {
    let site = Site::new(&[
        (
            "seeds/a.md",
            "# T\n\nDer scheidende Präsident sprach. Ein [langer Weg](https://example.org/) war es.\n",
        ),
        (
            "seeds/a.yaml",
            "annotations:\n  - id: praesident\n    quote: scheidende Präsident\n    term: praesident\n  - quote: scheidende\n    gloss: outgoing\n  - quote: langer\n    gloss: long\n",
        ),
        (
            "content/glossary.yaml",
            "- id: praesident\n  term: Präsident\n  definition: A president.\n",
        ),
    ]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    for id in ["a-2", "a-3"] {
        let gloss = page.by_id(id);
        assert!(gloss.value().classes().any(|c| c == "gloss"));
        assert_eq!(gloss.attr("tabindex"), None, "{}", gloss.html());
        assert!(is_inside(&gloss, "a[href]"), "{id} is inside a link: {}", gloss.html());
    }
    assert!(page.all("a [tabindex]").is_empty(), "no tabindex inside a link");
}
