//! Bad input (contract §10): every problem is an error naming the file (and the line where
//! there is one), the exit code is 1 and nothing is written.

use crate::support::Site;

const DOC: &str = "# Hunde\n\nDer Hund bellt.\n\nDer Hund schläft, die Katze nicht.\n";

/// A site with `seeds/a.md` (above) plus `files`.
fn site(files: &[(&str, &str)]) -> Site {
    let site = Site::new(&[("seeds/a.md", DOC)]);
    for (path, contents) in files {
        site.write(path, contents);
    }
    site
}

/// Builds and checks the failure: exit 1, each needle in stderr, nothing written.
fn fails(files: &[(&str, &str)], needles: &[&str]) -> crate::support::Run {
    let site = site(files);
    let run = site.build(&[]);
    site.assert_fails(&run, needles);
    assert!(!run.stderr.contains("panicked"), "{run}");
    run
}

#[test]
fn a_sidecar_that_does_not_parse() {
    fails(
        &[("seeds/a.yaml", "annotations:\n  - quote: Hund bellt\n   note: x\n")],
        &["seeds/a.yaml:3:"],
    );
}

#[test]
fn front_matter_that_does_not_parse_points_into_the_document() {
    fails(
        &[("seeds/a.md", "---\ntitle: Hunde\n  author: x\n---\n\nDer Hund bellt.\n")],
        &["seeds/a.md:3:"],
    );
    fails(
        &[(
            "seeds/a.md",
            "---\ntitle: Hunde\nweight: heavy\n---\n\nDer Hund bellt.\n",
        )],
        &["seeds/a.md:3:"],
    );
}

#[test]
fn a_glossary_that_does_not_parse() {
    fails(
        &[(
            "content/glossary.yaml",
            "- id: hund\n  term: Hund\n   definition: A dog.\n",
        )],
        &["content/glossary.yaml:3:"],
    );
}

#[test]
fn a_site_yaml_that_does_not_parse() {
    fails(
        &[("content/site.yaml", "title: x\n\tlang: de\n")],
        &["content/site.yaml:2:"],
    );
}

#[test]
fn a_wrong_type() {
    fails(
        &[(
            "seeds/a.yaml",
            "annotations:\n  - quote: Hund bellt\n    note: x\n    occurrence: abc\n",
        )],
        &["seeds/a.yaml:4:", "occurrence"],
    );
}

#[test]
fn a_wrong_type_in_the_metadata_and_site_yaml() {
    fails(
        &[("seeds/a.yaml", "title: T\ntags: just-one\n")],
        &["seeds/a.yaml:2:", "tags"],
    );
    fails(&[("seeds/a.yaml", "weight: heavy\n")], &["seeds/a.yaml:1:", "weight"]);
    fails(
        &[("content/site.yaml", "title: x\nsearch: maybe\n")],
        &["content/site.yaml:2:", "search"],
    );
}

#[test]
fn an_annotation_without_quote() {
    fails(
        &[("seeds/a.yaml", "title: T\nannotations:\n  - id: x\n    note: x\n")],
        &["seeds/a.yaml:3:", "quote"],
    );
}

#[test]
fn a_glossary_entry_without_definition() {
    fails(
        &[(
            "content/glossary.yaml",
            "- id: hund\n  term: Hund\n  definition: A dog.\n- id: katze\n  term: Katze\n",
        )],
        &["content/glossary.yaml:4:", "definition"],
    );
}

#[test]
fn an_unknown_key_in_a_sidecar_with_did_you_mean() {
    let run = fails(
        &[(
            "seeds/a.yaml",
            "annotations:\n  - quote: Hund bellt\n    note: x\n    glos: y\n",
        )],
        &["seeds/a.yaml:4:", "glos"],
    );
    assert!(run.stderr.contains("did you mean `gloss`?"), "{run}");
    let run = fails(&[("seeds/a.yaml", "titel: x\n")], &["seeds/a.yaml:1:", "titel"]);
    assert!(run.stderr.contains("did you mean `title`?"), "{run}");
}

#[test]
fn an_unknown_key_in_the_glossary_with_did_you_mean() {
    let run = fails(
        &[(
            "content/glossary.yaml",
            "- id: hund\n  term: Hund\n  defintion: A dog.\n",
        )],
        &["content/glossary.yaml:3:", "defintion"],
    );
    assert!(run.stderr.contains("did you mean `definition`?"), "{run}");
}

