//! Removing one item of a list, every other byte kept: what Delete in `serve`'s editor does to
//! a sidecar, and the exact undoing of [`super::append_item`] (append, then remove the new
//! item, gives back the old file byte for byte).
//!
//! What goes with an item of a list written in blocks: its lines (from the line of its `-` to
//! the end of its last value), the comment lines indented under it (as an append counts them
//! to the item), and one run of blank lines that separated it from its neighbours: the run
//! above it, or for the first item the run below it when another item follows. Comment lines
//! above an item stay: they may head a section of the list (`# --- NBC report ---`) rather
//! than speak of the one item. The last item of a list under a key leaves `KEY: []`, as an
//! append to `[]` found it. In a flow list (`[{…}, {…}]`) the item goes with the comma before
//! it (the one after it, for the first). As for every edit, the result is read back and
//! accepted only when it is the old file without that item.

use super::EditError;
use super::after_item;
use super::scan::{ListNode, Scan, dash_col};
use crate::yaml::pos::{Seg, path_text};

/// `source` without the item `index` of the list at `list`.
pub fn remove_item(source: &str, list: &[Seg], index: usize) -> Result<String, EditError> {
    let bom = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &source[bom..];
    let mut item_path = list.to_vec();
    item_path.push(Seg::Index(index));
    let shown = || path_text(&item_path);
    let scan = Scan::of(body, list)?;
    let Some(ListNode::Seq {
        flow,
        open,
        close,
        items,
    }) = &scan.list
    else {
        return Err(EditError::NotAList(path_text(list)));
    };
    let Some(item) = items.get(index) else {
        return Err(EditError::NotFound(shown()));
    };
    let start = item.start.unwrap_or(item.end);
    let mut out = body.to_owned();
    if *flow {
        let range = match (index, items.len(), close) {
            (_, 1, Some(close)) => *open..*close + 1,
            (0, _, _) => start..items[1].start.unwrap_or(items[1].end),
            _ => items[index - 1].end..item.end,
        };
        let text = if items.len() == 1 { "[]" } else { "" };
        out.replace_range(range, text);
    } else {
        let dash = dash_col(body, start).ok_or_else(|| EditError::NotFound(shown()))?;
        let mut from = line_start(body, start);
        let mut to = after_item(body, item.end, dash);
        if index > 0 && blank_above(body, from) < from {
            from = blank_above(body, from);
        } else if index + 1 < items.len() {
            to = blank_below(body, to);
        }
        let only = items.len() == 1;
        out.replace_range(from..to, "");
        if only {
            let (key_at, _) = scan.key.ok_or_else(|| EditError::NotFound(shown()))?;
            let colon = body[key_at..]
                .find(':')
                .map(|i| key_at + i + 1)
                .filter(|&c| c <= from)
                .ok_or_else(|| EditError::NotFound(shown()))?;
            out.insert_str(colon, " []");
        }
    }
    let old: serde_yaml::Value = serde_yaml::from_str(body).map_err(|e| EditError::NotYaml(e.to_string()))?;
    let expected = without_item(old, list, index).ok_or_else(|| EditError::NotFound(shown()))?;
    let read: Result<serde_yaml::Value, _> = serde_yaml::from_str(&out);
    if !read.is_ok_and(|v| v == expected) {
        return Err(EditError::ReadBack(shown()));
    }
    Ok(format!("{}{out}", &source[..bom]))
}

/// `tree` without the item `index` of its list at `list`.
fn without_item(mut tree: serde_yaml::Value, list: &[Seg], index: usize) -> Option<serde_yaml::Value> {
    let mut slot = &mut tree;
    for seg in list {
        slot = match seg {
            Seg::Key(k) => slot.as_mapping_mut()?.get_mut(k.as_str())?,
            Seg::Index(n) => slot.as_sequence_mut()?.get_mut(*n)?,
        };
    }
    let items = slot.as_sequence_mut()?;
    (index < items.len()).then(|| items.remove(index))?;
    Some(tree)
}

/// The start of the line that `at` is on.
fn line_start(body: &str, at: usize) -> usize {
    body[..at].rfind('\n').map_or(0, |i| i + 1)
}

/// The start of the run of blank lines that ends at `from` (a line's start); `from` itself
/// when the line above is not blank.
fn blank_above(body: &str, mut from: usize) -> usize {
    while from > 0 {
        let above = line_start(body, from - 1);
        if !body[above..from].trim().is_empty() {
            break;
        }
        from = above;
    }
    from
}

