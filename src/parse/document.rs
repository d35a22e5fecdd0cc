//! Documents: a .txt or .md file (plus its sidecar) → [`Document`].
//!
//! The body becomes a pulldown-cmark event stream with source ranges. A .txt is turned into
//! the same events (paragraphs of text with soft or hard breaks), so everything downstream —
//! anchoring, glossary matching, rendering — has one input shape.

pub use super::meta::is_iso_date;
use super::meta::{MetaOrigin, merged_meta};
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::parse::sidecar::{Annotation, Lines, RawMeta, validate_annotations};
use crate::yaml::from_yaml;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::ops::Range;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Kind {
    Txt,
    Md,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Source {
    pub title: String,
    pub url: String,
}

/// Metadata after merging front matter and sidecar (the sidecar wins) and checking values.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Meta {
    pub author: Option<String>,
    pub date: Option<String>,
    pub lang: Option<String>,
    pub source: Option<Source>,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    pub weight: i64,
    pub draft: bool,
    pub lines: Lines,
}

pub type Spanned = (Event<'static>, Range<usize>);

/// A document as the site keeps it: where it is, what it is called, its metadata and its
/// annotations as written. Its text is a [`Body`] of its own, which a build drops once the
/// document is resolved and makes again for the moment its page renders.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Document {
    #[serde(with = "crate::stored::path")]
    pub path: PathBuf,
    pub kind: Kind,
    #[serde(with = "crate::stored::optional_path")]
    pub sidecar_path: Option<PathBuf>,
    pub title: String,
    pub slug: String,
    /// Where an explicit `slug:` was written, as a diagnostic to reuse for errors about it.
    #[serde(with = "crate::stored::optional_diagnostic")]
    pub slug_origin: Option<Diagnostic>,
    pub meta: Meta,
    /// Shared (an `Arc`): the kept document and the moments that read it share one list.
    pub annotations: std::sync::Arc<Vec<Annotation>>,
    /// Where the body starts in the source (after front matter), and whether its title was
    /// taken from it: what [`Document::body`] needs to make the events again.
    pub body_start: usize,
    pub title_in_body: bool,
}

/// A document's text and its events: short-lived, made by parsing and made again, from the
/// same source, when the page renders ([`Document::body`]).
#[derive(Clone, Debug, Default)]
pub struct Body {
    pub source: String,
    /// The body (title removed), with byte ranges into `source`.
    pub events: Vec<Spanned>,
    /// Markdown footnote definitions by label, in order of definition.
    pub footnotes: Vec<(String, Vec<Spanned>)>,
}

/// What parsing one document gives: the document, its body, and its sidecar's text (which
/// only errors point into, while it is resolved).
pub struct ParsedDocument {
    pub doc: Document,
    pub body: Body,
    pub sidecar_source: String,
}

impl Document {
    /// The body's events and footnotes made from `source` exactly as parsing made them, for
    /// the source read again when the page renders.
    pub fn body(&self, source: String, opts: &ParseOptions) -> Body {
        body_of(
            self.kind,
            self.meta.lines,
            self.body_start,
            self.title_in_body,
            source,
            opts,
        )
    }
}

/// A body made from `source` as parsing made it: a document's ([`Document::body`]) or a
/// translation's (`crate::parse::translation::parse_translation`).
pub fn body_of(
    kind: Kind,
    lines: Lines,
    body_start: usize,
    title_in_body: bool,
    source: String,
    opts: &ParseOptions,
) -> Body {
    let (_, events, footnotes) = match kind {
        Kind::Txt => txt_events(&source, lines, title_in_body),
        Kind::Md => md_events(&source, body_start, opts, title_in_body),
    };
    Body {
        source,
        events,
        footnotes,
    }
}

/// What `parse_document` needs to know about the site.
pub struct ParseOptions {
    pub smart_punctuation: bool,
}

