//! `glossa check --fix`: rewrite, in the sidecars, the quotes whose text has changed, when
//! exactly one close passage is clearly the right one ([`crate::resolve::relocate`]), and
//! report the rest as orphaned. Only the scalar values of `quote`, `prefix` and `suffix` change,
//! through the YAML source editor ([`crate::yamledit`]): every other byte of the file —
//! comments, order, layout, line endings, a byte-order mark — stays as it was. A quote the
//! editor refuses to rewrite is orphaned with its reason, and the file is written only if
//! something changed, atomically (`crate::write::replace_file`).

use crate::diagnostics::{Code, Diagnostic, Pos, Severity, visible};
use crate::parse::Annotation;
use crate::resolve::relocate::{Relocation, relocate};
use crate::resolve::{PageBody, ResolvedDoc};
use crate::yaml::pos::YamlPositions;
use crate::yamledit::{Edit, Editor};
use crate::{BuildOptions, Fatal, Outcome};
use std::ops::Range;
use std::path::Path;

/// What `--fix` did: a note per quote moved or orphaned (as diagnostics), and the check of the
/// site after the rewrite.
pub struct FixOutcome {
    pub changes: Vec<Diagnostic>,
    pub after: Outcome,
}

pub fn fix(opts: &BuildOptions) -> Result<FixOutcome, Fatal> {
    let mut diags = Vec::new();
    let mut changes = Vec::new();
    // Each document's quotes are relocated while its reading text and its sidecar's text are
    // at hand, as it is loaded; the sidecars are rewritten in the site's order.
    let plan = |d: &ResolvedDoc, body: &PageBody, sidecar_source: &str| {
        let path = d.doc.sidecar_path.clone()?;
        let (moves, orphans) = relocations(d, body, sidecar_source);
        let source = if moves.is_empty() {
            String::new()
        } else {
            sidecar_source.to_owned()
        };
        Some((d.doc.path.clone(), path, source, moves, orphans))
    };
    if let Some((site, mut plans)) = crate::load::load_visiting(opts, &mut diags, &plan)? {
        let order: std::collections::HashMap<&Path, usize> = site
            .docs
            .iter()
            .enumerate()
            .map(|(i, d)| (d.doc.path.as_path(), i))
            .collect();
        plans.sort_by_key(|p| order.get(p.0.as_path()).copied());
        for (_, path, source, moves, orphans) in plans {
            changes.extend(orphans);
            if !moves.is_empty() {
                changes.extend(rewrite_sidecar(&source, &path, moves)?);
            }
        }
    }
    let after = crate::check(opts)?;
    Ok(FixOutcome { changes, after })
}

/// A quote to move: the edits that move it, the note that says so, and the orphan error to
/// give instead if the sidecar cannot be edited so.
struct Move {
    edits: Vec<Edit>,
    fixed: Diagnostic,
    orphan: Diagnostic,
}

impl Move {
    fn refused(self, why: &dyn std::fmt::Display) -> Diagnostic {
        let message = format!("{}: {why}", self.orphan.message);
        Diagnostic { message, ..self.orphan }
    }
}

