//! Diagnostics: every problem with the content is a value, collected and printed together.
//!
//! Stages never stop at the first bad item. They push a [`Diagnostic`] and go on, so that one
//! run shows an author every error at once. Only `main.rs` turns them into an exit code.

pub mod code;
pub mod format;

pub use code::Code;

use std::borrow::Cow;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// Something done, not wrong: `check --fix` reports its rewrites so.
    Note,
}

impl Severity {
    /// `error`, `warning` or `note`, as messages and `--message-format json` say it.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// One problem, anchored in a file and, where known, a line and column (both 1-based). The
/// build cache keeps a build's warnings as they were (serde), to say them again when nothing
/// has changed.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// What kind of problem it is, for tools ([`Code`]; docs/diagnostics.md lists them).
    pub code: Code,
    pub path: PathBuf,
    pub line: Option<usize>,
    pub col: Option<usize>,
    /// Width of the offending value, for the caret line.
    pub width: usize,
    pub message: String,
    /// The source line the position points at, shown under the message.
    pub source_line: Option<String>,
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error of kind `code` about the file at `path` (point it at a line with
    /// [`Diagnostic::at`]).
    pub fn error(code: Code, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            path: path.into(),
            line: None,
            col: None,
            width: 1,
            message: message.into(),
            source_line: None,
            hint: None,
        }
    }

    /// A warning of kind `code` about the file at `path`.
    pub fn warning(code: Code, path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic::error(code, path, message).severity(Severity::Warning)
    }

    /// The same diagnostic as a warning (or a note): for the helpers that make errors, such
    /// as [`crate::yaml::value_error`].
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// Points the diagnostic at `line:col` of `source`, and keeps that line to show it.
    pub fn at(mut self, source: &str, pos: Pos) -> Self {
        self.line = Some(pos.line);
        self.col = Some(pos.col);
        self.width = pos.width.max(1);
        self.source_line = source.lines().nth(pos.line.saturating_sub(1)).map(str::to_owned);
        self
    }

    /// Points at the line and column of a byte offset in `source`.
    pub fn at_offset(self, source: &str, offset: usize, width: usize) -> Self {
        let pos = Pos::of_offset(source, offset, width);
        self.at(source, pos)
    }

