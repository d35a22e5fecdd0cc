//! `glossa import` (docs/import.md): W3C Web Annotations (glossa's own annotations.jsonld,
//! Recogito's export) and Hypothesis search results, written into sidecars through `glossa
//! add`'s code; orphans reported, never placed.

use crate::support::{Site, glossa};
use serde_yaml::Value;

const SIDECAR: &str = "annotations:
  - quote: bellt
    note: \"A *note*\\n\\nwith two paragraphs: #1\"
  - quote: Hund
    prefix: \"Ein \"
    gloss: dog
    see: doc:b#p-1
  - id: mine
    quote: Hund
    occurrence: 3
    term: hund
    see: \"#p-1\"
  - quote: laut
    see: page:about
  - quote: schläft
    gloss: \"sleeps: 'soundly'\"
    see: https://de.wikipedia.org/wiki/Schlaf
";

fn site() -> Site {
    Site::new(&[
        ("content/site.yaml", "title: T\nbase_url: https://x.org/r/\n"),
        (
            "content/glossary.yaml",
            "- id: hund\n  term: Hund\n  definition: Ein Tier.\n",
        ),
        ("content/pages/about.md", "# About\n\nHi.\n"),
        (
            "seeds/a.md",
            "# A\n\nDer „Hund“ bellt laut. Ein Hund schläft: hier.\n\nNoch ein Hund.\n",
        ),
        ("seeds/a.yaml", SIDECAR),
        ("seeds/b.txt", "B\n\nKein Hund hier.\n"),
        ("seeds/b.yaml", "annotations:\n  - quote: hier\n    note: Here.\n"),
    ])
}

fn import(site: &Site, args: &[&str]) -> crate::support::Run {
    let root = site.root();
    let mut all = vec!["import", "--root", root.to_str().unwrap()];
    all.extend_from_slice(args);
    glossa(&root, &all)
}

/// What each item of a sidecar says, keyed by what the round trip keeps: the quote, the note,
/// gloss, term and see, and an id that is not the default of its place.
fn items(yaml: &str) -> Vec<Vec<(String, String)>> {
    let doc: Value = serde_yaml::from_str(yaml).unwrap();
    let list = doc["annotations"].as_sequence().cloned().unwrap_or_default();
    list.iter()
        .enumerate()
        .map(|(i, item)| {
            let mut kept: Vec<(String, String)> = ["id", "quote", "note", "gloss", "term", "see"]
                .iter()
                .filter_map(|k| {
                    item.get(*k)
                        .and_then(Value::as_str)
                        .map(|v| (k.to_string(), v.to_owned()))
                })
                .filter(|(k, v)| !(k == "id" && *v == format!("a-{}", i + 1)))
                .collect();
            kept.sort();
            kept
        })
        .collect()
}

fn read(site: &Site, rel: &str) -> String {
    std::fs::read_to_string(site.root().join(rel)).unwrap()
}

