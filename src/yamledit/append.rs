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

use super::{
    EditError, MarkBytes, Scalar, block_place, double_quoted, is_special_break, plain_fits, printable, scalar_end,
    single_fits,
};
use crate::yaml::pos::{PathWalk, Role, Seg, path_text};
use std::ops::Range;
use yaml_rust2::parser::Event;
use yaml_rust2::scanner::TScalarStyle;

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

/// What the event parser found about the list and the file around it.
#[derive(Default)]
struct Scan {
    /// The top-level node: a mapping in blocks (with its keys' column), in flow (with the
    /// bytes of its `{` and `}`), or anything else.
    root: Option<Root>,
    /// The key whose value is the list: its byte and column.
    key: Option<(usize, usize)>,
    list: Option<ListNode>,
    /// How far a list written in blocks under a key is indented from the key (`tags:` then
    /// `  - x`: 2), as the file does it.
    list_indent: Option<usize>,
    /// The list's value sits in a flow collection.
    list_in_flow: bool,
}

enum Root {
    Block { key_col: usize },
    Flow { close: Option<usize>, empty: bool },
    Other,
}

enum ListNode {
    Seq {
        flow: bool,
        /// The byte of `[` (flow) or of the first item.
        open: usize,
        /// The byte of `]` (flow).
        close: Option<usize>,
        items: Vec<ItemScan>,
    },
    /// A scalar (null, or not a list): its bytes and value.
    Scalar {
        range: Range<usize>,
        value: String,
    },
    Other,
}

#[derive(Default)]
struct ItemScan {
    start: Option<usize>,
    end: usize,
    /// A flow mapping (`{…}`).
    flow: bool,
    keys: Vec<String>,
    /// The styles of its values that could have been plain (the author's choice).
    styles: Vec<TScalarStyle>,
    /// The column of its keys (a mapping in blocks).
    key_col: Option<usize>,
    /// How far a block value's lines are indented from its key.
    block_indent: Option<usize>,
}

/// One open collection while scanning: its path (if followed) and whether it is a flow one.
struct Open {
    path: Option<Vec<Seg>>,
    flow: bool,
}

impl Scan {
    fn of(body: &str, list: &[Seg]) -> Result<Scan, EditError> {
        let marks = MarkBytes::new(body);
        let mut scan = Scan::default();
        let mut walk = PathWalk::default();
        let mut open: Vec<Open> = Vec::new();
        let mut documents = 0;
        let mut last_end = 0;
        // Event by event (not the parser's recursive `load`), to the end or the first error.
        let mut parser = yaml_rust2::parser::Parser::new_from_str(body);
        loop {
            let (ev, mark) = parser.next_token().map_err(|e| EditError::NotYaml(e.to_string()))?;
            if ev == Event::StreamEnd {
                break;
            }
            let at = marks.byte(body, mark);
            let in_flow = open.last().is_some_and(|o| o.flow);
            let step = walk.step(&ev);
            match &ev {
                Event::DocumentStart => documents += 1,
                Event::MappingStart(anchor, tag) | Event::SequenceStart(anchor, tag) => {
                    let flow = in_flow || opens_flow(body, at, &ev);
                    let path = step.map(|(_, p)| p);
                    if let Some(p) = &path {
                        scan.on_open(body, list, p, &ev, at, flow, mark.col())?;
                        if p.as_slice() == list && (*anchor > 0 || tag.is_some()) {
                            return Err(if *anchor > 0 {
                                EditError::Anchored(path_text(list))
                            } else {
                                EditError::Tagged(path_text(list))
                            });
                        }
                        if p.as_slice() == list {
                            scan.list_in_flow = in_flow;
                        }
                    }
                    open.push(Open { path, flow });
                    last_end = at;
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    if let Some(o) = open.pop()
                        && let Some(p) = o.path
                    {
                        let close = o.flow.then_some(at);
                        if o.flow {
                            last_end = at + 1;
                        }
                        scan.on_close(list, &p, close);
                    }
                }
                Event::Scalar(value, style, anchor, tag) => {
                    let scalar = Scalar {
                        start: at,
                        style: *style,
                        value: value.clone(),
                        flow: in_flow,
                        after: last_end,
                    };
                    let end = match style {
                        TScalarStyle::Literal | TScalarStyle::Folded => {
                            let breaks = value.len() - value.trim_end_matches('\n').len();
                            block_place(body, at, last_end)
                                .map(|b| (kept_lines_end(body, b.content.end, breaks), b.indent))
                        }
                        _ => scalar_end(body, &scalar).map(|e| (e, 0)),
                    };
                    let (end, indent) = end.unwrap_or((at, 0));
                    if let Some((role, p)) = step {
                        if role == Role::Value && p.as_slice() == list && (*anchor > 0 || tag.is_some()) {
                            return Err(EditError::Tagged(path_text(list)));
                        }
                        scan.on_scalar(list, role, &p, &scalar, end, indent, mark.col());
                        if role == Role::Value && p.as_slice() == list {
                            scan.list_in_flow = in_flow;
                        }
                    }
                    if !value.is_empty() || !matches!(style, TScalarStyle::Plain) {
                        last_end = end;
                    }
                }
                Event::Alias(_) => {
                    if let Some((_, p)) = &step {
                        if p.as_slice() == list {
                            scan.list = Some(ListNode::Other);
                        }
                        let name = body[at + 1..].find(|c: char| c.is_whitespace() || ",[]{}".contains(c));
                        let end = name.map_or(body.len(), |n| at + 1 + n);
                        scan.item_mut(list, p).into_iter().for_each(|i| {
                            i.start.get_or_insert(at);
                            i.end = end;
                        });
                        last_end = end;
                    }
                }
                _ => {}
            }
        }
        if documents > 1 {
            return Err(EditError::MultipleDocuments);
        }
        Ok(scan)
    }

