//! `glossa add` (docs/authoring.md): one annotation appended to a document's sidecar, every
//! other byte of the file kept, written only when the site checks with it.

use crate::support::{Run, Site, glossa, text_of};

const TEXT: &str =
    "Titel\n\nDer Hund bellt. Ein Hund schläft.\n\nDie Katze: - *Stern* & !Bang #1 @home %50 `tick` 'q' \"dq\"\n";

/// A sidecar written by hand: a comment, blank lines between items, a block note, quoting.
const SIDECAR: &str = "# yaml-language-server: $schema=../schema/sidecar.schema.json\n# Notes on the text.\ntitle: Titel   # kept\n\nannotations:\n  - id: bellt\n    quote: bellt\n    note: |\n      Barks.\n\n  - quote: \"schläft\"\n    gloss: sleeps   # a comment\n\n# the end\n";

fn site_with(sidecar: &str) -> Site {
    Site::new(&[
        ("seeds/text.txt", TEXT),
        ("seeds/text.yaml", sidecar),
        (
            "content/glossary.yaml",
            "- id: katze\n  term: Katze\n  definition: A cat.\n",
        ),
    ])
}

fn add(site: &Site, args: &[&str]) -> Run {
    let root = site.root();
    let mut all = vec!["add", "seeds/text.txt", "--root", root.to_str().expect("a UTF-8 path")];
    all.extend_from_slice(args);
    glossa(&site.root(), &all)
}

fn sidecar(site: &Site) -> String {
    std::fs::read_to_string(site.root().join("seeds/text.yaml")).expect("the sidecar")
}

/// Asserts a refusal: exit 1, each needle in stderr, and the sidecar as it was.
fn assert_refused(site: &Site, run: &Run, before: &str, needles: &[&str]) {
    assert_eq!(run.code, 1, "{run}");
    for n in needles {
        assert!(run.stderr.contains(n), "stderr should contain {n:?}\n{run}");
    }
    assert!(run.stderr.contains("nothing was written"), "{run}");
    assert_eq!(sidecar(site), before, "the sidecar must be unchanged");
}

/// The annotations of a sidecar as serde_yaml reads them.
fn items(text: &str) -> Vec<serde_yaml::Mapping> {
    let text = text.trim_start_matches('\u{feff}');
    let v: serde_yaml::Value = serde_yaml::from_str(text).expect("the sidecar parses");
    v["annotations"]
        .as_sequence()
        .expect("a list")
        .iter()
        .map(|i| i.as_mapping().expect("a mapping").clone())
        .collect()
}

fn get<'m>(m: &'m serde_yaml::Mapping, key: &str) -> Option<&'m str> {
    m.get(key).and_then(|v| v.as_str())
}

