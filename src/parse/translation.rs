//! Translations (`content/translations/LANG/…`) as parsed: a document's text in another
//! language, parsed as its original is, without a sidecar.

use super::document::{Body, Kind, ParseOptions, front_matter_meta, md_events, split_front_matter, txt_events};
use super::sidecar::Lines;
use crate::diagnostics::Diagnostic;
use std::path::Path;

/// A translation as parsed: its title and body, and what making the body again needs.
pub struct ParsedTranslation {
    pub title: Option<String>,
    pub kind: Kind,
    pub body_start: usize,
    pub title_in_body: bool,
    pub body: Body,
}

/// Parses a translation as its original is parsed, but with no sidecar: a `.txt`'s first line
/// is its title, a `.md`'s title is its front matter's `title:` or its first `#` heading.
/// `lines` is the original's (a `.txt` translation breaks its lines as its original does).
pub fn parse_translation(
    path: &Path,
    source: String,
    lines: Lines,
    opts: &ParseOptions,
    diags: &mut Vec<Diagnostic>,
) -> ParsedTranslation {
    let kind = if path.extension().is_some_and(|e| e == "md") {
        Kind::Md
    } else {
        Kind::Txt
    };
    let (front, body_start) = match kind {
        Kind::Md => split_front_matter(&source),
        Kind::Txt => (None, 0),
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let explicit_title = front_matter_meta(path, &source, front, &stem, diags).title;
    let title_in_body = explicit_title.is_none();
    let (found_title, events, footnotes) = match kind {
        Kind::Txt => txt_events(&source, lines, title_in_body),
        Kind::Md => md_events(&source, body_start, opts, title_in_body),
    };
    ParsedTranslation {
        title: explicit_title.or(found_title),
        kind,
        body_start,
        title_in_body,
        body: Body {
            source,
            events,
            footnotes,
        },
    }
}
