//! Glossary files: a YAML list of entries.

use crate::diagnostics::{Code, Diagnostic};
use crate::slug::is_valid_id;
use crate::yaml::pos::{Seg, YamlPositions};
use crate::yaml::{from_yaml, value_error_in};
use schemars::JsonSchema;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// One glossary entry. Doc comments here become the descriptions of `glossa schema`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawEntry {
    /// `[a-z0-9-]+`, unique in the glossary; the entry's page is `glossary/ID/`.
    id: String,
    /// The headword as the entry's page shows it.
    term: String,
    /// Any word; the glossary index groups by kind. Default `term`.
    kind: Option<String>,
    /// What is matched in documents: whole words, case-sensitive. Default `[term]`.
    forms: Option<Vec<String>>,
    /// Markdown.
    definition: String,
    /// Ids of related entries, shown on both entries' pages.
    see: Option<Vec<String>>,
}

#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Entry {
    pub id: String,
    pub term: String,
    pub kind: String,
    pub forms: Vec<String>,
    pub definition: String,
    pub see: Vec<String>,
    /// Where it was written, for messages about its values.
    #[serde(with = "crate::stored::path")]
    pub path: PathBuf,
    pub index: usize,
}

impl Entry {
    pub fn key_path(&self, key: &str) -> Vec<Seg> {
        vec![self.index.into(), key.into()]
    }
}

/// Parses one glossary file.
pub fn parse_glossary(source: &str, path: &Path, diags: &mut Vec<Diagnostic>) -> Vec<Entry> {
    let raw: Vec<RawEntry> = match from_yaml(source, path) {
        Ok(Some(v)) => v,
        Ok(None) => return Vec::new(),
        Err(d) => {
            diags.push(d);
            return Vec::new();
        }
    };
    // Positions only for messages: the file is read for them on the first one.
    let positions = std::cell::OnceCell::new();
    let positions = || positions.get_or_init(|| YamlPositions::index(source));
    let mut out = Vec::with_capacity(raw.len());
    for (index, e) in raw.into_iter().enumerate() {
        let at = |key: &str| vec![Seg::Index(index), Seg::from(key)];
        if !is_valid_id(&e.id) {
            diags.push(
                value_error_in(
                    Code::InvalidId,
                    positions(),
                    source,
                    path,
                    &at("id"),
                    format!("glossary id `{}` is not `[a-z0-9-]+`", e.id),
                )
                .hint(format!("try `{}`", crate::slug::slugify(&e.id))),
            );
            continue;
        }
        let forms: Vec<String> = e.forms.unwrap_or_else(|| vec![e.term.clone()]);
        if forms.iter().any(|f| f.trim().is_empty()) {
            diags.push(value_error_in(
                Code::EmptyValue,
                positions(),
                source,
                path,
                &at("forms"),
                "a form is empty",
            ));
            continue;
        }
        let kind = e.kind.unwrap_or_else(|| "term".into());
        if kind.trim().is_empty() {
            diags.push(
                value_error_in(
                    Code::EmptyValue,
                    positions(),
                    source,
                    path,
                    &at("kind"),
                    "`kind` is empty",
                )
                .hint("leave it out for `term`"),
            );
            continue;
        }
        out.push(Entry {
            id: e.id,
            term: e.term,
            kind,
            forms: forms.into_iter().map(|f| f.trim().to_owned()).collect(),
            definition: e.definition,
            see: e.see.unwrap_or_default(),
            path: path.to_path_buf(),
            index,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_kind_and_forms() {
        let mut d = Vec::new();
        let e = parse_glossary(
            "- id: lawrow\n  term: Sergej Lawrow\n  definition: x\n",
            Path::new("g.yaml"),
            &mut d,
        );
        assert!(d.is_empty());
        assert_eq!(e[0].kind, "term");
        assert_eq!(e[0].forms, ["Sergej Lawrow"]);
    }

    #[test]
    fn missing_definition_and_bad_id() {
        let mut d = Vec::new();
        parse_glossary("- id: a\n  term: A\n", Path::new("g.yaml"), &mut d);
        assert!(d[0].message.contains("definition"), "{}", d[0].message);
        let mut d = Vec::new();
        parse_glossary("- id: A b\n  term: A\n  definition: x\n", Path::new("g.yaml"), &mut d);
        assert_eq!(d[0].line, Some(1));
    }
}
