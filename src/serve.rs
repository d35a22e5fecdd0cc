//! `glossa serve`: build, serve on 127.0.0.1, rebuild on every change, reload open pages.
//!
//! The site is built with the same [`crate::build_site`] as always, into `site/` of a private
//! folder of its own in the system's temp folder (an unguessable name, mode 0700, made by the
//! tempfile crate: no other user can make it first or read it), and kept in memory. A watcher (debounced) rebuilds on changes
//! under seeds/, content/ and themes/: an edit to documents or sidecars rebuilds only the pages
//! it changes ([`crate::LiveSite::update`]), anything else the whole site. Each rebuild pushes a
//! `reload` server-sent event to every open page. Served HTML
//! pages get a small script for that, and, while the last edit is broken, an overlay with the
//! same diagnostics as the terminal — over the last good site, which stays served. Built pages
//! never carry either: they are added here, on the way out.

use crate::{BuildOptions, LiveSite, Outcome};
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::collections::HashMap;
use std::convert::Infallible;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

pub struct ServeOptions {
    pub root: PathBuf,
    /// 0 picks a free port.
    pub port: u16,
    pub open: bool,
    pub drafts: bool,
}

#[derive(Clone)]
struct Live {
    out: PathBuf,
    /// The diagnostics of a broken build, shown over every page until a build succeeds.
    overlay: Arc<Mutex<Option<String>>>,
    reload: broadcast::Sender<()>,
    /// Held while a rebuild writes into `out`; `true` once serve stops, after which nothing
    /// writes there again. So the folder is removed after the rebuild under way, not during it.
    writing: Arc<Mutex<bool>>,
}

impl Live {
    /// The right to write into `out` until it is dropped; `None` once serve is stopping.
    fn begin_writing(&self) -> Option<std::sync::MutexGuard<'_, bool>> {
        let writing = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        (!*writing).then_some(writing)
    }

    /// Waits for the rebuild under way, if any, lets none start after it, and removes `out`'s
    /// private folder (the output, and anything a build left beside it).
    fn stop_writing(&self) {
        let mut writing = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        *writing = true;
        if let Some(folder) = self.out.parent() {
            let _ = std::fs::remove_dir_all(folder);
        }
    }
}

const EVENTS_PATH: &str = "/__glossa/events";

/// Runs until the process is stopped. Returns an error only when it cannot start.
pub fn serve(mut opts: ServeOptions) -> Result<(), String> {
    // The watcher reports absolute paths: the site's own must be absolute too, to compare.
    if let Ok(root) = std::path::absolute(&opts.root) {
        opts.root = root;
    }
    // Removed by `stop_writing`, or by its drop when serve cannot start.
    let folder = private_folder().map_err(|e| format!("cannot create a temporary folder to build into: {e}"))?;
    let (reload, _) = broadcast::channel(16);
    let live = Live {
        out: folder.path().join("site"),
        overlay: Arc::new(Mutex::new(None)),
        reload,
        writing: Arc::new(Mutex::new(false)),
    };
    let stopping = live.clone();
    let watcher = start_watching(&opts.root);
    let site = rebuild(&opts, &live);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", opts.port))
            .await
            .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", opts.port))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let stop = StopSignals::listen();
        let url = format!("http://{addr}/");
        println!("serving {url} (Ctrl-C to stop)");
        if opts.open {
            open_browser(&url);
        }
        let watcher_live = live.clone();
        let root = opts.root.clone();
        let drafts = opts.drafts;
        if let Some(w) = watcher {
            std::thread::spawn(move || watch(w, &root, drafts, &watcher_live, site));
        }
        let app = Router::new()
            .route(EVENTS_PATH, get(events))
            .fallback(get(file))
            .with_state(live);
        // Not a graceful shutdown: a page open in a browser keeps its reload stream open, and
        // a local preview owes no request an answer once it is asked to stop.
        tokio::select! {
            served = axum::serve(listener, app) => served.map_err(|e| e.to_string()),
            () = stop.stopped() => Ok(()),
        }
    });
    stopping.stop_writing();
    drop(folder);
    served
}

/// `TMP/glossa-serve-PID-RANDOM`, made new (never one that exists), readable by its owner only.
fn private_folder() -> std::io::Result<tempfile::TempDir> {
    let mut builder = tempfile::Builder::new();
    let prefix = format!("glossa-serve-{}-", std::process::id());
    builder.prefix(&prefix);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o700));
    }
    builder.tempdir()
}

