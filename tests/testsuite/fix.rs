//! `glossa check --fix` on sidecars written in every YAML style (docs/authoring.md, "Anchors
//! that survive edits"): a moved quote changes only its own value's bytes, and the file stays
//! valid YAML with its line endings, byte-order mark and comments; what cannot be rewritten
//! safely is orphaned with the reason, and the file is left byte for byte.

use crate::support::{Run, Site, glossa};

const TEXT: &str = "# A\n\nEs gab Gespräche mit Russen im April.\n\nWer reitet so spät durch Nacht und Wind?\n\nTitel: Der Westen, dann kam lange nichts.\n";

fn fix(site: &Site) -> Run {
    let root = site.root();
    glossa(&root, &["check", "--root", root.to_str().unwrap_or_default(), "--fix"])
}

/// The sidecar after `check --fix` on `sidecar` (written over the text with typos fixed),
/// after checking that the run succeeded and that the site checks clean afterwards.
fn fixed(sidecar: &str) -> String {
    let site = Site::new(&[("seeds/a.md", TEXT), ("seeds/a.yaml", sidecar)]);
    let run = fix(&site);
    assert_eq!(run.code, 0, "{run}");
    let after = std::fs::read(site.root().join("seeds/a.yaml")).unwrap();
    let after = String::from_utf8(after).unwrap();
    let root = site.root();
    let check = glossa(
        &root,
        &["check", "--root", root.to_str().unwrap_or_default(), "--deny-warnings"],
    );
    assert_eq!(check.code, 0, "the fixed sidecar checks clean\n{after}\n{check}");
    after
}

#[test]
fn fix_rewrites_a_quote_in_a_flow_mapping_and_keeps_its_other_keys() {
    let sidecar = "annotations:\n- {quote: Wer reitet so spat durch Nacht, gloss: who rides, note: n}\n";
    assert_eq!(fixed(sidecar), sidecar.replace("spat", "spät"));
}

#[test]
fn fix_rewrites_two_flow_items_on_one_line() {
    let sidecar = "annotations: [{quote: Gesprache mit Russen, note: a}, {quote: \"Wer reitet so spat durch Nacht\", gloss: b}]\n";
    let expected = sidecar.replace("Gesprache", "Gespräche").replace("spat", "spät");
    assert_eq!(fixed(sidecar), expected);
}

#[test]
fn fix_rewrites_a_flow_mapping_over_two_lines() {
    let sidecar = "annotations:\n  - {quote: Wer reitet so spat\n      durch Nacht, gloss: who rides}  # Erlkönig\n";
    let expected = "annotations:\n  - {quote: Wer reitet so spät durch Nacht, gloss: who rides}  # Erlkönig\n";
    assert_eq!(fixed(sidecar), expected);
}

#[test]
fn fix_quotes_a_value_in_a_flow_mapping_that_needs_it() {
    // A comma ends a plain value inside `{...}`: the moved quote is double-quoted.
    let sidecar = "annotations:\n- {quote: Der Westen dan kam, note: n}\n";
    let expected = "annotations:\n- {quote: \"Der Westen, dann kam\", note: n}\n";
    assert_eq!(fixed(sidecar), expected);
    let sidecar = "annotations:\n- {quote: 'Titel: Der Westen, dan kam', note: n}\n";
    assert_eq!(fixed(sidecar), sidecar.replace("dan kam", "dann kam"));
}

#[test]
fn fix_rewrites_a_literal_block_inside_the_block_without_quotation_marks() {
    let sidecar = "annotations:\n  - quote: |\n      Titel: Der Westen, dan kam\n    note: n\n";
    assert_eq!(fixed(sidecar), sidecar.replace("dan kam", "dann kam"));
}

#[test]
fn fix_rewrites_a_folded_block_over_two_lines_whole() {
    let sidecar = "annotations:\n  - quote: >-\n      Es gab Gesprache\n      mit Russen\n    note: n\n";
    let expected = "annotations:\n  - quote: >-\n      Es gab Gespräche mit Russen\n    note: n\n";
    assert_eq!(fixed(sidecar), expected);
}

#[test]
fn fix_keeps_crlf_line_endings_and_a_byte_order_mark() {
    let sidecar =
        "\u{feff}# Notes\r\nannotations:\r\n  - quote: Gesprache mit Russen  # typo\r\n    note: |\r\n      Talks.\r\n";
    assert_eq!(fixed(sidecar), sidecar.replace("Gesprache", "Gespräche"));
}

#[test]
fn a_quote_that_cannot_be_rewritten_safely_is_orphaned_and_the_file_left_as_it_was() {
    let sidecar = "annotations:\n  - quote: &q Gesprache mit Russen\n    note: n\n";
    let site = Site::new(&[("seeds/a.md", TEXT), ("seeds/a.yaml", sidecar)]);
    let run = fix(&site);
    assert_eq!(run.code, 1, "{run}");
    assert!(
        run.stderr.contains(
            "seeds/a.yaml:2:15: error: orphaned: a close passage exists, but glossa cannot rewrite this quote: `annotations[0].quote` is, or is inside, a value with an anchor (`&`)"
        ),
        "{run}"
    );
    assert!(
        run.stderr
            .contains("hint: the close passage (similarity 0.95) reads: \"Gespräche mit Russen\""),
        "{run}"
    );
    let after = std::fs::read(site.root().join("seeds/a.yaml")).unwrap();
    assert_eq!(after, sidecar.as_bytes());
}
