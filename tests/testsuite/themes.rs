//! Themes and interface languages (contract §1, §8, §9): `theme.yaml` with `extends:`, a site
//! theme that overrides single templates, static files and strings, the shipped `classic`
//! theme with endnotes, the interface strings of `i18n/LANG.yaml` chosen by the site's `lang`,
//! and dates in words.

use crate::support::{Page, Site, selector, text_of};

const DOC: &str = "Der Titel\n\nErster Absatz mit Lawrow.\n\nZweiter Absatz.\n";
const SIDECAR: &str = "author: Dave DeCamp\ndate: 2023-07-06\nannotations:\n  - quote: Erster\n    note: Note one.\n  - quote: Zweiter\n    note: Note two.\n    gloss: second\n";
const GLOSSARY: &str = "- id: lawrow\n  term: Sergej Lawrow\n  forms: [Lawrow]\n  definition: Foreign minister.\n";

/// A one-document site (with notes, a gloss and a glossary entry) and `extra` files.
fn site_with(extra: &[(&str, &str)]) -> Site {
    let mut files = vec![
        ("seeds/a.txt", DOC),
        ("seeds/a.yaml", SIDECAR),
        ("content/glossary.yaml", GLOSSARY),
    ];
    files.extend_from_slice(extra);
    Site::new(&files)
}

/// The stylesheets a page links, in order.
fn stylesheets(page: &Page) -> Vec<String> {
    page.all("link[rel=stylesheet]")
        .iter()
        .filter_map(|l| l.attr("href"))
        .map(str::to_owned)
        .collect()
}

/// The text of the glossary link in the site navigation.
fn nav_glossary(page: &Page, root: &str) -> String {
    text_of(&page.one(&format!(".site-nav a[href=\"{root}glossary/index.html\"]")))
}

// ---------------------------------------------------------------- inheritance and override

#[test]
fn a_site_theme_overrides_one_template_one_static_file_and_one_string_of_default() {
    let site = site_with(&[
        ("content/site.yaml", "theme: mine\n"),
        ("themes/mine/theme.yaml", "extends: default\n"),
        (
            "themes/mine/templates/404.html",
            "{% extends \"base.html\" %}{% block main %}<p class=\"mine-404\">{{ t.not_found }}</p>{% endblock main %}",
        ),
        ("themes/mine/static/glossa.css", "/* mine */\n"),
        ("themes/mine/i18n/en.yaml", "glossary: Word list\n"),
    ]);
    site.build_ok(&[]);
    // the template: overridden, and it still extends the default base.html
    let not_found = site.page("404.html");
    assert_eq!(text_of(&not_found.one("main .mine-404")), "Page not found");
    assert_eq!(
        not_found.all("header.site-header").len(),
        1,
        "base.html is the default one"
    );
    // the static file: overridden, under the same name
    assert_eq!(
        std::fs::read_to_string(site.out().join("static/glossa.css")).unwrap(),
        "/* mine */\n"
    );
    // the string: overridden, the others still the default ones
    let doc = site.page("a/index.html");
    assert_eq!(nav_glossary(&doc, "../"), "Word list");
    assert_eq!(text_of(&doc.one(".skip-link")), "Skip to content");
    // everything else is the default theme: its document template, sidenotes
    assert_eq!(doc.all("div.doc-body > aside.notes").len(), 2);
    assert_eq!(stylesheets(&doc), ["../static/glossa.css"]);
}

#[test]
fn a_theme_reaches_the_version_of_a_template_it_overrides_as_theme_templates_file() {
    let site = site_with(&[
        ("content/site.yaml", "theme: mine\n"),
        (
            "themes/mine/templates/index.html",
            "{% extends \"default/templates/index.html\" %}{% block head %}<meta name=\"mine\" content=\"{{ theme.name }}\">{% endblock head %}",
        ),
    ]);
    site.build_ok(&[]);
    let home = site.page("index.html");
    assert_eq!(home.one("meta[name=mine]").attr("content"), Some("mine"));
    assert_eq!(
        home.all(".cards > li").len(),
        1,
        "the default home page's list is still there"
    );
}

