//! Anchoring: each annotation's quote selector → one span of the reading text.
//!
//! The W3C TextQuoteSelector: `exact` (our `quote`), with optional `prefix` and `suffix` that
//! must stand right before and after it in the same block, and our `occurrence` to pick the
//! N-th of several fitting matches. Ambiguity is an error, never resolved silently.

use crate::diagnostics::{Code, Diagnostic, visible, yaml_string};
use crate::parse::Annotation;
use crate::resolve::fold::{Folded, cluster_around, fold_pattern, is_cluster_boundary, needs_strict, strict_eq};
use crate::resolve::reading::Reading;
use crate::resolve::unicode_hint;
use crate::yaml::pos::YamlPositions;
use crate::yaml::value_error_in;
use std::ops::Range;
use std::path::Path;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Anchor {
    pub block: usize,
    pub range: Range<usize>,
}

/// A match of a quote: the block and the folded range.
#[derive(Clone, Copy, Debug)]
struct Hit {
    block: usize,
    start: usize,
    end: usize,
}

/// The folded reading text of a document, made once and searched for every quote.
pub struct Haystack<'r> {
    reading: &'r Reading,
    folded: Vec<Folded>,
    /// The folded blocks joined by `\n`, which no folded quote contains (whitespace folds to a
    /// space), so a match never spans two blocks.
    joined: String,
    /// Where each block starts in `joined`.
    starts: Vec<usize>,
}

impl<'r> Haystack<'r> {
    pub fn new(reading: &'r Reading) -> Self {
        let folded: Vec<Folded> = reading.blocks.iter().map(|b| Folded::new(&b.text)).collect();
        let mut joined = String::with_capacity(folded.iter().map(|f| f.text.len() + 1).sum());
        let mut starts = Vec::with_capacity(folded.len());
        for f in &folded {
            starts.push(joined.len());
            joined.push_str(&f.text);
            joined.push('\n');
        }
        Haystack {
            reading,
            folded,
            joined,
            starts,
        }
    }

    /// The matches of every annotation's selector, each list in text order. One pass over the
    /// text finds every quote at once ([`find_all`]); prefix, suffix, the strict check and
    /// the edges of characters then filter each candidate. Beside them, for each annotation,
    /// the first candidate that fit but for starting or ending inside a character (to say so).
    fn hits_all(&self, annotations: &[Annotation]) -> (Vec<Vec<Hit>>, Vec<Option<Hit>>) {
        let quotes: Vec<String> = annotations
            .iter()
            .map(|a| fold_pattern(a.selector.quote.trim()))
            .collect();
        let selectors: Vec<Selector> = annotations.iter().map(Selector::new).collect();
        let patterns: Vec<&str> = quotes.iter().map(String::as_str).collect();
        let mut hits: Vec<Vec<Hit>> = vec![Vec::new(); annotations.len()];
        let mut split: Vec<Option<Hit>> = vec![None; annotations.len()];
        for (i, at) in find_all(&self.joined, &patterns) {
            let block = self.starts.partition_point(|&s| s <= at) - 1;
            let start = at - self.starts[block];
            let end = start + patterns[i].len();
            if self.fits(&annotations[i], &selectors[i], block, start, end) {
                let hit = Hit { block, start, end };
                if self.on_character_edges(hit) {
                    hits[i].push(hit);
                } else {
                    split[i].get_or_insert(hit);
                }
            }
        }
        (hits, split)
    }

    /// Whether a match starts and ends between characters as a reader sees them, not inside
    /// one (`Cafe` in `Café` spelled with a combining accent).
    fn on_character_edges(&self, h: Hit) -> bool {
        let f = &self.folded[h.block];
        let text = &self.reading.blocks[h.block].text;
        is_cluster_boundary(text, f.original(h.start)) && is_cluster_boundary(text, f.original(h.end))
    }