pub fn markdown_options(smart_punctuation: bool) -> Options {
    let mut o = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if smart_punctuation {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    o
}

/// Decodes a file's bytes: a BOM is dropped, CRLF becomes LF; not UTF-8 is an error with the
/// byte offset.
pub fn decode(bytes: Vec<u8>, path: &Path) -> Result<String, Diagnostic> {
    // Checked with SIMD first: German prose has a letter outside ASCII every few dozen bytes,
    // which keeps the standard library's check off its fast path (2.5 % of a build's
    // instructions, as every source is read twice). Only a file that fails is checked again,
    // for the offset of its first bad byte.
    let checked = match simdutf8::basic::from_utf8(&bytes) {
        // SAFETY: the bytes were just checked to be UTF-8.
        Ok(_) => Ok(unsafe { String::from_utf8_unchecked(bytes) }),
        Err(_) => String::from_utf8(bytes),
    };
    match checked {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            // memchr's vectorized search: `str::contains` looks a byte at a time.
            if memchr::memchr(b'\r', s.as_bytes()).is_some() {
                s = s.replace("\r\n", "\n");
            }
            Ok(s)
        }
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let valid = std::str::from_utf8(&e.as_bytes()[..offset]).unwrap_or("");
            let pos = Pos::of_offset(valid, offset, 1);
            Err(Diagnostic::error(
                Code::NotUtf8,
                path,
                format!("this file is not UTF-8: invalid byte at offset {offset}"),
            )
            .at(&lossy, pos)
            .hint("save it as UTF-8 (most editors offer this under \"Save with encoding\")"))
        }
    }
}

/// Parses one document and its sidecar. Problems are pushed to `diags`; the document is
/// returned whenever it can still be built, so later stages can report their errors too.
pub fn parse_document(
    path: &Path,
    source: String,
    sidecar: Option<(&Path, String)>,
    opts: &ParseOptions,
    diags: &mut Vec<Diagnostic>,
) -> Option<ParsedDocument> {
    let kind = if path.extension().is_some_and(|e| e == "md") {
        Kind::Md
    } else {
        Kind::Txt
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let (front, body_start) = match kind {
        Kind::Md => split_front_matter(&source),
        Kind::Txt => (None, 0),
    };
    let mut front_meta = front_matter_meta(path, &source, front, &stem, diags);
    let (sidecar_path, sidecar_source, mut side_meta) = sidecar_meta(sidecar, diags);
    let annotations = match (side_meta.annotations.take(), &sidecar_path) {
        (Some(raw), Some(p)) => validate_annotations(raw, &sidecar_source, p, diags),
        _ => Vec::new(),
    };
    let origin = MetaOrigin {
        path,
        source: &source,
        front,
        sidecar: sidecar_path.as_deref().map(|p| (p, sidecar_source.as_str())),
    };
    let (explicit_title, meta, slug, slug_origin) =
        merged_meta(&origin, kind, &stem, &mut side_meta, &mut front_meta, diags);
    let (found_title, events, footnotes) = match kind {
        Kind::Txt => txt_events(&source, meta.lines, explicit_title.is_none()),
        Kind::Md => md_events(&source, body_start, opts, explicit_title.is_none()),
    };
    let title_in_body = explicit_title.is_none();
    let title = explicit_title.or(found_title).unwrap_or(stem);
    let doc = Document {
        path: path.to_path_buf(),
        kind,
        sidecar_path,
        title,
        slug,
        slug_origin,
        meta,
        annotations: annotations.into(),
        body_start,
        title_in_body,
    };
    Some(ParsedDocument {
        doc,
        body: Body {
            source,
            events,
            footnotes,
        },
        sidecar_source,
    })
}

/// The metadata of a Markdown document's front matter (`front`: its text and where it starts),
/// with its errors moved to their lines in the document. Annotations there are an error: they
/// belong in the sidecar.
pub(super) fn front_matter_meta(
    path: &Path,
    source: &str,
    front: Option<(&str, usize)>,
    stem: &str,
    diags: &mut Vec<Diagnostic>,
) -> RawMeta {
    let mut meta = RawMeta::default();
    let Some((text, offset)) = front else {
        return meta;
    };
    let first_line = source[..offset].matches('\n').count();
    match from_yaml::<RawMeta>(text, path) {
        Ok(Some(m)) => meta = m,
        Ok(None) => {}
        Err(mut d) => {
            if let Some(line) = d.line {
                let pos = Pos {
                    line: line + first_line,
                    col: d.col.unwrap_or(1),
                    width: d.width,
                };
                d = d.at(source, pos);
            }
            diags.push(d);
        }
    }
    if meta.annotations.is_some() {
        diags.push(
            Diagnostic::error(
                Code::AnnotationsInFrontMatter,
                path,
                "annotations belong in the sidecar, not in front matter",
            )
            .hint(format!("move them to `{stem}.yaml` beside this file")),
        );
        meta.annotations = None;
    }
    meta
}

/// The sidecar's path, text and metadata (empty without a sidecar). A sidecar that does not
/// read as a whole still has each of its bad annotations reported.
fn sidecar_meta(sidecar: Option<(&Path, String)>, diags: &mut Vec<Diagnostic>) -> (Option<PathBuf>, String, RawMeta) {
    let Some((p, s)) = sidecar else {
        return (None, String::new(), RawMeta::default());
    };
    let mut meta = RawMeta::default();
    match from_yaml::<RawMeta>(&s, p) {
        Ok(Some(m)) => meta = m,
        Ok(None) => {}
        Err(d) => {
            let first_line = d.line;
            diags.push(d);
            diags.extend(crate::parse::sidecar::other_annotation_errors(&s, p, first_line));
        }
    }
    (Some(p.to_path_buf()), s, meta)
}

/// Splits `---\n…\n---\n` off the top. Returns the YAML text with its byte offset, and where
/// the body starts.
pub fn split_front_matter(source: &str) -> (Option<(&str, usize)>, usize) {
    let Some(rest) = source.strip_prefix("---\n") else {
        return (None, 0);
    };
    let mut offset = 4;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            return (Some((&source[4..offset], 4)), offset + line.len());
        }
        offset += line.len();
    }
    (None, 0)
}

