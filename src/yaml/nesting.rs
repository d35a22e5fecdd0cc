//! The nesting limit of YAML files: a file whose lists and mappings nest deeper than
//! [`MAX_DEPTH`] is an error at the place the limit is crossed, found before any YAML parser
//! reads the file.
//!
//! Why before: libyaml (under serde_yaml) and yaml-rust2 look at every open flow collection
//! (`[`, `{`) for each token they read, and yaml-rust2's loader recurses once a level, so a file
//! of 10,000 nested `[` costs seconds and one of a million never finishes or overflows the stack.
//!
//! Three steps, each only when the one before cannot tell: a bound from counting bytes
//! (`depth_bound`), which lets nearly every file through at once; a scan of the flow
//! collections that knows quotes, comments and block scalars (`deep_flow`), so that no YAML
//! parser meets flow nesting deeper than the limit; and yaml-rust2's events, counted up to the
//! first level too deep (`deep_events`), for block nesting.

use crate::diagnostics::{Diagnostic, Pos};
use std::path::Path;

use super::MAX_DEPTH;

/// An error at the list or mapping that nests deeper than [`MAX_DEPTH`], if `source` has one.
pub fn nesting_error(source: &str, path: &Path) -> Option<Diagnostic> {
    if depth_bound(source) <= MAX_DEPTH {
        return None;
    }
    let pos = match deep_flow(source) {
        Some(offset) => Pos::of_offset(source, offset, 1),
        None => deep_events(source)?,
    };
    Some(
        Diagnostic::error(
            crate::diagnostics::Code::YamlTooDeep,
            path,
            format!("lists and mappings nest deeper than {MAX_DEPTH} levels here"),
        )
        .at(source, pos)
        .hint("glossa's files need only a few levels: look for an unclosed `[` or `{`, or indentation that runs away"),
    )
}

/// A number no smaller than the deepest nesting of `source`. A flow collection opens with `[`
/// or `{`, so there are no more levels of them than those bytes. A block collection starts
/// its line, after the indentation and the `- ` or `? ` of the collections it is in (a
/// mapping may also follow one of them on the line: `- key: value`), and of two levels of
/// blocks one inside the other, the inner one is indented at least one column more than the
/// outer one's parent (a list may stand at its mapping's column, nothing else at its parent's),
/// so no node on a line stands deeper than twice its run of leading spaces, tabs, `-` and `?`,
/// plus three.
fn depth_bound(source: &str) -> usize {
    let bytes = source.as_bytes();
    let flow = memchr::memchr2_iter(b'[', b'{', bytes).count();
    if flow > MAX_DEPTH {
        return flow;
    }
    let lead_at = |start: usize| {
        bytes[start..]
            .iter()
            .take_while(|b| matches!(b, b' ' | b'\t' | b'-' | b'?'))
            .count()
    };
    let lead = std::iter::once(0)
        .chain(memchr::memchr_iter(b'\n', bytes).map(|i| i + 1))
        .map(lead_at)
        .max()
        .unwrap_or(0);
    flow + 2 * lead + 3
}

