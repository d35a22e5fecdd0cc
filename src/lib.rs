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
mod cache;
mod concat;
pub mod config;
pub mod diagnostics;
mod discover;
mod edit;
pub mod fix;
mod hash;
pub mod import;
mod incremental;
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
mod stored;
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
    /// Neither read nor write the build cache: build from nothing (and forget the cache).
    pub no_cache: bool,
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
    /// For a build that used its cache (docs/incremental.md), the files it changed in the
    /// output (written or removed; 0: the output was up to date); `None` for a build from nothing.
    pub changed: Option<usize>,
    /// For a build of an edit to documents only, the documents it resolved again (the others
    /// it took from its cache); `None` for any other build.
    pub edited: Option<usize>,
}

/// A failure that is not about content: a disk error or a broken template.
#[derive(Debug)]
pub struct Fatal(pub String);

impl Fatal {
    /// No staging folder could be made beside the output `out`.
    pub(crate) fn staging(out: &Path) -> impl Fn(std::io::Error) -> Fatal + '_ {
        move |e| {
            Fatal(format!(
                "cannot create the staging folder beside {}: {e}",
                out.display()
            ))
        }
    }

    /// The build cache of the output `out` could not be removed before the output changed.
    pub(crate) fn forgetting(out: &Path) -> impl Fn(std::io::Error) -> Fatal + '_ {
        move |e| Fatal(format!("cannot remove the build cache of {}: {e}", out.display()))
    }

    /// The files a build changed could not be written into the output `out`.
    pub(crate) fn committing(out: &Path) -> impl Fn(std::io::Error) -> Fatal + '_ {
        move |e| Fatal(format!("cannot write the changed files into {}: {e}", out.display()))
    }
}

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
///
/// `build` (not `serve`, which keeps its site in memory instead) keeps a cache beside the output
/// (docs/incremental.md): with nothing changed since the last build, it writes nothing and says
/// what that build said; after an edit to documents only, it resolves those again against the
/// site the cache kept and renders what they can change (`incremental`); otherwise it renders
/// the whole site and writes only the files that differ from the output's (`write::Changes`).
/// Without a cache it can trust, or with `--no-cache`, it builds from nothing into a staging
/// folder and swaps it in.
pub fn build_site(opts: &BuildOptions, keep: Keep) -> Result<(Outcome, Option<Built>), Fatal> {
    let start = Instant::now();
    // Stamped before anything is read: an edit made while this build runs shows at the next.
    let stamped = (keep == Keep::Nothing && !opts.no_cache).then(|| cache::Stamped::now(&opts.root));
    let mut opened = None;
    if let Some(stamped) = &stamped {
        match from_cache(opts, stamped, start)? {
            Ok(outcome) => return Ok((outcome, None)),
            Err(cache) => opened = cache,
        }
    }
    let mut outcome = Outcome::default();
    let site = load(opts, &mut outcome.diagnostics)?;
    // The theme's problems are reported with the content's, in one run.
    let theme = site.as_ref().and_then(|site| load_theme(opts, site, &mut outcome));
    diagnostics::sort(&mut outcome.diagnostics);
    let (Some(mut site), Some(theme)) = (site, theme) else {
        return Ok((outcome, None));
    };
    // A site kept (by serve, or in the cache for the next build) keeps its links to relink.
    if keep == Keep::Nothing && stamped.is_none() {
        site.forget_links();
    }
    let Some((plan, out)) = output_folder(opts, &site.config, &mut outcome) else {
        return Ok((outcome, None));
    };
    // Held until this function returns: no other build writes beside `out` meanwhile.
    let _lock = write::claim(&out, &mut outcome.diagnostics).map_err(Fatal)?;
    let key = cache::key(opts, &out);
    let cache = stamped
        .is_some()
        .then(|| opened_or_open(opened, &out, &key, &mut outcome.diagnostics));
    // What the outputs keep for the next build, into the cache beside the site, or for the
    // caller that keeps the site (serve).
    let mut kept = (cache.is_some() || keep == Keep::Site).then(render::kept::Keep::default);
    let (written, parts) = write_keeping(opts, (&site, &theme), &out, cache.as_ref(), kept.as_ref());
    let (stats, changed) = match written? {
        Ok(done) => done,
        Err(e) => return render_failure(opts, &theme, e, outcome).map(|o| (o, None)),
    };
    let summary = Summary {
        documents: site.docs.len(),
        notes: stats.notes,
        entries: site.entries.len(),
        occurrences: stats.occurrences,
        pages: stats.pages,
        seconds: 0.0,
        out: plan.out.clone(),
        changed,
        edited: None,
    };
    if let (Some(cache), Some(stamped), Some(parts)) = (&cache, stamped, parts) {
        save_cache_with(
            cache,
            stamped.manifest(key, &outcome.diagnostics, &summary),
            (parts, kept.take().unwrap_or_default()),
            // The output may have been changed by others since the last build: walked again.
            (&out, None),
            &mut outcome,
        );
    }
    outcome.summary = Some(Summary {
        seconds: start.elapsed().as_secs_f64(),
        ..summary
    });
    if keep == Keep::Nothing {
        // A large site is millions of small allocations, a tenth of a second to free at 10,000
        // documents: that happens beside the caller, which usually just exits.
        std::thread::spawn(move || drop((site, theme)));
        return Ok((outcome, None));
    }
    let kept = kept.map(|k| render::kept::Kept::new(k.into_blobs()));
    Ok((outcome, Some(Built { site, theme, out, kept })))
}

