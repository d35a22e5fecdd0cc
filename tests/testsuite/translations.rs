//! Translations (issue #21, item 1; docs/translations.md): `content/translations/L/PATH/NAME.*`
//! translates `seeds/PATH/NAME.*` block by block. Its blocks are shown with the original's,
//! each with `lang` and `data-translates`; blocks that do not match are an error naming both
//! files; a translation with no original is an error; search finds a translation's words.

use crate::support::{Site, text_of};

const DOC: &str = "Der Hund\n\nDer Hund bellt laut.\n\nDie Katze schläft.\n";
const EN: &str = "The dog\n\nThe dog barks loudly.\n\nThe cat sleeps.\n";
const FR: &str = "Le chien\n\nLe chien aboie fort.\n\nLe chat dort.\n";
const SIDECAR: &str = "annotations:\n  - quote: bellt\n    gloss: barks\n  - quote: Katze\n    note: A cat.\n";
const GLOSSARY: &str = "- id: hund\n  term: Hund\n  definition: Ein Tier.\n";

fn site(files: &[(&str, &str)]) -> Site {
    let mut all = vec![
        ("seeds/a.txt", DOC),
        ("seeds/a.yaml", SIDECAR),
        ("content/glossary.yaml", GLOSSARY),
    ];
    all.extend_from_slice(files);
    Site::new(&all)
}

/// What each translation block of a page says: (lang, data-translates, hidden, text).
fn translation_blocks(site: &Site, page: &str) -> Vec<(String, String, bool, String)> {
    let page = site.page(page);
    page.all(".doc-body .translation")
        .iter()
        .map(|e| {
            let v = e.value();
            (
                v.attr("lang").unwrap_or_default().to_owned(),
                v.attr("data-translates").unwrap_or_default().to_owned(),
                v.attr("hidden").is_some(),
                text_of(e),
            )
        })
        .collect()
}

#[test]
fn a_txt_translation_stands_after_each_block_with_lang_and_data_translates() {
    let site = site(&[("content/translations/en/a.txt", EN)]);
    site.build_ok(&[]);
    let blocks = translation_blocks(&site, "a/index.html");
    let own = |lang: &str, id: &str, text: &str| (lang.to_owned(), id.to_owned(), false, text.to_owned());
    assert_eq!(
        blocks,
        [
            own("en", "p-1", "The dog barks loudly."),
            own("en", "p-2", "The cat sleeps.")
        ]
    );
    let page = site.page("a/index.html");
    // Each stands right after the block it translates (before the block's notes).
    for (_, id, _, _) in &blocks {
        let original = page.by_id(id);
        let next = original
            .next_siblings()
            .find_map(scraper::ElementRef::wrap)
            .expect("an element after the block");
        assert_eq!(next.value().attr("data-translates"), Some(id.as_str()), "after {id}");
    }
    // The translated title is shown with the original's.
    let title = page.one(".doc-header .tr-title");
    assert_eq!(text_of(&title), "The dog");
    assert_eq!(title.value().attr("lang"), Some("en"));
    // Glosses and glossary occurrences are the original's alone.
    assert!(page.all(".translation .gloss, .translation .term").is_empty());
    assert_eq!(
        page.all("a.term").len(),
        1,
        "the glossary's form is found in the original only"
    );
    // annotations.jsonld knows nothing of translations.
    let jsonld = std::fs::read_to_string(site.out().join("annotations.jsonld")).unwrap();
    assert!(!jsonld.contains("barks loudly"), "{jsonld}");
}

#[test]
fn a_md_translation_takes_its_title_as_its_original_does_and_lists_and_cells_get_ids() {
    let site = Site::new(&[
        (
            "seeds/b.md",
            "# Liste\n\nVorher.\n\n- eins\n- zwei\n\n| a | b |\n|:--|--:|\n| x | y |\n",
        ),
        (
            "content/translations/en/b.md",
            "# List\n\nBefore.\n\n- one\n- two\n\n| A | B |\n|:--|--:|\n| X | Y |\n",
        ),
    ]);
    site.build_ok(&[]);
    let page = site.page("b/index.html");
    assert_eq!(text_of(&page.one(".tr-title")), "List");
    let ids: Vec<(String, String)> = translation_blocks(&site, "b/index.html")
        .into_iter()
        .map(|(_, id, _, text)| (id, text))
        .collect();
    let expected = [
        ("p-1", "Before."),
        ("li-1", "one"),
        ("li-2", "two"),
        ("td-1", "A"),
        ("td-2", "B"),
        ("td-3", "X"),
        ("td-4", "Y"),
    ];
    assert_eq!(
        ids,
        expected.map(|(a, b)| (a.to_owned(), b.to_owned())),
        "every block, addressed by its original's id"
    );
    // The translation of an item or cell stands inside it; the ids are the original's.
    assert_eq!(page.by_id("li-2").value().name(), "li");
    assert_eq!(page.by_id("td-2").value().attr("style"), Some("text-align: right"));
    assert!(text_of(&page.by_id("td-3")).starts_with('x'));
}

