//! `--message-format human|json|github` and the codes of diagnostics (docs/diagnostics.md):
//! JSON lines for editors and scripts, GitHub Actions workflow commands for pull requests,
//! and every code listed in the docs.

use crate::support::{Run, Site, glossa};
use serde_json::Value;
use std::collections::BTreeSet;

const TEXT: &str = "Titel\n\nDer Nebelstreif zieht über das Feld.\n";

/// `glossa COMMAND --root ROOT --message-format FORMAT ARGS…`, run in the site's folder.
fn run(site: &Site, command: &str, format: &str, args: &[&str]) -> Run {
    let root = site.root();
    let mut all = vec![
        command,
        "--root",
        root.to_str().expect("a UTF-8 path"),
        "--message-format",
        format,
    ];
    all.extend_from_slice(args);
    glossa(&root, &all)
}

/// Every line of standard output as JSON: with `json`, standard output holds nothing else.
fn json_lines(run: &Run) -> Vec<Value> {
    run.stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}\n{run}")))
        .collect()
}

/// The one JSON diagnostic with `code`, checked to have exactly the documented fields.
fn with_code(lines: &[Value], code: &str) -> Value {
    let found: Vec<&Value> = lines.iter().filter(|v| v["code"] == code).collect();
    assert_eq!(found.len(), 1, "one {code} in {lines:#?}");
    let keys: BTreeSet<&str> = found[0]
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    let fields = [
        "severity",
        "code",
        "path",
        "line",
        "column",
        "end_column",
        "message",
        "hint",
    ];
    assert_eq!(keys, BTreeSet::from(fields), "the fields");
    found[0].clone()
}

#[test]
fn json_gives_a_quote_not_found_with_its_position() {
    let site = Site::new(&[
        ("seeds/a.txt", TEXT),
        (
            "seeds/a.yaml",
            "annotations:\n  - quote: Nebelstreiff\n    gloss: mist\n",
        ),
    ]);
    let run = run(&site, "check", "json", &[]);
    assert_eq!(run.code, 1, "{run}");
    let d = with_code(&json_lines(&run), "quote-not-found");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["path"], "seeds/a.yaml");
    assert_eq!((d["line"].as_u64(), d["column"].as_u64()), (Some(2), Some(12)));
    assert_eq!(d["end_column"].as_u64(), Some(12 + "Nebelstreiff".len() as u64));
    assert_eq!(d["message"], "quote not found in the document: \"Nebelstreiff\"");
    assert!(d["hint"].as_str().is_some_and(|h| h.contains("Nebelstreif")), "{d}");
    // The summary is for people, on standard error; standard output is JSON only.
    assert!(run.stderr.contains("1 error, 0 warnings"), "{run}");
    assert!(!run.stderr.contains("quote not found"), "{run}");
}

#[test]
fn json_gives_yaml_syntax_and_unknown_keys_their_codes() {
    let site = Site::new(&[
        ("seeds/a.txt", TEXT),
        (
            "seeds/a.yaml",
            "annotations:\n  - quote: Nebelstreif\n    qoute: x\n    gloss: mist\n",
        ),
        ("seeds/b.txt", TEXT),
        ("seeds/b.yaml", "annotations: [\n  - quote: \"x\n"),
    ]);
    let run = run(&site, "check", "json", &[]);
    assert_eq!(run.code, 1, "{run}");
    let lines = json_lines(&run);
    let unknown = with_code(&lines, "unknown-key");
    assert_eq!(unknown["path"], "seeds/a.yaml");
    assert_eq!(
        (unknown["line"].as_u64(), unknown["column"].as_u64()),
        (Some(3), Some(5))
    );
    assert_eq!(unknown["hint"], "did you mean `quote`?");
    let syntax = with_code(&lines, "yaml-syntax");
    assert_eq!(syntax["path"], "seeds/b.yaml");
    assert!(syntax["line"].as_u64().is_some(), "{syntax}");
}

#[test]
fn json_gives_a_site_level_error_with_no_line_as_null() {
    let site = Site::new(&[
        ("seeds/a.txt", TEXT),
        ("seeds/lonely.yaml", "title: x\n"),
        (
            "content/glossary.yaml",
            "- id: feld\n  term: Feld\n  definition: A field.\n",
        ),
    ]);
    let run = run(&site, "build", "json", &[]);
    assert_eq!(run.code, 1, "{run}");
    let d = with_code(&json_lines(&run), "sidecar-without-document");
    assert_eq!(d["path"], "seeds/lonely.yaml");
    for key in ["line", "column", "end_column"] {
        assert!(d[key].is_null(), "{key} is null: {d}");
    }
    assert_eq!(d["message"], "a sidecar with no document");
}

#[test]
fn json_build_keeps_standard_output_for_json_and_says_the_summary_on_stderr() {
    let site = Site::new(&[("seeds/a.txt", TEXT)]);
    let run = run(&site, "build", "json", &[]);
    assert_eq!(run.code, 0, "{run}");
    let d = with_code(&json_lines(&run), "no-base-url");
    assert_eq!(d["severity"], "warning");
    assert_eq!(d["path"], "content/site.yaml");
    assert!(d["line"].is_null(), "{d}");
    assert!(run.stderr.contains("built 1 document"), "{run}");
}