type Parsed = (Option<String>, Vec<Spanned>, Vec<(String, Vec<Spanned>)>);

/// Paragraphs are runs of non-blank lines; inside one, line breaks are soft (joined with a
/// space) or hard (`lines: keep`). The first paragraph is the title when it is a single line.
pub(super) fn txt_events(source: &str, lines: Lines, want_title: bool) -> Parsed {
    let mut paragraphs: Vec<Vec<Range<usize>>> = Vec::new();
    let mut current: Vec<Range<usize>> = Vec::new();
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let text = line.strip_suffix('\n').unwrap_or(line);
        if text.trim().is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
        } else {
            current.push(offset..offset + text.len());
        }
        offset += line.len();
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    let mut title = None;
    let mut paragraphs = paragraphs.into_iter().peekable();
    if want_title && paragraphs.peek().is_some_and(|p| p.len() == 1) {
        let p = paragraphs.next().unwrap_or_default();
        title = Some(source[p[0].clone()].trim().to_owned());
    }
    let mut events = Vec::new();
    for p in paragraphs {
        let span = p[0].start..p[p.len() - 1].end;
        events.push((Event::Start(Tag::Paragraph), span.clone()));
        for (i, line) in p.iter().enumerate() {
            if i > 0 {
                let brk = match lines {
                    Lines::Join => Event::SoftBreak,
                    Lines::Keep => Event::HardBreak,
                };
                events.push((brk, line.start..line.start));
            }
            let text = &source[line.clone()];
            let (text, range) = if i == 0 || lines == Lines::Join {
                let trimmed = text.trim_start();
                (trimmed, line.end - trimmed.len()..line.end)
            } else {
                (text, line.clone())
            };
            let text = if lines == Lines::Keep { text } else { text.trim_end() };
            events.push((
                Event::Text(CowStr::from(text.to_owned())),
                range.start..range.start + text.len(),
            ));
        }
        events.push((Event::End(TagEnd::Paragraph), span));
    }
    (title, events, Vec::new())
}

