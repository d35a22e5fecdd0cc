//! The live rebuild: after an edit to documents or sidecars, the edited documents are loaded
//! and resolved again and the site relinked, through the pipeline's own functions, and every
//! page that can depend on them is rendered again; a page is written only when its bytes
//! differ from what its file holds ([`FileHashes`]). So what an edit changed is decided
//! by the rendered pages themselves: there is no second account of what a page shows to keep
//! in step with the templates.

use crate::hash::FastSet;
use crate::layout::{self, page_path};
use crate::resolve;
use crate::write::{FileHashes, Selective};
use crate::{BuildOptions, Built, Fatal, Outcome, Summary, diagnostics};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// A built site kept in memory by `glossa serve`, with the hash of each file of its output.
pub struct LiveSite {
    built: Built,
    hashes: FileHashes,
}

/// What [`LiveSite::update`] did.
#[derive(Debug)]
pub struct Update {
    pub outcome: Outcome,
    /// The files rewritten (their bytes changed), relative to the output folder, sorted.
    pub written: Vec<String>,
}

/// The whole-site files that wait until edits pause ([`LiveSite::write_annotations`]).
fn whole_site_file(rel: &str) -> bool {
    rel == "annotations.jsonld" || rel.starts_with("search/")
}

impl LiveSite {
    pub fn new(built: Built) -> LiveSite {
        LiveSite {
            built,
            hashes: FileHashes::default(),
        }
    }

    /// Renders again, after the files `changed` were edited, the pages that can depend on
    /// them, if they are all documents or sidecars of the site and the edit leaves its set of
    /// pages as it was (no slug or draft changed, no sidecar added or removed). `None` asks for
    /// a full build. With errors, nothing is written: the site served stays the last good one,
    /// and this `LiveSite` must not be used again (build again in full).
    pub fn update(&mut self, opts: &BuildOptions, changed: &[PathBuf]) -> Result<Option<Update>, Fatal> {
        let start = Instant::now();
        let Some(edited) = self.edited_documents(changed) else {
            return Ok(None);
        };
        let mut diags = Vec::new();
        let Some(fresh) = self.reload(&opts.root, &edited, opts.drafts, &mut diags)? else {
            return Ok(None);
        };
        let before = SiteWide::of(&self.built, &edited);
        let had_feed = crate::render::has_feed(&self.built.site);
        let site = &mut self.built.site;
        let slugs: Vec<String> = edited.iter().map(|&i| site.docs[i].doc.slug.clone()).collect();
        // The entries whose pages show an edited document: those it has occurrences of,
        // before the edit and after.
        let mut entries: FastSet<usize> = edited
            .iter()
            .flat_map(|&i| &site.docs[i].occurrences)
            .map(|o| o.entry)
            .collect();
        for (i, rd) in fresh {
            entries.extend(rd.occurrences.iter().map(|o| o.entry));
            site.docs[i] = rd;
        }
        let relinked = site.relink_edited(&slugs, &mut diags);
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
        // Every page links the feed, or none does: a site that gains or loses its feed (its
        // first dated document, or its last) is built again whole.
        if crate::render::has_feed(&self.built.site) != had_feed {
            return Ok(None);
        }
        // The pages that can show what an edited document holds: its own, the pages it links
        // to or linked to (their lists of who links to them), its entries' pages, and the
        // site-wide pages when what they are made from changed (the home page, the sitemap and the
        // feed list every document; the glossary's index counts every occurrence).
        let site = &self.built.site;
        let edited_now: Vec<usize> = (0..site.docs.len())
            .filter(|&i| slugs.contains(&site.docs[i].doc.slug))
            .collect();
        let after = SiteWide::of(&self.built, &edited_now);
        let mut pages: FastSet<String> = slugs.iter().map(|s| layout::doc_page(s)).collect();
        pages.extend(relinked.into_keys().map(|target| page_path(&target)));
        pages.extend(entries.iter().map(|&e| layout::entry_page(&site.entries[e].id)));
        if before.home != after.home {
            pages.extend([layout::HOME, layout::FEED].map(str::to_owned));
            pages.extend(crate::render::sitemap_paths(site));
        }
        if before.counts != after.counts {
            pages.insert(layout::GLOSSARY.to_owned());
        }
        let sink = Selective::new(&self.built.out, |rel| pages.contains(rel), &self.hashes, None);
        if crate::render_into(opts, &self.built, &sink, &mut outcome)?.is_none() {
            return Ok(Some(Update {
                outcome,
                written: Vec::new(),
            }));
        }
        let written = sink.finish().written;
        outcome.summary = Some(Summary {
            documents: edited.len(),
            notes: 0,
            entries: 0,
            occurrences: 0,
            pages: written.len(),
            seconds: start.elapsed().as_secs_f64(),
            out: self.built.out.clone(),
            changed: Some(written.len()),
        });
        Ok(Some(Update { outcome, written }))
    }

