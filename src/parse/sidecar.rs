//! Sidecar and front-matter schema: metadata plus annotations.

use crate::concat::cat;
use crate::diagnostics::{Code, Diagnostic};
use crate::slug::is_valid_id;
use crate::yaml::pos::{Seg, YamlPositions};
use crate::yaml::value_error_in;
use schemars::JsonSchema;
use serde::Deserialize;
use std::path::Path;

/// The keys a sidecar or a front matter may have. Front matter may not have `annotations`.
/// Doc comments here become the descriptions of `glossa schema`.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "glossa sidecar",
    description = "Metadata and annotations of the document with the same path and stem."
)]
pub struct RawMeta {
    /// The document's title; by default its first line (.txt) or first `#` heading (.md).
    pub title: Option<String>,
    /// The page's URL name, `[a-z0-9-]+`; by default the file stem, transliterated.
    pub slug: Option<String>,
    pub author: Option<String>,
    /// Publication date, YYYY-MM-DD.
    pub date: Option<String>,
    /// BCP 47 language tag of the text, e.g. `de`; by default the site's.
    pub lang: Option<String>,
    /// Where the text comes from: a URL, or `{title, url}`.
    pub source: Option<RawSource>,
    /// One or two sentences for the home page.
    pub summary: Option<String>,
    pub tags: Option<Vec<String>>,
    /// Lower comes first on the home page; default 0.
    pub weight: Option<i64>,
    /// Drafts are built only with `--drafts`.
    pub draft: Option<bool>,
    /// .txt only: `join` line breaks inside a paragraph (default) or `keep` them (verse).
    pub lines: Option<Lines>,
    /// What you say about passages of the text, each anchored by quoting it.
    pub annotations: Option<Vec<RawAnnotation>>,
}

