//! `glossa serve`: build, serve on 127.0.0.1, rebuild on every change, reload open pages.
//!
//! The site is built with the same [`crate::build_site`] as always, into `site/` of a private
//! folder of its own in the system's temp folder (an unguessable name, mode 0700, made by the
//! tempfile crate: no other user can make it first or read it), and kept in memory. A watcher
//! (debounced, `watch`) rebuilds on changes under seeds/, content/ and themes/: an edit to
//! documents or sidecars renders again only the pages that can depend on them and writes those
//! whose bytes changed ([`LiveSite::update`]), anything else builds the whole site. Each
//! rebuild pushes a `reload` server-sent event to every open page. Served HTML pages get a
//! small script for that, and, while the last edit is broken, an overlay with the same
//! diagnostics as the terminal — over the last good site, which stays served. Built pages never
//! carry either: they are added here, on the way out.

mod annotate;
mod files;
mod live;
mod place;
mod revise;
mod watch;

use axum::Router;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
pub use live::{LiveSite, Update};
use std::convert::Infallible;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

pub struct ServeOptions {
    pub root: PathBuf,
    /// The address to listen on: 127.0.0.1 by default; another lets other machines read the
    /// site (never annotate it: `annotate` takes requests from this machine only).
    pub interface: std::net::IpAddr,
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
    /// Each build's reload, with its number (`reloads`, counted from 1).
    reload: broadcast::Sender<u64>,
    reloads: Arc<AtomicU64>,
    /// What the builds after edits keep, taken by one build at a time: the watcher's, or the
    /// editor's right after it writes (`watch::build_written`).
    builds: Arc<Mutex<watch::Builds>>,
    /// Held while a rebuild writes into `out`; `true` once serve stops, after which nothing
    /// writes there again. So the folder is removed after the rebuild under way, not during it.
    writing: Arc<Mutex<bool>>,
    /// Annotating from the served pages.
    editor: Arc<annotate::Editor>,
    /// `base_url`'s path, when not `/`: requests under it are answered as under `/` (`files`).
    base_path: Option<String>,
}

impl Live {
    fn builds(&self) -> std::sync::MutexGuard<'_, watch::Builds> {
        self.builds.lock().unwrap_or_else(|e| e.into_inner())
    }

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

/// Why serve did not start or stopped.
#[derive(Debug)]
pub enum ServeError {
    /// The request cannot be served as asked (the port is in use): exit 2.
    Usage(String),
    Failed(String),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::Usage(m) | ServeError::Failed(m) => f.write_str(m),
        }
    }
}

impl From<String> for ServeError {
    fn from(message: String) -> ServeError {
        ServeError::Failed(message)
    }
}

/// The listening socket, taken first: a port in use is said before anything is built or made
/// in the temp folder.
fn listen(opts: &ServeOptions) -> Result<std::net::TcpListener, ServeError> {
    let addr = std::net::SocketAddr::new(opts.interface, opts.port);
    let listener = std::net::TcpListener::bind(addr).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => ServeError::Usage(format!(
            "port {} is in use on {} (another glossa serve, or another server?)\n  = hint: pick another port with --port, or --port 0 for any free one",
            opts.port, opts.interface
        )),
        std::io::ErrorKind::AddrNotAvailable => ServeError::Usage(format!(
            "{} is not an address of this machine\n  = hint: give --interface one of this machine's addresses, 0.0.0.0 for all, or leave it out for 127.0.0.1",
            opts.interface
        )),
        _ => ServeError::Failed(format!("cannot listen on {addr}: {e}")),
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| ServeError::Failed(format!("cannot listen on {addr}: {e}")))?;
    Ok(listener)
}

