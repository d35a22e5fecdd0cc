//! `annotations.jsonld`: every annotation as a W3C Web Annotation, in one AnnotationCollection.
//!
//! The file grows with the site (about 17 KB per annotated document), so it is never built
//! whole in memory: each document's items are made on their own (in parallel with its page)
//! and streamed out in document order between a fixed head and tail. The bytes are those of
//! `serde_json::to_string_pretty` on the whole collection with sorted keys, which is what the
//! field order of the structs below spells.

use crate::resolve::links::{Target as LinkTarget, classify, href};
use crate::resolve::{ResolvedDoc, Site};
use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
struct Item<'a> {
    body: Body<'a>,
    id: String,
    motivation: &'static str,
    target: Target<'a>,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Body<'a> {
    One(Part<'a>),
    Many(Vec<Part<'a>>),
}

#[derive(Serialize)]
#[serde(untagged)]
enum Part<'a> {
    Text {
        format: &'static str,
        purpose: &'static str,
        #[serde(rename = "type")]
        kind: &'static str,
        value: &'a str,
    },
    Link {
        id: String,
        purpose: &'static str,
    },
}

#[derive(Serialize)]
struct Target<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    selector: (QuoteSelector<'a>, PositionSelector),
    source: &'a str,
}

#[derive(Serialize)]
struct QuoteSelector<'a> {
    exact: &'a str,
    prefix: String,
    suffix: String,
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct PositionSelector {
    end: usize,
    start: usize,
    #[serde(rename = "type")]
    kind: &'static str,
}

/// Where the items stand in the collection: `{ "first": { "items": [ HERE ] } }`.
const ITEM_INDENT: &str = "      ";

/// The items of one document, each pretty-printed at its depth in the collection and followed
/// by `,\n`, and how many there are.
pub fn doc_items(site: &Site, d: &ResolvedDoc) -> (String, usize) {
    let base = site.config.base_url.as_deref().unwrap_or_default();
    let doc_url = format!("{base}{}/index.html", d.doc.slug);
    let mut out = String::new();
    let mut count = 0;
    // Code-point offsets of each block in the reading text (blocks joined by "\n").
    let mut starts = Vec::with_capacity(d.reading.blocks.len());
    let mut at = 0usize;
    for b in &d.reading.blocks {
        starts.push(at);
        at += b.text.chars().count() + 1;
    }
    for (a, anchor) in d.doc.annotations.iter().zip(&d.anchors) {
        let Some(anchor) = anchor else { continue };
        let text = &d.reading.blocks[anchor.block].text;
        let exact = &text[anchor.range.clone()];
        let before = &text[..anchor.range.start];
        let skip = before.chars().count().saturating_sub(32);
        let prefix: String = before.chars().skip(skip).collect();
        let suffix: String = text[anchor.range.end..].chars().take(32).collect();
        let start = starts[anchor.block] + before.chars().count();
        let end = start + exact.chars().count();
        let mut parts = Vec::new();
        let mut motivation = None;
        if let Some(note) = &a.note {
            parts.push(Part::Text {
                format: "text/markdown",
                purpose: "commenting",
                kind: "TextualBody",
                value: note,
            });
            motivation.get_or_insert("commenting");
        }
        if let Some(gloss) = &a.gloss {
            parts.push(Part::Text {
                format: "text/plain",
                purpose: "describing",
                kind: "TextualBody",
                value: gloss,
            });
            motivation.get_or_insert("describing");
        }
        if let Some(term) = &a.term {
            parts.push(Part::Link {
                id: format!("{base}glossary/{term}/index.html"),
                purpose: "identifying",
            });
            motivation.get_or_insert("identifying");
        }
        if let Some(see) = &a.see {
            let url = match classify(see) {
                Ok(LinkTarget::Fragment(f)) => format!("{doc_url}#{f}"),
                Ok(t) => href(&t, see, base),
                Err(_) => String::new(),
            };
            parts.push(Part::Link {
                id: url,
                purpose: "linking",
            });
            motivation.get_or_insert("linking");
        }
        let Some(motivation) = motivation else { continue };
        let body = if parts.len() == 1 {
            Body::One(parts.remove(0))
        } else {
            Body::Many(parts)
        };
        let item = Item {
            body,
            id: format!("{doc_url}#{}", a.id),
            motivation,
            target: Target {
                language: d.doc.meta.lang.as_deref(),
                selector: (
                    QuoteSelector {
                        exact,
                        prefix,
                        suffix,
                        kind: "TextQuoteSelector",
                    },
                    PositionSelector {
                        end,
                        start,
                        kind: "TextPositionSelector",
                    },
                ),
                source: &doc_url,
            },
            kind: "Annotation",
        };
        let json = serde_json::to_string_pretty(&item).unwrap_or_default();
        for line in json.lines() {
            out.push_str(ITEM_INDENT);
            out.push_str(line);
            out.push('\n');
        }
        // Every item ends with a comma; the last one of the file loses it in `finish`.
        out.insert(out.len() - 1, ',');
        count += 1;
    }
    (out, count)
}

/// Writes the collection: the head, then the documents' items in order, then the tail.
pub struct Writer<W: Write> {
    out: W,
    /// The last item seen, held back so that its comma can be dropped at the end.
    pending: String,
    total: usize,
}

impl<W: Write> Writer<W> {
    pub fn new(mut out: W, site: &Site) -> std::io::Result<Self> {
        let base = site.config.base_url.as_deref().unwrap_or_default();
        write!(
            out,
            "{{\n  \"@context\": \"http://www.w3.org/ns/anno.jsonld\",\n  \"first\": {{\n    \"id\": {},\n    \"items\": [",
            json_string(&format!("{base}annotations.jsonld#page-1"))
        )?;
        Ok(Writer {
            out,
            pending: String::new(),
            total: 0,
        })
    }

    /// Appends one document's items, as made by [`doc_items`].
    pub fn items(&mut self, (items, count): &(String, usize)) -> std::io::Result<()> {
        if *count == 0 {
            return Ok(());
        }
        if self.total == 0 {
            self.out.write_all(b"\n")?;
        }
        self.out.write_all(self.pending.as_bytes())?;
        self.pending.clear();
        self.pending.push_str(items);
        self.total += count;
        Ok(())
    }

    pub fn finish(mut self, site: &Site) -> std::io::Result<W> {
        let base = site.config.base_url.as_deref().unwrap_or_default();
        if self.total > 0 {
            // The last item: without its comma, and the array closes on a line of its own.
            let last = self.pending.trim_end_matches('\n').trim_end_matches(',');
            writeln!(self.out, "{last}\n    ],")?;
        } else {
            self.out.write_all(b"],\n")?;
        }
        write!(
            self.out,
            "    \"startIndex\": 0,\n    \"type\": \"AnnotationPage\"\n  }},\n  \"id\": {},\n  \"label\": {},\n  \"total\": {},\n  \"type\": \"AnnotationCollection\"\n}}\n",
            json_string(&format!("{base}annotations.jsonld")),
            json_string(&site.config.title),
            self.total
        )?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}