/// The byte offset of the `[` or `{` that opens a flow collection deeper than [`MAX_DEPTH`].
///
/// A `[` or `{` opens a collection where a value may start (after `- `, `? `, `: `, a `,` or
/// another opening bracket, or at a line's start) and anywhere inside a flow collection, whose
/// plain scalars cannot hold one; it is text inside a quoted scalar, a comment, a block
/// scalar (`|`, `>`) or a plain scalar outside flow collections, which this scan skips. It
/// errs, if at all, towards counting a bracket that is text: a file no parser would nest so
/// deep, refused.
fn deep_flow(source: &str) -> Option<usize> {
    let b = source.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    let mut value_start = true;
    // The column of the node that holds a block scalar, and its content's indentation once seen.
    let mut block_scalar: Option<(usize, Option<usize>)> = None;
    // Where the current line starts, whether the scan stands there, and the column of the
    // line's node after its `- ` and `? ` (a block scalar's content is indented past it).
    let (mut line_start, mut at_line_start, mut node_col) = (0, true, 0);
    let line_end = |i: usize| line_end(b, i);
    while i < b.len() {
        if at_line_start {
            at_line_start = false;
            line_start = i;
            match line_opening(b, i, &mut block_scalar) {
                Line::InBlockScalar { end } => i = end,
                Line::Node { indent, content } => {
                    node_col = indent;
                    value_start = true;
                    i = content;
                }
            }
            continue;
        }
        let next_is_space = b.get(i + 1).is_none_or(u8::is_ascii_whitespace);
        let after_space = i == line_start || b[i - 1].is_ascii_whitespace();
        match b[i] {
            b'\n' => {
                i += 1;
                at_line_start = true;
            }
            b' ' | b'\t' | b'\r' => i += 1,
            b'#' if after_space => i = line_end(i),
            b'"' | b'\'' if value_start => {
                i = end_of_quoted(b, i)?;
                value_start = false;
            }
            b'[' | b'{' if value_start || depth > 0 => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(i);
                }
                i += 1;
                value_start = true;
            }
            b']' | b'}' if depth > 0 => {
                depth -= 1;
                i += 1;
                value_start = false;
            }
            b',' if depth > 0 => {
                i += 1;
                value_start = true;
            }
            b':' if depth > 0 || next_is_space => {
                i += 1;
                value_start = true;
            }
            b'-' | b'?' if value_start && next_is_space => {
                i += 1;
                let spaces = b[i..].iter().take_while(|&&c| c == b' ').count();
                node_col = i + spaces - line_start;
            }
            b'|' | b'>' if value_start && depth == 0 => {
                block_scalar = Some((node_col, None));
                i = line_end(i);
            }
            // Tags and anchors come before the value they mark; an alias is a whole value.
            b'!' | b'&' | b'*' if value_start => i = end_of_mark(b, i),
            _ => {
                i = end_of_plain(b, i, depth > 0);
                value_start = false;
            }
        }
    }
    None
}

/// Where a tag, anchor or alias that starts at `i` ends.
fn end_of_mark(b: &[u8], i: usize) -> usize {
    i + b[i..]
        .iter()
        .take_while(|c| !c.is_ascii_whitespace() && !b",[]{}".contains(c))
        .count()
}

/// What a line is, read from its start.
enum Line {
    /// A line of the block scalar being read, which ends at `end`.
    InBlockScalar { end: usize },
    /// A line of nodes, indented by `indent`; its content (after a document marker, if any)
    /// starts at `content`.
    Node { indent: usize, content: usize },
}

/// Reads the start of the line at `i`.
fn line_opening(b: &[u8], i: usize, block_scalar: &mut Option<(usize, Option<usize>)>) -> Line {
    let indent = b[i..].iter().take_while(|&&c| c == b' ').count();
    let end = line_end(b, i);
    let blank = b[i + indent..end].iter().all(u8::is_ascii_whitespace);
    if holds_line(block_scalar, indent, blank) {
        return Line::InBlockScalar { end };
    }
    let marker = b[i..].starts_with(b"---") || b[i..].starts_with(b"...");
    let content = if marker && b.get(i + 3).is_none_or(u8::is_ascii_whitespace) {
        i + 3
    } else {
        i + indent
    };
    Line::Node { indent, content }
}

/// Where the line holding `i` ends: at its line break, or at the end of the text.
fn line_end(b: &[u8], i: usize) -> usize {
    memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |k| i + k)
}

/// Whether a line of `indent` spaces (`blank` if nothing else) belongs to the block scalar
/// being read, if any: `(column of the node that holds it, its content's indentation once
/// seen)`. The first line that does not ends it.
fn holds_line(block_scalar: &mut Option<(usize, Option<usize>)>, indent: usize, blank: bool) -> bool {
    let Some((header, content)) = *block_scalar else {
        return false;
    };
    let inside = match content {
        _ if blank => true,
        None => indent > header,
        Some(c) => indent >= c,
    };
    *block_scalar = inside.then(|| (header, content.or((!blank).then_some(indent))));
    inside
}

/// Where a plain scalar starting at `i` ends: at `: ` (its key's end), ` #`, the line's end,
/// or inside a flow collection also at `,` and brackets.
fn end_of_plain(b: &[u8], mut i: usize, in_flow: bool) -> usize {
    while i < b.len() {
        let c = b[i];
        let next_is_space = b.get(i + 1).is_none_or(|c| c.is_ascii_whitespace());
        if c == b'\n' || (c == b':' && next_is_space) || (in_flow && b",[]{}".contains(&c)) {
            return i;
        }
        if c == b'#' && i > 0 && b[i - 1].is_ascii_whitespace() {
            return i;
        }
        i += 1;
    }
    i
}

