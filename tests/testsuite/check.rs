//! `glossa check` (contract §6): every check of `build`, nothing written, same exit codes.

use crate::support::{Site, glossa};

fn check(site: &Site, args: &[&str]) -> crate::support::Run {
    let root = site.root();
    let mut all = vec!["check", "--root", root.to_str().unwrap_or_default()];
    all.extend_from_slice(args);
    glossa(&root, &all)
}

#[test]
fn check_passes_a_good_site_and_writes_nothing() {
    let site = Site::new(&[
        ("seeds/a.md", "# A\n\nDer Hund.\n"),
        ("content/site.yaml", "base_url: https://example.org/\n"),
    ]);
    let run = check(&site, &[]);
    assert_eq!(run.code, 0, "{run}");
    assert!(!site.out().exists());
    assert!(crate::support::stray_staging(&site.root()).is_empty());
}

#[test]
fn check_reports_the_errors_build_reports() {
    let site = Site::new(&[
        ("seeds/a.md", "# A\n\nDer Hund.\n"),
        ("seeds/a.yaml", "annotations:\n  - quote: Die Katze\n    note: x\n"),
    ]);
    let run = check(&site, &[]);
    site.assert_fails(&run, &["seeds/a.yaml:2:", "not found"]);
    let build = site.build(&[]);
    assert_eq!(build.errors(), run.errors());
}

#[test]
fn check_deny_warnings_fails_on_a_warning() {
    let site = Site::new(&[("seeds/a.md", "# A\n\nDer Hund.\n"), ("seeds/notes.rtf", "x")]);
    let run = check(&site, &[]);
    assert_eq!(run.code, 0, "an ignored file is only a warning\n{run}");
    let run = check(&site, &["--deny-warnings"]);
    assert_eq!(run.code, 1, "{run}");
    assert!(!site.out().exists());
}