/// Markdown through pulldown-cmark; the first top-level `#` heading becomes the title and
/// footnote definitions are set aside (they are rendered as notes).
pub(super) fn md_events(source: &str, body_start: usize, opts: &ParseOptions, want_title: bool) -> Parsed {
    let body = &source[body_start..];
    let parser = Parser::new_ext(body, markdown_options(opts.smart_punctuation));
    // About one event for every 16 bytes of prose, so that the list seldom grows by copying.
    let mut events = Vec::with_capacity(body.len() / 16);
    let mut footnotes: Vec<(String, Vec<Spanned>)> = Vec::new();
    let mut in_footnote: Option<(String, Vec<Spanned>, usize)> = None;
    let mut title: Option<String> = None;
    let mut title_state = if want_title {
        TitleState::Looking
    } else {
        TitleState::Done
    };
    let mut depth = 0usize;
    for (event, range) in parser.into_offset_iter() {
        let range = range.start + body_start..range.end + body_start;
        let event = event.into_static();
        if let Some((_, evs, fdepth)) = &mut in_footnote {
            let end = matches!(event, Event::End(TagEnd::FootnoteDefinition));
            if matches!(event, Event::Start(Tag::FootnoteDefinition(_))) {
                *fdepth += 1;
            }
            if end {
                *fdepth -= 1;
                if *fdepth == 0 {
                    if let Some((label, evs, _)) = in_footnote.take() {
                        footnotes.push((label, evs));
                    }
                    continue;
                }
            }
            evs.push((event, range));
            continue;
        }
        match &event {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                in_footnote = Some((label.to_string(), Vec::new(), 1));
                continue;
            }
            Event::Start(Tag::Heading {
                level: HeadingLevel::H1,
                ..
            }) if depth == 0 && title_state == TitleState::Looking => {
                title_state = TitleState::Collecting(String::new());
                depth += 1;
                continue;
            }
            Event::End(TagEnd::Heading(HeadingLevel::H1)) if matches!(title_state, TitleState::Collecting(_)) => {
                if let TitleState::Collecting(t) = std::mem::replace(&mut title_state, TitleState::Done) {
                    title = Some(t.trim().to_owned());
                }
                depth -= 1;
                continue;
            }
            _ => {}
        }
        if let TitleState::Collecting(t) = &mut title_state {
            match &event {
                Event::Text(s) | Event::Code(s) => t.push_str(s),
                Event::SoftBreak | Event::HardBreak => t.push(' '),
                _ => {}
            }
            continue;
        }
        match &event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth -= 1,
            _ => {}
        }
        events.push((event, range));
    }
    (title, events, footnotes)
}

#[derive(PartialEq, Eq)]
enum TitleState {
    Looking,
    Collecting(String),
    Done,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::refused_scheme;

    fn parse(path: &str, src: &str, sidecar: Option<&str>) -> (Option<Document>, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let side = sidecar.map(|s| (Path::new("x.yaml"), s.to_owned()));
        let doc = parse_document(
            Path::new(path),
            src.to_owned(),
            side,
            &ParseOptions {
                smart_punctuation: false,
            },
            &mut diags,
        );
        (doc.map(|p| p.doc), diags)
    }

    /// The body's events of a document without a sidecar.
    fn events(path: &str, src: &str) -> Vec<Spanned> {
        let opts = ParseOptions {
            smart_punctuation: false,
        };
        parse_document(Path::new(path), src.to_owned(), None, &opts, &mut Vec::new())
            .unwrap()
            .body
            .events
    }

    #[test]
    fn txt_title_is_first_single_line_paragraph() {
        let (doc, d) = parse(
            "Erlkönig.txt",
            "Der Erlkönig\n\nWer reitet so spät\ndurch Nacht und Wind?\n",
            None,
        );
        let doc = doc.unwrap();
        assert!(d.is_empty());
        assert_eq!(doc.title, "Der Erlkönig");
        assert_eq!(doc.slug, "erlkoenig");
        let events = events(
            "Erlkönig.txt",
            "Der Erlkönig\n\nWer reitet so spät\ndurch Nacht und Wind?\n",
        );
        let texts: Vec<_> = events
            .iter()
            .filter_map(|(e, _)| {
                if let Event::Text(t) = e {
                    Some(t.to_string())
                } else {
                    None
                }
            })
            .collect();
        assert_eq!(texts, ["Wer reitet so spät", "durch Nacht und Wind?"]);
        assert!(events.iter().any(|(e, _)| matches!(e, Event::SoftBreak)));
    }