#[test]
fn the_item_is_appended_in_the_files_style_and_every_other_byte_stays() {
    let site = site_with(SIDECAR);
    let run = add(&site, &["--quote", "Katze", "--term", "katze", "--gloss", "cat"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout
            .contains("added to seeds/text.yaml: annotation `a-3` at line 14"),
        "{run}"
    );
    let expected = SIDECAR.replace(
        "    gloss: sleeps   # a comment\n",
        "    gloss: sleeps   # a comment\n\n  - quote: \"Katze\"\n    term: \"katze\"\n    gloss: \"cat\"\n",
    );
    // One item is double-quoted and one plain: a tie, written plain.
    let expected = expected
        .replace("\"Katze\"", "Katze")
        .replace("\"katze\"", "katze")
        .replace("\"cat\"", "cat");
    assert_eq!(sidecar(&site), expected);
    site.build_ok(&[]);
    let page = site.page("text/index.html");
    assert_eq!(text_of(&page.one("#a-3 .gloss-text")), "cat");
}

#[test]
fn strings_yaml_would_misread_are_quoted_so_that_they_read_back_exactly() {
    let site = site_with(SIDECAR);
    let quote = "- *Stern* & !Bang #1 @home %50 `tick` 'q' \"dq\"";
    let cases: &[(&str, &str)] = &[
        ("gloss", "key: value # not a comment"),
        ("gloss", "- a leading dash"),
        ("gloss", "  leading and trailing spaces  "),
        ("gloss", "*star &amp !bang %pct @at `tick`"),
        ("gloss", "'single' and \"double\" quotes"),
        ("gloss", "tab\there"),
        ("gloss", "true"),
        ("gloss", "Gespräch über „Frieden“ — 東京 🎉"),
        ("note", "First line: *emphasis*\n\n- a list\n- # not a comment\n"),
        ("note", "  indented first line\nsecond"),
        ("note", "ends with two breaks\n\n"),
        ("note", "line\r\nwith a CR"),
    ];
    let mut expected = items(SIDECAR).len();
    for (i, (key, value)) in cases.iter().enumerate() {
        let flag = format!("--{key}");
        let run = add(&site, &["--quote", quote, &flag, value]);
        assert_eq!(run.code, 0, "case {i}: {run}");
        expected += 1;
        let all = items(&sidecar(&site));
        assert_eq!(all.len(), expected, "case {i}");
        let new = all.last().expect("the new item");
        assert_eq!(get(new, "quote"), Some(quote), "case {i}");
        assert_eq!(get(new, key), Some(*value), "case {i}:\n{}", sidecar(&site));
    }
    let after = sidecar(&site);
    let (head, tail) = SIDECAR.split_at(SIDECAR.len() - "\n# the end\n".len());
    assert!(
        after.starts_with(head) && after.ends_with(tail),
        "every old byte stays:\n{after}"
    );
    let run = glossa(&site.root(), &["check", "--root", site.root().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
}

#[test]
fn an_ambiguous_quote_is_refused_with_its_pickers_and_a_picker_chooses() {
    let site = site_with(SIDECAR);
    let run = add(&site, &["--quote", "Hund", "--gloss", "dog"]);
    assert_refused(
        &site,
        &run,
        SIDECAR,
        &[
            "quote matches 2 times (at line 3, line 3); ambiguity is never resolved silently",
            "prefix: \"Der \"",
            "prefix: \"Ein \"",
            "are the new annotation as it would have been written",
        ],
    );
    let run = add(&site, &["--quote", "Hund", "--prefix", "Ein ", "--gloss", "dog"]);
    assert_eq!(run.code, 0, "{run}");
    let run = add(
        &site,
        &[
            "--quote",
            "Hund",
            "--occurrence",
            "1",
            "--gloss",
            "dog",
            "--id",
            "first",
        ],
    );
    assert_eq!(run.code, 0, "{run}");
    let all = items(&sidecar(&site));
    assert_eq!(get(&all[2], "prefix"), Some("Ein "));
    assert_eq!(all[3].get("occurrence").and_then(|v| v.as_u64()), Some(1));
    site.build_ok(&[]);
}

#[test]
fn a_quote_not_found_is_refused_with_the_closest_passage() {
    let site = site_with(SIDECAR);
    let run = add(&site, &["--quote", "Der Hund bellte", "--gloss", "x"]);
    assert_refused(
        &site,
        &run,
        SIDECAR,
        &[
            "error: quote not found in the document: \"Der Hund bellte\"",
            "(line 3 of the document",
            "«Der Hund bellt",
        ],
    );
}

#[test]
fn an_id_that_clashes_or_an_unknown_term_is_refused() {
    let site = site_with(SIDECAR);
    let run = add(&site, &["--quote", "Katze", "--gloss", "x", "--id", "bellt"]);
    assert_refused(&site, &run, SIDECAR, &["duplicate annotation id `bellt`"]);
    let run = add(&site, &["--quote", "Katze", "--gloss", "x", "--id", "p-1"]);
    assert_refused(
        &site,
        &run,
        SIDECAR,
        &["the annotation id `p-1` clashes with an id of the page"],
    );
    let run = add(&site, &["--quote", "Katze", "--gloss", "x", "--id", "Bad_Id"]);
    assert_refused(&site, &run, SIDECAR, &["annotation id `Bad_Id` is not `[a-z0-9-]+`"]);
    let run = add(&site, &["--quote", "Katze", "--term", "katz"]);
    assert_refused(
        &site,
        &run,
        SIDECAR,
        &["unknown glossary id `katz`", "did you mean `katze`?"],
    );
    let run = add(&site, &["--quote", "Katze", "--see", "doc:nowhere"]);
    assert_refused(&site, &run, SIDECAR, &["no document has the slug `nowhere`"]);
}

#[test]
fn a_sidecar_that_does_not_parse_is_left_alone() {
    let broken = "annotations:\n  - quote: [bellt\n    gloss: x\n";
    let site = site_with(broken);
    let run = add(&site, &["--quote", "Katze", "--gloss", "cat"]);
    assert_refused(&site, &run, broken, &["seeds/text.yaml:"]);
    // The same error as `check` gives.
    let check = glossa(&site.root(), &["check", "--root", site.root().to_str().unwrap()]);
    let first = check.errors()[0];
    assert!(run.stderr.contains(first), "{run}\n{check}");
}

#[test]
fn an_error_elsewhere_in_the_site_refuses_too() {
    let site = site_with(SIDECAR);
    site.write("seeds/other.txt", "Anders\n\nText.\n");
    site.write("seeds/other.yaml", "annotations:\n  - quote: fehlt\n    gloss: x\n");
    let run = add(&site, &["--quote", "Katze", "--gloss", "cat"]);
    assert_refused(&site, &run, SIDECAR, &["seeds/other.yaml:2:12: error: quote not found"]);
}

#[test]
fn crlf_and_a_byte_order_mark_stay() {
    let crlf = format!("\u{feff}{}", SIDECAR.replace('\n', "\r\n"));
    let site = site_with(&crlf);
    let run = add(&site, &["--quote", "Katze", "--note", "two\nlines\n"]);
    assert_eq!(run.code, 0, "{run}");
    let after = std::fs::read(site.root().join("seeds/text.yaml")).unwrap();
    let after = String::from_utf8(after).unwrap();
    let expected = crlf.replace(
        "    gloss: sleeps   # a comment\r\n",
        "    gloss: sleeps   # a comment\r\n\r\n  - quote: Katze\r\n    note: |\r\n      two\r\n      lines\r\n",
    );
    assert_eq!(after, expected);
    site.build_ok(&[]);
}

#[test]
fn a_new_sidecar_is_created_with_the_schema_line() {
    let site = Site::new(&[("seeds/essays/a.md", "# A\n\nDer Hund bellt.\n")]);
    let root = site.root();
    let run = glossa(
        &root,
        &[
            "add",
            "seeds/essays/a.md",
            "--quote",
            "Hund",
            "--gloss",
            "dog",
            "--root",
            root.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout
            .contains("created seeds/essays/a.yaml: annotation `a-1` at line 3"),
        "{run}"
    );
    assert_eq!(
        std::fs::read_to_string(root.join("seeds/essays/a.yaml")).unwrap(),
        "# yaml-language-server: $schema=../../schema/sidecar.schema.json\nannotations:\n  - quote: Hund\n    gloss: dog\n"
    );
    site.build_ok(&[]);
}

#[test]
fn empty_missing_and_flow_lists() {
    for (before, after) in [
        (
            "title: T\n",
            "title: T\nannotations:\n  - quote: Katze\n    gloss: cat\n",
        ),
        ("annotations: []\n", "annotations:\n  - quote: Katze\n    gloss: cat\n"),
        ("annotations:\n", "annotations:\n  - quote: Katze\n    gloss: cat\n"),
        (
            "annotations: [{quote: bellt, gloss: barks}]\n",
            "annotations: [{quote: bellt, gloss: barks}, {quote: Katze, gloss: cat}]\n",
        ),
        (
            "annotations:\n- {quote: bellt, gloss: barks}\n",
            "annotations:\n- {quote: bellt, gloss: barks}\n- {quote: Katze, gloss: cat}\n",
        ),
    ] {
        let site = site_with(before);
        let run = add(&site, &["--quote", "Katze", "--gloss", "cat"]);
        assert_eq!(run.code, 0, "{run}");
        assert_eq!(sidecar(&site), after);
    }
}

#[test]
fn a_path_that_is_no_document_is_a_usage_error() {
    let site = site_with(SIDECAR);
    let root = site.root();
    for doc in ["seeds/none.txt", "seeds/text.yaml", "content/glossary.yaml"] {
        let run = glossa(
            &root,
            &[
                "add",
                doc,
                "--quote",
                "x",
                "--gloss",
                "y",
                "--root",
                root.to_str().unwrap(),
            ],
        );
        assert_eq!(run.code, 2, "{run}");
        assert!(run.stderr.contains("is not a document of the site"), "{run}");
    }
    let run = glossa(&root, &["add", "seeds/text.txt", "--quote", "Katze"]);
    assert_eq!(run.code, 2, "nothing to say: {run}");
    assert_eq!(sidecar(&site), SIDECAR);
}

#[test]
fn a_draft_is_checked_too_and_warnings_about_the_item_are_shown() {
    let site = Site::new(&[
        ("seeds/text.txt", "Titel\n\nEr sagte „ja“ und ging.\n"),
        ("seeds/text.yaml", "draft: true\n"),
    ]);
    let root = site.root();
    let add = |args: &[&str]| {
        let mut all = vec!["add", "seeds/text.txt", "--root", root.to_str().unwrap()];
        all.extend_from_slice(args);
        glossa(&root, &all)
    };
    let run = add(&["--quote", "nein", "--gloss", "no"]);
    assert_refused(
        &site,
        &run,
        "draft: true\n",
        &["quote not found in the document: \"nein\""],
    );
    let run = add(&["--quote", "\"ja\"  und", "--gloss", "yes"]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(run.warnings().len(), 1, "{run}");
    assert!(run.stderr.contains("quote matched only after folding"), "{run}");
    assert_eq!(
        sidecar(&site),
        "draft: true\nannotations:\n  - quote: \"\\\"ja\\\"  und\"\n    gloss: yes\n"
    );
}
