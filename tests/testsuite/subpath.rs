//! A GitHub Pages project site (contract §7, issue #4): the built site is served under `/REPO/`
//! from a static HTTP server on 127.0.0.1 that behaves like GitHub Pages where it matters —
//! files only, and any unknown path answers 404 with the body of `404.html` — and crawled over
//! HTTP from `/REPO/index.html`. Every `href`, `src` and form `action` must answer 200, every
//! `#fragment` must be an id of its target page, and `404.html`, served at any depth, must
//! work there too.
//!
//! Unlike GitHub Pages, the server does not answer a folder path (`/REPO/about/`) with its
//! `index.html`: glossa's links name files (§7), so a link to a folder is a broken link here.

use crate::support::{Site, build_demo, files_under, selector};
use percent_encoding::percent_decode_str;
use scraper::Html;
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

const REPO: &str = "/glossa-demo/";

/// A static file server for one folder, published under [`REPO`]. It stops when dropped.
struct StaticServer {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl StaticServer {
    /// Serves `root` on `listener` (bound beforehand, so that the site can be built with the
    /// server's URL as its base_url).
    fn start(listener: TcpListener, root: PathBuf) -> StaticServer {
        let addr = listener.local_addr().expect("a bound address");
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    answer(stream, &root);
                }
            }
        });
        StaticServer {
            addr,
            stop,
            thread: Some(thread),
        }
    }

    fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for StaticServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr); // wakes the accepting thread
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Answers one request on `stream`, then closes it.
fn answer(mut stream: TcpStream, root: &Path) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => break,
            Ok(_) if header.trim().is_empty() => break,
            Ok(_) => {}
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
    let path = target.split(['?', '#']).next().unwrap_or_default();
    let path = percent_decode_str(path).decode_utf8_lossy().into_owned();
    let (status, file) = match published_file(root, &path) {
        Some(file) => ("200 OK", file),
        None => ("404 Not Found", root.join("404.html")),
    };
    let body = std::fs::read(&file).unwrap_or_default();
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        content_type(&file),
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    if method != "HEAD" {
        let _ = stream.write_all(&body);
    }
}

/// The file that `path` names under [`REPO`], if there is one: never a folder, never outside.
fn published_file(root: &Path, path: &str) -> Option<PathBuf> {
    let rel = path.strip_prefix(REPO)?;
    if rel.is_empty() || rel.ends_with('/') || rel.split('/').any(|s| s.is_empty() || s == "." || s == "..") {
        return None;
    }
    let file = root.join(rel);
    file.is_file().then_some(file)
}

fn content_type(file: &Path) -> &'static str {
    match file.extension().and_then(|e| e.to_str()).unwrap_or_default() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "jsonld" => "application/ld+json",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        _ => "application/octet-stream",
    }
}

/// One answer of the server, as the crawler keeps it.
struct Fetched {
    status: u16,
    body: Vec<u8>,
    /// For an HTML page: its ids, the `href`/`src`/`action` of its elements and its canonical
    /// URL.
    page: Option<HtmlPage>,
}

struct HtmlPage {
    ids: BTreeSet<String>,
    links: Vec<String>,
    canonical: Option<String>,
}

/// A crawler over HTTP, with every answer kept by path.
struct Crawler {
    agent: ureq::Agent,
    origin: String,
    fetched: BTreeMap<String, Fetched>,
}

impl Crawler {
    fn new(origin: String) -> Crawler {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .proxy(None)
            .timeout_global(Some(Duration::from_secs(10)))
            .build()
            .into();
        Crawler {
            agent,
            origin,
            fetched: BTreeMap::new(),
        }
    }

