//! The YAML source editor: give some scalars of a YAML file new values, addressed by path
//! (`annotations[3].quote`), and leave every other byte of the file as it was.
//!
//! glossa's YAML files are written by people: comments, blank lines, key order, quoting and
//! line endings are theirs. A writer that parsed the file and printed it again would lose all
//! of that, so a writer (`check --fix` today) edits the text instead: it finds the exact bytes
//! of each scalar with an event parser (yaml-rust2, whose events carry where each node starts),
//! and replaces only those bytes with the new value rendered in a style that is valid at that
//! place.
//!
//! Editing text is only safe when the result means what was intended, so [`Editor::apply`]
//! reads its own output back with the same reader as glossa (serde_yaml) and accepts it only
//! when the edited paths hold the new values and every other value is what it was. What it
//! cannot edit safely (anchors and aliases, tags, several documents, a value it cannot find)
//! it refuses with an [`EditError`] that says why, and nothing is changed.
//!
//! How a new value is written, by the style of the value it replaces:
//! - plain: plain when that reads back as the same string at that place (inside `[...]` or
//!   `{...}` a plain value may not hold `,[]{}:`), else double-quoted;
//! - 'single-quoted': single-quoted when the value is one line of printable characters, else
//!   double-quoted;
//! - "double-quoted": double-quoted, with escapes for line breaks and unprintable characters;
//! - `|` and `>` blocks: as a block again, under the same header (indicator, chomping,
//!   indentation) and at the same indentation, when the value can be one: it must end with as
//!   many line breaks as the old value (the header and the lines after the block decide them),
//!   a folded (`>`) block must hold one line, and a first line that starts with a space needs
//!   an indentation indicator in the header. Otherwise the edit is refused.
//!
//! Everything here is a pure function of the text; `crate::write::replace_file` writes the
//! result.

use crate::yaml::pos::{PathWalk, Role, Seg, path_text};
use std::fmt;
use std::ops::Range;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// One change: the scalar at `path` is to read `value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub path: Vec<Seg>,
    pub value: String,
}

/// One replacement in the source: the bytes of `range` become `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Splice {
    pub range: Range<usize>,
    pub text: String,
}

/// Why an edit was refused. Paths are written as people read them (`annotations[3].quote`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditError {
    /// The file does not parse as YAML (the parser's message).
    NotYaml(String),
    MultipleDocuments,
    NotFound(String),
    NotAScalar(String),
    /// A new item cannot go there: the value is not a list (nor empty, nor missing from a
    /// mapping written in blocks).
    NotAList(String),
    /// The value, or a collection around it, has an anchor: its aliases would change too.
    Anchored(String),
    /// The value, or a collection around it, has a tag: its type may depend on the text.
    Tagged(String),
    /// An empty plain value or block has no text to replace.
    Empty(String),
    EditedTwice(String),
    /// The value cannot be written as the block scalar that stands there.
    BlockUnfit {
        path: String,
        why: &'static str,
    },
    /// The edited text did not read back as intended: a bug of this editor, caught in time.
    ReadBack(String),
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::NotYaml(e) => write!(f, "the file is not valid YAML: {e}"),
            EditError::MultipleDocuments => write!(f, "the file holds more than one YAML document"),
            EditError::NotFound(p) => write!(f, "`{p}` is not in the file as written"),
            EditError::NotAScalar(p) => write!(f, "`{p}` is a list, a mapping or an alias, not one value"),
            EditError::NotAList(p) => write!(f, "`{p}` is not a list that an item can be added to"),
            EditError::Anchored(p) => {
                write!(
                    f,
                    "`{p}` is, or is inside, a value with an anchor (`&`): its aliases would change too"
                )
            }
            EditError::Tagged(p) => write!(f, "`{p}` is, or is inside, a value with a tag (`!`)"),
            EditError::Empty(p) => write!(f, "`{p}` is empty: there is no text to replace"),
            EditError::EditedTwice(p) => write!(f, "`{p}` is edited twice"),
            EditError::BlockUnfit { path, why } => write!(f, "`{path}` is a block (`|` or `>`) and {why}"),
            EditError::ReadBack(p) => {
                write!(f, "the file would not read back as intended after editing `{p}`")
            }
        }
    }
}

