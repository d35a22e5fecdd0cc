//! The watcher: which files changed in a burst of events (debounced, then told apart by size
//! and modification time), and what is built for them — the pages an edit can change
//! ([`LiveSite::update`]) or the whole site — with the result shown in the terminal and over
//! the served pages.
//!
//! The editor's endpoint builds through the same [`Builds::build_changes`] as soon as it has
//! written, without waiting for the watcher's debounce ([`build_written`]): the files' new
//! stamps are taken then, so the watcher's event for the same write finds nothing changed and
//! neither renders again nor asks for a second reload.

use super::live::LiveSite;
use super::{Live, ServeOptions, say, tell};
use crate::{BuildOptions, Outcome};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn build_options(opts: &ServeOptions, live: &Live) -> BuildOptions {
    BuildOptions {
        root: opts.root.clone(),
        out: Some(live.out.clone()),
        drafts: opts.drafts,
        base_url: None,
        warn_sitemap: false,
        force: false,
        no_cache: true,
    }
}

/// A full build; the site it built, when it succeeded, for the next edit.
pub(super) fn rebuild(opts: &ServeOptions, live: &Live) -> Option<LiveSite> {
    let (text, site) = match crate::build_site(&build_options(opts, live), crate::Keep::Site) {
        Ok((outcome, built)) => {
            if let Some(built) = &built {
                live.editor.learn(&built.site);
            }
            (report(&opts.root, &outcome), built.map(LiveSite::new))
        }
        Err(fatal) => (Some(format!("error: {fatal}\n")), None),
    };
    match &text {
        Some(t) => tell(t),
        None => say("rebuilt"),
    }
    show(live, text);
    site
}