    /// Whether the quote found at `start..end` of `block` fits the rest of the selector.
    fn fits(&self, a: &Annotation, sel: &Selector, block: usize, start: usize, end: usize) -> bool {
        let text = &self.folded[block].text;
        if let Some(p) = &sel.prefix
            && !text[..start].ends_with(p.as_str())
        {
            return false;
        }
        if let Some(s) = &sel.suffix
            && !text[end..].starts_with(s.as_str())
        {
            return false;
        }
        !sel.strict || self.strict_fit(a, block, start, end, sel.prefix.as_deref(), sel.suffix.as_deref())
    }

    fn strict_fit(
        &self,
        a: &Annotation,
        block: usize,
        start: usize,
        end: usize,
        prefix: Option<&str>,
        suffix: Option<&str>,
    ) -> bool {
        let f = &self.folded[block];
        let text = &self.reading.blocks[block].text;
        let span = |s: usize, e: usize| &text[f.original(s)..f.original(e)];
        let quote_ok = strict_eq(a.selector.quote.trim(), span(start, end).trim_end());
        let prefix_ok = match (prefix, &a.selector.prefix) {
            (Some(p), Some(raw)) => strict_eq(raw, span(start - p.len(), start)),
            _ => true,
        };
        let suffix_ok = match (suffix, &a.selector.suffix) {
            (Some(s), Some(raw)) => strict_eq(raw, span(end, end + s.len())),
            _ => true,
        };
        quote_ok && prefix_ok && suffix_ok
    }

    fn anchor_of(&self, h: Hit) -> Anchor {
        let text = &self.reading.blocks[h.block].text;
        Anchor {
            block: h.block,
            range: self.folded[h.block].original_range(h.start, h.end, text),
        }
    }

    /// The passage most like `quote`: the longest piece of its start or its end found in the text.
    fn closest(&self, quote: &str) -> Option<(usize, usize)> {
        let q = fold_pattern(quote.trim());
        let bounds: Vec<usize> = q.char_indices().map(|(i, _)| i).chain([q.len()]).collect();
        let longest = |piece: &dyn Fn(usize) -> String| -> Option<(usize, usize, usize)> {
            // Binary search on the number of characters: found pieces shrink monotonically.
            let (mut lo, mut hi, mut best) = (1usize, bounds.len() - 1, None);
            while lo <= hi {
                let mid = (lo + hi) / 2;
                let p = piece(mid);
                let found = self
                    .folded
                    .iter()
                    .enumerate()
                    .find_map(|(b, f)| f.text.find(p.as_str()).map(|i| (b, i)));
                match found {
                    Some((b, i)) => {
                        best = Some((mid, b, i));
                        lo = mid + 1;
                    }
                    None => hi = mid - 1,
                }
            }
            best
        };
        let n = bounds.len() - 1;
        let head = longest(&|k| q[..bounds[k]].to_owned());
        let tail = longest(&|k| q[bounds[n - k]..].to_owned());
        let (b, start) = match (head, tail) {
            (Some((hl, hb, hi)), Some((tl, tb, ti))) => {
                if hl >= tl {
                    (hb, hi)
                } else {
                    let back = q.len() - bounds[n - tl];
                    (tb, ti.saturating_sub(back))
                }
            }
            (Some((_, b, i)), None) => (b, i),
            (None, Some((_, b, i))) => (b, i),
            (None, None) => return None,
        };
        Some((b, start))
    }
}

/// The folded prefix and suffix of a selector, and whether it needs the strict check.
struct Selector {
    prefix: Option<String>,
    suffix: Option<String>,
    strict: bool,
}

impl Selector {
    fn new(a: &Annotation) -> Selector {
        Selector {
            prefix: a.selector.prefix.as_deref().map(fold_pattern),
            suffix: a.selector.suffix.as_deref().map(fold_pattern),
            strict: needs_strict(&a.selector.quote)
                || a.selector.prefix.as_deref().is_some_and(needs_strict)
                || a.selector.suffix.as_deref().is_some_and(needs_strict),
        }
    }
}