    /// The item of the list that `path` lies in (or is).
    fn item_mut(&mut self, list: &[Seg], path: &[Seg]) -> Option<&mut ItemScan> {
        let Some(Seg::Index(i)) = path.get(list.len()) else {
            return None;
        };
        if !path.starts_with(list) {
            return None;
        }
        match &mut self.list {
            Some(ListNode::Seq { items, .. }) => items.get_mut(*i),
            _ => None,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn on_open(
        &mut self,
        body: &str,
        list: &[Seg],
        path: &[Seg],
        ev: &Event,
        at: usize,
        flow: bool,
        col: usize,
    ) -> Result<(), EditError> {
        if path.is_empty() && self.root.is_none() {
            self.root = Some(match ev {
                Event::MappingStart(..) if flow => Root::Flow {
                    close: None,
                    empty: true,
                },
                Event::MappingStart(..) => Root::Block { key_col: col },
                _ => Root::Other,
            });
        }
        if path == list {
            self.list = Some(match ev {
                Event::SequenceStart(..) => ListNode::Seq {
                    flow,
                    open: at,
                    close: None,
                    items: Vec::new(),
                },
                _ => ListNode::Other,
            });
            return Ok(());
        }
        if path.len() == list.len() + 1 && path.starts_with(list) {
            if let Some(ListNode::Seq { items, .. }) = &mut self.list {
                items.push(ItemScan {
                    flow,
                    start: flow.then_some(at),
                    ..ItemScan::default()
                });
            }
            return Ok(());
        }
        // A list written in blocks under a key of the top-level mapping: how the file indents.
        if path.len() == 1
            && !flow
            && matches!(ev, Event::SequenceStart(..))
            && self.list_indent.is_none()
            && let Some(Root::Block { key_col }) = self.root
        {
            let first = body[at..].trim_start_matches(['-', ' ']);
            let dash = dash_col(body, at + (body.len() - at - first.len()));
            self.list_indent = dash.and_then(|d| d.checked_sub(key_col));
        }
        if let Some(item) = self.item_mut(list, path) {
            item.start.get_or_insert(at);
        }
        Ok(())
    }

    fn on_close(&mut self, list: &[Seg], path: &[Seg], close: Option<usize>) {
        if path.is_empty()
            && let Some(Root::Flow { close: c, .. }) = &mut self.root
        {
            *c = close;
        }
        if path == list
            && let Some(ListNode::Seq { close: c, .. }) = &mut self.list
        {
            *c = close;
        }
        if let (Some(end), Some(item)) = (close, self.item_mut(list, path)) {
            item.end = end + 1;
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn on_scalar(&mut self, list: &[Seg], role: Role, path: &[Seg], s: &Scalar, end: usize, indent: usize, col: usize) {
        if role == Role::Key && path.len() == 1 {
            if let Some(Root::Flow { empty, .. }) = &mut self.root {
                *empty = false;
            }
            if let Some(Root::Block { key_col }) = &mut self.root {
                *key_col = col.min(*key_col);
            }
        }
        if role == Role::Key && path == list {
            self.key = Some((s.start, col));
            return;
        }
        if path.is_empty() && self.root.is_none() {
            self.root = Some(Root::Other);
        }
        if role == Role::Value && path == list {
            self.list = Some(ListNode::Scalar {
                range: s.start..end,
                value: s.value.clone(),
            });
            return;
        }
        let direct = path.len() == list.len() + 2;
        let Some(item) = self.item_mut(list, path) else {
            return;
        };
        item.start.get_or_insert(s.start);
        if !(s.value.is_empty() && s.style == TScalarStyle::Plain) {
            item.end = end;
        }
        match role {
            Role::Key if direct => {
                item.keys.push(s.value.clone());
                if !item.flow {
                    item.key_col.get_or_insert(col);
                }
            }
            Role::Value if direct => {
                // A value quoted because it must be says nothing of the file's style.
                if s.style == TScalarStyle::Plain || plain_fits(&s.value, s.flow) {
                    item.styles.push(s.style);
                }
                if matches!(s.style, TScalarStyle::Literal | TScalarStyle::Folded) {
                    item.block_indent = item.key_col.and_then(|k| indent.checked_sub(k)).filter(|&n| n > 0);
                }
            }
            _ => {}
        }
    }
}

/// Where a block's value ends, from the end of its last line of text (`content_end`) and the
/// number of line breaks it ends with: a block that keeps its final breaks (`|+`) holds the
/// blank lines after its text too, one a break after the first, so it ends on the last of them.
fn kept_lines_end(body: &str, content_end: usize, breaks: usize) -> usize {
    let mut at = content_end;
    for _ in 1..breaks {
        match body[at..].find('\n') {
            Some(i) => at += i + 1,
            None => break,
        }
    }
    at
}

/// Whether the collection that `ev` starts at `at` is written in flow (`[…]`, `{…}`). The
/// parser places a list written in blocks at its first `-`, or, when the `-` stands at its
/// key's column, at the first item's text, which may be a `{` or a `[` itself.
fn opens_flow(body: &str, at: usize, ev: &Event) -> bool {
    let after_dash = body[..at].trim_end_matches(' ').ends_with('-');
    match (ev, body.as_bytes().get(at)) {
        (Event::SequenceStart(..), Some(b'[')) => !after_dash,
        (Event::MappingStart(..), Some(b'{')) => true,
        _ => false,
    }
}

/// The column of the `-` before the node at `at`, when only spaces stand before that `-` on
/// its line.
fn dash_col(body: &str, at: usize) -> Option<usize> {
    let before = body[..at].trim_end_matches(' ');
    let dash = before.strip_suffix('-')?;
    let line_start = dash.rfind('\n').map_or(0, |i| i + 1);
    dash[line_start..]
        .bytes()
        .all(|b| b == b' ')
        .then(|| dash.len() - line_start)
}

/// How values are quoted, by what most of the list's items do.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Quoting {
    Plain,
    Single,
    Double,
}

/// How a new item is written.
struct Style<'a> {
    quoting: Quoting,
    dash_col: usize,
    key_col: usize,
    /// How far a block value's lines are indented from its key.
    block_indent: usize,
    nl: &'a str,
    /// Every value double-quoted, no blocks: the fallback that always reads back.
    safe: bool,
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
        let quoting = quoting_of(items);
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

/// The quoting most of the items' values use (ties: plain, then double).
fn quoting_of(items: &[ItemScan]) -> Quoting {
    let count = |s: TScalarStyle| items.iter().flat_map(|i| &i.styles).filter(|&&x| x == s).count();
    let (plain, single, double) = (
        count(TScalarStyle::Plain),
        count(TScalarStyle::SingleQuoted),
        count(TScalarStyle::DoubleQuoted),
    );
    if single > plain && single > double {
        Quoting::Single
    } else if double > plain && double >= single {
        Quoting::Double
    } else {
        Quoting::Plain
    }
}

/// The item's keys in the order of `reference` (the last item's keys), each key the reference
/// lacks keeping its place in the given order: the places of the keys both have are filled
/// again in the reference's order.
fn order_keys<'i>(item: &'i [(&'i str, NewValue)], reference: &[String]) -> Vec<&'i (&'i str, NewValue)> {
    let rank = |k: &str| reference.iter().position(|r| r == k);
    let mut shared: Vec<&(&str, NewValue)> = item.iter().filter(|(k, _)| rank(k).is_some()).collect();
    shared.sort_by_key(|(k, _)| rank(k));
    let mut shared = shared.into_iter();
    item.iter()
        .map(|e| {
            if rank(e.0).is_some() {
                shared.next().unwrap_or(e)
            } else {
                e
            }
        })
        .collect()
}

/// A value on one line, in the file's quoting where it reads back as the same string.
fn inline(value: &NewValue, quoting: Quoting, flow: bool, safe: bool) -> String {
    let s = match value {
        NewValue::Number(n) => return n.to_string(),
        NewValue::Text(s) => s,
    };
    match quoting {
        _ if safe => double_quoted(s),
        Quoting::Plain if plain_fits(s, flow) => s.clone(),
        Quoting::Single if single_fits(s) => format!("'{}'", s.replace('\'', "''")),
        _ => double_quoted(s),
    }
}

/// `{key: value, …}`.
fn flow_item(item: &[&(&str, NewValue)], quoting: Quoting, safe: bool) -> String {
    let pairs: Vec<String> = item
        .iter()
        .map(|(k, v)| format!("{k}: {}", inline(v, quoting, true, safe)))
        .collect();
    format!("{{{}}}", pairs.join(", "))
}

/// A block item: `- key: value` and a line a key after it, each line ended.
fn block_item(item: &[&(&str, NewValue)], style: &Style) -> String {
    let mut out = String::new();
    for (i, (k, v)) in item.iter().enumerate() {
        if i == 0 {
            let gap = style.key_col - style.dash_col - 1;
            out.push_str(&format!("{}-{}", " ".repeat(style.dash_col), " ".repeat(gap)));
        } else {
            out.push_str(&" ".repeat(style.key_col));
        }
        out.push_str(k);
        out.push(':');
        let block = match v {
            NewValue::Text(s) if !style.safe && matches!(*k, "note" | "gloss") && s.contains('\n') => {
                block_scalar(s, style)
            }
            _ => None,
        };
        match block {
            Some(b) => out.push_str(&b),
            None => {
                out.push(' ');
                out.push_str(&inline(v, style.quoting, false, style.safe));
            }
        }
        out.push_str(style.nl);
    }
    out
}

/// ` |` and the value's lines, as a literal block under a key at `style.key_col`: chomping
/// `-` for a value with no final line break, none for one, `+` for more; an indentation
/// indicator where the first line starts with a space or a tab. `None` where a block cannot
/// hold the value (a carriage return, a character that must be escaped, no text).
fn block_scalar(value: &str, style: &Style) -> Option<String> {
    let content = value.trim_end_matches('\n');
    let breaks = value.len() - content.len();
    if content.trim().is_empty()
        || content
            .chars()
            .any(|c| c == '\r' || is_special_break(c) || (!printable(c) && c != '\t'))
    {
        return None;
    }
    let chomp = match breaks {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let first = content.split('\n').find(|l| !l.trim().is_empty()).unwrap_or_default();
    let leading_blanks = content
        .split('\n')
        .take_while(|l| l.trim().is_empty())
        .any(|l| !l.is_empty());
    let indicator = if first.starts_with([' ', '\t']) || leading_blanks {
        style.block_indent.to_string()
    } else {
        String::new()
    };
    let pad = " ".repeat(style.key_col + style.block_indent);
    let mut out = format!(" |{indicator}{chomp}");
    for line in value[..content.len() + breaks.saturating_sub(1)].split('\n') {
        out.push_str(style.nl);
        if !line.is_empty() {
            out.push_str(&pad);
            out.push_str(line);
        }
    }
    Some(out)
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