impl std::error::Error for EditError {}

/// Applies `edits` to `source` (see [`Editor::apply`]).
pub fn edit(source: &str, edits: &[Edit]) -> Result<String, EditError> {
    Editor::new(source)?.apply(edits)
}

/// One YAML file, parsed once, ready for edits.
pub struct Editor<'s> {
    source: &'s str,
    /// Bytes of a byte-order mark at the start: kept, and not shown to the parsers.
    bom: usize,
    nodes: Vec<Node>,
    tree: serde_yaml::Value,
}

/// A node of the file, as located by the event parser.
struct Node {
    path: Vec<Seg>,
    kind: Kind,
    /// The node or a collection around it has an anchor / a tag.
    anchored: bool,
    tagged: bool,
}

enum Kind {
    Scalar(Scalar),
    Collection,
    Alias,
}

struct Scalar {
    /// Byte offset (after the BOM) where the parser says it starts: its first character, the
    /// opening quote, or for a block the first character of its first non-blank line.
    start: usize,
    style: TScalarStyle,
    value: String,
    /// Inside a flow collection (`[...]`, `{...}`), where `,[]{}` end a plain value.
    flow: bool,
    /// Where the node before it starts or ends: a block's header stands after this.
    after: usize,
}

impl<'s> Editor<'s> {
    /// Parses `source`. Refuses a file that is not YAML or holds several documents.
    pub fn new(source: &'s str) -> Result<Editor<'s>, EditError> {
        let bom = if source.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            0
        };
        let body = &source[bom..];
        let mut index = Indexer::new(body);
        Parser::new_from_str(body)
            .load(&mut index, true)
            .map_err(|e| EditError::NotYaml(e.to_string()))?;
        if index.documents > 1 {
            return Err(EditError::MultipleDocuments);
        }
        let tree = serde_yaml::from_str(body).map_err(|e| EditError::NotYaml(e.to_string()))?;
        Ok(Editor {
            source,
            bom,
            nodes: index.nodes,
            tree,
        })
    }

    /// Applies `edits` and returns the new text, after checking that it reads back with the
    /// edited paths holding their new values and every other value unchanged.
    pub fn apply(&self, edits: &[Edit]) -> Result<String, EditError> {
        let splices = self.splices(edits)?;
        let mut out = self.source.to_owned();
        for s in splices.iter().rev() {
            out.replace_range(s.range.clone(), &s.text);
        }
        self.verify(&out, edits)?;
        Ok(out)
    }

    /// The replacements `edits` make, in source order, not yet checked by reading back.
    pub fn splices(&self, edits: &[Edit]) -> Result<Vec<Splice>, EditError> {
        let mut out = Vec::with_capacity(edits.len());
        for (i, e) in edits.iter().enumerate() {
            if edits[..i].iter().any(|o| o.path == e.path) {
                return Err(EditError::EditedTwice(path_text(&e.path)));
            }
            let mut s = self.splice(e)?;
            s.range = s.range.start + self.bom..s.range.end + self.bom;
            out.push(s);
        }
        out.sort_by_key(|s| s.range.start);
        Ok(out)
    }

    fn splice(&self, e: &Edit) -> Result<Splice, EditError> {
        let shown = || path_text(&e.path);
        let node = self
            .nodes
            .iter()
            .find(|n| n.path == e.path)
            .ok_or_else(|| EditError::NotFound(shown()))?;
        let Kind::Scalar(s) = &node.kind else {
            return Err(EditError::NotAScalar(shown()));
        };
        if node.anchored {
            return Err(EditError::Anchored(shown()));
        }
        if node.tagged {
            return Err(EditError::Tagged(shown()));
        }
        let body = &self.source[self.bom..];
        let block = matches!(s.style, TScalarStyle::Literal | TScalarStyle::Folded);
        if s.value.is_empty() && (block || s.style == TScalarStyle::Plain) {
            return Err(EditError::Empty(shown()));
        }
        if block {
            let place = block_place(body, s.start, s.after).ok_or_else(|| EditError::NotFound(shown()))?;
            let text = render_block(&place, s, &e.value).map_err(|why| EditError::BlockUnfit { path: shown(), why })?;
            return Ok(Splice {
                range: place.content,
                text,
            });
        }
        let end = scalar_end(body, s).ok_or_else(|| EditError::NotFound(shown()))?;
        let text = match s.style {
            TScalarStyle::Plain if plain_fits(&e.value, s.flow) => e.value.clone(),
            TScalarStyle::SingleQuoted if single_fits(&e.value) => format!("'{}'", e.value.replace('\'', "''")),
            _ => double_quoted(&e.value),
        };
        Ok(Splice {
            range: s.start..end,
            text,
        })
    }

