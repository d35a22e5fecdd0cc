//! The live rebuild: after an edit to documents or sidecars, the edited documents are loaded
//! and resolved again and the site relinked, through the pipeline's own functions, and every
//! page that can depend on them is rendered again; a page is written only when its bytes
//! differ from what its file holds ([`FileHashes`]). So what an edit changed is decided
//! by the rendered pages themselves: there is no second account of what a page shows to keep
//! in step with the templates.

use crate::hash::FastSet;
use crate::layout;
use crate::render::kept::{Carry, Keep, Kept};
use crate::write::{FileHashes, Selective};
use crate::{BuildOptions, Built, Fatal, Outcome, Summary, diagnostics};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// A built site kept in memory by `glossa serve`, with the hash of each file of its output.
pub struct LiveSite {
    built: Built,
    hashes: FileHashes,
    /// What the files made of every document kept when they were last written
    /// ([`LiveSite::write_annotations`]; `render::kept`), and the pages of the documents edited
    /// since: with both, those files are made again from what they kept and those pages, as
    /// `glossa build` does after an edit, not from every document.
    kept: Option<Kept>,
    since: FastSet<String>,
}

/// What [`LiveSite::update`] did.
#[derive(Debug)]
pub struct Update {
    pub outcome: Outcome,
    /// The files rewritten (their bytes changed), relative to the output folder, sorted.
    pub written: Vec<String>,
}

impl LiveSite {
    pub fn new(mut built: Built) -> LiveSite {
        LiveSite {
            kept: built.kept.take(),
            built,
            hashes: FileHashes::default(),
            since: FastSet::default(),
        }
    }

    /// Renders again, after the files `changed` were edited, the pages that can depend on
    /// them, if they are all documents or sidecars of the site and the edit leaves its set of
    /// pages as it was (no slug or draft changed, no sidecar added or removed). `None` asks for
    /// a full build. With errors, nothing is written: the site served stays the last good one,
    /// and this `LiveSite` must not be used again (build again in full).
    pub fn update(&mut self, opts: &BuildOptions, changed: &[PathBuf]) -> Result<Option<Update>, Fatal> {
        let start = Instant::now();
        let built = &mut self.built;
        let Some(applied) =
            crate::edit::apply(&mut built.site, &built.theme.strings, &opts.root, opts.drafts, changed)?
        else {
            return Ok(None);
        };
        let mut outcome = Outcome {
            diagnostics: applied.diagnostics,
            summary: None,
        };
        if outcome.has_errors() {
            return Ok(Some(Update {
                outcome,
                written: Vec::new(),
            }));
        }
        let pages = applied.pages;
        let sink = Selective::new(&self.built.out, |rel| pages.contains(rel), &self.hashes, None);
        if crate::render_into(opts, &self.built, &sink, &mut outcome)?.is_none() {
            return Ok(Some(Update {
                outcome,
                written: Vec::new(),
            }));
        }
        let written = sink.finish().written;
        self.since.extend(pages);
        outcome.summary = Some(Summary {
            documents: applied.documents,
            notes: 0,
            entries: 0,
            occurrences: 0,
            pages: written.len(),
            seconds: start.elapsed().as_secs_f64(),
            out: self.built.out.clone(),
            changed: Some(written.len()),
            edited: Some(applied.documents),
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

    /// Rewrites annotations.jsonld, the search index and the book (site.yaml's `epub.file`, its
    /// images from `root`'s content/static), which hold every document: after an
    /// [`LiveSite::update`], once its pages are served: from what they kept of the build or of
    /// the last time, and the pages edited since, in moments, as `glossa build` does after an
    /// edit (and, since a patch reads the files it replaces, it is not cut short). When
    /// nothing is kept (the last time failed), it renders every document, which takes long,
    /// so it gives up as soon as `cancel` is set (by the next edit). Says whether it is done
    /// (false: cancelled, to be tried again).
    pub fn write_annotations(&mut self, root: &Path, cancel: &AtomicBool) -> Result<bool, Fatal> {
        let out = &self.built.out;
        let book = self.built.site.config.epub.file.as_deref();
        let every_document = layout::FileSet::of_every_document(book);
        // Whatever happens, what was kept no longer describes the files unless all is done.
        let kept = self.kept.take();
        let (last, since) = (kept.as_ref(), &self.since);
        let wanted = |rel: &str| every_document.contains(rel) || (last.is_some() && since.contains(rel));
        let sink = Selective::new(out, wanted, &self.hashes, last.is_none().then_some(cancel));
        let keep = Keep::default();
        let carry = Carry {
            last,
            keep: Some(&keep),
        };
        let rendered = crate::render::render_site_and_book(
            &self.built.site,
            &crate::load::Reload::new(&self.built.site.config),
            &self.built.theme,
            &crate::load::StaticDir::new(root),
            &sink,
            carry,
        );
        let patching = last.is_some();
        match rendered {
            Ok(_) => {
                // The index may have fewer chunk or fragment files than before.
                let rendered: FastSet<String> = sink.finish().rendered.into_iter().collect();
                for dir in ["search/c", "search/f"] {
                    remove_others(out, dir, &rendered, &self.hashes);
                }
                self.kept = Some(Kept::new(keep.into_blobs()));
                self.since.clear();
                Ok(true)
            }
            Err(_) if !patching && cancel.load(Ordering::Relaxed) => Ok(false),
            // A document is being edited: no need to try again now, since the watcher reports
            // the edit, and the update it brings makes this due again.
            Err(crate::render::RenderError::Changed(_)) => Ok(true),
            Err(e) => Err(Fatal(format!("cannot write annotations.jsonld: {e:?}"))),
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
