//! Where a YAML value stands in its file.
//!
//! serde_yaml reports positions only for syntax and type errors. An error about a valid value
//! (a quote that is not found, an unknown glossary id) must point at that value too, so on the
//! error path we read the file once more with an event parser and index the position of every
//! value by its path (`annotations[3].quote`), and where each line starts. One index serves
//! every diagnostic about the file: made once, each lookup is a hash lookup, so a file with
//! thousands of errors (a glossary of unused entries) costs no more than one pass over it.

use crate::diagnostics::{LineIndex, Pos};
use crate::hash::FastMap;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::Marker;

#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Seg {
    Key(String),
    Index(usize),
}

impl From<&str> for Seg {
    fn from(key: &str) -> Self {
        Seg::Key(key.to_owned())
    }
}

impl From<usize> for Seg {
    fn from(i: usize) -> Self {
        Seg::Index(i)
    }
}

/// A path as people write it: `annotations[3].quote`.
pub fn path_text(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) if out.is_empty() => out.push_str(k),
            Seg::Key(k) => {
                out.push('.');
                out.push_str(k);
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

/// Positions of every value (and every mapping key) of one YAML document, by path, and the
/// lines of its text. Of two values at one path (a key written twice), the first counts.
#[derive(Debug, Default)]
pub struct YamlPositions {
    values: FastMap<Vec<Seg>, Pos>,
    keys: FastMap<Vec<Seg>, Pos>,
    lines: LineIndex,
}

/// How deep the index follows a document: no file of ours nests more than a few levels, and
/// a path is copied for each value, so a deeper one would cost the square of its depth.
/// Files deeper than [`super::MAX_DEPTH`] are refused before they are indexed;
/// this bound keeps the index linear whatever it is given.
const INDEX_DEPTH: usize = super::MAX_DEPTH + 1;

impl YamlPositions {
    /// Indexes `source`; a document that does not parse gives an empty index (its lines are
    /// still known).
    pub fn index(source: &str) -> YamlPositions {
        let mut recv = Receiver::default();
        recv.out.lines = LineIndex::new(source);
        // Event by event, up to the first document's end or the first error: yaml-rust2's
        // own `load` recurses once a level, which a deep file would overflow.
        for (ev, mark) in events(source) {
            if ev == Event::DocumentEnd {
                break;
            }
            recv.on_event(ev, mark);
        }
        recv.out
    }

    /// The position of the value at `path`, e.g. `&["annotations".into(), 2.into(), "quote".into()]`.
    pub fn value(&self, path: &[Seg]) -> Option<Pos> {
        self.values.get(path).copied()
    }

    /// The position of the key that ends `path`.
    pub fn key(&self, path: &[Seg]) -> Option<Pos> {
        self.keys.get(path).copied()
    }

    /// The value's position, else its key's, else the nearest enclosing value's.
    pub fn best(&self, path: &[Seg]) -> Option<Pos> {
        (0..=path.len())
            .rev()
            .find_map(|n| self.value(&path[..n]).or_else(|| self.key(&path[..n])))
    }

    /// Where the lines of the indexed text start.
    pub fn lines(&self) -> &LineIndex {
        &self.lines
    }

    fn add_value(&mut self, path: Vec<Seg>, pos: Pos) {
        self.values.entry(path).or_insert(pos);
    }
}

/// The events of `source` with their places, up to the end of its stream or its first
/// syntax error.
pub fn events(source: &str) -> impl Iterator<Item = (Event, Marker)> + '_ {
    let mut parser = Parser::new_from_str(source);
    let mut ended = false;
    std::iter::from_fn(move || {
        if ended {
            return None;
        }
        match parser.next_token() {
            Ok((Event::StreamEnd, _)) | Err(_) => {
                ended = true;
                None
            }
            Ok(event) => Some(event),
        }
    })
}

enum Frame {
    Map { key: Option<String> },
    Seq { index: usize },
}

/// Whether a node is a mapping key or a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Key,
    Value,
}

/// The path of each node as a document's events go by: the one place that turns the event
/// stream into `annotations[3].quote` paths, for positions here and for the source editor
/// ([`crate::yamledit`]).
#[derive(Default)]
pub struct PathWalk {
    stack: Vec<Frame>,
    path: Vec<Seg>,
}