#[test]
fn the_round_trip_gives_back_every_note_gloss_term_and_see_link() {
    let site = site();
    site.build_ok(&[]);
    let jsonld = read(&site, "public/annotations.jsonld");
    let export = site.beside("annotations.jsonld");
    std::fs::write(&export, &jsonld).unwrap();
    site.write("seeds/a.yaml", "annotations: []\n");
    std::fs::remove_file(site.root().join("seeds/b.yaml")).unwrap();

    let run = import(&site, &[export.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("imported 6 annotations into 2 sidecars"), "{run}");
    assert_eq!(items(&read(&site, "seeds/a.yaml")), items(SIDECAR));
    let b = read(&site, "seeds/b.yaml");
    assert!(
        b.starts_with("# yaml-language-server: $schema=../schema/sidecar.schema.json\n"),
        "{b}"
    );
    assert_eq!(items(&b), items("annotations:\n  - quote: hier\n    note: Here.\n"));

    site.build_ok(&[]);
    assert_eq!(read(&site, "public/annotations.jsonld"), jsonld);
}

#[test]
fn a_hypothesis_search_result_becomes_notes_and_its_tags_are_left_out() {
    let site = site();
    site.write("seeds/a.yaml", "title: A\n");
    let file = site.beside("hypothesis.json");
    std::fs::write(
        &file,
        r#"{"total": 2, "rows": [
          {"id": "h1", "uri": "http://localhost:1111/a/", "text": "Which dog?", "tags": ["animals"],
           "target": [{"source": "http://localhost:1111/a/", "selector": [
             {"type": "RangeSelector", "startContainer": "/main[1]/p[1]", "startOffset": 0, "endContainer": "/main[1]/p[1]", "endOffset": 4},
             {"type": "TextPositionSelector", "start": 40, "end": 44},
             {"type": "TextQuoteSelector", "exact": "Hund", "prefix": "laut. Ein ", "suffix": " schläft: hier"}]}]},
          {"id": "h2", "uri": "https://x.org/r/a/index.html", "text": "", "tags": ["x"],
           "target": [{"source": "https://x.org/r/a/index.html", "selector": [{"type": "TextQuoteSelector", "exact": "laut"}]}]}
        ]}"#,
    )
    .unwrap();
    let run = import(&site, &[file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    assert_eq!(run.warnings().len(), 3, "the tags of both, and h2 says nothing: {run}");
    assert!(run.stderr.contains("(animals)"), "{run}");
    assert_eq!(
        read(&site, "seeds/a.yaml"),
        "title: A\nannotations:\n  - quote: Hund\n    suffix: \" \"\n    note: Which dog?\n",
        "the context picked the second of three; glossa writes its own shortest picker"
    );
}

#[test]
fn a_recogito_export_is_read_by_its_bodies_purposes() {
    let site = site();
    site.write("seeds/a.yaml", "annotations: []\n");
    let file = site.beside("recogito.jsonld");
    std::fs::write(
        &file,
        r#"[{"@context": "http://www.w3.org/ns/anno.jsonld", "id": "https://recogito.example/annotation/1", "type": "Annotation",
            "body": [{"type": "TextualBody", "purpose": "commenting", "value": "A comment."},
                     {"type": "TextualBody", "purpose": "tagging", "value": "place"},
                     {"type": "SpecificResource", "purpose": "identifying", "source": "https://x.org/r/glossary/hund/index.html"}],
            "target": {"source": "https://x.org/r/a/", "selector": [
              {"type": "TextQuoteSelector", "exact": "Hund", "prefix": "Noch ein "},
              {"type": "TextPositionSelector", "start": 62, "end": 66}]}},
           {"type": "Annotation", "body": {"type": "TextualBody", "purpose": "describing", "value": "barks"},
            "target": {"source": "https://x.org/r/a/", "selector": {"type": "TextQuoteSelector", "exact": "bellt"}}}]"#,
    )
    .unwrap();
    let run = import(&site, &[file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stderr.contains("the tag \"place\" is left out"), "{run}");
    assert_eq!(
        items(&read(&site, "seeds/a.yaml")),
        items(
            "annotations:\n  - quote: Hund\n    term: hund\n    note: A comment.\n  - quote: bellt\n    gloss: barks\n"
        )
    );
}

fn annotation(source: &str, exact: &str, prefix: &str) -> String {
    format!(
        r#"{{"type":"Annotation","body":{{"purpose":"describing","type":"TextualBody","value":"x"}},
           "target":{{"source":"{source}","selector":{{"type":"TextQuoteSelector","exact":"{exact}","prefix":"{prefix}"}}}}}}"#
    )
}