/// Every match of every pattern in `text`, overlapping ones included, as `(pattern, start)` in
/// text order (matches at one position in pattern order). An empty pattern matches nowhere.
///
/// A document's quotes are usually a few dozen short strings: each is searched on its own
/// with memchr's vectorized substring search, which skips over text many bytes at a time.
/// With many quotes that costs more than one pass over the text that checks every position
/// against a table of the quotes' first two bytes ([`find_by_pairs`]). An Aho-Corasick
/// automaton does the same in theory, but building one per document costs more than the
/// search itself; it is used only when many quotes start alike, where the table would compare
/// each of them at every place the text starts alike too (20,000 quotes that all begin with
/// `Absatz`, in a 50 MB text: minutes instead of a second).
fn find_all(text: &str, patterns: &[&str]) -> Vec<(usize, usize)> {
    const ONE_BY_ONE: usize = 64;
    let mut out = if patterns.len() <= ONE_BY_ONE {
        find_each(text.as_bytes(), patterns)
    } else {
        find_by_pairs(text.as_bytes(), patterns).unwrap_or_else(|| find_by_automaton(text.as_bytes(), patterns))
    };
    out.sort_unstable_by_key(|&(i, at)| (at, i));
    out
}

/// [`find_all`], unordered, one pattern at a time.
fn find_each(text: &[u8], patterns: &[&str]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (i, p) in patterns.iter().enumerate().filter(|(_, p)| !p.is_empty()) {
        let finder = memchr::memmem::Finder::new(p.as_bytes());
        let mut from = 0;
        // From one byte past each match, so that overlapping matches are found too.
        while let Some(at) = text.get(from..).and_then(|rest| finder.find(rest)) {
            out.push((i, from + at));
            from += at + 1;
        }
    }
    out
}

/// [`find_all`], unordered, in one pass over the text; `None` when more than
/// [`MAX_ALIKE`] patterns share their first two bytes.
fn find_by_pairs(text: &[u8], patterns: &[&str]) -> Option<Vec<(usize, usize)>> {
    let pair = |a: u8, b: u8| (a as usize) << 8 | b as usize;
    let mut pairs = vec![0u64; 1 << 10];
    let mut singles = [false; 256];
    // The patterns by their first two bytes (one-byte patterns apart), to compare only those
    // that can start where a table says one may.
    let mut by_pair: Vec<(usize, usize)> = Vec::new();
    for (i, p) in patterns.iter().map(|p| p.as_bytes()).enumerate() {
        match p {
            [] => {}
            [a] => singles[*a as usize] = true,
            [a, b, ..] => {
                let k = pair(*a, *b);
                pairs[k >> 6] |= 1 << (k & 63);
                by_pair.push((k, i));
            }
        }
    }
    by_pair.sort_unstable();
    let ones = patterns.iter().filter(|p| p.len() == 1).count();
    if ones > MAX_ALIKE || by_pair.chunk_by(|a, b| a.0 == b.0).any(|alike| alike.len() > MAX_ALIKE) {
        return None;
    }
    let mut out = Vec::new();
    for at in 0..text.len() {
        let a = text[at];
        if singles[a as usize] {
            for (i, p) in patterns.iter().enumerate() {
                if p.len() == 1 && p.as_bytes()[0] == a {
                    out.push((i, at));
                }
            }
        }
        let Some(&b) = text.get(at + 1) else { continue };
        let k = pair(a, b);
        if pairs[k >> 6] & (1 << (k & 63)) == 0 {
            continue;
        }
        let first = by_pair.partition_point(|&(pk, _)| pk < k);
        for &(_, i) in by_pair[first..].iter().take_while(|&&(pk, _)| pk == k) {
            if text[at..].starts_with(patterns[i].as_bytes()) {
                out.push((i, at));
            }
        }
    }
    Some(out)
}

/// How many quotes may start with the same two bytes before [`find_by_pairs`] hands over to
/// [`find_by_automaton`]: each place the text has those bytes costs a comparison with each.
const MAX_ALIKE: usize = 16;