#[test]
fn check_does_not_warn_about_the_sitemap_and_does_not_claim_to_write() {
    let site = crate::support::Site::new(&[("seeds/a.md", "# A\n\nText.\n")]);
    let root = site.root();
    let run = crate::support::glossa(&root, &["check", "--root", root.to_str().unwrap(), "--deny-warnings"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(!run.stderr.contains("sitemap"), "{run}");
    let bad = crate::support::Site::new(&[
        ("seeds/a.md", "# A\n\nText.\n"),
        ("seeds/a.yaml", "annotations:\n  - quote: Nope\n    note: x\n"),
    ]);
    let root = bad.root();
    let run = crate::support::glossa(&root, &["check", "--root", root.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{run}");
    assert!(run.stderr.contains("1 error, 0 warnings"), "{run}");
    assert!(!run.stderr.contains("written"), "{run}");
}

#[test]
fn a_quote_that_matched_only_after_folding_is_a_warning_with_the_text() {
    let site = Site::new(&[
        ("seeds/a.md", "# A\n\nSie nannte es „gefälscht“ und ging.\n"),
        (
            "seeds/a.yaml",
            "annotations:\n  - quote: es \"gefälscht\"   und\n    gloss: fake\n",
        ),
    ]);
    let run = check(&site, &[]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stderr
            .contains("seeds/a.yaml:2:12: warning: quote matched only after folding"),
        "{run}"
    );
    assert!(run.stderr.contains("the text reads: \"es „gefälscht“ und\""), "{run}");
    let run = check(&site, &["--deny-warnings"]);
    assert_eq!(run.code, 1, "{run}");
}

#[test]
fn an_ambiguous_quote_gets_a_prefix_or_suffix_to_paste() {
    let site = Site::new(&[
        (
            "seeds/a.md",
            "# T\n\nDer Hund bellt. Ein Hund schläft.\n\nNoch ein Hund.\n",
        ),
        ("seeds/a.yaml", "annotations:\n  - quote: Hund\n    gloss: dog\n"),
    ]);
    let run = check(&site, &[]);
    assert_eq!(run.code, 1, "{run}");
    for line in [
        "for the match at line 3:  prefix: \"Der \"",
        "for the match at line 3:  prefix: \"Ein \"",
        "for the match at line 5:  suffix: \".\"",
    ] {
        assert!(run.stderr.contains(line), "missing {line:?}\n{run}");
    }
    // The suggestion works when pasted.
    site.write(
        "seeds/a.yaml",
        "annotations:\n  - quote: Hund\n    prefix: \"Ein \"\n    gloss: dog\n",
    );
    let run = check(&site, &["--deny-warnings"]);
    assert_eq!(run.code, 0, "{run}");
}

#[test]
fn a_document_without_a_sidecar_among_annotated_ones_is_a_warning() {
    let site = Site::new(&[
        ("seeds/a.md", "# A\n\nDer Hund.\n"),
        ("seeds/a.yaml", "annotations:\n  - quote: Hund\n    gloss: dog\n"),
        ("seeds/b.md", "# B\n\nDie Katze.\n"),
    ]);
    let run = check(&site, &[]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stderr.contains("seeds/b.md: warning: this document has no sidecar"),
        "{run}"
    );
}

/// `check --fix` after the text was edited four ways: a fixed typo and an inserted word move
/// their quotes; a rewritten sentence and a duplicated passage leave them orphaned. Every other
/// byte of the sidecar stays.
#[test]
fn fix_moves_only_quotes_with_one_clear_match_and_keeps_the_rest_of_the_file() {
    let before_text = "# Fix\n\nEs gab Gesprache mit Russen im April.\n\nDann kam der kalte Winter ins Land.\n\nNiemand wusste davon etwas Genaues.\n\nDie Katze schlief fest im Korb.\n";
    let sidecar = "# Notes for the fix test: this comment stays.\ntitle: Fix   # so does this one\nannotations:\n  - id: typo\n    quote: Gesprache mit Russen\n    note: Talks.\n\n  - id: insert   # inserted word\n    quote: \"kam der kalte Winter ins Land\"\n    gloss: the cold winter\n  - id: rewritten\n    quote: Niemand wusste davon etwas\n    note: Nobody knew.\n  - id: twice\n    quote: Die Katze schlief fest\n    gloss: the cat slept\n";
    let site = Site::new(&[("seeds/a.md", before_text), ("seeds/a.yaml", sidecar)]);
    assert_eq!(check(&site, &[]).code, 0);
    site.write(
        "seeds/a.md",
        "# Fix\n\nEs gab Gespräche mit Russen im April.\n\nDann kam der sehr kalte Winter ins Land.\n\nAlle hatten es längst gehört.\n\nDie Katzen schliefen fest im Korb. Die Katzen schliefen fest.\n",
    );
    let run = check(&site, &["--fix"]);
    assert_eq!(run.code, 1, "orphans remain errors\n{run}");
    assert!(
        run.stderr
            .contains("seeds/a.yaml:5:12: note: fixed: the quote now reads \"Gespräche mit Russen\""),
        "{run}"
    );
    assert!(
        run.stderr
            .contains("seeds/a.yaml:9:12: note: fixed: the quote now reads \"kam der sehr kalte Winter ins Land\""),
        "{run}"
    );
    assert!(
        run.stderr
            .contains("seeds/a.yaml:12:12: error: orphaned: no passage is close enough"),
        "{run}"
    );
    assert!(
        run.stderr
            .contains("seeds/a.yaml:15:12: error: orphaned: more than one passage is about as close"),
        "{run}"
    );
    let after = std::fs::read_to_string(site.root().join("seeds/a.yaml")).unwrap();
    let expected = sidecar
        .replace("quote: Gesprache mit Russen", "quote: Gespräche mit Russen")
        .replace(
            "quote: \"kam der kalte Winter ins Land\"",
            "quote: \"kam der sehr kalte Winter ins Land\"",
        );
    assert_eq!(after, expected, "only the two moved quotes changed");
    // The moved quotes now anchor; the orphans are still reported, unmoved.
    let run = check(&site, &[]);
    assert_eq!(run.errors().len(), 2, "{run}");
    assert!(!site.out().exists());
}

/// The whole output of `check` on a broken sidecar, pinned as text: positions, source lines,
/// carets, hints, the count — and no colour codes when stderr is not a terminal.
#[test]
fn check_output_is_pinned() {
    let site = Site::new(&[
        ("seeds/a.md", "# A\n\nDer Hund bellt laut.\n"),
        (
            "content/glossary.yaml",
            "- id: hund\n  term: Hund\n  definition: Dog.\n",
        ),
        (
            "seeds/a.yaml",
            "annotations:\n  - quote: Hund bellt leise\n    note: x\n  - quote: laut\n    term: hudn\n  - qoute: x\n",
        ),
    ]);
    let run = check(&site, &[]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "seeds/a.yaml:6:5: error: annotations[2]: unknown field `qoute`, expected one of `id`, `quote`, `prefix`, `suffix`, `occurrence`, `note`, `gloss`, `term`, `see`\n  |\n6 |   - qoute: x\n  |     ^^^^^\n  = hint: did you mean `quote`?\n1 error, 0 warnings\n"
    );
    site.write(
        "seeds/a.yaml",
        "annotations:\n  - quote: Hund bellt leise\n    note: x\n  - quote: laut\n    term: hudn\n",
    );
    let run = check(&site, &[]);
    assert_eq!(
        run.stderr,
        "seeds/a.yaml:2:12: error: quote not found in the document: \"Hund bellt leise\"\n  |\n2 |   - quote: Hund bellt leise\n  |            ^^^^^^^^^^^^^^^^\n  = hint: the closest passage (line 3 of the document) reads:\n          «Hund bellt laut.»\nseeds/a.yaml:5:11: error: unknown glossary id `hudn`\n  |\n5 |     term: hudn\n  |           ^^^^\n  = hint: did you mean `hund`?\n2 errors, 0 warnings\n"
    );
}