#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum RawSource {
    Url(String),
    Full { title: Option<String>, url: String },
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Lines {
    #[default]
    Join,
    Keep,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAnnotation {
    /// `[a-z0-9-]+`, unique in the page; default `a-1`, `a-2`, … by position.
    pub id: Option<String>,
    /// The passage, exactly as it stands in the reading text (whitespace runs and straight
    /// quotation marks match loosely).
    pub quote: String,
    /// Text that stands right before the quote, to pick one of several matches.
    pub prefix: Option<String>,
    /// Text that stands right after the quote, to pick one of several matches.
    pub suffix: Option<String>,
    /// The N-th match (1-based) among those that fit.
    #[schemars(range(min = 1))]
    pub occurrence: Option<usize>,
    /// Markdown: a numbered note shown in the margin or as a footnote.
    pub note: Option<String>,
    /// A short plain-text gloss shown on hover and focus.
    pub gloss: Option<String>,
    /// A glossary id: the quote links to that entry and counts as an occurrence.
    pub term: Option<String>,
    /// A cross-link on the quote: `doc:SLUG[#ID]`, `term:ID`, `page:NAME[#ID]`, `static:PATH[#FRAGMENT]` or a URL.
    pub see: Option<String>,
}

/// One annotation as written, with its index in the sidecar (for positions) and its final id.
///
/// Every site keeps these until its pages are rendered, 20 or more a document: the strings are
/// boxed (16 bytes each instead of 24), and the selector, which a resolved document no longer
/// needs, is shared and dropped then ([`Selector::none`]): 96 bytes instead of 216.
#[derive(Clone, Debug, serde::Serialize, Deserialize)]
pub struct Annotation {
    pub index: usize,
    pub id: Box<str>,
    #[serde(deserialize_with = "Selector::read_shared")]
    pub selector: std::sync::Arc<Selector>,
    pub note: Option<Box<str>>,
    pub gloss: Option<Box<str>>,
    pub term: Option<Box<str>>,
    pub see: Option<Box<str>>,
}

/// What picks an annotation's passage in the text: its quote, and what tells one match of it
/// from another.
#[derive(Clone, Debug, Default, serde::Serialize, Deserialize)]
pub struct Selector {
    pub quote: Box<str>,
    pub prefix: Option<Box<str>>,
    pub suffix: Option<Box<str>>,
    pub occurrence: Option<usize>,
}

impl Selector {
    /// The empty selector of a resolved document's annotations, one for all of them.
    pub fn none() -> std::sync::Arc<Selector> {
        static NONE: std::sync::LazyLock<std::sync::Arc<Selector>> = std::sync::LazyLock::new(Default::default);
        NONE.clone()
    }

    /// A selector as a snapshot of the site keeps it (`crate::resolve::snapshot`): the empty
    /// one (every annotation's, once its document is resolved) read back as [`Selector::none`],
    /// shared again.
    fn read_shared<'de, D: serde::Deserializer<'de>>(d: D) -> Result<std::sync::Arc<Selector>, D::Error> {
        let s = Selector::deserialize(d)?;
        let empty = s.quote.is_empty() && s.prefix.is_none() && s.suffix.is_none() && s.occurrence.is_none();
        Ok(if empty { Selector::none() } else { s.into() })
    }
}

impl Annotation {
    /// The path of one of this annotation's keys in the sidecar, for positions.
    pub fn key_path(&self, key: &str) -> Vec<Seg> {
        Annotation::key_path_of(self.index, key)
    }

    /// [`Annotation::key_path`] of the annotation at `index`.
    pub fn key_path_of(index: usize, key: &str) -> Vec<Seg> {
        vec!["annotations".into(), index.into(), key.into()]
    }
}

/// When a sidecar does not deserialize, serde stops at its first error. To report every error
/// of a run, each annotation is then read on its own, and the errors of those that do not
/// contain the first error's line are reported too (at the annotation's or the key's line).
pub fn other_annotation_errors(source: &str, path: &Path, first_error_line: Option<usize>) -> Vec<Diagnostic> {
    // A file nested too deeply has that one error: nothing in it is read further.
    if crate::yaml::nesting::nesting_error(source, path).is_some() {
        return Vec::new();
    }
    let Ok(serde_yaml::Value::Mapping(map)) = serde_yaml::from_str::<serde_yaml::Value>(source) else {
        return Vec::new();
    };
    let Some(serde_yaml::Value::Sequence(items)) = map.get("annotations") else {
        return Vec::new();
    };
    let positions = YamlPositions::index(source);
    let start_line = |i: usize| positions.value(&["annotations".into(), i.into()]).map(|p| p.line);
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Err(e) = serde_yaml::from_value::<RawAnnotation>(item.clone()) else {
            continue;
        };
        let (start, end) = (start_line(i), start_line(i + 1));
        let holds_first = match (first_error_line, start) {
            (Some(l), Some(s)) => l >= s && end.is_none_or(|e| l < e),
            _ => false,
        };
        if holds_first {
            continue;
        }
        let message = format!("annotations[{i}]: {e}");
        // Point at an unknown key itself where the message names one.
        let key = message.split('`').nth(1).map(str::to_owned);
        let at = match key {
            Some(k) if message.contains("unknown field") => vec![Seg::from("annotations"), Seg::Index(i), Seg::Key(k)],
            _ => vec![Seg::from("annotations"), Seg::Index(i)],
        };
        let hint = crate::yaml::suggestion(&message);
        let code = crate::yaml::serde_code(&message);
        let d = match positions.key(&at) {
            Some(pos) => Diagnostic::error(code, path, message).at(source, pos),
            None => value_error_in(code, &positions, source, path, &at, message),
        };
        out.push(match hint {
            Some(h) => d.hint(h),
            None => d,
        });
    }
    out
}