/// [`find_all`], unordered, with an Aho-Corasick automaton over every pattern: every match of
/// every pattern, overlapping ones too, in time linear in the text and the matches.
fn find_by_automaton(text: &[u8], patterns: &[&str]) -> Vec<(usize, usize)> {
    let ids: Vec<usize> = (0..patterns.len()).filter(|&i| !patterns[i].is_empty()).collect();
    let automaton = aho_corasick::AhoCorasick::builder()
        .match_kind(aho_corasick::MatchKind::Standard)
        .build(ids.iter().map(|&i| patterns[i]));
    match automaton {
        Ok(ac) => ac
            .find_overlapping_iter(text)
            .map(|m| (ids[m.pattern().as_usize()], m.start()))
            .collect(),
        // Too large for an automaton: one pattern at a time, which is linear in each.
        Err(_) => find_each(text, patterns),
    }
}

/// How many passages fit an annotation's selector (quote, prefix and suffix).
pub fn count_matches(reading: &Reading, a: &Annotation) -> usize {
    Haystack::new(reading).hits_all(std::slice::from_ref(a)).0[0].len()
}

/// The 1-based line of a byte offset, which may fall inside a character (a block's source
/// offsets are near enough for a line, not exact).
fn line_at(source: &str, offset: usize) -> usize {
    let bytes = source.as_bytes();
    1 + bytes[..offset.min(bytes.len())].iter().filter(|&&b| b == b'\n').count()
}

