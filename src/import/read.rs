//! An import file's JSON → the annotations in it, each as what glossa keeps of one: the page
//! it targets, its quote selector and position, and what it says, sorted into glossa's kinds.
//!
//! Two shapes are read (docs/import.md): W3C Web Annotations (one annotation, a list of them,
//! an `AnnotationPage` or an `AnnotationCollection` with its pages inline, as glossa writes
//! `annotations.jsonld` and Recogito exports), and the Hypothesis API's search result
//! (`{"rows": [...]}`). The bodies map to glossa's kinds as glossa's own export writes them,
//! so that a round trip gives back each item: `commenting` → `note`, `describing` → `gloss`,
//! `identifying` (a link) → `term`, `linking` → `see`. A `tagging` body (and a Hypothesis
//! tag) is a label glossa has no place for: it is left out with a warning. Pure, and total:
//! whatever the JSON, an annotation is read or a warning says why not.

use serde_json::Value;

/// One annotation from the file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Foreign {
    /// Which annotation of the file it is, for messages: `annotation 3 (its id)`.
    pub(crate) label: String,
    /// Its own id (an IRI), when it has one.
    pub(crate) id: Option<String>,
    /// The page it targets (`target.source`, a Hypothesis row's `uri`).
    pub(crate) source: Option<String>,
    pub(crate) exact: String,
    pub(crate) prefix: Option<String>,
    pub(crate) suffix: Option<String>,
    /// A TextPositionSelector's start (in characters).
    pub(crate) start: Option<usize>,
    pub(crate) note: Option<String>,
    pub(crate) gloss: Option<String>,
    /// Links as given: an entry's page for `term`, any address for `see`.
    pub(crate) term_link: Option<String>,
    pub(crate) see_link: Option<String>,
}

/// What the file holds, and why some of it was left out (one message each).
#[derive(Debug, Default)]
pub(crate) struct Read {
    pub(crate) annotations: Vec<Foreign>,
    pub(crate) left_out: Vec<String>,
}

/// The annotations of a parsed import file, in the file's order.
pub(crate) fn annotations(json: &Value) -> Read {
    let mut read = Read::default();
    if let Some(rows) = json.get("rows").and_then(Value::as_array) {
        for (i, row) in rows.iter().enumerate() {
            hypothesis_row(row, i + 1, &mut read);
        }
        return read;
    }
    let mut items = Vec::new();
    gather(json, &mut items, 0);
    if items.is_empty() {
        read.left_out.push(
            "the file holds no annotation: neither W3C Web Annotations nor a Hypothesis search result (`rows`)".into(),
        );
    }
    for (i, item) in items.into_iter().enumerate() {
        w3c_annotation(item, i + 1, &mut read);
    }
    read
}

