//! The W3C export validates (contract §7, issue #4): `annotations.jsonld` meets every MUST of
//! the Web Annotation Data Model as the web-platform-tests `annotation-model` suite checks it,
//! with that suite's own JSON Schemas (draft-04), shipped in `tests/data/annotation-model/`
//! (see its ORIGIN.md). Their `$ref`s between files resolve from a local registry; nothing is
//! fetched.
//!
//! The suite's test files (`annotationMusts.test`, `pageMusts.test`, `collectionMusts.test`)
//! list their assertions; each is a schema with an `expectedResult`, and a document passes
//! when every assertion gives the expected result. The collection is checked with
//! `collectionMusts.test`'s assertions, its page with `pageMusts.test`'s, and every item with
//! `annotationMusts.test`'s, plus the suite's definitions of the optional properties glossa
//! writes (`glossa_uses`). Without a base_url the export's IRIs are relative to the site root;
//! they are checked as a JSON-LD processor reads them, resolved against the file's own URL.

use crate::support::{Page, Site};
use jsonschema::{Draft, Registry, Validator};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where the suite's schemas live in the local registry. `.invalid` never resolves, and the
/// validators are built offline, so a reference missing from the registry fails loudly.
const SCHEMA_BASE: &str = "https://wpt.invalid/annotation-model/definitions/";
const BASE_URL: &str = "https://reader.example/glossa-demo/";

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/annotation-model")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// One assertion of the suite: a compiled schema and whether a conforming document is valid
/// against it.
struct Assertion {
    name: String,
    validator: Validator,
    expect_valid: bool,
}

struct Suite {
    annotation: Vec<Assertion>,
    page: Vec<Assertion>,
    collection: Vec<Assertion>,
    uses: Vec<Assertion>,
}

/// The assertions that `pageMusts.test` and `collectionMusts.test` name but that the copy of
/// the suite these files come from does not hold (ORIGIN.md). Each is the same check as its
/// siblings make, written here against the suite's own definitions.
fn stand_ins() -> BTreeMap<&'static str, Value> {
    let context = json!({
        "type": "object",
        "required": ["@context"],
        "properties": {"@context": {"oneOf": [
            {"$ref": "collections.json#/definitions/contextValueFound"},
            {"$ref": "collections.json#/definitions/contextValueInArrayFound"}
        ]}}
    });
    let def = |file: &str, name: &str| json!({"$ref": format!("{file}.json#/definitions/{name}")});
    BTreeMap::from([
        ("collections/pages/5.2-pageContextValidated.json", context.clone()),
        ("collections/5.1-collectionContextValidated.json", context),
        ("collections/5.1-collectionIdValidated.json", def("id", "idValueFound")),
        (
            "collections/5.1-collectionTypeValidated.json",
            def("collections", "annotationCollectionTypeValueFound"),
        ),
        (
            "collections/5.1-collectionLabelValidated.json",
            def("collections", "labelDefinition"),
        ),
        (
            "collections/5.1-collectionTotalValidated.json",
            def("collections", "totalDefinition"),
        ),
        (
            "collections/5.1-collectionFirstValidated.json",
            json!({"allOf": [
                def("collections", "firstValidIfPresent"),
                def("collections", "firstRequiredIfTotalMoreThanZero")
            ]}),
        ),
        (
            "collections/5.1-collectionLastValidated.json",
            def("collections", "lastValidIfPresent"),
        ),
        (
            "collections/3.3.1-collectionCreatedValidated.json",
            def("otherProperties", "createdValidIfPresent"),
        ),
        (
            "collections/3.3.1-collectionModifiedValidated.json",
            def("otherProperties", "modifiedValidIfPresent"),
        ),
        (
            "collections/3.3.6-collectionRightsValidated.json",
            def("otherProperties", "rightsValidIfPresent"),
        ),
    ])
}