    #[test]
    fn txt_multi_line_first_paragraph_is_not_a_title() {
        let (doc, _) = parse("a.txt", "one\ntwo\n\nthree", None);
        assert_eq!(doc.unwrap().title, "a");
    }

    #[test]
    fn md_title_from_heading_and_front_matter() {
        let (doc, _) = parse("a.md", "---\nauthor: X\n---\n# The *Title*\n\nBody.\n", None);
        let doc = doc.unwrap();
        assert_eq!(doc.title, "The Title");
        assert_eq!(doc.meta.author.as_deref(), Some("X"));
        assert!(
            !events("a.md", "---\nauthor: X\n---\n# The *Title*\n\nBody.\n")
                .iter()
                .any(|(e, _)| matches!(e, Event::Start(Tag::Heading { .. })))
        );
        let (doc, _) = parse("a.md", "---\ntitle: Given\n---\n# Kept\n", None);
        let doc = doc.unwrap();
        assert_eq!(doc.title, "Given");
        assert!(
            events("a.md", "---\ntitle: Given\n---\n# Kept\n")
                .iter()
                .any(|(e, _)| matches!(e, Event::Start(Tag::Heading { .. })))
        );
    }

    #[test]
    fn sidecar_wins_over_front_matter() {
        let (doc, d) = parse(
            "a.md",
            "---\ntitle: Front\ndate: 2020-01-01\n---\nBody\n",
            Some("title: Side\n"),
        );
        assert!(d.is_empty(), "{d:?}");
        let doc = doc.unwrap();
        assert_eq!(doc.title, "Side");
        assert_eq!(doc.meta.date.as_deref(), Some("2020-01-01"));
    }

    #[test]
    fn bad_front_matter_points_into_the_file() {
        let (_, d) = parse("a.md", "---\ntitle: T\ndate: 2020-13-01\n---\nBody\n", None);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, Some(3));
    }

    #[test]
    fn script_urls_are_refused_as_a_browser_reads_them() {
        for url in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:alert(1)",
            "jav\nascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "VBScript:x",
            "\r\n DATA\t:x",
            "data:text/html,<script>alert(1)</script>",
        ] {
            assert!(refused_scheme(url).is_some(), "{url:?} should be refused");
        }
        for url in [
            "https://example.org/javascript:x",
            "doc:a#javascript",
            "javascript",
            "%6Aavascript:alert(1)",
            "\u{a0}javascript:alert(1)",
            "javascriptx:alert(1)",
            "java script:alert(1)",
        ] {
            assert_eq!(refused_scheme(url), None, "{url:?} should pass");
        }
    }

    #[test]
    fn a_script_url_as_source_is_an_error_at_its_line() {
        let (doc, d) = parse(
            "a.md",
            "---\ntitle: T\nsource: \" javascript:alert(1)\"\n---\nBody\n",
            None,
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(d[0].message.contains("`javascript:`"), "{}", d[0].message);
        assert_eq!(d[0].line, Some(3));
        assert!(doc.unwrap().meta.source.is_none());
        let side = "title: T\nsource:\n  title: S\n  url: \"java\\tscript:alert(1)\"\n";
        let (doc, d) = parse("a.txt", "Body\n", Some(side));
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].line, Some(4));
        assert!(doc.unwrap().meta.source.is_none());
        let (doc, d) = parse("a.txt", "Body\n", Some("source: https://example.org/\n"));
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(doc.unwrap().meta.source.unwrap().url, "https://example.org/");
    }

    #[test]
    fn bom_and_crlf_are_normalised() {
        let s = decode(b"\xef\xbb\xbfa\r\nb".to_vec(), Path::new("a.txt")).unwrap();
        assert_eq!(s, "a\nb");
        let e = decode(b"ab\xffc".to_vec(), Path::new("a.txt")).unwrap_err();
        assert!(e.message.contains("offset 2"), "{}", e.message);
    }
}
