//! glossa: a static site generator for annotated reading.
//!
//! Source texts stay pristine in `seeds/`; what readers should know about them lives in YAML
//! sidecars that quote the passages they annotate. A build runs one pipeline:
//!
//! ```text
//! config → discover → parse → resolve → render → write
//! ```
//!
//! [`config`] reads site.yaml, [`discover`] finds the files, [`parse`] turns texts and YAML into
//! a document model, [`resolve`] anchors quotes, finds glossary occurrences and checks links,
//! [`render`] produces HTML through the theme, and [`write`] swaps the result in atomically.
//! Only `config`, `discover` and `write` touch the disk (and `load`, which reads the files
//! `discover` found). Problems with the content are [`diagnostics::Diagnostic`]s, collected
//! across the whole run.

// A Diagnostic is large, but errors are the cold path: boxing them would only add noise.
#![allow(clippy::result_large_err)]

pub mod config;
pub mod diagnostics;
pub mod discover;
pub mod fix;
pub mod parse;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod slug;
pub mod write;

use diagnostics::Diagnostic;
use parse::document::{ParseOptions, decode, parse_document};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Clone, Debug, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides site.yaml's `output`.
    pub out: Option<PathBuf>,
    pub drafts: bool,
    /// Overrides site.yaml's `base_url`.
    pub base_url: Option<String>,
    /// Warn that sitemap.xml is left out when there is no base URL (build, not check).
    pub warn_sitemap: bool,
}

/// What a run found: every diagnostic, and the summary when it got that far.
#[derive(Debug, Default)]
pub struct Outcome {
    pub diagnostics: Vec<Diagnostic>,
    pub summary: Option<Summary>,
}

impl Outcome {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

#[derive(Debug)]
pub struct Summary {
    pub documents: usize,
    pub notes: usize,
    pub entries: usize,
    pub occurrences: usize,
    pub pages: usize,
    pub seconds: f64,
    pub out: PathBuf,
}

/// A failure that is not about content: a disk error or a broken template.
#[derive(Debug)]
pub struct Fatal(pub String);

impl std::fmt::Display for Fatal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Everything up to and including resolve: what `build` and `check` share.
pub fn load(opts: &BuildOptions, diags: &mut Vec<Diagnostic>) -> Result<Option<resolve::Site>, Fatal> {
    let root = &opts.root;
    let (mut config, d) = config::load(root).map_err(|e| Fatal(format!("cannot read content/site.yaml: {e}")))?;
    diags.extend(d);
    if let Some(url) = &opts.base_url {
        config.base_url = Some(if url.ends_with('/') {
            url.clone()
        } else {
            format!("{url}/")
        });
    }
    let found = discover::discover(root, diags);
    if found.documents.is_empty() {
        diags.push(
            Diagnostic::error(
                root.join("seeds"),
                "no documents: there is no .txt or .md file under seeds/",
            )
            .hint("add a text, e.g. seeds/erlkoenig.txt, or create a site with `glossa new DIR`"),
        );
        return Ok(None);
    }
    let opts_parse = ParseOptions {
        smart_punctuation: config.smart_punctuation,
    };
    let read = |p: &Path| std::fs::read(p).map_err(|e| Fatal(format!("cannot read {}: {e}", p.display())));
    // Each document is read and parsed on its own, in parallel; results keep discovery order.
    type Parsed = Result<(Option<parse::Document>, Vec<Diagnostic>), Fatal>;
    let parsed: Vec<Parsed> = found
        .documents
        .par_iter()
        .map(|(path, sidecar)| {
            let mut diags = Vec::new();
            let doc = read_document(path, sidecar.as_deref(), &read, &opts_parse, &mut diags)?;
            Ok((doc.filter(|d| !d.meta.draft || opts.drafts), diags))
        })
        .collect();
    let mut docs = Vec::with_capacity(parsed.len());
    for result in parsed {
        let (doc, d) = result?;
        diags.extend(d);
        docs.extend(doc);
    }
    let mut pages = Vec::new();
    for path in &found.pages {
        match decode(read(path)?, path) {
            Ok(text) => pages
                .extend(parse_document(path, text, None, &opts_parse, diags).filter(|p| !p.meta.draft || opts.drafts)),
            Err(d) => diags.push(d),
        }
    }
    let mut entries = Vec::new();
    for path in &found.glossary {
        match decode(read(path)?, path) {
            Ok(text) => entries.extend(parse::glossary::parse_glossary(&text, path, diags)),
            Err(d) => diags.push(d),
        }
    }
    let site = resolve::resolve(root, config, docs, pages, entries, diags);
    if site.config.base_url.is_none() && opts.warn_sitemap {
        diags.push(
            Diagnostic::warning(
                root.join("content").join("site.yaml"),
                "no `base_url`: sitemap.xml is left out",
            )
            .hint("set `base_url` in site.yaml or pass --base-url"),
        );
    }
    Ok(Some(site))
}

/// Reads and parses one document and its sidecar; `None` (with a diagnostic) when a file is
/// not UTF-8 or the document cannot be built.
fn read_document(
    path: &Path,
    sidecar: Option<&Path>,
    read: &(dyn Fn(&Path) -> Result<Vec<u8>, Fatal> + Sync),
    opts: &ParseOptions,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<parse::Document>, Fatal> {
    let text = match decode(read(path)?, path) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return Ok(None);
        }
    };
    let side = match sidecar {
        Some(s) => match decode(read(s)?, s) {
            Ok(t) => Some((s, t)),
            Err(d) => {
                diags.push(d);
                return Ok(None);
            }
        },
        None => None,
    };
    Ok(parse_document(path, text, side, opts, diags))
}