/// What [`write_site`] returns: what the site's rendering counted and, for a build over the
/// output, how many files changed; or why the rendering failed; or the error that stopped it.
type Written = Result<Result<(render::Stats, Option<usize>), render::RenderError>, Fatal>;

/// [`write_site`], and with a cache the kept site's parts written meanwhile (the pool's threads
/// take their chunks as the render's leave them idle; the manifest naming them comes after).
/// A build that fails takes back the parts it added.
fn write_keeping(
    opts: &BuildOptions,
    (site, theme): (&resolve::Site, &theme::Theme),
    out: &Path,
    cache: Option<&cache::Cache>,
    kept: Option<&render::kept::Keep>,
) -> (Written, Option<std::io::Result<cache::SiteParts>>) {
    let (written, parts) = std::thread::scope(|s| {
        let parts = cache.map(|c| s.spawn(|| c.keep_site(site)));
        let written = write_site(opts, site, theme, out, cache, kept);
        let parts = parts.map(|p| {
            p.join()
                .unwrap_or_else(|_| Err(std::io::Error::other("the snapshot's thread failed")))
        });
        (written, parts)
    });
    if !matches!(written, Ok(Ok(_)))
        && let (Some(cache), Some(Ok(parts))) = (cache, &parts)
    {
        cache.take_back(parts);
    }
    (written, parts)
}

/// The output folder planned and made ready, unless the build has errors or may not write
/// there (both said in `outcome`).
fn output_folder(
    opts: &BuildOptions,
    config: &config::Config,
    outcome: &mut Outcome,
) -> Option<(output::Plan, PathBuf)> {
    let plan = output::Plan::new(&opts.root, opts.out.as_deref(), &config.output, opts.force);
    let refused = plan.check().err();
    if outcome.has_errors() || refused.is_some() {
        // Still, what a killed build left beside an allowed output folder is tidied up.
        if refused.is_none() && plan.out.parent().is_some_and(Path::is_dir) {
            let _ = write::claim(&plan.out, &mut outcome.diagnostics);
        }
        outcome.diagnostics.extend(refused);
        return None;
    }
    match plan.prepare() {
        Ok(out) => Some((plan, out)),
        Err(refused) => {
            outcome.diagnostics.push(refused);
            None
        }
    }
}

