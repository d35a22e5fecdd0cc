//! The pages of glossa's own `annotations.jsonld` that are files of their own: a collection of
//! more than a hundred documents names its further pages by address (`next`), each the file of
//! that name in the `annotations/` folder beside it (docs/import.md). They are read from there,
//! so that importing a large site's export gets every item.

use crate::diagnostics::{Code, Diagnostic};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The file's JSON and the pages it names by address after it, in order, each page's relative
/// addresses made relative to the file's folder as `read` takes them; or an error for a page
/// that is missing or not JSON.
pub(super) fn with_pages(file: &Path, json: Value) -> Result<Value, Diagnostic> {
    let mut next = json
        .get("first")
        .and_then(|first| first.get("next"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let mut all = vec![json];
    let mut seen = Vec::new();
    while let Some(iri) = next.take() {
        let path = page_file(file, &iri);
        if seen.contains(&path) {
            break;
        }
        let page = read_page(file, &iri, &path)?;
        next = page.get("next").and_then(Value::as_str).map(str::to_owned);
        all.push(from_folder(page));
        seen.push(path);
    }
    Ok(match all.len() {
        1 => all.pop().unwrap_or_default(),
        _ => Value::Array(all),
    })
}

/// Where the page `iri` is: the file of its name under `annotations/` beside `file`.
fn page_file(file: &Path, iri: &str) -> PathBuf {
    let iri = iri.split(['#', '?']).next().unwrap_or_default();
    let name = iri.rsplit('/').next().unwrap_or_default();
    file.parent()
        .unwrap_or(Path::new(""))
        .join(crate::layout::ANNOTATION_PAGES)
        .join(name)
}

fn read_page(file: &Path, iri: &str, path: &Path) -> Result<Value, Diagnostic> {
    let missing = |why: String| {
        Diagnostic::error(
            Code::ImportPageMissing,
            file,
            format!("the collection's page {iri} cannot be read from {}: {why}", path.display()),
        )
        .hint(format!(
            "import the collection with its `{}/` folder beside it, as `glossa build` writes them (nothing was imported)",
            crate::layout::ANNOTATION_PAGES
        ))
    };
    let bytes = std::fs::read(path).map_err(|e| missing(e.to_string()))?;
    serde_json::from_slice(&bytes).map_err(|e| missing(format!("it is not JSON: {e}")))
}

/// A page's relative addresses made relative to the collection's folder: glossa writes them
/// from `../`, the way from `annotations/` up.
fn from_folder(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, v)| match (key.as_str(), v) {
                    ("id" | "@id" | "source" | "partOf" | "prev" | "next", Value::String(s)) => {
                        (key, Value::String(up(s)))
                    }
                    (_, v) => (key, from_folder(v)),
                })
                .collect(),
        ),
        Value::Array(list) => Value::Array(list.into_iter().map(from_folder).collect()),
        other => other,
    }
}

/// A relative address in `annotations/`, relative to the folder above.
fn up(address: String) -> String {
    let scheme = address.find(':').is_some_and(|c| !address[..c].contains('/'));
    if scheme || address.starts_with('/') || address.starts_with('#') {
        return address;
    }
    match address.strip_prefix("../") {
        Some(rest) => rest.to_owned(),
        None => format!("{}/{address}", crate::layout::ANNOTATION_PAGES),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_addresses_are_read_from_the_folder_above() {
        assert_eq!(up("../a/index.html#a-1".into()), "a/index.html#a-1");
        assert_eq!(up("3.jsonld".into()), "annotations/3.jsonld");
        assert_eq!(up("https://x.org/a/".into()), "https://x.org/a/");
        assert_eq!(up("#p-1".into()), "#p-1");
        let page = serde_json::json!({"items": [{"id": "../a/index.html#a-1", "body": {"id": "../glossary/x/index.html"},
            "target": {"source": "../a/index.html"}}]});
        let item = &from_folder(page)["items"][0];
        assert_eq!(item["id"], "a/index.html#a-1");
        assert_eq!(item["body"]["id"], "glossary/x/index.html");
        assert_eq!(item["target"]["source"], "a/index.html");
    }

    #[test]
    fn a_page_is_the_file_of_its_name_beside_the_collection() {
        let file = Path::new("out/annotations.jsonld");
        assert_eq!(
            page_file(file, "https://x.org/annotations/2.jsonld"),
            Path::new("out/annotations/2.jsonld")
        );
        assert_eq!(
            page_file(file, "annotations/3.jsonld#x"),
            Path::new("out/annotations/3.jsonld")
        );
    }
}
