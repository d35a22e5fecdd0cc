//! Appending one item (a mapping of scalars) to a list of a YAML file, every other byte kept:
//! what `glossa add` does to a sidecar.
//!
//! The new item follows the file's own style, read from the list's last item: the column of
//! its `-` and of its keys, the order of its keys, a blank line between items when the file
//! has them, block items or flow items (`- {quote: …}`), a flow list (`[{…}, {…}]`) on one line
//! or an item a line; values plain, 'single' or "double" quoted as most of the items' values
//! are, unless a value needs another style to read back as the same string; a `note` or
//! `gloss` of several lines as a `|` block with the chomping its final line breaks need.
//! Line endings follow the file's (CRLF stays CRLF), and a byte-order mark stays.
//!
//! Where the list is missing (no `annotations` key, an empty file, a file of comments), empty
//! (`annotations: []`) or null (`annotations:`, `~`), a block list is written there, indented
//! as the file indents its other lists.
//!
//! As for edits, the result is read back with serde_yaml and accepted only when it is the old
//! file with the item appended; a styled item that does not read back is written again with
//! every value double-quoted, and if that does not read back either the append is refused.
//! [`remove_item`] undoes an append exactly (`remove.rs`).

mod item;
mod remove;
mod scan;

use super::EditError;
use crate::yaml::pos::{Seg, path_text};
use item::{Quoting, Style, block_item, flow_item, order_keys, quoting_of};
use scan::{ItemScan, ListNode, Root, Scan, dash_col};
use std::ops::Range;

pub use remove::remove_item;

/// A value of a new item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NewValue {
    Text(String),
    /// A whole number, written plain (`occurrence: 2`).
    Number(u64),
}

/// The file with the item appended, and where the item stands in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appended {
    pub text: String,
    /// The bytes of the new item (from its `-` or `{` to the end of its last value).
    pub item: Range<usize>,
    /// The 1-based line on which the new item starts.
    pub line: usize,
}

/// Appends `item` (keys and values, in the order to use when the file shows none) to the list
/// at `list` in `source` (`[]`: the whole file is the list). A missing list is created only as
/// a key of a mapping (`list` of one key).
pub fn append_item(source: &str, list: &[Seg], item: &[(&str, NewValue)]) -> Result<Appended, EditError> {
    let bom = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &source[bom..];
    let scan = Scan::of(body, list)?;
    let old: serde_yaml::Value = serde_yaml::from_str(body).map_err(|e| EditError::NotYaml(e.to_string()))?;
    let expected = with_item(old, list, item).ok_or_else(|| EditError::NotAList(path_text(list)))?;
    let mut last_error = EditError::ReadBack(path_text(list));
    for safe in [false, true] {
        let (range, text, within) = scan.splice(body, list, item, safe)?;
        let mut out = String::with_capacity(source.len() + text.len());
        out.push_str(&source[..bom + range.start]);
        out.push_str(&text);
        out.push_str(&body[range.end..]);
        let read: Result<serde_yaml::Value, _> = serde_yaml::from_str(&out[bom..]);
        if read.as_ref().is_ok_and(|v| *v == expected) {
            let start = bom + range.start + within.start;
            let end = bom + range.start + within.end;
            let line = 1 + out[..start].bytes().filter(|&b| b == b'\n').count();
            return Ok(Appended {
                text: out,
                item: start..end,
                line,
            });
        }
        last_error = EditError::ReadBack(path_text(list));
    }
    Err(last_error)
}

/// `tree` with `item` appended to its list at `list` (made where it is null or missing).
fn with_item(mut tree: serde_yaml::Value, list: &[Seg], item: &[(&str, NewValue)]) -> Option<serde_yaml::Value> {
    let mut map = serde_yaml::Mapping::new();
    for (k, v) in item {
        let v = match v {
            NewValue::Text(s) => serde_yaml::Value::String(s.clone()),
            NewValue::Number(n) => serde_yaml::Value::Number((*n).into()),
        };
        map.insert(serde_yaml::Value::String((*k).to_owned()), v);
    }
    if tree.is_null() && !list.is_empty() {
        tree = serde_yaml::Value::Mapping(Default::default());
    }
    let mut slot = &mut tree;
    for (i, seg) in list.iter().enumerate() {
        slot = match seg {
            Seg::Key(k) => {
                let m = slot.as_mapping_mut()?;
                if i + 1 == list.len() && !m.contains_key(k.as_str()) {
                    m.insert(k.as_str().into(), serde_yaml::Value::Null);
                }
                m.get_mut(k.as_str())?
            }
            Seg::Index(n) => slot.as_sequence_mut()?.get_mut(*n)?,
        };
    }
    if slot.is_null() {
        *slot = serde_yaml::Value::Sequence(Vec::new());
    }
    slot.as_sequence_mut()?.push(serde_yaml::Value::Mapping(map));
    Some(tree)
}