/// Beyond the MUSTs: the suite's definitions of the optional properties glossa writes, so that
/// a wrong motivation, purpose, format, language or selector fails too. The MUST assertions
/// alone let those pass: in draft-04 a `$ref` hides the keywords beside it, so the suite's
/// `specificeResourceDetected` checks only a target's `source`.
fn glossa_uses() -> Vec<(&'static str, Value)> {
    let body = json!({"allOf": [
        {"required": ["purpose"]},
        {"$ref": "otherProperties.json#/definitions/purposeRecognizedIfPresent"},
        {"$ref": "bodyTarget.json#/definitions/formatValidIfPresent"},
        {"$ref": "bodyTarget.json#/definitions/languageValidIfPresent"}
    ]});
    vec![
        (
            "motivation: one of the model's",
            json!({"allOf": [
                {"required": ["motivation"]},
                {"$ref": "annotations.json#/definitions/motivationRecognizedIfPresent"}
            ]}),
        ),
        (
            "body: a purpose of the model's, a media type, a language tag",
            json!({"required": ["body"], "properties": {"body": {"oneOf": [
                body,
                {"type": "array", "minItems": 1, "items": body}
            ]}}}),
        ),
        (
            "target: a Specific Resource with the model's selectors",
            json!({"required": ["target"], "properties": {"target": {"allOf": [
                {"$ref": "specificResource.json#/definitions/sourceDetected"},
                {"required": ["selector"]},
                {"$ref": "specificResource.json#/definitions/selectorDefined"},
                {"$ref": "bodyTarget.json#/definitions/languageValidIfPresent"}
            ]}}}),
        ),
    ]
}

impl Suite {
    fn load() -> Suite {
        let dir = suite_dir();
        let mut resources = Vec::new();
        for entry in std::fs::read_dir(dir.join("definitions")).expect("the definitions folder") {
            let path = entry.expect("a folder entry").path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_owned();
            resources.push((format!("{SCHEMA_BASE}{name}"), read_json(&path)));
        }
        assert!(
            resources.len() >= 7,
            "the suite's definitions are there: {}",
            resources.len()
        );
        let registry = Registry::new()
            .draft(Draft::Draft4)
            .extend(resources)
            .and_then(|r| r.prepare())
            .unwrap_or_else(|e| panic!("the suite's definitions load: {e}"));
        let assertion = |name: &str, schema: &Value| {
            let validator = jsonschema::options()
                .with_draft(Draft::Draft4)
                .should_validate_formats(true)
                .offline()
                .with_base_uri(SCHEMA_BASE)
                .with_registry(&registry)
                .build(schema)
                .unwrap_or_else(|e| panic!("{name} compiles: {e}"));
            Assertion {
                name: name.to_owned(),
                validator,
                expect_valid: schema["expectedResult"] != "invalid",
            }
        };
        let stand_ins = stand_ins();
        let listed_in = |test: &str| -> Vec<Assertion> {
            let listed = read_json(&dir.join(test));
            let names = listed["assertions"].as_array().cloned().unwrap_or_default();
            assert!(!names.is_empty(), "{test} lists its assertions");
            names
                .iter()
                .map(|name| {
                    let name = name.as_str().unwrap_or_default();
                    match stand_ins.get(name) {
                        Some(schema) => assertion(name, schema),
                        None => assertion(name, &read_json(&dir.join(name))),
                    }
                })
                .collect()
        };
        Suite {
            annotation: listed_in("annotations/annotationMusts.test"),
            page: listed_in("collections/pages/pageMusts.test"),
            collection: listed_in("collections/collectionMusts.test"),
            uses: glossa_uses()
                .iter()
                .map(|(name, schema)| assertion(name, schema))
                .collect(),
        }
    }
}

/// Every assertion of `assertions` that `doc` does not meet, one line each, naming `what`.
fn failures(assertions: &[Assertion], doc: &Value, what: &str) -> Vec<String> {
    assertions
        .iter()
        .filter(|a| a.validator.is_valid(doc) != a.expect_valid)
        .map(|a| {
            let why: Vec<String> = a
                .validator
                .iter_errors(doc)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            format!("{what}: fails {}: {}", a.name, why.join("; "))
        })
        .collect()
}

/// Every MUST the suite checks, on the collection, its page and each of its annotations, and
/// the optional properties glossa writes.
fn model_failures(suite: &Suite, doc: &Value) -> Vec<String> {
    let mut found = failures(&suite.collection, doc, "the collection");
    found.extend(failures(&suite.page, doc, "the collection with its embedded page"));
    let page = &doc["first"];
    let mut standalone = page.clone();
    // A page served on its own carries the @context; embedded, it is in the document's scope.
    standalone["@context"] = doc["@context"].clone();
    found.extend(failures(&suite.page, &standalone, "the page"));
    for item in page["items"].as_array().into_iter().flatten() {
        let mut item = item.clone();
        item["@context"] = doc["@context"].clone();
        let what = format!("annotation {}", item["id"]);
        found.extend(failures(&suite.annotation, &item, &what));
        found.extend(failures(&suite.uses, &item, &what));
    }
    found
}

