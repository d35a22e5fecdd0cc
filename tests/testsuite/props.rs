//! Property tests (issue #5): arbitrary texts and sidecars whose quotes are drawn from the text
//! go through the whole pipeline — parse, anchor, render — by the library's `glossa::build`.
//!
//! Whatever the input: no panic, and problems come back as diagnostics naming a file. When the
//! build succeeds, every page parses back without an HTML parse error and without a repeated
//! id, and every annotation is exactly one element carrying its id, whose reading text is the
//! quote (up to the matching rules: whitespace runs and quotation marks); every note reference
//! has its note and the other way round.

use crate::support::{Page, files_under, reading_text};
use proptest::prelude::*;
use proptest::test_runner::Config;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Pieces texts are made of: words with and without diacritics, scripts other than Latin,
/// Markdown syntax, quotation marks of several languages, HTML-ish snippets and entities.
const PIECES: &[&str] = &[
    "Hund",
    "Straße",
    "naïve",
    "Außenminister",
    "東京",
    "Ελλάδα",
    "שלום",
    "🎉",
    "e\u{301}",
    "*",
    "**",
    "_",
    "`",
    "``",
    "[",
    "]",
    "(",
    ")",
    "](x)",
    "[^1]",
    "#",
    "## ",
    "> ",
    "- ",
    "1. ",
    "|",
    "\\",
    "~~",
    "{#h}",
    "\"",
    "'",
    "„",
    "“",
    "”",
    "«",
    "»",
    "‚",
    "‘",
    "’",
    "<b>",
    "</i>",
    "<script>",
    "</script>",
    "<img src=x onerror=alert(1)>",
    "&amp;",
    "&#x41;",
    "&lt;",
    "<!--",
    "-->",
    "javascript:x",
    "doc:a",
    "---",
];

/// Whitespace between pieces: runs of spaces, tabs, no-break and em spaces, line breaks.
const GAPS: &[&str] = &[
    " ", " ", " ", "  ", "\t", "\u{a0}", "\u{2003}", "\n", " \n", "\n\n", "\n \n", "\n\n\n",
];

fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => proptest::sample::select(PIECES).prop_map(str::to_owned),
        3 => "[a-zäöüß]{1,8}",
        1 => "\\PC{1,4}",
    ];
    let gap = proptest::sample::select(GAPS).prop_map(str::to_owned);
    proptest::collection::vec((piece, gap), 1..40)
        .prop_map(|parts| parts.into_iter().flat_map(|(p, g)| [p, g]).collect::<String>())
}

/// How an annotation picks its quote out of the text.
#[derive(Clone, Debug)]
enum QuoteFrom {
    /// A substring of one line of the source at these (scaled) positions, snapped to char
    /// boundaries.
    Slice(usize, f64, f64),
    /// `n` words of the source from the `i`-th, on one line, with what stands between them;
    /// the `i`-th counts among words that stand once in the source (when there are any), so
    /// that the quote often matches once.
    Words(usize, usize),
    /// Anything at all.
    Garbage(String),
}

#[derive(Clone, Debug)]
struct RawAnnotation {
    quote: QuoteFrom,
    /// Take this many chars right before/after the quote as prefix/suffix.
    prefix: Option<usize>,
    suffix: Option<usize>,
    occurrence: Option<usize>,
    note: Option<String>,
    gloss: Option<String>,
    term: bool,
    see: Option<String>,
}