impl Scan {
    /// The bytes of `body` to replace and the text that replaces them.
    fn splice(&self, body: &str, list: &[Seg], item: &[(&str, NewValue)], safe: bool) -> Result<Piece, EditError> {
        let nl = if body.contains("\r\n") { "\r\n" } else { "\n" };
        let shown = || path_text(list);
        let items: &[ItemScan] = match &self.list {
            Some(ListNode::Seq { items, .. }) => items,
            _ => &[],
        };
        let last = items.last();
        let quoting = quoting_of(items.iter().flat_map(|i| &i.styles));
        let reference = last.map(|i| i.keys.as_slice()).unwrap_or_default();
        let ordered = order_keys(item, reference);
        match &self.list {
            Some(ListNode::Seq { flow: false, items, .. }) if !items.is_empty() => {
                let last = &items[items.len() - 1];
                let start = last.start.unwrap_or(last.end);
                let dash = dash_col(body, start).unwrap_or(0);
                let style = Style {
                    quoting,
                    dash_col: dash,
                    key_col: last.key_col.filter(|&k| k > dash).unwrap_or(dash + 2),
                    block_indent: items.iter().rev().find_map(|i| i.block_indent).unwrap_or(2),
                    nl,
                    safe,
                };
                let at = after_item(body, last.end, dash);
                let blank = items.len() > 1 && blank_between(body, items[items.len() - 2].end, start);
                let mut text = String::new();
                if at == body.len() && !body.is_empty() && !body.ends_with('\n') {
                    text.push_str(nl);
                }
                // In the fallback, no blank line: a block before it that keeps its final line
                // breaks (`|+`) would take it.
                if blank && !safe {
                    text.push_str(nl);
                }
                let new = if last.flow && !safe {
                    format!("{}- {}{nl}", " ".repeat(dash), flow_item(&ordered, quoting, false))
                } else {
                    block_item(&ordered, &style)
                };
                text.push_str(&new);
                Ok(piece(at..at, text, &new))
            }
            Some(ListNode::Seq {
                flow: true,
                items,
                open,
                close: Some(close),
            }) if !items.is_empty() => Ok(flow_append(body, items, *open, *close, &ordered, quoting, nl, safe)),
            Some(ListNode::Seq {
                flow: true,
                open,
                close: Some(close),
                ..
            }) => self.fill_empty(body, *open..*close + 1, &ordered, quoting, nl, safe),
            Some(ListNode::Scalar { range, value }) if is_null(value) => {
                self.fill_empty(body, range.clone(), &ordered, quoting, nl, safe)
            }
            Some(_) => Err(EditError::NotAList(shown())),
            None => self.add_key(body, list, &ordered, nl, safe),
        }
    }

    /// The list's value is `[]` or null (at `range`, empty for no value at all): a block
    /// list in its place, after the key's line, or `[{…}]` inside a flow collection.
    #[allow(clippy::too_many_arguments)]
    fn fill_empty(
        &self,
        body: &str,
        range: Range<usize>,
        item: &[&(&str, NewValue)],
        quoting: Quoting,
        nl: &str,
        safe: bool,
    ) -> Result<Piece, EditError> {
        if self.list_in_flow {
            if range.is_empty() {
                return Err(EditError::Empty("the list".into()));
            }
            let new = flow_item(item, quoting, safe);
            return Ok(piece(range, format!("[{new}]"), &new));
        }
        let Some((key_at, key_col)) = self.key else {
            return Err(EditError::NotAList(String::new()));
        };
        let line_end = |from: usize| body[from..].find(['\r', '\n']).map_or(body.len(), |i| from + i);
        // The value and the spaces before it go; a comment after it stays on the key's line.
        let (start, end) = if range.is_empty() {
            let end = line_end(key_at);
            (end, end)
        } else {
            (body[..range.start].trim_end_matches(' ').len(), line_end(range.end))
        };
        let rest = if range.is_empty() { "" } else { &body[range.end..end] };
        let dash = key_col + self.list_indent.unwrap_or(2);
        let style = Style {
            quoting,
            dash_col: dash,
            key_col: dash + 2,
            block_indent: 2,
            nl,
            safe,
        };
        let mut text = if rest.trim().is_empty() {
            String::new()
        } else {
            rest.to_owned()
        };
        text.push_str(nl);
        let new = block_item(item, &style);
        text.push_str(new.trim_end_matches(['\r', '\n']));
        Ok(piece(start..end, text, &new))
    }

