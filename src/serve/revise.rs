//! Edit and Delete of an item that is in a sidecar, from a served page, and the glossary entry
//! that "New entry…" adds: the new texts, made with the YAML source editor so that every byte
//! the change does not concern stays as it was ([`crate::yamledit`]).
//!
//! The page names an item by its place in the sidecar's `annotations` and its quote, and says
//! which version of the file it was served with (a hash of its bytes). A file that changed
//! since, or an item that is no longer the one named, is refused: the page must be reloaded,
//! for the author to see what they are changing.

use crate::add::{Refusal, Rewritten};
use crate::yaml::pos::{Seg, YamlPositions};
use crate::yamledit::{Edit, NewValue};
use std::hash::{Hash, Hasher};

/// An item as the page names it.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub(super) struct Target {
    pub(super) index: usize,
    /// The version of the sidecar the page was served with ([`version`]).
    pub(super) version: String,
    /// The item's key that the form edits (`note`, `gloss`, `term`).
    #[serde(default)]
    pub(super) key: String,
}

/// The keys the form's kinds write.
pub(super) fn kind_key(kind: &str) -> Option<&'static str> {
    match kind {
        "note" => Some("note"),
        "gloss" => Some("gloss"),
        "term" => Some("term"),
        _ => None,
    }
}

/// A sidecar's version: a hash of its bytes (the same from run to run).
pub(super) fn version(text: &str) -> String {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    format!("{:016x}", h.finish())
}

fn list() -> Vec<Seg> {
    vec!["annotations".into()]
}

fn usage(message: impl Into<String>) -> Refusal {
    Refusal::Usage(message.into())
}

/// The item `target` names in `source`, if the file is the version the page was served with
/// and the item still has the page's quote.
fn named<'t>(
    tree: &'t serde_yaml::Value,
    source: &str,
    target: &Target,
    quote: &str,
    s: &Strings,
) -> Result<&'t serde_yaml::Mapping, Refusal> {
    if version(source) != target.version {
        return Err(usage(s.stale));
    }
    let item = tree
        .get("annotations")
        .and_then(|a| a.get(target.index))
        .and_then(|i| i.as_mapping())
        .filter(|i| i.get("quote").and_then(|q| q.as_str()) == Some(quote))
        .ok_or_else(|| usage(s.gone))?;
    Ok(item)
}

fn parsed(source: &str) -> Result<serde_yaml::Value, Refusal> {
    serde_yaml::from_str(source.strip_prefix('\u{feff}').unwrap_or(source))
        .map_err(|e| usage(format!("the sidecar is not valid YAML: {e}")))
}

/// The sidecar without the item `target` names.
pub(super) fn delete(source: &str, target: &Target, quote: &str, s: &Strings) -> Result<Rewritten, Refusal> {
    let tree = parsed(source)?;
    named(&tree, source, target, quote, s)?;
    let text = crate::yamledit::remove_item(source, &list(), target.index)
        .map_err(|e| usage(format!("{} {e}", s.cannot_delete)))?;
    Ok(Rewritten {
        text,
        lines: 0..0,
        id: String::new(),
    })
}

/// What the form says of an edited item.
pub(super) struct Change<'c> {
    pub(super) key: &'static str,
    pub(super) text: &'c str,
    pub(super) id: &'c str,
}