/// A build that its cache finishes before the site is loaded: one with nothing to do
/// ([`up_to_date`]), or one of an edit to documents (`incremental`). Otherwise the cache
/// opened, if any, for the full build.
fn from_cache(
    opts: &BuildOptions,
    stamped: &cache::Stamped,
    start: Instant,
) -> Result<Result<Outcome, Option<Opened>>, Fatal> {
    let opened = match up_to_date(opts, stamped, start) {
        Ok(outcome) => return Ok(Ok(outcome)),
        Err(opened) => opened,
    };
    if let Some(o) = &opened
        && let Some(outcome) = incremental::build(opts, stamped, o, start)?
    {
        return Ok(Ok(outcome));
    }
    Ok(Err(opened))
}

/// Writes the build cache of `out`, with the site it resolved and what its outputs kept (and,
/// for a build of an edit, which found the output as the last build left it, the files it
/// `changed`: see `cache::Cache::save_with`); a failure is a warning (the site is built).
fn save_cache(
    cache: &cache::Cache,
    manifest: cache::Manifest,
    (site, keep): (&resolve::Site, render::kept::Keep),
    (out, changed): (&Path, Option<&[String]>),
    outcome: &mut Outcome,
) {
    save_cache_with(cache, manifest, (cache.keep_site(site), keep), (out, changed), outcome);
}

/// [`save_cache`], with the site's parts already written (or the error that stopped them).
fn save_cache_with(
    cache: &cache::Cache,
    mut manifest: cache::Manifest,
    (parts, keep): (std::io::Result<cache::SiteParts>, render::kept::Keep),
    (out, changed): (&Path, Option<&[String]>),
    outcome: &mut Outcome,
) {
    let saved = parts.and_then(|parts| {
        cache.save_kept(&mut manifest, keep.into_blobs())?;
        cache.save_with(manifest, out, Some(parts), changed)
    });
    if let Err(e) = saved {
        outcome.diagnostics.push(
            Diagnostic::warning(
                diagnostics::Code::CacheIgnored,
                cache::Cache::dir_of(out),
                format!("cannot write the build cache: {e}"),
            )
            .hint("the site is built; the next build starts from nothing"),
        );
    }
}

/// The cache of `out` as [`up_to_date`] opened it before the site was loaded (with its notes),
/// or read now if that was of another output or there was none.
fn opened_or_open(opened: Option<Opened>, out: &Path, key: &str, diagnostics: &mut Vec<Diagnostic>) -> cache::Cache {
    match opened {
        Some(o) if o.out == out => {
            diagnostics.extend(o.notes.into_iter().chain(o.cache.take_notes()));
            o.cache
        }
        _ => cache::Cache::open(out, key, diagnostics),
    }
}

/// A cache opened before the site was loaded, for the output folder `out`, its notes, and how
/// the site's files and the output stand against it.
struct Opened {
    out: PathBuf,
    cache: cache::Cache,
    notes: Vec<Diagnostic>,
    comparison: cache::Comparison,
}

/// A build with nothing to do: the outcome of the last build of the output, said again, if its
/// cache shows that neither the site's files nor the output changed since
/// ([`cache::Cache::compare`]). Otherwise the build must run: then the cache it opened, if it
/// got that far, so that the build need not read it again.
fn up_to_date(opts: &BuildOptions, stamped: &cache::Stamped, start: Instant) -> Result<Outcome, Option<Opened>> {
    let (config, config_diags) = config::load(&opts.root).map_err(|_| None)?;
    if config_diags.iter().any(Diagnostic::is_error) {
        return Err(None);
    }
    let plan = output::Plan::new(&opts.root, opts.out.as_deref(), &config.output, opts.force);
    plan.check().map_err(|_| None)?;
    let out = plan.prepare().map_err(|_| None)?;
    let mut diagnostics = Vec::new();
    let _lock = write::claim(&out, &mut diagnostics).map_err(|_| None)?;
    let mut notes = Vec::new();
    let cache = cache::Cache::open(&out, &cache::key(opts, &out), &mut notes);
    let comparison = cache.compare(stamped, &out);
    if comparison != cache::Comparison::Unchanged {
        return Err(Some(Opened {
            out,
            cache,
            notes,
            comparison,
        }));
    }
    let Some(last) = cache.previous else {
        return Err(None);
    };
    diagnostics.extend(last.diagnostics);
    let counts = last.summary;
    Ok(Outcome {
        diagnostics,
        summary: Some(Summary {
            documents: counts.documents,
            notes: counts.notes,
            entries: counts.entries,
            occurrences: counts.occurrences,
            pages: counts.pages,
            seconds: start.elapsed().as_secs_f64(),
            out: plan.out,
            changed: Some(0),
            edited: None,
        }),
    })
}