    /// No list and no key for it: `KEY:` and a block list at the end of a mapping written in
    /// blocks (or of a file with no document yet), or `KEY: [{…}]` in a flow mapping.
    fn add_key(
        &self,
        body: &str,
        list: &[Seg],
        item: &[&(&str, NewValue)],
        nl: &str,
        safe: bool,
    ) -> Result<Piece, EditError> {
        let [Seg::Key(key)] = list else {
            return Err(EditError::NotFound(path_text(list)));
        };
        let key_col = match &self.root {
            None => 0,
            Some(Root::Block { key_col }) => *key_col,
            Some(Root::Flow {
                close: Some(close),
                empty,
            }) => {
                let sep = if *empty { "" } else { ", " };
                let new = flow_item(item, Quoting::Plain, safe);
                let at = body[..*close].trim_end_matches([' ', '\r', '\n']).len();
                return Ok(piece(at..at, format!("{sep}{key}: [{new}]"), &new));
            }
            Some(_) => return Err(EditError::NotAList(path_text(list))),
        };
        let dash = key_col + self.list_indent.unwrap_or(2);
        let style = Style {
            quoting: Quoting::Plain,
            dash_col: dash,
            key_col: dash + 2,
            block_indent: 2,
            nl,
            safe,
        };
        let mut text = String::new();
        if !body.is_empty() && !body.ends_with('\n') {
            text.push_str(nl);
        }
        text.push_str(&format!("{}{key}:{nl}", " ".repeat(key_col)));
        let new = block_item(item, &style);
        text.push_str(&new);
        Ok(piece(body.len()..body.len(), text, &new))
    }
}

/// `~`, `null` and the empty value.
fn is_null(value: &str) -> bool {
    matches!(value, "" | "~" | "null" | "Null" | "NULL")
}

/// Where a new item goes after the last one, which ends at `end` with its `-` at `dash`: at
/// the start of the next line, past the comment lines indented under the item.
fn after_item(body: &str, end: usize, dash: usize) -> usize {
    let mut at = body[end..].find('\n').map_or(body.len(), |i| end + i + 1);
    while at < body.len() {
        let line_end = body[at..].find('\n').map_or(body.len(), |i| at + i + 1);
        let line = &body[at..line_end];
        let indent = line.len() - line.trim_start_matches(' ').len();
        if !(line.trim_start().starts_with('#') && indent > dash) {
            break;
        }
        at = line_end;
    }
    at
}

/// Whether a blank line stands between two items (between `from` and `to`).
fn blank_between(body: &str, from: usize, to: usize) -> bool {
    let gap = body.get(from..to).unwrap_or_default();
    gap.split('\n').skip(1).any(|l| l.trim().is_empty()) && gap.matches('\n').count() >= 2
}

/// The text that appends `item` to a flow list whose items are `items`, opened at `open`
/// (`[`) and closed at `close` (`]`): `, {…}` after the last item, or on a line of its own
/// when the items stand a line each; after a trailing comma, a new one after the item.
#[allow(clippy::too_many_arguments)]
fn flow_append(
    body: &str,
    items: &[ItemScan],
    open: usize,
    close: usize,
    item: &[&(&str, NewValue)],
    quoting: Quoting,
    nl: &str,
    safe: bool,
) -> Piece {
    let last = &items[items.len() - 1];
    let start = last.start.unwrap_or(last.end);
    let line_start = body[..start].rfind('\n').map_or(0, |i| i + 1);
    let own_line = line_start > open && body[line_start..start].bytes().all(|b| b == b' ');
    let new = flow_item(item, quoting, safe);
    let after = &body[last.end..close];
    let comma = after.trim_start().starts_with(',');
    if comma {
        let at = last.end + after.find(',').unwrap_or(0) + 1;
        let text = if own_line {
            format!("{nl}{}{new},", &body[line_start..start])
        } else {
            format!(" {new},")
        };
        return piece(at..at, text, &new);
    }
    let text = if own_line {
        format!(",{nl}{}{new}", &body[line_start..start])
    } else {
        format!(", {new}")
    };
    piece(last.end..last.end, text, &new)
}