fn annotation() -> impl Strategy<Value = RawAnnotation> {
    let quote = prop_oneof![
        2 => (0..64usize, 0.0..1.0f64, 0.0..1.0f64).prop_map(|(l, a, b)| QuoteFrom::Slice(l, a, b)),
        6 => (0..64usize, 1..4usize).prop_map(|(i, n)| QuoteFrom::Words(i, n)),
        1 => "\\PC{0,12}".prop_map(QuoteFrom::Garbage),
    ];
    let body = prop_oneof![
        3 => proptest::sample::select(PIECES).prop_map(str::to_owned),
        2 => "\\PC{1,20}",
        1 => Just("A note with [a link](doc:a#p-1) and *emphasis*.".to_owned()),
    ];
    (
        quote,
        proptest::option::weighted(0.15, 0..12usize),
        proptest::option::weighted(0.15, 0..12usize),
        proptest::option::weighted(0.1, 1..4usize),
        proptest::option::weighted(0.5, body.clone()),
        proptest::option::weighted(0.4, body),
        proptest::bool::weighted(0.2),
        proptest::bool::weighted(0.95),
        proptest::option::weighted(
            0.15,
            prop_oneof![
                Just("doc:a".to_owned()),
                Just("https://example.org/".to_owned()),
                Just("#p-1".to_owned()),
                Just("term:t".to_owned()),
            ],
        ),
    )
        .prop_map(|(quote, prefix, suffix, occurrence, note, gloss, term, says, see)| {
            // Mostly an annotation that says something; now and then one that does not.
            let silent = note.is_none() && gloss.is_none() && !term && see.is_none();
            let gloss = if silent && says {
                Some("a gloss".to_owned())
            } else {
                gloss
            };
            RawAnnotation {
                quote,
                prefix,
                suffix,
                occurrence,
                note,
                gloss,
                term,
                see,
            }
        })
}

/// The byte ranges of the whitespace-separated words of `s`.
fn words(s: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(st)) => {
                out.push(st..i);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push(st..s.len());
    }
    out
}

/// The char boundary at or before `i`.
fn floor(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The sidecar's annotations as YAML values, quotes cut out of `source`.
fn sidecar(source: &str, raw: &[RawAnnotation]) -> serde_yaml::Value {
    let words = words(source);
    let once: Vec<usize> = (0..words.len())
        .filter(|&i| {
            let w = &source[words[i].clone()];
            source.matches(w).count() == 1
        })
        .collect();
    let lines: Vec<std::ops::Range<usize>> = source
        .split_inclusive('\n')
        .scan(0, |at, l| {
            let r = *at..*at + l.trim_end_matches('\n').len();
            *at += l.len();
            Some(r)
        })
        .collect();
    let mut items = Vec::new();
    for a in raw {
        let (start, end) = match &a.quote {
            QuoteFrom::Slice(l, x, y) if !lines.is_empty() => {
                let line = &lines[l % lines.len()];
                let len = line.len() as f64;
                let (x, y) = (x.min(*y), x.max(*y));
                let start = floor(source, line.start + (x * len) as usize);
                let end = floor(source, line.start + (y * len) as usize + 1).min(line.end);
                (start, end.max(start))
            }
            QuoteFrom::Words(i, n) if !words.is_empty() => {
                let first = if once.is_empty() {
                    i % words.len()
                } else {
                    once[i % once.len()]
                };
                let mut last = first;
                while last + 1 < words.len()
                    && last + 1 - first < *n
                    && !source[words[last].end..words[last + 1].start].contains('\n')
                {
                    last += 1;
                }
                (words[first].start, words[last].end)
            }
            _ => (0, 0),
        };
        let quote = match &a.quote {
            QuoteFrom::Garbage(g) => g.clone(),
            _ => source[start..end].to_owned(),
        };
        let mut m = serde_yaml::Mapping::new();
        let mut put = |k: &str, v: serde_yaml::Value| {
            m.insert(k.into(), v);
        };
        put("quote", quote.into());
        if let Some(n) = a.prefix {
            let before = &source[..start];
            let cut: String = before
                .chars()
                .rev()
                .take(n)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            put("prefix", cut.into());
        }
        if let Some(n) = a.suffix {
            put("suffix", source[end..].chars().take(n).collect::<String>().into());
        }
        if let Some(o) = a.occurrence {
            put("occurrence", (o as u64).into());
        }
        if let Some(n) = &a.note {
            put("note", n.clone().into());
        }
        if let Some(g) = &a.gloss {
            put("gloss", g.clone().into());
        }
        if a.term {
            put("term", "t".into());
        }
        if let Some(s) = &a.see {
            put("see", s.clone().into());
        }
        items.push(serde_yaml::Value::Mapping(m));
    }
    let mut top = serde_yaml::Mapping::new();
    top.insert("annotations".into(), serde_yaml::Value::Sequence(items));
    serde_yaml::Value::Mapping(top)
}

#[derive(Clone, Debug)]
struct Case {
    markdown: bool,
    keep_lines: bool,
    text: String,
    annotations: Vec<RawAnnotation>,
    /// A glossary form taken from the text (a word index), if any.
    form: Option<usize>,
    /// Replace the sidecar by this text (YAML that may not parse).
    broken_sidecar: Option<String>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        proptest::bool::ANY,
        proptest::bool::weighted(0.2),
        text(),
        proptest::collection::vec(annotation(), 0..4),
        proptest::option::weighted(0.5, 0..64usize),
        proptest::option::weighted(0.05, "\\PC{0,40}"),
    )
        .prop_map(|(markdown, keep_lines, text, annotations, form, broken_sidecar)| Case {
            markdown,
            keep_lines,
            text,
            annotations,
            form,
            broken_sidecar,
        })
}