    /// Reads `out` back and compares it with the old tree with the edits made to it.
    fn verify(&self, out: &str, edits: &[Edit]) -> Result<(), EditError> {
        let mut expected = self.tree.clone();
        for e in edits {
            let slot = value_at(&mut expected, &e.path).ok_or_else(|| EditError::NotFound(path_text(&e.path)))?;
            *slot = serde_yaml::Value::String(e.value.clone());
        }
        let fail = || {
            EditError::ReadBack(
                edits
                    .iter()
                    .map(|e| path_text(&e.path))
                    .collect::<Vec<_>>()
                    .join("`, `"),
            )
        };
        let got: serde_yaml::Value = serde_yaml::from_str(&out[self.bom..]).map_err(|_| fail())?;
        if got != expected {
            return Err(fail());
        }
        Ok(())
    }
}

/// The value at `path` in a serde_yaml tree (mapping keys as strings).
fn value_at<'v>(mut v: &'v mut serde_yaml::Value, path: &[Seg]) -> Option<&'v mut serde_yaml::Value> {
    for seg in path {
        v = match seg {
            Seg::Key(k) => v.as_mapping_mut()?.get_mut(k.as_str())?,
            Seg::Index(i) => v.as_sequence_mut()?.get_mut(*i)?,
        };
    }
    Some(v)
}

/// Collects the nodes of a document with their paths, from the event parser.
struct Indexer<'s> {
    body: &'s str,
    lines: MarkBytes,
    walk: PathWalk,
    /// Per open collection: (flow, anchored, tagged).
    context: Vec<(bool, bool, bool)>,
    nodes: Vec<Node>,
    documents: usize,
    /// Where the last node starts or, for a plain or quoted scalar, ends.
    last: usize,
}

impl<'s> Indexer<'s> {
    fn new(body: &'s str) -> Indexer<'s> {
        Indexer {
            body,
            lines: MarkBytes::new(body),
            walk: PathWalk::default(),
            context: Vec::new(),
            nodes: Vec::new(),
            documents: 0,
            last: 0,
        }
    }

    fn byte(&self, mark: Marker) -> usize {
        self.lines.byte(self.body, mark)
    }
}

/// Where each line of a text starts, to turn a parser's marker into a byte offset. A marker's
/// line and column (in characters) locate a node; its `index` does not: yaml-rust2 counts a
/// block's characters in bytes there.
struct MarkBytes(Vec<usize>);

impl MarkBytes {
    fn new(body: &str) -> MarkBytes {
        // Line breaks as yaml-rust2 counts them: CRLF, LF, or a CR alone.
        let b = body.as_bytes();
        MarkBytes(
            std::iter::once(0)
                .chain((0..b.len()).filter_map(|i| match b[i] {
                    b'\n' => Some(i + 1),
                    b'\r' if b.get(i + 1) != Some(&b'\n') => Some(i + 1),
                    _ => None,
                }))
                .collect(),
        )
    }