fn items(doc: &Value) -> Vec<Value> {
    doc["first"]["items"].as_array().cloned().unwrap_or_default()
}

/// Builds the repository's own demo site into a fresh folder.
fn build_demo(args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let (tmp, out, _) = crate::support::build_demo(args);
    (tmp, out)
}

fn export(out: &Path) -> Value {
    read_json(&out.join("annotations.jsonld"))
}

/// Every IRI in the export (`id` and `source` values) made absolute against `base`, the way a
/// JSON-LD processor resolves relative IRIs against the document's own URL. Fails on a
/// relative IRI that would leave the site folder.
fn resolved(doc: &Value, base: &str) -> Value {
    match doc {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let v = match (k.as_str(), v) {
                        ("id" | "source", Value::String(s)) if !s.contains("://") => {
                            assert!(
                                !s.starts_with('/') && !s.starts_with(".."),
                                "`{s}` is relative to the site root"
                            );
                            Value::String(format!("{base}{s}"))
                        }
                        _ => resolved(v, base),
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|v| resolved(v, base)).collect()),
        other => other.clone(),
    }
}

/// Every annotation's id, source and `term`/`see` body names a page of the site that exists
/// (under `base`), and the fragment an id on that page.
fn dangling_iris(doc: &Value, out: &Path, base: &str) -> Vec<String> {
    let mut pages: BTreeMap<PathBuf, Page> = BTreeMap::new();
    let mut problems = Vec::new();
    let mut check = |iri: &str| {
        let Some(rel) = iri.strip_prefix(base) else {
            return; // outside the site: a `see` to another web site
        };
        let (file, fragment) = rel.split_once('#').unwrap_or((rel, ""));
        let path = out.join(file);
        if !path.is_file() {
            problems.push(format!("`{iri}`: no file {file}"));
            return;
        }
        if !fragment.is_empty() && file.ends_with(".html") {
            let page = pages.entry(path.clone()).or_insert_with(|| Page::open(&path));
            if !page.has_id(fragment) {
                problems.push(format!("`{iri}`: {file} has no id `{fragment}`"));
            }
        }
    };
    for item in items(doc) {
        check(item["id"].as_str().unwrap_or_default());
        check(item["target"]["source"].as_str().unwrap_or_default());
        let bodies = match &item["body"] {
            Value::Array(a) => a.clone(),
            one => vec![one.clone()],
        };
        for body in bodies {
            if let Some(id) = body["id"].as_str() {
                check(id);
            }
        }
    }
    problems
}