#[test]
fn a_document_without_translation_has_no_item_ids() {
    let site = Site::new(&[("seeds/b.md", "# Liste\n\n- eins\n- zwei\n")]);
    site.build_ok(&[]);
    let html = std::fs::read_to_string(site.out().join("b/index.html")).unwrap();
    assert!(html.contains("<li>eins</li>"), "{html}");
    assert!(!html.contains("translation"), "{html}");
}

#[test]
fn blocks_that_stop_matching_are_an_error_naming_both_files_and_lines() {
    let site = site(&[(
        "content/translations/en/a.txt",
        "The dog\n\nThe dog barks loudly.\n\nThe cat\n\nsleeps.\n",
    )]);
    let run = site.build(&[]);
    site.assert_fails(
        &run,
        &[
            "content/translations/en/a.txt:7:1: error: this translation stops matching its original `seeds/a.txt` at block 3: \
             a paragraph here, the end of the text at seeds/a.txt:5 (3 blocks here, 2 in the original)",
            "sleeps.",
        ],
    );
    let run = site_md_mismatch().build(&[]);
    assert!(
        run.stderr.contains(
            "content/translations/en/c.md:5:1: error: this translation stops matching its original `seeds/c.md` at block 1: \
             a list item here, a paragraph at seeds/c.md:3 (both have 1 block)"
        ),
        "{run}"
    );
    assert!(
        run.stderr.contains("= hint: a translation has its original's blocks"),
        "{run}"
    );
}

/// A translation is shown on its original's page: its links are checked as the original's
/// are, each error at the translation's line, and a good one counts as the page's link.
#[test]
fn a_translations_links_are_checked_and_count_as_its_pages() {
    let files = |link: &'static str| {
        vec![
            ("seeds/a.md", "# Titel\n\nDer Hund bellt.\n\nDie Katze.\n"),
            ("seeds/b.md", "# Bee\n\nText.\n"),
            ("content/translations/en/a.md", link),
        ]
    };
    let bad = Site::new(&files(
        "# Title\n\nThe dog [barks](doc:nowhere).\n\nThe [cat](#p-9) and [bee](doc:b#zz).\n",
    ));
    let run = bad.build(&[]);
    assert_eq!(run.code, 1, "{run}");
    for (at, message) in [
        ("content/translations/en/a.md:3:9", "no document has the slug `nowhere`"),
        ("content/translations/en/a.md:5:5", "p-9"),
        ("content/translations/en/a.md:5:21", "zz"),
    ] {
        let line = run
            .stderr
            .lines()
            .find(|l| l.starts_with(at))
            .unwrap_or_else(|| panic!("{at}: {run}"));
        assert!(line.contains(": error: ") && line.contains(message), "{line}");
    }
    let good = Site::new(&files("# Title\n\nThe dog [barks](doc:b).\n\nThe [cat](#p-2).\n"));
    good.build_ok(&[]);
    let b = good.page("b/index.html");
    assert_eq!(
        b.hrefs_of("Titel"),
        ["../a/index.html"],
        "the page of the translation links b"
    );
}

fn site_md_mismatch() -> Site {
    Site::new(&[
        ("seeds/c.md", "# Titel\n\nText.\n"),
        ("content/translations/en/c.md", "# Title\n\n\n\n- Text.\n"),
    ])
}