    /// The byte of `body` (the text this was made of) at `mark`.
    fn byte(&self, body: &str, mark: Marker) -> usize {
        let Some(&line) = self.0.get(mark.line().wrapping_sub(1)) else {
            return body.len();
        };
        let mut chars = body[line..].char_indices().map(|(i, _)| line + i);
        chars.nth(mark.col()).unwrap_or(body.len())
    }
}

impl MarkedEventReceiver for Indexer<'_> {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let at = self.byte(mark);
        let (flow, anchored, tagged) = self.context.last().copied().unwrap_or_default();
        let step = self.walk.step(&ev);
        let path = match step {
            Some((Role::Value, path)) => Some(path),
            _ => None,
        };
        match ev {
            Event::DocumentStart => self.documents += 1,
            Event::MappingStart(anchor, tag) | Event::SequenceStart(anchor, tag) => {
                let opens_flow = matches!(self.body.as_bytes().get(at), Some(b'{' | b'['));
                let here = (flow || opens_flow, anchored || anchor > 0, tagged || tag.is_some());
                self.context.push(here);
                if let Some(path) = path {
                    self.nodes.push(Node {
                        path,
                        kind: Kind::Collection,
                        anchored: here.1,
                        tagged: here.2,
                    });
                }
                self.last = at;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.context.pop();
            }
            Event::Alias(_) => {
                if let Some(path) = path {
                    self.nodes.push(Node {
                        path,
                        kind: Kind::Alias,
                        anchored,
                        tagged,
                    });
                }
                self.last = at;
            }
            Event::Scalar(value, style, anchor, tag) => {
                let scalar = Scalar {
                    start: at,
                    style,
                    value,
                    flow,
                    after: self.last,
                };
                self.last = scalar_end(self.body, &scalar).unwrap_or(at);
                if let Some(path) = path {
                    self.nodes.push(Node {
                        path,
                        kind: Kind::Scalar(scalar),
                        anchored: anchored || anchor > 0,
                        tagged: tagged || tag.is_some(),
                    });
                }
            }
            _ => {}
        }
    }
}

/// The end of a plain or quoted scalar that starts at `s.start`; `None` for blocks and when
/// the text there is not the scalar's.
fn scalar_end(body: &str, s: &Scalar) -> Option<usize> {
    match s.style {
        TScalarStyle::DoubleQuoted => quoted_end(body, s.start, b'"'),
        TScalarStyle::SingleQuoted => quoted_end(body, s.start, b'\''),
        TScalarStyle::Plain => plain_end(body, s.start, &s.value),
        _ => None,
    }
}