    /// What the site would say if `text` were the sidecar of `document` (at `sidecar`), found
    /// without checking the whole site: `serve`'s editor checks an item this way before it
    /// writes it. The document is resolved again with the text, put in the site in place of
    /// its old self and relinked (its links, and the links into it), and its page rendered into
    /// nothing, as [`LiveSite::update`] would after the write; then the site is put back as it
    /// was. `None` when the edit is not one an update handles (no such document, a sidecar to
    /// be created, a new slug): the caller checks the whole site.
    pub fn check_sidecar(
        &mut self,
        opts: &BuildOptions,
        document: &Path,
        sidecar: &Path,
        text: &str,
    ) -> Result<Option<Outcome>, Fatal> {
        let site = &mut self.built.site;
        let Some(i) = site.docs.iter().position(|d| d.doc.path == document) else {
            return Ok(None);
        };
        if site.docs[i].doc.sidecar_path.as_deref() != Some(sidecar) {
            return Ok(None);
        }
        let mut diags = Vec::new();
        let fresh = crate::load::reload_document_given(site, &opts.root, document, sidecar, text, &mut diags)?;
        let Some(fresh) = fresh else {
            let failed = diags.iter().any(|d| d.is_error());
            return Ok(failed.then_some(Outcome {
                diagnostics: diags,
                summary: None,
            }));
        };
        let slug = site.docs[i].doc.slug.clone();
        if fresh.doc.slug != slug || (fresh.doc.meta.draft && !opts.drafts) {
            return Ok(None);
        }
        let old = std::mem::replace(&mut site.docs[i], fresh);
        let slugs = [slug];
        site.relink_edited(&slugs, &mut diags);
        diagnostics::sort(&mut diags);
        let mut outcome = Outcome {
            diagnostics: diags,
            summary: None,
        };
        if !outcome.has_errors() {
            let page = layout::doc_page(&slugs[0]);
            crate::render_into(opts, &self.built, &OnePage(&page), &mut outcome)?;
        }
        let site = &mut self.built.site;
        if let Some(j) = site.docs.iter().position(|d| d.doc.slug == slugs[0]) {
            site.docs[j] = old;
        }
        site.relink_edited(&slugs, &mut Vec::new());
        Ok(Some(outcome))
    }

    /// The places in the site of the documents `changed` are (or are the sidecars or the
    /// translations of); `None` when one is none of these, or is gone.
    fn edited_documents(&self, changed: &[PathBuf]) -> Option<Vec<usize>> {
        let docs = &self.built.site.docs;
        let mut edited: Vec<usize> = Vec::new();
        for path in changed {
            let i = docs.iter().position(|d| {
                d.doc.path == *path
                    || d.doc.sidecar_path.as_deref() == Some(path.as_path())
                    || d.translations.iter().any(|t| t.path == *path)
            })?;
            if !path.is_file() {
                return None;
            }
            if !edited.contains(&i) {
                edited.push(i);
            }
        }
        Some(edited)
    }

