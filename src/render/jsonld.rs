//! `annotations.jsonld`: every annotation as a W3C Web Annotation, in one AnnotationCollection.
//!
//! The file grows with the site (about 17 KB per annotated document), so it is never built
//! whole in memory: each document's items are made on their own (in parallel with its page)
//! and streamed out in document order between a fixed head and tail. The bytes are exactly
//! those of `serde_json::to_string` on the collection as a `serde_json::Value` (keys sorted,
//! no spaces), with each item on a line of its own; the JSON is written by hand because going
//! through serde cost more than rendering the pages. A test holds the two to the same bytes.

mod patch;

use super::kept::{Keep, Kept};
use super::output::{Item, Kind, Output};
use super::{RenderError, Sink, Stats};
use crate::concat::{cat, push};
use crate::layout::{self, Target as LinkTarget, classify, href};
use crate::resolve::{PageBody, ResolvedDoc, Site};
use patch::{Layout, Patch};
use std::fmt::Write as _;
use std::io::Write;

/// One body of an annotation.
enum BodyPart<'a> {
    Text {
        format: &'static str,
        purpose: &'static str,
        value: &'a str,
    },
    Link {
        id: String,
        purpose: &'static str,
    },
}

/// The items of one document, each on a line of its own and followed by `,\n`, and how many
/// there are.
pub fn doc_items(site: &Site, d: &ResolvedDoc, page: &PageBody) -> (String, usize) {
    let base = site.config.base_url.as_deref().unwrap_or_default();
    let doc_url = cat![base, layout::doc_page(&d.doc.slug)];
    let mut out = String::new();
    let mut count = 0;
    // Code-point offsets of each block in the reading text (blocks joined by "\n").
    let mut starts = Vec::with_capacity(page.reading.blocks.len());
    let mut at = 0usize;
    for b in &page.reading.blocks {
        starts.push(at);
        at += b.text.chars().count() + 1;
    }
    for (a, anchor) in d.doc.annotations.iter().zip(&d.anchors) {
        let Some(anchor) = anchor else { continue };
        let parts = bodies(a, base, &doc_url);
        let Some(BodyPart::Text { purpose, .. } | BodyPart::Link { purpose, .. }) = parts.first() else {
            continue;
        };
        let text = &page.reading.blocks[anchor.block].text;
        let before = &text[..anchor.range.start];
        let after = &text[anchor.range.end..];
        let exact = &text[anchor.range.clone()];
        let start = starts[anchor.block] + before.chars().count();
        let target = Target {
            lang: d.doc.meta.lang.as_deref(),
            exact,
            // The last 32 characters before, counted from the end, and the first 32 after.
            prefix: &before[before.char_indices().rev().nth(31).map_or(0, |(i, _)| i)..],
            suffix: &after[..after.char_indices().nth(32).map_or(after.len(), |(i, _)| i)],
            start,
            end: start + exact.chars().count(),
            source: &doc_url,
        };
        push_item(&mut out, &parts, &cat![doc_url, "#", a.id], purpose, &target);
        count += 1;
    }
    (out, count)
}

/// What an annotation says, as Web Annotation bodies: its note, gloss, term and `see` link.
fn bodies<'a>(a: &'a crate::parse::Annotation, base: &str, doc_url: &str) -> Vec<BodyPart<'a>> {
    let mut parts = Vec::new();
    if let Some(note) = &a.note {
        parts.push(BodyPart::Text {
            format: "text/markdown",
            purpose: "commenting",
            value: note,
        });
    }
    if let Some(gloss) = &a.gloss {
        parts.push(BodyPart::Text {
            format: "text/plain",
            purpose: "describing",
            value: gloss,
        });
    }
    if let Some(term) = &a.term {
        parts.push(BodyPart::Link {
            id: cat![base, layout::entry_page(term)],
            purpose: "identifying",
        });
    }
    if let Some(see) = &a.see {
        let url = match classify(see) {
            Ok(LinkTarget::Fragment(f)) => cat![doc_url, "#", f],
            Ok(t) => href(&t, see, base),
            Err(_) => String::new(),
        };
        parts.push(BodyPart::Link {
            id: url,
            purpose: "linking",
        });
    }
    parts
}

/// Where an annotation points: its quote with the text around it, and its code-point offsets
/// in the reading text.
struct Target<'a> {
    lang: Option<&'a str>,
    exact: &'a str,
    prefix: &'a str,
    suffix: &'a str,
    start: usize,
    end: usize,
    source: &'a str,
}