/// Runs until the process is stopped. Returns an error only when it cannot start.
pub fn serve(mut opts: ServeOptions) -> Result<(), ServeError> {
    // The watcher reports absolute paths: the site's own must be absolute too, to compare.
    if let Ok(root) = std::path::absolute(&opts.root) {
        opts.root = root;
    }
    let listener = listen(&opts)?;
    let base_url = crate::config::load(&opts.root).ok().and_then(|(c, _)| c.base_url);
    // Removed by `stop_writing`, or by its drop when serve cannot start.
    let folder = private_folder().map_err(|e| format!("cannot create a temporary folder to build into: {e}"))?;
    let (reload, _) = broadcast::channel(16);
    let watcher = watch::start_watching(&opts.root);
    let live = Live {
        out: folder.path().join("site"),
        overlay: Arc::new(Mutex::new(None)),
        reload,
        reloads: Arc::new(AtomicU64::new(0)),
        builds: Arc::new(Mutex::new(watch::Builds::new(&opts))),
        writing: Arc::new(Mutex::new(false)),
        editor: Arc::new(annotate::Editor::new(&opts.root, opts.drafts)?),
        base_path: files::base_path(base_url.as_deref()),
    };
    let stopping = live.clone();
    let site = watch::rebuild(&opts, &live);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener).map_err(|e| format!("cannot listen: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let stop = StopSignals::listen();
        let url = format!("http://{addr}/");
        say(&format!("serving {url} (Ctrl-C to stop)"));
        if !addr.ip().is_loopback() {
            say(&format!(
                "  other machines can read the site at this address; annotating from a page works only from this one (http://127.0.0.1:{}/ when listening on all addresses)",
                addr.port()
            ));
        }
        if opts.open {
            open_browser(&url);
        }
        let watcher_live = live.clone();
        match watcher {
            Some(w) => {
                std::thread::spawn(move || watch::watch(w, &watcher_live, site));
            }
            // The editor still builds what it writes.
            None => *live.editor.live_site() = site,
        }
        let app = Router::new()
            .route(EVENTS_PATH, get(events))
            .route(annotate::ANNOTATE_PATH, post(annotate_post))
            .fallback(get(file))
            .with_state(live)
            .into_make_service_with_connect_info::<std::net::SocketAddr>();
        // Not a graceful shutdown: a page open in a browser keeps its reload stream open, and
        // a local preview owes no request an answer once it is asked to stop.
        tokio::select! {
            served = axum::serve(listener, app) => served.map_err(|e| e.to_string()),
            () = stop.stopped() => Ok(()),
        }
    });
    stopping.stop_writing();
    drop(folder);
    Ok(served?)
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
    async fn stopped(self) {
        #[cfg(unix)]
        {
            let StopSignals {
                mut interrupt,
                mut terminate,
                mut hangup,
            } = self;
            async fn on(signal: Option<&mut tokio::signal::unix::Signal>) {
                match signal {
                    Some(s) => {
                        s.recv().await;
                    }
                    None => std::future::pending().await,
                }
            }
            tokio::select! {
                () = on(interrupt.as_mut()) => {}
                () = on(terminate.as_mut()) => {}
                () = on(hangup.as_mut()) => {}
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

/// The editor's post (see `annotate`): checked, written and built off the async workers, since
/// it may check and build the whole site. The pages are built before it is answered, so the
/// answer can name the reload of the build ([`watch::build_written`]). The builds are held
/// from before the files are written until they are built: the watcher, told of the writes,
/// cannot build them first (a sidecar's write is flushed to the disk, which may take longer
/// than the watcher's debounce), and then finds nothing changed.
async fn annotate_post(
    State(live): State<Live>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    tokio::task::spawn_blocking(move || {
        live.editor.interrupt();
        let mut builds = live.builds();
        live.editor.annotate(peer, &headers, &body, |written| {
            watch::build_written(&live, &mut builds, written)
        })
    })
    .await
    .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

async fn events(State(live): State<Live>) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    // An event with no data is never dispatched by a browser (the EventSource rules): it
    // carries a word, and the reload's number as its id (the page's `lastEventId`), by which
    // the editor's page knows the reload its own Save asked for.
    let stream = BroadcastStream::new(live.reload.subscribe()).map(|number| {
        let event = Event::default().event("reload").data("reload");
        Ok(match number {
            Ok(n) => event.id(n.to_string()),
            Err(_) => event,
        })
    });
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

async fn file(
    State(live): State<Live>,
    ConnectInfo(peer): ConnectInfo<std::net::SocketAddr>,
    request: axum::extract::Request,
) -> Response {
    files::file(&live, peer, request).await
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

/// A line to standard output, as `println!` writes it; but a terminal closed or a pipe whose
/// reader went away is no reason to stop serving, so a line that cannot be written is dropped.
pub(super) fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout(), "{line}");
}

/// Text to standard error, as `eprint!` writes it, dropped if it cannot be written ([`say`]).
pub(super) fn tell(text: &str) {
    use std::io::Write;
    let _ = write!(std::io::stderr(), "{text}");
}

/// The reload script (and the overlay, if any, and the editor of a document's page), just
/// before `</body>`. The editor, when there is one, decides about reloads (`glossaReload`).
fn inject(html: &str, overlay: Option<&str>, editor: &str) -> String {
    let snippet = format!(
        "{}<script>new EventSource(\"{EVENTS_PATH}\").addEventListener(\"reload\",(e)=>window.glossaReload?window.glossaReload(e):location.reload());</script>{editor}",
        overlay_html(overlay)
    );
    match html.rfind("</body>") {
        Some(i) => format!("{}{snippet}{}", &html[..i], &html[i..]),
        None => format!("{html}{snippet}"),
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
        tell(&format!("warning: could not open a browser; visit {url}\n"));
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
            "",
        );
        assert!(html.contains("<p>x</p><div id=\"glossa-overlay\""));
        assert!(html.contains("&lt;bad&gt;"));
        assert!(html.ends_with("</script></body></html>"));
    }
}