/// Quotation marks to their straight form and whitespace runs to one space, trimmed: equal
/// under this when equal under the matching rules.
fn fold(s: &str) -> String {
    let marks: String = s
        .chars()
        .map(|c| match c {
            '„' | '“' | '”' | '«' | '»' => '"',
            '‚' | '‘' | '’' => '\'',
            c => c,
        })
        .collect();
    marks.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Writes the case as a site, builds it with the library, and checks the outcome.
fn run(case: &Case) -> Result<(), TestCaseError> {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let root = tmp.path().join("site");
    let out = tmp.path().join("out");
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
        std::fs::write(path, text).expect("a file");
    };
    // A title first, so that the text under test is all body.
    let (doc, source) = if case.markdown {
        ("seeds/a.md", format!("# Title\n\n{}", case.text))
    } else {
        ("seeds/a.txt", format!("Title\n\n{}", case.text))
    };
    write(doc, &source);
    let mut side = sidecar(&case.text, &case.annotations);
    if case.keep_lines
        && !case.markdown
        && let serde_yaml::Value::Mapping(m) = &mut side
    {
        m.insert("lines".into(), "keep".into());
    }
    let side_text = match &case.broken_sidecar {
        Some(b) => b.clone(),
        None => serde_yaml::to_string(&side).expect("YAML"),
    };
    write("seeds/a.yaml", &side_text);
    let words: Vec<&str> = case.text.split_whitespace().collect();
    let form = case
        .form
        .filter(|_| !words.is_empty())
        .map(|i| words[i % words.len()].to_owned())
        .unwrap_or_else(|| "Hund".to_owned());
    let glossary = serde_yaml::to_string(&serde_yaml::Value::Sequence(vec![{
        let mut m = serde_yaml::Mapping::new();
        m.insert("id".into(), "t".into());
        m.insert("term".into(), form.clone().into());
        m.insert("definition".into(), "A term.".into());
        serde_yaml::Value::Mapping(m)
    }]))
    .expect("YAML");
    write("content/glossary.yaml", &glossary);

    let opts = glossa::BuildOptions {
        root: root.clone(),
        out: Some(out.clone()),
        ..Default::default()
    };
    let outcome = glossa::build(&opts).map_err(|e| TestCaseError::fail(format!("fatal: {e}")))?;
    for d in &outcome.diagnostics {
        prop_assert!(d.path.starts_with(&root), "a diagnostic outside the site: {d:?}");
    }
    if outcome.has_errors() {
        prop_assert!(!out.exists(), "a failed build wrote its output");
        return Ok(());
    }
    match case.broken_sidecar {
        // YAML that happened to parse without annotations (blank, a comment, a scalar…).
        Some(_) => check_output(&out, &serde_yaml::Value::Null, &[]),
        None => check_output(&out, &side, &case.annotations),
    }
}

