//! The scan that `append_item` works from: one pass of the event parser over the file, which
//! finds the list, its items (where each starts and ends, its keys, the style of its values)
//! and how the file indents.

use super::super::{EditError, MarkBytes, Scalar, block_place, plain_fits, scalar_end};
use crate::yaml::pos::{PathWalk, Role, Seg, path_text};
use std::ops::Range;
use yaml_rust2::parser::Event;
use yaml_rust2::scanner::TScalarStyle;

/// What the event parser found about the list and the file around it.
#[derive(Default)]
pub(super) struct Scan {
    /// The top-level node: a mapping in blocks (with its keys' column), in flow (with the
    /// bytes of its `{` and `}`), or anything else.
    pub(super) root: Option<Root>,
    /// The key whose value is the list: its byte and column.
    pub(super) key: Option<(usize, usize)>,
    pub(super) list: Option<ListNode>,
    /// How far a list written in blocks under a key is indented from the key (`tags:` then
    /// `  - x`: 2), as the file does it.
    pub(super) list_indent: Option<usize>,
    /// The list's value sits in a flow collection.
    pub(super) list_in_flow: bool,
}

pub(super) enum Root {
    Block { key_col: usize },
    Flow { close: Option<usize>, empty: bool },
    Other,
}

pub(super) enum ListNode {
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
pub(super) struct ItemScan {
    pub(super) start: Option<usize>,
    pub(super) end: usize,
    /// A flow mapping (`{…}`).
    pub(super) flow: bool,
    pub(super) keys: Vec<String>,
    /// The styles of its values that could have been plain (the author's choice).
    pub(super) styles: Vec<TScalarStyle>,
    /// The column of its keys (a mapping in blocks).
    pub(super) key_col: Option<usize>,
    /// How far a block value's lines are indented from its key.
    pub(super) block_indent: Option<usize>,
}

/// One open collection while scanning: its path (if followed) and whether it is a flow one.
pub(super) struct Open {
    pub(super) path: Option<Vec<Seg>>,
    pub(super) flow: bool,
}

impl Scan {
    pub(super) fn of(body: &str, list: &[Seg]) -> Result<Scan, EditError> {
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
                        if p.as_slice() == list {
                            refuse_marked(list, *anchor, tag.is_some())?;
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
                    let (end, indent) = extent(body, &scalar);
                    if let Some((role, p)) = step {
                        if role == Role::Value && p.as_slice() == list {
                            refuse_marked(list, *anchor, tag.is_some())?;
                            scan.list_in_flow = in_flow;
                        }
                        scan.on_scalar(list, role, &p, &scalar, end, indent, mark.col());
                    }
                    if !value.is_empty() || !matches!(style, TScalarStyle::Plain) {
                        last_end = end;
                    }
                }
                Event::Alias(_) => {
                    if let Some((_, p)) = &step {
                        last_end = scan.on_alias(body, list, p, at);
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

    /// An alias (`*name`) at `at`; returns where it ends.
    fn on_alias(&mut self, body: &str, list: &[Seg], path: &[Seg], at: usize) -> usize {
        if path == list {
            self.list = Some(ListNode::Other);
        }
        let name = body[at + 1..].find(|c: char| c.is_whitespace() || ",[]{}".contains(c));
        let end = name.map_or(body.len(), |n| at + 1 + n);
        if let Some(item) = self.item_mut(list, path) {
            item.start.get_or_insert(at);
            item.end = end;
        }
        end
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

/// An anchor on the list would carry the new item into its aliases; a tag may make it
/// something else than a list.
fn refuse_marked(list: &[Seg], anchor: usize, tagged: bool) -> Result<(), EditError> {
    match (anchor > 0, tagged) {
        (true, _) => Err(EditError::Anchored(path_text(list))),
        (_, true) => Err(EditError::Tagged(path_text(list))),
        _ => Ok(()),
    }
}

/// Where a scalar's text ends (for a block, where its value ends) and, for a block, how far
/// its lines are indented.
fn extent(body: &str, s: &Scalar) -> (usize, usize) {
    let end = match s.style {
        TScalarStyle::Literal | TScalarStyle::Folded => {
            let breaks = s.value.len() - s.value.trim_end_matches('\n').len();
            block_place(body, s.start, s.after).map(|b| (kept_lines_end(body, b.content.end, breaks), b.indent))
        }
        _ => scalar_end(body, s).map(|e| (e, 0)),
    };
    end.unwrap_or((s.start, 0))
}

/// Where a block's value ends, from the end of its last line of text (`content_end`) and the
/// number of line breaks it ends with: a block that keeps its final breaks (`|+`) holds the
/// blank lines after its text too, one a break after the first, so it ends on the last of them.
pub(super) fn kept_lines_end(body: &str, content_end: usize, breaks: usize) -> usize {
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
pub(super) fn opens_flow(body: &str, at: usize, ev: &Event) -> bool {
    let after_dash = body[..at].trim_end_matches(' ').ends_with('-');
    match (ev, body.as_bytes().get(at)) {
        (Event::SequenceStart(..), Some(b'[')) => !after_dash,
        (Event::MappingStart(..), Some(b'{')) => true,
        _ => false,
    }
}

/// The column of the `-` before the node at `at`, when only spaces stand before that `-` on
/// its line.
pub(super) fn dash_col(body: &str, at: usize) -> Option<usize> {
    let before = body[..at].trim_end_matches(' ');
    let dash = before.strip_suffix('-')?;
    let line_start = dash.rfind('\n').map_or(0, |i| i + 1);
    dash[line_start..]
        .bytes()
        .all(|b| b == b' ')
        .then(|| dash.len() - line_start)
}
