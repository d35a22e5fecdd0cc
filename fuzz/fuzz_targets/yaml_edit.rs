//! The YAML source editor (`glossa::yamledit`), fed by libFuzzer: any text, any path, any new
//! value.
//!
//! The input is `SOURCE 0xFF PATH 0xFF VALUE` (0xFF never occurs in UTF-8): PATH is dotted
//! (`annotations.3.quote`, a number is an index). Besides "no panic, no hang", it checks the
//! editor's promises: an edit either is refused or gives a text that reads back (by serde_yaml,
//! glossa's reader) with the path holding the new value and every other value unchanged, and
//! that differs from the source only inside the span the editor says it replaced.

#![no_main]

use glossa::yaml::pos::Seg;
use glossa::yamledit::{Edit, Editor};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |&b| b == 0xFF);
    let (Some(source), Some(path), Some(value)) = (parts.next(), parts.next(), parts.next()) else {
        return;
    };
    let (Ok(source), Ok(path), Ok(value)) = (
        std::str::from_utf8(source),
        std::str::from_utf8(path),
        std::str::from_utf8(value),
    ) else {
        return;
    };
    let path: Vec<Seg> = path
        .split('.')
        .map(|p| p.parse::<usize>().map_or_else(|_| Seg::Key(p.to_owned()), Seg::Index))
        .collect();
    let Ok(editor) = Editor::new(source) else {
        return;
    };
    let edits = [Edit {
        path: path.clone(),
        value: value.to_owned(),
    }];
    let Ok(out) = editor.apply(&edits) else {
        return;
    };
    let splices = editor.splices(&edits).expect("the splices of an accepted edit");
    assert_eq!(splices.len(), 1);
    let s = &splices[0];
    assert!(
        out.starts_with(&source[..s.range.start]),
        "a byte before the edit changed"
    );
    assert!(out.ends_with(&source[s.range.end..]), "a byte after the edit changed");
    assert_eq!(out.len(), source.len() - s.range.len() + s.text.len());
    let body = |s: &str| s.strip_prefix('\u{feff}').unwrap_or(s).to_owned();
    let got: serde_yaml::Value = serde_yaml::from_str(&body(&out)).expect("the edited text parses");
    let mut at = &got;
    for seg in &path {
        at = match seg {
            Seg::Key(k) => at.get(k.as_str()).expect("the edited key"),
            Seg::Index(i) => at.get(*i).expect("the edited item"),
        };
    }
    assert_eq!(at.as_str(), Some(value), "the edited value reads back");
});