    /// The documents `edited` loaded and resolved again, each with its place; `None` when the
    /// edit changes the site's set of pages or files (a sidecar added or removed, a new slug,
    /// a document that became a draft) or a document cannot be built, for a full build to say.
    fn reload(
        &self,
        root: &Path,
        edited: &[usize],
        drafts: bool,
        diags: &mut Vec<crate::diagnostics::Diagnostic>,
    ) -> Result<Option<Vec<(usize, resolve::ResolvedDoc)>>, Fatal> {
        let site = &self.built.site;
        let mut fresh = Vec::new();
        for &i in edited {
            let old = &site.docs[i].doc;
            let sidecar = old.path.with_extension("yaml");
            let sidecar = sidecar.is_file().then_some(sidecar);
            if sidecar != old.sidecar_path {
                return Ok(None);
            }
            let Some(rd) = crate::load::reload_document(site, root, &old.path, sidecar.as_deref(), diags)? else {
                return Ok(None);
            };
            let langs = |d: &resolve::ResolvedDoc| d.translations.iter().map(|t| t.lang.clone()).collect::<Vec<_>>();
            // A translation that no longer matches is an error the full build shows.
            if rd.doc.slug != old.slug || (rd.doc.meta.draft && !drafts) || langs(&rd) != langs(&site.docs[i]) {
                return Ok(None);
            }
            fresh.push((i, rd));
        }
        Ok(Some(fresh))
    }

    /// Rewrites annotations.jsonld and the search index, which hold every document: after an
    /// [`LiveSite::update`], once its pages are served. It takes as long as rendering every
    /// document, so it gives up as soon as `cancel` is set (by the next edit), and says
    /// whether it is done (false: cancelled, to be tried again).
    pub fn write_annotations(&self, cancel: &AtomicBool) -> Result<bool, Fatal> {
        let out = &self.built.out;
        let sink = Selective::new(out, whole_site_file, &self.hashes, Some(cancel));
        match crate::render::render_site(
            &self.built.site,
            &crate::load::Reload::new(&self.built.site.config),
            &self.built.theme,
            &sink,
        ) {
            Ok(_) => {
                // The index may have fewer chunk or fragment files than before.
                let rendered: FastSet<String> = sink.finish().rendered.into_iter().collect();
                for dir in ["search/c", "search/f"] {
                    remove_others(out, dir, &rendered, &self.hashes);
                }
                Ok(true)
            }
            Err(_) if cancel.load(Ordering::Relaxed) => Ok(false),
            // A document is being edited: no need to try again now, since the watcher reports
            // the edit, and the update it brings makes this due again.
            Err(crate::render::RenderError::Changed(_)) => Ok(true),
            Err(e) => Err(Fatal(format!("cannot write annotations.jsonld: {e:?}"))),
        }
    }
}

/// What the site-wide pages are made from, of the edited documents: their places in home-page
/// order with the line the home page shows for each (the view the template receives), and the
/// site's occurrence counts by entry. Compared before and after an edit, it says whether those
/// pages must be made again: rendering the home page of a 10,000-document site takes longer
/// than all the rest of an edit.
struct SiteWide {
    home: Vec<(usize, crate::render::views::DocSummary)>,
    counts: Vec<usize>,
}

impl SiteWide {
    fn of(built: &Built, docs: &[usize]) -> SiteWide {
        let mut docs = docs.to_vec();
        docs.sort_unstable();
        let site = &built.site;
        let strings = &built.theme.strings;
        SiteWide {
            home: docs
                .iter()
                .map(|&i| (i, crate::render::doc_summary(site, strings, &site.docs[i])))
                .collect(),
            counts: crate::render::occurrence_counts(site),
        }
    }
}

/// A sink that wants one page and keeps nothing of it: rendering it is the check.
struct OnePage<'p>(&'p str);

impl crate::render::Sink for OnePage<'_> {
    fn put(&self, _: &str, _: &[u8]) -> std::io::Result<()> {
        Ok(())
    }

    fn stream(&self, _: &str) -> std::io::Result<Box<dyn std::io::Write + Send + '_>> {
        Ok(Box::new(std::io::sink()))
    }

    fn wants(&self, path: &str) -> bool {
        path == self.0
    }
}

/// Removes the files of the folder `dir` of `out` that are not among `kept`.
fn remove_others(out: &Path, dir: &str, kept: &FastSet<String>, hashes: &FileHashes) {
    let Ok(files) = std::fs::read_dir(out.join(dir)) else {
        return;
    };
    for file in files.flatten() {
        let rel = format!("{dir}/{}", file.file_name().to_string_lossy());
        if !kept.contains(&rel) {
            let _ = std::fs::remove_file(file.path());
            hashes.set(&rel, None);
        }
    }
}
