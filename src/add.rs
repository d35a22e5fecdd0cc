//! `glossa add`: the one code path that writes a new annotation into a document's sidecar
//! (the command line, and later the editor in `serve` and `glossa import`, call it).
//!
//! Three steps, each its own function so that a caller can run them apart:
//! 1. [`plan`]: find the document and its sidecar, read the sidecar as it is on the disk, and
//!    make its new text with the item appended ([`crate::yamledit::append_item`]: every other
//!    byte kept, the item in the file's own style, read back before it is accepted). A new
//!    sidecar starts with the schema comment line, as `glossa new` writes it.
//! 2. [`check`]: run every check of `glossa check` on the site with the new text in place of
//!    the file, in memory. Any error refuses the item: the quote not found or ambiguous (with
//!    the closest passage or the pickers, as `check` gives them), an unknown term, a clash of
//!    ids, a broken link; glossa never guesses which passage is meant.
//! 3. [`commit`]: write the new text atomically, unless the sidecar or the document changed
//!    on the disk since [`plan`] read them (then nothing is written).

use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::yamledit::{EditError, NewValue};
use crate::{BuildOptions, Fatal};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A new annotation for a document: its selector, what it says, and its id (when not given,
/// the item has none and takes the default `a-N` of its place, as docs/sidecars.md says).
#[derive(Clone, Debug, Default)]
pub struct Request {
    /// The document's path: absolute, relative to the site's folder (`seeds/x.txt`), or
    /// relative to the working folder.
    pub document: PathBuf,
    pub quote: String,
    pub prefix: Option<String>,
    pub suffix: Option<String>,
    pub occurrence: Option<usize>,
    pub note: Option<String>,
    pub gloss: Option<String>,
    pub term: Option<String>,
    pub see: Option<String>,
    pub id: Option<String>,
}

impl Request {
    /// The item's keys and values, in the order of the schema where the file shows none.
    fn entries(&self) -> Vec<(&'static str, NewValue)> {
        let text = |key: &'static str, v: &Option<String>| v.clone().map(|v| (key, NewValue::Text(v)));
        [
            text("id", &self.id),
            Some(("quote", NewValue::Text(self.quote.clone()))),
            text("prefix", &self.prefix),
            text("suffix", &self.suffix),
            self.occurrence.map(|n| ("occurrence", NewValue::Number(n as u64))),
            text("term", &self.term),
            text("gloss", &self.gloss),
            text("see", &self.see),
            text("note", &self.note),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// Why nothing was written.
#[derive(Debug)]
pub enum Refusal {
    /// The request itself is wrong (no such document, nothing to say): exit 2.
    Usage(String),
    /// Errors about the content, as `check` reports them (and the warnings about the new
    /// item): exit 1.
    Diagnostics(Vec<Diagnostic>),
    /// The site does not check with the new item: every error, and the warnings about the
    /// item, which stands at `lines` of the sidecar's text that was not written: exit 1.
    Check {
        diagnostics: Vec<Diagnostic>,
        sidecar: PathBuf,
        lines: Range<usize>,
    },
    /// A disk error.
    Fatal(Fatal),
}

impl From<Fatal> for Refusal {
    fn from(f: Fatal) -> Refusal {
        Refusal::Fatal(f)
    }
}

/// A new item, ready to be checked and written.
#[derive(Debug)]
pub struct Plan {
    pub document: PathBuf,
    pub sidecar: PathBuf,
    /// The sidecar's new text.
    pub text: String,
    /// The bytes of the new item in [`Plan::text`], and the lines it spans (1-based, end
    /// excluded).
    pub item: Range<usize>,
    pub lines: Range<usize>,
    /// The item's id: given, or the default of its place (the last item's, for several).
    pub id: String,
    /// Each item's id, in order ([`plan_items`]).
    pub ids: Vec<String>,
    /// The sidecar's bytes as [`plan`] read them (`None`: there was no sidecar), and the
    /// document's: [`commit`] writes only if both are still so.
    read: Option<Vec<u8>>,
    document_read: Vec<u8>,
}

impl Plan {
    /// Whether the commit creates the sidecar (there was none when [`plan`] read).
    pub fn creates(&self) -> bool {
        self.read.is_none()
    }
}

/// What was written.
#[derive(Debug)]
pub struct Added {
    pub sidecar: PathBuf,
    /// The sidecar did not exist before.
    pub created: bool,
    pub id: String,
    /// The line of the sidecar on which the new item starts.
    pub line: usize,
    /// Warnings about the new item (a quote matched only after folding whitespace or quotation
    /// marks).
    pub warnings: Vec<Diagnostic>,
}

/// All three steps: plan, check, commit.
pub fn add(opts: &BuildOptions, request: &Request) -> Result<Added, Refusal> {
    let plan = plan(&opts.root, request)?;
    let warnings = check(opts, &plan)?;
    commit(&plan)?;
    Ok(Added {
        sidecar: plan.sidecar.clone(),
        created: plan.read.is_none(),
        id: plan.id.clone(),
        line: plan.lines.start,
        warnings,
    })
}

/// Step 1: the sidecar's new text (see the module's documentation).
pub fn plan(root: &Path, request: &Request) -> Result<Plan, Refusal> {
    plan_items(root, &request.document, std::slice::from_ref(request))
}

/// Step 1 for several items of one document (`glossa import`): each appended after the one
/// before, as [`plan`] appends one; the plan's `item` and `lines` span them all, and `ids`
/// holds each one's id. Every request must say something (as for [`plan`]); `document` is
/// the one whose sidecar takes them.
pub fn plan_items(root: &Path, document: &Path, requests: &[Request]) -> Result<Plan, Refusal> {
    if requests
        .iter()
        .any(|r| [&r.note, &r.gloss, &r.term, &r.see].iter().all(|v| v.is_none()))
    {
        return Err(Refusal::Usage(
            "an annotation says something about its quote: give at least one of --note, --gloss, --term and --see"
                .into(),
        ));
    }
    let (document, sidecar) = locate(root, document)?;
    let document_read =
        std::fs::read(&document).map_err(|e| Fatal(format!("cannot read {}: {e}", document.display())))?;
    let read = match std::fs::read(&sidecar) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Fatal(format!("cannot read {}: {e}", sidecar.display())).into()),
    };
    let mut text = match &read {
        Some(bytes) => existing_text(bytes, &sidecar)?,
        None => schema_line(root, &sidecar),
    };
    let mut ids = Vec::with_capacity(requests.len());
    let mut span: Option<(Range<usize>, Range<usize>)> = None;
    for request in requests {
        let appended = crate::yamledit::append_item(&text, &["annotations".into()], &request.entries())
            .map_err(|e| refused_edit(&text, &sidecar, e))?;
        ids.push(match &request.id {
            Some(id) => id.clone(),
            None => format!("a-{}", annotation_count(&appended.text)),
        });
        let end_line = appended.line + appended.text[appended.item.clone()].matches('\n').count() + 1;
        span = Some(match span {
            Some((item, lines)) => (item.start..appended.item.end, lines.start..end_line),
            None => (appended.item.clone(), appended.line..end_line),
        });
        text = appended.text;
    }
    let (item, lines) = span.unwrap_or((text.len()..text.len(), 1..1));
    Ok(Plan {
        document,
        sidecar,
        item,
        lines,
        text,
        id: ids.last().cloned().unwrap_or_default(),
        ids,
        read,
        document_read,
    })
}

/// Step 2: every check of `glossa check` on the site with the new text in place of the
/// sidecar. Any error refuses the item (with every error and the warnings about the item);
/// otherwise the warnings about the new item.
pub fn check(opts: &BuildOptions, plan: &Plan) -> Result<Vec<Diagnostic>, Refusal> {
    check_with_glossary(opts, plan, None)
}

/// [`check`], with a glossary file's new text (`path`, `text`) in place too: `serve`'s editor
/// adds a glossary entry and the item that names it, and checks both before it writes either.
pub fn check_with_glossary(
    opts: &BuildOptions,
    plan: &Plan,
    glossary: Option<(&Path, &str)>,
) -> Result<Vec<Diagnostic>, Refusal> {
    let overlay = crate::load::Overlay {
        document: plan.document.clone(),
        sidecar: plan.sidecar.clone(),
        text: plan.text.clone(),
        glossary: glossary.map(|(p, t)| (p.to_path_buf(), t.to_owned())),
    };
    let outcome = crate::check_with(opts, Some(&overlay))?;
    judge(plan, outcome)
}

/// The verdict on a check's `outcome` of the site with `plan`'s text in place (however it was
/// checked: in full, or by `serve` for the one document): the refusal with every error, or the
/// warnings about the item.
pub fn judge(plan: &Plan, outcome: crate::Outcome) -> Result<Vec<Diagnostic>, Refusal> {
    let about_item = |d: &Diagnostic| d.path == plan.sidecar && d.line.is_some_and(|l| plan.lines.contains(&l));
    let failed = outcome.has_errors();
    let kept: Vec<Diagnostic> = outcome
        .diagnostics
        .into_iter()
        .filter(|d| d.is_error() || (d.severity == Severity::Warning && about_item(d)))
        .collect();
    if failed {
        return Err(Refusal::Check {
            diagnostics: kept,
            sidecar: plan.sidecar.clone(),
            lines: plan.lines.clone(),
        });
    }
    Ok(kept)
}

/// What a change to an existing sidecar makes of its text (`serve`'s Edit and Delete): the new
/// text, the lines of the changed item in it (empty for a removed one), and its id.
#[derive(Debug)]
pub struct Rewritten {
    pub text: String,
    pub lines: Range<usize>,
    pub id: String,
}

/// Step 1 for a change to an item that is there: the sidecar's new text made by `rewrite` from
/// its text as it is on the disk, to be checked and committed as a new item is.
pub fn plan_rewrite(
    root: &Path,
    document: &Path,
    rewrite: impl FnOnce(&str) -> Result<Rewritten, Refusal>,
) -> Result<Plan, Refusal> {
    let (document, sidecar) = locate(root, document)?;
    let document_read =
        std::fs::read(&document).map_err(|e| Fatal(format!("cannot read {}: {e}", document.display())))?;
    let read = std::fs::read(&sidecar).map_err(|e| Fatal(format!("cannot read {}: {e}", sidecar.display())))?;
    let source = existing_text(&read, &sidecar)?;
    let Rewritten { text, lines, id } = rewrite(&source)?;
    Ok(Plan {
        document,
        sidecar,
        item: 0..0,
        lines,
        text,
        ids: vec![id.clone()],
        id,
        read: Some(read),
        document_read,
    })
}

/// Step 3: writes the new text, in one step, if the sidecar and the document are still as
/// [`plan`] read them: a new sidecar is created only if none appeared meanwhile, an existing
/// one replaced only if its bytes are the same. (Between that comparison and the rename that
/// replaces the file there is a moment in which another writer is not noticed.)
pub fn commit(plan: &Plan) -> Result<(), Refusal> {
    let now = match std::fs::read(&plan.sidecar) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(Fatal(format!("cannot read {}: {e}", plan.sidecar.display())).into()),
    };
    let document_now = std::fs::read(&plan.document).ok();
    if now != plan.read {
        return Err(changed(&plan.sidecar));
    }
    if document_now.as_ref() != Some(&plan.document_read) {
        return Err(changed(&plan.document));
    }
    let written = match plan.read {
        Some(_) => crate::write::replace_file(&plan.sidecar, plan.text.as_bytes()),
        None => crate::write::create_file(&plan.sidecar, plan.text.as_bytes()),
    };
    match written {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(changed(&plan.sidecar)),
        Err(e) => Err(Fatal(format!("cannot write {}: {e}", plan.sidecar.display())).into()),
    }
}

fn changed(path: &Path) -> Refusal {
    Refusal::Diagnostics(vec![
        Diagnostic::error(
            Code::ChangedSinceRead,
            path,
            "the file changed since `glossa add` read it; nothing was written",
        )
        .hint("run the command again"),
    ])
}

/// The document `document` names, as the site's discovery knows it, and its sidecar's path.
fn locate(root: &Path, document: &Path) -> Result<(PathBuf, PathBuf), Refusal> {
    let not_a_document = || {
        Refusal::Usage(format!(
            "{} is not a document of the site in {}: documents are the .txt and .md files under seeds/",
            document.display(),
            root.display()
        ))
    };
    let given = [root.join(document), document.to_path_buf()]
        .into_iter()
        .find(|p| p.is_file())
        .ok_or_else(not_a_document)?;
    let wanted = std::fs::canonicalize(&given).map_err(|_| not_a_document())?;
    let documents = crate::discover::documents(root, &mut Vec::new());
    let same = |p: &Path| std::fs::canonicalize(p).is_ok_and(|c| c == wanted);
    let (path, sidecar) = documents.iter().find(|(p, _)| same(p)).ok_or_else(not_a_document)?;
    if let Some(sidecar) = sidecar {
        return Ok((path.clone(), sidecar.clone()));
    }
    let sidecar = path.with_extension("yaml");
    let stem = path.with_extension("");
    let others: Vec<&PathBuf> = documents
        .iter()
        .map(|(p, _)| p)
        .filter(|p| *p != path && p.with_extension("") == stem)
        .collect();
    if !others.is_empty() || sidecar.exists() {
        let names = std::iter::once(path)
            .chain(others)
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(" and ");
        return Err(Refusal::Diagnostics(vec![
            Diagnostic::error(
                Code::AmbiguousSidecar,
                &sidecar,
                "this sidecar could belong to more than one document",
            )
            .hint(format!("{names} share its stem; rename one")),
        ]));
    }
    Ok((path.clone(), sidecar))
}

/// A sidecar's text as it is on the disk (line endings and a byte-order mark kept), or the
/// error `check` gives for a file that is not UTF-8 or nests too deeply.
fn existing_text(bytes: &[u8], path: &Path) -> Result<String, Refusal> {
    let decoded = crate::parse::document::decode(bytes.to_vec(), path).map_err(|d| Refusal::Diagnostics(vec![d]))?;
    if let Some(d) = crate::yaml::nesting::nesting_error(&decoded, path) {
        return Err(Refusal::Diagnostics(vec![d]));
    }
    String::from_utf8(bytes.to_vec()).map_err(|_| Fatal(format!("{} is not UTF-8", path.display())).into())
}

/// The first line of a new sidecar: the schema its editor checks it with, as `glossa new`
/// writes it, relative to the sidecar's folder (`../schema/…` for `seeds/x.yaml`).
fn schema_line(root: &Path, sidecar: &Path) -> String {
    let depth = sidecar
        .strip_prefix(root)
        .map_or(1, |rel| rel.components().count().saturating_sub(1));
    format!(
        "# yaml-language-server: $schema={}schema/sidecar.schema.json\n",
        "../".repeat(depth)
    )
}

/// How many items the sidecar's `annotations` has.
fn annotation_count(text: &str) -> usize {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_yaml::from_str::<serde_yaml::Value>(text)
        .ok()
        .and_then(|v| v.get("annotations").and_then(|a| a.as_sequence()).map(Vec::len))
        .unwrap_or(0)
}

/// A sidecar the item cannot be appended to: the YAML error as `check` reports it, or why the
/// editor refused.
fn refused_edit(source: &str, path: &Path, e: EditError) -> Refusal {
    let decoded = source.strip_prefix('\u{feff}').unwrap_or(source).replace("\r\n", "\n");
    let yaml_error = match &e {
        EditError::NotYaml(_) => crate::yaml::from_yaml::<crate::parse::sidecar::RawMeta>(&decoded, path).err(),
        _ => None,
    };
    let d = yaml_error.unwrap_or_else(|| {
        Diagnostic::error(
            Code::SidecarNotEditable,
            path,
            format!("cannot add an annotation to this sidecar: {e}"),
        )
        .hint("add the annotation by hand, or write the file's `annotations` as a plain list")
    });
    Refusal::Diagnostics(vec![d])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (tempfile::TempDir, BuildOptions) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("seeds")).unwrap();
        std::fs::write(dir.path().join("seeds/a.txt"), "Titel\n\nDer Hund bellt.\n").unwrap();
        std::fs::write(dir.path().join("seeds/a.yaml"), "annotations: []\n").unwrap();
        let opts = BuildOptions {
            root: dir.path().to_path_buf(),
            ..Default::default()
        };
        (dir, opts)
    }

    fn request() -> Request {
        Request {
            document: "seeds/a.txt".into(),
            quote: "Hund".into(),
            gloss: Some("dog".into()),
            ..Default::default()
        }
    }

    /// A sidecar written between the plan and the commit is not overwritten.
    #[test]
    fn a_sidecar_changed_after_it_was_read_is_not_written() {
        let (dir, opts) = site();
        let plan = plan(&opts.root, &request()).unwrap();
        check(&opts, &plan).unwrap();
        let sidecar = dir.path().join("seeds/a.yaml");
        std::fs::write(&sidecar, "annotations: []  # edited meanwhile\n").unwrap();
        let Err(Refusal::Diagnostics(d)) = commit(&plan) else {
            panic!("the commit should be refused")
        };
        assert!(d[0].message.contains("changed since"), "{d:?}");
        assert_eq!(
            std::fs::read_to_string(&sidecar).unwrap(),
            "annotations: []  # edited meanwhile\n"
        );
    }

    /// A sidecar created by someone else between the plan and the commit is not replaced, nor
    /// is anything written when the document changed.
    #[test]
    fn a_sidecar_created_or_a_document_edited_meanwhile_stops_the_commit() {
        let (dir, opts) = site();
        let sidecar = dir.path().join("seeds/a.yaml");
        std::fs::remove_file(&sidecar).unwrap();
        let plan = plan(&opts.root, &request()).unwrap();
        assert!(
            plan.text
                .starts_with("# yaml-language-server: $schema=../schema/sidecar.schema.json\n")
        );
        std::fs::write(&sidecar, "title: Mine\n").unwrap();
        assert!(matches!(commit(&plan), Err(Refusal::Diagnostics(_))));
        assert_eq!(std::fs::read_to_string(&sidecar).unwrap(), "title: Mine\n");
        std::fs::remove_file(&sidecar).unwrap();
        std::fs::write(dir.path().join("seeds/a.txt"), "Titel\n\nDie Katze.\n").unwrap();
        assert!(matches!(commit(&plan), Err(Refusal::Diagnostics(_))));
        assert!(!sidecar.exists());
    }
}