/// One item, its keys in sorted order, followed by `,\n`.
fn push_item(out: &mut String, parts: &[BodyPart], id: &str, motivation: &str, t: &Target) {
    out.push_str("{\"body\":");
    if let [part] = parts {
        push_part(out, part);
    } else {
        out.push('[');
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_part(out, part);
        }
        out.push(']');
    }
    out.push_str(",\"id\":");
    push_json_string(out, id);
    push!(out, ",\"motivation\":\"", motivation, "\",\"target\":{");
    if let Some(lang) = t.lang {
        out.push_str("\"language\":");
        push_json_string(out, lang);
        out.push(',');
    }
    out.push_str("\"selector\":[{\"exact\":");
    push_json_string(out, t.exact);
    out.push_str(",\"prefix\":");
    push_json_string(out, t.prefix);
    out.push_str(",\"suffix\":");
    push_json_string(out, t.suffix);
    push!(
        out,
        ",\"type\":\"TextQuoteSelector\"},{\"end\":",
        t.end,
        ",\"start\":",
        t.start,
        ",\"type\":\"TextPositionSelector\"}],\"source\":"
    );
    push_json_string(out, t.source);
    out.push_str("},\"type\":\"Annotation\"},\n");
}

/// One body object.
fn push_part(out: &mut String, part: &BodyPart) {
    match part {
        BodyPart::Text { format, purpose, value } => {
            push!(
                out,
                "{\"format\":\"",
                format,
                "\",\"purpose\":\"",
                purpose,
                "\",\"type\":\"TextualBody\",\"value\":"
            );
            push_json_string(out, value);
        }
        BodyPart::Link { id, purpose } => {
            out.push_str("{\"id\":");
            push_json_string(out, id);
            push!(out, ",\"purpose\":\"", purpose, "\"");
        }
    }
    out.push('}');
}

/// The bytes a JSON string escapes: `"`, `\\` and control characters.
static ESCAPED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = b < 0x20 || b == b'"' as usize || b == b'\\' as usize;
        b += 1;
    }
    table
};

/// A JSON string with serde_json's escapes: `"`, `\\`, and control characters (the common
/// ones by letter, the rest as `\u00XX`); everything else as it is.
pub(crate) fn push_json_string(out: &mut String, s: &str) {
    out.push('"');
    // Most strings need no escape: told without a branch a byte, they go out in one piece.
    if !s
        .bytes()
        .fold(false, |any, b| any | (b < 0x20) | (b == b'"') | (b == b'\\'))
    {
        out.push_str(s);
        out.push('"');
        return;
    }
    let clean = s.bytes().position(|b| ESCAPED[b as usize]).unwrap_or(s.len());
    out.push_str(&s[..clean]);
    let mut from = clean;
    for (i, b) in s.bytes().enumerate().skip(clean) {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[from..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(escape);
        }
        from = i + 1;
    }
    out.push_str(&s[from..]);
    out.push('"');
}

/// annotations.jsonld as an output: each document's items, streamed out in document order;
/// after an edit, the old file's ranges and the edited documents' items (`patch`).
pub(super) struct Annotations<'a> {
    site: &'a Site,
}

impl<'a> Annotations<'a> {
    pub(super) fn new(site: &'a Site, sink: &dyn Sink) -> Option<Self> {
        sink.wants(crate::layout::ANNOTATIONS).then_some(Annotations { site })
    }

    /// The layout the last build kept, if it fits this site.
    fn kept(&self, last: &Kept) -> Option<Layout> {
        Layout::kept(last, self.site.docs.len(), head(self.site).len())
    }
}

/// How the file is being made: streamed out whole, or patched from the last build's.
pub(super) enum Making<'s> {
    Whole(Writer<std::io::BufWriter<Box<dyn Write + Send + 's>>>),
    Patched(Patch),
}

