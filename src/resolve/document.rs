//! Resolving one document or page on its own ([`resolve_doc`]): its annotations anchored, its
//! glossary occurrences found and those that link chosen, its notes counted, its ids made and
//! their clashes reported. Its links are checked later, site-wide (`site`).

use super::anchor::{self, Anchor};
use super::context::Context;
use super::link_check::doc_links;
use super::links::{self, PageIds};
use super::reading::{self, Reading};
use super::{Glossary, Occurrence, PageBody, ResolvedDoc, SourceCheck, prepare};
use crate::config::{Config, GlossaryLink};
use crate::diagnostics::{Code, Diagnostic, did_you_mean};
use crate::hash::{FastMap, FastSet};
use crate::parse::document::Body;
use crate::parse::{Document, Entry};
use crate::yaml::pos::{Seg, YamlPositions};
use crate::yaml::value_error_in;
use std::cell::OnceCell;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

/// Resolves one document or page on its own: anchors, glossary occurrences (none for pages,
/// which get an empty [`Glossary`]), notes, ids; its links are checked later, site-wide.
pub fn resolve_doc(
    doc: Document,
    mut body: Body,
    sidecar_source: &str,
    config: &Config,
    entries: &[Entry],
    glossary: &Glossary,
    diags: &mut Vec<Diagnostic>,
) -> (ResolvedDoc, PageBody) {
    let reading = prepare(&mut body, config.raw_html);
    let sidecar = doc.sidecar_path.clone().unwrap_or_else(|| doc.path.clone());
    let anchors = anchor::anchor_all(
        &doc.annotations,
        &reading,
        &body.source,
        &sidecar,
        sidecar_source,
        diags,
    );
    let sidecar = SidecarErrors {
        source: sidecar_source,
        path: &sidecar,
        positions: OnceCell::new(),
    };
    let explicit = explicit_occurrences(&doc, &anchors, &glossary.term_ids, &sidecar, diags);
    let see_spans = check_see_spans(&doc, &anchors, &reading, &sidecar, diags);
    let mut all = form_occurrences(&glossary.matcher, &reading, &anchors, explicit);
    choose_links(&mut all, see_spans, &reading, config.glossary_link);
    let notes = count_notes(&doc, &anchors, &body, &reading, diags);
    let occurrence_ids = all.iter().map(|o| o.id(entries)).collect();
    let ids = page_ids(&doc, &body, &reading, occurrence_ids, notes, &sidecar, diags);

    let contexts = all
        .iter()
        .map(|o| Context::of(&reading.blocks[o.block].text, o.range.clone()))
        .collect();
    let (links, note_html) = doc_links(&doc, &body, config, diags);
    let resolved = ResolvedDoc {
        source_check: SourceCheck::of(&body.source),
        doc,
        anchors,
        occurrences: all,
        contexts: crate::stored::Lazy::new(contexts),
        notes,
        ids: Arc::new(ids),
        links: crate::stored::Lazy::new(links),
        note_html: Arc::new(note_html),
        translations: Vec::new(),
    };
    (resolved, PageBody { body, reading })
}

/// Errors at a value of the sidecar: its positions indexed on its first error, and shared by
/// the rest.
struct SidecarErrors<'a> {
    source: &'a str,
    path: &'a Path,
    positions: OnceCell<YamlPositions>,
}

impl SidecarErrors<'_> {
    fn error(&self, code: Code, at: &[Seg], message: String) -> Diagnostic {
        let positions = self.positions.get_or_init(|| YamlPositions::index(self.source));
        value_error_in(code, positions, self.source, self.path, at, message)
    }
}

