//! Notes (contract §2, §8): sidecar notes and Markdown footnotes, one numbering in text order,
//! and the reference/body/backlink hooks.

use crate::support::{Page, Site, is_inside, next_node_element, text_of};

/// Checks the hooks of note `n`: the reference `<a role="doc-noteref" id="noteref-N"
/// href="#note-N">N</a>`, and exactly one body `#note-N` with `role="doc-footnote"` holding a
/// backlink to the reference. Returns the body's text.
fn check_note(page: &Page, n: usize) -> String {
    let noteref = page.by_id(&format!("noteref-{n}"));
    assert_eq!(noteref.value().name(), "a");
    assert_eq!(noteref.attr("role"), Some("doc-noteref"), "{}", noteref.html());
    assert_eq!(
        noteref.attr("href"),
        Some(format!("#note-{n}").as_str()),
        "{}",
        noteref.html()
    );
    assert_eq!(text_of(&noteref), n.to_string());
    let body = page.by_id(&format!("note-{n}"));
    assert_eq!(body.attr("role"), Some("doc-footnote"), "{}", body.html());
    let back = body
        .select(&crate::support::selector(&format!(
            "a[role=\"doc-backlink\"][href=\"#noteref-{n}\"]"
        )))
        .count();
    assert_eq!(back, 1, "note {n} links back to its reference once: {}", body.html());
    assert_eq!(page.all(&format!("[role=\"doc-footnote\"][id=\"note-{n}\"]")).len(), 1);
    text_of(&body)
}

/// Asserts the element with `id` is followed directly (no text between) by note reference `n`.
fn assert_noteref_right_after(page: &Page, id: &str, n: usize) {
    let quote = page.by_id(id);
    let next = next_node_element(&quote).unwrap_or_else(|| panic!("nothing right after `{id}`: {}", quote.html()));
    assert_eq!(
        next.attr("id"),
        Some(format!("noteref-{n}").as_str()),
        "right after `{id}` comes {}",
        next.html()
    );
    assert!(
        !is_inside(&page.by_id(&format!("noteref-{n}")), &format!("[id=\"{id}\"]")),
        "the reference is not inside its quote"
    );
}

#[test]
fn sidecar_notes_and_footnotes_share_one_numbering_in_text_order() {
    let site = Site::new(&[
        (
            "seeds/a.md",
            "# T\n\nErster Absatz hier.\n\nZweiter Absatz mit Fußnote.[^a] Und danach kommt mehr.\n\nDritter Absatz zuletzt.[^b]\n\n[^a]: Footnote alpha.\n[^b]: Footnote beta.\n",
        ),
        (
            "seeds/a.yaml",
            "annotations:\n  - id: s3\n    quote: Dritter\n    note: Sidecar three.\n  - id: s1\n    quote: Erster\n    note: Sidecar one.\n  - id: s2\n    quote: danach\n    note: Sidecar two.\n",
        ),
    ]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let bodies: Vec<String> = (1..=5).map(|n| check_note(&page, n)).collect();
    let expected = [
        "Sidecar one.",
        "Footnote alpha.",
        "Sidecar two.",
        "Sidecar three.",
        "Footnote beta.",
    ];
    for (n, (body, want)) in bodies.iter().zip(expected).enumerate() {
        assert!(body.contains(want), "note {} should be {want:?}, is {body:?}", n + 1);
    }
    assert!(!page.has_id("note-6") && !page.has_id("noteref-6"));
    assert_noteref_right_after(&page, "s1", 1);
    assert_noteref_right_after(&page, "s2", 3);
    assert_noteref_right_after(&page, "s3", 4);
    // The references stand in the text in the same order.
    let order: Vec<String> = page.all("a[role=\"doc-noteref\"]").iter().map(text_of).collect();
    assert_eq!(order, ["1", "2", "3", "4", "5"]);
}

#[test]
fn a_footnote_reference_stands_where_it_is_written() {
    let site = Site::new(&[("seeds/a.md", "# T\n\nEin Satz.[^x] Noch einer.\n\n[^x]: The body.\n")]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    assert!(check_note(&page, 1).contains("The body."));
    let noteref = page.by_id("noteref-1");
    let (before, after) = crate::support::surroundings(&noteref);
    assert_eq!((before.as_str(), after.as_str()), ("Ein Satz.", " Noch einer."));
}

#[test]
fn txt_notes_are_numbered_in_text_order_not_sidecar_order() {
    let site = Site::new(&[
        ("seeds/a.txt", "Titel\n\nEins und zwei.\n\nDrei und vier.\n"),
        (
            "seeds/a.yaml",
            "annotations:\n  - id: vier\n    quote: vier\n    note: Four.\n  - id: zwei\n    quote: zwei\n    note: Two.\n  - id: eins\n    quote: Eins\n    note: One.\n",
        ),
    ]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    assert!(check_note(&page, 1).contains("One."));
    assert!(check_note(&page, 2).contains("Two."));
    assert!(check_note(&page, 3).contains("Four."));
    assert_noteref_right_after(&page, "eins", 1);
    assert_noteref_right_after(&page, "zwei", 2);
    assert_noteref_right_after(&page, "vier", 3);
}

#[test]
fn the_reference_follows_a_quote_that_ends_inside_markup_or_carries_a_gloss() {
    let site = Site::new(&[
        (
            "seeds/a.md",
            "# T\n\nEin *sehr langes* Wort und ein [Link hier](https://example.org/) danach.\n",
        ),
        (
            "seeds/a.yaml",
            "annotations:\n  - id: em\n    quote: Ein sehr\n    note: Ends inside emphasis.\n  - id: glossed\n    quote: Wort\n    gloss: word\n    note: Also glossed.\n  - id: link\n    quote: Link\n    note: Inside a link.\n",
        ),
    ]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    for (n, id) in [(1, "em"), (2, "glossed"), (3, "link")] {
        check_note(&page, n);
        assert_noteref_right_after(&page, id, n);
    }
}

#[test]
fn note_bodies_are_markdown_with_cross_links() {
    let site = Site::new(&[
        ("seeds/a.md", "# T\n\nEin Wort.\n"),
        (
            "seeds/a.yaml",
            "annotations:\n  - quote: Wort\n    note: |\n      A *word*, see [the other text](doc:b).\n",
        ),
        ("seeds/b.md", "# B\n\nText.\n"),
    ]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let body = page.by_id("note-1");
    assert!(body.inner_html().contains("<em>word</em>"), "{}", body.html());
    assert_eq!(page.hrefs_of("the other text"), ["../b/index.html"]);
}

#[test]
fn every_document_counts_its_notes_from_one() {
    let site = Site::new(&[
        ("seeds/a.md", "# A\n\nEins.[^1] Zwei.\n\n[^1]: Note.\n"),
        ("seeds/b.md", "# B\n\nDrei.\n"),
        ("seeds/b.yaml", "annotations:\n  - quote: Drei\n    note: Note.\n"),
    ]);
    site.build_ok(&[]);
    for slug in ["a", "b"] {
        let page = site.page(&format!("{slug}/index.html"));
        check_note(&page, 1);
        assert!(!page.has_id("note-2"));
    }
}
