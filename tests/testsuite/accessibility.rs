//! Pages a screen reader and a keyboard can find their way through (docs/documents.md,
//! "Heading levels"; docs/themes.md, `code_block`): a document's own headings are shown at
//! levels that never skip one under the page's `<h1>`, and code blocks, which may scroll, take
//! focus and have a name.

use crate::support::{Page, Site, text_of};

/// The page's headings in document order: (level, text, id).
fn headings(page: &Page) -> Vec<(u8, String, String)> {
    page.all("h1, h2, h3, h4, h5, h6")
        .iter()
        .map(|h| {
            let level = h.value().name()[1..].parse().unwrap_or(0);
            (level, text_of(h), h.attr("id").unwrap_or_default().to_owned())
        })
        .collect()
}

/// The levels of the headings inside `scope` (a selector), in document order.
fn levels_in(page: &Page, scope: &str) -> Vec<(u8, String)> {
    page.all(&format!("{scope} :is(h1, h2, h3, h4, h5, h6)"))
        .iter()
        .map(|h| (h.value().name()[1..].parse().unwrap_or(0), text_of(h)))
        .collect()
}

/// Where the page's outline breaks: a heading more than one level below the one before it, or
/// an `<h1>` other than the page's first heading.
fn outline_problems(page: &Page) -> Vec<String> {
    let mut problems = Vec::new();
    let mut last = 0;
    for (i, (level, text, _)) in headings(page).into_iter().enumerate() {
        if level > last + 1 {
            problems.push(format!("h{level} `{text}` follows h{last}"));
        }
        if level == 1 && i > 0 {
            problems.push(format!("a second h1: `{text}`"));
        }
        last = level;
    }
    problems
}

fn body_levels(page: &Page) -> Vec<(u8, String)> {
    levels_in(page, ".doc-body")
}

fn level(n: u8, text: &str) -> (u8, String) {
    (n, text.to_owned())
}

#[test]
fn a_readme_that_goes_from_h1_to_h3_never_skips_a_level() {
    let site = Site::new(&[
        (
            "seeds/readme.md",
            "# Project\n\nIntro.\n\n### Install\n\nText.\n\n### Use\n\nText.\n\n\
             # Changelog\n\n### 0.2\n\n##### Fixed\n\n## 0.1\n\nText.\n",
        ),
        (
            "seeds/titled.md",
            "---\ntitle: From the front matter\n---\n# Kept in the body\n\n### Under it\n\nText.\n",
        ),
    ]);
    site.build_ok(&[]);
    let readme = site.page("readme/index.html");
    assert_eq!(text_of(&readme.one("h1")), "Project", "the first # is the title");
    assert_eq!(
        body_levels(&readme),
        [
            level(2, "Install"),
            level(2, "Use"),
            level(2, "Changelog"),
            level(3, "0.2"),
            level(4, "Fixed"),
            level(3, "0.1"),
        ]
    );
    assert_eq!(outline_problems(&readme), Vec::<String>::new());
    let titled = site.page("titled/index.html");
    assert_eq!(
        body_levels(&titled),
        [level(2, "Kept in the body"), level(3, "Under it")],
        "a # in the body never stands beside the page's h1"
    );
    assert_eq!(outline_problems(&titled), Vec::<String>::new());
}

#[test]
fn a_document_that_starts_at_h3_starts_under_the_title() {
    let site = Site::new(&[(
        "seeds/deep.md",
        "### Deep\n\nText.\n\n#### Deeper\n\nText.\n\n## Up\n\n### Down\n",
    )]);
    site.build_ok(&[]);
    let deep = site.page("deep/index.html");
    assert_eq!(text_of(&deep.one("h1")), "deep", "no # heading: the title is the stem");
    assert_eq!(
        body_levels(&deep),
        [level(2, "Deep"), level(3, "Deeper"), level(2, "Up"), level(3, "Down")]
    );
    assert_eq!(outline_problems(&deep), Vec::<String>::new());
}

#[test]
fn shifted_headings_keep_their_ids_anchors_and_annotations() {
    let site = Site::new(&[
        (
            "seeds/doc.md",
            "# Doc\n\n### First steps\n\nSee [below](#later).\n\n#### Custom {#my-id}\n\nText.\n\n\
             ### Later\n\nBack to [the custom one](doc:doc#my-id).\n",
        ),
        (
            "seeds/doc.yaml",
            "annotations:\n  - id: steps\n    quote: First steps\n    note: A note on a heading.\n  \
             - quote: Later\n    gloss: afterwards\n",
        ),
        (
            "content/pages/about.md",
            "# About\n\nRead [the custom one](doc:doc#my-id).\n",
        ),
    ]);
    site.build_ok(&[]);
    let doc = site.page("doc/index.html");
    let ids: Vec<(u8, String)> = headings(&doc)
        .into_iter()
        .filter(|(_, _, id)| !id.is_empty())
        .map(|(l, _, id)| (l, id))
        .collect();
    assert_eq!(
        ids,
        [
            (2, "first-steps".to_owned()),
            (3, "my-id".to_owned()),
            (2, "later".to_owned())
        ],
        "the ids are those of the written headings"
    );
    // The annotations stand in the shifted headings as they stood in the written ones.
    let steps = doc.by_id("steps");
    assert_eq!(text_of(&steps), "First steps");
    assert!(crate::support::is_inside(&steps, "h2#first-steps"));
    assert!(doc.has_id("note-1") && doc.has_id("noteref-1"));
    assert_eq!(doc.all("h2#later .gloss-text").len(), 1);
    assert_eq!(doc.hrefs_of("below"), ["#later"]);
    assert_eq!(
        site.page("about/index.html").hrefs_of("the custom one"),
        ["../doc/index.html#my-id"]
    );
}

