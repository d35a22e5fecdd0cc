//! No input makes glossa's time grow with the square of its size (issue #19): many errors in
//! one file, a long quote that is not found, YAML nested thousands deep. Each test takes well
//! under a few seconds on a debug build; the code before took minutes on the same input. The
//! bounds are generous, for a loaded machine.

use crate::support::Site;
use std::time::{Duration, Instant};

/// Runs `glossa check` on the site and insists it ends within `limit`.
fn check_within(site: &Site, limit: Duration) -> crate::support::Run {
    let started = Instant::now();
    let run = crate::support::glossa(&site.root(), &["check", "--root", site.root().to_str().unwrap()]);
    let took = started.elapsed();
    assert!(took < limit, "took {took:?} (limit {limit:?})\n{run}");
    run
}

const LIMIT: Duration = Duration::from_secs(20);

/// A document where `Hund` occurs, and its sidecar.
fn one_document() -> Vec<(&'static str, String)> {
    vec![
        ("seeds/a.md", "# Titel\n\nDer Hund bellt.\n".to_owned()),
        (
            "seeds/a.yaml",
            "annotations:\n  - quote: Hund\n    gloss: dog\n".to_owned(),
        ),
    ]
}

fn site(files: &[(&str, String)]) -> Site {
    let files: Vec<(&str, &str)> = files.iter().map(|(p, c)| (*p, c.as_str())).collect();
    Site::new(&files)
}

#[test]
fn thousands_of_unused_glossary_entries_are_reported_in_linear_time() {
    let n = 4_000;
    let glossary: String = (0..n)
        .map(|i| format!("- id: e{i}\n  term: Wort{i}x\n  definition: d\n"))
        .collect();
    let mut files = one_document();
    files.push(("content/glossary.yaml", glossary));
    let run = check_within(&site(&files), LIMIT);
    assert_eq!(run.code, 0, "{run}");
    let warnings = run.warnings();
    assert_eq!(warnings.len(), n, "{run}");
    // Each at its own entry's `id:` value, as before.
    assert!(
        run.stderr
            .contains("content/glossary.yaml:11998:7: warning: glossary entry `e3999` occurs in no document"),
        "{}",
        &run.stderr[run.stderr.len().saturating_sub(2000)..]
    );
}

#[test]
fn thousands_of_errors_in_one_sidecar_are_reported_in_linear_time() {
    // 22 s before on a debug build (the whole file scanned for each error), 0.7 s now.
    let n = 12_000;
    let sidecar: String = std::iter::once("annotations:\n".to_owned())
        .chain((0..n).map(|i| format!("  - quote: Hund\n    id: Bad_{i}\n    term: nix{i}\n")))
        .collect();
    let files = vec![
        ("seeds/a.md", "# Titel\n\nDer Hund bellt.\n".to_owned()),
        ("seeds/a.yaml", sidecar),
    ];
    let run = check_within(&site(&files), Duration::from_secs(10));
    assert_eq!(run.code, 1, "{run}");
    assert_eq!(
        run.errors().len(),
        n,
        "one error an annotation\n{}",
        &run.stderr[..2000]
    );
    assert!(
        run.stderr
            .contains("seeds/a.yaml:36000:9: error: annotation id `Bad_11999` is not `[a-z0-9-]+`"),
        "{}",
        &run.stderr[run.stderr.len().saturating_sub(2000)..]
    );
}

/// A paragraph of about `bytes` bytes of varied words.
fn paragraph(bytes: usize) -> String {
    let words = [
        "der",
        "Bericht",
        "wurde",
        "als",
        "Desinformation",
        "bezeichnet",
        "und",
        "die",
        "Regierung",
        "in",
        "Moskau",
        "sagte",
        "dazu",
        "nichts",
        "weiter",
        "Hund",
        "bellt",
        "laut",
        "am",
        "Abend",
    ];
    let mut out = String::new();
    let mut k = 0usize;
    while out.len() < bytes {
        k = (k * 7 + 3) % words.len();
        out.push_str(words[k]);
        out.push(' ');
    }
    out.trim_end().to_owned()
}

