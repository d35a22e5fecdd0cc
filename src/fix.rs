//! `glossa check --fix`: rewrite, in the sidecars, the quotes whose text has changed, when
//! exactly one close passage is clearly the right one ([`crate::resolve::relocate`]), and
//! report the rest as orphaned. Only the scalar values of `quote`, `prefix` and `suffix` change;
//! every other byte of the file — comments, order, layout — stays as it was.

use crate::diagnostics::{Diagnostic, Pos, Severity, visible};
use crate::parse::Annotation;
use crate::parse::yamlpos::YamlPositions;
use crate::resolve::ResolvedDoc;
use crate::resolve::relocate::{Relocation, relocate};
use crate::{BuildOptions, Fatal, Outcome};
use std::ops::Range;

/// What `--fix` did: a note per quote moved or orphaned (as diagnostics), and the check of the
/// site after the rewrite.
pub struct FixOutcome {
    pub changes: Vec<Diagnostic>,
    pub after: Outcome,
}

pub fn fix(opts: &BuildOptions) -> Result<FixOutcome, Fatal> {
    let mut diags = Vec::new();
    let mut changes = Vec::new();
    if let Some(site) = crate::load(opts, &mut diags)? {
        for d in &site.docs {
            if let Some(path) = &d.doc.sidecar_path {
                let (source, notes) = fix_sidecar(d);
                changes.extend(notes.into_iter().map(|n| Diagnostic {
                    path: path.clone(),
                    ..n
                }));
                if source != d.doc.sidecar_source {
                    std::fs::write(path, source).map_err(|e| Fatal(format!("cannot write {}: {e}", path.display())))?;
                }
            }
        }
    }
    let after = crate::check(opts)?;
    Ok(FixOutcome { changes, after })
}

/// The sidecar's new text, and what happened to each quote that no longer matched.
fn fix_sidecar(d: &ResolvedDoc) -> (String, Vec<Diagnostic>) {
    let source = &d.doc.sidecar_source;
    let positions = YamlPositions::index(source);
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut notes = Vec::new();
    for (i, a) in d.doc.annotations.iter().enumerate() {
        if d.anchors[i].is_some() || crate::resolve::anchor::count_matches(&d.reading, a) > 0 {
            continue; // anchored, or ambiguous: not a changed text
        }
        let at = positions.value(&a.key_path("quote")).unwrap_or_default();
        let note = |severity: Severity, message: String| Diagnostic {
            severity,
            ..Diagnostic::error(&d.doc.path, message).at(source, at)
        };
        match relocate(&d.reading, &a.selector.quote) {
            Relocation::Moved {
                block,
                range,
                similarity,
            } => {
                let text = &d.reading.blocks[block].text;
                let mut these = Vec::new();
                let mut ok = true;
                for (key, value) in new_selector(a, text, &range) {
                    match positions.value(&a.key_path(key)).and_then(|p| scalar_span(source, p)) {
                        Some((span, style)) => these.push((span, render_scalar(&value, style))),
                        None => ok = false,
                    }
                }
                if ok {
                    edits.extend(these);
                    notes.push(
                        note(
                            Severity::Note,
                            format!("fixed: the quote now reads \"{}\"", visible(&text[range.clone()])),
                        )
                        .hint(format!("the only close passage (similarity {similarity:.2})")),
                    );
                } else {
                    notes.push(note(Severity::Error, "orphaned: a close passage exists, but this quote is not a one-line YAML value glossa can rewrite".into()));
                }
            }
            Relocation::NoneClose { best } => {
                let hint = best.map(|(b, r, s)| {
                    format!(
                        "the closest passage (similarity {s:.2}) reads: \"{}\"",
                        visible(&d.reading.blocks[b].text[r])
                    )
                });
                let n = note(
                    Severity::Error,
                    "orphaned: no passage is close enough to move this quote to".into(),
                );
                notes.push(match hint {
                    Some(h) => n.hint(h),
                    None => n,
                });
            }
            Relocation::Competing { first, second } => {
                let show = |(b, r, s): &(usize, Range<usize>, f64)| {
                    format!("\"{}\" ({s:.2})", visible(&d.reading.blocks[*b].text[r.clone()]))
                };
                notes.push(
                    note(
                        Severity::Error,
                        "orphaned: more than one passage is about as close; not moved".into(),
                    )
                    .hint(format!("candidates: {} and {}", show(&first), show(&second))),
                );
            }
        }
    }
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = source.clone();
    for (range, text) in edits {
        out.replace_range(range, &text);
    }
    (out, notes)
}

