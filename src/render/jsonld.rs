//! `annotations.jsonld`: every annotation as a W3C Web Annotation, in one AnnotationCollection,
//! cut into pages of a hundred documents each (`pages`): the first in `annotations.jsonld`,
//! the others in `annotations/N.jsonld`.
//!
//! The annotations grow with the site (about 17 KB per annotated document), so they are never
//! built whole in memory: each document's items are made on their own (in parallel with its
//! page) and streamed out in document order between each file's fixed head and tail. The bytes
//! of each file are exactly those of `serde_json::to_string` on it as a `serde_json::Value`
//! (keys sorted, no spaces), with each item on a line of its own; the JSON is written by hand
//! because going through serde cost more than rendering the pages. A test holds the two to the
//! same bytes.

mod pages;
mod patch;

use super::kept::{Keep, Kept};
use super::output::{Item, Kind, Output};
use super::{RenderError, Sink, Stats};
use crate::concat::{cat, push};
use crate::hash::FastMap;
use crate::layout::{self, Target as LinkTarget, classify, href};
use crate::resolve::{PageBody, ResolvedDoc, Site};
use pages::{Paging, Whole};
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
/// there are; their IRIs start with `base` (`Paging::base`).
pub fn doc_items(base: &str, d: &ResolvedDoc, page: &PageBody) -> (String, usize) {
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

/// annotations.jsonld and its pages as an output: each document's items, streamed out in
/// document order; after an edit, the old files' ranges and the edited documents' items
/// (`patch`).
pub(super) struct Annotations<'a> {
    paging: Paging<'a>,
    /// Each document's place by its slug, where a document's page decides what its items'
    /// IRIs start with (no `base_url`, and more than one page).
    places: Option<FastMap<&'a str, usize>>,
}

impl<'a> Annotations<'a> {
    pub(super) fn new(site: &'a Site, sink: &dyn Sink) -> Option<Self> {
        let paging = Paging::new(site);
        let places = (site.config.base_url.is_none() && paging.count() > 1).then(|| {
            (site.docs.iter().enumerate())
                .map(|(at, d)| (d.doc.slug.as_str(), at))
                .collect()
        });
        sink.wants(crate::layout::ANNOTATIONS)
            .then_some(Annotations { paging, places })
    }

    /// The layouts the last build kept, if they fit this site.
    fn kept(&self, last: &Kept) -> Option<Vec<Layout>> {
        patch::kept(last, &self.paging)
    }

    /// What the IRIs of a document's items start with.
    fn base(&self, d: &ResolvedDoc) -> &'a str {
        let at = (self.places.as_ref()).and_then(|places| places.get(d.doc.slug.as_str()));
        self.paging.base(at.map_or(0, |&at| self.paging.page_of(at)))
    }
}

/// How the files are being made: streamed out whole, or patched from the last build's.
pub(super) enum Making<'s> {
    Whole(Box<Whole<'s>>),
    Patched(Patch),
}

impl Output for Annotations<'_> {
    /// A document's items and how many (none for an extra page).
    type Part = (String, usize);
    type State<'s> = Making<'s>;

    fn start<'s>(&self, sink: &'s dyn Sink, last: Option<&Kept>) -> Result<Making<'s>, RenderError> {
        if let Some(layouts) = last.and_then(|last| self.kept(last)) {
            return Ok(Making::Patched(Patch::new(layouts)));
        }
        Ok(Making::Whole(Box::new(Whole::new(sink, &self.paging)?)))
    }

    fn part(&self, item: &Item, _sink: &dyn Sink) -> Result<(String, usize), RenderError> {
        match item.kind {
            Kind::Document => Ok(doc_items(self.base(item.rd), item.rd, item.body()?)),
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
            Making::Whole(whole) => Ok(whole.items(&self.paging, at, &items)?),
            Making::Patched(patch) => {
                patch.take_in(at, items);
                Ok(())
            }
        }
    }

    /// The files' ends, and where each document's items sit in them, kept for the next build.
    fn finish(&self, making: Making<'_>, sink: &dyn Sink, keep: Option<&Keep>) -> Result<Stats, RenderError> {
        let layouts = match making {
            Making::Whole(whole) => whole.finish(&self.paging)?,
            Making::Patched(patch) => patch.write(sink, &self.paging)?,
        };
        if let Some(keep) = keep {
            keep.put(patch::KEPT, patch::to_bytes(&layouts));
        }
        Ok(Stats::default())
    }

    /// When the last build kept where every document's items sit in the files.
    fn patches(&self, last: &Kept) -> bool {
        self.kept(last).is_some()
    }
}