/// The sidecar with the item `target` names changed as `change` says: only the values that
/// differ are written again (the text, the id), and a new kind renames the edited key.
pub(super) fn edit(
    source: &str,
    target: &Target,
    quote: &str,
    change: &Change<'_>,
    s: &Strings,
) -> Result<Rewritten, Refusal> {
    let tree = parsed(source)?;
    let item = named(&tree, source, target, quote, s)?;
    let key = target.key.as_str();
    let old = item.get(key).and_then(|v| v.as_str()).ok_or_else(|| usage(s.gone))?;
    if change.key != key && item.contains_key(change.key) {
        return Err(usage(s.kind_taken));
    }
    let at = |k: &str| vec![Seg::from("annotations"), Seg::Index(target.index), Seg::from(k)];
    let mut edits = Vec::new();
    if old.trim() != change.text {
        // A block's final line breaks stay: its header decides them.
        let breaks = &old[old.trim_end_matches('\n').len()..];
        edits.push(Edit {
            path: at(key),
            value: format!("{}{breaks}", change.text),
        });
    }
    let old_id = item.get("id").and_then(|v| v.as_str()).unwrap_or_default();
    if old_id != change.id && !old_id.is_empty() && !change.id.is_empty() {
        edits.push(Edit {
            path: at("id"),
            value: change.id.to_owned(),
        });
    }
    let failed = |e: crate::yamledit::EditError| usage(format!("{} {e}", s.cannot_edit));
    let mut text = crate::yamledit::edit(source, &edits).map_err(failed)?;
    if change.key != key {
        text = crate::yamledit::rename_key(&text, &at(key), change.key).map_err(failed)?;
    }
    // An id given or taken away: its own line (or its place in `{…}`), nothing else.
    if old_id.is_empty() && !change.id.is_empty() {
        let item = [Seg::from("annotations"), Seg::Index(target.index)];
        text = crate::yamledit::add_key(&text, &item, "id", change.id).map_err(failed)?;
    } else if !old_id.is_empty() && change.id.is_empty() {
        text = crate::yamledit::remove_key(&text, &at("id")).map_err(failed)?;
    }
    let lines = item_lines(&text, target.index);
    let id = match change.id {
        "" => format!("a-{}", target.index + 1),
        id => id.to_owned(),
    };
    Ok(Rewritten { text, lines, id })
}

/// The lines (1-based, end excluded) of the item `index` of the sidecar's `annotations`.
fn item_lines(text: &str, index: usize) -> std::ops::Range<usize> {
    let positions = YamlPositions::index(text);
    let line = |i: usize| {
        positions
            .value(&[Seg::from("annotations"), Seg::Index(i)])
            .map(|p| p.line)
    };
    let start = line(index).unwrap_or(0);
    start..line(index + 1).unwrap_or(usize::MAX)
}

/// A minimal glossary entry for the new term `term` (its id the slug of it), appended to the
/// glossary file's text `source`: the new text and the entry's id.
pub(super) fn new_entry(source: &str, term: &str, kind: &str) -> Result<(String, String), String> {
    let id = crate::slug::slugify(term);
    if id.is_empty() {
        return Err(format!("“{term}” gives no id for a glossary entry"));
    }
    let entry = [
        ("id", NewValue::Text(id.clone())),
        ("term", NewValue::Text(term.to_owned())),
        ("kind", NewValue::Text(kind.to_owned())),
        ("definition", NewValue::Text(String::new())),
    ];
    let appended = crate::yamledit::append_item(source, &[], &entry)
        .map_err(|e| format!("cannot add an entry to the glossary: {e}"))?;
    Ok((appended.text, id))
}

/// The server's own messages in the interface language.
pub(super) struct Strings {
    pub(super) empty: &'static str,
    /// The sidecar changed since the page was served.
    pub(super) stale: &'static str,
    /// The item named is no longer at its place.
    pub(super) gone: &'static str,
    pub(super) kind_taken: &'static str,
    pub(super) cannot_edit: &'static str,
    pub(super) cannot_delete: &'static str,
}