/// The new `quote`, and `prefix`/`suffix` of the same length where the annotation has them.
fn new_selector(a: &Annotation, text: &str, range: &Range<usize>) -> Vec<(&'static str, String)> {
    let mut out = vec![("quote", text[range.clone()].to_owned())];
    if let Some(p) = &a.selector.prefix {
        let n = p.chars().count();
        let before: Vec<char> = text[..range.start].chars().collect();
        out.push(("prefix", before[before.len().saturating_sub(n)..].iter().collect()));
    }
    if let Some(s) = &a.selector.suffix {
        out.push(("suffix", text[range.end..].chars().take(s.chars().count()).collect()));
    }
    out
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Style {
    Plain,
    Single,
    Double,
}

/// The byte span of the one-line scalar that starts at `pos`, and its style. `None` for
/// block scalars and values that continue on the next line.
fn scalar_span(source: &str, pos: Pos) -> Option<(Range<usize>, Style)> {
    let line_start: usize = source.split_inclusive('\n').take(pos.line - 1).map(str::len).sum();
    let line = source[line_start..].lines().next()?;
    let col = line.char_indices().nth(pos.col - 1).map(|(i, _)| i)?;
    let rest = &line[col..];
    let (len, style) = match rest.chars().next()? {
        '"' => {
            let mut escaped = false;
            let end = rest.char_indices().skip(1).find(|&(_, c)| {
                let close = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                close
            })?;
            (end.0 + 1, Style::Double)
        }
        '\'' => {
            let bytes = rest.as_bytes();
            let mut i = 1;
            loop {
                match bytes.get(i)? {
                    b'\'' if bytes.get(i + 1) == Some(&b'\'') => i += 2,
                    b'\'' => break (i + 1, Style::Single),
                    _ => i += 1,
                }
            }
        }
        '|' | '>' => return None,
        _ => {
            let end = rest.find(" #").unwrap_or(rest.len());
            (rest[..end].trim_end().len(), Style::Plain)
        }
    };
    // A plain scalar may continue on more-indented lines below: then it is not one line.
    if style == Style::Plain {
        let next = source[line_start + line.len()..].lines().nth(1).unwrap_or("");
        let indent = |l: &str| l.len() - l.trim_start().len();
        let key_indent = indent(line);
        if !next.trim().is_empty()
            && indent(next) > key_indent
            && !next.trim_start().starts_with('-')
            && !next.contains(": ")
        {
            return None;
        }
    }
    let start = line_start + col;
    Some((start..start + len, style))
}

fn render_scalar(value: &str, style: Style) -> String {
    let plain_ok = || {
        let doc = format!("k: {value}\n");
        matches!(serde_yaml::from_str::<serde_yaml::Value>(&doc), Ok(serde_yaml::Value::Mapping(m))
            if m.get("k").and_then(|v| v.as_str()) == Some(value))
    };
    match style {
        Style::Plain if plain_ok() => value.to_owned(),
        Style::Single => format!("'{}'", value.replace('\'', "''")),
        _ => serde_json::to_string(value).unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_one_line_scalars_of_each_style() {
        let src = "a:\n  - quote: plain text # a comment\n    note: x\n  - quote: \"dq \\\" x\"\n  - quote: 'it''s'\n  - quote: |\n      block\n";
        let span = |line, col| scalar_span(src, Pos { line, col, width: 1 }).map(|(r, s)| (&src[r], s));
        assert_eq!(span(2, 12), Some(("plain text", Style::Plain)));
        assert_eq!(span(4, 12), Some(("\"dq \\\" x\"", Style::Double)));
        assert_eq!(span(5, 12), Some(("'it''s'", Style::Single)));
        assert_eq!(span(6, 12), None);
    }

    #[test]
    fn renders_scalars_that_read_back_the_same() {
        assert_eq!(
            render_scalar("Gespräche mit Russen", Style::Plain),
            "Gespräche mit Russen"
        );
        assert_eq!(
            render_scalar("Titel: „Der Westen“", Style::Plain),
            "\"Titel: „Der Westen“\""
        );
        assert_eq!(render_scalar("it's", Style::Single), "'it''s'");
        assert_eq!(render_scalar(" lead", Style::Plain), "\" lead\"");
    }
}