#[test]
fn a_theme_extending_classic_inherits_endnotes_and_adds_its_stylesheet() {
    let site = site_with(&[
        ("content/site.yaml", "theme: mine\n"),
        ("themes/mine/theme.yaml", "extends: classic\nstylesheets: [mine.css]\n"),
        ("themes/mine/static/mine.css", "body { color: black; }\n"),
    ]);
    site.build_ok(&[]);
    let doc = site.page("a/index.html");
    assert_eq!(
        stylesheets(&doc),
        ["../static/glossa.css", "../static/classic.css", "../static/mine.css"],
        "the most general theme's stylesheet first"
    );
    assert!(doc.all("aside.notes").is_empty());
    assert_eq!(doc.all("ol.endnotes > li").len(), 2);
    for file in ["glossa.css", "classic.css", "mine.css"] {
        assert!(site.out().join("static").join(file).is_file(), "{file}");
    }
}

#[test]
fn a_site_folder_named_like_a_built_in_theme_overrides_it_file_by_file() {
    let site = site_with(&[
        ("content/site.yaml", "theme: classic\n"),
        ("themes/classic/static/classic.css", "/* my classic */\n"),
        ("themes/classic/i18n/en.yaml", "notes: Endnotes\n"),
    ]);
    site.build_ok(&[]);
    assert_eq!(
        std::fs::read_to_string(site.out().join("static/classic.css")).unwrap(),
        "/* my classic */\n"
    );
    let doc = site.page("a/index.html");
    // the built-in classic theme.yaml still holds: endnotes, both stylesheets
    assert_eq!(text_of(&doc.one("section.doc-notes > h2")), "Endnotes");
    assert_eq!(stylesheets(&doc), ["../static/glossa.css", "../static/classic.css"]);
}

#[test]
fn a_site_theme_yaml_for_a_built_in_theme_overrides_it_key_by_key() {
    let site = site_with(&[
        ("content/site.yaml", "theme: classic\n"),
        ("themes/classic/theme.yaml", "notes: side\n"),
    ]);
    site.build_ok(&[]);
    let doc = site.page("a/index.html");
    assert_eq!(
        doc.all("aside.notes").len(),
        2,
        "notes: side from the site's theme.yaml"
    );
    assert_eq!(
        stylesheets(&doc),
        ["../static/glossa.css", "../static/classic.css"],
        "stylesheets and extends still from the built-in theme.yaml"
    );
}

#[test]
fn a_theme_with_no_theme_yaml_extends_default() {
    let site = site_with(&[
        ("content/site.yaml", "theme: bare\n"),
        ("themes/bare/static/extra.txt", "x"),
    ]);
    site.build_ok(&[]);
    assert!(site.out().join("static/extra.txt").is_file());
    assert!(site.out().join("static/glossa.css").is_file());
    assert_eq!(site.page("a/index.html").all("aside.notes").len(), 2);
}

// ---------------------------------------------------------------- errors

#[test]
fn an_unknown_theme_in_site_yaml_is_an_error_at_its_line() {
    let site = site_with(&[("content/site.yaml", "title: T\ntheme: clasic\n")]);
    let run = site.build(&[]);
    site.assert_fails(
        &run,
        &[
            "content/site.yaml:2:8: error: unknown theme `clasic`",
            "did you mean `classic`?",
        ],
    );
    let check = crate::support::glossa(&site.root(), &["check", "--root", site.root().to_str().unwrap()]);
    assert_eq!(check.code, 1, "check reports it too\n{check}");
}

#[test]
fn an_unknown_theme_in_extends_is_an_error_at_its_line() {
    let site = site_with(&[
        ("content/site.yaml", "theme: mine\n"),
        ("themes/mine/theme.yaml", "description: Mine\nextends: fancy\n"),
    ]);
    let run = site.build(&[]);
    site.assert_fails(&run, &["themes/mine/theme.yaml:2:10: error: unknown theme `fancy`"]);
    assert!(run.stderr.contains("`classic`, `default`, `mine`"), "{run}");
}