/// Just past the quoted scalar that starts at `i` (`"` with backslash escapes, `'` with `''`),
/// or `None` if it never closes.
fn end_of_quoted(b: &[u8], i: usize) -> Option<usize> {
    let quote = b[i];
    let mut j = i + 1;
    while j < b.len() {
        let k = j + memchr::memchr2(quote, b'\\', &b[j..])?;
        match b[k] {
            b'\\' if quote == b'"' => j = k + 2,
            b'\\' => j = k + 1,
            _ if quote == b'\'' && b.get(k + 1) == Some(&b'\'') => j = k + 2,
            _ => return Some(k + 1),
        }
    }
    None
}

/// Where the first list or mapping deeper than [`MAX_DEPTH`] starts, by yaml-rust2's events.
/// Flow nesting is within the limit here ([`deep_flow`]), which keeps yaml-rust2 linear.
fn deep_events(source: &str) -> Option<Pos> {
    use yaml_rust2::parser::Event;
    let mut depth = 0usize;
    for (ev, mark) in crate::yaml::pos::events(source) {
        match ev {
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Some(Pos {
                        line: mark.line(),
                        col: mark.col() + 1,
                        width: 1,
                    });
                }
            }
            Event::SequenceEnd | Event::MappingEnd => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_line(source: &str) -> Option<usize> {
        nesting_error(source, Path::new("a.yaml")).map(|d| d.line.unwrap())
    }

    #[test]
    fn deep_flow_and_block_nesting_is_refused_where_it_crosses_the_limit() {
        let flow = format!("a:\n  b: {}", "[".repeat(10_000));
        assert_eq!(error_line(&flow), Some(2));
        let d = nesting_error(&flow, Path::new("a.yaml")).unwrap();
        // Counted in brackets alone (the two mappings around them are not): the 65th `[`.
        assert_eq!(d.col, Some(6 + MAX_DEPTH), "at the bracket that crosses the limit");
        let lines: String = (0..1_000).map(|i| format!("{}- \n", " ".repeat(2 * i))).collect();
        // `a:` is the first level, each `- ` one more: the 64th `- ` is the 65th level.
        assert_eq!(error_line(&format!("a:\n{lines}")), Some(MAX_DEPTH + 1));
        let compact = format!("- {}x\n", "- ".repeat(200));
        assert_eq!(error_line(&compact), Some(1));
        let braces = format!("{}\n", "{a: ".repeat(100));
        assert_eq!(error_line(&braces), Some(1));
    }

    #[test]
    fn nesting_at_the_limit_passes() {
        let flow = format!("a: {}{}\n", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
        assert_eq!(error_line(&flow), None);
        let lines: String = (0..MAX_DEPTH - 1)
            .map(|i| format!("{}- \n", " ".repeat(2 * i)))
            .collect();
        assert_eq!(error_line(&format!("a:\n{lines}")), None);
    }

    #[test]
    fn brackets_that_are_text_do_not_count() {
        let many = "[a](b) ".repeat(100);
        let unbalanced = "[[[[[[[[[[".repeat(10);
        for source in [
            format!("note: see {many}\nquote: \"{unbalanced}\"\nsee: '{unbalanced} it''s'\n"),
            format!("note: |\n  {unbalanced}\n\n  {unbalanced}\ngloss: x # {unbalanced}\n"),
            format!("forms: [\"{unbalanced}\", 'x]', y]\ndefinition: plain {unbalanced}\n"),
            "- id: a\n  forms: [A, B]\n".repeat(200),
        ] {
            assert_eq!(error_line(&source), None, "{source}");
            assert!(serde_yaml::from_str::<serde_yaml::Value>(&source).is_ok(), "{source}");
        }
    }

    #[test]
    fn brackets_hidden_from_a_simple_count_still_count() {
        // Tags, anchors and quoted keys before a flow collection; a block scalar that ends.
        for lead in ["a: !!seq ", "a: &x ", "\"a b\": ", "a: |\n  text\nb: "] {
            let source = format!("{lead}{}\n", "[".repeat(100));
            assert!(error_line(&source).is_some(), "{source}");
        }
    }
}