#[test]
fn an_extra_page_is_shifted_as_a_document_is() {
    let site = Site::new(&[
        ("seeds/a.md", "# A\n\nText.\n"),
        (
            "content/pages/about.md",
            "# About\n\n### Who\n\nText.\n\n# Contact\n\n#### Mail\n",
        ),
    ]);
    site.build_ok(&[]);
    let about = site.page("about/index.html");
    assert_eq!(
        levels_in(&about, "main"),
        [
            level(1, "About"),
            level(2, "Who"),
            level(2, "Contact"),
            level(3, "Mail")
        ]
    );
    assert_eq!(outline_problems(&about), Vec::<String>::new());
}

/// A document under `## Section` with a note and a footnote that hold headings of their own,
/// and a glossary definition with one.
fn notes_with_headings(site_yaml: &str) -> Site {
    Site::new(&[
        ("content/site.yaml", site_yaml),
        (
            "seeds/doc.md",
            "# Doc\n\n## Section\n\nA word with a note.[^f]\n\n## Next\n\nText.\n\n\
             [^f]: # Footnote heading\n\n    Its text.\n",
        ),
        (
            "seeds/doc.yaml",
            "annotations:\n  - quote: word\n    note: |\n      # Note heading\n\n      ### Its part\n\n      Text.\n",
        ),
        (
            "content/glossary.yaml",
            "- id: term\n  term: Term\n  kind: thing\n  definition: |\n    # What it is\n\n    ### More\n\n    Text.\n",
        ),
    ])
}

#[test]
fn headings_in_notes_go_under_the_section_they_stand_in() {
    let site = notes_with_headings("title: T\nlang: en\n");
    site.build_ok(&[]);
    let doc = site.page("doc/index.html");
    assert_eq!(
        levels_in(&doc, ".note-body"),
        [
            level(3, "Note heading"),
            level(4, "Its part"),
            level(3, "Footnote heading")
        ],
        "a note after a block under an h2 starts at h3"
    );
    assert_eq!(outline_problems(&doc), Vec::<String>::new());
    let entry = site.page("glossary/term/index.html");
    assert_eq!(
        levels_in(&entry, "main")[..3],
        [level(1, "Term"), level(2, "What it is"), level(3, "More")],
        "a definition starts under the entry's term"
    );
    assert_eq!(outline_problems(&entry), Vec::<String>::new());
}

#[test]
fn headings_in_endnotes_go_under_the_heading_of_the_notes() {
    let site = notes_with_headings("title: T\nlang: en\ntheme: classic\n");
    site.build_ok(&[]);
    let doc = site.page("doc/index.html");
    assert_eq!(
        levels_in(&doc, ".endnotes"),
        [
            level(3, "Note heading"),
            level(4, "Its part"),
            level(3, "Footnote heading")
        ]
    );
    assert_eq!(outline_problems(&doc), Vec::<String>::new());
}

/// Each `<pre>` of the page as (tabindex, role, name).
fn code_blocks(page: &Page) -> Vec<(String, String, String)> {
    page.all("pre")
        .iter()
        .map(|pre| {
            let attr = |name: &str| pre.attr(name).unwrap_or("(none)").to_owned();
            (attr("tabindex"), attr("role"), attr("aria-label"))
        })
        .collect()
}

fn focusable(name: &str) -> (String, String, String) {
    ("0".to_owned(), "group".to_owned(), name.to_owned())
}

#[test]
fn code_blocks_take_focus_and_are_named_in_the_interface_language() {
    let doc = "# Doc\n\n```sh\nglossa build --root a/very/long/path --out another/very/long/path\n```\n\n\
               Text.\n\n    an indented block\n\nA word with a note.\n";
    let note = "annotations:\n  - quote: word\n    note: |\n      ```\n      code in a note\n      ```\n";
    let glossary =
        "- id: term\n  term: Term\n  kind: thing\n  definition: |\n    Text.\n\n    ```\n    code\n    ```\n";
    for (lang, theme, name) in [("en", "default", "Code block"), ("de", "classic", "Codeblock")] {
        let site = Site::new(&[
            (
                "content/site.yaml",
                &format!("title: T\nlang: {lang}\ntheme: {theme}\n"),
            ),
            ("seeds/doc.md", doc),
            ("seeds/doc.yaml", note),
            ("content/pages/about.md", "# About\n\n```\ncode on a page\n```\n"),
            ("content/glossary.yaml", glossary),
        ]);
        site.build_ok(&[]);
        let page = site.page("doc/index.html");
        assert_eq!(
            code_blocks(&page),
            vec![focusable(name); 3],
            "{theme}: text, text, note"
        );
        assert_eq!(
            page.one("pre code.language-sh").text().collect::<String>(),
            "glossa build --root a/very/long/path --out another/very/long/path\n",
            "the code is as written"
        );
        for other in ["about/index.html", "glossary/term/index.html"] {
            assert_eq!(code_blocks(&site.page(other)), [focusable(name)], "{theme}: {other}");
        }
    }
}

#[test]
fn tables_take_focus_as_they_scroll_sideways() {
    let doc = "# Doc\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nA word.\n";
    let site = Site::new(&[("seeds/doc.md", doc)]);
    site.build_ok(&[]);
    let page = site.page("doc/index.html");
    let table = page.one("table");
    assert_eq!(table.attr("tabindex"), Some("0"));
    assert_eq!(table.attr("role"), None, "a table stays a table");
    assert_eq!(page.all("td").len(), 2);
}