#[test]
fn themes_that_extend_each_other_in_a_circle_are_an_error() {
    let site = site_with(&[
        ("content/site.yaml", "theme: a\n"),
        ("themes/a/theme.yaml", "extends: b\n"),
        ("themes/b/theme.yaml", "# b\nextends: a\n"),
    ]);
    let run = site.build(&[]);
    site.assert_fails(
        &run,
        &["themes/b/theme.yaml:2:10: error: themes extend each other in a circle: a → b → a"],
    );
}

#[test]
fn a_theme_that_extends_itself_is_an_error() {
    let site = site_with(&[
        ("content/site.yaml", "theme: a\n"),
        ("themes/a/theme.yaml", "extends: a\n"),
    ]);
    let run = site.build(&[]);
    site.assert_fails(
        &run,
        &["themes/a/theme.yaml:1:10: error: themes extend each other in a circle: a → a"],
    );
}

#[test]
fn the_default_theme_extends_nothing() {
    let site = site_with(&[("themes/default/theme.yaml", "extends: classic\n")]);
    let run = site.build(&[]);
    site.assert_fails(
        &run,
        &["themes/default/theme.yaml:1:10: error: the default theme extends no other theme"],
    );
}

#[test]
fn an_unknown_theme_yaml_key_is_an_error_with_a_suggestion() {
    let site = site_with(&[
        ("content/site.yaml", "theme: mine\n"),
        ("themes/mine/theme.yaml", "description: Mine\nextend: classic\n"),
    ]);
    let run = site.build(&[]);
    site.assert_fails(
        &run,
        &[
            "themes/mine/theme.yaml:2:1: error: unknown field `extend`",
            "did you mean `extends`?",
        ],
    );
}

#[test]
fn a_bad_notes_value_and_a_missing_stylesheet_are_errors() {
    let site = site_with(&[
        ("content/site.yaml", "theme: mine\n"),
        ("themes/mine/theme.yaml", "notes: footer\n"),
        ("themes/other/theme.yaml", "stylesheets: [glossa.css, mien.css]\n"),
        ("themes/other/static/mine.css", ""),
    ]);
    let run = site.build(&[]);
    site.assert_fails(
        &run,
        &["themes/mine/theme.yaml:1:8: error: notes: unknown variant `footer`, expected `side` or `end`"],
    );

    site.write("content/site.yaml", "theme: other\n");
    let run = site.build(&[]);
    site.assert_fails(
        &run,
        &[
            "themes/other/theme.yaml:1:27: error: no static file `mien.css` in this theme or the themes it extends",
            "did you mean `mine.css`?",
        ],
    );
}

#[test]
fn a_theme_name_must_be_a_plain_name() {
    let site = site_with(&[
        ("content/site.yaml", "theme: mine\n"),
        ("themes/mine/theme.yaml", "extends: ../../elsewhere\n"),
    ]);
    let run = site.build(&[]);
    site.assert_fails(
        &run,
        &["themes/mine/theme.yaml:1:10: error: `../../elsewhere` is not a theme name"],
    );
}

#[test]
fn an_i18n_file_with_a_wrong_value_is_an_error_and_a_misspelt_key_a_warning() {
    let site = site_with(&[
        ("content/site.yaml", "lang: de\n"),
        ("themes/default/i18n/de.yaml", "glossary: Wörterbuch\nnotse: Fußnoten\n"),
    ]);
    let run = site.build_ok(&[]);
    assert!(
        run.stderr
            .contains("themes/default/i18n/de.yaml:2:1: warning: `notse` is not an interface string"),
        "{run}"
    );
    assert!(run.stderr.contains("did you mean `notes`?"), "{run}");
    assert_eq!(nav_glossary(&site.page("index.html"), ""), "Wörterbuch");

    site.write("themes/default/i18n/de.yaml", "glossary:\n  - Wörterbuch\n");
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{run}");
    assert!(run.stderr.contains("themes/default/i18n/de.yaml:2:3: error: "), "{run}");
}

