//! The links written in a site's files: found in a document's body, footnotes, notes and
//! `see:` values (and in glossary definitions), kept until the site's links are checked, then
//! checked against the index of ids, an error pointing at where the link is written.

use super::links::{PageIds, SiteIndex};
use crate::config::Config;
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::layout::{PageRef, StaticSet, classify};
use crate::markdown::{NoteAhead, NoteLinks, is_checked_image, link_destinations, note_links_and_html, plain_images};
use crate::parse::document::Body;
use crate::parse::{Document, Entry};
use crate::yaml::ErrorFiles;
use pulldown_cmark::{Event, Parser, Tag};
use std::path::Path;
use std::sync::Arc;

/// Where a link is written, for its error. Every document keeps its links until the site's
/// links are checked, so an annotation's key is kept as its number and name, and made into a
/// path into the YAML only for an error.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub(super) enum LinkAt {
    /// A byte offset in the document's source.
    Source(usize),
    /// An annotation's value (`note`, `see`) in the sidecar, and a byte offset inside its text.
    Annotation {
        index: usize,
        #[serde(deserialize_with = "annotation_key")]
        key: AnnotationKey,
        offset: usize,
    },
    /// A YAML value, and a byte offset inside that value's text.
    Yaml(Vec<crate::yaml::pos::Seg>, usize),
}

/// The key of an annotation's value a link is written in (`note`, `see`). Named, so that serde
/// reads it with [`annotation_key`] and does not take it for text borrowed from the bytes.
type AnnotationKey = &'static str;

/// [`LinkAt::Annotation`]'s key read back from a snapshot of the site (`super::snapshot`): one
/// of the keys a link is written in.
fn annotation_key<'de, D: serde::Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    match <String as serde::Deserialize>::deserialize(d)?.as_str() {
        "note" => Ok("note"),
        "see" => Ok("see"),
        other => Err(serde::de::Error::custom(format!("no link is written in `{other}`"))),
    }
}

#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct LinkRef {
    pub(super) dest: String,
    /// Shared by the links of a file.
    #[serde(with = "crate::stored::shared_path")]
    pub(super) file: Arc<Path>,
    pub(super) at: LinkAt,
}