#[test]
fn the_demo_export_meets_every_must_of_the_annotation_model() {
    let suite = Suite::load();
    let (_tmp, out) = build_demo(&["--base-url", BASE_URL]);
    let doc = export(&out);
    let all = items(&doc);
    assert!(all.len() >= 20, "the demo has many annotations: {}", all.len());
    let problems = model_failures(&suite, &doc);
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    let problems = dangling_iris(&doc, &out, BASE_URL);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn ids_are_absolute_iris_under_the_base_url() {
    for base in [BASE_URL, "https://reader.example/glossa-demo"] {
        let (_tmp, out) = build_demo(&["--base-url", base]);
        let doc = export(&out);
        let mut iris = vec![doc["id"].clone(), doc["first"]["id"].clone()];
        for item in items(&doc) {
            iris.push(item["id"].clone());
            iris.push(item["target"]["source"].clone());
        }
        for iri in &iris {
            let iri = iri.as_str().unwrap_or_default();
            assert!(
                iri.starts_with(BASE_URL),
                "`{iri}` is under {BASE_URL} (built with --base-url {base})"
            );
            assert!(!iri[BASE_URL.len()..].starts_with('/'), "`{iri}` has no doubled slash");
        }
        assert_eq!(doc["id"], format!("{BASE_URL}annotations.jsonld"));
        assert!(
            items(&doc)
                .iter()
                .any(|i| i["id"] == format!("{BASE_URL}lawrow-gespraeche/index.html#a-3")),
            "ids name the document page and the annotation"
        );
    }
}

#[test]
fn the_fixture_export_validates_with_and_without_a_base_url() {
    // The crawl fixture has what the demo lacks: several documents, a Markdown one, `term:` and
    // `see:` bodies (to documents, pages and the web).
    let suite = Suite::load();
    let site = Site::from_fixture("crawl");

    site.build_ok(&["--base-url", BASE_URL]);
    let absolute = export(&site.out());
    let purposes: Vec<String> = items(&absolute)
        .iter()
        .flat_map(|i| match &i["body"] {
            Value::Array(a) => a.clone(),
            one => vec![one.clone()],
        })
        .filter_map(|b| b["purpose"].as_str().map(str::to_owned))
        .collect();
    for purpose in ["commenting", "describing", "identifying", "linking"] {
        assert!(
            purposes.iter().any(|p| p == purpose),
            "the fixture has a {purpose} body"
        );
    }
    let problems = model_failures(&suite, &absolute);
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    let problems = dangling_iris(&absolute, &site.out(), BASE_URL);
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // Without a base_url the IRIs are relative to the site root, where annotations.jsonld
    // stands: resolved against the file's own URL they are the same export.
    site.build_ok(&[]);
    let relative = export(&site.out());
    assert!(
        !relative["id"].as_str().unwrap_or_default().contains("://"),
        "without a base_url the ids are relative: {}",
        relative["id"]
    );
    let served_at = "http://127.0.0.1:8000/site/";
    let resolved = resolved(&relative, served_at);
    let problems = model_failures(&suite, &resolved);
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
    let problems = dangling_iris(&resolved, &site.out(), served_at);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(
        resolved.to_string().replace(served_at, BASE_URL),
        absolute.to_string(),
        "with and without a base_url, the export says the same"
    );
}

#[test]
fn the_validation_catches_a_broken_export() {
    // The check itself: each of these breaks one MUST of the model and must be reported.
    let suite = Suite::load();
    let (_tmp, out) = build_demo(&["--base-url", BASE_URL]);
    let good = export(&out);
    assert!(model_failures(&suite, &good).is_empty());
    type Breaking = fn(&mut Value);
    let breakages: [(&str, Breaking); 8] = [
        ("a relative annotation id", |d| {
            d["first"]["items"][0]["id"] = json!("lawrow/index.html#a-1")
        }),
        ("no target", |d| {
            d["first"]["items"][0].as_object_mut().map(|o| o.remove("target"));
        }),
        ("an unknown motivation", |d| {
            d["first"]["items"][0]["motivation"] = json!("glossing")
        }),
        ("an unknown body purpose", |d| {
            d["first"]["items"][0]["body"] = json!({"type": "TextualBody", "value": "x", "purpose": "glossing"})
        }),
        ("a selector without its source", |d| {
            d["first"]["items"][0]["target"] = json!({"selector": {"type": "TextQuoteSelector", "exact": "x"}})
        }),
        ("a negative position", |d| {
            d["first"]["items"][0]["target"]["selector"] =
                json!({"type": "TextPositionSelector", "start": -1, "end": 2})
        }),
        ("the wrong collection type", |d| d["type"] = json!("Collection")),
        ("a page without items", |d| {
            d["first"].as_object_mut().map(|o| o.remove("items"));
        }),
    ];
    for (what, breaking) in breakages {
        let mut bad = good.clone();
        breaking(&mut bad);
        assert!(!model_failures(&suite, &bad).is_empty(), "{what} must fail validation");
    }
}

/// What serde_json makes of a file of the export, laid out as glossa lays it out: the head,
/// each item on a line of its own, the tail. Its items are the first page's of the
/// collection, or a page's own.
fn canonical(text: &str) -> String {
    let mut value: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let list = match value.get("first") {
        Some(_) => &mut value["first"]["items"],
        None => &mut value["items"],
    };
    let items = std::mem::take(list.as_array_mut().expect("a list of items"));
    let whole = serde_json::to_string(&value).expect("JSON");
    let (head, tail) = whole.split_once("\"items\":[]").expect("the items");
    let lines: Vec<String> = items.iter().map(|i| i.to_string()).collect();
    let items = match lines.is_empty() {
        true => String::new(),
        false => format!("\n{}\n", lines.join(",\n")),
    };
    format!("{head}\"items\":[{items}]{tail}\n")
}

/// A site of 230 documents, annotated once, twice, or (every seventh) not at all: its export
/// is three pages. Gives the site and how many annotations it has.
pub(crate) fn paged_site(config: &str) -> (Site, usize) {
    let site = Site::of_documents(230);
    site.write("content/site.yaml", config);
    let mut total = 0;
    for i in (0..230).filter(|i| i % 7 != 3) {
        let mut sidecar = "annotations:\n  - quote: bellt\n    note: Laut.\n".to_owned();
        if i % 2 == 1 {
            sidecar.push_str("  - quote: schläft\n    gloss: sleeps\n");
        }
        total += 1 + i % 2;
        site.write(&format!("seeds/d{i:03}.yaml"), sidecar);
    }
    (site, total)
}

#[test]
fn a_large_site_s_export_is_pages_linked_from_the_collection() {
    let suite = Suite::load();
    let (site, total) = paged_site(&format!("title: Viele\nlang: de\nbase_url: {BASE_URL}\n"));
    site.build_ok(&[]);
    let out = site.out();
    let pages: Vec<String> = crate::support::files_under(&out.join("annotations"))
        .into_keys()
        .collect();
    assert_eq!(
        pages,
        ["2.jsonld", "3.jsonld"],
        "a page a hundred documents, the first in the collection"
    );
    let read = |path: &Path| {
        let text = std::fs::read_to_string(path).expect("the file");
        assert_eq!(text, canonical(&text), "{} is serde_json's bytes", path.display());
        serde_json::from_str::<Value>(&text).expect("JSON")
    };
    let collection = read(&out.join("annotations.jsonld"));
    assert!(
        model_failures(&suite, &collection).is_empty(),
        "{:?}",
        model_failures(&suite, &collection)
    );
    assert_eq!(collection["total"], total);
    let mut page = collection["first"].clone();
    let mut ids = Vec::new();
    let mut files = 1;
    loop {
        assert_eq!(page["startIndex"], ids.len(), "the items before page {files}");
        assert_eq!(page["type"], "AnnotationPage");
        let mut standalone = page.clone();
        standalone["@context"] = collection["@context"].clone();
        let problems = failures(&suite.page, &standalone, &format!("page {files}"));
        assert!(problems.is_empty(), "{problems:?}");
        for item in page["items"].as_array().expect("items") {
            let mut item = item.clone();
            item["@context"] = collection["@context"].clone();
            assert!(failures(&suite.annotation, &item, "an item").is_empty(), "{item}");
            ids.push(item["id"].as_str().expect("an id").to_owned());
        }
        let Some(next) = page.get("next").and_then(Value::as_str) else {
            break;
        };
        let rel = next.strip_prefix(BASE_URL).expect("under the base URL");
        let following = read(&out.join(rel));
        assert_eq!(following["id"], next);
        assert_eq!(following["prev"], page["id"]);
        assert_eq!(following["partOf"], collection["id"]);
        assert_eq!(following["@context"], collection["@context"]);
        page = following;
        files += 1;
    }
    assert_eq!(files, 3);
    assert_eq!(collection["last"], page["id"], "the last page is the one with no next");
    assert_eq!(ids.len(), total, "every annotation");
    let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), total, "each annotation once");
    assert!(
        ids[0].ends_with("d000/index.html#a-1"),
        "documents in the site's order: {}",
        ids[0]
    );

    // Without a base_url, a page's IRIs are relative to its own file, under annotations/.
    site.write("content/site.yaml", "title: Viele\nlang: de\n");
    site.build_ok(&[]);
    let second = read(&site.out().join("annotations/2.jsonld"));
    assert_eq!(second["id"], "../annotations/2.jsonld");
    assert_eq!(second["prev"], "../annotations.jsonld#page-1");
    let item = &second["items"][0];
    let id = item["id"].as_str().expect("an id");
    assert!(id.starts_with("../d") && id.ends_with("/index.html#a-1"), "{id}");
    assert_eq!(item["target"]["source"], id.split('#').next().expect("a page"));
    let collection = read(&site.out().join("annotations.jsonld"));
    assert_eq!(collection["first"]["next"], "annotations/2.jsonld");
    assert_eq!(collection["last"], "annotations/3.jsonld");
}