#[test]
fn a_broken_template_of_a_site_theme_is_an_error_at_its_line() {
    let site = site_with(&[
        ("content/site.yaml", "theme: mine\n"),
        (
            "themes/mine/templates/page.html",
            "{% extends \"base.html\" %}\n{% block main %}{{ oops( }}{% endblock main %}\n",
        ),
    ]);
    let run = site.build(&[]);
    site.assert_fails(&run, &["themes/mine/templates/page.html:2:"]);
}

// ---------------------------------------------------------------- the classic theme

/// The crawl fixture (documents with sidecar notes and Markdown footnotes) in the classic theme.
fn classic_fixture() -> Site {
    let site = Site::from_fixture("crawl");
    let yaml = std::fs::read_to_string(site.root().join("content/site.yaml")).unwrap();
    site.write("content/site.yaml", format!("{yaml}theme: classic\n"));
    site
}

#[test]
fn classic_puts_the_notes_at_the_end_with_the_note_hooks() {
    let site = classic_fixture();
    site.build_ok(&[]);
    let mut pages_with_notes = 0;
    for doc in ["lawrow", "gedicht", "erlkoenig"] {
        let page = site.page(&format!("{doc}/index.html"));
        let refs = page.all("a[role=doc-noteref]");
        assert!(page.all("aside.notes").is_empty(), "{doc}: no sidenotes");
        if refs.is_empty() {
            continue;
        }
        pages_with_notes += 1;
        // the notes: one section after the text, a heading, then the list in number order
        let section = page.one("article > section.doc-notes");
        assert_eq!(text_of(&section.select(&selector("h2")).next().unwrap()), "Anmerkungen");
        let body = page.one("article > .doc-body");
        let siblings: Vec<String> = body
            .next_siblings()
            .filter_map(scraper::ElementRef::wrap)
            .map(|e| e.value().name().to_owned() + "." + e.value().attr("class").unwrap_or(""))
            .collect();
        assert_eq!(siblings.first().map(String::as_str), Some("section.doc-notes"), "{doc}");
        let items = page.all("section.doc-notes > ol.endnotes > li");
        let numbers: Vec<usize> = refs
            .iter()
            .filter_map(|r| r.attr("id"))
            .filter_map(|id| id.strip_prefix("noteref-")?.parse().ok())
            .collect();
        assert_eq!(
            numbers,
            (1..=items.len()).collect::<Vec<_>>(),
            "{doc}: refs 1..N in text order"
        );
        for (i, li) in items.iter().enumerate() {
            let n = i + 1;
            let note = li
                .select(&selector("[role=doc-footnote]"))
                .next()
                .unwrap_or_else(|| panic!("{doc}: item {n} holds no note"));
            assert_eq!(note.attr("id"), Some(format!("note-{n}").as_str()));
            let backs: Vec<_> = note.select(&selector("a[role=doc-backlink]")).collect();
            assert_eq!(backs.len(), 1, "{doc}: note {n} has one backlink");
            assert_eq!(backs[0].attr("href"), Some(format!("#noteref-{n}").as_str()));
            assert_eq!(
                backs[0].attr("aria-label"),
                Some(format!("Zurück zum Verweis {n}").as_str())
            );
            assert_eq!(
                page.by_id(&format!("noteref-{n}")).attr("href"),
                Some(format!("#note-{n}").as_str())
            );
        }
        // ids stay unique
        let ids = page.ids();
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(ids.len(), unique.len(), "{doc}: ids repeat");
    }
    assert_eq!(pages_with_notes, 3);
    // a Markdown footnote is an endnote like the sidecar notes
    let erl = site.page("erlkoenig/index.html");
    assert!(text_of(&erl.one("ol.endnotes")).contains("Herder's mistranslation"));
    // the classic stylesheet comes after the default one
    assert_eq!(stylesheets(&erl), ["../static/glossa.css", "../static/classic.css"]);
}

/// The script elements of a page's head: `(src, defer, data-more, data-less)`; not its JSON-LD
/// (data) nor the reading settings' script, which every page has (reader.rs).
fn head_scripts(page: &Page) -> Vec<(String, bool, String, String)> {
    page.all("head script:not([type=\"application/ld+json\"]):not([src$=\"static/settings.js\"])")
        .iter()
        .map(|s| {
            let attr = |name: &str| s.attr(name).unwrap_or_default().to_owned();
            (
                attr("src"),
                s.attr("defer").is_some(),
                attr("data-more"),
                attr("data-less"),
            )
        })
        .collect()
}

