//! Renaming one key of a mapping, every other byte kept: Edit in `serve`'s editor turns a
//! note into a gloss (`note:` → `gloss:`) by rewriting the key's bytes and nothing else. Only
//! a plain key is renamed (a quoted one is refused); the result is read back and accepted
//! only when it is the old file with that one key renamed.

use super::{EditError, MarkBytes};
use crate::yaml::pos::{PathWalk, Role, Seg, events, path_text};

/// `source` with the key that ends `path` (`annotations[3].note`) renamed to `new`.
pub fn rename_key(source: &str, path: &[Seg], new: &str) -> Result<String, EditError> {
    let bom = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &source[bom..];
    let shown = || path_text(path);
    let (Some(Seg::Key(old)), Some(parent)) = (path.last(), path.len().checked_sub(1).map(|n| &path[..n])) else {
        return Err(EditError::NotFound(shown()));
    };
    let marks = MarkBytes::new(body);
    let mut walk = PathWalk::default();
    let at = events(body)
        .find_map(|(ev, mark)| match walk.step(&ev) {
            Some((Role::Key, p)) if p == path => Some(marks.byte(body, mark)),
            _ => None,
        })
        .ok_or_else(|| EditError::NotFound(shown()))?;
    let plain = body[at..]
        .strip_prefix(old.as_str())
        .is_some_and(|rest| rest.trim_start_matches([' ', '\t']).starts_with(':'));
    if !plain || !super::plain_fits(new, false) {
        return Err(EditError::NotFound(shown()));
    }
    let out = format!("{}{new}{}", &source[..bom + at], &body[at + old.len()..]);
    let mut expected: serde_yaml::Value = serde_yaml::from_str(body).map_err(|e| EditError::NotYaml(e.to_string()))?;
    let map = super::value_at(&mut expected, parent)
        .and_then(|v| v.as_mapping_mut())
        .ok_or_else(|| EditError::NotFound(shown()))?;
    if map.contains_key(new) {
        return Err(EditError::EditedTwice(format!("{}.{new}", path_text(parent))));
    }
    let value = map.remove(old.as_str()).ok_or_else(|| EditError::NotFound(shown()))?;
    map.insert(new.into(), value);
    let read: Result<serde_yaml::Value, _> = serde_yaml::from_str(&out[bom..]);
    if !read.is_ok_and(|v| v == expected) {
        return Err(EditError::ReadBack(shown()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(i: usize, key: &str) -> Vec<Seg> {
        vec!["annotations".into(), i.into(), key.into()]
    }

    #[test]
    fn only_the_keys_bytes_change() {
        let file = "annotations:\n  - quote: note\n    note: |  # keep\n      a note\n  - {quote: b, note: x}\n";
        assert_eq!(
            rename_key(file, &path(0, "note"), "gloss").unwrap(),
            "annotations:\n  - quote: note\n    gloss: |  # keep\n      a note\n  - {quote: b, note: x}\n"
        );
        assert_eq!(
            rename_key(file, &path(1, "note"), "term").unwrap(),
            "annotations:\n  - quote: note\n    note: |  # keep\n      a note\n  - {quote: b, term: x}\n"
        );
    }

    #[test]
    fn a_missing_quoted_or_clashing_key_is_refused() {
        let file = "annotations:\n  - quote: a\n    \"note\": x\n    gloss: y\n";
        assert!(rename_key(file, &path(0, "note"), "term").is_err());
        assert!(rename_key(file, &path(0, "see"), "term").is_err());
        assert!(rename_key(file, &path(0, "gloss"), "quote").is_err());
        assert!(rename_key(file, &path(3, "gloss"), "note").is_err());
    }
}