    /// [`Diagnostic::at`] with the lines of `source` already found: many diagnostics about
    /// one file each cost a lookup, not a scan of the file.
    pub fn at_indexed(mut self, source: &str, lines: &LineIndex, pos: Pos) -> Self {
        self.line = Some(pos.line);
        self.col = Some(pos.col);
        self.width = pos.width.max(1);
        self.source_line = lines.line(source, pos.line).map(str::to_owned);
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col: error: message`, then the source line with a caret, then the hint.
    pub fn render(&self, root: &Path) -> String {
        self.render_styled(root, false)
    }

    /// Like [`Diagnostic::render`], in colour when `color` (a terminal, and no `NO_COLOR`).
    pub fn render_styled(&self, root: &Path, color: bool) -> String {
        let paint = |code: &str, text: &str| {
            if color {
                format!("\x1b[{code}m{text}\x1b[0m")
            } else {
                text.to_owned()
            }
        };
        let label = self.severity.as_str();
        let label_color = match self.severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Note => "1;36",
        };
        let path = self.path.strip_prefix(root).unwrap_or(&self.path);
        let mut location = path.display().to_string();
        if let Some(line) = self.line {
            let _ = write!(location, ":{line}:{}", self.col.unwrap_or(1));
        }
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}: {}: {}",
            paint("1", &location),
            paint(label_color, label),
            paint("1", &self.message)
        );
        if let (Some(line), Some(text)) = (self.line, &self.source_line) {
            let number = line.to_string();
            let pad = " ".repeat(number.len());
            let text = text.replace('\t', " ");
            let col = self.col.unwrap_or(1).saturating_sub(1);
            let caret_at: usize = text.chars().take(col).count();
            let bar = paint("1;34", &format!("{pad} |"));
            let _ = writeln!(out, "{bar}");
            let _ = writeln!(out, "{} {text}", paint("1;34", &format!("{number} |")));
            let carets = paint(label_color, &"^".repeat(self.width.min(80)));
            let _ = writeln!(out, "{bar} {}{carets}", " ".repeat(caret_at));
        }
        if let Some(hint) = &self.hint {
            for (i, line) in hint.lines().enumerate() {
                let lead = if i == 0 {
                    format!("  {} ", paint("1;34", "= hint:"))
                } else {
                    " ".repeat(10)
                };
                let _ = writeln!(out, "{lead}{line}");
            }
        }
        out
    }
}

/// Colour only on a terminal, and never when `NO_COLOR` is set (<https://no-color.org>).
pub fn use_color() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// A 1-based line and column (in characters), with the width of the thing pointed at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
    pub width: usize,
}

impl Pos {
    pub fn of_offset(source: &str, offset: usize, width: usize) -> Pos {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let before = &source[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = source[line_start..offset].chars().count() + 1;
        Pos { line, col, width }
    }
}

/// Where each line of a text starts, to find a line or the position of an offset without
/// scanning the text again.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(source: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', source.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// Line `n` (from 1) of `source`, the text this index was made from, as
    /// `source.lines().nth(n - 1)` gives it: without its `\n` or `\r\n`, and none past the
    /// last line.
    pub fn line<'s>(&self, source: &'s str, n: usize) -> Option<&'s str> {
        let start = *self.starts.get(n.saturating_sub(1))?;
        if start >= source.len() {
            return None;
        }
        let end = self.starts.get(n).map_or(source.len(), |next| next - 1);
        let line = &source[start..end];
        Some(if end < source.len() {
            line.strip_suffix('\r').unwrap_or(line)
        } else {
            line
        })
    }

    /// [`Pos::of_offset`], in the time of a binary search and the line up to the offset.
    pub fn pos_of_offset(&self, source: &str, offset: usize, width: usize) -> Pos {
        let offset = floor_char_boundary(source, offset.min(source.len()));
        let line = self.starts.partition_point(|&s| s <= offset);
        let line_start = self.starts[line - 1];
        let col = source[line_start..offset].chars().count() + 1;
        Pos { line, col, width }
    }
}

pub fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Document text or a quote as a message shows it: every character a reader would not see
/// (a zero-width space, a soft hyphen, a no-break space, a bidi mark, a control character other
/// than a line break or tab, an unassigned code point) and every combining mark with nothing
/// before it to combine with is written as `\u{200B}`, so that two passages that look alike but
/// differ show the difference. Everything else stays as it is.
pub fn visible(text: &str) -> Cow<'_, str> {
    if text
        .bytes()
        .all(|b| b == b'\n' || b == b'\t' || (b' '..=b'~').contains(&b))
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (c, unseen) in unseen_chars(text) {
        if unseen && c != '\n' && c != '\t' {
            let _ = write!(out, "\\u{{{:X}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `text` as a YAML double-quoted string, to paste into a sidecar: `"`, `\` and control
/// characters escaped as JSON escapes them (valid YAML), and the other characters [`visible`]
/// escapes as YAML's `\u200B` (`\U0001D173` above the first plane).
pub fn yaml_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for (c, unseen) in unseen_chars(text) {
        let _ = match c {
            '"' => write!(out, "\\\""),
            '\\' => write!(out, "\\\\"),
            '\n' => write!(out, "\\n"),
            '\t' => write!(out, "\\t"),
            '\r' => write!(out, "\\r"),
            '\u{8}' => write!(out, "\\b"),
            '\u{c}' => write!(out, "\\f"),
            c if (c as u32) < 0x20 => write!(out, "\\u{:04x}", c as u32),
            c if !unseen => write!(out, "{c}"),
            c if (c as u32) <= 0xFFFF => write!(out, "\\u{:04X}", c as u32),
            c => write!(out, "\\U{:08X}", c as u32),
        };
    }
    out.push('"');
    out
}

/// Each character of `text`, and whether a reader would not see it: it is invisible (format,
/// control, separator other than the space, unassigned, private use), or a combining mark at
/// the start or after white space or another such character, where it has nothing to combine
/// with.
fn unseen_chars(text: &str) -> impl Iterator<Item = (char, bool)> + '_ {
    use unicode_general_category::{GeneralCategory as G, get_general_category};
    let mut base = false;
    text.chars().map(move |c| {
        let unseen = match c {
            ' '..='~' => false,
            c if c.is_ascii() => true,
            c => match get_general_category(c) {
                G::Format | G::Control | G::SpaceSeparator | G::LineSeparator | G::ParagraphSeparator => true,
                G::Unassigned | G::PrivateUse | G::Surrogate => true,
                G::NonspacingMark | G::SpacingMark | G::EnclosingMark => !base,
                _ => false,
            },
        };
        base = !unseen && !c.is_whitespace();
        (c, unseen)
    })
}

