//! The built site's files as HTTP responses. HTML pages are read whole, so that the reload
//! script, the overlay of a broken edit and (for this machine only) the editor can be spliced
//! in on the way out; every other file is served by tower-http's `ServeFile`: its media type
//! (mime_guess: PDF, audio, video, fonts, images, JSON, …), byte ranges (`Range` → 206 with
//! `Content-Range`, so that an `<audio>` or `<video>` seeks) and `HEAD`; each with an entity
//! tag, revalidated on every use (`etag`).
//!
//! A missing file gets the site's 404 page, at any depth: its links are relative to the root
//! (or absolute under `base_url`'s path), so serve adds `<base href="/">` to it and answers
//! requests under `base_url`'s path as under `/`.

use super::{Live, inject, overlay_html, site_path};
use axum::body::Body;
use axum::http::{HeaderValue, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;
use std::path::Path;

/// The response to a request for a file of the site, from `peer`.
pub(super) async fn file(live: &Live, peer: SocketAddr, request: Request<Body>) -> Response {
    let asked = request.uri().path();
    let Some(mut path) = site_path(&live.out, asked) else {
        return (StatusCode::FORBIDDEN, "glossa serve: this path leaves the site\n").into_response();
    };
    if let Some(base) = live.base_path.as_deref()
        && !path.is_file()
        && let Some(rest) = asked.strip_prefix(base)
        && let Some(under_base) = site_path(&live.out, rest)
    {
        path = under_base;
    }
    if !path.is_file() {
        return not_found(live, peer).await;
    }
    if is_html(&path) {
        return match tokio::fs::read(&path).await {
            Ok(bytes) => page(live, peer, &path, &bytes, StatusCode::OK),
            Err(_) => not_found(live, peer).await,
        };
    }
    let tag = tokio::fs::metadata(&path).await.ok().map(|m| etag(&m));
    let Some(tag) = tag else {
        return not_found(live, peer).await;
    };
    let (mut parts, body) = request.into_parts();
    // Whether the file is as the browser has it is told by its tag alone: a modification time
    // in whole seconds (`If-Modified-Since`) misses a file built twice in one second.
    parts.headers.remove(header::IF_MODIFIED_SINCE);
    let unchanged = parts
        .headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|asked| asked.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    let mut response = if unchanged {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        match tower_http::services::ServeFile::new(&path)
            .try_call(Request::from_parts(parts, body))
            .await
        {
            Ok(response) => response.map(Body::new),
            Err(_) => return not_found(live, peer).await,
        }
    };
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(tag) = HeaderValue::from_str(&tag) {
        headers.insert(header::ETAG, tag);
    }
    response
}

/// A file's entity tag, from its size and modification time (to the nanosecond, where the
/// system keeps it): every build that writes the file gives it a new one, and telling it costs
/// no reading. With `Cache-Control: no-cache` the browser asks each time whether its copy is
/// still the file (`If-None-Match`), and a `304 Not Modified` lets it keep its copy — and the
/// stylesheets and scripts it has already parsed and compiled — so a reload is faster than
/// with a copy it may not keep.
fn etag(meta: &std::fs::Metadata) -> String {
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    format!("\"{:x}-{modified:x}\"", meta.len())
}

fn is_html(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "html" || e == "htm")
}

/// An HTML page with the reload script, the overlay and the editor spliced in; the editor only
/// for a page asked for from this machine (only this machine may annotate: `annotate`).
fn page(live: &Live, peer: SocketAddr, path: &Path, bytes: &[u8], status: StatusCode) -> Response {
    let overlay = live.overlay.lock().ok().and_then(|o| o.clone());
    let html = String::from_utf8_lossy(bytes);
    let html = if status == StatusCode::NOT_FOUND {
        with_root_base(&html)
    } else {
        html.into_owned()
    };
    let editor = if peer.ip().is_loopback() {
        let page = path.strip_prefix(&live.out).ok().and_then(|p| p.to_str()).unwrap_or("");
        live.editor.snippet(&page.replace('\\', "/"))
    } else {
        String::new()
    };
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        inject(&html, overlay.as_deref(), &editor),
    )
        .into_response()
}

/// The site's 404 page with status 404, or a plain one when the site has none yet.
async fn not_found(live: &Live, peer: SocketAddr) -> Response {
    let path = live.out.join("404.html");
    if let Ok(bytes) = tokio::fs::read(&path).await {
        return page(live, peer, &path, &bytes, StatusCode::NOT_FOUND);
    }
    let overlay = live.overlay.lock().ok().and_then(|o| o.clone());
    let body = format!(
        "<!doctype html><title>glossa</title><h1>Not found</h1>{}",
        overlay_html(overlay.as_deref())
    );
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        inject(&body, None, ""),
    )
        .into_response()
}

/// The 404 page with `<base href="/">` first in its head: its relative links are made for the
/// root, and it is shown at any depth (`/a/b/missing`). A page with a base of its own keeps it.
fn with_root_base(html: &str) -> String {
    if html.contains("<base ") {
        return html.to_owned();
    }
    let Some(head) = html.find("<head") else {
        return html.to_owned();
    };
    match html[head..].find('>') {
        Some(end) => {
            let at = head + end + 1;
            format!("{}<base href=\"/\">{}", &html[..at], &html[at..])
        }
        None => html.to_owned(),
    }
}

/// The path of `base_url` (`/r/` for `https://x.org/r/`), when it is not the root: requests
/// under it are answered as under `/`, for the links the 404 page makes absolute with it.
pub(super) fn base_path(base_url: Option<&str>) -> Option<String> {
    let url = base_url?;
    let after_scheme = url.split_once("://").map_or(url, |(_, r)| r);
    let path = &after_scheme[after_scheme.find('/')?..];
    let path = if path.ends_with('/') {
        path.to_owned()
    } else {
        format!("{path}/")
    };
    (path != "/").then_some(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_404_page_links_from_the_root() {
        assert_eq!(
            with_root_base("<html><head><meta charset=utf-8></head>"),
            "<html><head><base href=\"/\"><meta charset=utf-8></head>"
        );
        assert_eq!(with_root_base("<head><base href=\"/x/\">"), "<head><base href=\"/x/\">");
        assert_eq!(base_path(Some("https://x.org/r/")).as_deref(), Some("/r/"));
        assert_eq!(base_path(Some("https://x.org/r")).as_deref(), Some("/r/"));
        assert_eq!(base_path(Some("https://x.org/")), None);
        assert_eq!(base_path(None), None);
    }
}