#[test]
fn a_long_quote_with_a_typo_gets_its_hint_promptly() {
    let text = paragraph(8_000);
    let mut quote = text.clone();
    let middle = quote.len() / 2;
    let at = (middle..)
        .find(|&i| quote.is_char_boundary(i) && quote.as_bytes()[i].is_ascii_alphabetic())
        .unwrap();
    quote.replace_range(at..at + 1, "Q");
    let files = vec![
        ("seeds/a.md", format!("# Titel\n\n{text}\n")),
        (
            "seeds/a.yaml",
            format!("annotations:\n  - quote: \"{quote}\"\n    gloss: g\n"),
        ),
    ];
    let run = check_within(&site(&files), LIMIT);
    assert_eq!(run.code, 1, "{run}");
    assert!(
        run.stderr
            .contains("hint: the most similar passage (line 3 of the document, similarity 1.00)"),
        "{}",
        &run.stderr[run.stderr.len().saturating_sub(600)..]
    );
}

#[test]
fn a_quote_too_long_to_search_says_so() {
    let text = paragraph(100_000);
    let quote = format!("{}Q", &text[..text.len() - 1]);
    let files = vec![
        ("seeds/a.md", format!("# Titel\n\n{text}\n")),
        (
            "seeds/a.yaml",
            format!("annotations:\n  - quote: \"{quote}\"\n    gloss: g\n"),
        ),
    ];
    let run = check_within(&site(&files), LIMIT);
    assert_eq!(run.code, 1, "{run}");
    assert!(
        run.stderr
            .contains("hint: no closest passage: the quote is longer than 10000 characters"),
        "{}",
        &run.stderr[run.stderr.len().saturating_sub(600)..]
    );
}

#[test]
fn yaml_nested_thousands_deep_is_refused_at_the_limit() {
    let deep_flow = format!("annotations: {}\n", "[".repeat(100_000));
    let deep_blocks = format!("annotations:\n  {}x\n", "- ".repeat(10_000));
    let deep_indent: String = std::iter::once("annotations:\n".to_owned())
        .chain((0..1_000).map(|i| format!("{}- \n", " ".repeat(i + 2))))
        .collect();
    for (sidecar, line) in [(deep_flow, 1), (deep_blocks, 2), (deep_indent, 65)] {
        let files = vec![
            ("seeds/a.md", "# Titel\n\nDer Hund bellt.\n".to_owned()),
            ("seeds/a.yaml", sidecar),
        ];
        let run = check_within(&site(&files), LIMIT);
        assert_eq!(run.code, 1, "{run}");
        let expected = format!("seeds/a.yaml:{line}:");
        let messages = run.errors();
        assert_eq!(messages.len(), 1, "{run}");
        assert!(
            messages[0].starts_with(&expected)
                && messages[0].ends_with("lists and mappings nest deeper than 64 levels here"),
            "{}",
            messages[0]
        );
    }
    // A glossary too.
    let mut files = one_document();
    files.push((
        "content/glossary.yaml",
        format!("- id: a\n  forms: {}\n", "{a: ".repeat(50_000)),
    ));
    let run = check_within(&site(&files), LIMIT);
    assert!(run.stderr.contains("content/glossary.yaml:2:"), "{run}");
    assert!(run.stderr.contains("nest deeper than 64 levels"), "{run}");
}

#[test]
fn thousands_of_quotes_that_start_alike_are_found_in_linear_time() {
    // Every quote starts with `Ab`, and so do 40 words of every paragraph: the table of first
    // bytes compared each quote at each of them (about 30 s before on a debug build).
    let n = 8_000;
    let paragraphs: Vec<String> = (0..n)
        .map(|i| format!("Absatz{i}x {}.", vec!["Abend"; 40].join(" ")))
        .collect();
    let sidecar: String = (0..n)
        .map(|i| format!("  - quote: Absatz{i}x\n    gloss: g\n"))
        .collect();
    let files = [
        ("seeds/a.md", format!("# Titel\n\n{}\n", paragraphs.join("\n\n"))),
        ("seeds/a.yaml", format!("annotations:\n{sidecar}")),
    ];
    let run = check_within(&site(&files), LIMIT);
    assert_eq!(run.code, 0, "every quote is found once\n{run}");
}