    /// GETs `path` (once; later calls return the kept answer).
    fn get(&mut self, path: &str) -> &Fetched {
        if !self.fetched.contains_key(path) {
            let url = format!("{}{path}", self.origin);
            let mut response = self.agent.get(&url).call().unwrap_or_else(|e| panic!("GET {url}: {e}"));
            let status = response.status().as_u16();
            let is_html = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|t| t.starts_with("text/html"));
            let body = response
                .body_mut()
                .read_to_vec()
                .unwrap_or_else(|e| panic!("GET {url}: reading the body: {e}"));
            let page = is_html.then(|| {
                let html = Html::parse_document(&String::from_utf8_lossy(&body));
                let ids = html
                    .select(&selector("[id]"))
                    .filter_map(|e| e.attr("id"))
                    .map(str::to_owned)
                    .collect();
                let canonical = selector("link[rel=canonical]");
                let links = html
                    .select(&selector("[href], [src], form[action]"))
                    .filter(|e| !canonical.matches(e))
                    .filter_map(|e| e.attr("href").or(e.attr("src")).or(e.attr("action")))
                    .map(str::to_owned)
                    .collect();
                let canonical = html.select(&canonical).find_map(|e| e.attr("href")).map(str::to_owned);
                HtmlPage { ids, links, canonical }
            });
            self.fetched.insert(path.to_owned(), Fetched { status, body, page });
        }
        &self.fetched[path]
    }

    /// Checks every link of the page at `path` (fetched already): each target answers 200 and
    /// has the fragment's id. Returns the problems and the site pages the links lead to.
    fn check_links(&mut self, path: &str) -> (Vec<String>, Vec<String>) {
        let (links, own_ids) = match &self.get(path).page {
            Some(page) => (page.links.clone(), page.ids.clone()),
            None => return (Vec::new(), Vec::new()),
        };
        let (mut problems, mut pages) = (Vec::new(), Vec::new());
        for link in links {
            let Some((target, fragment)) = resolve(path, &link, &self.origin) else {
                continue; // another web site, or mailto:
            };
            if target == path {
                // The same document (`#main`): a browser does not fetch it again, which
                // matters for the 404 page, served with status 404.
                if !fragment.is_empty() && !own_ids.contains(&fragment) {
                    problems.push(format!("{path}: `{link}`: no id `{fragment}` on the page"));
                }
                continue;
            }
            let fetched = self.get(&target);
            if fetched.status != 200 {
                problems.push(format!("{path}: `{link}` → {target} answers {}", fetched.status));
                continue;
            }
            match (&fetched.page, fragment.is_empty()) {
                (Some(_), true) => pages.push(target),
                (Some(page), false) => {
                    if !page.ids.contains(&fragment) {
                        problems.push(format!("{path}: `{link}`: {target} has no id `{fragment}`"));
                    }
                    pages.push(target);
                }
                (None, false) => problems.push(format!("{path}: `{link}`: a fragment on a file that is not a page")),
                (None, true) => {}
            }
        }
        (problems, pages)
    }

    /// A page's canonical URL is its own absolute URL; the home page's may be the project's
    /// root URL (`https://USER.github.io/REPO/`), which GitHub Pages answers with it.
    fn canonical_problem(&self, path: &str) -> Option<String> {
        let canonical = self.fetched[path].page.as_ref()?.canonical.as_deref()?;
        let own = format!("{}{path}", self.origin);
        let root = format!("{}{REPO}", self.origin);
        let is_home = path == format!("{REPO}index.html");
        (canonical != own && !(is_home && canonical == root))
            .then(|| format!("{path}: the canonical URL `{canonical}` is not the page's own `{own}`"))
    }

    /// Crawls from `start`, following every link into the site. Returns the problems found
    /// and every page visited.
    fn crawl(&mut self, start: &str) -> (Vec<String>, BTreeSet<String>) {
        let mut problems = Vec::new();
        let mut seen = BTreeSet::from([start.to_owned()]);
        let mut queue = VecDeque::from([start.to_owned()]);
        while let Some(path) = queue.pop_front() {
            let status = self.get(&path).status;
            if status != 200 {
                problems.push(format!("{path} answers {status}"));
                continue;
            }
            problems.extend(self.canonical_problem(&path));
            let (found, pages) = self.check_links(&path);
            problems.extend(found);
            for page in pages {
                if page.starts_with(REPO) && seen.insert(page.clone()) {
                    queue.push_back(page);
                }
            }
        }
        (problems, seen)
    }
}