/// The byte after the closing quote of the quoted scalar at `start`: `\` escapes the next
/// character in double quotes, `''` is a quote in single quotes.
fn quoted_end(body: &str, start: usize, quote: u8) -> Option<usize> {
    let b = body.as_bytes();
    if b.get(start) != Some(&quote) {
        return None;
    }
    let mut i = start + 1;
    loop {
        match *b.get(i)? {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && b.get(i + 1) == Some(&b'\'') => i += 2,
            c if c == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
}

/// The end of the plain scalar at `start` whose value is `value`: the text is walked along
/// the value, where a line break and the indentation after it (and the spaces before it) read
/// as one space, and blank lines as line breaks. A plain value never ends with a space, so it
/// ends after its last character.
fn plain_end(body: &str, start: usize, value: &str) -> Option<usize> {
    let mut src = body.get(start..)?.char_indices().peekable();
    let mut want = value.chars().peekable();
    let mut end = start;
    while let Some(&w) = want.peek() {
        let &(i, c) = src.peek()?;
        if c == w {
            want.next();
            src.next();
            end = start + i + c.len_utf8();
        } else if matches!(c, ' ' | '\t' | '\r' | '\n') {
            src.next();
        } else if matches!(w, ' ' | '\n') {
            want.next();
        } else {
            return None;
        }
    }
    Some(end)
}

/// Where a block scalar's content stands, and how to write new content there.
struct BlockPlace {
    /// From the line after the header to the end of the last non-blank content line: the
    /// header and the line breaks after the content stay.
    content: Range<usize>,
    indent: usize,
    /// The header gives the indentation (`|2`): a first line may start with spaces.
    explicit_indent: bool,
    newline: &'static str,
}

/// The block scalar whose first non-blank content line's text starts at `start`; its header
/// is on the last non-blank line before, after `after`.
fn block_place(body: &str, start: usize, after: usize) -> Option<BlockPlace> {
    let line_start = body[..start].rfind('\n').map_or(0, |i| i + 1);
    let indent = start - line_start;
    if !body[line_start..start].bytes().all(|b| b == b' ') {
        return None;
    }
    // Back over the blank lines to the header.
    let mut ls = line_start;
    let (header_start, header_end) = loop {
        let nl = ls.checked_sub(1)?;
        let prev = body[..nl].rfind('\n').map_or(0, |i| i + 1);
        if !body[prev..nl].trim().is_empty() {
            break (prev, nl);
        }
        ls = prev;
    };
    let header = &body[header_start.max(after).min(header_end)..header_end];
    let at = header.find(['|', '>'])?;
    let indicators: String = header[at + 1..]
        .chars()
        .take_while(|c| matches!(c, '1'..='9' | '+' | '-'))
        .collect();
    let rest = &header[at + 1 + indicators.len()..];
    if indicators.len() > 2 || !(rest.is_empty() || rest.starts_with([' ', '\t', '\r'])) {
        return None;
    }
    // Forward over the content lines: blank, or indented at least as much as the first.
    let mut end = start;
    let mut pos = line_start;
    while pos < body.len() {
        let next = body[pos..].find('\n').map_or(body.len(), |i| pos + i + 1);
        let line = body[pos..next].trim_end_matches(['\n', '\r']);
        if !line.trim().is_empty() {
            if line.len() - line.trim_start_matches(' ').len() < indent {
                break;
            }
            end = pos + line.len();
        }
        pos = next;
    }
    Some(BlockPlace {
        content: header_end + 1..end,
        indent,
        explicit_indent: indicators.contains(|c: char| c.is_ascii_digit()),
        newline: if body[..header_end].ends_with('\r') {
            "\r\n"
        } else {
            "\n"
        },
    })
}

/// The new content lines of a block scalar, or why `value` cannot be one there.
fn render_block(place: &BlockPlace, old: &Scalar, value: &str) -> Result<String, &'static str> {
    let breaks = |v: &str| v.len() - v.trim_end_matches('\n').len();
    if breaks(value) != breaks(&old.value) {
        return Err("the new value must end with as many line breaks as the old one");
    }
    let body = &value[..value.len() - breaks(value)];
    if body.is_empty() {
        return Err("the new value is empty");
    }
    if body
        .chars()
        .any(|c| c == '\r' || is_special_break(c) || (!printable(c) && c != '\t'))
    {
        return Err("the new value holds a character a block cannot hold");
    }
    if old.style == TScalarStyle::Folded && body.contains('\n') {
        return Err("a folded block (`>`) is only rewritten with a value of one line");
    }
    let first = body.lines().find(|l| !l.is_empty()).unwrap_or_default();
    if !place.explicit_indent && first.starts_with([' ', '\t']) {
        return Err("its header has no indentation indicator for a first line that starts with a space");
    }
    let indent = " ".repeat(place.indent);
    let lines: Vec<String> = body
        .split('\n')
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{indent}{l}")
            }
        })
        .collect();
    Ok(lines.join(place.newline))
}

/// YAML's printable characters (what may stand in a file unescaped).
fn printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        || c >= '\u{10000}'
}

/// Characters that some YAML readers take as line breaks, and the byte-order mark.
fn is_special_break(c: char) -> bool {
    matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}')
}

/// Whether `value` may be written as a plain scalar and read back as the same string.
fn plain_fits(value: &str, flow: bool) -> bool {
    let (Some(first), Some(last)) = (value.chars().next(), value.chars().last()) else {
        return false;
    };
    let safe = !first.is_whitespace()
        && !last.is_whitespace()
        && !"-?:,[]{}#&*!|>'\"%@`.".contains(first)
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.ends_with(':')
        && !value
            .chars()
            .any(|c| !printable(c) || is_special_break(c) || matches!(c, '\t' | '\n' | '\r'))
        && !(flow && value.contains([',', '[', ']', '{', '}', ':']));
    let reads_back = || {
        let doc = format!("k: {value}\n");
        matches!(serde_yaml::from_str::<serde_yaml::Value>(&doc), Ok(serde_yaml::Value::Mapping(m))
            if m.get("k").and_then(|v| v.as_str()) == Some(value))
    };
    safe && reads_back()
}

/// Whether `value` may be written single-quoted: one line of printable characters.
fn single_fits(value: &str) -> bool {
    !value
        .chars()
        .any(|c| !printable(c) || is_special_break(c) || matches!(c, '\t' | '\n' | '\r'))
}

