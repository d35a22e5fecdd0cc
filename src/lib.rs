//! glossa: a static site generator for annotated reading.
//!
//! Source texts stay pristine in `seeds/`; what readers should know about them lives in YAML
//! sidecars that quote the passages they annotate. A build runs one pipeline:
//!
//! ```text
//! config → discover → parse → resolve → render → write
//! ```
//!
//! [`config`] reads site.yaml, `discover` finds the files, [`parse`] turns texts and YAML into
//! a document model, [`resolve`] anchors quotes, finds glossary occurrences and checks links,
//! [`render`] produces HTML through the theme, and `write` swaps the result in atomically.
//! Only the edges touch the disk: `config`, `discover`, `load` (which reads the files
//! `discover` found, and a document's file again when its page renders), `theme` and `write`. Problems with the content are [`diagnostics::Diagnostic`]s, collected
//! across the whole run.

// A Diagnostic is large, but errors are the cold path: boxing them would only add noise.
#![allow(clippy::result_large_err)]
// Without `serve`, the parts of the pipeline only it calls (a document read again, the sink
// that writes only changed pages) go unused: they stay compiled, and the default build, which
// uses them all, is the one whose dead code the lints report.
#![cfg_attr(not(feature = "serve"), allow(dead_code))]

pub mod add;
mod book;
mod concat;
pub mod config;
pub mod diagnostics;
mod discover;
pub mod fix;
mod hash;
mod layout;
mod load;
mod markdown;
mod output;
pub mod parse;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod schema;
// Only with the `serve` feature (a default one): see Cargo.toml.
#[cfg(feature = "serve")]
pub mod serve;
mod site_files;
mod slug;
mod text;
pub mod theme;
mod write;
pub mod yaml;
pub mod yamledit;

pub use book::epub;
use diagnostics::Diagnostic;
use load::Reload;
pub use load::load;
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

/// `glossa build`: load, then render into a staging folder swapped in on success.
pub fn build(opts: &BuildOptions) -> Result<Outcome, Fatal> {
    build_site(opts, Keep::Nothing).map(|(outcome, _)| outcome)
}

/// What a build keeps once its files are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keep {
    /// Nothing: the site is dropped (beside the caller, which usually just exits).
    Nothing,
    /// The site it built ([`Built`]), for `serve` to render again only what an edit can change.
    Site,
}

/// [`build`], keeping what `keep` says: a successful build with [`Keep::Site`] also returns
/// the site it built.
pub fn build_site(opts: &BuildOptions, keep: Keep) -> Result<(Outcome, Option<Built>), Fatal> {
    let start = Instant::now();
    let mut outcome = Outcome::default();
    let site = load(opts, &mut outcome.diagnostics)?;
    // The theme's problems are reported with the content's, in one run.
    let theme = site.as_ref().and_then(|site| load_theme(opts, site, &mut outcome));
    diagnostics::sort(&mut outcome.diagnostics);
    let (Some(mut site), Some(theme)) = (site, theme) else {
        return Ok((outcome, None));
    };
    if keep == Keep::Nothing {
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
    let statics = load::StaticDir::new(&opts.root);
    let stats = match render::render_site_and_book(&site, &Reload::new(&site.config), &theme, &statics, &staging) {
        Ok(stats) => stats,
        Err(e) => return render_failure(opts, &theme, e, outcome).map(|o| (o, None)),
    };
    copy_static(opts, &theme, &mut staging)?;
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
    if keep == Keep::Nothing {
        // A large site is millions of small allocations, a tenth of a second to free at 10,000
        // documents: that happens beside the caller, which usually just exits.
        std::thread::spawn(move || drop((site, theme)));
        return Ok((outcome, None));
    }
    Ok((outcome, Some(Built { site, theme, out })))
}

/// The theme's static files into `static/`, then content/static (which may override them).
fn copy_static(opts: &BuildOptions, theme: &theme::Theme, staging: &mut write::Staging) -> Result<(), Fatal> {
    for (rel, source) in &theme.static_files {
        let rel = format!("static/{rel}");
        match source {
            theme::StaticSource::Builtin(bytes) => render::Sink::put(staging, &rel, bytes),
            theme::StaticSource::Disk(path) => staging.copy(&rel, path),
        }
        .map_err(|e| Fatal(format!("cannot write {rel}: {e}")))?;
    }
    // Only content/static is walked again: not the whole site, and without its warnings.
    for (rel, path) in &discover::static_files(&opts.root, &mut Vec::new()) {
        staging
            .copy(rel, path)
            .map_err(|e| Fatal(format!("cannot copy {}: {e}", path.display())))?;
    }
    Ok(())
}

/// A site built and kept in memory ([`build_site`] with [`Keep::Site`]): what it was made from, the
/// theme it was rendered with, and the output folder it went into. `serve` renders pages of it
/// again after an edit (`load::reload_document`, [`resolve::Site::relink_edited`], [`render_into`]).
pub struct Built {
    pub site: resolve::Site,
    pub theme: theme::Theme,
    pub out: PathBuf,
}

/// Renders `built` into `sink`, as `build` does; a broken template or a document that changed
/// since it was read is a diagnostic in `outcome` (and `None`).
pub fn render_into(
    opts: &BuildOptions,
    built: &Built,
    sink: &dyn render::Sink,
    outcome: &mut Outcome,
) -> Result<Option<render::Stats>, Fatal> {
    match render::render_site(&built.site, &Reload::new(&built.site.config), &built.theme, sink) {
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
fn load_theme(opts: &BuildOptions, site: &resolve::Site, outcome: &mut Outcome) -> Option<theme::Theme> {
    theme::load(
        &opts.root,
        &site.config.theme,
        &site.config.lang,
        &mut outcome.diagnostics,
    )
}

fn render_failure(
    opts: &BuildOptions,
    theme: &theme::Theme,
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
                Diagnostic::error(
                    diagnostics::Code::ChangedDuringBuild,
                    &c.path,
                    format!("cannot render this document: {}", c.reason),
                )
                .hint("build again once the file is saved"),
            );
            Ok(outcome)
        }
    }
}

/// `glossa check`: every check of `build`, including rendering, without writing.
pub fn check(opts: &BuildOptions) -> Result<Outcome, Fatal> {
    check_with(opts, None)
}

/// [`check`], with one sidecar's text given instead of read (`glossa add` checks the site
/// with its new item before it writes it).
pub(crate) fn check_with(opts: &BuildOptions, overlay: Option<&load::Overlay>) -> Result<Outcome, Fatal> {
    let mut outcome = Outcome::default();
    // Compacted, as `build` loads: the whole site's events would take about four times the
    // memory of a build (nearly 1 GB for the 10,000-document benchmark).
    let site = load::load_with(opts, &mut outcome.diagnostics, overlay)?;
    let theme = site.as_ref().and_then(|site| load_theme(opts, site, &mut outcome));
    diagnostics::sort(&mut outcome.diagnostics);
    if let (Some(site), Some(theme)) = (site, theme)
        && !outcome.has_errors()
        && let Err(e) = render::render_site_and_book(
            &site,
            &Reload::new(&site.config),
            &theme,
            &load::StaticDir::new(&opts.root),
            &write::Discard,
        )
    {
        return render_failure(opts, &theme, e, outcome);
    }
    Ok(outcome)
}
