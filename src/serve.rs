//! `glossa serve`: build, serve on 127.0.0.1, rebuild on every change, reload open pages.
//!
//! The site is built with the same [`crate::build`] as always, into a folder of its own in the
//! system's temp folder. A watcher (debounced) rebuilds on changes under seeds/, content/ and
//! themes/; each rebuild pushes a `reload` server-sent event to every open page. Served HTML
//! pages get a small script for that, and, while the last edit is broken, an overlay with the
//! same diagnostics as the terminal — over the last good site, which stays served. Built pages
//! never carry either: they are added here, on the way out.

use crate::{BuildOptions, Outcome};
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
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
}

const EVENTS_PATH: &str = "/__glossa/events";

/// Runs until the process is stopped. Returns an error only when it cannot start.
pub fn serve(opts: ServeOptions) -> Result<(), String> {
    let out = std::env::temp_dir().join(format!("glossa-serve-{}", std::process::id()));
    let (reload, _) = broadcast::channel(16);
    let live = Live {
        out: out.clone(),
        overlay: Arc::new(Mutex::new(None)),
        reload,
    };
    rebuild(&opts, &live);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the server: {e}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", opts.port))
            .await
            .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", opts.port))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let url = format!("http://{addr}/");
        println!("serving {url} (Ctrl-C to stop)");
        if opts.open {
            open_browser(&url);
        }
        let watcher_live = live.clone();
        let root = opts.root.clone();
        let drafts = opts.drafts;
        std::thread::spawn(move || watch(&root, drafts, &watcher_live));
        let app = Router::new()
            .route(EVENTS_PATH, get(events))
            .fallback(get(file))
            .with_state(live);
        let shutdown = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(|e| e.to_string())
    })?;
    let _ = std::fs::remove_dir_all(&out);
    Ok(())
}

fn rebuild(opts: &ServeOptions, live: &Live) {
    let build = BuildOptions {
        root: opts.root.clone(),
        out: Some(live.out.clone()),
        drafts: opts.drafts,
        base_url: None,
        warn_sitemap: false,
    };
    let text = match crate::build(&build) {
        Ok(outcome) => report(&opts.root, &outcome),
        Err(fatal) => Some(format!("error: {fatal}\n")),
    };
    match &text {
        Some(t) => eprint!("{t}"),
        None => println!("rebuilt"),
    }
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

/// Rebuilds after each burst of changes under seeds/, content/ and themes/.
fn watch(root: &Path, drafts: bool, live: &Live) {
    use notify_debouncer_mini::{new_debouncer, notify::RecursiveMode};
    let (tx, rx) = std::sync::mpsc::channel();
    let Ok(mut debouncer) = new_debouncer(Duration::from_millis(80), tx) else {
        eprintln!("warning: cannot watch the site's files; rebuild by restarting `glossa serve`");
        return;
    };
    let watched: Vec<PathBuf> = ["seeds", "content", "themes"].iter().map(|d| root.join(d)).collect();
    for dir in watched.iter().filter(|d| d.is_dir()) {
        if let Err(e) = debouncer.watcher().watch(dir, RecursiveMode::Recursive) {
            eprintln!("warning: cannot watch {}: {e}", dir.display());
        }
    }
    let opts = ServeOptions {
        root: root.to_path_buf(),
        port: 0,
        open: false,
        drafts,
    };
    // Watchers also report reads (the build's own), so rebuild only when what the build reads
    // has really changed: its files' names, sizes and modification times.
    let mut last = fingerprint(&watched);
    for events in rx {
        if events.is_err() {
            continue;
        }
        let now = fingerprint(&watched);
        if now != last {
            last = now;
            rebuild(&opts, live);
        }
    }
}

fn fingerprint(dirs: &[PathBuf]) -> Vec<(PathBuf, u64, Option<std::time::SystemTime>)> {
    dirs.iter()
        .flat_map(|d| {
            walkdir::WalkDir::new(d)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
        })
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let meta = e.metadata().ok();
            let len = meta.as_ref().map_or(0, |m| m.len());
            (e.into_path(), len, meta.and_then(|m| m.modified().ok()))
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
            crate::render::body::escape(text)
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