/// `glossa build`: load, then render into a staging folder swapped in on success.
pub fn build(opts: &BuildOptions) -> Result<Outcome, Fatal> {
    let start = Instant::now();
    let mut outcome = Outcome::default();
    let site = load(opts, &mut outcome.diagnostics)?;
    // The theme's problems are reported with the content's, in one run.
    let theme = site.as_ref().and_then(|site| load_theme(opts, site, &mut outcome));
    diagnostics::sort(&mut outcome.diagnostics);
    let (Some(site), Some(theme)) = (site, theme) else {
        return Ok(outcome);
    };
    if outcome.has_errors() {
        return Ok(outcome);
    }
    let out = match &opts.out {
        Some(o) if o.is_absolute() => o.clone(),
        Some(o) => std::env::current_dir().map(|d| d.join(o)).unwrap_or_else(|_| o.clone()),
        None => opts.root.join(&site.config.output),
    };
    if let Some(reason) = unsafe_output(&opts.root, &out) {
        outcome.diagnostics.push(
            Diagnostic::error(opts.root.join("content").join("site.yaml"), reason)
                .hint("the output folder is replaced on every build: point `output` or --out at a folder of its own, such as `public`"),
        );
        return Ok(outcome);
    }
    let mut staging = write::Staging::new(&out).map_err(|e| {
        Fatal(format!(
            "cannot create the staging folder beside {}: {e}",
            out.display()
        ))
    })?;
    let stats = match render::render_site(&site, &theme, &staging) {
        Ok(stats) => stats,
        Err(e) => return render_failure(opts, &theme, e, outcome),
    };
    // Only content/static is walked again: not the whole site, and without its warnings.
    for (rel, path) in &discover::static_files(&opts.root) {
        staging
            .copy(rel, path)
            .map_err(|e| Fatal(format!("cannot copy {}: {e}", path.display())))?;
    }
    staging
        .commit(&out)
        .map_err(|e| Fatal(format!("cannot move the new site into {}: {e}", out.display())))?;
    outcome.summary = Some(Summary {
        documents: site.docs.len(),
        notes: stats.notes,
        entries: site.entries.len(),
        occurrences: stats.occurrences,
        pages: stats.pages,
        seconds: start.elapsed().as_secs_f64(),
        out,
    });
    Ok(outcome)
}

/// Why `out` must not be the output folder, if it must not: the build replaces it whole, so it
/// may not be the site itself, hold it, or lie in the folders the site is made of.
fn unsafe_output(root: &Path, out: &Path) -> Option<String> {
    // The output may not exist yet: resolve its nearest existing ancestor.
    let canon = |p: &Path| {
        let mut rest = Vec::new();
        let mut at = p;
        loop {
            if let Ok(c) = std::fs::canonicalize(at) {
                return Some(rest.iter().rev().fold(c, |acc: PathBuf, part| acc.join(part)));
            }
            rest.push(at.file_name()?.to_owned());
            at = at.parent()?;
        }
    };
    let (root, out) = (canon(root)?, canon(out)?);
    if root.starts_with(&out) {
        return Some(format!(
            "the output folder {} is the site's folder or holds it",
            out.display()
        ));
    }
    for part in ["seeds", "content", "themes"] {
        if out.starts_with(root.join(part)) {
            return Some(format!("the output folder {} lies inside {part}/", out.display()));
        }
    }
    None
}

/// The theme along its `extends:` chain, or `None` with diagnostics (an unknown theme, a bad
/// theme.yaml or i18n file, a template that does not compile).
fn load_theme(opts: &BuildOptions, site: &resolve::Site, outcome: &mut Outcome) -> Option<render::theme::Theme> {
    render::theme::load(
        &opts.root,
        &site.config.theme,
        &site.config.lang,
        &mut outcome.diagnostics,
    )
}

fn render_failure(
    opts: &BuildOptions,
    theme: &render::theme::Theme,
    e: render::RenderError,
    mut outcome: Outcome,
) -> Result<Outcome, Fatal> {
    match e {
        render::RenderError::Template(text) => {
            outcome.diagnostics.push(theme.template_diagnostic(&opts.root, &text));
            Ok(outcome)
        }
        render::RenderError::Io(e) => Err(Fatal(format!("cannot write the site: {e}"))),
    }
}

/// `glossa check`: every check of `build`, including rendering, without writing.
pub fn check(opts: &BuildOptions) -> Result<Outcome, Fatal> {
    let mut outcome = Outcome::default();
    let site = load(opts, &mut outcome.diagnostics)?;
    let theme = site.as_ref().and_then(|site| load_theme(opts, site, &mut outcome));
    diagnostics::sort(&mut outcome.diagnostics);
    if let (Some(site), Some(theme)) = (site, theme)
        && !outcome.has_errors()
        && let Err(e) = render::render_site(&site, &theme, &write::Discard)
    {
        return render_failure(opts, &theme, e, outcome);
    }
    Ok(outcome)
}
