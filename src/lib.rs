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

/// mimalloc: the build allocates and frees many small strings from two threads at once, which
/// it does with about half the instructions of the system allocator and less fragmentation
/// (a flatter peak memory). Version 2 (Cargo.toml says why).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Tells the allocator to keep the memory the process frees instead of handing it back to the
/// system 10 ms later, as it does by default. A build frees and allocates again all the time
/// (each chunk of pages, each document's events): handed back, that memory is faulted in and
/// zeroed again by the kernel, 2–3 % of a build's time at 10,000 documents (bench/RESULTS.md)
/// for about 6 % more peak memory. For the commands that run once and exit; `serve` keeps the
/// default, so that memory goes back to the system while it waits for edits. Call it first
/// thing, before any other thread runs.
pub fn keep_freed_memory() {
    /// `mi_option_purge_delay` in mimalloc 2's mimalloc.h (the sys crate does not name it):
    /// milliseconds before freed memory is purged, -1 for never.
    const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: a plain store into mimalloc's table of options, which it reads when it purges;
    // no other thread runs yet to read it at the same time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
}

/// Hash maps and sets keyed by the build's own values (ids, offsets, words), hashed with
/// foldhash, fixed-seeded: several times faster than the standard SipHash on short keys, and
/// the same from run to run.
pub type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::FixedState>;
/// See [`FastMap`].
pub type FastSet<K> = std::collections::HashSet<K, foldhash::fast::FixedState>;

mod concat;
pub mod config;
pub mod diagnostics;
pub mod discover;
pub mod fix;
pub mod output;
pub mod parse;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod slug;
pub mod write;
pub mod yamledit;

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
    /// Replace an output folder that is not empty although glossa did not build it.
    pub force: bool,
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
    load_site(opts, false, diags)
}

/// [`load`]; with `compact`, each document keeps only what rendering cannot make again
/// ([`resolve::ResolvedDoc::compact`]), so that memory stays flat on large sites.
fn load_site(opts: &BuildOptions, compact: bool, diags: &mut Vec<Diagnostic>) -> Result<Option<resolve::Site>, Fatal> {
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
    let read = |p: &Path| std::fs::read(p).map_err(|e| Fatal(format!("cannot read {}: {e}", p.display())));
    // The glossary first: every document is resolved against it as soon as it is parsed. It is
    // read while seeds/ is walked.
    let ((documents, walk_diags), glossary) = rayon::join(
        || {
            let mut diags = Vec::new();
            (discover::documents(root, &mut diags), diags)
        },
        || -> Result<_, Fatal> {
            let mut diags = Vec::new();
            let found = discover::content(root, &mut diags);
            let mut entries = Vec::new();
            for path in &found.glossary {
                match decode(read(path)?, path) {
                    Ok(text) => entries.extend(parse::glossary::parse_glossary(&text, path, &mut diags)),
                    Err(d) => diags.push(d),
                }
            }
            let glossary = resolve::Glossary::new(&entries);
            Ok((found, entries, glossary, diags))
        },
    );
    diags.extend(walk_diags);
    if documents.is_empty() {
        diags.push(
            Diagnostic::error(
                root.join("seeds"),
                "no documents: there is no .txt or .md file under seeds/",
            )
            .hint("add a text, e.g. seeds/erlkoenig.txt, or create a site with `glossa new DIR`"),
        );
        return Ok(None);
    }
    let (found, entries, glossary, glossary_diags) = glossary?;
    diags.extend(glossary_diags);
    let opts_parse = ParseOptions {
        smart_punctuation: config.smart_punctuation,
    };
    // Each document is read, parsed and resolved on its own, in parallel; results keep
    // discovery order, and the site-wide checks come after.
    type Loaded = Result<(Option<resolve::ResolvedDoc>, Vec<Diagnostic>), Fatal>;
    let loaded: Vec<Loaded> = documents
        .par_iter()
        .map(|(path, sidecar)| {
            let mut diags = Vec::new();
            let doc = read_document(path, sidecar.as_deref(), &read, &opts_parse, &mut diags)?
                .filter(|d| !d.meta.draft || opts.drafts)
                .map(|doc| {
                    let mut rd = resolve::resolve_doc(doc, &config, &entries, &glossary, &mut diags);
                    if compact {
                        rd.compact();
                    }
                    rd
                });
            Ok((doc, diags))
        })
        .collect();
    let mut docs = Vec::with_capacity(loaded.len());
    for result in loaded {
        let (doc, d) = result?;
        diags.extend(d);
        docs.extend(doc);
    }
    let no_glossary = resolve::Glossary::new(&[]);
    let mut pages = Vec::new();
    for path in &found.pages {
        match decode(read(path)?, path) {
            Ok(text) => pages.extend(
                parse_document(path, text, None, &opts_parse, diags)
                    .filter(|p| !p.meta.draft || opts.drafts)
                    .map(|p| resolve::resolve_doc(p, &config, &[], &no_glossary, diags)),
            ),
            Err(d) => diags.push(d),
        }
    }
    let site = resolve::resolve(root, config, docs, pages, entries, glossary, diags);
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
    build_site(opts, false).map(|(outcome, _)| outcome)
}