/// Reads the sidecar's file again as it is on disk (with its line endings and byte-order
/// mark, which the parsed text no longer has), makes the moves the editor accepts, and
/// writes the file when anything changed. Returns a note per quote moved or orphaned.
fn rewrite_sidecar(sidecar_source: &str, path: &Path, moves: Vec<Move>) -> Result<Vec<Diagnostic>, Fatal> {
    let raw = std::fs::read(path).map_err(|e| Fatal(format!("cannot read {}: {e}", path.display())))?;
    let same = crate::parse::document::decode(raw.clone(), path).is_ok_and(|s| s == sidecar_source);
    let raw = match String::from_utf8(raw) {
        Ok(raw) if same => raw,
        _ => {
            let why = "the file changed while glossa read it";
            return Ok(moves.into_iter().map(|m| m.refused(&why)).collect());
        }
    };
    let (text, notes) = apply_moves(&raw, moves);
    if let Some(text) = text {
        crate::write::replace_file(path, text.as_bytes())
            .map_err(|e| Fatal(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(notes)
}

/// The sidecar's new text (`None` when nothing changed) and a note per move: each move is
/// tried alone, and those the editor accepts are made together.
fn apply_moves(raw: &str, moves: Vec<Move>) -> (Option<String>, Vec<Diagnostic>) {
    let editor = match Editor::new(raw) {
        Ok(e) => e,
        Err(why) => return (None, moves.into_iter().map(|m| m.refused(&why)).collect()),
    };
    let mut notes = Vec::new();
    let mut accepted = Vec::new();
    for m in moves {
        match editor.apply(&m.edits) {
            Ok(_) => accepted.push(m),
            Err(why) => notes.push(m.refused(&why)),
        }
    }
    let all: Vec<Edit> = accepted.iter().flat_map(|m| m.edits.iter().cloned()).collect();
    if all.is_empty() {
        return (None, notes);
    }
    match editor.apply(&all) {
        Ok(text) => {
            notes.extend(accepted.into_iter().map(|m| m.fixed));
            (Some(text), notes)
        }
        Err(why) => {
            notes.extend(accepted.into_iter().map(|m| m.refused(&why)));
            (None, notes)
        }
    }
}

/// For each quote that no longer matches: the move to its one close passage, or an orphan
/// error that says why there is none.
fn relocations(d: &ResolvedDoc, body: &PageBody, source: &str) -> (Vec<Move>, Vec<Diagnostic>) {
    let reading = &body.reading;
    let path = d.doc.sidecar_path.as_deref().unwrap_or(&d.doc.path);
    let positions = YamlPositions::index(source);
    let mut moves = Vec::new();
    let mut notes = Vec::new();
    for (i, a) in d.doc.annotations.iter().enumerate() {
        if d.anchors[i].is_some() || crate::resolve::anchor::count_matches(reading, a) > 0 {
            continue; // anchored, or ambiguous: not a changed text
        }
        let at: Pos = positions.value(&a.key_path("quote")).unwrap_or_default();
        let note = |severity: Severity, code: Code, message: String| {
            Diagnostic::error(code, path, message).at(source, at).severity(severity)
        };
        match relocate(reading, &a.selector.quote) {
            Relocation::Moved {
                block,
                range,
                similarity,
            } => {
                let text = &reading.blocks[block].text;
                let found = visible(&text[range.clone()]);
                moves.push(Move {
                    edits: new_selector(a, text, &range)
                        .into_iter()
                        .map(|(key, value)| Edit {
                            path: a.key_path(key),
                            value,
                        })
                        .collect(),
                    fixed: note(
                        Severity::Note,
                        Code::QuoteFixed,
                        format!("fixed: the quote now reads \"{found}\""),
                    )
                    .hint(format!("the only close passage (similarity {similarity:.2})")),
                    orphan: note(
                        Severity::Error,
                        Code::QuoteOrphaned,
                        "orphaned: a close passage exists, but glossa cannot rewrite this quote".into(),
                    )
                    .hint(format!(
                        "the close passage (similarity {similarity:.2}) reads: \"{found}\""
                    )),
                });
            }
            Relocation::NoneClose { best } => {
                let hint = best.map(|(b, r, s)| {
                    format!(
                        "the closest passage (similarity {s:.2}) reads: \"{}\"",
                        visible(&reading.blocks[b].text[r])
                    )
                });
                let n = note(
                    Severity::Error,
                    Code::QuoteOrphaned,
                    "orphaned: no passage is close enough to move this quote to".into(),
                );
                notes.push(match hint {
                    Some(h) => n.hint(h),
                    None => n,
                });
            }
            Relocation::Competing { first, second } => {
                let show = |(b, r, s): &(usize, Range<usize>, f64)| {
                    format!("\"{}\" ({s:.2})", visible(&reading.blocks[*b].text[r.clone()]))
                };
                notes.push(
                    note(
                        Severity::Error,
                        Code::QuoteOrphaned,
                        "orphaned: more than one passage is about as close; not moved".into(),
                    )
                    .hint(format!("candidates: {} and {}", show(&first), show(&second))),
                );
            }
        }
    }
    (moves, notes)
}

/// The new `quote`, and `prefix`/`suffix` of the same length where the annotation has them.
fn new_selector(a: &Annotation, text: &str, range: &Range<usize>) -> Vec<(&'static str, String)> {
    // A quote is matched trimmed; a block (`|`) quote's final line breaks stay, so that its
    // header still fits it.
    let breaks = &a.selector.quote[a.selector.quote.trim_end_matches('\n').len()..];
    let mut out = vec![("quote", format!("{}{breaks}", &text[range.clone()]))];
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