#[test]
fn an_unknown_key_in_site_yaml_with_did_you_mean() {
    let run = fails(
        &[("content/site.yaml", "title: x\ndescripton: y\n")],
        &["content/site.yaml:2:", "descripton"],
    );
    assert!(run.stderr.contains("did you mean `description`?"), "{run}");
}

#[test]
fn an_unknown_key_in_front_matter() {
    fails(
        &[("seeds/a.md", "---\ntitle: Hunde\nauthr: X\n---\n\nDer Hund bellt.\n")],
        &["seeds/a.md:3:", "authr"],
    );
}

#[test]
fn a_quote_not_found() {
    fails(
        &[(
            "seeds/a.yaml",
            "annotations:\n  - quote: Hund bellt\n    note: x\n  - quote: Die Katze bellt\n    note: y\n",
        )],
        &["seeds/a.yaml:4:", "Die Katze bellt"],
    );
}

#[test]
fn an_ambiguous_quote() {
    fails(
        &[(
            "seeds/a.yaml",
            "title: T\nannotations:\n  - quote: Der Hund\n    note: x\n",
        )],
        &["seeds/a.yaml:3:", "occurrence"],
    );
}

#[test]
fn crossing_quotes() {
    let run = fails(
        &[(
            "seeds/a.yaml",
            "annotations:\n  - id: eins\n    quote: Der Hund schläft\n    note: x\n  - id: zwei\n    quote: schläft, die Katze\n    note: y\n",
        )],
        &["seeds/a.yaml:"],
    );
    assert!(
        run.error_messages()
            .iter()
            .any(|m| m.contains("`eins`") && m.contains("`zwei`")),
        "{run}"
    );
}

#[test]
fn an_occurrence_past_the_last_match() {
    fails(
        &[(
            "seeds/a.yaml",
            "annotations:\n  - quote: Hund\n    occurrence: 3\n    note: x\n",
        )],
        &["seeds/a.yaml:3:"],
    );
}

#[test]
fn an_occurrence_of_zero() {
    fails(
        &[(
            "seeds/a.yaml",
            "annotations:\n  - quote: Hund\n    occurrence: 0\n    note: x\n",
        )],
        &["seeds/a.yaml:3:"],
    );
}

#[test]
fn an_empty_quote() {
    fails(
        &[("seeds/a.yaml", "annotations:\n  - quote: \"  \"\n    note: x\n")],
        &["seeds/a.yaml:2:"],
    );
}

#[test]
fn an_unknown_glossary_id_in_term() {
    let run = fails(
        &[
            (
                "content/glossary.yaml",
                "- id: hund\n  term: Hund\n  definition: A dog.\n",
            ),
            ("seeds/a.yaml", "annotations:\n  - quote: bellt\n    term: hnud\n"),
        ],
        &["seeds/a.yaml:3:", "hnud"],
    );
    assert!(run.stderr.contains("hund"), "a did-you-mean: {run}");
}

#[test]
fn an_unknown_glossary_id_in_an_annotations_see() {
    fails(
        &[
            (
                "content/glossary.yaml",
                "- id: hund\n  term: Hund\n  definition: A dog.\n",
            ),
            (
                "seeds/a.yaml",
                "annotations:\n  - quote: bellt\n    note: x\n    see: term:katze\n",
            ),
        ],
        &["seeds/a.yaml:4:", "katze"],
    );
}

#[test]
fn an_unknown_glossary_id_in_an_entrys_see() {
    fails(
        &[(
            "content/glossary.yaml",
            "- id: hund\n  term: Hund\n  definition: A dog.\n  see: [katze]\n",
        )],
        &["content/glossary.yaml:4:", "katze"],
    );
}

#[test]
fn an_unknown_document_page_or_fragment_in_a_link() {
    fails(
        &[("seeds/a.md", "# Hunde\n\n[Eins](doc:katzen)\n")],
        &["seeds/a.md:3:", "katzen"],
    );
    fails(
        &[("seeds/a.md", "# Hunde\n\n\n[Eins](page:impressum)\n")],
        &["seeds/a.md:4:", "impressum"],
    );
    fails(
        &[("seeds/a.md", "# Hunde\n\n[Eins](doc:a#p-5)\n")],
        &["seeds/a.md:3:", "p-5"],
    );
    fails(
        &[(
            "seeds/a.yaml",
            "annotations:\n  - quote: bellt\n    see: doc:a#nirgends\n",
        )],
        &["seeds/a.yaml:3:", "nirgends"],
    );
}