#[test]
fn add_prints_the_check_it_failed_as_json() {
    let site = Site::new(&[("seeds/a.txt", TEXT)]);
    let root = site.root();
    let args = [
        "add",
        "seeds/a.txt",
        "--quote",
        "Feld",
        "--term",
        "feld",
        "--root",
        root.to_str().expect("a UTF-8 path"),
        "--message-format",
        "json",
    ];
    let run = glossa(&root, &args);
    assert_eq!(run.code, 1, "{run}");
    let d = with_code(&json_lines(&run), "unknown-term");
    assert_eq!(d["path"], "seeds/a.yaml");
    assert!(run.stderr.contains("nothing was written"), "{run}");
    assert!(!root.join("seeds/a.yaml").exists(), "nothing written");
}

/// Reads back a workflow command's escaped text, as GitHub does.
fn unescape(text: &str) -> String {
    text.replace("%0A", "\n")
        .replace("%0D", "\r")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// A workflow command: `::COMMAND PROPERTIES::DATA`, its properties unescaped.
fn workflow_command(line: &str) -> (String, Vec<(String, String)>, String) {
    let rest = line
        .strip_prefix("::")
        .unwrap_or_else(|| panic!("a workflow command: {line}"));
    let (head, data) = rest
        .split_once("::")
        .unwrap_or_else(|| panic!("`::` before the message: {line}"));
    let (command, properties) = head.split_once(' ').unwrap_or((head, ""));
    let properties = properties
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or_else(|| panic!("key=value: {p} in {line}"));
            assert!(!v.contains(':'), "an unescaped `:` in {p}");
            (k.to_owned(), unescape(v))
        })
        .collect();
    assert!(!data.contains(['\n', '\r']), "one line: {line}");
    (command.to_owned(), properties, unescape(data))
}

#[test]
fn github_lines_are_workflow_commands_with_special_characters_escaped() {
    // A quote with a comma, a colon, a percent sign and a line break, in a file whose name has
    // a comma and a colon too.
    let quote = "Feld, ja: 100%\nsicher";
    let sidecar = format!(
        "annotations:\n  - quote: {}\n    gloss: mist\n",
        serde_json::to_string(quote).unwrap()
    );
    let site = Site::new(&[("seeds/odd, name: 1.txt", TEXT), ("seeds/odd, name: 1.yaml", &sidecar)]);
    let run = run(&site, "check", "github", &[]);
    assert_eq!(run.code, 1, "{run}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{run}");
    assert!(
        lines[0].contains("odd%2C name%3A 1.yaml") && lines[0].contains("100%25%0Asicher"),
        "{run}"
    );
    let (command, properties, data) = workflow_command(lines[0]);
    assert_eq!(command, "error");
    let get = |key: &str| properties.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    assert_eq!(get("file"), Some("seeds/odd, name: 1.yaml"));
    assert_eq!((get("line"), get("col")), (Some("2"), Some("12")));
    assert!(get("endColumn").is_some(), "{run}");
    assert_eq!(get("title"), Some("quote-not-found"));
    assert_eq!(
        data.lines().next(),
        Some("quote not found in the document: \"Feld, ja: 100%")
    );
    assert!(data.contains("\nsicher\""), "the message whole: {data}");
    // The human form, on standard error, is not printed as well.
    assert!(run.errors().is_empty(), "{run}");
}

#[test]
fn github_marks_warnings_and_names_no_position_it_does_not_know() {
    let site = Site::new(&[("seeds/a.txt", TEXT), ("seeds/notes.yml", "title: x\n")]);
    let run = run(&site, "build", "github", &[]);
    assert_eq!(run.code, 0, "{run}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines.iter().all(|l| l.starts_with("::warning ")), "{run}");
    let yml = lines
        .iter()
        .find(|l| l.contains("title=yml-sidecar"))
        .unwrap_or_else(|| panic!("a yml-sidecar warning\n{run}"));
    let (_, properties, data) = workflow_command(yml);
    let keys: Vec<&str> = properties.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["file", "title"], "{yml}");
    assert_eq!(data, "ignored: sidecars end in `.yaml`\nhint: rename it to .yaml");
}

#[test]
fn human_is_the_default_byte_for_byte() {
    let site = Site::new(&[
        ("seeds/a.txt", TEXT),
        (
            "seeds/a.yaml",
            "annotations:\n  - quote: Nebelstreiff\n    gloss: mist\n",
        ),
    ]);
    let root = site.root();
    let plain = glossa(&root, &["check", "--root", root.to_str().unwrap()]);
    let human = run(&site, "check", "human", &[]);
    assert_eq!(
        (plain.code, &plain.stdout, &plain.stderr),
        (human.code, &human.stdout, &human.stderr)
    );
    assert!(
        human.stderr.starts_with("seeds/a.yaml:2:12: error: quote not found"),
        "{human}"
    );
}

/// The codes docs/diagnostics.md lists, each as a `### \`code\`` heading.
fn documented_codes() -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md");
    let text = std::fs::read_to_string(path).expect("docs/diagnostics.md");
    text.lines()
        .filter_map(|l| l.strip_prefix("### `"))
        .filter_map(|l| l.split_once('`').map(|(code, _)| code.to_owned()))
        .collect()
}

#[test]
fn every_code_is_documented_and_every_documented_code_exists() {
    let documented = documented_codes();
    let known: Vec<String> = glossa::diagnostics::Code::ALL
        .iter()
        .map(|c| c.as_str().to_owned())
        .collect();
    let (documented_set, known_set): (BTreeSet<_>, BTreeSet<_>) = (documented.iter().collect(), known.iter().collect());
    assert_eq!(documented.len(), documented_set.len(), "a code documented twice");
    let missing: Vec<_> = known_set.difference(&documented_set).collect();
    let stale: Vec<_> = documented_set.difference(&known_set).collect();
    assert!(
        missing.is_empty() && stale.is_empty(),
        "docs/diagnostics.md lacks {missing:?} and lists unknown codes {stale:?}"
    );
}