/// Every link written in a document or page: Markdown links of the body and footnotes, notes,
/// and `see:` values; and, by annotation, the HTML and text of the notes parsed for their links.
/// An image with a relative address that misses content/static/ is warned about.
pub(super) fn doc_links(
    doc: &Document,
    body: &Body,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> (Vec<LinkRef>, Vec<Option<NoteAhead>>) {
    let (mut out, mut images) = (Vec::new(), Vec::new());
    let source: Arc<Path> = Arc::from(doc.path.as_path());
    body_links(&source, body, &mut out, &mut images);
    let sidecar: Arc<Path> = doc.sidecar_path.as_deref().map_or(source, Arc::from);
    let mut note_html = Vec::new();
    for (i, a) in doc.annotations.iter().enumerate() {
        // A note that cannot hold a link is parsed only when it renders.
        if let Some(note) = a.note.as_deref().filter(|n| may_link(n)) {
            let NoteLinks {
                links,
                images: note_images,
                ahead,
            } = note_links_and_html(note, config.raw_html);
            if ahead.is_some() {
                // Kept until the page renders, at the annotation's index.
                note_html.resize(i, None);
                note_html.push(ahead);
            }
            let at = |offset| LinkAt::Annotation {
                index: a.index,
                key: "note",
                offset,
            };
            for (dest, offset) in links {
                out.push(LinkRef {
                    dest,
                    file: sidecar.clone(),
                    at: at(offset),
                });
            }
            for (dest, offset) in note_images {
                images.push(LinkRef {
                    dest,
                    file: sidecar.clone(),
                    at: at(offset),
                });
            }
        }
        if let Some(see) = &a.see {
            out.push(LinkRef {
                dest: see.to_string(),
                file: sidecar.clone(),
                at: LinkAt::Annotation {
                    index: a.index,
                    key: "see",
                    offset: 0,
                },
            });
        }
    }
    let page_dir = crate::layout::page_folder(&doc.slug);
    warn_relative_images(&images, &config.statics, Some(&page_dir), diags);
    (out, note_html)
}

/// The links of a body written in `file` (a document's or a translation's): Markdown links of
/// the text and its footnotes into `out`, and its images whose addresses are not checked
/// (`markdown::is_checked_image`) into `images`.
pub(super) fn body_links(file: &Arc<Path>, body: &Body, out: &mut Vec<LinkRef>, images: &mut Vec<LinkRef>) {
    let events = body
        .events
        .iter()
        .chain(body.footnotes.iter().flat_map(|(_, e)| e.iter()));
    for (e, range) in events {
        let (dest, into) = match e {
            Event::Start(Tag::Link { dest_url, .. }) => (dest_url, &mut *out),
            Event::Start(Tag::Image { dest_url, .. }) if is_checked_image(dest_url) => (dest_url, &mut *out),
            Event::Start(Tag::Image { dest_url, .. }) => (dest_url, &mut *images),
            _ => continue,
        };
        into.push(LinkRef {
            dest: dest.to_string(),
            file: file.clone(),
            at: LinkAt::Source(range.start),
        });
    }
}

/// A warning for each of `images` (not checked: `markdown::is_checked_image`) whose relative
/// address names no file of content/static/ from `page_dir`, the folder of the page it shows on
/// (`None`: pages in several folders; see `StaticSet::relative_image`).
pub(super) fn warn_relative_images(
    images: &[LinkRef],
    statics: &StaticSet,
    page_dir: Option<&str>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut files = ErrorFiles::default();
    for image in images {
        if let Some((message, hint)) = statics.relative_image(&image.dest, page_dir) {
            let d = link_diagnostic(image, Code::RelativeImage, message, &mut files);
            diags.push(d.severity(Severity::Warning).hint(hint));
        }
    }
}

/// [`warn_relative_images`] for the glossary's definitions, each shown on pages in several
/// folders (its entry's, the glossary's, a document's previews).
pub(super) fn warn_relative_images_in_definitions(entries: &[Entry], statics: &StaticSet, diags: &mut Vec<Diagnostic>) {
    for e in entries.iter().filter(|e| e.definition.contains("![")) {
        let events = Parser::new_ext(&e.definition, crate::parse::document::markdown_options(false)).into_offset_iter();
        let images: Vec<LinkRef> = plain_images(events.map(|(e, r)| (e, r.start)))
            .into_iter()
            .map(|(dest, offset)| LinkRef {
                dest,
                file: Arc::from(e.path.as_path()),
                at: LinkAt::Yaml(e.key_path("definition"), offset),
            })
            .collect();
        warn_relative_images(&images, statics, None, diags);
    }
}

/// Link destinations in a Markdown string, with their byte offsets.
pub fn markdown_links(md: &str) -> Vec<(String, usize)> {
    if !may_link(md) {
        return Vec::new();
    }
    let events = Parser::new_ext(md, crate::parse::document::markdown_options(false)).into_offset_iter();
    link_destinations(events.map(|(e, r)| (e, r.start)))
}

/// Whether Markdown may hold a link: every link and image starts with `[` (`![` for an image)
/// or `<` (an autolink). Text without either is not parsed to look for them.
fn may_link(md: &str) -> bool {
    md.contains(['[', '<'])
}

/// Checks a link against the index; an error reads its file from `files`, where the other
/// errors of that file find it read and indexed.
pub(super) fn check_link(
    index: &SiteIndex,
    link: &LinkRef,
    own: Option<&PageIds>,
    files: &mut ErrorFiles,
    diags: &mut Vec<Diagnostic>,
) -> Option<PageRef> {
    let result = classify(&link.dest)
        .map_err(|(code, m)| (code, m, None))
        .and_then(|t| index.check(&t, own));
    match result {
        Ok(r) => r,
        Err((code, message, hint)) => {
            let d = link_diagnostic(link, code, message, files);
            diags.push(match hint {
                Some(h) => d.hint(h),
                None => d,
            });
            None
        }
    }
}

/// An error at the place `link` is written, its file read from `files`.
fn link_diagnostic(link: &LinkRef, code: Code, message: String, files: &mut ErrorFiles) -> Diagnostic {
    let file = files.get(&link.file);
    match &link.at {
        LinkAt::Source(offset) => {
            let (text, lines) = (file.text(), file.lines());
            let pos = lines.pos_of_offset(text, *offset, link.dest.chars().count());
            Diagnostic::error(code, &*link.file, message).at_indexed(text, lines, pos)
        }
        LinkAt::Annotation { index, key, offset } => {
            let path = crate::parse::sidecar::Annotation::key_path_of(*index, key);
            yaml_link_error(file, code, &link.file, &path, *offset, message)
        }
        LinkAt::Yaml(path, offset) => yaml_link_error(file, code, &link.file, path, *offset, message),
    }
}

/// An error about a link inside a YAML string value, on the link's line when the value is a
/// block of lines.
fn yaml_link_error(
    file: &crate::yaml::ErrorFile,
    code: Code,
    path_of_file: &Path,
    path: &[crate::yaml::pos::Seg],
    offset: usize,
    message: String,
) -> Diagnostic {
    let d = file.value_error(code, path_of_file, path, message);
    let (source, lines) = (file.text(), file.yaml().lines());
    match (d.line, link_line_in_block(source, lines, d.line, offset)) {
        (Some(_), Some(pos)) => d.at_indexed(source, lines, pos),
        _ => d,
    }
}

/// Where a link stands inside a YAML string value: for a block scalar (`note: |`), the value's
/// position is its first content line and the text continues on the indented lines below; for
/// a one-line value, it is on the value's line.
fn link_line_in_block(
    source: &str,
    lines: &crate::diagnostics::LineIndex,
    value_line: Option<usize>,
    offset: usize,
) -> Option<crate::diagnostics::Pos> {
    let line = value_line?;
    let is_indicator = |l: &str| {
        let t = l.trim_end();
        ["|", ">", "|-", ">-", "|+", ">+"].iter().any(|i| t.ends_with(i))
    };
    let first = if line >= 2 && is_indicator(lines.line(source, line - 1)?) {
        line
    } else if is_indicator(lines.line(source, line)?) {
        line + 1
    } else {
        return None;
    };
    let mut consumed = 0;
    let below = (first..).map_while(|n| lines.line(source, n));
    for (i, l) in below.enumerate() {
        let content = l.trim_start();
        if consumed + content.len() + 1 > offset {
            let cut = crate::diagnostics::floor_char_boundary(content, offset - consumed);
            let col = l[..l.len() - content.len()].chars().count() + content[..cut].chars().count() + 1;
            return Some(crate::diagnostics::Pos {
                line: first + i,
                col,
                width: 1,
            });
        }
        consumed += content.len() + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn markdown_links_are_found_with_their_offsets() {
        let links = |md: &str| super::markdown_links(md);
        assert_eq!(links("Eine Anmerkung ohne Verweis, *betont*."), vec![]);
        assert_eq!(
            links("Siehe [dort](doc:a#p-2) und <https://example.org/>."),
            vec![("doc:a#p-2".to_owned(), 6), ("https://example.org/".to_owned(), 28)]
        );
        assert_eq!(links("[Referenz][r]\n\n[r]: term:x"), vec![("term:x".to_owned(), 0)]);
        // Images are not checked, but a script address in one is refused.
        assert_eq!(links("![Bild](bild.png)"), vec![]);
        assert_eq!(links("![Bild](javascript:x)"), vec![("javascript:x".to_owned(), 0)]);
        // Brackets and angle brackets that make no link.
        assert_eq!(links("a [b] c < d"), vec![]);
    }
}