/// The path and fragment that `href`, found on the page at `page` (a path), leads to on this
/// server; `None` for another origin or a scheme other than http(s).
fn resolve(page: &str, href: &str, origin: &str) -> Option<(String, String)> {
    let (rest, fragment) = href.split_once('#').unwrap_or((href, ""));
    let rest = rest.split('?').next().unwrap_or_default();
    let fragment = percent_decode_str(fragment).decode_utf8_lossy().into_owned();
    let path = if let Some(on_origin) = rest.strip_prefix(origin) {
        if !on_origin.starts_with('/') {
            return None; // a longer port number: another origin
        }
        on_origin.to_owned()
    } else if rest.contains(':') || rest.starts_with("//") {
        return None;
    } else if rest.starts_with('/') {
        rest.to_owned()
    } else if rest.is_empty() {
        page.to_owned()
    } else {
        let folder = &page[..=page.rfind('/').unwrap_or(0)];
        format!("{folder}{rest}")
    };
    let mut segments: Vec<&str> = Vec::new();
    let ends_in_folder = path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..");
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut normal = format!("/{}", segments.join("/"));
    if ends_in_folder && normal != "/" {
        normal.push('/');
    }
    Some((normal, fragment))
}

/// A site built with `http://127.0.0.1:PORT/REPO/` as its base_url, and its server.
struct Served {
    server: StaticServer,
    out: PathBuf,
}

/// Builds with `build(base_url)` (which returns the output folder) and serves the output.
fn serve_built(build: impl FnOnce(&str) -> PathBuf) -> Served {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port on 127.0.0.1");
    let base = format!("http://{}{REPO}", listener.local_addr().expect("a bound address"));
    let out = build(&base);
    Served {
        server: StaticServer::start(listener, out.clone()),
        out,
    }
}

/// Crawls a served site from its home page; also checks that the crawl reached every page
/// glossa wrote (but 404.html, which nothing links to).
fn crawl_problems(served: &Served) -> (Vec<String>, BTreeSet<String>) {
    let mut crawler = Crawler::new(served.server.origin());
    let (mut problems, visited) = crawler.crawl(&format!("{REPO}index.html"));
    for file in files_under(&served.out).keys() {
        let path = format!("{REPO}{file}");
        if file.ends_with(".html") && file != "404.html" && !visited.contains(&path) {
            problems.push(format!("{path} is not reachable from the home page"));
        }
    }
    (problems, visited)
}

/// The 404 page as served for a missing address deep under the project path: its status,
/// whether its body is `404.html`, and the problems of its links and assets.
fn deep_404_problems(served: &Served, deep: &str) -> Vec<String> {
    let mut crawler = Crawler::new(served.server.origin());
    let expected = std::fs::read(served.out.join("404.html")).expect("404.html is written");
    let fetched = crawler.get(deep);
    let mut problems = Vec::new();
    if fetched.status != 404 {
        problems.push(format!("{deep} answers {}, not 404", fetched.status));
    }
    if fetched.body != expected {
        problems.push(format!("{deep} does not answer with the body of 404.html"));
    }
    if fetched.page.as_ref().is_none_or(|page| page.links.is_empty()) {
        problems.push(format!("{deep}: the 404 page has no links"));
    }
    problems.extend(crawler.check_links(deep).0);
    problems
}

