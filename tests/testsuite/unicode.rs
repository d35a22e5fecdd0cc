//! Unicode that behaves: the same look gives the same slug and id (docs/documents.md), a quote
//! matches only whole characters, and messages show what a reader would not see
//! (docs/sidecars.md).

use crate::support::{Site, reading_text};

/// `Ü` as one code point (NFC) and as `U` with a combining diaeresis (NFD, as macOS spells
/// file names).
const UE_NFC: &str = "\u{DC}";
const UE_NFD: &str = "U\u{308}";

fn txt(doc: &str, sidecar: &str) -> Site {
    Site::new(&[("seeds/a.txt", doc), ("seeds/a.yaml", sidecar)])
}

#[test]
fn a_decomposed_file_name_gives_the_composed_slug() {
    let site = Site::new(&[(&format!("seeds/{UE_NFD}ber uns.md"), "# Wir\n\nText.\n")]);
    site.build_ok(&[]);
    assert!(
        site.out().join("ueber-uns/index.html").exists(),
        "`Über uns` is `ueber-uns` however the Ü is spelled"
    );
    assert!(!site.out().join("uber-uns").exists());
}

#[test]
fn a_decomposed_heading_gets_the_composed_id() {
    let doc = format!("# T\n\n## {UE_NFD}ber uns\n\nText.\n\n## Stra\u{DF}e\u{AD}nbahn\u{200B}\n\nMehr.\n");
    let site = Site::new(&[("seeds/a.md", doc.as_str())]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    assert!(page.has_id("ueber-uns"), "{:?}", page.ids());
    assert!(
        page.has_id("strassenbahn"),
        "invisible characters leave no trace: {:?}",
        page.ids()
    );
}

#[test]
fn a_quote_never_ends_inside_a_character() {
    let doc = "Titel\n\nWir trafen uns im Cafe\u{301} am Markt.\n";
    let site = txt(doc, "annotations:\n  - quote: im Cafe\n    note: n\n");
    let run = site.build(&[]);
    site.assert_fails(&run, &["quote not found in the document: \"im Cafe\""]);
    assert!(
        run.stderr
            .contains("would end inside the character `e\u{301}` (`e\\u{301}`)"),
        "the hint names the split character\n{run}"
    );
    assert!(run.stderr.contains("«im Cafe\u{301}»"), "{run}");

    // Nor starts inside one.
    let site = txt(doc, "annotations:\n  - quote: \"\\u0301 am Markt\"\n    note: n\n");
    let run = site.build(&[]);
    site.assert_fails(&run, &["quote not found", "would start inside the character"]);
}

#[test]
fn a_quote_with_the_combining_mark_matches_the_whole_character() {
    let site = txt(
        "Titel\n\nWir trafen uns im Cafe\u{301} am Markt.\n",
        "annotations:\n  - id: cafe\n    quote: \"im Cafe\\u0301\"\n    note: n\n",
    );
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    assert_eq!(reading_text(&page.by_id("cafe")), "im Cafe\u{301}");
}

#[test]
fn a_quote_never_takes_part_of_an_emoji_sequence() {
    // A woman scientist: woman, zero-width joiner, microscope.
    let site = txt(
        "Titel\n\nSie ist \u{1F469}\u{200D}\u{1F52C} von Beruf.\n",
        "annotations:\n  - quote: \"ist \\U0001F469\"\n    note: n\n",
    );
    let run = site.build(&[]);
    site.assert_fails(&run, &["quote not found", "would end inside the character"]);
}

#[test]
fn messages_show_invisible_characters_escaped() {
    let site = txt(
        "Titel\n\nEin Wort\u{200B}mit L\u{FC}cke.\n\nUnd ein \u{200F}Zeichen.\n",
        concat!(
            "annotations:\n",
            "  - quote: Wort mit Lücke\n    note: n\n",
            "  - quote: und ein Zeichen\n    note: n\n",
            "  - quote: \"\\u00ADZeichen\\u00A0da\"\n    note: n\n",
            "  - quote: \"\\u0301ein\"\n    note: n\n",
        ),
    );
    let run = site.build(&[]);
    site.assert_fails(
        &run,
        &[
            "Wort\\u{200B}mit Lücke",
            "ein \\u{200F}Zeichen",
            "not found in the document: \"\\u{AD}Zeichen\\u{A0}da\"",
            "not found in the document: \"\\u{301}ein\"",
        ],
    );
    assert!(
        ['\u{200B}', '\u{200F}', '\u{AD}', '\u{A0}', '\u{301}']
            .iter()
            .all(|&c| !run.stderr.contains(c)),
        "no invisible character printed as it is\n{run}"
    );
}

#[test]
fn a_quote_folded_onto_a_no_break_space_is_told_with_the_escape() {
    let site = txt(
        "Titel\n\nEs kostet 5\u{A0}Euro.\n",
        "annotations:\n  - quote: 5 Euro\n    note: n\n",
    );
    let run = site.build_ok(&[]);
    assert!(run.stderr.contains("only after folding"), "{run}");
    assert!(
        run.stderr.contains("the text reads: \"5\\u00A0Euro\""),
        "YAML to paste\n{run}"
    );
}

#[test]
fn only_normalisation_differs_is_said() {
    // The text decomposed, the quote composed.
    let site = txt(
        &format!("Titel\n\nDie {UE_NFD}bung war gut.\n"),
        &format!("annotations:\n  - quote: {UE_NFC}bung war\n    note: n\n"),
    );
    let run = site.build(&[]);
    site.assert_fails(
        &run,
        &[
            "quote not found",
            "another Unicode normalisation (line 3 of the document, NFD there; the quote is NFC)",
            "save both files as NFC",
        ],
    );
    // The text composed, the quote decomposed.
    let site = txt(
        &format!("Titel\n\nDie {UE_NFC}bung war gut.\n"),
        &format!("annotations:\n  - quote: {UE_NFD}bung war\n    note: n\n"),
    );
    let run = site.build(&[]);
    site.assert_fails(&run, &["NFC there; the quote is NFD"]);
}

#[test]
fn a_glossary_form_is_whole_characters_too() {
    let site = Site::new(&[
        ("seeds/a.md", "# T\n\nIm Cafe\u{301} und im Cafe.\n"),
        (
            "content/glossary.yaml",
            "- id: cafe\n  term: Cafe\n  kind: place\n  definition: A coffee house.\n",
        ),
    ]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let found: Vec<String> = page.all(".term[id^=\"t-\"]").iter().map(reading_text).collect();
    assert_eq!(found, ["Cafe"], "only the second, whole `Cafe`");
    assert_eq!(
        crate::support::surroundings(&page.all(".term[id^=\"t-\"]")[0]).0,
        "Im Cafe\u{301} und im "
    );
}
