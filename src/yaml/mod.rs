//! YAML, for every stage that reads it: typed structs with errors that point into the file
//! (here), where each value stands (`pos`), and the nesting limit checked before any parser
//! reads a file (`nesting`). No disk access, except `ErrorFiles`, which reads a file again to
//! point an error at its line.

pub mod nesting;
pub mod pos;

use crate::diagnostics::{Code, Diagnostic, Pos, did_you_mean};
use crate::yaml::pos::{Seg, YamlPositions};
use serde::de::DeserializeOwned;
use std::path::Path;
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// How deeply a YAML file may nest lists and mappings. glossa's own files need four levels.
pub const MAX_DEPTH: usize = 64;

/// Deserializes `source`; an empty document is `Ok(None)`. A syntax or type error becomes a
/// diagnostic at serde_yaml's position, with a did-you-mean for unknown keys and values. A file
/// nested deeper than [`MAX_DEPTH`] is refused before serde_yaml reads it.
pub fn from_yaml<T: DeserializeOwned>(source: &str, path: &Path) -> Result<Option<T>, Diagnostic> {
    if let Some(d) = crate::yaml::nesting::nesting_error(source, path) {
        return Err(d);
    }
    serde_yaml::from_str::<Option<T>>(source).map_err(|e| yaml_error(source, path, &e))
}

fn yaml_error(source: &str, path: &Path, e: &serde_yaml::Error) -> Diagnostic {
    let mut message = e.to_string();
    if let Some(at) = message.find(" at line ") {
        message.truncate(at);
    }
    // libyaml reports a control character at a byte offset in the message, with no location.
    let control_at = message
        .split_once(" at position ")
        .and_then(|(head, offset)| Some((head.len(), offset.parse::<usize>().ok()?)));
    if let Some((head, _)) = control_at {
        message.truncate(head);
    }
    let hint = suggestion(&message);
    let duplicate_at = duplicate_key(&message).and_then(|key| second_key(source, key));
    let mut d = Diagnostic::error(serde_code(&message), path, message);
    if let Some((_, offset)) = control_at {
        d = d.at_offset(source, offset, 1);
    } else if let Some(pos) = duplicate_at {
        d = d.at(source, pos);
    } else if let Some(loc) = e.location() {
        let width = source
            .lines()
            .nth(loc.line().saturating_sub(1))
            .map(|l| {
                l.chars()
                    .skip(loc.column().saturating_sub(1))
                    .take_while(|c| !matches!(c, ':' | ' ' | ','))
                    .count()
            })
            .unwrap_or(1);
        d = d.at(
            source,
            Pos {
                line: loc.line(),
                col: loc.column(),
                width,
            },
        );
    }
    match hint {
        Some(h) => d.hint(h),
        None => d,
    }
}

/// The code of a serde_yaml error, from the words serde and serde_yaml write for each kind
/// (the first that stands in the message: a key or value quoted after it may hold any words);
/// whatever is not about keys and values is about the YAML itself.
pub fn serde_code(message: &str) -> Code {
    const KINDS: [(&str, Code); 10] = [
        ("unknown field `", Code::UnknownKey),
        ("missing field `", Code::MissingKey),
        ("duplicate field `", Code::DuplicateKey),
        ("duplicate entry with key", Code::DuplicateKey),
        ("invalid type: ", Code::WrongType),
        ("did not match any variant of untagged enum", Code::WrongType),
        ("unknown variant `", Code::InvalidValue),
        ("invalid value: ", Code::InvalidValue),
        ("invalid length ", Code::InvalidValue),
        ("recursion limit exceeded", Code::YamlTooDeep),
    ];
    KINDS
        .iter()
        .filter_map(|(words, code)| message.find(words).map(|at| (at, *code)))
        .min_by_key(|(at, _)| *at)
        .map_or(Code::YamlSyntax, |(_, code)| code)
}

/// The key of serde's "duplicate field `quote`" (serde_yaml places it at the mapping's start).
fn duplicate_key(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once("duplicate field `")?;
    rest.split_once('`').map(|(key, _)| key)
}