#[test]
fn a_javascript_link() {
    fails(
        &[("seeds/a.md", "# Hunde\n\nDer [Hund](javascript:alert(1)) bellt.\n")],
        &["seeds/a.md:3:", "javascript:"],
    );
    fails(
        &[(
            "seeds/a.yaml",
            "annotations:\n  - quote: bellt\n    note: x\n    see: \"JavaScript:alert(1)\"\n",
        )],
        &["seeds/a.yaml:4:"],
    );
    fails(
        &[(
            "seeds/a.yaml",
            "annotations:\n  - quote: bellt\n    note: \"[x](javascript:void(0))\"\n",
        )],
        &["seeds/a.yaml:3:"],
    );
}

#[test]
fn duplicate_annotation_ids() {
    fails(
        &[(
            "seeds/a.yaml",
            "annotations:\n  - id: x\n    quote: bellt\n    note: a\n  - id: x\n    quote: schläft\n    note: b\n",
        )],
        &["seeds/a.yaml:5:", "`x`"],
    );
}

#[test]
fn a_script_link_spelt_as_a_browser_reads_it() {
    // A tab inside the scheme: a browser ignores it and runs the script.
    fails(
        &[(
            "seeds/a.yaml",
            "annotations:\n  - quote: bellt\n    note: a\n  - quote: schläft\n    see: \"java\\tscript:alert(1)\"\n",
        )],
        &["seeds/a.yaml:5:", "`javascript:` links are not allowed"],
    );
}

#[test]
fn a_script_url_as_an_image() {
    fails(
        &[
            ("seeds/b.md", "# B\n\nEin Bild: ![x](javascript:alert(1))\n"),
            (
                "seeds/a.yaml",
                "annotations:\n  - quote: bellt\n    note: \"Bild: ![n](data:text/html,x)\"\n",
            ),
        ],
        &["seeds/b.md:3:", "`javascript:`", "seeds/a.yaml:3:", "`data:`"],
    );
}

#[test]
fn an_annotation_id_the_theme_uses() {
    // Every page has `<main id="main">`: an annotation may not take its id.
    fails(
        &[(
            "seeds/a.yaml",
            "annotations:\n  - quote: bellt\n    note: a\n  - id: main\n    quote: schläft\n    note: b\n",
        )],
        &["seeds/a.yaml:4:", "`main`"],
    );
}

#[test]
fn duplicate_glossary_ids_across_files() {
    let run = fails(
        &[
            (
                "content/glossary.yaml",
                "- id: hund\n  term: Hund\n  definition: A dog.\n",
            ),
            (
                "content/glossary/more.yaml",
                "- id: katze\n  term: Katze\n  definition: A cat.\n- id: hund\n  term: Hund\n  definition: Again.\n",
            ),
        ],
        &["content/glossary/more.yaml:4:", "hund"],
    );
    assert!(
        run.stderr.contains("glossary.yaml"),
        "the error names the other file too\n{run}"
    );
}

#[test]
fn duplicate_slugs_name_both_files() {
    let run = fails(
        &[
            ("seeds/a.yaml", "slug: same\n"),
            ("seeds/b.txt", "Titel\n\nText.\n"),
            ("seeds/b.yaml", "slug: same\n"),
        ],
        &["same"],
    );
    assert!(
        run.stderr.contains("seeds/a.") && run.stderr.contains("seeds/b."),
        "both documents are named\n{run}"
    );
}

#[test]
fn a_document_and_a_page_with_one_slug() {
    let run = fails(&[("content/pages/a.md", "# A page\n\nText.\n")], &["`a`"]);
    assert!(
        run.stderr.contains("seeds/a.md") && run.stderr.contains("content/pages/a.md"),
        "both are named\n{run}"
    );
}

#[test]
fn ids_and_slugs_that_are_not_lowercase_ascii() {
    fails(
        &[(
            "seeds/a.yaml",
            "annotations:\n  - id: Hund_1\n    quote: bellt\n    note: x\n",
        )],
        &["seeds/a.yaml:2:", "Hund_1"],
    );
    fails(
        &[("seeds/a.yaml", "slug: Die Hunde\n")],
        &["seeds/a.yaml:1:", "Die Hunde"],
    );
    fails(
        &[(
            "content/glossary.yaml",
            "- id: Hund\n  term: Hund\n  definition: A dog.\n",
        )],
        &["content/glossary.yaml:1:", "Hund"],
    );
    fails(
        &[("seeds/a.md", "---\nslug: hunde/katzen\n---\n# Hunde\n\nText.\n")],
        &["seeds/a.md:2:"],
    );
}