/// Writes one file: the head, then its documents' items in order, then the tail.
pub struct Writer<W: Write> {
    out: W,
    /// The last item seen, held back so that its comma can be dropped at the end.
    pending: String,
    /// Where each document's items go.
    layout: Layout,
}

impl<W: Write> Writer<W> {
    pub fn new(mut out: W, head: &str) -> std::io::Result<Self> {
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

    /// How many items the file holds so far.
    fn total(&self) -> u64 {
        self.layout.total()
    }

    /// Writes the tail `tail` makes of the number of items; gives back the output, and where
    /// each document's items went.
    fn finish(mut self, tail: impl FnOnce(u64) -> String) -> std::io::Result<(W, Layout)> {
        let total = self.layout.total();
        if total > 0 {
            // The last item: without its comma, and the array closes on a line of its own.
            let last = self.pending.trim_end_matches('\n').trim_end_matches(',');
            writeln!(self.out, "{last}")?;
        }
        self.out.write_all(tail(total).as_bytes())?;
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
    use super::pages::DOCS_PER_PAGE;
    use super::*;
    use crate::layout::ANNOTATIONS;
    use std::collections::BTreeMap;
    use std::sync::Mutex;

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

    /// The items of the document at `at`, as in the site cut into pages of `per_page`.
    fn items_of(site: &Site, per_page: usize, at: usize) -> (String, usize) {
        let d = &site.docs[at];
        let paging = Paging::with(site, per_page);
        let base = paging.base(paging.page_of(at));
        doc_items(base, d, &crate::load::page_body(d, &site.config).unwrap())
    }

    /// The site's annotations.jsonld, written whole (in one page), and where each document's
    /// items went.
    fn written(site: &Site) -> (Vec<u8>, Layout) {
        let mut w = Writer::new(Vec::new(), &Paging::new(site).head(0)).unwrap();
        for at in 0..site.docs.len() {
            w.items(&items_of(site, DOCS_PER_PAGE, at)).unwrap();
        }
        let paging = Paging::new(site);
        w.finish(|total| paging.tail(0, total)).unwrap()
    }

    /// Builds a site from files and writes its annotations.jsonld.
    fn jsonld(files: &[(&str, &str)]) -> String {
        String::from_utf8(written(&site(files).1).0).unwrap()
    }

    /// What serde_json makes of the same JSON, laid out as the writer lays it out: the head,
    /// each item on a line of its own (sorted keys, no spaces, serde_json's escapes), the tail.
    /// The items are the first page's of a collection, or a page's own.
    fn canonical(json: &str) -> String {
        let mut value: serde_json::Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}\n{json}"));
        let list = match value.get("first") {
            Some(_) => &mut value["first"]["items"],
            None => &mut value["items"],
        };
        let items = std::mem::take(list.as_array_mut().unwrap());
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

    /// A sink over an output that holds `old`, by path: what is streamed into it and what a
    /// patch writes (`new`), and the files patched, in order.
    #[derive(Default)]
    struct Files {
        old: BTreeMap<String, Vec<u8>>,
        new: Mutex<BTreeMap<String, Vec<u8>>>,
        patched: Mutex<Vec<String>>,
    }

    /// A file streamed into [`Files`]: there once it is dropped.
    struct Streamed<'a> {
        to: &'a Mutex<BTreeMap<String, Vec<u8>>>,
        path: String,
        bytes: Vec<u8>,
    }

    impl Write for Streamed<'_> {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.bytes.extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl Drop for Streamed<'_> {
        fn drop(&mut self) {
            let bytes = std::mem::take(&mut self.bytes);
            self.to.lock().unwrap().insert(std::mem::take(&mut self.path), bytes);
        }
    }

    impl Sink for Files {
        fn put(&self, path: &str, _bytes: &[u8]) -> std::io::Result<()> {
            panic!("{path} is put whole")
        }

        fn stream(&self, path: &str) -> std::io::Result<Box<dyn Write + Send + '_>> {
            Ok(Box::new(Streamed {
                to: &self.new,
                path: path.to_owned(),
                bytes: Vec::new(),
            }))
        }

        fn patch(&self, path: &str, pieces: &[crate::render::Piece]) -> std::io::Result<()> {
            let old = &self.old[path];
            let mut new = Vec::new();
            for piece in pieces {
                match piece {
                    crate::render::Piece::Old(r) => new.extend_from_slice(&old[r.start as usize..r.end as usize]),
                    crate::render::Piece::New(bytes) => new.extend_from_slice(bytes),
                }
            }
            self.new.lock().unwrap().insert(path.to_owned(), new);
            self.patched.lock().unwrap().push(path.to_owned());
            Ok(())
        }
    }