/// Where `key` first stands a second time in one mapping: the duplicate serde stopped at, as
/// serde reads a document in order and stops at its first error.
fn second_key(source: &str, key: &str) -> Option<Pos> {
    /// The keys seen so far in each open mapping (`None` for a sequence), innermost last.
    #[derive(Default)]
    struct Keys<'k> {
        key: &'k str,
        open: Vec<Option<(Vec<String>, bool)>>,
        found: Option<Pos>,
    }
    impl MarkedEventReceiver for Keys<'_> {
        fn on_event(&mut self, ev: Event, mark: Marker) {
            if self.found.is_some() {
                return;
            }
            // Whether this node is a key: in a mapping, every other node is.
            let at_key = match self.open.last_mut() {
                Some(Some((_, expect_key))) => std::mem::replace(expect_key, !*expect_key),
                _ => false,
            };
            match ev {
                Event::Scalar(value, ..) if at_key => {
                    if let Some(Some((seen, _))) = self.open.last_mut() {
                        if value == self.key && seen.contains(&value) {
                            let width = value.chars().count();
                            self.found = Some(Pos {
                                line: mark.line(),
                                col: mark.col() + 1,
                                width,
                            });
                        }
                        seen.push(value);
                    }
                }
                Event::MappingStart(..) => self.open.push(Some((Vec::new(), true))),
                Event::SequenceStart(..) => self.open.push(None),
                Event::MappingEnd | Event::SequenceEnd => {
                    self.open.pop();
                }
                _ => {}
            }
        }
    }
    let mut keys = Keys { key, ..Keys::default() };
    let _ = Parser::new_from_str(source).load(&mut keys, false);
    keys.found
}