fn check_output(out: &Path, side: &serde_yaml::Value, raw: &[RawAnnotation]) -> Result<(), TestCaseError> {
    for rel in files_under(out).keys().filter(|f| f.ends_with(".html")) {
        let page = Page::open(&out.join(rel));
        prop_assert!(
            page.html.errors.is_empty(),
            "{rel} does not parse cleanly: {:?}\n{}",
            page.html.errors,
            page.source
        );
        let mut seen = BTreeSet::new();
        for id in page.ids() {
            prop_assert!(seen.insert(id.clone()), "{rel}: the id `{id}` repeats");
        }
    }
    let page = Page::open(&out.join("a/index.html"));
    let paragraphs: Vec<String> = page
        .all("p[id^=\"p-\"]")
        .iter()
        .filter_map(|p| p.attr("id").map(str::to_owned))
        .collect();
    let expected: Vec<String> = (1..=paragraphs.len()).map(|n| format!("p-{n}")).collect();
    prop_assert_eq!(paragraphs, expected, "paragraph ids count from 1 in order");
    let quotes = side["annotations"].as_sequence().cloned().unwrap_or_default();
    for (i, (a, q)) in raw.iter().zip(&quotes).enumerate() {
        let id = format!("a-{}", i + 1);
        let found = page.all(&format!("[id=\"{id}\"]"));
        prop_assert_eq!(
            found.len(),
            1,
            "annotation {} should be one element\n{}",
            id,
            page.source
        );
        let el = found[0];
        prop_assert_eq!(el.attr("data-annotation"), Some(id.as_str()));
        let quote = q["quote"].as_str().unwrap_or_default();
        prop_assert_eq!(
            fold(&reading_text(&el)),
            fold(quote),
            "the text of {}\n{}",
            id,
            page.source
        );
        if a.gloss.is_some() {
            prop_assert!(el.value().has_class("gloss", scraper::CaseSensitivity::CaseSensitive));
        }
    }
    // Note references and notes pair up, numbered 1..n.
    let refs: BTreeMap<String, String> = page
        .all("[role=\"doc-noteref\"]")
        .iter()
        .filter_map(|r| Some((r.attr("href")?.to_owned(), r.attr("id").unwrap_or_default().to_owned())))
        .collect();
    let notes = page.all("[role=\"doc-footnote\"]");
    let numbers: Vec<String> = (1..=notes.len()).map(|n| format!("note-{n}")).collect();
    let ids: Vec<String> = notes
        .iter()
        .map(|n| n.attr("id").unwrap_or_default().to_owned())
        .collect();
    prop_assert_eq!(&ids, &numbers, "notes are numbered 1..n in order");
    let targets: Vec<String> = refs.keys().map(|h| h.trim_start_matches('#').to_owned()).collect();
    let mut sorted = numbers.clone();
    sorted.sort();
    prop_assert_eq!(targets, sorted, "every note has a reference and every reference a note");
    let with_notes = raw.iter().filter(|a| a.note.is_some()).count();
    prop_assert!(notes.len() >= with_notes, "a note went missing");
    Ok(())
}

/// 400 cases keep this module well under a minute in debug builds on two shared cores;
/// `PROPTEST_CASES=5000 cargo test --test testsuite props::` searches longer.
fn config() -> Config {
    let mut c = Config {
        failure_persistence: None,
        // Each step of shrinking is a whole build: keep it bounded.
        max_shrink_iters: 300,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_CASES").is_none() {
        c.cases = 400;
    }
    c
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_texts_and_sidecars_build_or_explain(case in case()) {
        run(&case)?;
    }
}

/// Found by the property test: an annotation with a note inside a linked glossary occurrence
/// put its note reference, a link, inside the occurrence's link.
#[test]
fn a_note_inside_a_linked_occurrence_does_not_nest_links() {
    let site = crate::support::Site::new(&[
        ("seeds/a.txt", "Title\n\nHund Hund Außenminister und mehr.\n"),
        (
            "seeds/a.yaml",
            "annotations:\n  - quote: Außenministe\n    note: inner\n  - quote: Hund\n    occurrence: 2\n    note: exact\n",
        ),
        (
            "content/glossary.yaml",
            "- id: t\n  term: Außenminister\n  definition: A minister.\n- id: h\n  term: Hund\n  definition: A dog.\n",
        ),
    ]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    assert!(page.html.errors.is_empty(), "{:?}\n{}", page.html.errors, page.source);
    assert!(page.all("a a").is_empty(), "links nest:\n{}", page.source);
    // The occurrence holding the note keeps its id, unlinked; the reference follows its quote.
    let occurrence = page.by_id("t-t-1");
    assert_eq!(occurrence.value().name(), "span");
    let a1 = page.by_id("a-1");
    let next = crate::support::next_node_element(&a1).expect("the note reference");
    assert_eq!(next.attr("role"), Some("doc-noteref"));
    // An annotation over a whole occurrence stands outside it: that occurrence stays a link.
    assert_eq!(page.by_id("t-h-1").value().name(), "a");
    assert_eq!(page.by_id("t-h-2").value().name(), "span"); // glossary.link: first
}