#[test]
fn bad_dates_and_languages() {
    fails(
        &[("seeds/a.yaml", "title: T\ndate: 2023-13-45\n")],
        &["seeds/a.yaml:2:", "2023-13-45"],
    );
    fails(&[("seeds/a.yaml", "lang: de_DE\n")], &["seeds/a.yaml:1:", "de_DE"]);
}

#[test]
fn a_document_that_is_not_utf8() {
    let site = site(&[]);
    site.write("seeds/latin1.txt", b"Titel\n\nGut.\nSch\xf6n.\n");
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/latin1.txt", "UTF-8", "offset 15"]);
}

#[test]
fn a_sidecar_that_is_not_utf8() {
    let site = site(&[]);
    site.write("seeds/a.yaml", b"title: Gr\xfc\xdfe\n");
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.yaml", "UTF-8", "offset 9"]);
}

#[test]
fn a_sidecar_with_no_document() {
    fails(&[("seeds/orphan.yaml", "title: x\n")], &["seeds/orphan.yaml"]);
}

#[test]
fn no_documents_at_all() {
    let site = Site::new(&[("seeds/readme.yaml.txt.bak", "x"), ("content/site.yaml", "title: x\n")]);
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds"]);
    let empty = Site::new(&[]);
    let run = empty.build(&[]);
    empty.assert_fails(&run, &["seeds"]);
}

#[test]
fn every_error_of_a_run_is_printed() {
    let run = fails(
        &[
            ("seeds/a.yaml", "annotations:\n  - quote: Die Maus\n    note: x\n"),
            ("seeds/b.txt", "Titel\n\nEin Text.\n"),
            (
                "seeds/b.yaml",
                "annotations:\n  - quote: Ein\n    note: x\n  - quote: nirgends\n    gloss: y\n",
            ),
            (
                "content/glossary.yaml",
                "- id: hund\n  term: Hund\n  definition: A dog.\n  see: [wolf]\n",
            ),
        ],
        &["seeds/a.yaml:2:", "seeds/b.yaml:4:", "content/glossary.yaml:4:"],
    );
    assert_eq!(run.errors().len(), 3, "{run}");
}

#[test]
fn malformed_input_never_panics() {
    let cases: &[(&str, &str)] = &[
        ("seeds/a.yaml", "- a\n- b\n"),
        ("seeds/a.yaml", "annotations: 5\n"),
        ("seeds/a.yaml", "annotations:\n  - 5\n"),
        (
            "seeds/a.yaml",
            "annotations:\n  - quote: bellt\n    occurrence: -1\n    note: x\n",
        ),
        (
            "seeds/a.yaml",
            "annotations:\n  - quote: bellt\n    occurrence: 99999999999999999999999\n    note: x\n",
        ),
        (
            "seeds/a.yaml",
            "annotations:\n  - quote: bellt\n    note: x\n    see: \"doc:\"\n",
        ),
        (
            "seeds/a.yaml",
            "annotations:\n  - quote: bellt\n    note: x\n    see: \"term:a#b\"\n",
        ),
        ("seeds/a.yaml", "\t\tfoo: [\n"),
        ("seeds/a.yaml", "source: 5\n"),
        ("seeds/a.yaml", "lines: sometimes\n"),
        (
            "seeds/a.yaml",
            "annotations:\n  - quote: \"\\u00e4\\u0308\"\n    note: x\n",
        ),
        ("content/glossary.yaml", "hund: A dog.\n"),
        (
            "content/glossary.yaml",
            "- id: hund\n  term: Hund\n  forms: []\n  definition: x\n- id: x\n  term: y\n  forms: [\"\"]\n  definition: z\n",
        ),
        ("content/site.yaml", "- 1\n"),
        ("content/site.yaml", "glossary: all\n"),
        ("content/site.yaml", "base_url: not a url\n"),
    ];
    for (path, contents) in cases {
        let site = site(&[(path, contents)]);
        let run = site.build(&[]);
        assert!(run.code == 0 || run.code == 1, "{path}: {contents:?}\n{run}");
        assert!(!run.stderr.contains("panicked"), "{path}: {contents:?}\n{run}");
        if run.code == 1 {
            site.assert_fails(&run, &[path]);
        }
    }
}