/// [`build`]; with `keep`, a successful build also returns the site it built ([`Built`]), for
/// `serve` to render again only what an edit can change.
pub fn build_site(opts: &BuildOptions, keep: bool) -> Result<(Outcome, Option<Built>), Fatal> {
    let start = Instant::now();
    let mut outcome = Outcome::default();
    let site = load_site(opts, true, &mut outcome.diagnostics)?;
    // The theme's problems are reported with the content's, in one run.
    let theme = site.as_ref().and_then(|site| load_theme(opts, site, &mut outcome));
    diagnostics::sort(&mut outcome.diagnostics);
    let (Some(mut site), Some(theme)) = (site, theme) else {
        return Ok((outcome, None));
    };
    if !keep {
        site.forget_links();
    }
    let plan = output::Plan::new(&opts.root, opts.out.as_deref(), &site.config.output, opts.force);
    let refused = plan.check().err();
    if outcome.has_errors() || refused.is_some() {
        // Still, what a killed build left beside an allowed output folder is tidied up.
        if refused.is_none() && plan.out.parent().is_some_and(Path::is_dir) {
            let _ = write::claim(&plan.out, &mut outcome.diagnostics);
        }
        outcome.diagnostics.extend(refused);
        return Ok((outcome, None));
    }
    let out = match plan.prepare() {
        Ok(out) => out,
        Err(refused) => {
            outcome.diagnostics.push(refused);
            return Ok((outcome, None));
        }
    };
    // Held until this function returns: no other build writes beside `out` meanwhile.
    let _lock = write::claim(&out, &mut outcome.diagnostics).map_err(Fatal)?;
    let mut staging = write::Staging::new(&out).map_err(|e| {
        Fatal(format!(
            "cannot create the staging folder beside {}: {e}",
            out.display()
        ))
    })?;
    let stats = match render::render_site(&site, &theme, &staging) {
        Ok(stats) => stats,
        Err(e) => return render_failure(opts, &theme, e, outcome).map(|o| (o, None)),
    };
    // Only content/static is walked again: not the whole site, and without its warnings.
    for (rel, path) in &discover::static_files(&opts.root, &mut Vec::new()) {
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
        out: plan.out.clone(),
    });
    if !keep {
        // A large site is millions of small allocations, a tenth of a second to free at 10,000
        // documents: that happens beside the caller, which usually just exits.
        std::thread::spawn(move || drop((site, theme)));
        return Ok((outcome, None));
    }
    Ok((outcome, Some(Built { site, theme, out })))
}

/// A site built and kept in memory ([`build_site`] with `keep`): what it was made from, the
/// theme it was rendered with, and the output folder it went into. `serve` renders pages of it
/// again after an edit ([`reload_document`], [`resolve::Site::relink_edited`], [`render_into`]).
pub struct Built {
    pub site: resolve::Site,
    pub theme: render::theme::Theme,
    pub out: PathBuf,
}

/// Reads, parses and resolves one document again, as [`load`] does, against `site`'s
/// configuration and glossary, and compacts it as `build` does. `None` (with a diagnostic)
/// when a file is not UTF-8 or the document cannot be built. Drafts are not left out: whether
/// the edit changes the site's set of pages is for the caller to judge.
pub fn reload_document(
    site: &resolve::Site,
    path: &Path,
    sidecar: Option<&Path>,
    diags: &mut Vec<Diagnostic>,
) -> Result<Option<resolve::ResolvedDoc>, Fatal> {
    let opts = ParseOptions {
        smart_punctuation: site.config.smart_punctuation,
    };
    let read = |p: &Path| std::fs::read(p).map_err(|e| Fatal(format!("cannot read {}: {e}", p.display())));
    let Some(doc) = read_document(path, sidecar, &read, &opts, diags)? else {
        return Ok(None);
    };
    let mut rd = resolve::resolve_doc(doc, &site.config, &site.entries, &site.glossary, diags);
    rd.compact();
    Ok(Some(rd))
}

/// Renders `built` into `sink`, as `build` does; a broken template or a document that changed
/// since it was read is a diagnostic in `outcome` (and `None`).
pub fn render_into(
    opts: &BuildOptions,
    built: &Built,
    sink: &dyn render::Sink,
    outcome: &mut Outcome,
) -> Result<Option<render::Stats>, Fatal> {
    match render::render_site(&built.site, &built.theme, sink) {
        Ok(stats) => Ok(Some(stats)),
        Err(e) => {
            let failed = render_failure(opts, &built.theme, e, std::mem::take(outcome))?;
            *outcome = failed;
            Ok(None)
        }
    }
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
        render::RenderError::Changed(c) => {
            outcome.diagnostics.push(
                Diagnostic::error(&c.path, format!("cannot render this document: {}", c.reason))
                    .hint("build again once the file is saved"),
            );
            Ok(outcome)
        }
    }
}

/// `glossa check`: every check of `build`, including rendering, without writing.
pub fn check(opts: &BuildOptions) -> Result<Outcome, Fatal> {
    let mut outcome = Outcome::default();
    // Compacted, as `build` loads: the whole site's events would take about four times the
    // memory of a build (nearly 1 GB for the 10,000-document benchmark).
    let site = load_site(opts, true, &mut outcome.diagnostics)?;
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