impl Output for Annotations<'_> {
    /// A document's items and how many (none for an extra page).
    type Part = (String, usize);
    type State<'s> = Making<'s>;

    fn start<'s>(&self, sink: &'s dyn Sink, last: Option<&Kept>) -> Result<Making<'s>, RenderError> {
        if let Some(layout) = last.and_then(|last| self.kept(last)) {
            return Ok(Making::Patched(Patch::new(layout)));
        }
        let out = std::io::BufWriter::new(sink.stream(crate::layout::ANNOTATIONS)?);
        Ok(Making::Whole(Writer::new(out, self.site)?))
    }

    fn part(&self, item: &Item, _sink: &dyn Sink) -> Result<(String, usize), RenderError> {
        match item.kind {
            Kind::Document => Ok(doc_items(self.site, item.rd, item.body()?)),
            Kind::Page => Ok((String::new(), 0)),
        }
    }

    fn take_in(
        &self,
        making: &mut Making<'_>,
        at: usize,
        items: (String, usize),
        _sink: &dyn Sink,
    ) -> Result<(), RenderError> {
        match making {
            Making::Whole(writer) => Ok(writer.items(&items)?),
            Making::Patched(patch) => {
                patch.take_in(at, items);
                Ok(())
            }
        }
    }

    /// The file's end, and where each document's items sit in it, kept for the next build.
    fn finish(&self, making: Making<'_>, sink: &dyn Sink, keep: Option<&Keep>) -> Result<Stats, RenderError> {
        let layout = match making {
            Making::Whole(writer) => writer.finish(self.site)?.1,
            Making::Patched(patch) => patch.write(crate::layout::ANNOTATIONS, sink, |total| tail(self.site, total))?,
        };
        if let Some(keep) = keep {
            keep.put(patch::KEPT, layout.to_bytes());
        }
        Ok(Stats::default())
    }

    /// When the last build kept where every document's items sit in the file.
    fn patches(&self, last: &Kept) -> bool {
        self.kept(last).is_some()
    }
}

/// The file up to the `[` that opens the items.
fn head(site: &Site) -> String {
    let base = site.config.base_url.as_deref().unwrap_or_default();
    let id = json_string(&cat![base, "annotations.jsonld#page-1"]);
    cat![
        "{\"@context\":\"http://www.w3.org/ns/anno.jsonld\",\"first\":{\"id\":",
        id,
        ",\"items\":["
    ]
}

/// The file from the `]` that closes the items, with their `total`.
fn tail(site: &Site, total: u64) -> String {
    let base = site.config.base_url.as_deref().unwrap_or_default();
    format!(
        "],\"startIndex\":0,\"type\":\"AnnotationPage\"}},\"id\":{},\"label\":{},\"total\":{total},\"type\":\"AnnotationCollection\"}}\n",
        json_string(&cat![base, "annotations.jsonld"]),
        json_string(&site.config.title),
    )
}

/// Writes the collection: the head, then the documents' items in order, then the tail.
pub struct Writer<W: Write> {
    out: W,
    /// The last item seen, held back so that its comma can be dropped at the end.
    pending: String,
    /// Where each document's items go.
    layout: Layout,
}

impl<W: Write> Writer<W> {
    pub fn new(mut out: W, site: &Site) -> std::io::Result<Self> {
        let head = head(site);
        out.write_all(head.as_bytes())?;
        Ok(Writer {
            out,
            pending: String::new(),
            layout: Layout {
                head: head.len() as u64,
                ..Layout::default()
            },
        })
    }

    /// Appends one document's items, as made by [`doc_items`].
    pub fn items(&mut self, (items, count): &(String, usize)) -> std::io::Result<()> {
        let first = self.layout.total() == 0;
        self.layout.push(items, *count);
        if *count == 0 {
            return Ok(());
        }
        if first {
            self.out.write_all(b"\n")?;
        }
        self.out.write_all(self.pending.as_bytes())?;
        self.pending.clear();
        self.pending.push_str(items);
        Ok(())
    }

    /// Writes the tail; gives back the output, and where each document's items went.
    fn finish(mut self, site: &Site) -> std::io::Result<(W, Layout)> {
        let total = self.layout.total();
        if total > 0 {
            // The last item: without its comma, and the array closes on a line of its own.
            let last = self.pending.trim_end_matches('\n').trim_end_matches(',');
            writeln!(self.out, "{last}")?;
        }
        self.out.write_all(tail(site, total).as_bytes())?;
        self.out.flush()?;
        self.layout.tail = self.layout.tail_start();
        Ok((self.out, self.layout))
    }
}

fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    push_json_string(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Loads a site from files, in a folder that lasts as long as it is held.
    fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let opts = crate::BuildOptions {
            root: dir.path().to_path_buf(),
            ..Default::default()
        };
        let mut diags = Vec::new();
        let site = crate::load(&opts, &mut diags).unwrap().unwrap();
        assert!(diags.iter().all(|d| !d.is_error()), "{diags:?}");
        (dir, site)
    }

    /// The items of the document at `at`.
    fn items_of(site: &Site, at: usize) -> (String, usize) {
        let d = &site.docs[at];
        doc_items(site, d, &crate::load::page_body(d, &site.config).unwrap())
    }

    /// The site's annotations.jsonld, written whole, and where each document's items went.
    fn written(site: &Site) -> (Vec<u8>, Layout) {
        let mut w = Writer::new(Vec::new(), site).unwrap();
        for at in 0..site.docs.len() {
            w.items(&items_of(site, at)).unwrap();
        }
        w.finish(site).unwrap()
    }

    /// Builds a site from files and writes its annotations.jsonld.
    fn jsonld(files: &[(&str, &str)]) -> String {
        String::from_utf8(written(&site(files).1).0).unwrap()
    }

    /// What serde_json makes of the same JSON, laid out as the writer lays it out: the head,
    /// each item on a line of its own (sorted keys, no spaces, serde_json's escapes), the tail.
    fn canonical(json: &str) -> String {
        let mut value: serde_json::Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}\n{json}"));
        let items = std::mem::take(value["first"]["items"].as_array_mut().unwrap());
        let whole = serde_json::to_string(&value).unwrap();
        let (head, tail) = whole.split_once("\"items\":[]").unwrap();
        let lines: Vec<String> = items.iter().map(|i| serde_json::to_string(i).unwrap()).collect();
        let items = if lines.is_empty() {
            String::new()
        } else {
            format!("\n{}\n", lines.join(",\n"))
        };
        format!("{head}\"items\":[{items}]{tail}\n")
    }

    #[test]
    fn the_same_bytes_as_serde_json() {
        let out = jsonld(&[
            (
                "content/site.yaml",
                "title: \"Ein \\\"Titel\\\" mit \\\\\"\nbase_url: https://x.org/r/\n",
            ),
            (
                "content/glossary.yaml",
                "- id: hund\n  term: Hund\n  definition: Ein Tier.\n",
            ),
            (
                "seeds/a.md",
                "# A\n\nDer „Hund“ bellt\tlaut über den Hof und weiter bis zum Ende der Straße.\n",
            ),
            (
                "seeds/a.yaml",
                "lang: de\nannotations:\n  - quote: Hund\n    note: \"Tab\\there, quote \\\" and \\\\ and \\u0001\"\n    gloss: dog\n    term: hund\n    see: doc:b#p-1\n  - quote: bellt\n    gloss: barks\n",
            ),
            ("seeds/b.txt", "B\n\nKein Hund hier.\n"),
            ("seeds/b.yaml", "annotations:\n  - quote: hier\n    see: \"#p-1\"\n"),
            ("seeds/c.txt", "C\n\nNichts.\n"),
        ]);
        assert_eq!(out, canonical(&out));
        assert!(out.contains("\"total\":3,"), "{out}");
        assert_eq!(out.lines().count(), 5, "the head, three annotations, the tail:\n{out}");
        assert!(out.contains("\\u0001"), "{out}");
    }

    #[test]
    fn no_annotations_is_an_empty_list() {
        let out = jsonld(&[("seeds/a.txt", "A\n\nText.\n")]);
        assert_eq!(out, canonical(&out));
        assert!(out.contains("\"items\":[],"), "{out}");
    }

    /// A sink over an output that holds `old` at every path: what a patch writes, and its pieces.
    struct Patched {
        old: Vec<u8>,
        new: std::sync::Mutex<(Vec<u8>, usize)>,
    }

    impl Sink for Patched {
        fn put(&self, path: &str, _bytes: &[u8]) -> std::io::Result<()> {
            panic!("{path} is put whole")
        }

        fn stream(&self, path: &str) -> std::io::Result<Box<dyn Write + Send + '_>> {
            panic!("{path} is streamed whole")
        }

        fn patch(&self, _path: &str, pieces: &[crate::render::Piece]) -> std::io::Result<()> {
            let mut new = self.new.lock().unwrap();
            for piece in pieces {
                match piece {
                    crate::render::Piece::Old(r) => {
                        new.0.extend_from_slice(&self.old[r.start as usize..r.end as usize])
                    }
                    crate::render::Piece::New(bytes) => new.0.extend_from_slice(bytes),
                }
            }
            new.1 = pieces.len();
            Ok(())
        }
    }

    /// Five documents `a` to `e`, annotated as `annotated` says.
    fn five(annotated: [&str; 5]) -> (tempfile::TempDir, Site) {
        let mut files = vec![("content/site.yaml", "title: T\nbase_url: https://x.org/\n")];
        let names = ["a", "b", "c", "d", "e"];
        let texts = names.map(|n| (format!("seeds/{n}.txt"), format!("{n}\n\nDer Hund {n} bellt laut.\n")));
        let sidecars = names.map(|n| format!("seeds/{n}.yaml"));
        for (i, (path, text)) in texts.iter().enumerate() {
            files.push((path, text));
            files.push((&sidecars[i], annotated[i]));
        }
        site(&files)
    }

    const NONE: &str = "annotations: []\n";
    const ONE: &str = "annotations:\n  - quote: Hund\n    note: Ein Tier.\n";
    const TWO: &str = "annotations:\n  - quote: bellt\n    gloss: barks\n  - quote: laut\n    note: Sehr.\n";

    /// How five documents are annotated before and after an edit, which are rendered again, and
    /// how many pieces the patch is.
    type Case<'a> = ([&'a str; 5], [&'a str; 5], &'a [usize], usize);

    #[test]
    fn a_patch_writes_what_a_whole_file_is_from_the_last_layout_and_the_fresh_items() {
        let cases: [Case; 6] = [
            // One document edited: the old file before it, its items and line end, the old
            // file after it, the tail.
            ([ONE, ONE, TWO, ONE, ONE], [ONE, ONE, ONE, ONE, ONE], &[2], 5),
            ([ONE, ONE, ONE, ONE, ONE], [TWO, ONE, ONE, ONE, ONE], &[0], 5),
            ([ONE, NONE, ONE, ONE, ONE], [ONE, TWO, ONE, ONE, ONE], &[1], 5),
            ([ONE, ONE, ONE, ONE, TWO], [ONE, ONE, ONE, ONE, NONE], &[4], 3),
            ([NONE, NONE, ONE, NONE, NONE], [NONE, NONE, NONE, NONE, NONE], &[2], 2),
            ([NONE, NONE, NONE, NONE, NONE], [ONE, NONE, NONE, TWO, NONE], &[0, 3], 7),
        ];
        for (before, after, edited, pieces) in cases {
            let (old, layout) = written(&five(before).1);
            let (_dir, site) = five(after);
            let (new, new_layout) = written(&site);
            let mut patch = Patch::new(layout);
            for &at in edited {
                patch.take_in(at, items_of(&site, at));
            }
            let sink = Patched {
                old,
                new: Default::default(),
            };
            let kept = patch
                .write("annotations.jsonld", &sink, |total| tail(&site, total))
                .unwrap();
            let (patched, n) = sink.new.into_inner().unwrap();
            let (patched, new) = (String::from_utf8(patched).unwrap(), String::from_utf8(new).unwrap());
            assert_eq!(patched, new, "{before:?} → {after:?}");
            assert_eq!(kept, new_layout, "the layout kept for the next build");
            assert_eq!(n, pieces, "{before:?} → {after:?}");
        }
    }

    #[test]
    fn a_kept_layout_that_does_not_fit_the_site_is_not_used() {
        let (_dir, site) = five([ONE, NONE, TWO, ONE, ONE]);
        let (_, layout) = written(&site);
        let head = head(&site).len();
        let kept = |bytes: Vec<u8>| Kept::new([(patch::KEPT.to_owned(), bytes)].into());
        assert_eq!(Layout::kept(&kept(layout.to_bytes()), 5, head), Some(layout.clone()));
        assert_eq!(Layout::kept(&Kept::default(), 5, head), None, "nothing kept");
        assert_eq!(
            Layout::kept(&kept(layout.to_bytes()), 6, head),
            None,
            "another number of documents"
        );
        assert_eq!(
            Layout::kept(&kept(layout.to_bytes()), 5, head + 1),
            None,
            "another head"
        );
        let bytes = layout.to_bytes();
        assert_eq!(
            Layout::kept(&kept(bytes[..bytes.len() - 1].to_vec()), 5, head),
            None,
            "truncated"
        );
        assert_eq!(
            Layout::kept(&kept([&bytes[..], b"x"].concat()), 5, head),
            None,
            "too long"
        );
        let spoiled = |f: &dyn Fn(&mut Layout)| {
            let mut l = layout.clone();
            f(&mut l);
            Layout::kept(&kept(l.to_bytes()), 5, head)
        };
        assert_eq!(spoiled(&|l| l.tail += 1), None, "a tail elsewhere");
        assert_eq!(spoiled(&|l| l.docs[1].1 = 1), None, "items of no bytes");
    }
}