/// What replaces a range of the file: the range, the new text, and where the new item
/// stands in that text.
type Piece = (Range<usize>, String, Range<usize>);

/// A [`Piece`] whose item is `item`, the last copy of it in `text` (its indentation and final
/// line break left out).
fn piece(range: Range<usize>, text: String, item: &str) -> Piece {
    let item = item.trim_start_matches(' ').trim_end_matches(['\r', '\n']);
    let at = text.rfind(item).unwrap_or(0);
    let within = at..at + item.len();
    (range, text, within)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> NewValue {
        NewValue::Text(s.to_owned())
    }

    fn add(source: &str, item: &[(&str, NewValue)]) -> String {
        append_item(source, &["annotations".into()], item)
            .unwrap_or_else(|e| panic!("{e} in {source:?}"))
            .text
    }

    fn gloss(quote: &str, gloss: &str) -> Vec<(&'static str, NewValue)> {
        vec![("quote", text(quote)), ("gloss", text(gloss))]
    }

    #[test]
    fn block_items_follow_the_last_item() {
        let src = "# c\ntitle: T\nannotations:\n  - id: x\n    quote: a\n    note: |\n      n\n\n  - quote: b   # why\n    gloss: g\n    # later\n# end\n";
        let out = add(src, &[("id", text("y")), ("quote", text("c")), ("gloss", text("d"))]);
        assert_eq!(
            out,
            src.replace(
                "    # later\n",
                "    # later\n\n  - id: y\n    quote: c\n    gloss: d\n"
            )
        );
        // An indentless list, no blank lines, double quotes.
        let src = "annotations:\n- quote: \"a\"\n  gloss: \"b\"\n- quote: \"c\"\n  gloss: \"d\"\nslug: s\n";
        let out = add(src, &gloss("e", "f"));
        assert_eq!(out, src.replace("slug: s", "- quote: \"e\"\n  gloss: \"f\"\nslug: s"));
        let src = "annotations:\n    -   quote: 'a'\n        gloss: 'b'";
        let out = add(src, &gloss("it's", "x: y"));
        assert_eq!(out, format!("{src}\n    -   quote: 'it''s'\n        gloss: 'x: y'\n"));
    }

    #[test]
    fn flow_items_and_flow_lists() {
        let src = "annotations:\n  - {quote: a, gloss: b}\n";
        assert_eq!(
            add(src, &gloss("c, d", "e")),
            format!("{src}  - {{quote: \"c, d\", gloss: e}}\n")
        );
        let src = "annotations: [ {quote: a, gloss: b} ]  # x\n";
        assert_eq!(
            add(src, &gloss("c", "d")),
            "annotations: [ {quote: a, gloss: b}, {quote: c, gloss: d} ]  # x\n"
        );
        let src = "annotations: [\n  {quote: a, gloss: b},\n]\n";
        assert_eq!(
            add(src, &gloss("c", "d")),
            "annotations: [\n  {quote: a, gloss: b},\n  {quote: c, gloss: d},\n]\n"
        );
        let src = "annotations: [\n  {quote: a, gloss: b}\n]\n";
        assert_eq!(
            add(src, &gloss("c", "d")),
            "annotations: [\n  {quote: a, gloss: b},\n  {quote: c, gloss: d}\n]\n"
        );
        // A note of several lines cannot be a block inside a flow item: double-quoted.
        let src = "annotations: [{quote: a, gloss: b}]\n";
        let out = add(src, &[("quote", text("c")), ("note", text("x\ny\n"))]);
        assert_eq!(
            out,
            "annotations: [{quote: a, gloss: b}, {quote: c, note: \"x\\ny\\n\"}]\n"
        );
    }

    #[test]
    fn a_missing_empty_or_null_list_becomes_a_block_list() {
        let item = gloss("a", "b");
        assert_eq!(add("", &item), "annotations:\n  - quote: a\n    gloss: b\n");
        assert_eq!(
            add("# only a comment", &item),
            "# only a comment\nannotations:\n  - quote: a\n    gloss: b\n"
        );
        assert_eq!(
            add("title: T\n", &item),
            "title: T\nannotations:\n  - quote: a\n    gloss: b\n"
        );
        assert_eq!(
            add("title: T\ntags:\n- x\n", &item),
            "title: T\ntags:\n- x\nannotations:\n- quote: a\n  gloss: b\n"
        );
        assert_eq!(
            add("annotations: []  # none yet\ntitle: T\n", &item),
            "annotations:  # none yet\n  - quote: a\n    gloss: b\ntitle: T\n"
        );
        assert_eq!(
            add("annotations: [ ]\n", &item),
            "annotations:\n  - quote: a\n    gloss: b\n"
        );
        assert_eq!(
            add("annotations:\ntitle: T\n", &item),
            "annotations:\n  - quote: a\n    gloss: b\ntitle: T\n"
        );
        assert_eq!(
            add("annotations: ~\n", &item),
            "annotations:\n  - quote: a\n    gloss: b\n"
        );
        assert_eq!(
            add("{title: T}\n", &item),
            "{title: T, annotations: [{quote: a, gloss: b}]}\n"
        );
        assert_eq!(
            add("{annotations: []}\n", &item),
            "{annotations: [{quote: a, gloss: b}]}\n"
        );
    }

    #[test]
    fn notes_of_several_lines_are_blocks_with_the_right_chomping() {
        let src = "annotations:\n  - quote: a\n    gloss: b\n";
        let with_note = |note: &str| add(src, &[("quote", text("q")), ("note", text(note))]);
        assert_eq!(
            with_note("x\ny"),
            format!("{src}  - quote: q\n    note: |-\n      x\n      y\n")
        );
        assert_eq!(
            with_note("x\n\ny\n"),
            format!("{src}  - quote: q\n    note: |\n      x\n\n      y\n")
        );
        assert_eq!(
            with_note("x\ny\n\n"),
            format!("{src}  - quote: q\n    note: |+\n      x\n      y\n\n")
        );
        assert_eq!(
            with_note("  x\ny\n"),
            format!("{src}  - quote: q\n    note: |2\n        x\n      y\n")
        );
        assert_eq!(
            with_note("\tx # y\n"),
            format!("{src}  - quote: q\n    note: |2\n      \tx # y\n")
        );
    }

    #[test]
    fn crlf_and_a_bom_stay() {
        let src = "\u{feff}annotations:\r\n  - quote: a\r\n    gloss: b\r\n";
        let out = add(src, &[("quote", text("c")), ("note", text("x\ny\n"))]);
        assert_eq!(
            out,
            format!("{src}  - quote: c\r\n    note: |\r\n      x\r\n      y\r\n")
        );
    }

    #[test]
    fn keys_follow_the_last_items_order() {
        let item = [
            ("id", text("i")),
            ("quote", text("q")),
            ("occurrence", NewValue::Number(2)),
            ("gloss", text("g")),
            ("note", text("n")),
        ];
        let src = "annotations:\n  - note: x\n    quote: y\n";
        assert_eq!(
            add(src, &item),
            format!("{src}  - id: i\n    note: n\n    occurrence: 2\n    gloss: g\n    quote: q\n")
        );
    }

    #[test]
    fn the_new_items_place_is_reported() {
        let src = "\u{feff}title: T\nannotations: [{quote: a, gloss: b}]\n";
        let done = append_item(src, &["annotations".into()], &gloss("c", "d")).unwrap();
        assert_eq!(&done.text[done.item.clone()], "{quote: c, gloss: d}");
        assert_eq!(done.line, 2);
        let done = append_item("a: 1\n", &["annotations".into()], &gloss("c", "d")).unwrap();
        assert_eq!(&done.text[done.item.clone()], "- quote: c\n    gloss: d");
        assert_eq!(done.line, 3);
    }

    #[test]
    fn refuses_what_it_cannot_append_to() {
        let item = gloss("a", "b");
        let err = |src: &str| append_item(src, &["annotations".into()], &item).unwrap_err();
        assert!(matches!(err("annotations: [a\n"), EditError::NotYaml(_)));
        assert_eq!(err("annotations: x\n"), EditError::NotAList("annotations".into()));
        assert_eq!(err("annotations: {a: b}\n"), EditError::NotAList("annotations".into()));
        assert_eq!(err("- a\n"), EditError::NotAList("annotations".into()));
        assert_eq!(
            err("a: &x [b]\nannotations: *x\n"),
            EditError::NotAList("annotations".into())
        );
        assert_eq!(
            err("annotations: &x []\nb: *x\n"),
            EditError::Anchored("annotations".into())
        );
        assert_eq!(err("annotations: !!seq []\n"), EditError::Tagged("annotations".into()));
        assert_eq!(err("a: 1\n---\na: 2\n"), EditError::MultipleDocuments);
    }
}