#[test]
fn a_translation_with_no_original_is_an_error_and_a_missing_one_is_fine() {
    let site = site(&[("content/translations/en/b.txt", EN)]);
    let run = site.build(&[]);
    site.assert_fails(
        &run,
        &[
            "content/translations/en/b.txt: error: a translation with no original",
            "it translates `seeds/b.txt` or `seeds/b.md`, which is not there",
        ],
    );
    let site = site_without_translation();
    let run = site.build_ok(&[]);
    assert!(run.errors().is_empty(), "{run}");
    assert!(
        !std::fs::read_to_string(site.out().join("a/index.html"))
            .unwrap()
            .contains("translation")
    );
}

fn site_without_translation() -> Site {
    site(&[])
}

#[test]
fn with_two_languages_the_first_listed_is_shown_and_the_other_hidden() {
    // Without `translations:`: alphabetical, so `en` first.
    let site = site(&[
        ("content/translations/en/a.txt", EN),
        ("content/translations/fr/a.txt", FR),
    ]);
    site.build_ok(&[]);
    let shown = |site: &Site| -> Vec<(String, bool)> {
        translation_blocks(site, "a/index.html")
            .into_iter()
            .filter(|b| b.1 == "p-1")
            .map(|(lang, _, hidden, _)| (lang, hidden))
            .collect()
    };
    assert_eq!(shown(&site), [("en".to_owned(), false), ("fr".to_owned(), true)]);
    let page = site.page("a/index.html");
    let options: Vec<String> = page
        .all("#translation-lang option")
        .iter()
        .map(|o| o.value().attr("value").unwrap_or_default().to_owned())
        .collect();
    assert_eq!(options, ["en", "fr"], "the picker offers both, in order");
    // site.yaml's order wins.
    site.write("content/site.yaml", "translations: [fr, en]\n");
    site.build_ok(&[]);
    assert_eq!(shown(&site), [("fr".to_owned(), false), ("en".to_owned(), true)]);
    let page = site.page("a/index.html");
    assert_eq!(text_of(&page.one(".tr-title:not([hidden])")), "Le chien");
}

#[test]
fn a_language_folder_that_is_no_language_is_an_error() {
    let folder = site(&[("content/translations/english_/a.txt", EN)]);
    let run = folder.build(&[]);
    folder.assert_fails(&run, &["`english_` is not a BCP 47 language tag"]);
    let listed = site(&[("content/site.yaml", "translations: [en, 'e n']\n")]);
    let run = listed.build(&[]);
    listed.assert_fails(&run, &["content/site.yaml:1:", "`e n` is not a BCP 47 language tag"]);
}

#[test]
fn search_finds_a_translations_words_labelled_as_translation() {
    let site = site(&[("content/translations/en/a.txt", EN)]);
    site.build_ok(&[]);
    let search = site.out().join("search");
    let mut fragments = String::new();
    for f in std::fs::read_dir(search.join("f")).unwrap() {
        fragments.push_str(&std::fs::read_to_string(f.unwrap().path()).unwrap());
    }
    assert!(
        fragments.contains(r#"["p-1","translation","The dog barks loudly."]"#),
        "{fragments}"
    );
    let mut chunks = String::new();
    for f in std::fs::read_dir(search.join("c")).unwrap() {
        chunks.push_str(&std::fs::read_to_string(f.unwrap().path()).unwrap());
    }
    assert!(
        chunks.contains("\"barks\"") || chunks.contains("\"loudly\""),
        "{chunks}"
    );
    let page = std::fs::read_to_string(site.out().join("search/index.html")).unwrap();
    assert!(page.contains(r#"data-kind-translation="Translation""#), "{page}");
}

#[test]
#[cfg(feature = "serve")]
fn serve_renders_a_page_again_when_its_translation_is_edited() {
    let site = site(&[("content/translations/en/a.txt", EN)]);
    let w = crate::serve::start_watched(&site);
    let pages = crate::serve::edit(
        &w,
        &site,
        "content/translations/en/a.txt",
        "The dog\n\nThe dog barks quietly.\n\nThe cat sleeps.\n",
    );
    assert_eq!(pages, ["a/index.html"]);
    let html = std::fs::read_to_string(w.out.join("a/index.html")).unwrap();
    assert!(html.contains("The dog barks quietly."), "{html}");
    crate::serve::edit_and_compare(
        &w,
        &site,
        0,
        "content/translations/en/a.txt",
        "The hound\n\nThe dog barks.\n\nThe cat sleeps.\n",
        true,
    );
}