/// The candidate closest to `word` by edit distance, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// Edit distance over characters where swapping two neighbours counts as one edit (optimal
/// string alignment), so that `qoute` is closer to `quote` than to `note`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// Sorts diagnostics by path and position so that output is stable and reads top to bottom.
pub fn sort(diags: &mut [Diagnostic]) {
    diags.sort_by(|a, b| {
        (&a.path, a.line, a.col, a.severity, &a.message).cmp(&(&b.path, b.line, b.col, b.severity, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_position_source_caret_and_hint() {
        let src = "annotations:\n  - quote: foo\n    term: schiller\n";
        let d = Diagnostic::error(Code::UnknownTerm, "site/seeds/a.yaml", "unknown glossary id `schiller`")
            .at(
                src,
                Pos {
                    line: 3,
                    col: 11,
                    width: 8,
                },
            )
            .hint("did you mean `goethe`?");
        assert_eq!(
            d.render(Path::new("site")),
            "seeds/a.yaml:3:11: error: unknown glossary id `schiller`\n  |\n3 |     term: schiller\n  |           ^^^^^^^^\n  = hint: did you mean `goethe`?\n"
        );
    }

    #[test]
    fn offsets_become_lines_and_char_columns() {
        let src = "ab\nÄßc\n";
        assert_eq!(
            Pos::of_offset(src, 3 + 4, 1),
            Pos {
                line: 2,
                col: 3,
                width: 1
            }
        );
    }

    proptest::proptest! {
        /// The line index finds what scanning the text finds: each line as `lines()` gives
        /// it, and the position of each offset.
        #[test]
        fn the_line_index_agrees_with_scanning(source in "[a\r\nß ]{0,30}", offset in 0usize..40) {
            let index = LineIndex::new(&source);
            for n in 1..source.len() + 3 {
                proptest::prop_assert_eq!(index.line(&source, n), source.lines().nth(n - 1), "line {}", n);
            }
            proptest::prop_assert_eq!(index.pos_of_offset(&source, offset, 2), Pos::of_offset(&source, offset, 2));
        }
    }

    #[test]
    fn unseen_characters_are_escaped_for_messages() {
        assert_eq!(visible("Größe „x“\tdone\n"), "Größe „x“\tdone\n");
        assert_eq!(
            visible("a\u{200B}b\u{AD}c\u{A0}d\u{200F}e\u{FEFF}"),
            "a\\u{200B}b\\u{AD}c\\u{A0}d\\u{200F}e\\u{FEFF}"
        );
        // A mark on a letter is seen with it; one at the start or after a space is not.
        assert_eq!(visible("Cafe\u{301}"), "Cafe\u{301}");
        assert_eq!(visible("\u{301}x \u{308}"), "\\u{301}x \\u{308}");
        assert_eq!(visible("\r\u{7}"), "\\u{D}\\u{7}");
    }

    #[test]
    fn yaml_strings_escape_what_json_does_and_the_unseen() {
        assert_eq!(yaml_string("a \"b\" \\ c\nd"), r#""a \"b\" \\ c\nd""#);
        assert_eq!(yaml_string("Größe\u{200B}\u{1D173}"), r#""Größe\u200B\U0001D173""#);
    }

    proptest::proptest! {
        /// Where nothing is unseen but control characters, [`yaml_string`] writes what JSON does
        /// (as glossa wrote before it escaped more).
        #[test]
        fn yaml_strings_are_json_where_all_is_seen(s in "[a-zäß€ „“\"\\\\/\n\t\r\u{1}\u{8}\u{c}\u{1f}\u{1F600}]{0,20}") {
            proptest::prop_assert_eq!(yaml_string(&s), serde_json::to_string(&s).unwrap());
        }

        /// What [`yaml_string`] writes, YAML reads back as the same text.
        #[test]
        fn yaml_strings_read_back(s in "[a \"\\\\\n\t\r\u{1}\u{7f}\u{85}ä\u{301}\u{200B}\u{AD}\u{A0}\u{2028}\u{FEFF}\u{1D173}\u{E0001}]{0,20}") {
            let back: String = serde_yaml::from_str(&yaml_string(&s)).unwrap();
            proptest::prop_assert_eq!(back, s);
        }
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("qoute", ["quote", "note", "gloss"]), Some("quote"));
        assert_eq!(did_you_mean("zzzzzz", ["quote", "note"]), None);
    }
}

#[cfg(test)]
mod color_tests {
    use super::*;

    #[test]
    fn colour_wraps_the_parts_and_plain_has_no_escapes() {
        let d = Diagnostic::error(Code::YamlSyntax, "a.yaml", "bad").at(
            "x: y\n",
            Pos {
                line: 1,
                col: 4,
                width: 1,
            },
        );
        let plain = d.render_styled(Path::new(""), false);
        assert!(!plain.contains('\x1b'));
        let colored = d.render_styled(Path::new(""), true);
        assert!(colored.contains("\x1b[1;31merror\x1b[0m"), "{colored:?}");
        assert_eq!(
            colored
                .replace("\x1b[0m", "")
                .replace("\x1b[1;31m", "")
                .replace("\x1b[1;34m", "")
                .replace("\x1b[1m", ""),
            plain
        );
    }
}