pub(super) fn strings(lang: &str) -> Strings {
    if lang == "de" || lang.starts_with("de-") {
        Strings {
            empty: "Das Feld „Text“ ist leer.",
            stale: "Die Sidecar-Datei hat sich geändert, seit die Seite geladen wurde: Laden Sie die Seite neu; nichts wurde geschrieben.",
            gone: "Diese Annotation steht nicht mehr an ihrer Stelle in der Sidecar-Datei: Laden Sie die Seite neu; nichts wurde geschrieben.",
            kind_taken: "Diese Annotation hat schon einen Wert dieser Art: Ändern Sie ihn dort.",
            cannot_edit: "Diese Annotation kann hier nicht geändert werden:",
            cannot_delete: "Diese Annotation kann hier nicht gelöscht werden:",
        }
    } else {
        Strings {
            empty: "The field “Text” is empty.",
            stale: "The sidecar changed since this page was loaded: reload the page; nothing was written.",
            gone: "This annotation is no longer at its place in the sidecar: reload the page; nothing was written.",
            kind_taken: "This annotation already has a value of that kind: change it there.",
            cannot_edit: "This annotation cannot be changed here:",
            cannot_delete: "This annotation cannot be deleted here:",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "annotations:\n  - quote: Hund\n    note: |\n      A dog.\n\n  - id: k\n    quote: Katze\n    gloss: cat # kept\n";

    fn target(index: usize, key: &str) -> Target {
        Target {
            index,
            version: version(FILE),
            key: key.into(),
        }
    }

    fn strings() -> Strings {
        super::strings("en")
    }

    #[test]
    fn an_edit_rewrites_only_what_changed() {
        let s = strings();
        let change = Change {
            key: "note",
            text: "A hound.",
            id: "",
        };
        let out = edit(FILE, &target(0, "note"), "Hund", &change, &s).unwrap();
        assert_eq!(out.text, FILE.replace("A dog.", "A hound."));
        assert_eq!(out.id, "a-1");
        let change = Change {
            key: "note",
            text: "cat",
            id: "kat",
        };
        let out = edit(FILE, &target(1, "gloss"), "Katze", &change, &s).unwrap();
        assert_eq!(
            out.text,
            FILE.replace("id: k\n", "id: kat\n").replace("gloss: cat", "note: cat")
        );
    }

    /// An id given to an item goes first, on its own line; taking it away again gives back
    /// the file byte for byte.
    #[test]
    fn an_id_can_be_given_and_taken_away() {
        let s = strings();
        let change = Change {
            key: "note",
            text: "A dog.",
            id: "hund",
        };
        let out = edit(FILE, &target(0, "note"), "Hund", &change, &s).unwrap();
        assert_eq!(
            out.text,
            FILE.replace("  - quote: Hund", "  - id: hund\n    quote: Hund")
        );
        assert_eq!(out.id, "hund");
        let back = Target {
            index: 0,
            version: version(&out.text),
            key: "note".into(),
        };
        let change = Change { id: "", ..change };
        let out = edit(&out.text, &back, "Hund", &change, &s).unwrap();
        assert_eq!(out.text, FILE);
        assert_eq!(out.id, "a-1");
        // The id on the dash's line goes, and the next key moves up.
        let change = Change {
            key: "gloss",
            text: "cat",
            id: "",
        };
        let out = edit(FILE, &target(1, "gloss"), "Katze", &change, &s).unwrap();
        assert_eq!(
            out.text,
            FILE.replace("  - id: k\n    quote: Katze", "  - quote: Katze")
        );
    }

    #[test]
    fn a_stale_page_a_moved_item_or_a_taken_kind_is_refused() {
        let s = strings();
        let change = Change {
            key: "gloss",
            text: "x",
            id: "",
        };
        let mut stale = target(0, "note");
        stale.version = "0".into();
        for (t, quote, says) in [
            (stale, "Hund", s.stale),
            (target(0, "note"), "Katze", s.gone),
            (target(5, "note"), "Hund", s.gone),
        ] {
            let Err(Refusal::Usage(m)) = edit(FILE, &t, quote, &change, &s) else {
                panic!()
            };
            assert_eq!(m, says);
            let Err(Refusal::Usage(m)) = delete(FILE, &t, quote, &s) else {
                panic!()
            };
            assert_eq!(m, says);
        }
        let both = "annotations:\n  - quote: a\n    note: n\n    gloss: g\n";
        let t = Target {
            index: 0,
            version: version(both),
            key: "note".into(),
        };
        let Err(Refusal::Usage(m)) = edit(both, &t, "a", &change, &s) else {
            panic!()
        };
        assert_eq!(m, s.kind_taken);
    }

    #[test]
    fn a_deletion_removes_the_items_lines() {
        let out = delete(FILE, &target(1, ""), "Katze", &strings()).unwrap();
        assert_eq!(out.text, "annotations:\n  - quote: Hund\n    note: |\n      A dog.\n");
    }

    #[test]
    fn a_new_entry_is_appended_to_the_glossary() {
        let (text, id) = new_entry("- id: a\n  term: A\n  definition: x\n", "Großer Hund", "term").unwrap();
        assert_eq!(id, crate::slug::slugify("Großer Hund"));
        assert!(
            text.starts_with("- id: a\n  term: A\n  definition: x\n- id: "),
            "{text}"
        );
        assert!(text.contains("term: Großer Hund\n  kind: term\n"), "{text}");
    }
}
