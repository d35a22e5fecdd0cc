//! `glossa build` (contract §6, §7): what it writes, where, and how it swaps the result in.

use crate::support::{Page, Site, files_under, glossa, stray_staging, text_of};
use serde_json::Value;

/// Two documents (one .txt, one .md with a footnote), annotations, a glossary and a page.
fn small_site() -> Site {
    Site::new(&[
        ("content/site.yaml", "title: Test readings\n"),
        (
            "seeds/alpha.md",
            "# Alpha\n\nDie Krim liegt im Meer.[^1]\n\n[^1]: A footnote.\n",
        ),
        (
            "seeds/alpha.yaml",
            "annotations:\n  - id: meer\n    quote: im Meer\n    note: In the sea.\n  - id: liegt\n    quote: liegt\n    gloss: lies\n",
        ),
        (
            "seeds/beta.txt",
            "Beta\n\nAuch hier die Krim.\n\nUnd noch einmal die Krim, am Ende.\n",
        ),
        (
            "seeds/beta.yaml",
            "annotations:\n  - quote: noch einmal\n    note: Once more.\n",
        ),
        (
            "content/glossary.yaml",
            "- id: krim\n  term: Krim\n  definition: A peninsula.\n",
        ),
        ("content/pages/about.md", "# About\n\nThis site.\n"),
    ])
}

#[test]
fn a_build_writes_every_page_and_the_github_pages_files() {
    let site = small_site();
    site.build_ok(&[]);
    let out = site.out();
    for file in [
        "index.html",
        "alpha/index.html",
        "beta/index.html",
        "about/index.html",
        "glossary/index.html",
        "glossary/krim/index.html",
        "404.html",
        ".nojekyll",
        "annotations.jsonld",
    ] {
        assert!(out.join(file).is_file(), "{file} is written");
    }
    assert!(out.join("static").is_dir(), "the theme's assets go to static/");
    assert_eq!(std::fs::read(out.join(".nojekyll")).map(|b| b.len()).ok(), Some(0));
    assert!(
        stray_staging(&site.root()).is_empty(),
        "no staging folder is left after a build"
    );
}

#[test]
fn the_home_page_lists_the_documents() {
    let site = small_site();
    site.build_ok(&[]);
    let home = site.page("index.html");
    assert!(text_of(&home.one("title")).contains("Test readings"));
    assert_eq!(home.hrefs_of("Alpha"), ["alpha/index.html"]);
    assert_eq!(home.hrefs_of("Beta"), ["beta/index.html"]);
}

#[test]
fn the_home_page_orders_documents_by_weight_then_date_then_title() {
    let site = Site::new(&[
        ("seeds/a.md", "---\ntitle: Zeta heavy\nweight: 5\n---\nText.\n"),
        ("seeds/b.md", "---\ntitle: Old\ndate: 2020-01-01\n---\nText.\n"),
        ("seeds/c.md", "---\ntitle: New\ndate: 2024-05-01\n---\nText.\n"),
        ("seeds/d.md", "---\ntitle: Beta light\nweight: -1\n---\nText.\n"),
        ("seeds/e.md", "---\ntitle: Anna\ndate: 2020-01-01\n---\nText.\n"),
    ]);
    site.build_ok(&[]);
    let home = site.page("index.html");
    let order: Vec<String> = home
        .all("a[href$=\"/index.html\"]")
        .iter()
        .map(text_of)
        .filter(|t| ["Zeta heavy", "Old", "New", "Beta light", "Anna"].contains(&t.as_str()))
        .collect();
    assert_eq!(order, ["Beta light", "New", "Anna", "Old", "Zeta heavy"]);
}

#[test]
fn slugs_default_to_the_transliterated_file_stem() {
    let site = Site::new(&[
        ("seeds/Außenminister Lawrow.txt", "Titel\n\nText.\n"),
        ("seeds/nested/Über.md", "# Ü\n\nText.\n"),
    ]);
    site.build_ok(&[]);
    assert!(site.out().join("aussenminister-lawrow/index.html").is_file());
    assert!(site.out().join("ueber/index.html").is_file());
}

#[test]
fn the_same_input_gives_byte_identical_output() {
    let site = Site::from_fixture("crawl");
    let (one, two) = (site.beside("one"), site.beside("two"));
    site.build_ok(&["--out", one.to_str().unwrap_or_default()]);
    site.build_ok(&["--out", two.to_str().unwrap_or_default()]);
    let (one, two) = (files_under(&one), files_under(&two));
    assert!(one.len() > 10, "the fixture builds a real site");
    assert_eq!(one.keys().collect::<Vec<_>>(), two.keys().collect::<Vec<_>>());
    for (path, bytes) in &one {
        assert!(two[path] == *bytes, "{path} differs between two builds");
    }
}