/// From serde's "unknown field `qoute`, expected one of `id`, `quote`" make "did you mean `quote`?".
pub fn suggestion(message: &str) -> Option<String> {
    let (found, expected) = message.split_once(", expected ")?;
    let unknown = found.rsplit('`').nth(1)?;
    let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
    match did_you_mean(unknown, candidates.iter().copied()) {
        Some(best) => Some(format!("did you mean `{best}`?")),
        None if !candidates.is_empty() => Some(format!(
            "expected one of {}",
            candidates
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        None => None,
    }
}

/// An error of kind `code` about a value that parsed but means something wrong, at that
/// value's position. For one error in a file: where there may be many, index it once
/// ([`value_error_in`], [`ErrorFiles`]).
pub fn value_error(code: Code, source: &str, path: &Path, at: &[Seg], message: impl Into<String>) -> Diagnostic {
    value_error_in(code, &YamlPositions::index(source), source, path, at, message)
}

/// Like [`value_error`], with positions already indexed (many errors in one file).
pub fn value_error_in(
    code: Code,
    positions: &YamlPositions,
    source: &str,
    path: &Path,
    at: &[Seg],
    message: impl Into<String>,
) -> Diagnostic {
    let d = Diagnostic::error(code, path, message);
    match positions.best(at) {
        Some(pos) => d.at_indexed(source, positions.lines(), pos),
        None => d,
    }
}

/// Files read again from disk for the diagnostics that point into them, each read once and
/// indexed once, on its first diagnostic, however many follow.
#[derive(Default)]
pub struct ErrorFiles {
    files: crate::hash::FastMap<std::path::PathBuf, ErrorFile>,
}

/// The text of a file that diagnostics point into, and its indexes, each made when first asked.
pub struct ErrorFile {
    text: String,
    yaml: std::cell::OnceCell<YamlPositions>,
    lines: std::cell::OnceCell<crate::diagnostics::LineIndex>,
}

impl ErrorFiles {
    /// The file at `path`, read on the first call (empty if it cannot be read).
    pub fn get(&mut self, path: &Path) -> &ErrorFile {
        self.files.entry(path.to_path_buf()).or_insert_with(|| ErrorFile {
            text: std::fs::read_to_string(path).unwrap_or_default(),
            yaml: std::cell::OnceCell::new(),
            lines: std::cell::OnceCell::new(),
        })
    }
}

impl ErrorFile {
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Its values' positions, for a YAML file.
    pub fn yaml(&self) -> &YamlPositions {
        self.yaml.get_or_init(|| YamlPositions::index(&self.text))
    }

    /// Where its lines start, for a file that is not YAML.
    pub fn lines(&self) -> &crate::diagnostics::LineIndex {
        self.lines
            .get_or_init(|| crate::diagnostics::LineIndex::new(&self.text))
    }

    /// [`value_error`] for this YAML file, at `path`.
    pub fn value_error(&self, code: Code, path: &Path, at: &[Seg], message: impl Into<String>) -> Diagnostic {
        value_error_in(code, self.yaml(), &self.text, path, at, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)] // only deserialized, for its errors
    struct Note {
        id: Option<String>,
        quote: Option<String>,
        note: Option<String>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)] // only deserialized, for its errors
    struct Notes {
        title: Option<String>,
        annotations: Vec<Note>,
    }

    /// Each kind of serde error has its code; the first words decide, not a key's name.
    #[test]
    fn serde_errors_get_codes_by_kind() {
        let code = |src: &str| from_yaml::<Notes>(src, Path::new("a.yaml")).unwrap_err().code;
        assert_eq!(code("annotations:\n  - qoute: x\n"), Code::UnknownKey);
        assert_eq!(
            code("annotations:\n  - note: x\n    `invalid type: `: y\n"),
            Code::YamlSyntax
        );
        assert_eq!(code("title: x\n"), Code::MissingKey);
        assert_eq!(code("annotations: []\ntitle: a\ntitle: b\n"), Code::DuplicateKey);
        assert_eq!(code("annotations: 5\n"), Code::WrongType);
        assert_eq!(code("annotations: [\n"), Code::YamlSyntax);
        assert_eq!(code("annotations:\n  - \"invalid type: x\": 1\n"), Code::UnknownKey);
        assert_eq!(serde_code("unknown variant `x`, expected `a`"), Code::InvalidValue);
    }

    fn error_at(source: &str) -> (String, usize, usize) {
        let d = from_yaml::<Notes>(source, Path::new("a.yaml")).unwrap_err();
        (d.message, d.line.unwrap(), d.col.unwrap())
    }

    /// serde_yaml places a duplicate key at its mapping's first key; the error names the
    /// duplicate itself, in a nested mapping as at the top.
    #[test]
    fn duplicate_key_at_the_duplicate() {
        let src = "annotations:\n  - id: a\n    quote: x\n  - quote: Hello\n    note: hi\n    quote: world\n";
        assert_eq!(error_at(src), ("annotations[1]: duplicate field `quote`".into(), 6, 5));
        let src = "title: x\nannotations: []\n\"title\": y\n";
        assert_eq!(error_at(src), ("duplicate field `title`".into(), 3, 1));
        let src = "annotations: [{ quote: a, note: b, quote: c }]\n";
        assert_eq!(error_at(src), ("annotations[0]: duplicate field `quote`".into(), 1, 36));
    }

    /// libyaml reports a control character at a byte offset in its message: the error points at
    /// its line and column (in characters), and the message leaves the offset out.
    #[test]
    fn control_character_at_its_place() {
        let src = "title: \"äöü\"\nannotations: []\n# a\0b\n";
        let (message, line, col) = error_at(src);
        assert_eq!(
            (message.as_str(), line, col),
            ("control characters are not allowed", 3, 4)
        );
    }

    #[test]
    fn suggestion_from_serde_message() {
        assert_eq!(
            suggestion("annotations[0]: unknown field `qoute`, expected one of `id`, `quote`, `note`").as_deref(),
            Some("did you mean `quote`?")
        );
        assert_eq!(
            suggestion("unknown variant `sometimes`, expected one of `first`, `all`, `none`").as_deref(),
            Some("expected one of `first`, `all`, `none`")
        );
    }
}
