//! The authoring commands beside `build`: `new` and `schema` (contract §6).

use crate::support::{glossa, stray_staging};
use std::path::Path;

#[test]
fn new_makes_a_site_that_builds_as_it_is() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let run = glossa(tmp.path(), &["new", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    for f in [
        "seeds/erlkoenig.txt",
        "seeds/erlkoenig.yaml",
        "content/glossary.yaml",
        "content/site.yaml",
    ] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    let run = glossa(tmp.path(), &["build", "--root", dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stderr.lines().all(|l| !l.contains("error")), "{run}");
    let page = std::fs::read_to_string(dir.join("public/erlkoenig/index.html")).unwrap();
    assert!(page.contains("role=\"doc-noteref\""), "the example has a note");
    assert!(page.contains("class=\"gloss-text\""), "the example has a gloss");
    assert!(stray_staging(tmp.path()).is_empty());
}

#[test]
fn new_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("keep.txt"), "mine").unwrap();
    let run = glossa(tmp.path(), &["new", tmp.path().to_str().unwrap()]);
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("not empty"), "{run}");
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1, "nothing was added");
}

#[test]
fn new_accepts_an_empty_existing_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let run = glossa(tmp.path(), &["new", tmp.path().to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    assert!(tmp.path().join("seeds/erlkoenig.txt").is_file());
}

/// The schemas shipped in schema/ are what `glossa schema` prints: they cannot drift from the
/// types that read the YAML.
#[test]
fn shipped_schemas_match_glossa_schema() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for kind in ["sidecar", "glossary", "site", "theme"] {
        let run = glossa(repo, &["schema", kind]);
        assert_eq!(run.code, 0, "{run}");
        let shipped = std::fs::read_to_string(repo.join(format!("schema/{kind}.schema.json"))).unwrap();
        assert_eq!(
            run.stdout, shipped,
            "schema/{kind}.schema.json is stale: run `glossa schema --out schema`"
        );
    }
}

#[test]
fn schemas_describe_the_keys_and_refuse_unknown_ones() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = glossa(repo, &["schema", "sidecar"]);
    let schema: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(schema["additionalProperties"], false);
    let annotation = schema["$defs"]["RawAnnotation"].clone();
    assert_eq!(annotation["required"], serde_json::json!(["quote"]));
    for key in [
        "id",
        "quote",
        "prefix",
        "suffix",
        "occurrence",
        "note",
        "gloss",
        "term",
        "see",
    ] {
        assert!(annotation["properties"][key].is_object(), "{key} missing");
    }
    assert_eq!(annotation["additionalProperties"], false);
    let run = glossa(repo, &["schema", "glossary"]);
    let schema: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(schema["type"], "array");
    let run = glossa(repo, &["schema", "site"]);
    let schema: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(schema["properties"]["glossary"].is_object());
}

#[test]
fn the_demo_yaml_files_name_their_schema() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (file, schema) in [
        ("seeds/000_5caf988d37491509.yaml", "sidecar"),
        ("content/glossary.yaml", "glossary"),
        ("content/site.yaml", "site"),
    ] {
        let text = std::fs::read_to_string(repo.join(file)).unwrap();
        let first = text.lines().next().unwrap_or_default();
        assert_eq!(
            first,
            format!("# yaml-language-server: $schema=../schema/{schema}.schema.json"),
            "{file}"
        );
    }
}