/// Checks the annotations as written: ids, bodies, non-empty quotes. Positions come from `source`.
pub fn validate_annotations(
    raw: Vec<RawAnnotation>,
    source: &str,
    path: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Annotation> {
    // Positions are only needed for errors: index the file on the first one.
    let positions = std::cell::OnceCell::new();
    let positions = || positions.get_or_init(|| YamlPositions::index(source));
    let mut out: Vec<Annotation> = Vec::with_capacity(raw.len());
    let mut seen = crate::hash::FastMap::with_capacity_and_hasher(raw.len(), Default::default());
    for (index, a) in raw.into_iter().enumerate() {
        let id = a.id.clone().unwrap_or_else(|| cat!["a-", index + 1]);
        let mut problems = annotation_problems(&a, &id);
        if is_valid_id(&id)
            && let Some(first) = seen.insert(id.clone(), index)
        {
            problems.insert(
                0,
                Problem {
                    code: Code::DuplicateId,
                    key: Some("id"),
                    message: format!("duplicate annotation id `{id}`"),
                    hint: Some(format!(
                        "annotation {} already uses it; ids are unique in a page",
                        first + 1
                    )),
                },
            );
        }
        if problems.is_empty() {
            out.push(Annotation {
                index,
                id: id.into(),
                selector: std::sync::Arc::new(Selector {
                    quote: a.quote.into(),
                    prefix: a.prefix.map(Into::into),
                    suffix: a.suffix.map(Into::into),
                    occurrence: a.occurrence,
                }),
                note: a.note.map(Into::into),
                gloss: a.gloss.map(Into::into),
                term: a.term.map(Into::into),
                see: a.see.map(Into::into),
            });
            continue;
        }
        for p in problems {
            let mut at: Vec<Seg> = vec!["annotations".into(), index.into()];
            at.extend(p.key.map(Seg::from));
            let d = value_error_in(p.code, positions(), source, path, &at, p.message);
            diags.push(match p.hint {
                Some(h) => d.hint(h),
                None => d,
            });
        }
    }
    out
}

/// What is wrong with one annotation as written, at its key (none: the annotation itself).
struct Problem {
    code: Code,
    key: Option<&'static str>,
    message: String,
    hint: Option<String>,
}

/// The problems an annotation (with its id, given or made) has on its own (a duplicate id is
/// the caller's to find), in the order they are reported.
fn annotation_problems(a: &RawAnnotation, id: &str) -> Vec<Problem> {
    let problem = |code: Code, key: Option<&'static str>, message: String, hint: Option<&str>| Problem {
        code,
        key,
        message,
        hint: hint.map(str::to_owned),
    };
    let mut out = Vec::new();
    if !is_valid_id(id) {
        out.push(Problem {
            code: Code::InvalidId,
            key: Some("id"),
            message: format!("annotation id `{id}` is not `[a-z0-9-]+`"),
            hint: Some(format!("try `{}`", crate::slug::slugify(id))),
        });
    }
    if a.quote.trim().is_empty() {
        out.push(problem(
            Code::EmptyQuote,
            Some("quote"),
            "the quote is empty".into(),
            None,
        ));
    }
    if a.note.is_none() && a.gloss.is_none() && a.term.is_none() && a.see.is_none() {
        out.push(problem(
            Code::EmptyAnnotation,
            None,
            "this annotation says nothing about its quote".into(),
            Some("add at least one of `note`, `gloss`, `term` or `see`"),
        ));
    }
    for (key, value) in [
        ("note", &a.note),
        ("gloss", &a.gloss),
        ("term", &a.term),
        ("see", &a.see),
    ] {
        if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
            out.push(problem(
                Code::EmptyValue,
                Some(key),
                format!("`{key}` is empty"),
                Some("give it a value or leave the key out"),
            ));
        }
    }
    if a.occurrence == Some(0) {
        out.push(problem(
            Code::InvalidOccurrence,
            Some("occurrence"),
            "`occurrence` counts from 1".into(),
            Some("`occurrence: 1` is the first match"),
        ));
    }
    out
}