/// Renders the site into `out`: when the last build's cache is good and the output is
/// glossa's, only the files that differ from the output's go in (`write::Changes`, with the
/// number of files changed); otherwise the whole site, into a staging folder swapped in. The
/// cache is forgotten before the output changes (it is written again after).
fn write_site(
    opts: &BuildOptions,
    site: &resolve::Site,
    theme: &theme::Theme,
    out: &Path,
    cache: Option<&cache::Cache>,
    keep: Option<&render::kept::Keep>,
) -> Written {
    let bodies = Reload::new(&site.config);
    let statics = load::StaticDir::new(&opts.root);
    let carry = render::kept::Carry { last: None, keep };
    let render = |sink: &dyn render::Sink| render::render_site_and_book(site, &bodies, theme, &statics, sink, carry);
    let staging_failed = Fatal::staging(out);
    let forget = || {
        match cache {
            Some(_) => cache::Cache::forget(out),
            None => cache::Cache::forget_wholly(out),
        }
        .map_err(Fatal::forgetting(out))
    };
    if cache.is_some_and(|c| c.previous.is_some()) && out.join(output::MARKER).is_file() {
        let changes = write::Changes::new(out).map_err(staging_failed)?;
        let stats = match render(&changes) {
            Ok(stats) => stats,
            Err(e) => return Ok(Err(e)),
        };
        copy_static(opts, theme, &changes)?;
        forget()?;
        let done = changes.commit().map_err(Fatal::committing(out))?;
        return Ok(Ok((stats, Some(done.written.len() + done.removed.len()))));
    }
    let staging = write::Staging::new(out).map_err(staging_failed)?;
    let stats = match render(&staging) {
        Ok(stats) => stats,
        Err(e) => return Ok(Err(e)),
    };
    copy_static(opts, theme, &staging)?;
    forget()?;
    staging
        .commit(out)
        .map_err(|e| Fatal(format!("cannot move the new site into {}: {e}", out.display())))?;
    Ok(Ok((stats, None)))
}

/// The theme's static files into `static/`, then content/static (which may override them).
fn copy_static(opts: &BuildOptions, theme: &theme::Theme, files: &dyn write::Files) -> Result<(), Fatal> {
    for (rel, source) in &theme.static_files {
        let rel = format!("static/{rel}");
        match source {
            theme::StaticSource::Builtin(bytes) => files.put(&rel, bytes),
            theme::StaticSource::Disk(path) => files.copy(&rel, path),
        }
        .map_err(|e| Fatal(format!("cannot write {rel}: {e}")))?;
    }
    // Only content/static is walked again: not the whole site, and without its warnings.
    for (rel, path) in &discover::static_files(&opts.root, &mut Vec::new()) {
        files
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
    /// What the files made of every document kept of the build (`render::kept`), for the
    /// caller to make them again after an edit (`serve`).
    pub kept: Option<render::kept::Kept>,
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
            render::kept::Carry::default(),
        )
    {
        return render_failure(opts, &theme, e, outcome);
    }
    Ok(outcome)
}