/// Renders again only what an edit to documents or sidecars can change. `Err(())` when that
/// cannot be done: the caller builds the whole site. `Ok(false)` when the edit is broken.
fn update(opts: &ServeOptions, live: &Live, site: &mut LiveSite, changed: &[PathBuf]) -> Result<bool, ()> {
    match site.update(&build_options(opts, live), changed) {
        Ok(Some(update)) => {
            let text = report(&opts.root, &update.outcome);
            let ok = text.is_none();
            match &text {
                Some(t) => tell(t),
                None => say(&format!(
                    "rebuilt {} in {:.0} ms: {}",
                    changed
                        .iter()
                        .map(|p| p.strip_prefix(&opts.root).unwrap_or(p).display().to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    update.outcome.summary.as_ref().map_or(0.0, |s| s.seconds * 1000.0),
                    update.written.join(" ")
                )),
            }
            show(live, text);
            Ok(ok)
        }
        Ok(None) => Err(()),
        Err(fatal) => {
            show(live, Some(format!("error: {fatal}\n")));
            Ok(false)
        }
    }
}

/// Sets the overlay (`None` after a good build) and tells open pages to reload, with the
/// reload's number.
fn show(live: &Live, text: Option<String>) {
    if let Ok(mut overlay) = live.overlay.lock() {
        *overlay = text;
    }
    let number = live.reloads.fetch_add(1, Ordering::SeqCst) + 1;
    let _ = live.reload.send(number);
}

/// Builds at once for the files the editor has just written, as the watcher would for their
/// events, and returns the number of the reload it asked for when the build succeeded (the
/// editor's page then knows that reload for its own). `None` when nothing was built (serve is
/// stopping) or the build failed: the page reloads as for any other build. The caller holds
/// `builds` from before it wrote.
pub(super) fn build_written(live: &Live, builds: &mut Builds, written: &[PathBuf]) -> Option<u64> {
    let before = live.reloads.load(Ordering::SeqCst);
    if !builds.build_changes(live, written.to_vec()) {
        return None;
    }
    let after = live.reloads.load(Ordering::SeqCst);
    let broken = live.overlay.lock().map_or(true, |o| o.is_some());
    (after != before && !broken).then_some(after)
}

/// The diagnostics of a failed build as the terminal shows them; `None` when it succeeded.
fn report(root: &Path, outcome: &Outcome) -> Option<String> {
    if !outcome.has_errors() {
        for d in &outcome.diagnostics {
            tell(&d.render(root));
        }
        return None;
    }
    Some(outcome.diagnostics.iter().map(|d| d.render(root)).collect())
}

/// The watcher on seeds/, content/ and themes/, started before the first build so that no edit
/// made during it is missed.
pub(super) struct Watcher {
    _debouncer: notify_debouncer_mini::Debouncer<notify_debouncer_mini::notify::RecommendedWatcher>,
    rx: std::sync::mpsc::Receiver<notify_debouncer_mini::DebounceEventResult>,
    /// Set on every event that can be an edit ([`an_edit`]), so that work that can wait
    /// (annotations.jsonld) gives way to it.
    pending: Arc<AtomicBool>,
}

/// Whether `events` can hold an edit: a file gone or modified within the last second (or
/// an error). Watchers also report reads, and the work that gives way to edits reads every
/// document: were reads edits, that work would stop itself each time it ran. An edit with an
/// older time is still built, in its turn, as every event is.
fn an_edit(events: &notify_debouncer_mini::DebounceEventResult) -> bool {
    let Ok(events) = events else { return true };
    let recent = std::time::SystemTime::now() - Duration::from_secs(1);
    events.iter().any(|e| {
        let modified = std::fs::metadata(&e.path).and_then(|m| m.modified());
        modified.map_or(true, |t| t > recent)
    })
}

pub(super) fn start_watching(root: &Path) -> Option<Watcher> {
    use notify_debouncer_mini::{new_debouncer, notify::RecursiveMode};
    let (tx, rx) = std::sync::mpsc::channel();
    let pending = Arc::new(AtomicBool::new(false));
    let flag = pending.clone();
    let handler = move |events: notify_debouncer_mini::DebounceEventResult| {
        if an_edit(&events) {
            flag.store(true, Ordering::Relaxed);
        }
        let _ = tx.send(events);
    };
    let Ok(mut debouncer) = new_debouncer(Duration::from_millis(50), handler) else {
        tell("warning: cannot watch the site's files; rebuild by restarting `glossa serve`\n");
        return None;
    };
    for dir in watched(root).iter().filter(|d| d.is_dir()) {
        if let Err(e) = debouncer.watcher().watch(dir, RecursiveMode::Recursive) {
            tell(&format!("warning: cannot watch {}: {e}\n", dir.display()));
        }
    }
    Some(Watcher {
        _debouncer: debouncer,
        rx,
        pending,
    })
}

fn watched(root: &Path) -> Vec<PathBuf> {
    ["seeds", "content", "themes"].iter().map(|d| root.join(d)).collect()
}

/// What the builds after edits keep between them, shared by the watcher and the editor's
/// endpoint under one lock (`Live::builds`), so that one build runs at a time and each file's
/// stamp says what was last built.
pub(super) struct Builds {
    opts: ServeOptions,
    watched: Vec<PathBuf>,
    /// Size and modification time of every file, as last built.
    stamps: HashMap<PathBuf, Stamp>,
    /// After a partial rebuild, annotations.jsonld and the search index are rewritten once no
    /// edit has come for a while.
    annotations_due: bool,
}

impl Builds {
    /// Taken after the watcher starts and before the first build, so that no edit made during
    /// it is missed.
    pub(super) fn new(opts: &ServeOptions) -> Builds {
        let watched = watched(&opts.root);
        Builds {
            stamps: fingerprint(&watched),
            watched,
            opts: ServeOptions {
                root: opts.root.clone(),
                interface: std::net::Ipv4Addr::LOCALHOST.into(),
                port: 0,
                open: false,
                drafts: opts.drafts,
            },
            annotations_due: false,
        }
    }
}

/// Rebuilds after each burst of changes under seeds/, content/ and themes/.
pub(super) fn watch(w: Watcher, live: &Live, site: Option<LiveSite>) {
    // The debouncer watches for as long as it lives: all along this loop.
    let Watcher {
        _debouncer: _watching,
        rx,
        pending,
    } = w;
    // The site is kept where the editor can check an edit against it.
    *live.editor.live_site() = site;
    live.editor.interrupt_with(pending.clone());
    loop {
        let due = live.builds().annotations_due;
        let events = if due {
            match rx.recv_timeout(Duration::from_millis(300)) {
                Ok(events) => events,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    let mut builds = live.builds();
                    let Some(_writing) = live.begin_writing() else { return };
                    pending.store(false, Ordering::Relaxed);
                    builds.write_annotations(live, &pending);
                    continue;
                }
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            }
        } else {
            match rx.recv() {
                Ok(events) => events,
                Err(_) => break,
            }
        };
        pending.store(false, Ordering::Relaxed);
        let Ok(events) = events else { continue };
        if !live
            .builds()
            .build_changes(live, events.into_iter().map(|e| e.path).collect())
        {
            return;
        }
    }
}

impl Builds {
    /// Rewrites annotations.jsonld, the search index and the book; due again if `pending` cut it
    /// short.
    fn write_annotations(&mut self, live: &Live, pending: &AtomicBool) {
        let mut site = live.editor.live_site();
        self.annotations_due = match site.as_mut().map(|s| s.write_annotations(&self.opts.root, pending)) {
            Some(Ok(done)) => !done,
            Some(Err(e)) => {
                tell(&format!("error: {e}\n"));
                false
            }
            None => false,
        };
    }

