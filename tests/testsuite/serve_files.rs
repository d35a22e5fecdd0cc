//! `glossa serve`'s static files (docs/serve.md): media types, byte ranges, the 404 page at
//! any depth, `--interface`, and a port in use.

use crate::serve::get;
use crate::support::Site;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// A serve run with `args`, stopped (SIGTERM) when dropped.
struct Serving {
    child: Child,
    addr: String,
    /// The lines serve printed up to its URL.
    said: Vec<String>,
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

fn serve(site: &Site, args: &[&str]) -> Serving {
    let root = site.root();
    let mut child = Command::new(env!("CARGO_BIN_EXE_glossa"))
        .args(["serve", "--root", root.to_str().unwrap(), "--port", "0"])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start glossa serve");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut said = Vec::new();
    let addr = loop {
        let line = lines.next().expect("serve prints its URL").unwrap();
        said.push(line.clone());
        if let Some(rest) = line.strip_prefix("serving http://") {
            break rest.split('/').next().unwrap_or_default().to_owned();
        }
    };
    if let Some(Ok(line)) = (!addr.starts_with("127.")).then(|| lines.next()).flatten() {
        said.push(line);
    }
    Serving { child, addr, said }
}

/// A GET with extra header lines: the status, the response's head (lower-cased) and its body's
/// length in bytes.
fn get_with(addr: &str, path: &str, headers: &str) -> (u16, String, usize) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{headers}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    let _ = std::io::Read::read_to_end(&mut s, &mut raw);
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(raw.len());
    let head = String::from_utf8_lossy(&raw[..end]).to_lowercase();
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, head, raw.len().saturating_sub(end + 4))
}

fn site() -> Site {
    let site = Site::new(&[
        ("seeds/a.md", "# A\n\nDer Hund bellt.\n"),
        ("content/static/x.json", "{\"a\": 1}\n"),
        ("content/static/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
        ("content/static/paper.pdf", "%PDF-1.4\n"),
        ("content/static/font.woff2", "wOF2"),
    ]);
    let audio: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    site.write("content/static/reading.mp3", &audio);
    site
}

#[test]
fn files_have_their_media_types_and_a_range_gets_206() {
    let site = site();
    let s = serve(&site, &[]);
    for (path, media) in [
        ("/paper.pdf", "application/pdf"),
        ("/reading.mp3", "audio/mpeg"),
        ("/font.woff2", "font/woff2"),
        ("/x.json", "application/json"),
        ("/logo.svg", "image/svg+xml"),
        ("/a/", "text/html; charset=utf-8"),
    ] {
        let (status, head, _) = get_with(&s.addr, path, "");
        assert_eq!(status, 200, "{path}: {head}");
        assert!(head.contains(&format!("content-type: {media}")), "{path}: {head}");
    }
    let (status, head, length) = get_with(&s.addr, "/reading.mp3", "Range: bytes=256-511\r\n");
    assert_eq!(length, 256);
    assert_eq!(status, 206, "{head}");
    assert!(head.contains("content-range: bytes 256-511/4096"), "{head}");
    assert!(head.contains("content-length: 256"), "{head}");
    assert!(head.contains("accept-ranges: bytes"), "{head}");
    let (status, head, _) = get_with(&s.addr, "/reading.mp3", "Range: bytes=5000-\r\n");
    assert_eq!(status, 416, "a range past the end: {head}");
    let (_, page) = get(&s.addr, "/a/");
    assert!(page.contains("EventSource"), "HTML still gets the reload script");
}

#[test]
fn the_404_page_is_styled_at_any_depth() {
    let site = site();
    let s = serve(&site, &[]);
    let (status, page) = get(&s.addr, "/a/b/c/missing");
    assert_eq!(status, 404);
    assert!(page.contains("<base href=\"/\">"), "{page}");
    assert!(page.contains("EventSource"), "{page}");
    let document = scraper::Html::parse_document(&page);
    let sheets: Vec<String> = document
        .select(&scraper::Selector::parse("link[rel=stylesheet]").unwrap())
        .filter_map(|l| l.value().attr("href").map(str::to_owned))
        .collect();
    assert!(!sheets.is_empty(), "{page}");
    for href in sheets {
        // Resolved against the base, as a browser does: from the root, whatever the depth.
        let (status, _) = get(&s.addr, &format!("/{}", href.trim_start_matches('/')));
        assert_eq!(status, 200, "{href}");
    }
}

#[test]
fn under_a_base_url_with_a_path_the_404_pages_links_work_too() {
    let site = site();
    site.write("content/site.yaml", "title: T\nbase_url: https://x.org/r/\n");
    let s = serve(&site, &[]);
    let (status, page) = get(&s.addr, "/deep/er/missing");
    assert_eq!(status, 404);
    assert!(page.contains("href=\"/r/"), "{page}");
    let (status, _) = get(&s.addr, "/r/x.json");
    assert_eq!(status, 200);
}

#[test]
fn another_interface_is_said_and_pages_for_other_machines_carry_no_editor() {
    let site = site();
    let s = serve(&site, &["--interface", "0.0.0.0"]);
    assert!(s.addr.starts_with("0.0.0.0:"), "{:?}", s.said);
    assert!(
        s.said
            .iter()
            .any(|l| l.contains("annotating from a page works only from this one")),
        "{:?}",
        s.said
    );
    let port = s.addr.rsplit(':').next().unwrap();
    let (status, page) = get(&format!("127.0.0.1:{port}"), "/a/");
    assert_eq!(status, 200);
    assert!(page.contains("glossaEditor"), "this machine gets the editor");
    let bad = crate::support::glossa(&site.root(), &["serve", "--interface", "not-an-address"]);
    assert_eq!(bad.code, 2, "{bad}");
}

/// The temp folders of serve runs with this process id.
fn serve_folders(pid: u32) -> Vec<String> {
    let prefix = format!("glossa-serve-{pid}-");
    std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&prefix))
        .collect()
}

