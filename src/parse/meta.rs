//! A document's metadata: the sidecar's and the front matter's merged (the sidecar wins), each
//! value checked where it was written.

use super::document::{Kind, Meta, Source};
use crate::diagnostics::{Code, Diagnostic, Pos};
use crate::layout::refused_scheme;
use crate::parse::sidecar::{RawMeta, RawSource};
use crate::slug::{is_valid_id, slugify};
use crate::yaml::pos::Seg;
use crate::yaml::value_error;
use std::path::Path;

/// Where a document's metadata was written, to point an error about a value at it: the
/// sidecar when it has the key, else the front matter.
pub(super) struct MetaOrigin<'a> {
    pub(super) path: &'a Path,
    pub(super) source: &'a str,
    pub(super) front: Option<(&'a str, usize)>,
    /// The sidecar's path and text.
    pub(super) sidecar: Option<(&'a Path, &'a str)>,
}

impl MetaOrigin<'_> {
    fn error_at(&self, code: Code, at: &[Seg], side_has: bool, message: String) -> Diagnostic {
        if let (Some((p, text)), true) = (self.sidecar, side_has) {
            return value_error(code, text, p, at, message);
        }
        let Some((text, offset)) = self.front else {
            return Diagnostic::error(code, self.path, message);
        };
        let d = value_error(code, text, self.path, at, message);
        let first_line = self.source[..offset].matches('\n').count();
        match d.line {
            Some(l) => d.clone().at(
                self.source,
                Pos {
                    line: l + first_line,
                    col: d.col.unwrap_or(1),
                    width: d.width,
                },
            ),
            None => d,
        }
    }

    fn error(&self, code: Code, key: &str, side_has: bool, message: String) -> Diagnostic {
        self.error_at(code, &[Seg::from(key)], side_has, message)
    }
}

/// The document's metadata, the sidecar's value winning over the front matter's, each checked:
/// its explicit title, the rest, its slug and where the slug was written (for a later error
/// about it).
pub(super) fn merged_meta(
    origin: &MetaOrigin,
    kind: Kind,
    stem: &str,
    side_meta: &mut RawMeta,
    front_meta: &mut RawMeta,
    diags: &mut Vec<Diagnostic>,
) -> (Option<String>, Meta, String, Option<Diagnostic>) {
    macro_rules! pick {
        ($field:ident) => {
            (
                side_meta.$field.is_some(),
                side_meta.$field.take().or(front_meta.$field.take()),
            )
        };
    }
    let (side_slug, slug) = pick!(slug);
    let (_, explicit_title) = pick!(title);
    let (side_date, date) = pick!(date);
    let (side_lang, lang) = pick!(lang);
    let (side_source, source_meta) = pick!(source);
    let (_, author) = pick!(author);
    let (_, summary) = pick!(summary);
    let (_, tags) = pick!(tags);
    let (_, weight) = pick!(weight);
    let (_, draft) = pick!(draft);
    let (side_lines, lines) = pick!(lines);

    let slug_origin = slug
        .as_ref()
        .map(|_| origin.error(Code::DuplicateSlug, "slug", side_slug, String::new()));
    let slug = checked_slug(origin, slug, side_slug, stem, diags);
    value_errors(
        origin,
        kind,
        (&date, side_date),
        (&lang, side_lang),
        (&lines, side_lines),
        diags,
    );
    let meta = Meta {
        author,
        date: date.filter(|d| is_iso_date(d)),
        lang: lang.filter(|l| crate::config::is_valid_lang(l)),
        source: checked_source(origin, source_meta, side_source, diags),
        summary,
        tags: tags.unwrap_or_default(),
        weight: weight.unwrap_or(0),
        draft: draft.unwrap_or(false),
        lines: lines.unwrap_or_default(),
    };
    (explicit_title, meta, slug, slug_origin)
}

/// The errors of the values that must have a form: a date, a language tag, and `lines`
/// (a .txt document's alone). Each comes with whether the sidecar wrote it.
fn value_errors(
    origin: &MetaOrigin,
    kind: Kind,
    (date, side_date): (&Option<String>, bool),
    (lang, side_lang): (&Option<String>, bool),
    (lines, side_lines): (&Option<crate::parse::sidecar::Lines>, bool),
    diags: &mut Vec<Diagnostic>,
) {
    if let Some(d) = &date
        && !is_iso_date(d)
    {
        diags.push(
            origin
                .error(
                    Code::InvalidDate,
                    "date",
                    side_date,
                    format!("date `{d}` is not YYYY-MM-DD"),
                )
                .hint("for example `2023-07-06`"),
        );
    }
    if let Some(l) = &lang
        && !crate::config::is_valid_lang(l)
    {
        diags.push(
            origin
                .error(
                    Code::InvalidLang,
                    "lang",
                    side_lang,
                    format!("`{l}` is not a BCP 47 language tag"),
                )
                .hint("for example `de` or `en-GB`"),
        );
    }
    if kind == Kind::Md && lines.is_some() {
        diags.push(
            origin
                .error(
                    Code::LinesNotTxt,
                    "lines",
                    side_lines,
                    "`lines` applies to .txt documents only".into(),
                )
                .hint("in Markdown, end a line with two spaces or a backslash to keep the break"),
        );
    }
}

/// The slug as written when it is `[a-z0-9-]+` (else, with an error, made into one), or made
/// from the file's name.
fn checked_slug(
    origin: &MetaOrigin,
    slug: Option<String>,
    side_slug: bool,
    stem: &str,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let slug = match slug {
        Some(s) if is_valid_id(&s) => s,
        Some(s) => {
            diags.push(
                origin
                    .error(
                        Code::InvalidSlug,
                        "slug",
                        side_slug,
                        format!("slug `{s}` is not `[a-z0-9-]+`"),
                    )
                    .hint(format!("try `{}`", slugify(&s))),
            );
            slugify(&s)
        }
        None => slugify(stem),
    };
    if slug.is_empty() {
        diags.push(
            Diagnostic::error(Code::EmptySlug, origin.path, "this file name gives an empty slug")
                .hint("set `slug:` in the metadata"),
        );
    }
    slug
}

/// The `source:` of a document, unless its URL runs a script: it is a link on the page, and a
/// script URL there would run when a reader follows it.
fn checked_source(
    origin: &MetaOrigin,
    source: Option<RawSource>,
    side_has: bool,
    diags: &mut Vec<Diagnostic>,
) -> Option<Source> {
    let source = source.filter(|s| {
        let (url, at) = match s {
            RawSource::Url(url) => (url, vec![Seg::from("source")]),
            RawSource::Full { url, .. } => (url, vec![Seg::from("source"), Seg::from("url")]),
        };
        let Some(scheme) = refused_scheme(url) else {
            return true;
        };
        diags.push(
            origin
                .error_at(
                    Code::UnsafeLink,
                    &at,
                    side_has,
                    format!("`{scheme}:` URLs are not allowed as a source"),
                )
                .hint("give the address where the text can be read, such as https://…"),
        );
        false
    });
    source.map(|s| match s {
        RawSource::Url(url) => Source {
            title: url.clone(),
            url,
        },
        RawSource::Full { title, url } => Source {
            title: title.unwrap_or_else(|| url.clone()),
            url,
        },
    })
}

pub fn is_iso_date(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
        && (1..=12).contains(&d[5..7].parse::<u32>().unwrap_or(0))
        && (1..=31).contains(&d[8..10].parse::<u32>().unwrap_or(0))
}