#[test]
fn duplicate_slugs_point_at_the_slug_line() {
    let site = Site::new(&[
        ("seeds/a.md", "# Hunde\n\nDer Hund bellt.\n"),
        ("seeds/a.yaml", "slug: same\n"),
        ("seeds/b.txt", "Titel\n\nText.\n"),
        ("seeds/b.yaml", "title: B\nslug: same\n"),
    ]);
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{run}");
    assert!(
        run.stderr.contains("seeds/b.yaml:2:") || run.stderr.contains("seeds/a.yaml:1:"),
        "the error points at a `slug:` line\n{run}"
    );
}

#[test]
fn a_document_that_is_not_utf8_names_the_line() {
    let site = Site::new(&[("seeds/a.md", "# Hunde\n\nDer Hund bellt.\n")]);
    site.write("seeds/latin1.txt", b"Titel\n\nGut.\nSch\xf6n.\n");
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/latin1.txt:4:", "offset 15"]);
}

#[test]
fn did_you_mean_suggests_quote_for_qoute() {
    let site = Site::new(&[
        ("seeds/a.md", "# Hunde\n\nDer Hund bellt.\n"),
        ("seeds/a.yaml", "annotations:\n  - qoute: Hund\n    note: x\n"),
    ]);
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.yaml:2:", "qoute"]);
    assert!(run.stderr.contains("did you mean `quote`?"), "{run}");
}

#[test]
fn an_empty_see_is_an_error() {
    let site = Site::new(&[
        ("seeds/a.md", "# Hunde\n\nDer Hund bellt.\n"),
        ("seeds/a.yaml", "annotations:\n  - quote: Hund\n    see: \"\"\n"),
    ]);
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.yaml:3:", "`see` is empty"]);
}