#[test]
fn a_port_in_use_is_a_clear_error_exit_2_and_leaves_nothing() {
    let site = site();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let child = Command::new(env!("CARGO_BIN_EXE_glossa"))
        .args(["serve", "--root", site.root().to_str().unwrap(), "--port", &port])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.starts_with(&format!("error: port {port} is in use")), "{stderr}");
    assert!(stderr.contains("--port"), "{stderr}");
    assert!(serve_folders(pid).is_empty(), "no folder left in the temp folder");
    drop(taken);
}

/// The value of the response header `name` (lower-cased) in a head from `get_with`.
fn header<'h>(head: &'h str, name: &str) -> Option<&'h str> {
    head.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
        .map(str::trim)
}

/// An HTTP date as sent (`Mon, 07 Dec 2026 07:30:34 GMT`), from the lower-cased one of a head.
fn http_date(lower: &str) -> String {
    lower
        .split(' ')
        .map(|w| match w {
            "gmt" => "GMT".to_owned(),
            _ => w[..1].to_uppercase() + &w[1..],
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Static files are kept by the browser and revalidated on every use (`no-cache` with an
/// entity tag, a 304 while unchanged), never refetched whole while unchanged; and a file built
/// again within the same second, with the same size, is a new file to the browser, whatever
/// `If-Modified-Since` says (docs/serve.md, "Files").
#[test]
fn static_files_are_revalidated_by_their_tag() {
    let site = site();
    // Reading what serve prints, which `serve` here stops doing once it has the address.
    let watched = crate::serve::start_watched(&site);
    let addr = &watched.server.addr;
    let (status, head, _) = get_with(addr, "/x.json", "");
    assert_eq!(status, 200, "{head}");
    assert_eq!(header(&head, "cache-control"), Some("no-cache"), "{head}");
    let first = header(&head, "etag").expect("an entity tag").to_owned();
    let (status, again, length) = get_with(addr, "/x.json", &format!("If-None-Match: {first}\r\n"));
    assert_eq!(status, 304, "{again}");
    assert_eq!(length, 0);
    assert_eq!(header(&again, "etag"), Some(first.as_str()), "{again}");
    // Built again twice in one second, with the same size: each time a new tag, and a 200
    // with the new bytes even when the browser says the modification time it has.
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    std::thread::sleep(Duration::from_nanos(
        1_000_000_000 - u64::from(since_epoch.subsec_nanos()),
    ));
    let mut tag = first;
    let mut modified = String::new();
    for text in ["{\"a\": 2}\n", "{\"a\": 3}\n"] {
        site.write("content/static/x.json", text);
        let asked = format!("If-None-Match: {tag}\r\nIf-Modified-Since: {modified}\r\n");
        crate::serve::wait_for("the file built again", || get_with(addr, "/x.json", &asked).0 == 200);
        let (_, head, length) = get_with(addr, "/x.json", &asked);
        assert_eq!(length, text.len());
        tag = header(&head, "etag").unwrap().to_owned();
        modified = http_date(header(&head, "last-modified").unwrap());
    }
    // Pages stay unstored: they carry the reload script and the overlay of the moment.
    let (_, head, _) = get_with(addr, "/a/", "");
    assert_eq!(header(&head, "cache-control"), Some("no-store"), "{head}");
}

/// A terminal closed, or a pipe whose reader went away, is no reason to stop: serve goes on
/// rebuilding after edits though it can no longer say so.
#[test]
fn serve_goes_on_when_its_output_is_closed() {
    let site = site();
    // `serve` reads up to the URL and drops the reading end of serve's standard output.
    let serving = serve(&site, &[]);
    site.write("seeds/a.md", "# A\n\nDer Hund schläft.\n");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let page = loop {
        let (_, page) = get(&serving.addr, "/a/index.html");
        if page.contains("schläft") || std::time::Instant::now() > deadline {
            break page;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(page.contains("schläft"), "the edit was built\n{page}");
    site.write("seeds/a.md", "# A\n\nDer Hund träumt.\n");
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !get(&serving.addr, "/a/index.html").1.contains("träumt") {
        assert!(std::time::Instant::now() < deadline, "a second edit was built too");
        std::thread::sleep(Duration::from_millis(100));
    }
}