    /// Every file of the site's annotations cut into pages of `per_page` documents, written
    /// whole, and where each document's items went.
    fn pages(site: &Site, per_page: usize) -> (BTreeMap<String, Vec<u8>>, Vec<Layout>) {
        let files = Files::default();
        let paging = Paging::with(site, per_page);
        let mut whole = Whole::new(&files, &paging).unwrap();
        for at in 0..site.docs.len() {
            whole.items(&paging, at, &items_of(site, per_page, at)).unwrap();
        }
        let layouts = whole.finish(&paging).unwrap();
        (files.new.into_inner().unwrap(), layouts)
    }

    /// Five documents `a` to `e`, annotated as `annotated` says.
    fn five(annotated: [&str; 5]) -> (tempfile::TempDir, Site) {
        five_with("base_url: https://x.org/\n", annotated)
    }

    /// [`five`], with `base` in site.yaml.
    fn five_with(base: &str, annotated: [&str; 5]) -> (tempfile::TempDir, Site) {
        let config = format!("title: T\n{base}");
        let mut files = vec![("content/site.yaml", config.as_str())];
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
    const TWO_OF_ONE: &str = "annotations:\n  - quote: Hund\n    note: Ein anderes Tier.\n";
    const TWO: &str = "annotations:\n  - quote: bellt\n    gloss: barks\n  - quote: laut\n    note: Sehr.\n";

    /// How five documents are annotated before and after an edit, which are rendered again,
    /// and the files then patched, in pages of one document and of two.
    type Case<'a> = ([&'a str; 5], [&'a str; 5], &'a [usize], [&'a [&'a str]; 2]);

    const P2: &str = "annotations/2.jsonld";
    const P3: &str = "annotations/3.jsonld";
    const P4: &str = "annotations/4.jsonld";
    const P5: &str = "annotations/5.jsonld";
    const C: &str = ANNOTATIONS;

    #[test]
    fn a_patch_writes_what_whole_files_are_from_the_last_layouts_and_the_fresh_items() {
        let cases: [Case; 7] = [
            // One item less: its page and the collection's total, and every later startIndex.
            (
                [ONE, ONE, TWO, ONE, ONE],
                [ONE, ONE, ONE, ONE, ONE],
                &[2],
                [&[C, P3, P4, P5], &[C, P2, P3]],
            ),
            (
                [ONE, ONE, ONE, ONE, ONE],
                [TWO, ONE, ONE, ONE, ONE],
                &[0],
                [&[C, P2, P3, P4, P5], &[C, P2, P3]],
            ),
            (
                [ONE, NONE, ONE, ONE, ONE],
                [ONE, TWO, ONE, ONE, ONE],
                &[1],
                [&[C, P2, P3, P4, P5], &[C, P2, P3]],
            ),
            // The last document: no later page.
            (
                [ONE, ONE, ONE, ONE, TWO],
                [ONE, ONE, ONE, ONE, NONE],
                &[4],
                [&[C, P5], &[C, P3]],
            ),
            (
                [NONE, NONE, ONE, NONE, NONE],
                [NONE, NONE, NONE, NONE, NONE],
                &[2],
                [&[C, P3, P4, P5], &[C, P2, P3]],
            ),
            (
                [NONE, NONE, NONE, NONE, NONE],
                [ONE, NONE, NONE, TWO, NONE],
                &[0, 3],
                [&[C, P2, P3, P4, P5], &[C, P2, P3]],
            ),
            // The same number of items: only the page of the document rendered again.
            (
                [ONE, ONE, ONE, ONE, ONE],
                [ONE, ONE, ONE, TWO_OF_ONE, ONE],
                &[3],
                [&[P4], &[P2]],
            ),
        ];
        for (before, after, edited, patched) in cases {
            for (per_page, patched) in [1, 2].into_iter().zip(patched) {
                let (old, layouts) = pages(&five(before).1, per_page);
                let (_dir, site) = five(after);
                let (new, new_layouts) = pages(&site, per_page);
                let mut patch = Patch::new(layouts);
                for &at in edited {
                    patch.take_in(at, items_of(&site, per_page, at));
                }
                let files = Files {
                    old: old.clone(),
                    ..Files::default()
                };
                let kept = patch.write(&files, &Paging::with(&site, per_page)).unwrap();
                let (mut made, order) = (old, files.patched.into_inner().unwrap());
                made.extend(files.new.into_inner().unwrap());
                let text = |files: BTreeMap<String, Vec<u8>>| -> Vec<(String, String)> {
                    files
                        .into_iter()
                        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
                        .collect()
                };
                assert_eq!(text(made), text(new), "{before:?} → {after:?} in pages of {per_page}");
                assert_eq!(kept, new_layouts, "the layouts kept for the next build");
                assert_eq!(order, patched, "{before:?} → {after:?} in pages of {per_page}");
            }
        }
    }

    #[test]
    fn a_patch_is_as_few_pieces_as_the_edit_needs() {
        // One document edited in one file: the old file before it, its items and line end, the
        // old file after it, the tail.
        let (_, layouts) = pages(&five([ONE, ONE, TWO, ONE, ONE]).1, 5);
        let (_dir, site) = five([ONE, ONE, ONE, ONE, ONE]);
        let mut patch = Patch::new(layouts);
        patch.take_in(2, items_of(&site, 5, 2));
        let files = PieceCount::default();
        patch.write(&files, &Paging::with(&site, 5)).unwrap();
        assert_eq!(*files.0.lock().unwrap(), 5);
    }

    /// A sink that counts the pieces of a patch.
    #[derive(Default)]
    struct PieceCount(Mutex<usize>);

    impl Sink for PieceCount {
        fn put(&self, path: &str, _bytes: &[u8]) -> std::io::Result<()> {
            panic!("{path} is put whole")
        }

        fn stream(&self, path: &str) -> std::io::Result<Box<dyn Write + Send + '_>> {
            panic!("{path} is streamed whole")
        }

        fn patch(&self, _path: &str, pieces: &[crate::render::Piece]) -> std::io::Result<()> {
            *self.0.lock().unwrap() = pieces.len();
            Ok(())
        }
    }

    #[test]
    fn pages_are_linked_and_each_is_the_bytes_serde_json_makes() {
        for base in ["base_url: https://x.org/\n", ""] {
            let (_dir, site) = five_with(base, [ONE, TWO, NONE, ONE, TWO]);
            let (files, _) = pages(&site, 2);
            let names: Vec<&str> = files.keys().map(String::as_str).collect();
            assert_eq!(names, [C, P2, P3]);
            let json = |path: &str| -> serde_json::Value {
                let text = std::str::from_utf8(&files[path]).unwrap();
                assert_eq!(text, canonical(text), "{path}");
                serde_json::from_str(text).unwrap()
            };
            let (collection, second, third) = (json(C), json(P2), json(P3));
            let up = if base.is_empty() { "../" } else { "https://x.org/" };
            let root = if base.is_empty() { "" } else { "https://x.org/" };
            assert_eq!(collection["total"], 6);
            assert_eq!(collection["last"], format!("{root}annotations/3.jsonld"));
            let first = &collection["first"];
            assert_eq!(first["next"], format!("{root}annotations/2.jsonld"));
            assert_eq!(first["startIndex"], 0);
            assert_eq!(second["id"], format!("{up}annotations/2.jsonld"));
            assert_eq!(second["prev"], format!("{up}annotations.jsonld#page-1"));
            assert_eq!(second["next"], format!("{up}annotations/3.jsonld"));
            assert_eq!(second["partOf"], format!("{up}annotations.jsonld"));
            assert_eq!(second["startIndex"], 3);
            assert_eq!(third["prev"], format!("{up}annotations/2.jsonld"));
            assert_eq!(third.get("next"), None, "the last page has no next");
            assert_eq!(third["type"], "AnnotationPage");
            assert_eq!(second["@context"], "http://www.w3.org/ns/anno.jsonld");
            let ids = |page: &serde_json::Value| -> Vec<String> {
                let items = page["items"].as_array().unwrap();
                items.iter().map(|i| i["id"].as_str().unwrap().to_owned()).collect()
            };
            assert_eq!(ids(first).len(), 3);
            assert_eq!(ids(&second), [format!("{up}d/index.html#a-1")], "c has none");
            assert_eq!(third["startIndex"], 4);
            assert_eq!(
                ids(&third),
                [format!("{up}e/index.html#a-1"), format!("{up}e/index.html#a-2")]
            );
            assert_eq!(ids(first)[0], format!("{root}a/index.html#a-1"));
        }
    }

    #[test]
    fn kept_layouts_that_do_not_fit_the_site_are_not_used() {
        let (_dir, site) = five([ONE, NONE, TWO, ONE, ONE]);
        let (_, layouts) = pages(&site, 2);
        let paging = Paging::with(&site, 2);
        let kept = |bytes: Vec<u8>| Kept::new([(patch::KEPT.to_owned(), bytes)].into());
        let bytes = patch::to_bytes(&layouts);
        assert_eq!(patch::kept(&kept(bytes.clone()), &paging), Some(layouts.clone()));
        assert_eq!(patch::kept(&Kept::default(), &paging), None, "nothing kept");
        assert_eq!(
            patch::kept(&kept(bytes.clone()), &Paging::with(&site, 3)),
            None,
            "other pages"
        );
        assert_eq!(
            patch::kept(&kept(bytes[..bytes.len() - 1].to_vec()), &paging),
            None,
            "truncated"
        );
        assert_eq!(
            patch::kept(&kept([&bytes[..], b"x"].concat()), &paging),
            None,
            "too long"
        );
        let spoiled = |f: &dyn Fn(&mut Vec<Layout>)| {
            let mut l = layouts.clone();
            f(&mut l);
            patch::kept(&kept(patch::to_bytes(&l)), &paging)
        };
        assert_eq!(spoiled(&|l| l[1].tail += 1), None, "a tail elsewhere");
        assert_eq!(spoiled(&|l| l[0].docs[1].1 = 1), None, "items of no bytes");
        assert_eq!(spoiled(&|l| l[2].head += 1), None, "another head");
        assert_eq!(
            spoiled(&|l| l[1].docs.push((0, 0))),
            None,
            "another number of documents"
        );
        assert_eq!(
            spoiled(&|l| {
                l.pop();
            }),
            None,
            "a page less"
        );
    }
}
