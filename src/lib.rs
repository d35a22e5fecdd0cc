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
//! Only the edges touch the disk: `config`, `discover`, [`load`] (which reads the files
//! `discover` found, and a document's file again when its page renders), `theme` and `write`. Problems with the content are [`diagnostics::Diagnostic`]s, collected
//! across the whole run.

// A Diagnostic is large, but errors are the cold path: boxing them would only add noise.
#![allow(clippy::result_large_err)]

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
pub mod layout;
pub mod load;
pub mod markdown;
pub mod output;
pub mod parse;
pub mod render;
pub mod resolve;
pub mod scaffold;
pub mod schema;
pub mod serve;
pub mod site_files;
pub mod slug;
pub mod text;
pub mod theme;
pub mod write;
pub mod yaml;
pub mod yamledit;

use diagnostics::Diagnostic;
pub use load::load;
use load::{Reload, read_document};
use parse::document::ParseOptions;
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
    build_site(opts, false).map(|(outcome, _)| outcome)
}

/// [`build`]; with `keep`, a successful build also returns the site it built, for `serve` to
/// rebuild only what an edit changes ([`LiveSite::update`]).
pub fn build_site(opts: &BuildOptions, keep: bool) -> Result<(Outcome, Option<LiveSite>), Fatal> {
    let start = Instant::now();
    let mut outcome = Outcome::default();
    let site = load(opts, &mut outcome.diagnostics)?;
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
    let stats = match render::render_site(&site, &Reload::new(&site.config), &theme, &staging) {
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
    Ok((outcome, Some(LiveSite { site, theme, out })))
}

/// A built site kept in memory by `glossa serve`, so that an edit to documents or sidecars
/// rebuilds only the pages it changes. Everything goes through the build's own stages: the
/// edited documents are read, parsed and resolved as `load` does, the site-wide checks and
/// links are made again ([`resolve::Site::relink`]), and `render_site` renders into a sink
/// that wants only the affected pages.
pub struct LiveSite {
    site: resolve::Site,
    theme: theme::Theme,
    out: PathBuf,
}

/// What [`LiveSite::update`] did.
#[derive(Debug)]
pub struct Update {
    pub outcome: Outcome,
    /// The files rewritten, relative to the output folder, sorted.
    pub written: Vec<String>,
}

impl LiveSite {
    /// Rebuilds after the files `changed` were edited, if they are all documents or sidecars
    /// of the site and the edit leaves its set of pages as it was (no slug or draft changed).
    /// `None` asks for a full build. With errors, nothing is written: the site served stays the
    /// last good one, and this `LiveSite` must not be used again (build again in full).
    pub fn update(&mut self, opts: &BuildOptions, changed: &[PathBuf]) -> Result<Option<Update>, Fatal> {
        let start = Instant::now();
        let docs = &self.site.docs;
        let mut edited: Vec<usize> = Vec::new();
        for path in changed {
            let Some(i) = docs
                .iter()
                .position(|d| d.doc.path == *path || d.doc.sidecar_path.as_deref() == Some(path.as_path()))
            else {
                return Ok(None);
            };
            if !path.is_file() {
                return Ok(None);
            }
            if !edited.contains(&i) {
                edited.push(i);
            }
        }
        let config = &self.site.config;
        let opts_parse = ParseOptions {
            smart_punctuation: config.smart_punctuation,
        };
        let mut diags = Vec::new();
        let mut fresh = Vec::new();
        for &i in &edited {
            let old = &docs[i].doc;
            let sidecar = old.path.with_extension("yaml");
            let sidecar = sidecar.is_file().then_some(sidecar);
            if sidecar != old.sidecar_path {
                return Ok(None);
            }
            let Some(parsed) = read_document(&old.path, sidecar.as_deref(), &opts_parse, &mut diags)? else {
                return Ok(None);
            };
            let (doc, body, side) = (parsed.doc, parsed.body, parsed.sidecar_source);
            if doc.slug != old.slug || (doc.meta.draft && !opts.drafts) {
                return Ok(None);
            }
            let (entries, glossary) = (&self.site.entries, &self.site.glossary);
            let (mut rd, _) = resolve::resolve_doc(doc, body, &side, config, entries, glossary, &mut diags);
            rd.forget_selectors();
            fresh.push((i, rd));
        }
        let slugs: Vec<String> = edited.iter().map(|&i| docs[i].doc.slug.clone()).collect();
        let before = Snapshot::of(&self.site, &slugs);
        let titles_before: Vec<String> = edited.iter().map(|&i| docs[i].doc.title.clone()).collect();
        let mut wanted: std::collections::BTreeSet<String> = Default::default();
        for (i, rd) in fresh {
            wanted.insert(format!("{}/index.html", rd.doc.slug));
            self.site.docs[i] = rd;
        }
        let relinked = self.site.relink_edited(&slugs, &mut diags);
        diagnostics::sort(&mut diags);
        let mut outcome = Outcome {
            diagnostics: diags,
            summary: None,
        };
        if outcome.has_errors() {
            return Ok(Some(Update {
                outcome,
                written: Vec::new(),
            }));
        }
        let after = Snapshot::of(&self.site, &slugs);
        let title_changed = slugs
            .iter()
            .zip(&titles_before)
            .any(|(slug, title)| self.site.index.docs.get(slug).is_some_and(|(t, _)| t != title));
        before.affected(&after, &self.site.entries, &slugs, title_changed, &mut wanted);
        for (target, r) in relinked {
            if r.before != r.after || title_changed {
                wanted.insert(layout::page_path(&target));
            }
        }
        let sink = write::Selective::new(&self.out, wanted, None);
        if let Err(e) = render::render_site(&self.site, &Reload::new(&self.site.config), &self.theme, &sink) {
            return render_failure(opts, &self.theme, e, outcome).map(|o| {
                Some(Update {
                    outcome: o,
                    written: Vec::new(),
                })
            });
        }
        let written = sink.written();
        outcome.summary = Some(Summary {
            documents: edited.len(),
            notes: 0,
            entries: 0,
            occurrences: 0,
            pages: written.len(),
            seconds: start.elapsed().as_secs_f64(),
            out: self.out.clone(),
        });
        Ok(Some(Update { outcome, written }))
    }

    /// Rewrites annotations.jsonld and the search index, which hold every document: after an
    /// [`LiveSite::update`], once its pages are served. It takes as long as rendering every
    /// document, so it gives up as soon as `cancel` is set (by the next edit), and says
    /// whether it is done (false: cancelled, to be tried again).
    pub fn write_annotations(&self, cancel: &std::sync::atomic::AtomicBool) -> Result<bool, Fatal> {
        // The search index, like annotations.jsonld, needs every document.
        let wanted = ["annotations.jsonld".to_owned(), "search/".to_owned()].into();
        let sink = write::Selective::new(&self.out, wanted, Some(cancel));
        match render::render_site(&self.site, &Reload::new(&self.site.config), &self.theme, &sink) {
            Ok(_) => {
                // The index may have fewer chunk or fragment files than before.
                let written: std::collections::BTreeSet<String> = sink.written().into_iter().collect();
                for dir in ["search/c", "search/f"] {
                    let Ok(files) = std::fs::read_dir(self.out.join(dir)) else {
                        continue;
                    };
                    for file in files.flatten() {
                        let rel = format!("{dir}/{}", file.file_name().to_string_lossy());
                        if !written.contains(&rel) {
                            let _ = std::fs::remove_file(file.path());
                        }
                    }
                }
                Ok(true)
            }
            Err(_) if cancel.load(std::sync::atomic::Ordering::Relaxed) => Ok(false),
            // A document is being edited: no need to try again now, since the watcher reports
            // the edit, and the update it brings makes this due again.
            Err(render::RenderError::Changed(_)) => Ok(true),
            Err(e) => Err(Fatal(format!("cannot write annotations.jsonld: {e:?}"))),
        }
    }
}

#[derive(PartialEq)]
struct HomeLine {
    slug: String,
    title: String,
    meta: (Option<String>, Option<String>, Option<String>, Vec<String>),
    notes: usize,
    terms: usize,
}

/// An occurrence as its entry's page shows it: the document, its number, and its context.
#[derive(Clone, PartialEq)]
struct Shown {
    slug: String,
    k: usize,
    context: resolve::context::Context,
}

/// What the pages of a site show about its documents, to tell which pages an edit changed.
struct Snapshot {
    /// The edited documents' places in home-page order, with what the home page shows of each
    /// (the other documents are as they were, and keep their order among themselves).
    home: Vec<(usize, HomeLine)>,
    /// For each entry, its occurrences in the edited documents as entry pages show them (the
    /// other documents are as they were).
    occurrences: Vec<Vec<Shown>>,
}

impl Snapshot {
    fn of(site: &resolve::Site, slugs: &[String]) -> Snapshot {
        let home = site
            .docs
            .iter()
            .enumerate()
            .filter(|(_, d)| slugs.contains(&d.doc.slug))
            .map(|(i, d)| {
                let m = &d.doc.meta;
                let terms = d
                    .occurrences
                    .iter()
                    .map(|o| o.entry)
                    .collect::<std::collections::BTreeSet<_>>()
                    .len();
                let line = HomeLine {
                    slug: d.doc.slug.clone(),
                    title: d.doc.title.clone(),
                    meta: (m.author.clone(), m.date.clone(), m.summary.clone(), m.tags.clone()),
                    notes: d.notes,
                    terms,
                };
                (i, line)
            })
            .collect();
        let mut occurrences = vec![Vec::new(); site.entries.len()];
        for d in site.docs.iter().filter(|d| slugs.contains(&d.doc.slug)) {
            for (o, context) in d.occurrences.iter().zip(&d.contexts) {
                occurrences[o.entry].push(Shown {
                    slug: d.doc.slug.clone(),
                    k: o.k,
                    context: context.clone(),
                });
            }
        }
        Snapshot { home, occurrences }
    }

    /// Adds to `wanted` the pages that differ between `self` (before the edit of the
    /// documents `slugs`) and `after`.
    fn affected(
        &self,
        after: &Snapshot,
        entries: &[parse::Entry],
        slugs: &[String],
        title_changed: bool,
        wanted: &mut std::collections::BTreeSet<String>,
    ) {
        if self.home != after.home {
            wanted.insert("index.html".to_owned());
        }
        let mut counts_changed = false;
        for (i, (old, new)) in self.occurrences.iter().zip(&after.occurrences).enumerate() {
            let mentions = |list: &[Shown]| list.iter().any(|o| slugs.contains(&o.slug));
            if old != new || (title_changed && (mentions(old) || mentions(new))) {
                wanted.insert(format!("glossary/{}/index.html", entries[i].id));
            }
            counts_changed |= old.len() != new.len();
        }
        if counts_changed {
            wanted.insert("glossary/index.html".to_owned());
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
    let site = load(opts, &mut outcome.diagnostics)?;
    let theme = site.as_ref().and_then(|site| load_theme(opts, site, &mut outcome));
    diagnostics::sort(&mut outcome.diagnostics);
    if let (Some(site), Some(theme)) = (site, theme)
        && !outcome.has_errors()
        && let Err(e) = render::render_site(&site, &Reload::new(&site.config), &theme, &write::Discard)
    {
        return render_failure(opts, &theme, e, outcome);
    }
    Ok(outcome)
}