#[test]
fn the_default_theme_loads_its_sidenote_script_only_on_documents_with_sidenotes() {
    let plain = "Ohne\n\nEin Absatz ohne Anmerkung.\n";
    // a German site: the script's button words are the site's interface strings
    let site = site_with(&[("content/site.yaml", "lang: de\n"), ("seeds/b.txt", plain)]);
    site.build_ok(&[]);
    let script = |more: &str, less: &str| {
        vec![(
            "../static/sidenotes.js".to_owned(),
            true,
            more.to_owned(),
            less.to_owned(),
        )]
    };
    assert_eq!(head_scripts(&site.page("a/index.html")), script("mehr", "weniger"));
    assert!(site.out().join("static/sidenotes.js").is_file());
    assert!(
        head_scripts(&site.page("b/index.html")).is_empty(),
        "a document without notes has nothing to place"
    );
    assert!(head_scripts(&site.page("index.html")).is_empty());
    // English
    let site = site_with(&[]);
    site.build_ok(&[]);
    assert_eq!(head_scripts(&site.page("a/index.html")), script("more", "less"));
    // classic puts the notes at the end: no script
    let site = site_with(&[("content/site.yaml", "theme: classic\n")]);
    site.build_ok(&[]);
    assert!(head_scripts(&site.page("a/index.html")).is_empty());
}

#[test]
fn classic_builds_in_a_folder_without_themes() {
    let site = site_with(&[("content/site.yaml", "theme: classic\n")]);
    assert!(!site.root().join("themes").exists());
    site.build_ok(&[]);
    let doc = site.page("a/index.html");
    assert_eq!(doc.all("ol.endnotes > li").len(), 2);
    assert_eq!(text_of(&doc.one("section.doc-notes > h2")), "Notes");
}

#[test]
fn classic_puts_the_footnotes_of_an_extra_page_at_its_end() {
    let site = site_with(&[
        ("content/site.yaml", "theme: classic\n"),
        (
            "content/pages/about.md",
            "# About\n\nA claim.[^src]\n\n[^src]: The source.\n",
        ),
    ]);
    site.build_ok(&[]);
    let page = site.page("about/index.html");
    assert!(page.all("aside.notes").is_empty());
    let note = page.one("section.doc-notes ol.endnotes > li > #note-1[role=doc-footnote]");
    assert_eq!(
        text_of(&note.select(&selector(".note-body")).next().unwrap()),
        "The source."
    );
    assert_eq!(page.by_id("noteref-1").attr("href"), Some("#note-1"));
}

// ---------------------------------------------------------------- interface languages

#[test]
fn a_german_site_has_german_interface_strings() {
    for lang in ["de", "de-CH"] {
        let site = site_with(&[("content/site.yaml", &format!("lang: {lang}\n"))]);
        site.build_ok(&[]);
        let home = site.page("index.html");
        assert_eq!(home.lang(), lang);
        assert_eq!(text_of(&home.one(".skip-link")), "Zum Inhalt springen");
        assert_eq!(nav_glossary(&home, ""), "Glossar");
        assert_eq!(text_of(&home.one(".site-footer")), "Erstellt mit glossa");
        assert_eq!(
            text_of(&home.one(".card-meta")),
            "2 Anmerkungen 1 Begriff",
            "one, and more than one"
        );
        let doc = site.page("a/index.html");
        assert_eq!(text_of(&doc.one(".byline .author")), "von Dave DeCamp");
        assert_eq!(text_of(&doc.one(".doc-terms h2")), "Begriffe in diesem Text");
        assert_eq!(
            doc.one("a[role=doc-backlink][href='#noteref-1']").attr("aria-label"),
            Some("Zurück zum Verweis 1")
        );
        let glossary = site.page("glossary/index.html");
        assert_eq!(text_of(&glossary.one("title")), "Glossar · Annotated readings");
        assert_eq!(text_of(&glossary.one("h1")), "Glossar");
        let entry = site.page("glossary/lawrow/index.html");
        assert!(text_of(&entry.one(".occurrences h2")).starts_with("Vorkommen"));
        let not_found = site.page("404.html");
        assert_eq!(text_of(&not_found.one("h1")), "Seite nicht gefunden");
        assert_eq!(
            text_of(&not_found.one("title")),
            "Seite nicht gefunden · Annotated readings"
        );
    }
}