#[test]
fn an_output_folder_inside_seeds_or_holding_the_site_is_refused() {
    let site = Site::new(&[("seeds/a.md", "# Hunde\n\nDer Hund bellt.\n")]);
    let seeds = site.root().join("seeds");
    for out in [seeds.clone(), site.root(), site.root().join("content/public")] {
        let run = site.build(&["--out", out.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{run}");
        assert!(run.stderr.contains("output folder"), "{run}");
    }
    assert!(seeds.join("a.md").is_file(), "the texts are still there");
}

#[test]
fn two_see_links_on_one_span_are_an_error() {
    let site = Site::new(&[
        ("seeds/a.md", "# Hunde\n\nDer Hund bellt.\n"),
        ("seeds/b.md", "# Katzen\n\nDie Katze.\n"),
        (
            "seeds/a.yaml",
            "annotations:\n  - quote: Hund\n    see: doc:b\n  - id: zwei\n    quote: Hund\n    see: https://example.org/\n",
        ),
    ]);
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.yaml:", "inside or around another link"]);
}

#[test]
fn a_note_inside_a_see_quote_is_an_error() {
    let site = Site::new(&[
        ("seeds/a.md", "# Hunde\n\nDer große Hund bellt.\n"),
        ("seeds/b.md", "# Katzen\n\nDie Katze.\n"),
        (
            "seeds/a.yaml",
            "annotations:\n  - quote: große Hund\n    see: doc:b\n  - quote: Hund\n    note: A dog.\n",
        ),
    ]);
    let run = site.build(&[]);
    site.assert_fails(&run, &["seeds/a.yaml:5:", "inside a `see` link"]);
}

#[test]
fn every_bad_annotation_of_a_sidecar_is_reported_not_only_the_first() {
    let site = Site::new(&[
        ("seeds/a.md", "# A\n\nDer Hund bellt.\n"),
        (
            "seeds/a.yaml",
            "annotations:\n  - quote: Hund\n    gloss: dog\n    occurrence: abc\n  - quote: bellt\n    glos: barks\n  - qoute: x\n    note: y\n",
        ),
    ]);
    let run = site.build(&[]);
    site.assert_fails(
        &run,
        &[
            "seeds/a.yaml:4:17:",
            "seeds/a.yaml:6:5:",
            "did you mean `gloss`?",
            "seeds/a.yaml:7:5:",
        ],
    );
    assert_eq!(run.errors().len(), 3, "{run}");
}

#[test]
fn an_annotation_id_that_clashes_with_an_id_of_the_page() {
    // A heading's id, a paragraph's, a note's and a glossary occurrence's: each is an id the
    // page already has.
    let doc = "# Hunde\n\n## Der Hund {#bellen}\n\nDer Hund bellt.\n\nDer Hund schläft, die Katze nicht.\n";
    for id in ["bellen", "p-2", "note-1", "noteref-1", "t-katze-1"] {
        let sidecar =
            format!("annotations:\n  - quote: bellt\n    note: a\n  - id: {id}\n    quote: schläft\n    gloss: b\n");
        let run = fails(
            &[
                ("seeds/a.md", doc),
                ("seeds/a.yaml", &sidecar),
                (
                    "content/glossary.yaml",
                    "- id: katze\n  term: Katze\n  definition: A cat.\n",
                ),
            ],
            &[
                "seeds/a.yaml:4:",
                &format!("the annotation id `{id}` clashes with an id of the page"),
            ],
        );
        assert!(run.stderr.contains("choose another"), "{run}");
    }
    // Past the page's counts, a numbered shape is an id like any other.
    let site = site(&[(
        "seeds/a.yaml",
        "annotations:\n  - id: p-9\n    quote: bellt\n    note: a\n",
    )]);
    site.build_ok(&[]);
}

#[test]
fn a_heading_id_used_twice() {
    // Two headings with one id, or a heading with a paragraph's, a note's or a glossary
    // occurrence's.
    let sidecar = "annotations:\n  - quote: bellt\n    note: a\n";
    let glossary = "- id: katze\n  term: Katze\n  definition: A cat.\n";
    for (doc, id, line) in [
        (
            "# Hunde\n\n## Eins {#x}\n\nDer Hund bellt.\n\n## Zwei {#x}\n\nDie Katze schläft.\n",
            "x",
            3,
        ),
        (
            "# Hunde\n\nDer Hund bellt.\n\n## Eins {#p-1}\n\nDie Katze schläft.\n",
            "p-1",
            5,
        ),
        (
            "# Hunde\n\nDer Hund bellt.\n\n## Eins {#note-1}\n\nDie Katze schläft.\n",
            "note-1",
            5,
        ),
        (
            "# Hunde\n\nDer Hund bellt.\n\n## Eins {#noteref-1}\n\nDie Katze schläft.\n",
            "noteref-1",
            5,
        ),
        (
            "# Hunde\n\nDer Hund bellt.\n\n## Eins {#t-katze-1}\n\nDie Katze schläft.\n",
            "t-katze-1",
            5,
        ),
    ] {
        fails(
            &[
                ("seeds/a.md", doc),
                ("seeds/a.yaml", sidecar),
                ("content/glossary.yaml", glossary),
            ],
            &[
                &format!("seeds/a.md:{line}:"),
                &format!("the id `{id}` is used twice in this page"),
            ],
        );
    }
}

/// serde_yaml places a duplicate key at the first key of its mapping; the error points at the
/// second `quote:` or `slug:` itself (in a sidecar, and in front matter below its `---`).
#[test]
fn a_duplicate_key_points_at_the_duplicate() {
    let site = Site::new(&[
        (
            "seeds/a.md",
            "---\ntitle: A\nslug: one\nslug: two\n---\n# Hunde\n\nDer Hund bellt.\n",
        ),
        ("seeds/b.txt", "Titel\n\nDer Hund bellt.\n"),
        (
            "seeds/b.yaml",
            "annotations:\n  - quote: Hund\n    note: x\n    quote: bellt\n",
        ),
    ]);
    let run = site.build(&[]);
    site.assert_fails(&run, &[]);
    let errors = run.errors();
    assert!(
        errors
            .iter()
            .any(|e| e.contains("seeds/a.md:4:1: error: duplicate field `slug`")),
        "{run}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("seeds/b.yaml:4:5: error: annotations[0]: duplicate field `quote`")),
        "{run}"
    );
}

/// libyaml reports a NUL byte by its offset alone; the error points at its line and column.
#[test]
fn a_nul_byte_in_yaml_points_at_its_place() {
    let site = Site::new(&[
        ("seeds/a.txt", "Titel\n\nDer Hund bellt.\n"),
        (
            "seeds/a.yaml",
            "title: Hünde\nannotations:\n  - quote: \"Hu\0nd\"\n    note: x\n",
        ),
    ]);
    let run = site.build(&[]);
    site.assert_fails(
        &run,
        &["seeds/a.yaml:3:15: error: control characters are not allowed\n"],
    );
}