/// Property tests: random strings (YAML's indicators, quotes, spaces at the ends, tabs, line
/// breaks, carriage returns, unicode) appended to sidecars of every shape read back exactly,
/// the old items unchanged, and where the list had items every old byte kept (the new text is
/// the old one with one piece inserted).
#[cfg(test)]
mod props {
    use super::*;
    use proptest::prelude::*;

    const SHAPES: &[&str] = &[
        "annotations:\n  - quote: a\n    gloss: b\n",
        "# c\nannotations:\n- quote: 'a'\n  note: |\n    x\n\n- quote: \"b\"   # c\n  gloss: c\n# end\n",
        "annotations:\n  - {quote: a, gloss: b}\n",
        "annotations: [{quote: a, gloss: b}]\n",
        "annotations: [\n    {quote: a, gloss: b},\n]\n",
        "\u{feff}title: T\r\nannotations:\r\n  - quote: a\r\n    note: >-\r\n      b\r\n",
        "annotations:\n    - quote: a\n      note: |+\n        keep\n\n",
        "annotations: []\n",
        "title: T\n",
        "",
        "annotations: ~ # none\ntitle: x",
    ];

    fn value() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a", "Wort", " ", "  ", "\t", "\n", "\n\n", "\r", "\r\n", ":", ": ", " #", "#", "-", "- ", "'", "\"", "*",
            "&", "!", "%", "@", "`", "|", ">", "?", ",", "[", "]", "{", "}", "\\", "ä", "„", "“", "🎉", "\u{85}",
            "\u{2028}", "\u{feff}", "\u{7}", "true", "null", "~", "1", "0x1F", "---", "...",
        ]);
        prop::collection::vec(pieces, 1..8).prop_map(|v| v.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn appended_values_read_back_exactly(
            shape in 0..SHAPES.len(),
            quote in value(),
            note in value(),
            gloss in value(),
            prefix in value(),
            occurrence in prop::option::of(1u64..9),
        ) {
            let src = SHAPES[shape];
            let mut item = vec![
                ("quote", NewValue::Text(quote.clone())),
                ("prefix", NewValue::Text(prefix.clone())),
            ];
            item.extend(occurrence.map(|n| ("occurrence", NewValue::Number(n))));
            item.push(("gloss", NewValue::Text(gloss.clone())));
            item.push(("note", NewValue::Text(note.clone())));
            let done = append_item(src, &["annotations".into()], &item).unwrap();
            let back: serde_yaml::Value = serde_yaml::from_str(done.text.trim_start_matches('\u{feff}')).unwrap();
            let list = back["annotations"].as_sequence().unwrap();
            let old: serde_yaml::Value = serde_yaml::from_str(src.trim_start_matches('\u{feff}')).unwrap();
            let old_items = old.get("annotations").and_then(|a| a.as_sequence()).cloned().unwrap_or_default();
            prop_assert_eq!(&list[..list.len() - 1], &old_items[..]);
            let new = &list[list.len() - 1];
            for (k, v) in [("quote", &quote), ("note", &note), ("gloss", &gloss), ("prefix", &prefix)] {
                prop_assert_eq!(new[k].as_str(), Some(v.as_str()), "{}", done.text);
            }
            prop_assert_eq!(new.get("occurrence").and_then(|v| v.as_u64()), occurrence);
            if !old_items.is_empty() {
                let same_head = src.bytes().zip(done.text.bytes()).take_while(|(a, b)| a == b).count();
                let same_tail = src.bytes().rev().zip(done.text.bytes().rev()).take_while(|(a, b)| a == b).count();
                prop_assert!(same_head + same_tail >= src.len(), "{:?}", done.text);
            }
        }
    }
}