#[test]
fn an_english_site_and_a_language_without_strings_fall_back_to_english() {
    for yaml in ["", "lang: fr\n"] {
        let site = site_with(&[("content/site.yaml", yaml)]);
        site.build_ok(&[]);
        let home = site.page("index.html");
        assert_eq!(text_of(&home.one(".skip-link")), "Skip to content");
        assert_eq!(nav_glossary(&home, ""), "Glossary");
        assert_eq!(text_of(&home.one(".card-meta")), "2 notes 1 term");
        let doc = site.page("a/index.html");
        assert_eq!(
            doc.one("a[role=doc-backlink][href='#noteref-2']").attr("aria-label"),
            Some("Back to reference 2")
        );
    }
}

#[test]
fn strings_fall_back_to_english_one_key_at_a_time() {
    let site = site_with(&[
        ("content/site.yaml", "lang: fr\n"),
        ("themes/default/i18n/fr.yaml", "glossary: Glossaire\n"),
    ]);
    site.build_ok(&[]);
    let home = site.page("index.html");
    assert_eq!(nav_glossary(&home, ""), "Glossaire");
    assert_eq!(text_of(&home.one(".skip-link")), "Skip to content");
}

#[test]
fn the_site_language_beats_a_more_specific_themes_english_string() {
    let site = site_with(&[
        ("content/site.yaml", "lang: de\ntheme: mine\n"),
        (
            "themes/mine/i18n/en.yaml",
            "glossary: Word list\nskip_to_content: Jump to the text\n",
        ),
        ("themes/mine/i18n/de.yaml", "skip_to_content: Zum Text\n"),
    ]);
    site.build_ok(&[]);
    let home = site.page("index.html");
    assert_eq!(nav_glossary(&home, ""), "Glossar", "German from the default theme");
    assert_eq!(
        text_of(&home.one(".skip-link")),
        "Zum Text",
        "German from the site's theme"
    );
}

#[test]
fn a_document_in_another_language_keeps_the_sites_interface_and_gets_its_own_lang() {
    let site = site_with(&[
        ("content/site.yaml", "lang: de\n"),
        (
            "seeds/e.md",
            "---\ntitle: An English text\nlang: en\ndate: 2026-11-29\n---\nThe text mentions Lawrow.\n",
        ),
        (
            "seeds/e.yaml",
            "annotations:\n  - quote: text\n    note: Eine Anmerkung.\n  - quote: mentions\n    gloss: erwähnt\n",
        ),
    ]);
    site.build_ok(&[]);
    let page = site.page("e/index.html");
    assert_eq!(page.lang(), "en", "<html lang> is the document's (contract §8)");
    // the interface stays German, marked as such
    assert_eq!(page.one("body").attr("lang"), Some("de"));
    assert_eq!(nav_glossary(&page, "../"), "Glossar");
    assert_eq!(text_of(&page.one(".skip-link")), "Zum Inhalt springen");
    assert_eq!(text_of(&page.one(".byline time")), "29. November 2026");
    // the title and the text are in the document's language
    assert_eq!(page.one(".doc-header h1").attr("lang"), Some("en"));
    assert_eq!(page.one(".doc-body").attr("lang"), Some("en"));
    // notes and glosses, written for the site's readers, are in the site's
    assert_eq!(page.one("aside.notes").attr("lang"), Some("de"));
    assert_eq!(page.one(".gloss-text").attr("lang"), Some("de"));
    assert_eq!(
        page.one("a[role=doc-backlink]").attr("aria-label"),
        Some("Zurück zum Verweis 1")
    );
    // a document in the site's language carries no lang of its own
    let de = site.page("a/index.html");
    assert_eq!(de.lang(), "de");
    assert_eq!(de.one("body").attr("lang"), None);
    assert_eq!(de.one(".doc-body").attr("lang"), None);
    assert!(de.all("[lang]").len() == 1, "only <html> has a lang");
    // the home page marks the English title
    let home = site.page("index.html");
    let title = home
        .all(".card-title")
        .into_iter()
        .find(|t| text_of(t) == "An English text")
        .unwrap();
    assert_eq!(title.attr("lang"), Some("en"));
    // and so does the glossary entry, around the document's contexts
    let entry = site.page("glossary/lawrow/index.html");
    let kwic = entry.all("ol.kwic[lang=en]");
    assert_eq!(kwic.len(), 1);
    assert!(text_of(&kwic[0]).contains("The text mentions"));
}