fn assert_none(problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn build_fixture(site: &Site, base: &str) -> PathBuf {
    site.build_ok(&["--base-url", base]);
    site.out()
}

#[test]
fn a_project_site_under_a_subpath_has_no_broken_link_asset_or_fragment() {
    let site = Site::from_fixture("crawl");
    let served = serve_built(|base| build_fixture(&site, base));
    let (problems, visited) = crawl_problems(&served);
    assert_none(&problems);
    // Guards against a crawl that quietly stops exercising anything.
    for page in crate::crawl::PAGES {
        assert!(
            visited.contains(&format!("{REPO}{page}")),
            "the crawl reaches {page}: {visited:?}"
        );
    }
}

#[test]
fn the_demo_under_a_subpath_has_no_broken_link_asset_or_fragment() {
    let mut keep = None;
    let served = serve_built(|base| {
        let (tmp, out, _) = build_demo(&["--base-url", base]);
        keep = Some(tmp);
        out
    });
    let (problems, visited) = crawl_problems(&served);
    assert_none(&problems);
    assert!(visited.len() >= 5, "{visited:?}");
    assert_none(&deep_404_problems(&served, &format!("{REPO}a/b/c/missing.html")));
}

#[test]
fn the_404_page_works_at_any_depth_under_the_project_path() {
    let site = Site::from_fixture("crawl");
    let served = serve_built(|base| build_fixture(&site, base));
    for deep in [
        format!("{REPO}missing.html"),
        format!("{REPO}a/missing.html"),
        format!("{REPO}a/b/c/missing.html"),
        format!("{REPO}lawrow/no-such-page/"),
    ] {
        assert_none(&deep_404_problems(&served, &deep));
    }
}

#[test]
fn the_subpath_crawl_catches_what_is_broken() {
    // The crawler and the server themselves: a link to a folder, a missing page, a missing
    // fragment (on another page and on the same one), a wrong canonical URL and a relative
    // link in 404.html must all be reported.
    let site = Site::from_fixture("crawl");
    let served = serve_built(|base| build_fixture(&site, base));
    let page = served.out.join("lawrow/index.html");
    let html = std::fs::read_to_string(&page).unwrap_or_default();
    let html = html.replacen(
        "<p id=\"p-1\">",
        "<p id=\"p-1\"><a href=\"../about/\">a</a><a href=\"../nowhere/index.html\">b</a><a href=\"../about/index.html#nowhere\">c</a><a href=\"#elsewhere\">d</a>",
        1,
    );
    std::fs::write(&page, html).unwrap_or_default();
    let about = served.out.join("about/index.html");
    let html = std::fs::read_to_string(&about).unwrap_or_default();
    std::fs::write(
        &about,
        html.replacen("about/index.html\">", "impressum/index.html\">", 1),
    )
    .unwrap_or_default();
    let (problems, _) = crawl_problems(&served);
    assert_eq!(problems.len(), 5, "{problems:?}");
    for needle in [
        "/about/` →",
        "/nowhere/index.html",
        "has no id `nowhere`",
        "no id `elsewhere` on the page",
        "impressum/index.html` is not the page's own",
    ] {
        assert!(problems.iter().any(|p| p.contains(needle)), "{needle} in {problems:?}");
    }

    let not_found = served.out.join("404.html");
    let html = std::fs::read_to_string(&not_found).unwrap_or_default();
    std::fs::write(
        &not_found,
        html.replacen("</main>", "<a href=\"static/glossa.css\">relative</a></main>", 1),
    )
    .unwrap_or_default();
    let problems = deep_404_problems(&served, &format!("{REPO}a/b/c/missing.html"));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("a/b/c/static/glossa.css"), "{problems:?}");
}

#[test]
fn urls_resolve_like_a_browser() {
    let o = "http://127.0.0.1:4000";
    let page = "/r/lawrow/index.html";
    let cases = [
        ("../about/index.html#kontakt", Some(("/r/about/index.html", "kontakt"))),
        ("#p-1", Some(("/r/lawrow/index.html", "p-1"))),
        ("../../../../x.html", Some(("/x.html", ""))),
        ("/r/static/glossa.css", Some(("/r/static/glossa.css", ""))),
        ("http://127.0.0.1:4000/r/index.html", Some(("/r/index.html", ""))),
        ("http://127.0.0.1:40000/r/index.html", None),
        ("https://example.org/nbc", None),
        ("mailto:a@example.org", None),
        ("../about/", Some(("/r/about/", ""))),
        ("./", Some(("/r/lawrow/", ""))),
    ];
    for (href, expected) in cases {
        let got = resolve(page, href, o);
        let expected = expected.map(|(p, f)| (p.to_owned(), f.to_owned()));
        assert_eq!(got, expected, "{href}");
    }
}
