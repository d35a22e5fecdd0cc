//! Sidecar and front-matter schema: metadata plus annotations.

use crate::diagnostics::Diagnostic;
use crate::parse::yaml::value_error_in;
use crate::parse::yamlpos::{Seg, YamlPositions};
use crate::slug::is_valid_id;
use serde::Deserialize;
use std::path::Path;

/// The keys a sidecar or a front matter may have. Front matter may not have `annotations`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    pub title: Option<String>,
    pub slug: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
    pub lang: Option<String>,
    pub source: Option<RawSource>,
    pub summary: Option<String>,
    pub tags: Option<Vec<String>>,
    pub weight: Option<i64>,
    pub draft: Option<bool>,
    pub lines: Option<Lines>,
    pub annotations: Option<Vec<RawAnnotation>>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum RawSource {
    Url(String),
    Full { title: Option<String>, url: String },
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lines {
    #[default]
    Join,
    Keep,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAnnotation {
    pub id: Option<String>,
    pub quote: String,
    pub prefix: Option<String>,
    pub suffix: Option<String>,
    pub occurrence: Option<usize>,
    pub note: Option<String>,
    pub gloss: Option<String>,
    pub term: Option<String>,
    pub see: Option<String>,
}

/// One annotation as written, with its index in the sidecar (for positions) and its final id.
#[derive(Clone, Debug)]
pub struct Annotation {
    pub index: usize,
    pub id: String,
    pub quote: String,
    pub prefix: Option<String>,
    pub suffix: Option<String>,
    pub occurrence: Option<usize>,
    pub note: Option<String>,
    pub gloss: Option<String>,
    pub term: Option<String>,
    pub see: Option<String>,
}

impl Annotation {
    /// The path of one of this annotation's keys in the sidecar, for positions.
    pub fn key_path(&self, key: &str) -> Vec<Seg> {
        vec!["annotations".into(), self.index.into(), key.into()]
    }
}

/// Checks the annotations as written: ids, bodies, non-empty quotes. Positions come from `source`.
pub fn validate_annotations(
    raw: Vec<RawAnnotation>,
    source: &str,
    path: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Annotation> {
    let positions = YamlPositions::index(source);
    let mut out: Vec<Annotation> = Vec::with_capacity(raw.len());
    let mut seen = std::collections::HashMap::new();
    for (index, a) in raw.into_iter().enumerate() {
        let at = |key: &str| -> Vec<Seg> { vec!["annotations".into(), index.into(), key.into()] };
        let id = a.id.clone().unwrap_or_else(|| format!("a-{}", index + 1));
        let mut ok = true;
        if !is_valid_id(&id) {
            diags.push(
                value_error_in(
                    &positions,
                    source,
                    path,
                    &at("id"),
                    format!("annotation id `{id}` is not `[a-z0-9-]+`"),
                )
                .hint(format!("try `{}`", crate::slug::slugify(&id))),
            );
            ok = false;
        } else if let Some(first) = seen.insert(id.clone(), index) {
            diags.push(
                value_error_in(
                    &positions,
                    source,
                    path,
                    &at("id"),
                    format!("duplicate annotation id `{id}`"),
                )
                .hint(format!(
                    "annotation {} already uses it; ids are unique in a page",
                    first + 1
                )),
            );
            ok = false;
        }
        if a.quote.trim().is_empty() {
            diags.push(value_error_in(
                &positions,
                source,
                path,
                &at("quote"),
                "the quote is empty",
            ));
            ok = false;
        }
        if a.note.is_none() && a.gloss.is_none() && a.term.is_none() && a.see.is_none() {
            diags.push(
                value_error_in(
                    &positions,
                    source,
                    path,
                    &["annotations".into(), index.into()],
                    "this annotation says nothing about its quote",
                )
                .hint("add at least one of `note`, `gloss`, `term` or `see`"),
            );
            ok = false;
        }
        for (key, value) in [
            ("note", &a.note),
            ("gloss", &a.gloss),
            ("term", &a.term),
            ("see", &a.see),
        ] {
            if value.as_deref().is_some_and(|v| v.trim().is_empty()) {
                diags.push(
                    value_error_in(&positions, source, path, &at(key), format!("`{key}` is empty"))
                        .hint("give it a value or leave the key out"),
                );
                ok = false;
            }
        }
        if a.occurrence == Some(0) {
            diags.push(
                value_error_in(
                    &positions,
                    source,
                    path,
                    &at("occurrence"),
                    "`occurrence` counts from 1",
                )
                .hint("`occurrence: 1` is the first match"),
            );
            ok = false;
        }
        if ok {
            out.push(Annotation {
                index,
                id,
                quote: a.quote,
                prefix: a.prefix,
                suffix: a.suffix,
                occurrence: a.occurrence,
                note: a.note,
                gloss: a.gloss,
                term: a.term,
                see: a.see,
            });
        }
    }
    out
}