/// A Markdown footnote of a text is the text's, not an annotation: in a document of another
/// language than the site's it keeps the text's language among notes that carry the site's.
#[test]
fn a_footnote_of_a_text_in_another_language_keeps_the_texts_lang_among_the_notes() {
    let files = [
        ("content/site.yaml", "lang: en\n"),
        (
            "seeds/d.md",
            "---\ntitle: Ein Text\nlang: de\n---\nDer Hund[^f] bellt laut.\n\n[^f]: Eine Fussnote.\n",
        ),
        (
            "seeds/d.yaml",
            "annotations:\n  - quote: bellt\n    note: An English note.\n",
        ),
    ];
    for theme in ["", "themes/mine/theme.yaml"] {
        let mut files = files.to_vec();
        if !theme.is_empty() {
            files[0].1 = "lang: en\ntheme: mine\n";
            files.push((theme, "notes: end\n"));
        }
        let site = Site::new(&files);
        site.build_ok(&[]);
        let page = site.page("d/index.html");
        let container = if theme.is_empty() { "aside.notes" } else { "ol.endnotes" };
        assert_eq!(page.one(container).attr("lang"), Some("en"), "{container}");
        let bodies = page.all(".note-body");
        assert_eq!(bodies.len(), 2);
        let lang_of = |text: &str| {
            let body = bodies.iter().find(|b| text_of(b).contains(text)).unwrap();
            body.attr("lang")
        };
        assert_eq!(
            lang_of("Eine Fussnote."),
            Some("de"),
            "the footnote is the text's ({container})"
        );
        assert_eq!(
            lang_of("An English note."),
            None,
            "the note is the site's, as its container says"
        );
        // the way back stays in the interface's language, outside the footnote's body
        assert_eq!(
            page.all("a[role=doc-backlink]")[0].attr("aria-label"),
            Some("Back to reference 1")
        );
    }
    // In the site's own language nothing is marked.
    let site = Site::new(&[("seeds/d.md", "Der Hund[^f] bellt.\n\n[^f]: Eine Fussnote.\n")]);
    site.build_ok(&[]);
    assert_eq!(site.page("d/index.html").all(".note-body[lang]").len(), 0);
}

// ---------------------------------------------------------------- dates

#[test]
fn dates_are_written_in_the_interface_language_with_a_machine_readable_datetime() {
    for (lang, words) in [("en", "6 July 2023"), ("de", "6. Juli 2023"), ("de-AT", "6. Juli 2023")] {
        let site = site_with(&[("content/site.yaml", &format!("lang: {lang}\n"))]);
        site.build_ok(&[]);
        for (page, time) in [
            (site.page("a/index.html"), ".byline time"),
            (site.page("index.html"), ".card time"),
        ] {
            let t = page.one(time);
            assert_eq!(text_of(&t), words, "{lang}");
            assert_eq!(t.attr("datetime"), Some("2023-07-06"));
        }
    }
}

#[test]
fn a_theme_can_change_the_date_format_through_its_strings() {
    let site = site_with(&[(
        "themes/default/i18n/en.yaml",
        "date_format: \"{month} {day}, {year}\"\n",
    )]);
    site.build_ok(&[]);
    assert_eq!(text_of(&site.page("a/index.html").one(".byline time")), "July 6, 2023");
}