#[test]
fn a_failed_build_leaves_the_previous_output_as_it_was() {
    let site = small_site();
    site.build_ok(&[]);
    let before = files_under(&site.out());
    site.write(
        "seeds/beta.yaml",
        "annotations:\n  - quote: not in the text\n    note: Broken.\n",
    );
    site.write(
        "seeds/alpha.md",
        "# Alpha\n\nDie Krim liegt im Meer, geändert.[^1]\n\n[^1]: A footnote.\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{run}");
    let after = files_under(&site.out());
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>());
    assert!(before == after, "the previous output is unchanged");
    assert!(
        stray_staging(&site.root()).is_empty(),
        "no staging folder is left after a failed build"
    );
}

#[test]
fn a_successful_build_replaces_the_previous_output() {
    let site = small_site();
    site.build_ok(&[]);
    std::fs::write(site.out().join("stale.html"), "old").unwrap_or_default();
    std::fs::remove_file(site.root().join("seeds/beta.txt")).unwrap_or_default();
    std::fs::remove_file(site.root().join("seeds/beta.yaml")).unwrap_or_default();
    site.build_ok(&[]);
    assert!(
        !site.out().join("beta/index.html").exists(),
        "a removed document's page is gone"
    );
    assert!(
        !site.out().join("stale.html").exists(),
        "the output is replaced, not merged"
    );
    assert!(site.out().join("alpha/index.html").is_file());
    assert!(stray_staging(&site.root()).is_empty());
}

#[test]
fn out_writes_elsewhere() {
    let site = small_site();
    let out = site.beside("elsewhere/site");
    site.build_ok(&["--out", out.to_str().unwrap_or_default()]);
    assert!(out.join("alpha/index.html").is_file());
    assert!(!site.out().exists(), "nothing in the default output folder");
    assert!(stray_staging(&site.beside("elsewhere")).is_empty());
}

#[test]
fn a_relative_out_is_relative_to_the_current_folder() {
    let site = small_site();
    let root = site.root();
    let run = glossa(
        &site.beside(""),
        &[
            "build",
            "--root",
            root.to_str().unwrap_or_default(),
            "--out",
            "relative-out",
        ],
    );
    assert_eq!(run.code, 0, "{run}");
    assert!(site.beside("relative-out/alpha/index.html").is_file());
    assert!(!site.out().exists());
}

#[test]
fn site_yaml_output_sets_the_output_folder() {
    let site = small_site();
    site.write("content/site.yaml", "output: built\n");
    site.build_ok(&[]);
    assert!(site.root().join("built/alpha/index.html").is_file());
    assert!(!site.out().exists());
}

#[test]
fn root_defaults_to_the_current_folder() {
    let site = small_site();
    let run = glossa(&site.root(), &["build"]);
    assert_eq!(run.code, 0, "{run}");
    assert!(site.out().join("alpha/index.html").is_file());
}

#[test]
fn base_url_gives_a_sitemap_of_absolute_urls() {
    let site = small_site();
    let run = site.build_ok(&["--base-url", "https://user.github.io/repo/"]);
    assert!(
        !run.stderr.contains("base_url"),
        "no warning about base_url when there is one\n{run}"
    );
    let sitemap = std::fs::read_to_string(site.out().join("sitemap.xml")).unwrap_or_default();
    let locs: Vec<&str> = sitemap
        .split("<loc>")
        .skip(1)
        .filter_map(|s| s.split("</loc>").next())
        .collect();
    assert!(!locs.is_empty(), "{sitemap}");
    for loc in &locs {
        assert!(loc.starts_with("https://user.github.io/repo/"), "{loc}");
    }
    for page in [
        "alpha/index.html",
        "beta/index.html",
        "about/index.html",
        "glossary/krim/index.html",
    ] {
        assert!(
            locs.contains(&format!("https://user.github.io/repo/{page}").as_str()),
            "{page} in the sitemap: {locs:?}"
        );
    }
}

#[test]
fn base_url_in_site_yaml_gives_a_sitemap_too() {
    let site = small_site();
    site.write("content/site.yaml", "base_url: https://example.org/readings\n");
    site.build_ok(&[]);
    let sitemap = std::fs::read_to_string(site.out().join("sitemap.xml")).unwrap_or_default();
    assert!(
        sitemap.contains("<loc>https://example.org/readings/alpha/index.html</loc>"),
        "{sitemap}"
    );
}

#[test]
fn without_base_url_there_is_no_sitemap_and_a_warning() {
    let site = small_site();
    let run = site.build_ok(&[]);
    assert!(!site.out().join("sitemap.xml").exists());
    assert!(run.warnings().iter().any(|w| w.contains("base_url")), "{run}");
}