/// Anchors every annotation of a document. `None` where it failed (with a diagnostic).
pub fn anchor_all(
    annotations: &[Annotation],
    reading: &Reading,
    source_of_doc: &str,
    sidecar: &Path,
    sidecar_source: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Option<Anchor>> {
    let hay = Haystack::new(reading);
    let mut positions: Option<YamlPositions> = None;
    let mut out = Vec::with_capacity(annotations.len());
    let (all_hits, split) = hay.hits_all(annotations);
    for ((a, hits), split) in annotations.iter().zip(all_hits).zip(split) {
        let line_of = |h: &Hit| {
            let block = &reading.blocks[h.block];
            let at = hay.folded[h.block].original(h.start);
            line_at(source_of_doc, block.source_offset(at))
        };
        let chosen = match choose(&hay, source_of_doc, a, &hits, split, &line_of) {
            Ok(hit) => Some(hit),
            Err(Refusal {
                code,
                key,
                message,
                hint,
            }) => {
                let pos = positions.get_or_insert_with(|| YamlPositions::index(sidecar_source));
                let d = value_error_in(code, pos, sidecar_source, sidecar, &a.key_path(key), message);
                diags.push(match hint {
                    Some(h) => d.hint(h),
                    None => d,
                });
                None
            }
        };
        let anchor = chosen.map(|h| hay.anchor_of(h));
        if let Some(an) = &anchor {
            // Matched, but only thanks to folding: worth tidying so the sidecar says what the text says.
            let text = &reading.blocks[an.block].text[an.range.clone()];
            if text != a.selector.quote.trim() {
                let pos = positions.get_or_insert_with(|| YamlPositions::index(sidecar_source));
                diags.push(folded_warning(pos, sidecar_source, sidecar, a, text));
            }
        }
        out.push(anchor);
    }
    check_crossing(annotations, &out, sidecar, sidecar_source, diags);
    out
}

/// What `check` suggests for a quote the document does not have, for a quote from elsewhere
/// than a sidecar (`glossa import`).
pub fn not_found_hint_for(reading: &Reading, source_of_doc: &str, quote: &str) -> Option<String> {
    not_found_hint(&Haystack::new(reading), source_of_doc, quote, None)
}

/// Why a quote was not anchored: the code, the key of the annotation the error points at, the
/// message and a hint.
struct Refusal {
    code: Code,
    key: &'static str,
    message: String,
    hint: Option<String>,
}

/// The match an annotation means: its only one, or the one its `occurrence` picks; else why
/// none is (not found, ambiguous, an occurrence past the last).
fn choose(
    hay: &Haystack,
    source_of_doc: &str,
    a: &Annotation,
    hits: &[Hit],
    split: Option<Hit>,
    line_of: &dyn Fn(&Hit) -> usize,
) -> Result<Hit, Refusal> {
    match (hits.len(), a.selector.occurrence) {
        (0, _) => {
            let what = if a.selector.prefix.is_some() || a.selector.suffix.is_some() {
                "quote (with its prefix/suffix)"
            } else {
                "quote"
            };
            Err(Refusal {
                code: Code::QuoteNotFound,
                key: "quote",
                message: format!(
                    "{what} not found in the document: \"{}\"",
                    visible(a.selector.quote.trim())
                ),
                hint: not_found_hint(hay, source_of_doc, &a.selector.quote, split),
            })
        }
        (1, None) => Ok(hits[0]),
        (n, None) => {
            let lines: Vec<String> = hits.iter().map(|h| format!("line {}", line_of(h))).collect();
            Err(Refusal {
                code: Code::QuoteAmbiguous,
                key: "quote",
                message: format!(
                    "quote matches {n} times (at {}); ambiguity is never resolved silently",
                    lines.join(", ")
                ),
                hint: Some(disambiguation_hint(hay, hits, line_of)),
            })
        }
        (n, Some(k)) if k > n => Err(Refusal {
            code: Code::OccurrenceOutOfRange,
            key: "occurrence",
            message: format!(
                "`occurrence: {k}` but the quote matches only {n} time{}",
                if n == 1 { "" } else { "s" }
            ),
            hint: None,
        }),
        (_, Some(k)) => Ok(hits[k - 1]),
    }
}

/// The warning for a quote that matched only after folding whitespace or quotation marks,
/// with the text as it stands, as YAML to paste.
fn folded_warning(pos: &YamlPositions, sidecar_source: &str, sidecar: &Path, a: &Annotation, text: &str) -> Diagnostic {
    value_error_in(
        Code::QuoteFolded,
        pos,
        sidecar_source,
        sidecar,
        &a.key_path("quote"),
        "quote matched only after folding whitespace or quotation marks",
    )
    .severity(crate::diagnostics::Severity::Warning)
    .hint(format!("the text reads: {}", yaml_string(text)))
}

/// What the message of a quote that is not found suggests: that a match would split a
/// character or the text is in another normalisation, else the most similar passage (as
/// `check --fix` scores them), else the longest piece of the quote's start or end that the
/// text has. `split` is the first match dropped for splitting a character.
fn not_found_hint(hay: &Haystack, source_of_doc: &str, quote: &str, split: Option<Hit>) -> Option<String> {
    let reading = hay.reading;
    let line_of = |h: &Hit| {
        let block = &reading.blocks[h.block];
        let at = hay.folded[h.block].original(h.start);
        line_at(source_of_doc, block.source_offset(at))
    };
    // A match split a character, or the text spells the quote's letters in another
    // normalisation: said first, as the passages below would look the same.
    let split = split.map(|h| {
        let f = &hay.folded[h.block];
        (h.block, f.original(h.start)..f.original(h.end))
    });
    let line = |b: usize, at: usize| line_at(source_of_doc, reading.blocks[b].source_offset(at));
    let unicode = unicode_hint::hint(reading, &hay.folded, quote.trim(), split, &line);
    let similar = unicode
        .is_none()
        .then(|| crate::resolve::relocate::most_similar(reading, quote))
        .flatten()
        .filter(|(_, _, sim)| *sim >= 0.5);
    if unicode.is_some() {
        unicode
    } else if crate::resolve::relocate::too_long_to_search(quote) {
        Some(format!(
            "no closest passage: the quote is longer than {} characters",
            crate::resolve::relocate::MAX_SIMILAR_CHARS
        ))
    } else if let Some((b, range, sim)) = similar {
        let block = &reading.blocks[b];
        let line = line_at(source_of_doc, block.source_offset(range.start));
        Some(format!(
            "the most similar passage (line {line} of the document, similarity {sim:.2}) reads:\n«{}»",
            visible(&block.text[range])
        ))
    } else {
        hay.closest(quote).map(|(b, i)| {
            let text = &reading.blocks[b].text;
            let start = hay.folded[b].original(i);
            let passage = excerpt(text, start, quote.chars().count() + 10);
            let line = line_of(&Hit {
                block: b,
                start: i,
                end: i,
            });
            format!(
                "the closest passage (line {line} of the document) reads:\n«{}»",
                visible(&passage)
            )
        })
    }
}

/// For each match (up to five), the shortest `prefix` or `suffix` that picks it alone, as
/// YAML to paste.
fn disambiguation_hint(hay: &Haystack, hits: &[Hit], line_of: &dyn Fn(&Hit) -> usize) -> String {
    let context = |h: &Hit| {
        let text = &hay.reading.blocks[h.block].text;
        let f = &hay.folded[h.block];
        (&text[..f.original(h.start)], &text[f.original(h.end)..])
    };
    let contexts: Vec<(&str, &str)> = hits.iter().map(context).collect();
    let mut lines = vec!["add `occurrence: N` (1 is the first), or a `prefix` or `suffix` that picks one:".to_owned()];
    for (i, h) in hits.iter().enumerate().take(5) {
        let (before, after) = contexts[i];
        let unique_prefix = (1..=before.chars().count().min(60)).find_map(|k| {
            let p: String = before
                .chars()
                .rev()
                .take(k)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let clash = contexts.iter().enumerate().any(|(j, (b, _))| j != i && b.ends_with(&p));
            (!clash && !p.trim().is_empty()).then_some(p)
        });
        // Whole words read better than fragments: "Der " rather than "r ".
        let unique_prefix = unique_prefix.map(|p| {
            let word: String = before[..before.len() - p.len()]
                .chars()
                .rev()
                .take_while(|c| !c.is_whitespace())
                .collect();
            word.chars().rev().collect::<String>() + &p
        });
        let unique_suffix = (1..=after.chars().count().min(60)).find_map(|k| {
            let s: String = after.chars().take(k).collect();
            let clash = contexts
                .iter()
                .enumerate()
                .any(|(j, (_, a))| j != i && a.starts_with(&s));
            (!clash && !s.trim().is_empty()).then_some(s)
        });
        let unique_suffix = unique_suffix.map(|s| {
            let word: String = after[s.len()..].chars().take_while(|c| !c.is_whitespace()).collect();
            s + &word
        });
        let pick = match (unique_prefix, unique_suffix) {
            (Some(p), Some(s)) if s.chars().count() < p.chars().count() => format!("suffix: {}", yaml_string(&s)),
            (Some(p), _) => format!("prefix: {}", yaml_string(&p)),
            (None, Some(s)) => format!("suffix: {}", yaml_string(&s)),
            (None, None) => format!("occurrence: {}", i + 1),
        };
        lines.push(format!("  for the match at line {}:  {pick}", line_of(h)));
    }
    lines.join("\n")
}

/// About `width` characters of `text` starting near byte `start`: whole characters as a reader
/// sees them (grapheme clusters), so neither starting nor ending inside one.
fn excerpt(text: &str, start: usize, width: usize) -> String {
    let start = cluster_around(text, start).start;
    let end = text[start..]
        .char_indices()
        .nth(width)
        .map_or(text.len(), |(i, _)| start + i);
    let end = if is_cluster_boundary(text, end) {
        end
    } else {
        cluster_around(text, end).end
    };
    text[start..end].split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Two quotes may nest or coincide; they may not overlap in part.
fn check_crossing(
    annotations: &[Annotation],
    anchors: &[Option<Anchor>],
    sidecar: &Path,
    source: &str,
    diags: &mut Vec<Diagnostic>,
) {
    let mut spans: Vec<(usize, &Anchor)> = anchors
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.as_ref().map(|a| (i, a)))
        .collect();
    spans.sort_by_key(|(i, a)| (a.block, a.range.start, std::cmp::Reverse(a.range.end), *i));
    let mut open: Vec<(usize, &Anchor)> = Vec::new();
    let mut positions: Option<YamlPositions> = None;
    for (i, a) in spans {
        while open
            .last()
            .is_some_and(|(_, o)| o.block != a.block || o.range.end <= a.range.start)
        {
            open.pop();
        }
        if let Some((j, o)) = open.last()
            && a.range.end > o.range.end
        {
            let pos = positions.get_or_insert_with(|| YamlPositions::index(source));
            let (first, second) = (&annotations[*j], &annotations[i]);
            diags.push(
                value_error_in(
                    Code::QuotesCross,
                    pos,
                    source,
                    sidecar,
                    &second.key_path("quote"),
                    format!(
                        "the quotes of annotations `{}` and `{}` cross (overlap in part)",
                        first.id, second.id
                    ),
                )
                .hint("quotes may nest or coincide, not overlap: shorten one so it lies inside or outside the other"),
            );
            continue;
        }
        open.push((i, a));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::document::Spanned;
    use pulldown_cmark::Parser;

    fn ann(quote: &str) -> Annotation {
        Annotation {
            index: 0,
            id: "a".into(),
            selector: std::sync::Arc::new(crate::parse::sidecar::Selector {
                quote: quote.into(),
                ..Default::default()
            }),
            note: None,
            gloss: Some("g".into()),
            term: None,
            see: None,
        }
    }

    fn run(md: &str, anns: &[Annotation]) -> (Vec<Option<(usize, String)>>, Vec<Diagnostic>) {
        let events: Vec<Spanned> = Parser::new_ext(md, crate::parse::document::markdown_options(false))
            .into_offset_iter()
            .map(|(e, r)| (e.into_static(), r))
            .collect();
        let reading = crate::resolve::reading::analyze(&events);
        let mut diags = Vec::new();
        let anchors = anchor_all(anns, &reading, md, Path::new("s.yaml"), "annotations: []", &mut diags);
        let shown = anchors
            .into_iter()
            .map(|a| a.map(|a| (a.block, reading.blocks[a.block].text[a.range].to_owned())))
            .collect();
        (shown, diags)
    }

    #[test]
    fn exact_and_folded_matches() {
        let (a, d) = run(
            "Sie nannte es „gefälscht“ und\nsagte nichts.",
            &[ann("es \"gefälscht\" und sagte")],
        );
        assert!(d.iter().all(|d| !d.is_error()), "{d:?}");
        assert!(
            d[0].message.contains("only after folding"),
            "folding is reported as a warning: {d:?}"
        );
        assert_eq!(a[0], Some((0, "es „gefälscht“ und sagte".into())));
    }

    #[test]
    fn spans_inline_markup() {
        let (a, _) = run("Ein *sehr* [langer](x) `Text`.", &[ann("sehr langer Text")]);
        assert_eq!(a[0], Some((0, "sehr langer Text".into())));
    }

    #[test]
    fn case_sensitive_and_not_across_blocks() {
        let (a, d) = run("Ende eins.\n\nAnfang zwei.", &[ann("eins. Anfang"), ann("ende eins")]);
        assert_eq!(a, [None, None]);
        assert_eq!(d.len(), 2);
        assert!(d[0].message.contains("not found"));
    }

    #[test]
    fn prefix_suffix_and_occurrence_pick_one() {
        let text = "der Hund und der Hund und der Hund.";
        let mut p = ann("Hund");
        std::sync::Arc::make_mut(&mut p.selector).prefix = Some("und der ".into());
        std::sync::Arc::make_mut(&mut p.selector).suffix = Some(".".into());
        let mut o = ann("Hund");
        std::sync::Arc::make_mut(&mut o.selector).occurrence = Some(2);
        let (a, d) = run(text, &[p, o]);
        assert!(d.is_empty(), "{d:?}");
        assert!(a.iter().all(Option::is_some));
        let (_, d) = run(text, &[ann("Hund")]);
        assert!(d[0].message.contains("matches 3 times"), "{}", d[0].message);
        let mut far = ann("Hund");
        std::sync::Arc::make_mut(&mut far.selector).occurrence = Some(4);
        let (_, d) = run(text, &[far]);
        assert!(d[0].message.contains("only 3 times"), "{}", d[0].message);
    }

    #[test]
    fn typographic_marks_in_the_quote_must_match_exactly() {
        let (a, _) = run("„x“ and “x”", &[ann("“x”")]);
        assert_eq!(a[0], Some((0, "“x”".into())));
    }

    #[test]
    fn crossing_is_an_error_nesting_is_not() {
        let mut x = ann("eins zwei");
        x.id = "x".into();
        let mut y = ann("zwei drei");
        y.id = "y".into();
        let mut z = ann("zwei");
        z.id = "z".into();
        let (_, d) = run("eins zwei drei", &[x.clone(), z.clone()]);
        assert!(d.is_empty());
        let (_, d) = run("eins zwei drei", &[x, y]);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("`x` and `y` cross"), "{}", d[0].message);
    }

    #[test]
    fn every_pattern_is_found_overlaps_included() {
        let found = find_all("aaa ab b\nba", &["aa", "b", "", "ab b", "a"]);
        assert_eq!(
            found,
            [
                (0, 0),
                (4, 0),
                (0, 1),
                (4, 1),
                (4, 2),
                (3, 4),
                (4, 4),
                (1, 5),
                (1, 7),
                (1, 9),
                (4, 10)
            ]
        );
    }

    proptest::proptest! {
        /// Both ways of finding every match agree with trying every pattern at every position.
        #[test]
        fn every_search_finds_every_match(
            text in "[ab„ä ]{0,40}",
            patterns in proptest::collection::vec("[ab„ä ]{0,3}", 0..24),
        ) {
            let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
            let mut naive = Vec::new();
            for at in 0..text.len() {
                for (i, p) in patterns.iter().enumerate() {
                    if !p.is_empty() && text.as_bytes()[at..].starts_with(p.as_bytes()) {
                        naive.push((i, at));
                    }
                }
            }
            let sorted = |mut v: Vec<(usize, usize)>| {
                v.sort_unstable_by_key(|&(i, at)| (at, i));
                v
            };
            proptest::prop_assert_eq!(&sorted(find_each(text.as_bytes(), &patterns)), &naive);
            if let Some(found) = find_by_pairs(text.as_bytes(), &patterns) {
                proptest::prop_assert_eq!(&sorted(found), &naive);
            }
            proptest::prop_assert_eq!(&sorted(find_by_automaton(text.as_bytes(), &patterns)), &naive);
            proptest::prop_assert_eq!(&find_all(&text, &patterns), &naive);
        }
    }

    #[test]
    fn the_passage_in_another_normalisation_is_found_exactly() {
        let (a, d) = run("Die U\u{308}bung, die U\u{308}bung war gut.", &[ann("\u{DC}bung war")]);
        assert_eq!(a, [None]);
        let hint = d[0].hint.as_deref().unwrap();
        assert!(hint.contains("NFD there; the quote is NFC"), "{hint}");
        assert!(hint.contains("\n«U\u{308}bung war»\n"), "{hint}");
        let (_, d) = run("Ja, ein Cafe\u{301} oder ein Caf\u{E9}.", &[ann("ein Cafe\u{301}.")]);
        let hint = d[0].hint.as_deref().unwrap();
        assert!(hint.contains("NFC there; the quote is NFD"), "{hint}");
        assert!(hint.contains("\n«ein Caf\u{E9}.»\n"), "{hint}");
    }

    #[test]
    fn closest_passage_is_shown() {
        let (_, d) = run(
            "Der Bericht wurde als Desinformation bezeichnet.",
            &[ann("Bericht wurde als Falschinformation")],
        );
        let hint = d[0].hint.as_deref().unwrap();
        assert!(hint.contains("«Bericht wurde als Desinformation"), "{hint}");
    }
}