/// The signals that stop serve, listened to from the moment this is made: Ctrl-C, or (on Unix)
/// SIGTERM, as `kill` and process managers send, or SIGHUP, as a closed terminal sends. Made
/// before serve says it is serving, so that a signal sent at once still removes the temporary
/// output folder instead of ending the process with it left behind.
struct StopSignals {
    #[cfg(unix)]
    interrupt: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    terminate: Option<tokio::signal::unix::Signal>,
    #[cfg(unix)]
    hangup: Option<tokio::signal::unix::Signal>,
}

impl StopSignals {
    fn listen() -> StopSignals {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            StopSignals {
                interrupt: signal(SignalKind::interrupt()).ok(),
                terminate: signal(SignalKind::terminate()).ok(),
                hangup: signal(SignalKind::hangup()).ok(),
            }
        }
        #[cfg(not(unix))]
        StopSignals {}
    }

    /// Resolves when one of the signals arrives.
    async fn stopped(mut self) {
        #[cfg(unix)]
        {
            async fn on(signal: Option<&mut tokio::signal::unix::Signal>) {
                match signal {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending().await,
                }
            }
            tokio::select! {
                () = on(self.interrupt.as_mut()) => {}
                () = on(self.terminate.as_mut()) => {}
                () = on(self.hangup.as_mut()) => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

fn build_options(opts: &ServeOptions, live: &Live) -> BuildOptions {
    BuildOptions {
        root: opts.root.clone(),
        out: Some(live.out.clone()),
        drafts: opts.drafts,
        base_url: None,
        warn_sitemap: false,
        force: false,
    }
}

/// A full build; the site it built, when it succeeded, for the next edit.
fn rebuild(opts: &ServeOptions, live: &Live) -> Option<LiveSite> {
    let (text, site) = match crate::build_site(&build_options(opts, live), true) {
        Ok((outcome, site)) => (report(&opts.root, &outcome), site),
        Err(fatal) => (Some(format!("error: {fatal}\n")), None),
    };
    match &text {
        Some(t) => eprint!("{t}"),
        None => println!("rebuilt"),
    }
    show(live, text);
    site
}

/// Rebuilds only what an edit to documents or sidecars changed. `Err(())` when that cannot be
/// done: the caller builds the whole site.
fn update(opts: &ServeOptions, live: &Live, site: &mut LiveSite, changed: &[PathBuf]) -> Result<bool, ()> {
    match site.update(&build_options(opts, live), changed) {
        Ok(Some(update)) => {
            let text = report(&opts.root, &update.outcome);
            let ok = text.is_none();
            match &text {
                Some(t) => eprint!("{t}"),
                None => println!(
                    "rebuilt {} in {:.0} ms: {}",
                    changed
                        .iter()
                        .map(|p| p.strip_prefix(&opts.root).unwrap_or(p).display().to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                    update.outcome.summary.as_ref().map_or(0.0, |s| s.seconds * 1000.0),
                    update.written.join(" ")
                ),
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

/// Sets the overlay (`None` after a good build) and tells open pages to reload.
fn show(live: &Live, text: Option<String>) {
    if let Ok(mut overlay) = live.overlay.lock() {
        *overlay = text;
    }
    let _ = live.reload.send(());
}

/// The diagnostics of a failed build as the terminal shows them; `None` when it succeeded.
fn report(root: &Path, outcome: &Outcome) -> Option<String> {
    if !outcome.has_errors() {
        for d in &outcome.diagnostics {
            eprint!("{}", d.render(root));
        }
        return None;
    }
    Some(outcome.diagnostics.iter().map(|d| d.render(root)).collect())
}

/// The watcher on seeds/, content/ and themes/, started before the first build so that no edit
/// made during it is missed.
struct Watcher {
    _debouncer: notify_debouncer_mini::Debouncer<notify_debouncer_mini::notify::RecommendedWatcher>,
    rx: std::sync::mpsc::Receiver<notify_debouncer_mini::DebounceEventResult>,
    /// Set on every event, so that work that can wait (annotations.jsonld) gives way to it.
    pending: std::sync::Arc<std::sync::atomic::AtomicBool>,
    watched: Vec<PathBuf>,
    /// Size and modification time of every file, as last built.
    stamps: HashMap<PathBuf, Stamp>,
}

fn start_watching(root: &Path) -> Option<Watcher> {
    use notify_debouncer_mini::{new_debouncer, notify::RecursiveMode};
    let (tx, rx) = std::sync::mpsc::channel();
    // Set on every event, so that work that can wait (annotations.jsonld) gives way to it.
    let pending = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = pending.clone();
    let handler = move |events| {
        flag.store(true, std::sync::atomic::Ordering::Relaxed);
        let _ = tx.send(events);
    };
    let Ok(mut debouncer) = new_debouncer(Duration::from_millis(50), handler) else {
        eprintln!("warning: cannot watch the site's files; rebuild by restarting `glossa serve`");
        return None;
    };
    let watched: Vec<PathBuf> = ["seeds", "content", "themes"].iter().map(|d| root.join(d)).collect();
    for dir in watched.iter().filter(|d| d.is_dir()) {
        if let Err(e) = debouncer.watcher().watch(dir, RecursiveMode::Recursive) {
            eprintln!("warning: cannot watch {}: {e}", dir.display());
        }
    }
    let stamps = fingerprint(&watched);
    Some(Watcher {
        _debouncer: debouncer,
        rx,
        pending,
        watched,
        stamps,
    })
}

/// Rebuilds after each burst of changes under seeds/, content/ and themes/.
fn watch(w: Watcher, root: &Path, drafts: bool, live: &Live, mut site: Option<LiveSite>) {
    // The debouncer watches for as long as it lives: all along this loop.
    let Watcher {
        _debouncer: _watching,
        rx,
        pending,
        watched,
        mut stamps,
    } = w;
    let opts = ServeOptions {
        root: root.to_path_buf(),
        port: 0,
        open: false,
        drafts,
    };
    // Watchers also report reads (the build's own), so a file counts as changed only when its
    // size or modification time did; one that appears or goes changes the set of files.
    // After a partial rebuild, annotations.jsonld is rewritten once no edit has come for a while.
    let mut annotations_due = false;
    loop {
        let events = if annotations_due {
            match rx.recv_timeout(Duration::from_millis(300)) {
                Ok(events) => events,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                    let Some(_writing) = live.begin_writing() else { return };
                    pending.store(false, std::sync::atomic::Ordering::Relaxed);
                    annotations_due = match site.as_ref().map(|s| s.write_annotations(&pending)) {
                        Some(Ok(done)) => !done,
                        Some(Err(e)) => {
                            eprintln!("error: {e}");
                            false
                        }
                        None => false,
                    };
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
        pending.store(false, std::sync::atomic::Ordering::Relaxed);
        let Ok(events) = events else { continue };
        let mut changed: Vec<PathBuf> = events.into_iter().map(|e| e.path).collect();
        // Saving may truncate a file before writing it: one that has just become empty gets a
        // moment to be written (after that it is built as it is).
        let settle = std::time::Instant::now() + Duration::from_millis(200);
        // A file may change again while it is read (an editor that truncates, then writes):
        // what changed since its stamp was taken is done again.
        loop {
            let emptied = |p: &PathBuf, stamps: &HashMap<PathBuf, Stamp>| {
                stamp(p).is_some_and(|(len, _)| len == 0) && stamps.get(p).is_some_and(|(len, _)| *len > 0)
            };
            while std::time::Instant::now() < settle && changed.iter().any(|p| emptied(p, &stamps)) {
                std::thread::sleep(Duration::from_millis(5));
            }
            let mut appeared_or_went = false;
            changed.retain(|path| {
                let now = stamp(path);
                if path.is_dir() || stamps.get(path) == now.as_ref() {
                    return false;
                }
                appeared_or_went |= now.is_none() || !stamps.contains_key(path);
                match now {
                    Some(s) => stamps.insert(path.clone(), s),
                    None => stamps.remove(path),
                };
                true
            });
            if changed.is_empty() {
                break;
            }
            changed.sort();
            changed.dedup();
            // Emptied in the moment between the wait above and the stamp: look again.
            if std::time::Instant::now() < settle && changed.iter().any(|p| stamp(p).is_some_and(|(len, _)| len == 0)) {
                std::thread::sleep(Duration::from_millis(20));
                if changed.iter().any(|p| stamps.get(p) != stamp(p).as_ref()) {
                    continue;
                }
            }
            let Some(_writing) = live.begin_writing() else { return };
            let partial = match (&mut site, appeared_or_went) {
                (Some(s), false) => update(&opts, live, s, &changed),
                _ => Err(()),
            };
            match partial {
                Ok(true) => annotations_due = true,
                // A broken edit: the next change builds the whole site again.
                Ok(false) => site = None,
                Err(()) => {
                    site = rebuild(&opts, live);
                    stamps = fingerprint(&watched);
                    annotations_due = false;
                    break;
                }
            }
        }
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

async fn events(State(live): State<Live>) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    let stream = BroadcastStream::new(live.reload.subscribe()).map(|_| Ok(Event::default().event("reload").data("")));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// A request path → a file of the built site, or `None` when it tries to leave it.
pub fn site_path(out: &Path, uri_path: &str) -> Option<PathBuf> {
    let decoded = percent_encoding::percent_decode_str(uri_path).decode_utf8().ok()?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let rel = Path::new(decoded.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return None;
    }
    let mut path = out.join(rel);
    if decoded.ends_with('/') || path.is_dir() {
        path = path.join("index.html");
    }
    Some(path)
}

async fn file(State(live): State<Live>, uri: Uri) -> Response {
    let Some(path) = site_path(&live.out, uri.path()) else {
        return (StatusCode::FORBIDDEN, "glossa serve: this path leaves the site\n").into_response();
    };
    let (status, path) = if path.is_file() {
        (StatusCode::OK, path)
    } else {
        (StatusCode::NOT_FOUND, live.out.join("404.html"))
    };
    let Ok(bytes) = tokio::fs::read(&path).await else {
        let overlay = live.overlay.lock().ok().and_then(|o| o.clone());
        let body = format!(
            "<!doctype html><title>glossa</title><h1>Not found</h1>{}",
            overlay_html(overlay.as_deref())
        );
        return (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            inject(&body, None),
        )
            .into_response();
    };
    let mime = content_type(&path);
    if mime.starts_with("text/html") {
        let overlay = live.overlay.lock().ok().and_then(|o| o.clone());
        let html = String::from_utf8_lossy(&bytes);
        return (
            status,
            [(header::CONTENT_TYPE, mime), (header::CACHE_CONTROL, "no-store")],
            inject(&html, overlay.as_deref()),
        )
            .into_response();
    }
    (
        status,
        [(header::CONTENT_TYPE, mime), (header::CACHE_CONTROL, "no-store")],
        bytes,
    )
        .into_response()
}

fn overlay_html(overlay: Option<&str>) -> String {
    match overlay {
        Some(text) => format!(
            "<div id=\"glossa-overlay\" role=\"alert\" style=\"position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:99999;margin:0;padding:1rem 1.25rem;background:#1d1d1d;color:#f5f5f5;border-top:4px solid #d33;font:13px/1.45 ui-monospace,monospace\"><strong style=\"color:#ff8a80\">glossa: the last edit does not build — showing the last good site</strong><pre style=\"white-space:pre-wrap;margin:.6rem 0 0\">{}</pre></div>",
            crate::markdown::escape(text)
        ),
        None => String::new(),
    }
}

/// The reload script (and the overlay, if any), just before `</body>`.
fn inject(html: &str, overlay: Option<&str>) -> String {
    let snippet = format!(
        "{}<script>new EventSource(\"{EVENTS_PATH}\").addEventListener(\"reload\",()=>location.reload());</script>",
        overlay_html(overlay)
    );
    match html.rfind("</body>") {
        Some(i) => format!("{}{snippet}{}", &html[..i], &html[i..]),
        None => format!("{html}{snippet}"),
    }
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "jsonld" => "application/ld+json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("warning: could not open a browser; visit {url}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_site() {
        let out = Path::new("/srv/site");
        assert_eq!(
            site_path(out, "/a/index.html"),
            Some(PathBuf::from("/srv/site/a/index.html"))
        );
        assert_eq!(site_path(out, "/a/"), Some(PathBuf::from("/srv/site/a/index.html")));
        assert_eq!(site_path(out, "/%C3%BC.css"), Some(PathBuf::from("/srv/site/ü.css")));
        for bad in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E%2Fx",
            "/a\\..\\x",
            "/a/%00",
        ] {
            assert_eq!(site_path(out, bad), None, "{bad}");
        }
    }

    #[test]
    fn the_snippet_goes_before_body_end() {
        let html = inject(
            "<html><body><p>x</p></body></html>",
            Some("seeds/a.yaml:2:3: error: <bad>"),
        );
        assert!(html.contains("<p>x</p><div id=\"glossa-overlay\""));
        assert!(html.contains("&lt;bad&gt;"));
        assert!(html.ends_with("</script></body></html>"));
    }
}