#[test]
fn the_404_page_uses_urls_from_base_url() {
    let site = small_site();
    site.build_ok(&["--base-url", "https://user.github.io/repo/"]);
    let page = site.page("404.html");
    let refs: Vec<&str> = page
        .all("[href], [src]")
        .iter()
        .filter_map(|e| e.attr("href").or(e.attr("src")))
        .collect();
    assert!(!refs.is_empty());
    for r in refs {
        assert!(
            r.starts_with('#') || r.starts_with("/repo/") || r.starts_with("https://user.github.io/repo/"),
            "404.html links to {r}"
        );
    }
    // It is served at every missing address, so it names no canonical address of its own.
    assert!(page.all("link[rel=\"canonical\"]").is_empty());
    let search = page.one("form[role=\"search\"]");
    assert_eq!(search.attr("action"), Some("/repo/search/index.html"));
}

#[test]
fn the_404_page_uses_relative_urls_without_base_url() {
    let site = small_site();
    site.build_ok(&[]);
    let page = site.page("404.html");
    for e in page.all("[href], [src]") {
        let r = e.attr("href").or(e.attr("src")).unwrap_or_default();
        assert!(!r.starts_with('/') && !r.contains("://"), "404.html links to {r}");
    }
}

#[test]
fn drafts_are_built_only_with_drafts() {
    let site = small_site();
    site.write("seeds/draft.md", "---\ndraft: true\n---\n# Draft text\n\nNot yet.\n");
    site.write("seeds/side.txt", "Side draft\n\nAlso not yet.\n");
    site.write("seeds/side.yaml", "draft: true\n");
    site.build_ok(&[]);
    assert!(!site.out().join("draft/index.html").exists());
    assert!(!site.out().join("side/index.html").exists());
    assert!(site.page("index.html").hrefs_of("Draft text").is_empty());
    site.build_ok(&["--drafts"]);
    assert!(site.out().join("draft/index.html").is_file());
    assert!(site.out().join("side/index.html").is_file());
    assert_eq!(site.page("index.html").hrefs_of("Draft text"), ["draft/index.html"]);
}

#[test]
fn a_summary_line_ends_the_build_unless_quiet() {
    let site = small_site();
    let run = site.build_ok(&[]);
    let summary = run.stdout.trim_end().lines().last().unwrap_or_default().to_owned();
    for count in ["2 documents", "3 notes", "1 glossary entr", "3 occurrences"] {
        assert!(summary.contains(count), "the summary says {count:?}: {summary}");
    }
    let quiet = site.build_ok(&["--quiet"]);
    assert_eq!(quiet.stdout, "", "--quiet prints no summary\n{quiet}");
}

#[test]
fn usage_errors_exit_with_2() {
    let site = small_site();
    let unknown = site.build(&["--frobnicate"]);
    assert_eq!(unknown.code, 2, "{unknown}");
    let missing = glossa(
        &site.root(),
        &[
            "build",
            "--root",
            site.beside("no-such-folder").to_str().unwrap_or_default(),
        ],
    );
    assert_eq!(missing.code, 2, "{missing}");
    assert!(missing.stderr.contains("no-such-folder"), "{missing}");
    let no_command = glossa(&site.root(), &[]);
    assert_eq!(no_command.code, 2, "{no_command}");
    let bad_command = glossa(&site.root(), &["bulid"]);
    assert_eq!(bad_command.code, 2, "{bad_command}");
    assert!(!site.out().exists(), "a usage error writes nothing");
}

/// Every annotation item of annotations.jsonld, wherever the collection keeps them.
fn annotation_items(doc: &Value) -> Vec<Value> {
    let items = doc
        .get("items")
        .or_else(|| doc.get("first").and_then(|f| f.get("items")));
    items.and_then(Value::as_array).cloned().unwrap_or_default()
}