    /// Builds for the files `changed` (as reported: reads too, and folders), until none has
    /// changed again meanwhile. False once serve is stopping.
    ///
    /// Watchers also report reads (the build's own), so a file counts as changed only when
    /// its size or modification time did; one that appears or goes changes the set of files.
    fn build_changes(&mut self, live: &Live, mut changed: Vec<PathBuf>) -> bool {
        // Saving may truncate a file before writing it: one that has just become empty gets a
        // moment to be written (after that it is built as it is).
        let settle = Instant::now() + Duration::from_millis(200);
        // A file may change again while it is read (an editor that truncates, then writes):
        // what changed since its stamp was taken is done again.
        loop {
            let emptied = |p: &PathBuf, stamps: &HashMap<PathBuf, Stamp>| {
                stamp(p).is_some_and(|(len, _)| len == 0) && stamps.get(p).is_some_and(|(len, _)| *len > 0)
            };
            while Instant::now() < settle && changed.iter().any(|p| emptied(p, &self.stamps)) {
                std::thread::sleep(Duration::from_millis(5));
            }
            let appeared_or_went = self.take_stamps(&mut changed);
            if changed.is_empty() {
                return true;
            }
            // Emptied in the moment between the wait above and the stamp: look again.
            if Instant::now() < settle && changed.iter().any(|p| stamp(p).is_some_and(|(len, _)| len == 0)) {
                std::thread::sleep(Duration::from_millis(20));
                if changed.iter().any(|p| self.stamps.get(p) != stamp(p).as_ref()) {
                    continue;
                }
            }
            let Some(_writing) = live.begin_writing() else {
                return false;
            };
            let mut site = live.editor.live_site();
            let partial = match (site.as_mut(), appeared_or_went) {
                (Some(s), false) => update(&self.opts, live, s, &changed),
                _ => Err(()),
            };
            match partial {
                Ok(true) => self.annotations_due = true,
                // A broken edit: the next change builds the whole site again.
                Ok(false) => *site = None,
                Err(()) => {
                    // The stamps of the files as they are before the build reads them: a file
                    // written while it builds (the sidecar that follows a new glossary entry)
                    // differs from its stamp, and its event builds again.
                    let stamps = fingerprint(&self.watched);
                    *site = rebuild(&self.opts, live);
                    self.stamps = stamps;
                    self.annotations_due = false;
                    return true;
                }
            }
        }
    }

    /// Keeps in `changed` the files whose stamp changed (sorted, once each), and takes their
    /// new stamps; whether one of them appeared or went.
    fn take_stamps(&mut self, changed: &mut Vec<PathBuf>) -> bool {
        let mut appeared_or_went = false;
        changed.retain(|path| {
            let now = stamp(path);
            if path.is_dir() || self.stamps.get(path) == now.as_ref() {
                return false;
            }
            appeared_or_went |= now.is_none() || !self.stamps.contains_key(path);
            match now {
                Some(s) => self.stamps.insert(path.clone(), s),
                None => self.stamps.remove(path),
            };
            true
        });
        changed.sort();
        changed.dedup();
        appeared_or_went
    }
}

type Stamp = (u64, Option<std::time::SystemTime>);

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok().filter(|m| m.is_file())?;
    Some((meta.len(), meta.modified().ok()))
}

fn fingerprint(dirs: &[PathBuf]) -> HashMap<PathBuf, Stamp> {
    dirs.iter()
        .flat_map(|d| {
            walkdir::WalkDir::new(d)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
        })
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| {
            let meta = e.metadata().ok()?;
            Some((e.into_path(), (meta.len(), meta.modified().ok())))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::an_edit;
    use notify_debouncer_mini::{DebouncedEvent, DebouncedEventKind};
    use std::time::{Duration, SystemTime};

    /// A read of a file modified long ago is no edit (the background work reads every
    /// document, and must not stop itself); a file just written or gone is one.
    #[test]
    fn reads_of_old_files_are_no_edits_and_new_or_gone_files_are() {
        let dir = tempfile::tempdir().unwrap();
        let (old, new) = (dir.path().join("old.md"), dir.path().join("new.md"));
        std::fs::write(&old, "alt").unwrap();
        let file = std::fs::File::options().append(true).open(&old).unwrap();
        file.set_modified(SystemTime::now() - Duration::from_secs(3600))
            .unwrap();
        std::fs::write(&new, "neu").unwrap();
        let events =
            |path: &std::path::Path| Ok(vec![DebouncedEvent::new(path.to_path_buf(), DebouncedEventKind::Any)]);
        assert!(!an_edit(&events(&old)), "a read of an old file");
        assert!(an_edit(&events(&new)), "a file just written");
        assert!(an_edit(&events(&dir.path().join("gone.md"))), "a file gone");
    }
}