/// The annotations in a value: itself, the items of a list, a page or a collection's pages
/// (each `first` and `next` that is given inline, not by address).
fn gather<'v>(value: &'v Value, out: &mut Vec<&'v Value>, depth: usize) {
    // A page's `next` can nest a page in a page; a file that nests without end is refused by
    // serde_json's own recursion limit long before this one.
    if depth > 64 {
        return;
    }
    match value {
        Value::Array(list) => list.iter().for_each(|v| gather(v, out, depth + 1)),
        Value::Object(map) => {
            if has_type(value, "Annotation") || (map.contains_key("target") && !map.contains_key("items")) {
                out.push(value);
                return;
            }
            for key in ["first", "items", "next", "@graph"] {
                if let Some(v) = map.get(key).filter(|v| !v.is_string()) {
                    gather(v, out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// Whether `type` (or `@type`) is, or lists, `name`.
fn has_type(value: &Value, name: &str) -> bool {
    ["type", "@type"].iter().any(|k| match value.get(*k) {
        Some(Value::String(s)) => s == name,
        Some(Value::Array(list)) => list.iter().any(|v| v.as_str() == Some(name)),
        _ => false,
    })
}

fn string(value: &Value, key: &str) -> Option<String> {
    value.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// One W3C annotation.
fn w3c_annotation(a: &Value, n: usize, read: &mut Read) {
    let id = string(a, "id").or_else(|| string(a, "@id"));
    let mut f = Foreign {
        label: label(n, id.as_deref()),
        id,
        ..Foreign::default()
    };
    let target = match a.get("target") {
        Some(Value::Array(list)) => list.iter().find(|t| selectors(t).next().is_some()).or(list.first()),
        other => other,
    };
    match target {
        Some(Value::String(s)) => f.source = Some(s.clone()),
        Some(t) => {
            f.source = string(t, "source").or_else(|| t.get("source").and_then(|s| string(s, "id")));
            read_selectors(t, &mut f);
        }
        None => {}
    }
    let motivation = first_string(a.get("motivation"));
    let bodies: Vec<&Value> = match a.get("body").or_else(|| a.get("bodyValue")) {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(v) => vec![v],
        None => Vec::new(),
    };
    for body in bodies {
        w3c_body(body, motivation.as_deref(), &mut f, read);
    }
    finish(f, read);
}

/// The first string of a string or a list.
fn first_string(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Array(list) => list.iter().find_map(|v| v.as_str().map(str::to_owned)),
        _ => None,
    }
}

/// One body, by its purpose (or, without one, the annotation's motivation).
fn w3c_body(body: &Value, motivation: Option<&str>, f: &mut Foreign, read: &mut Read) {
    let purpose = first_string(body.get("purpose")).or(motivation.map(str::to_owned));
    // A body that is a string is the address of a resource (a link), or, as `bodyValue`, text.
    let (text, link) = match body {
        Value::String(s) if s.contains("://") => (None, Some(s.clone())),
        Value::String(s) => (Some(s.clone()), None),
        _ => (
            string(body, "value").or_else(|| string(body, "chars")),
            string(body, "id").or_else(|| string(body, "source")),
        ),
    };
    match (purpose.as_deref().unwrap_or("commenting"), text, link) {
        ("describing", Some(t), _) => join(&mut f.gloss, t, "; "),
        ("identifying", _, Some(l)) => f.term_link = Some(l),
        ("linking", _, Some(l)) => f.see_link = Some(l),
        ("tagging", t, l) => read.left_out.push(format!(
            "{}: the tag {} is left out (glossa has no tags)",
            f.label,
            crate::diagnostics::yaml_string(&t.or(l).unwrap_or_default())
        )),
        (_, Some(t), _) => join(&mut f.note, t, "\n\n"),
        (p, None, Some(l)) => read
            .left_out
            .push(format!("{}: the link {l} ({p}) is left out", f.label)),
        (_, None, None) => {}
    }
}

fn join(slot: &mut Option<String>, text: String, between: &str) {
    if text.trim().is_empty() {
        return;
    }
    *slot = Some(match slot.take() {
        Some(before) => format!("{before}{between}{text}"),
        None => text,
    });
}

/// The selectors of a target: its `selector`, one or a list.
fn selectors(target: &Value) -> impl Iterator<Item = &Value> {
    let list: Vec<&Value> = match target.get("selector") {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(v) => vec![v],
        None => Vec::new(),
    };
    list.into_iter()
}

fn read_selectors(target: &Value, f: &mut Foreign) {
    for s in selectors(target) {
        if has_type(s, "TextQuoteSelector") {
            f.exact = string(s, "exact").unwrap_or_default();
            f.prefix = string(s, "prefix").filter(|p| !p.is_empty());
            f.suffix = string(s, "suffix").filter(|p| !p.is_empty());
        } else if has_type(s, "TextPositionSelector") {
            f.start = s
                .get("start")
                .and_then(Value::as_u64)
                .and_then(|n| usize::try_from(n).ok());
        }
    }
}

/// One row of a Hypothesis search result: its `text` is a note; its tags are left out.
fn hypothesis_row(row: &Value, n: usize, read: &mut Read) {
    let id = string(row, "id");
    let mut f = Foreign {
        label: label(n, id.as_deref()),
        id: None,
        source: string(row, "uri"),
        note: string(row, "text").filter(|t| !t.trim().is_empty()),
        ..Foreign::default()
    };
    let targets = row.get("target").and_then(Value::as_array);
    if let Some(t) = targets.and_then(|list| list.iter().find(|t| selectors(t).next().is_some())) {
        if let Some(source) = string(t, "source") {
            f.source = Some(source);
        }
        read_selectors(t, &mut f);
    }
    let tags: Vec<&str> = row
        .get("tags")
        .and_then(Value::as_array)
        .map(|tags| tags.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if !tags.is_empty() {
        read.left_out.push(format!(
            "{}: its tags ({}) are left out (glossa has no tags)",
            f.label,
            tags.join(", ")
        ));
    }
    finish(f, read);
}

/// Keeps an annotation that quotes a passage and says something; says why any other is left
/// out.
fn finish(f: Foreign, read: &mut Read) {
    let says = f.note.is_some() || f.gloss.is_some() || f.term_link.is_some() || f.see_link.is_some();
    if f.exact.trim().is_empty() {
        read.left_out.push(format!(
            "{}: it quotes no passage (no TextQuoteSelector), so it is left out",
            f.label
        ));
    } else if !says {
        read.left_out.push(format!(
            "{}: it says nothing glossa keeps (no note, gloss, term or link)",
            f.label
        ));
    } else {
        read.annotations.push(f);
    }
}

fn label(n: usize, id: Option<&str>) -> String {
    match id {
        Some(id) => format!("annotation {n} ({id})"),
        None => format!("annotation {n}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Read {
        annotations(&serde_json::from_str(json).unwrap())
    }

    #[test]
    fn a_collection_a_list_and_one_annotation() {
        let one = r#"{"type":"Annotation","body":{"type":"TextualBody","purpose":"describing","value":"dog"},
            "target":{"source":"https://x.org/a/","selector":{"type":"TextQuoteSelector","exact":"Hund","prefix":"Der "}}}"#;
        let r = read(one);
        assert_eq!(r.annotations.len(), 1);
        assert_eq!(r.annotations[0].gloss.as_deref(), Some("dog"));
        assert_eq!(r.annotations[0].prefix.as_deref(), Some("Der "));
        assert_eq!(read(&format!("[{one},{one}]")).annotations.len(), 2);
        let collection =
            format!(r#"{{"type":"AnnotationCollection","first":{{"items":[{one}],"next":{{"items":[{one}]}}}}}}"#);
        assert_eq!(read(&collection).annotations.len(), 2);
    }

    #[test]
    fn tags_and_empty_annotations_are_left_out_with_a_reason() {
        let r = read(
            r#"{"rows":[{"uri":"u","text":"","tags":["x"],"target":[{"selector":[{"type":"TextQuoteSelector","exact":"a"}]}]}]}"#,
        );
        assert!(r.annotations.is_empty());
        assert_eq!(r.left_out.len(), 2, "{:?}", r.left_out);
    }

    #[test]
    fn any_json_is_read_without_a_panic() {
        for json in [
            "null",
            "1",
            "\"x\"",
            "[]",
            "{}",
            "[[[]]]",
            r#"{"rows":5}"#,
            r#"{"rows":[1,null,{}]}"#,
            r#"{"first":"https://x/p1"}"#,
            r#"{"target":[],"body":[1,{"purpose":7}]}"#,
            r#"{"type":["Annotation"],"target":{"selector":[{"type":"TextQuoteSelector","exact":5}]}}"#,
            r#"{"type":"Annotation","target":"https://x/","body":"https://y/"}"#,
            r#"{"target":{"selector":{"type":"TextPositionSelector","start":-1}}}"#,
        ] {
            let _ = read(json);
        }
    }
}