fn selector_of<'a>(item: &'a Value, kind: &str) -> &'a Value {
    let target = &item["target"];
    let selectors = target.get("selector").unwrap_or(&Value::Null);
    let list = selectors.as_array().cloned().unwrap_or_else(|| vec![selectors.clone()]);
    let found = list
        .iter()
        .position(|s| s["type"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {item}"));
    match selectors.as_array() {
        Some(a) => &a[found],
        None => selectors,
    }
}

#[test]
fn annotations_jsonld_is_a_web_annotation_collection() {
    let site = small_site();
    site.build_ok(&[]);
    let text = std::fs::read_to_string(site.out().join("annotations.jsonld")).unwrap_or_default();
    let doc: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("annotations.jsonld is JSON: {e}\n{text}"));
    assert_eq!(doc["type"], "AnnotationCollection");
    assert!(doc["@context"].to_string().contains("http://www.w3.org/ns/anno.jsonld"));
    let items = annotation_items(&doc);
    assert_eq!(items.len(), 3, "every annotation of every document: {items:?}");
    if let Some(total) = doc.get("total") {
        assert_eq!(total, 3);
    }
    let mut exacts = Vec::new();
    for item in &items {
        assert_eq!(item["type"], "Annotation");
        let quote = selector_of(item, "TextQuoteSelector");
        let exact = quote["exact"].as_str().unwrap_or_default().to_owned();
        let position = selector_of(item, "TextPositionSelector");
        let (start, end) = (
            position["start"].as_u64().unwrap_or(0),
            position["end"].as_u64().unwrap_or(0),
        );
        assert_eq!(end - start, exact.chars().count() as u64, "{item}");
        exacts.push((exact, start));
    }
    exacts.sort();
    // "Die Krim liegt im Meer." — liegt at 9, im Meer at 15; "Auch hier die Krim.\nUnd noch …".
    assert!(exacts.contains(&("liegt".to_owned(), 9)), "{exacts:?}");
    assert!(exacts.contains(&("im Meer".to_owned(), 15)), "{exacts:?}");
    assert!(exacts.iter().any(|(e, _)| e == "noch einmal"), "{exacts:?}");
}

#[test]
fn annotations_jsonld_ids_are_absolute_under_base_url() {
    let site = small_site();
    site.build_ok(&["--base-url", "https://user.github.io/repo/"]);
    let text = std::fs::read_to_string(site.out().join("annotations.jsonld")).unwrap_or_default();
    let doc: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    let items = annotation_items(&doc);
    assert_eq!(items.len(), 3);
    for item in &items {
        let id = item["id"].as_str().unwrap_or_default();
        assert!(id.starts_with("https://user.github.io/repo/"), "{id}");
        let source = item["target"]["source"].as_str().unwrap_or_default();
        assert!(source.starts_with("https://user.github.io/repo/"), "{source}");
    }
    assert!(
        doc["id"]
            .as_str()
            .unwrap_or_default()
            .starts_with("https://user.github.io/repo/")
    );
}

#[test]
fn pages_open_from_disk_name_their_stylesheet_relatively() {
    let site = small_site();
    site.build_ok(&[]);
    for (page, css) in [
        ("index.html", "static/"),
        ("alpha/index.html", "../static/"),
        ("glossary/krim/index.html", "../../static/"),
    ] {
        let p: Page = site.page(page);
        let sheets: Vec<&str> = p
            .all("link[rel=\"stylesheet\"]")
            .iter()
            .filter_map(|l| l.attr("href"))
            .collect();
        assert!(
            !sheets.is_empty() && sheets.iter().all(|h| h.starts_with(css)),
            "{page}: {sheets:?}"
        );
    }
}

#[test]
fn the_same_input_in_another_folder_gives_byte_identical_output() {
    // Nothing of where the site lies (absolute paths, folder names) leaks into the output.
    let first = Site::from_fixture("crawl");
    let second = Site::from_fixture("crawl");
    first.build_ok(&[]);
    second.build_ok(&[]);
    let (one, two) = (files_under(&first.out()), files_under(&second.out()));
    assert_eq!(one.keys().collect::<Vec<_>>(), two.keys().collect::<Vec<_>>());
    for (path, bytes) in &one {
        assert!(two[path] == *bytes, "{path} differs between two copies of the site");
    }
}

#[test]
fn a_build_that_fails_in_a_template_leaves_the_previous_output_as_it_was() {
    let site = small_site();
    site.build_ok(&[]);
    let before = files_under(&site.out());
    site.write(
        "themes/default/templates/document.html",
        "{% extends \"base.html\" %}{% block main %}{{ doc.nope.deeper }}{% endblock main %}",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{run}");
    assert!(run.stderr.contains("document.html"), "{run}");
    assert!(before == files_under(&site.out()), "the previous output is unchanged");
    assert!(
        stray_staging(&site.root()).is_empty(),
        "no staging folder is left after a failed build"
    );
}

#[test]
fn a_template_error_is_printed_as_path_line_col() {
    let site = Site::new(&[
        ("seeds/a.md", "# A\n\nText.\n"),
        (
            "themes/default/templates/document.html",
            "{% extends \"base.html\" %}{% block main %}{{ doc.nope.deeper }}{% endblock main %}",
        ),
    ]);
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{run}");
    assert!(
        run.stderr.contains("themes/default/templates/document.html:1:"),
        "{run}"
    );
    assert!(!site.out().exists());
}

#[test]
fn a_base_url_flag_that_is_not_an_absolute_url_is_refused() {
    let site = Site::new(&[("seeds/a.md", "# A\n\nText.\n")]);
    let run = site.build(&["--base-url", "notaurl"]);
    assert!(run.code == 2 || run.code == 1, "{run}");
    assert!(run.stderr.contains("base"), "{run}");
    assert!(!site.out().exists());
}