impl PathWalk {
    /// The role and path of the node `ev` starts (a scalar, an alias or a collection), or
    /// `None` for events that start no node. A key's path ends with the key itself; a
    /// top-level node's path is empty. Nodes below a complex key get no useful path.
    pub fn step(&mut self, ev: &Event) -> Option<(Role, Vec<Seg>)> {
        match ev {
            Event::Scalar(value, ..) if self.is_key_position() => {
                let path = (!self.too_deep()).then(|| {
                    let mut path = self.path.clone();
                    path.push(Seg::Key(value.clone()));
                    path
                });
                if let Some(Frame::Map { key }) = self.stack.last_mut() {
                    *key = Some(value.clone());
                }
                path.map(|p| (Role::Key, p))
            }
            Event::Scalar(..) | Event::Alias(_) => {
                let path = self.value_path();
                self.finish_value();
                path.map(|p| (Role::Value, p))
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if self.is_key_position() {
                    // A complex key: not something our files use; index nothing below it.
                    if let Some(Frame::Map { key }) = self.stack.last_mut() {
                        *key = Some(String::new());
                    }
                }
                let path = (!self.too_deep()).then(|| self.value_path().unwrap_or_default());
                if let Some(path) = &path
                    && !self.stack.is_empty()
                {
                    self.path = path.clone();
                }
                self.stack.push(match ev {
                    Event::MappingStart(..) => Frame::Map { key: None },
                    _ => Frame::Seq { index: 0 },
                });
                path.map(|p| (Role::Value, p))
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                // The path went one deeper at the start only where the start was followed.
                if !self.stack.is_empty() && !self.too_deep() {
                    self.path.pop();
                }
                self.finish_value();
                None
            }
            _ => None,
        }
    }

    /// The path of the value about to start: `None` in a key position or below
    /// [`INDEX_DEPTH`].
    fn value_path(&self) -> Option<Vec<Seg>> {
        if self.too_deep() {
            return None;
        }
        let seg = match self.stack.last() {
            None => return Some(Vec::new()),
            Some(Frame::Map { key }) => Seg::Key(key.clone()?),
            Some(Frame::Seq { index }) => Seg::Index(*index),
        };
        let mut path = self.path.clone();
        path.push(seg);
        Some(path)
    }

    fn finish_value(&mut self) {
        match self.stack.last_mut() {
            Some(Frame::Map { key }) => *key = None,
            Some(Frame::Seq { index }) => *index += 1,
            None => {}
        }
    }

    /// Below [`INDEX_DEPTH`] no path is followed (and none copied).
    fn too_deep(&self) -> bool {
        self.stack.len() > INDEX_DEPTH
    }

    fn is_key_position(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Map { key: None }))
    }
}

#[derive(Default)]
struct Receiver {
    walk: PathWalk,
    out: YamlPositions,
}

fn pos(mark: Marker, width: usize) -> Pos {
    // yaml-rust2 counts lines from 1 and columns from 0.
    Pos {
        line: mark.line(),
        col: mark.col() + 1,
        width,
    }
}

impl Receiver {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let width = match &ev {
            Event::Scalar(value, ..) if value.contains('\n') => 1,
            Event::Scalar(value, style, ..) => {
                let quoted = !matches!(style, yaml_rust2::scanner::TScalarStyle::Plain);
                value.chars().count() + if quoted { 2 } else { 0 }
            }
            _ => 1,
        };
        match (self.walk.step(&ev), &ev) {
            (Some((Role::Key, path)), Event::Scalar(value, ..)) => {
                self.out.keys.entry(path).or_insert(pos(mark, value.chars().count()));
            }
            (Some((Role::Value, path)), Event::Scalar(..) | Event::MappingStart(..) | Event::SequenceStart(..)) => {
                self.out.add_value(path, pos(mark, width));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_nested_values() {
        let src = "title: T\nannotations:\n  - quote: foo bar\n    note: x\n  - quote: \"baz\"\n    term: lawrow\n";
        let idx = YamlPositions::index(src);
        let q1 = idx.value(&["annotations".into(), 1.into(), "quote".into()]).unwrap();
        assert_eq!((q1.line, q1.col, q1.width), (5, 12, 5));
        let t = idx.value(&["annotations".into(), 1.into(), "term".into()]).unwrap();
        assert_eq!((t.line, t.col), (6, 11));
        let k = idx.key(&["annotations".into(), 0.into(), "note".into()]).unwrap();
        assert_eq!((k.line, k.col), (4, 5));
        assert_eq!(idx.value(&["title".into()]).unwrap().line, 1);
    }

    #[test]
    fn top_level_sequence() {
        let src = "- id: a\n  term: A\n- id: b\n  term: B\n";
        let idx = YamlPositions::index(src);
        assert_eq!(idx.value(&[1.into(), "id".into()]).unwrap().line, 3);
        assert_eq!(idx.best(&[1.into(), "forms".into()]).unwrap().line, 3);
    }
}
