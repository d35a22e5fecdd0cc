//! Adding a key to a mapping, or removing one, every other byte kept: Edit in `serve`'s editor
//! gives an item an id, or takes its id away.
//!
//! A new key goes first in the mapping, where ids stand in glossa's sidecars: in a block
//! mapping on the line of the first key (after its `- `), which moves down a line at the same
//! column (`- quote: a` → `- id: x` + `  quote: a`); in a flow mapping after its `{`. Its
//! value is plain when that reads back as the same string there, else double-quoted.
//!
//! A removed key goes with its value and what stands after it on its line (a comment that
//! spoke of it): in a block mapping its whole line, or, when it is the first key after a
//! `- `, up to the key of the next line, which moves up onto the dash's line; in a flow
//! mapping with the comma that separates it from its neighbour. Only a one-line plain or
//! quoted value is removed; a block, a collection, or a comment line right under a first key
//! is refused. As for every edit, the result is read back and accepted only when it is the
//! old file with exactly that key added or removed.

use super::{EditError, Editor, Kind, MarkBytes, double_quoted, plain_fits, scalar_end};
use crate::yaml::pos::{PathWalk, Role, Seg, events, path_text};

/// `source` with `key: value` first in the mapping at `mapping` (`annotations[3]`).
pub fn add_key(source: &str, mapping: &[Seg], key: &str, value: &str) -> Result<String, EditError> {
    let bom = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &source[bom..];
    let mut path = mapping.to_vec();
    path.push(Seg::from(key));
    let shown = || path_text(&path);
    if !plain_fits(key, true) {
        return Err(EditError::NotFound(shown()));
    }
    let first = first_key(body, mapping).ok_or_else(|| EditError::NotAList(path_text(mapping)))?;
    let line = body[..first].rfind('\n').map_or(0, |i| i + 1);
    let flow = body[..first].trim_end().ends_with('{');
    let written = if plain_fits(value, flow) && !value.is_empty() {
        value.to_owned()
    } else {
        double_quoted(value)
    };
    let insert = if flow {
        format!("{key}: {written}, ")
    } else {
        let prefix = &body[line..first];
        if !prefix.chars().all(|c| c == ' ' || c == '-') {
            return Err(EditError::NotFound(shown()));
        }
        let eol = if body[first..].contains("\r\n") { "\r\n" } else { "\n" };
        format!("{key}: {written}{eol}{}", " ".repeat(prefix.chars().count()))
    };
    let out = format!("{}{insert}{}", &source[..bom + first], &body[first..]);
    let mut expected: serde_yaml::Value = serde_yaml::from_str(body).map_err(|e| EditError::NotYaml(e.to_string()))?;
    let map = super::value_at(&mut expected, mapping)
        .and_then(|v| v.as_mapping_mut())
        .ok_or_else(|| EditError::NotFound(shown()))?;
    if map.contains_key(key) {
        return Err(EditError::EditedTwice(shown()));
    }
    map.insert(key.into(), value.into());
    read_back(&out[bom..], &expected, shown)?;
    Ok(out)
}

/// `source` without the key that ends `path` (`annotations[3].id`) and its value.
pub fn remove_key(source: &str, path: &[Seg]) -> Result<String, EditError> {
    let bom = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &source[bom..];
    let shown = || path_text(path);
    let (Some(Seg::Key(key)), Some(mapping)) = (path.last(), path.len().checked_sub(1).map(|n| &path[..n])) else {
        return Err(EditError::NotFound(shown()));
    };
    let editor = Editor::new(source)?;
    let node = editor
        .nodes
        .iter()
        .find(|n| n.path == path)
        .ok_or_else(|| EditError::NotFound(shown()))?;
    let Kind::Scalar(scalar) = &node.kind else {
        return Err(EditError::NotAScalar(shown()));
    };
    if node.anchored || node.tagged {
        return Err(EditError::Anchored(shown()));
    }
    let end = scalar_end(body, scalar).ok_or_else(|| EditError::NotAScalar(shown()))?;
    let at = key_at(body, path).ok_or_else(|| EditError::NotFound(shown()))?;
    if body[at..end].contains('\n') {
        return Err(EditError::NotAScalar(shown()));
    }
    let range = if scalar.flow {
        flow_range(body, at, end)
    } else {
        block_range(body, at, end)
    }
    .ok_or_else(|| EditError::NotFound(shown()))?;
    let mut out = source.to_owned();
    out.replace_range(bom + range.start..bom + range.end, "");
    let mut expected: serde_yaml::Value = serde_yaml::from_str(body).map_err(|e| EditError::NotYaml(e.to_string()))?;
    super::value_at(&mut expected, mapping)
        .and_then(|v| v.as_mapping_mut())
        .and_then(|m| m.remove(key.as_str()))
        .ok_or_else(|| EditError::NotFound(shown()))?;
    read_back(&out[bom..], &expected, shown)?;
    Ok(out)
}

fn read_back(out: &str, expected: &serde_yaml::Value, shown: impl Fn() -> String) -> Result<(), EditError> {
    let read: Result<serde_yaml::Value, _> = serde_yaml::from_str(out);
    if read.is_ok_and(|v| &v == expected) {
        Ok(())
    } else {
        Err(EditError::ReadBack(shown()))
    }
}

/// Where the first key of the mapping at `mapping` starts.
fn first_key(body: &str, mapping: &[Seg]) -> Option<usize> {
    let marks = MarkBytes::new(body);
    let mut walk = PathWalk::default();
    events(body).find_map(|(ev, mark)| match walk.step(&ev) {
        Some((Role::Key, p)) if p.len() == mapping.len() + 1 && p.starts_with(mapping) => Some(marks.byte(body, mark)),
        _ => None,
    })
}