/// The occurrences that explicit `term:` annotations make, and an error for each unknown id.
fn explicit_occurrences(
    doc: &Document,
    anchors: &[Option<Anchor>],
    term_ids: &FastMap<String, usize>,
    sidecar: &SidecarErrors,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Occurrence> {
    let mut explicit = Vec::new();
    for (i, a) in doc.annotations.iter().enumerate() {
        let Some(term) = &a.term else { continue };
        match term_ids.get(&**term) {
            Some(&entry) => {
                if let Some(anchor) = &anchors[i] {
                    explicit.push(Occurrence {
                        entry,
                        k: 0,
                        block: anchor.block,
                        range: anchor.range.clone(),
                        linked: false,
                        annotation: Some(i),
                    });
                }
            }
            None => {
                let d = sidecar.error(
                    Code::UnknownTerm,
                    &a.key_path("term"),
                    format!("unknown glossary id `{term}`"),
                );
                diags.push(match did_you_mean(term, term_ids.keys().map(String::as_str)) {
                    Some(s) => d.hint(format!("did you mean `{s}`?")),
                    None => d.hint("glossary ids are defined in content/glossary.yaml"),
                });
            }
        }
    }
    explicit
}

/// The spans of the anchored `see` annotations, by block; an error for each `see` link that
/// would nest in or around another link, and for each note whose reference would stand inside
/// one.
fn check_see_spans(
    doc: &Document,
    anchors: &[Option<Anchor>],
    reading: &Reading,
    sidecar: &SidecarErrors,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(usize, Range<usize>)> {
    let see_spans: Vec<(usize, usize, Range<usize>)> = doc
        .annotations
        .iter()
        .zip(anchors)
        .enumerate()
        .filter(|(_, (a, _))| a.see.is_some())
        .filter_map(|(i, (_, an))| an.as_ref().map(|an| (i, an.block, an.range.clone())))
        .collect();
    for (i, a) in doc.annotations.iter().enumerate() {
        let Some(an) = &anchors[i] else { continue };
        let near_see = see_spans
            .iter()
            .any(|(j, b, r)| *j != i && *b == an.block && overlaps(r, &an.range));
        // Inside a `see` span: its reference would come before the link closes. Of two
        // annotations on one span, the first written is the outer one.
        let inside_see = see_spans.iter().any(|(j, b, r)| {
            *j != i
                && *b == an.block
                && r.start <= an.range.start
                && an.range.end <= r.end
                && (*r != an.range || *j < i)
        });
        if a.see.is_some() && (reading.blocks[an.block].links.iter().any(|l| overlaps(l, &an.range)) || near_see) {
            diags.push(
                sidecar
                    .error(
                        Code::NestedLink,
                        &a.key_path("see"),
                        "a `see` link would lie inside or around another link".into(),
                    )
                    .hint("links cannot nest; quote a passage outside the link, or use a `note` with the link in it"),
            );
        } else if a.note.is_some() && inside_see {
            diags.push(
                sidecar
                    .error(
                        Code::NestedLink,
                        &a.key_path("note"),
                        "this note's reference would stand inside a `see` link".into(),
                    )
                    .hint("a note reference is a link and links cannot nest; quote a passage outside the `see` quote"),
            );
        }
    }
    see_spans.into_iter().map(|(_, b, r)| (b, r)).collect()
}

/// Every glossary occurrence in text order: the explicit ones, and the forms found in the
/// text, minus those that cross an annotation or repeat an explicit one.
fn form_occurrences(
    matcher: &super::glossary::Matcher,
    reading: &Reading,
    anchors: &[Option<Anchor>],
    explicit: Vec<Occurrence>,
) -> Vec<Occurrence> {
    let mut all = explicit.clone();
    for (b, block) in reading.blocks.iter().enumerate() {
        for m in matcher.find(block) {
            let crosses = anchors
                .iter()
                .flatten()
                .any(|a| a.block == b && crosses(&a.range, &m.range));
            let repeats = explicit.iter().any(|o| {
                o.block == b && o.entry == m.entry && o.range.start <= m.range.start && m.range.end <= o.range.end
            });
            if !crosses && !repeats {
                all.push(Occurrence {
                    entry: m.entry,
                    k: 0,
                    block: b,
                    range: m.range,
                    linked: false,
                    annotation: None,
                });
            }
        }
    }
    all.sort_by_key(|o| {
        (
            o.block,
            o.range.start,
            std::cmp::Reverse(o.range.end),
            o.annotation.is_none(),
        )
    });
    all
}

/// Which occurrences link (none inside another link), and each one's count `k`: explicit
/// `term:` annotations link wherever they can, forms as `glossary_link` says.
fn choose_links(
    all: &mut [Occurrence],
    see_spans: Vec<(usize, Range<usize>)>,
    reading: &Reading,
    glossary_link: GlossaryLink,
) {
    let mut link_ranges: Vec<(usize, Range<usize>)> = see_spans;
    for (b, block) in reading.blocks.iter().enumerate() {
        link_ranges.extend(block.links.iter().map(|l| (b, l.clone())));
    }
    let free = |ranges: &[(usize, Range<usize>)], o: &Occurrence| {
        !ranges.iter().any(|(b, r)| *b == o.block && overlaps(r, &o.range))
    };
    for o in all.iter_mut().filter(|o| o.annotation.is_some()) {
        if free(&link_ranges, o) {
            o.linked = true;
            link_ranges.push((o.block, o.range.clone()));
        }
    }
    // `first`: the first occurrence in text order links, whether it is a form or an explicit
    // `term:` annotation (which always links where it can).
    let mut linked_once: FastSet<usize> = FastSet::default();
    let mut count: FastMap<usize, usize> = FastMap::default();
    for o in all.iter_mut() {
        if o.linked {
            linked_once.insert(o.entry);
        } else if o.annotation.is_none() {
            let wanted = match glossary_link {
                GlossaryLink::All => true,
                GlossaryLink::First => !linked_once.contains(&o.entry),
                GlossaryLink::None => false,
            };
            if wanted && free(&link_ranges, o) {
                o.linked = true;
                linked_once.insert(o.entry);
            }
        }
        let k = count.entry(o.entry).or_insert(0);
        *k += 1;
        o.k = *k;
    }
}

/// The page's notes: anchored annotations with a note, and referenced footnotes; a warning
/// for each footnote never referenced.
fn count_notes(
    doc: &Document,
    anchors: &[Option<Anchor>],
    body: &Body,
    reading: &Reading,
    diags: &mut Vec<Diagnostic>,
) -> usize {
    let defined: FastSet<&str> = body.footnotes.iter().map(|(l, _)| l.as_str()).collect();
    let notes = doc
        .annotations
        .iter()
        .zip(anchors)
        .filter(|(a, an)| a.note.is_some() && an.is_some())
        .count()
        + reading
            .footnote_order
            .iter()
            .filter(|l| defined.contains(l.as_str()))
            .count();
    for (label, evs) in &body.footnotes {
        if !reading.footnote_order.contains(label) {
            let at = evs.first().map_or(0, |(_, r)| r.start);
            diags.push(
                Diagnostic::warning(
                    Code::UnusedFootnote,
                    &doc.path,
                    format!("footnote `[^{label}]` is never referenced"),
                )
                .at_offset(&body.source, at, 1),
            );
        }
    }
    notes
}

/// The page's ids, and clashes between them. The numbered ones (`p-N`, `note-N`,
/// `noteref-N`) are known by their counts; only the others are kept, by name.
fn page_ids(
    doc: &Document,
    body: &Body,
    reading: &Reading,
    occurrence_ids: Vec<String>,
    notes: usize,
    sidecar: &SidecarErrors,
    diags: &mut Vec<Diagnostic>,
) -> PageIds {
    let paragraphs = reading.paragraphs;
    let mut named: FastSet<String> = FastSet::with_capacity_and_hasher(
        reading.heading_ids.len() + doc.annotations.len() + occurrence_ids.len(),
        Default::default(),
    );
    for (_, id) in &reading.heading_ids {
        if PageIds::is_numbered(id, paragraphs, notes) || occurrence_ids.contains(id) || !named.insert(id.clone()) {
            let at = reading
                .heading_ids
                .iter()
                .find(|(_, h)| h == id)
                .map_or(0, |(e, _)| body.events[*e].1.start);
            diags.push(
                Diagnostic::error(
                    Code::DuplicatePageId,
                    &doc.path,
                    format!("the id `{id}` is used twice in this page"),
                )
                .at_offset(&body.source, at, 1),
            );
        }
    }
    for a in doc.annotations.iter() {
        let numbered = PageIds::is_numbered(&a.id, paragraphs, notes);
        if reading::THEME_IDS.contains(&&*a.id) {
            diags.push(
                sidecar
                    .error(
                        Code::ReservedId,
                        &a.key_path("id"),
                        format!("the annotation id `{}` is the theme's", a.id),
                    )
                    .hint("every page has `<main id=\"main\">` for the skip link; choose another id"),
            );
        } else if numbered || named.contains(&*a.id) || occurrence_ids.iter().any(|o| **o == *a.id) {
            diags.push(
                sidecar.error(Code::IdClash, &a.key_path("id"), format!("the annotation id `{}` clashes with an id of the page", a.id))
                    .hint("paragraphs (`p-N`), headings, notes (`note-N`) and glossary occurrences (`t-ID-K`) have ids too; choose another"),
            );
        }
        if !numbered {
            named.insert(a.id.to_string());
        }
    }
    named.extend(occurrence_ids);
    PageIds {
        paragraphs,
        notes,
        named: links::Names::new(named),
    }
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

fn crosses(a: &Range<usize>, b: &Range<usize>) -> bool {
    overlaps(a, b) && !(a.start <= b.start && b.end <= a.end) && !(b.start <= a.start && a.end <= b.end)
}
