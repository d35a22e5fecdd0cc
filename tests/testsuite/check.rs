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
