//! `--message-format`: diagnostics as people read them, as JSON lines for editors and scripts,
//! or as GitHub Actions workflow commands that mark the lines of a pull request.
//!
//! The two formats for tools are written to standard output, one line per diagnostic and
//! nothing else there (as cargo does); paths in them are relative to the current folder, as
//! the tool that ran glossa opens them (in a GitHub workflow, the repository's root). The
//! human format goes to standard error, with paths relative to the site's folder.

use super::{Diagnostic, Severity};
use std::path::{Component, Path, PathBuf};

/// How diagnostics are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MessageFormat {
    /// `path:line:col: error: message`, the source line with a caret, and the hint.
    #[default]
    Human,
    /// One JSON object per line: `severity`, `code`, `path`, `line`, `column`, `end_column`,
    /// `message`, `hint`.
    Json,
    /// `::error file=…,line=…,col=…,endColumn=…,title=CODE::message` (`::warning`, `::notice`).
    Github,
}

/// Writes diagnostics in one format: what a command needs to print them.
#[derive(Clone, Debug)]
pub struct Emitter {
    pub format: MessageFormat,
    /// Colour in the human format.
    pub color: bool,
    /// The site's folder, which human paths are relative to.
    root: PathBuf,
    /// The current folder, which the tools' paths are relative to.
    cwd: PathBuf,
}

impl Emitter {
    pub fn new(format: MessageFormat, color: bool, root: &Path) -> Emitter {
        Emitter {
            format,
            color,
            root: root.to_path_buf(),
            cwd: std::env::current_dir().unwrap_or_default(),
        }
    }

    /// Whether diagnostics go to standard output (the formats for tools), not standard error.
    pub fn to_stdout(&self) -> bool {
        self.format != MessageFormat::Human
    }

    /// The diagnostic in this format, ending in a line break.
    pub fn render(&self, d: &Diagnostic) -> String {
        match self.format {
            MessageFormat::Human => d.render_styled(&self.root, self.color),
            MessageFormat::Json => json_line(d, &self.cwd),
            MessageFormat::Github => github_line(d, &self.cwd),
        }
    }
}

/// The fields of `--message-format json`, in this order; `null` where unknown.
#[derive(serde::Serialize)]
struct JsonDiagnostic<'a> {
    severity: &'static str,
    code: &'static str,
    path: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
    /// One past the last column of the offending value, as cargo's `column_end`.
    end_column: Option<usize>,
    message: &'a str,
    hint: Option<&'a str>,
}

/// `d` as one line of JSON.
pub fn json_line(d: &Diagnostic, cwd: &Path) -> String {
    let (column, end_column) = columns(d).unzip();
    let json = JsonDiagnostic {
        severity: d.severity.as_str(),
        code: d.code.as_str(),
        path: tool_path(&d.path, cwd),
        line: d.line,
        column,
        end_column,
        message: &d.message,
        hint: d.hint.as_deref(),
    };
    let mut line = serde_json::to_string(&json).unwrap_or_default();
    line.push('\n');
    line
}

/// `d` as a GitHub Actions workflow command: `::error` (`::warning`, `::notice` for a note)
/// with the file, position and code as properties, and the message, then the hint on a line
/// of its own, as its text.
pub fn github_line(d: &Diagnostic, cwd: &Path) -> String {
    let command = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    };
    let mut properties: Vec<(&str, String)> = Vec::new();
    if let Some(path) = tool_path(&d.path, cwd) {
        properties.push(("file", path));
    }
    if let Some(line) = d.line {
        properties.push(("line", line.to_string()));
    }
    if let Some((col, end)) = columns(d) {
        properties.push(("col", col.to_string()));
        properties.push(("endColumn", end.to_string()));
    }
    properties.push(("title", d.code.as_str().to_owned()));
    let properties: Vec<String> = properties
        .iter()
        .map(|(key, value)| format!("{key}={}", escape_property(value)))
        .collect();
    let mut text = d.message.clone();
    if let Some(hint) = &d.hint {
        text.push_str("\nhint: ");
        text.push_str(hint);
    }
    format!("::{command} {}::{}\n", properties.join(","), escape_data(&text))
}

/// The column and the column after the value, where the diagnostic has a line.
fn columns(d: &Diagnostic) -> Option<(usize, usize)> {
    d.line?;
    let col = d.col.unwrap_or(1);
    Some((col, col + d.width.max(1)))
}

/// A workflow command's message: `%`, CR and LF escaped, as GitHub reads them back.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// A workflow command's property value: as [`escape_data`], and `:` and `,` too, which end a
/// property.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// `path` as a tool opens it from `cwd`: relative to it when inside it, without `./`; `None`
/// for no path (a run that stopped before it reached a file).
fn tool_path(path: &Path, cwd: &Path) -> Option<String> {
    if path.as_os_str().is_empty() {
        return None;
    }
    let rel = match path.is_absolute() {
        true => path.strip_prefix(cwd).unwrap_or(path),
        false => path,
    };
    let clean: PathBuf = rel.components().filter(|c| *c != Component::CurDir).collect();
    match clean.as_os_str().is_empty() {
        true => Some(".".to_owned()),
        false => Some(clean.display().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Code, Pos};

    fn quote_error() -> Diagnostic {
        Diagnostic::error(Code::QuoteNotFound, "/site/seeds/a.yaml", "quote not found: \"x, y\"")
            .at(
                "annotations:\n  - quote: x, y\n",
                Pos {
                    line: 2,
                    col: 12,
                    width: 4,
                },
            )
            .hint("100% sure:\nnot")
    }

    #[test]
    fn json_has_every_field_with_paths_from_the_current_folder() {
        let line = json_line(&quote_error(), Path::new("/site"));
        assert_eq!(
            line,
            "{\"severity\":\"error\",\"code\":\"quote-not-found\",\"path\":\"seeds/a.yaml\",\"line\":2,\"column\":12,\"end_column\":16,\"message\":\"quote not found: \\\"x, y\\\"\",\"hint\":\"100% sure:\\nnot\"}\n"
        );
        let bare = Diagnostic::warning(Code::NoDocuments, "./seeds", "none");
        assert_eq!(
            json_line(&bare, Path::new("/elsewhere")),
            "{\"severity\":\"warning\",\"code\":\"no-documents\",\"path\":\"seeds\",\"line\":null,\"column\":null,\"end_column\":null,\"message\":\"none\",\"hint\":null}\n"
        );
    }

    #[test]
    fn github_escapes_data_and_properties() {
        let line = github_line(&quote_error(), Path::new("/"));
        assert_eq!(
            line,
            "::error file=site/seeds/a.yaml,line=2,col=12,endColumn=16,title=quote-not-found::quote not found: \"x, y\"%0Ahint: 100%25 sure:%0Anot\n"
        );
        assert_eq!(escape_property("a:b,c%d\r\ne"), "a%3Ab%2Cc%25d%0D%0Ae");
        let note = Diagnostic::error(Code::Fatal, "", "cannot write").severity(Severity::Note);
        assert_eq!(
            github_line(&note, Path::new("/")),
            "::notice title=fatal::cannot write\n"
        );
    }
}