/// The end of the run of blank lines that starts at `to` (a line's start).
fn blank_below(body: &str, mut to: usize) -> usize {
    while to < body.len() {
        let end = body[to..].find('\n').map_or(body.len(), |i| to + i + 1);
        if !body[to..end].trim().is_empty() {
            break;
        }
        to = end;
    }
    to
}

#[cfg(test)]
mod tests {
    use super::super::{NewValue, append_item};
    use super::*;

    fn list() -> Vec<Seg> {
        vec!["annotations".into()]
    }

    fn removed(source: &str, index: usize) -> String {
        remove_item(source, &list(), index).unwrap_or_else(|e| panic!("{e} in {source:?}"))
    }

    #[test]
    fn an_item_goes_with_its_lines_its_comments_below_and_one_blank_run() {
        let file = "title: T\nannotations:\n  # --- head\n  - quote: a\n    gloss: x\n\n  - quote: b # b\n    note: |\n      N\n    # about b\n\n  - {quote: c, gloss: z}\nafter: 1\n";
        assert_eq!(
            removed(file, 0),
            "title: T\nannotations:\n  # --- head\n  - quote: b # b\n    note: |\n      N\n    # about b\n\n  - {quote: c, gloss: z}\nafter: 1\n"
        );
        assert_eq!(
            removed(file, 1),
            "title: T\nannotations:\n  # --- head\n  - quote: a\n    gloss: x\n\n  - {quote: c, gloss: z}\nafter: 1\n"
        );
        assert_eq!(
            removed(file, 2),
            "title: T\nannotations:\n  # --- head\n  - quote: a\n    gloss: x\n\n  - quote: b # b\n    note: |\n      N\n    # about b\nafter: 1\n"
        );
    }

    #[test]
    fn the_last_item_leaves_an_empty_list_and_flow_lists_lose_a_comma() {
        assert_eq!(
            removed("annotations:  # c\n  - quote: a\nx: 1\n", 0),
            "annotations: []  # c\nx: 1\n"
        );
        assert_eq!(
            removed("annotations: [{quote: a}, {quote: b}]\n", 0),
            "annotations: [{quote: b}]\n"
        );
        assert_eq!(
            removed("annotations: [{quote: a}, {quote: b}]\n", 1),
            "annotations: [{quote: a}]\n"
        );
        assert_eq!(removed("annotations: [{quote: a},]\n", 0), "annotations: []\n");
        assert_eq!(
            removed("\u{feff}annotations:\r\n  - quote: a\r\n  - quote: b\r\n", 1),
            "\u{feff}annotations:\r\n  - quote: a\r\n"
        );
        assert!(matches!(
            remove_item("annotations: []\n", &list(), 0),
            Err(EditError::NotFound(_))
        ));
        assert!(matches!(
            remove_item("annotations: 3\n", &list(), 0),
            Err(EditError::NotAList(_))
        ));
    }

    /// Append, then remove what was appended: the old file, byte for byte, in every shape an
    /// append handles.
    #[test]
    fn removing_an_appended_item_gives_back_the_file() {
        let item = [
            ("quote", NewValue::Text("Hund: ja".into())),
            ("note", NewValue::Text("two\nlines\n".into())),
        ];
        for file in [
            "annotations: []\n",
            "annotations: []  # none yet\nslug: s\n",
            "annotations:\n  - quote: a\n",
            "annotations:\n  - quote: a\n\n  - quote: b\n    # under b\n",
            "annotations:\n- quote: a\n  gloss: x\nslug: s\n",
            "annotations: [{quote: a}]\n",
            "annotations:\n  [\n    {quote: a},\n    {quote: b},\n  ]\n",
            "annotations:\r\n  - quote: a\r\n",
            "title: x\nannotations:\n  - {quote: a, gloss: b}\n\n  - {quote: c, gloss: d}\n",
        ] {
            let added = append_item(file, &list(), &item).unwrap();
            let n = serde_yaml::from_str::<serde_yaml::Value>(&added.text).unwrap()["annotations"]
                .as_sequence()
                .unwrap()
                .len();
            assert_eq!(removed(&added.text, n - 1), file, "{:?}", added.text);
        }
    }
}