/// `value` as a double-quoted scalar on one line: line breaks, tabs and every character that
/// is not printable, or that a reader might take for a line break, escaped.
fn double_quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if !printable(c) || is_special_break(c) => {
                let n = c as u32;
                if n <= 0xffff {
                    out.push_str(&format!("\\u{n:04X}"));
                } else {
                    out.push_str(&format!("\\U{n:08X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(s: &str) -> Vec<Seg> {
        s.split('.')
            .map(|p| match p.parse::<usize>() {
                Ok(i) => Seg::Index(i),
                Err(_) => Seg::Key(p.to_owned()),
            })
            .collect()
    }

    fn one(source: &str, at: &str, value: &str) -> Result<String, EditError> {
        edit(
            source,
            &[Edit {
                path: path(at),
                value: value.to_owned(),
            }],
        )
    }

    #[test]
    fn plain_and_quoted_values_keep_their_style_when_they_can() {
        let src = "a:\n  - quote: plain text # a comment\n    note: x\n  - quote: \"dq \\\" x\"\n  - quote: 'it''s'\n";
        let out = one(src, "a.0.quote", "Gespräche mit Russen").unwrap();
        assert_eq!(out, src.replace("plain text", "Gespräche mit Russen"));
        let out = one(src, "a.0.quote", "Titel: „Der Westen“").unwrap();
        assert_eq!(out, src.replace("plain text", "\"Titel: „Der Westen“\""));
        let out = one(src, "a.0.quote", " lead").unwrap();
        assert_eq!(out, src.replace("plain text", "\" lead\""));
        let out = one(src, "a.0.quote", "true").unwrap();
        assert_eq!(out, src.replace("plain text", "\"true\""));
        let out = one(src, "a.1.quote", "say \"hi\"").unwrap();
        assert_eq!(out, src.replace("\"dq \\\" x\"", "\"say \\\"hi\\\"\""));
        let out = one(src, "a.2.quote", "it's hers").unwrap();
        assert_eq!(out, src.replace("'it''s'", "'it''s hers'"));
        let out = one(src, "a.2.quote", "two\nlines").unwrap();
        assert_eq!(out, src.replace("'it''s'", "\"two\\nlines\""));
    }

    #[test]
    fn a_plain_value_over_several_lines_is_replaced_whole() {
        let src = "- quote: one\n    two\n\n    three\n  note: x\n";
        let out = one(src, "0.quote", "new").unwrap();
        assert_eq!(out, "- quote: new\n  note: x\n");
    }

    #[test]
    fn flow_collections_keep_their_other_items() {
        let src = "annotations:\n- {quote: Wer reitet so spat durch Nacht, gloss: who rides, note: n}\n";
        let out = one(src, "annotations.0.quote", "Wer reitet so spät durch Nacht").unwrap();
        assert_eq!(out, src.replace("spat", "spät"));
        // In a flow collection a comma ends a plain value: quoted.
        let out = one(src, "annotations.0.quote", "Wer, reitet").unwrap();
        assert_eq!(
            out,
            "annotations:\n- {quote: \"Wer, reitet\", gloss: who rides, note: n}\n"
        );
        let src = "annotations: [{quote: a b, note: x}, {quote: 'c d', note: y}]\n";
        let out = edit(
            src,
            &[
                Edit {
                    path: path("annotations.0.quote"),
                    value: "A B".into(),
                },
                Edit {
                    path: path("annotations.1.quote"),
                    value: "C]D".into(),
                },
            ],
        )
        .unwrap();
        assert_eq!(out, "annotations: [{quote: A B, note: x}, {quote: 'C]D', note: y}]\n");
        let src = "annotations:\n  - {quote: over\n      two lines, note: x}\n";
        let out = one(src, "annotations.0.quote", "one line").unwrap();
        assert_eq!(out, "annotations:\n  - {quote: one line, note: x}\n");
    }

    #[test]
    fn blocks_are_rewritten_under_their_own_header() {
        let src = "- quote: |  # kept\n    old text\n    here\n\n  note: x\n";
        let out = one(src, "0.quote", "new text\nthere: # not a comment\n").unwrap();
        assert_eq!(
            out,
            "- quote: |  # kept\n    new text\n    there: # not a comment\n\n  note: x\n"
        );
        let src = "- quote: >-\n    folded\n    text\n  note: x\n";
        let out = one(src, "0.quote", "new \"text\"").unwrap();
        assert_eq!(out, "- quote: >-\n    new \"text\"\n  note: x\n");
        let refused = |src: &str, value: &str| matches!(one(src, "0.quote", value), Err(EditError::BlockUnfit { .. }));
        assert!(refused(src, "two\nlines"), "a folded block holds one line");
        assert!(
            refused(src, "ends with a break\n"),
            "the chomping decides the final breaks"
        );
        assert!(refused("- quote: |\n    x\n", " leading space\n"));
        assert_eq!(
            one("- quote: |2\n    x\n", "0.quote", " leading space\n").unwrap(),
            "- quote: |2\n     leading space\n"
        );
    }

    #[test]
    fn values_after_a_block_with_wide_characters_are_found() {
        // yaml-rust2's markers count a block's characters in bytes: lines and columns are used.
        let src = "a: |\n  Straße 東京\nb: Hund\n";
        assert_eq!(one(src, "b", "Katze").unwrap(), "a: |\n  Straße 東京\nb: Katze\n");
    }

    #[test]
    fn crlf_a_bom_and_comments_stay() {
        let src =
            "\u{feff}# c\r\ntitle: T\r\nannotations:\r\n  - quote: old  # why\r\n    note: |\r\n      a\r\n      b\r\n";
        let out = one(src, "annotations.0.quote", "new: text").unwrap();
        assert_eq!(out, src.replace("quote: old", "quote: \"new: text\""));
        let out = one(src, "annotations.0.note", "c\nd\n").unwrap();
        assert_eq!(out, src.replace("      a\r\n      b", "      c\r\n      d"));
    }

    #[test]
    fn refuses_what_it_cannot_edit_safely() {
        let err = |src: &str, at: &str| one(src, at, "x").unwrap_err();
        assert_eq!(err("a: &x b\nc: *x\n", "a"), EditError::Anchored("a".into()));
        assert_eq!(err("a: &x {q: b}\nc: *x\n", "a.q"), EditError::Anchored("a.q".into()));
        assert_eq!(err("a: &x b\nc: *x\n", "c"), EditError::NotAScalar("c".into()));
        assert_eq!(err("a: !!str b\n", "a"), EditError::Tagged("a".into()));
        assert_eq!(err("a: b\n---\na: c\n", "a"), EditError::MultipleDocuments);
        assert_eq!(err("a: b\n", "c"), EditError::NotFound("c".into()));
        assert_eq!(err("a:\nb: c\n", "a"), EditError::Empty("a".into()));
        assert_eq!(err("a: [b]\n", "a"), EditError::NotAScalar("a".into()));
        assert!(matches!(err("a: [b\n", "a"), EditError::NotYaml(_)));
        let twice = edit(
            "a: b\n",
            &[
                Edit {
                    path: path("a"),
                    value: "c".into(),
                },
                Edit {
                    path: path("a"),
                    value: "d".into(),
                },
            ],
        );
        assert_eq!(twice, Err(EditError::EditedTwice("a".into())));
        assert_eq!(
            EditError::Anchored("annotations[0].quote".into()).to_string(),
            "`annotations[0].quote` is, or is inside, a value with an anchor (`&`): its aliases would change too"
        );
    }

    #[test]
    fn double_quoting_escapes_what_cannot_stand_in_the_file() {
        assert_eq!(
            double_quoted("a\"b\\c\td\u{7}\u{2028}é"),
            "\"a\\\"b\\\\c\\td\\u0007\\u2028é\""
        );
        for value in ["\u{85}x", "\u{feff}", "a\r\nb", "\u{1f}", "🎉", "x\u{ffff}"] {
            let out = one("a: b\n", "a", value).unwrap();
            let back: serde_yaml::Value = serde_yaml::from_str(&out).unwrap();
            assert_eq!(back["a"].as_str(), Some(value), "{out:?}");
        }
    }
}

#[cfg(test)]
mod props;

mod append;
mod keys;
mod rename;
pub use append::{Appended, NewValue, append_item, remove_item};
pub use keys::{add_key, remove_key};
pub use rename::rename_key;