/// Where the key that ends `path` starts (plain keys only: its bytes are its name).
fn key_at(body: &str, path: &[Seg]) -> Option<usize> {
    let Some(Seg::Key(name)) = path.last() else {
        return None;
    };
    let marks = MarkBytes::new(body);
    let mut walk = PathWalk::default();
    let at = events(body).find_map(|(ev, mark)| match walk.step(&ev) {
        Some((Role::Key, p)) if p == path => Some(marks.byte(body, mark)),
        _ => None,
    })?;
    body[at..].starts_with(name.as_str()).then_some(at)
}

/// The bytes a key of a flow mapping goes with: up to the next key (after its comma), or for
/// the last key from the comma before it.
fn flow_range(body: &str, at: usize, end: usize) -> Option<std::ops::Range<usize>> {
    let after = &body[end..];
    let rest = after.trim_start_matches([' ', '\t']);
    if let Some(next) = rest.strip_prefix(',') {
        let skip = next.len() - next.trim_start_matches([' ', '\t']).len();
        return Some(at..end + (after.len() - rest.len()) + 1 + skip);
    }
    let before = body[..at].trim_end_matches([' ', '\t']);
    before.strip_suffix(',').map(|b| b.len()..end)
}

/// The bytes a key of a block mapping goes with: its line, or from the key to the next line's
/// key when the key stands after a `- `.
fn block_range(body: &str, at: usize, end: usize) -> Option<std::ops::Range<usize>> {
    let line = body[..at].rfind('\n').map_or(0, |i| i + 1);
    let rest = body[end..].trim_start_matches([' ', '\t']);
    if !(rest.is_empty() || rest.starts_with(['\n', '\r', '#'])) {
        return None;
    }
    let next_line = body[end..].find('\n').map_or(body.len(), |i| end + i + 1);
    let prefix = &body[line..at];
    if prefix.chars().all(|c| c == ' ') {
        return Some(line..next_line);
    }
    // After a `- `: the next line must hold the next key, at this key's column.
    let column = prefix.chars().count();
    let next = &body[next_line..];
    let indent = next.len() - next.trim_start_matches(' ').len();
    let key_follows = indent == column && !next[indent..].starts_with(['#', '\n', '\r', '-']) && !next.is_empty();
    key_follows.then_some(at..next_line + indent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(i: usize) -> Vec<Seg> {
        vec!["annotations".into(), i.into()]
    }

    fn id(i: usize) -> Vec<Seg> {
        vec!["annotations".into(), i.into(), "id".into()]
    }

    const FILE: &str = "annotations:\n  - quote: Hund # the dog\n    note: |\n      A dog.\n\n  - {quote: Katze, gloss: cat}\n  - quote: Maus\n    gloss: mouse\n";

    #[test]
    fn a_key_goes_first_and_its_removal_gives_back_the_file() {
        let with = add_key(FILE, &item(0), "id", "hund").unwrap();
        assert_eq!(with, FILE.replace("  - quote: Hund", "  - id: hund\n    quote: Hund"));
        assert_eq!(remove_key(&with, &id(0)).unwrap(), FILE);
        let with = add_key(FILE, &item(1), "id", "katze").unwrap();
        assert_eq!(with, FILE.replace("{quote: Katze", "{id: katze, quote: Katze"));
        assert_eq!(remove_key(&with, &id(1)).unwrap(), FILE);
        // A value that plain would not read back as the same string is quoted.
        let with = add_key(FILE, &item(2), "id", "true").unwrap();
        assert!(with.contains("  - id: \"true\"\n    quote: Maus\n"), "{with}");
        assert_eq!(remove_key(&with, &id(2)).unwrap(), FILE);
    }

    #[test]
    fn a_key_on_its_own_line_goes_with_its_line_and_comment() {
        let file = "annotations:\n  - quote: a\n    id: x # mine\n    note: n\n  - {quote: b, note: m, id: y}\n";
        assert_eq!(
            remove_key(file, &id(0)).unwrap(),
            "annotations:\n  - quote: a\n    note: n\n  - {quote: b, note: m, id: y}\n"
        );
        assert_eq!(
            remove_key(file, &id(1)).unwrap(),
            "annotations:\n  - quote: a\n    id: x # mine\n    note: n\n  - {quote: b, note: m}\n"
        );
        let crlf = "annotations:\r\n  - quote: a\r\n    note: n\r\n";
        let with = add_key(crlf, &item(0), "id", "x").unwrap();
        assert_eq!(with, "annotations:\r\n  - id: x\r\n    quote: a\r\n    note: n\r\n");
        assert_eq!(remove_key(&with, &id(0)).unwrap(), crlf);
    }

    #[test]
    fn what_cannot_be_removed_safely_is_refused() {
        for file in [
            // A comment line right under the first key: where would it go?
            "annotations:\n  - id: x\n    # about the quote\n    quote: a\n    note: n\n",
            // A block value.
            "annotations:\n  - quote: a\n    id: |\n      x\n    note: n\n",
            // No such key.
            "annotations:\n  - quote: a\n    note: n\n",
        ] {
            assert!(remove_key(file, &id(0)).is_err(), "{file}");
        }
        assert!(add_key("annotations:\n  - quote: a\n    id: x\n", &item(0), "id", "y").is_err());
        assert!(add_key("annotations:\n  - quote: a\n", &item(3), "id", "y").is_err());
    }
}