#[test]
fn orphaned_and_ambiguous_quotes_are_errors_and_nothing_of_them_is_written() {
    let site = site();
    site.write("seeds/a.yaml", "annotations: []\n");
    let file = site.beside("some.jsonld");
    let list = [
        annotation("https://x.org/r/a/", "Hunt bellt", ""),
        annotation("https://x.org/r/a/", "Hund", "zzz"),
        annotation("https://x.org/r/nowhere/", "Hund", ""),
        annotation("https://x.org/r/a/", "laut", ""),
    ];
    std::fs::write(&file, format!("[{}]", list.join(","))).unwrap();
    let run = import(&site, &[file.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{run}");
    let messages = run.error_messages();
    assert_eq!(messages.len(), 3, "{run}");
    assert!(messages[0].contains("no document of this site"), "{run}");
    assert!(
        messages[1].contains("orphaned, its quote is not in seeds/a.md"),
        "{run}"
    );
    assert!(
        run.stderr.contains("reads:\n") && run.stderr.contains("Hund"),
        "the closest passage: {run}"
    );
    assert!(messages[2].contains("matches 3 times"), "{run}");
    assert_eq!(
        read(&site, "seeds/a.yaml"),
        "annotations:\n  - quote: laut\n    gloss: x\n",
        "the placed one is written, the orphans not"
    );
}

#[test]
fn doc_puts_every_annotation_into_one_document() {
    let site = site();
    let file = site.beside("elsewhere.jsonld");
    std::fs::write(&file, annotation("https://elsewhere.org/page", "hier", "")).unwrap();
    let run = import(&site, &[file.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{run}");
    let run = import(&site, &[file.to_str().unwrap(), "--doc", "seeds/b.txt"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(read(&site, "seeds/b.yaml").ends_with("  - quote: hier\n    gloss: x\n"));
    let run = import(&site, &[file.to_str().unwrap(), "--doc", "seeds/none.txt"]);
    assert_eq!(run.code, 2, "{run}");
}

#[test]
fn a_dry_run_prints_the_items_and_writes_nothing() {
    let site = site();
    site.write("seeds/a.yaml", "annotations: []\n");
    let file = site.beside("one.jsonld");
    std::fs::write(&file, annotation("https://x.org/r/a/", "laut", "")).unwrap();
    let run = import(&site, &[file.to_str().unwrap(), "--dry-run"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout
            .contains("would add to seeds/a.yaml: 1 annotation\n  - quote: laut\n    gloss: x\n"),
        "{run}"
    );
    assert_eq!(read(&site, "seeds/a.yaml"), "annotations: []\n");
}

#[test]
fn an_item_the_site_does_not_check_with_is_not_written() {
    let site = site();
    site.write("seeds/a.yaml", "annotations: []\n");
    let file = site.beside("term.jsonld");
    std::fs::write(
        &file,
        r##"{"type":"Annotation","body":{"purpose":"linking","id":"https://x.org/r/a/index.html#nowhere"},
            "target":{"source":"https://x.org/r/a/","selector":{"type":"TextQuoteSelector","exact":"laut"}}}"##,
    )
    .unwrap();
    let run = import(&site, &[file.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{run}");
    assert!(run.stderr.contains("as they would have been written"), "{run}");
    assert_eq!(read(&site, "seeds/a.yaml"), "annotations: []\n");
}

#[test]
fn bad_json_is_an_error_at_its_line_and_column_and_no_json_panics() {
    let site = site();
    let file = site.beside("bad.json");
    std::fs::write(&file, "{\"rows\": [\n  {\"uri\": \"a\",}\n]}").unwrap();
    let run = import(&site, &[file.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{run}");
    assert!(
        run.stderr.contains("bad.json:2:15: error: this file is not JSON"),
        "{run}"
    );
    for json in [
        "",
        "null",
        "[]",
        "{}",
        "7",
        "\"x\"",
        "[[[[[[]]]]]]",
        "{\"rows\":{}}",
        "{\"rows\":[null,1,[]]}",
        "{\"first\":{\"items\":[{\"target\":{\"selector\":[null,{\"type\":\"TextQuoteSelector\",\"exact\":\"\"}]},\"body\":7}]}}",
        "{\"type\":\"Annotation\",\"target\":{\"selector\":{\"type\":\"TextPositionSelector\",\"start\":1e99}},\"body\":[]}",
        "\u{feff}[]",
        "[1,2",
        &"[".repeat(10_000),
    ] {
        std::fs::write(&file, json).unwrap();
        let run = import(&site, &[file.to_str().unwrap()]);
        assert!(run.code == 0 || run.code == 1, "{run}");
        assert!(!run.stderr.contains("panicked"), "{run}");
    }
    assert_eq!(read(&site, "seeds/a.yaml"), SIDECAR);
}

#[test]
fn importing_a_file_again_writes_nothing_and_says_the_annotations_are_already_there() {
    let site = site();
    site.build_ok(&[]);
    let export = site.beside("annotations.jsonld");
    std::fs::write(&export, read(&site, "public/annotations.jsonld")).unwrap();
    site.write("seeds/a.yaml", "annotations: []\n");
    std::fs::remove_file(site.root().join("seeds/b.yaml")).unwrap();
    let run = import(&site, &[export.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    let (a, b) = (read(&site, "seeds/a.yaml"), read(&site, "seeds/b.yaml"));

    for dry in [true, false] {
        let mut args = vec![export.to_str().unwrap()];
        if dry {
            args.push("--dry-run");
        }
        let run = import(&site, &args);
        assert_eq!(run.code, 0, "{run}");
        let verb = if dry { "would import" } else { "imported" };
        assert!(
            run.stdout.contains(&format!(
                "{verb} 0 annotations into 0 sidecars; 6 already in the sidecars"
            )),
            "{run}"
        );
        assert!(
            run.stderr.contains(
                "note: annotation 1 (https://x.org/r/a/index.html#a-1): already in seeds/a.yaml as item `a-1` (the same passage, and the same note, gloss, term and see); not imported again"
            ),
            "{run}"
        );
        assert_eq!(run.stderr.matches("not imported again").count(), 6, "{run}");
        assert!(run.errors().is_empty() && run.warnings().is_empty(), "{run}");
        assert_eq!(
            (read(&site, "seeds/a.yaml"), read(&site, "seeds/b.yaml")),
            (a.clone(), b.clone())
        );
    }
}

#[test]
fn an_item_is_already_there_when_its_selector_is_written_otherwise_but_picks_the_same_passage() {
    let site = site();
    site.build_ok(&[]);
    let export = site.beside("annotations.jsonld");
    std::fs::write(&export, read(&site, "public/annotations.jsonld")).unwrap();
    // The sidecar as the author wrote it (`occurrence: 3`, where glossa would write a prefix).
    let run = import(&site, &[export.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.contains("; 6 already in the sidecars"), "{run}");
    assert!(run.stderr.contains("as item `mine`"), "{run}");
    assert_eq!(read(&site, "seeds/a.yaml"), SIDECAR);
}

#[test]
fn a_second_annotation_at_a_passage_is_imported_and_the_same_one_twice_in_a_file_once() {
    let site = site();
    site.write("seeds/a.yaml", "annotations:\n  - quote: laut\n    gloss: x\n");
    let file = site.beside("more.jsonld");
    let other = annotation("https://x.org/r/a/", "laut", "").replace("\"x\"", "\"loudly\"");
    let list = [annotation("https://x.org/r/a/", "laut", ""), other.clone(), other];
    std::fs::write(&file, format!("[{}]", list.join(","))).unwrap();
    let run = import(&site, &[file.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    assert!(
        run.stdout
            .contains("imported 1 annotation into 1 sidecar; 2 already in the sidecars"),
        "{run}"
    );
    assert!(
        run.stderr
            .contains("annotation 3: the same as annotation 2 of this file"),
        "{run}"
    );
    assert_eq!(
        read(&site, "seeds/a.yaml"),
        "annotations:\n  - quote: laut\n    gloss: x\n  - quote: laut\n    gloss: loudly\n",
        "a different gloss at the same passage is a second item"
    );
}

#[test]
fn a_large_site_s_export_is_imported_with_every_page_beside_it() {
    for config in [
        "title: Viele\nlang: de\nbase_url: https://x.org/r/\n",
        "title: Viele\nlang: de\n",
    ] {
        // 230 documents (three pages of the export), a few of them annotated on each page.
        let site = Site::of_documents(230);
        site.write("content/site.yaml", config);
        let sidecars: Vec<(String, String)> = (0..230)
            .filter(|i| i % 23 == 5)
            .map(|i| {
                let text =
                    format!("annotations:\n  - quote: bellt\n    note: Laut {i}.\n  - quote: Katze\n    gloss: cat\n");
                (format!("seeds/d{i:03}.yaml"), text)
            })
            .collect();
        for (rel, text) in &sidecars {
            site.write(rel, text);
        }
        site.build_ok(&[]);
        // The export and its pages, taken elsewhere, and the sidecars emptied.
        let export = site.beside("export");
        std::fs::create_dir_all(export.join("annotations")).unwrap();
        let file = export.join("annotations.jsonld");
        std::fs::copy(site.out().join("annotations.jsonld"), &file).unwrap();
        for page in ["2.jsonld", "3.jsonld"] {
            let from = site.out().join("annotations").join(page);
            let text = std::fs::read_to_string(&from).unwrap();
            assert!(text.contains("\"items\":[\n{"), "{page} holds annotations: {text}");
            std::fs::copy(from, export.join("annotations").join(page)).unwrap();
        }
        let empty = || {
            for (rel, _) in &sidecars {
                site.write(rel, "annotations: []\n");
            }
        };
        empty();
        let run = import(&site, &[file.to_str().unwrap()]);
        assert_eq!(run.code, 0, "{config}: {run}");
        let said = format!(
            "imported {} annotations into {} sidecars",
            2 * sidecars.len(),
            sidecars.len()
        );
        assert!(run.stdout.contains(&said), "{config}: {run}");
        for (rel, text) in &sidecars {
            assert_eq!(items(&read(&site, rel)), items(text), "{config}: {rel}");
        }

        // A page that is not beside the collection: an error, and nothing imported.
        std::fs::remove_file(export.join("annotations/3.jsonld")).unwrap();
        empty();
        let run = import(&site, &[file.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{run}");
        let errors = run.errors();
        assert_eq!(errors.len(), 1, "{run}");
        assert!(errors[0].contains("annotations/3.jsonld cannot be read from"), "{run}");
        let hint = "hint: import the collection with its `annotations/` folder beside it";
        assert!(run.stderr.contains(hint), "{run}");
        for (rel, _) in &sidecars {
            assert_eq!(read(&site, rel), "annotations: []\n", "nothing imported");
        }
        std::fs::remove_dir_all(&export).unwrap();
    }
}
