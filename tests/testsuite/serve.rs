//! `glossa serve` (contract §6): serves the last good site on 127.0.0.1, rebuilds on changes,
//! pushes a reload event, shows a broken edit in an overlay, refuses paths that leave the site.

use crate::support::{Site, glossa};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The server process, stopped when the test ends, however it ends.
pub struct Server {
    child: Child,
    pub addr: String,
}

impl Drop for Server {
    /// Stops serve as a user does (SIGTERM), so that it removes its folder in the system's
    /// temp folder; killed outright, if it does not stop, with the folder removed here.
    fn drop(&mut self) {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        for _ in 0..100 {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(folder) = private_folder(self.child.id()) {
            let _ = std::fs::remove_dir_all(folder);
        }
    }
}

/// The private folder serve with this process id builds in (`TMP/glossa-serve-PID-RANDOM`).
fn private_folder(pid: u32) -> Option<std::path::PathBuf> {
    let prefix = format!("glossa-serve-{pid}-");
    std::fs::read_dir(std::env::temp_dir())
        .ok()?
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
}

pub fn start(site: &Site) -> Server {
    start_watched(site).server
}

/// A raw GET (the path is sent exactly as given); returns the status code and the body.
pub fn get(addr: &str, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    response(s)
}

/// Reads a whole HTTP response from `s`: its status code and its body.
pub fn response(mut s: TcpStream) -> (u16, String) {
    let mut response = String::new();
    let _ = s.read_to_string(&mut response);
    let status = response.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

pub fn wait_for(what: &str, mut ok: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ok() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serve_rebuilds_reloads_shows_errors_and_stays_inside_the_site() {
    let site = Site::new(&[
        ("seeds/a.md", "# Hunde\n\nDer Hund bellt laut.\n"),
        ("seeds/a.yaml", "annotations:\n  - quote: Hund\n    gloss: dog\n"),
    ]);
    let server = start(&site);
    let (status, page) = get(&server.addr, "/a/index.html");
    assert_eq!(status, 200);
    assert!(page.contains(">dog</span>"), "{page}");
    assert!(page.contains("EventSource"), "served pages carry the reload script");

    // A listener for reload events.
    let addr = server.addr.clone();
    let (tx, reloads) = mpsc::channel();
    std::thread::spawn(move || {
        let mut s = TcpStream::connect(&addr).unwrap();
        write!(s, "GET /__glossa/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            // A browser dispatches an event only with a data line.
            if line == "data: reload" {
                let _ = tx.send(());
            }
        }
    });
    std::thread::sleep(Duration::from_millis(300));

    // An edit: the page is rebuilt, and open pages are told to reload.
    site.write(
        "seeds/a.yaml",
        "annotations:\n  - quote: Hund\n    gloss: dog\n  - quote: laut\n    gloss: loudly\n",
    );
    wait_for("the rebuilt page", || {
        get(&server.addr, "/a/index.html").1.contains(">loudly</span>")
    });
    reloads.recv_timeout(Duration::from_secs(10)).expect("a reload event");

    // A broken edit: the overlay shows the error over the last good site.
    site.write("seeds/a.yaml", "annotations:\n  - quote: Katze\n    gloss: cat\n");
    wait_for("the overlay", || {
        get(&server.addr, "/a/index.html").1.contains("glossa-overlay")
    });
    let (status, page) = get(&server.addr, "/a/index.html");
    assert_eq!(status, 200);
    assert!(page.contains(">loudly</span>"), "the last good page is still served");
    assert!(page.contains("seeds/a.yaml:2:"), "the overlay shows the diagnostic");

    // Paths that try to leave the site.
    for path in ["/../Cargo.toml", "/a/../../x", "/%2e%2e/x", "/%2E%2E%2Fseeds%2Fa.md"] {
        let (status, body) = get(&server.addr, path);
        assert!(status == 403 || status == 400, "{path}: {status}");
        assert!(!body.contains("Hund"), "{path} leaked a file");
    }
    drop(server);
}

#[test]
fn built_pages_never_carry_the_reload_script() {
    let site = Site::new(&[("seeds/a.md", "# Hunde\n\nDer Hund.\n")]);
    site.build_ok(&[]);
    for page in ["index.html", "a/index.html", "404.html"] {
        let html = std::fs::read_to_string(site.out().join(page)).unwrap();
        assert!(!html.contains("EventSource") && !html.contains("__glossa"), "{page}");
    }
    let run = glossa(&site.root(), &["serve", "--root", "/nonexistent/site"]);
    assert_eq!(run.code, 2, "{run}");
}

/// `glossa serve` with its output lines collected, and the folder it builds into.
pub(crate) struct Watched {
    pub(crate) server: Server,
    pub(crate) lines: mpsc::Receiver<String>,
    pub(crate) out: std::path::PathBuf,
}

pub(crate) fn start_watched(site: &Site) -> Watched {
    let root = site.root();
    let mut child = Command::new(env!("CARGO_BIN_EXE_glossa"))
        .args(["serve", "--root", root.to_str().unwrap(), "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start glossa serve");
    let stdout = child.stdout.take().unwrap();
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let addr = loop {
        let line = lines
            .recv_timeout(Duration::from_secs(20))
            .expect("serve prints its URL");
        if let Some(rest) = line.strip_prefix("serving http://") {
            break rest.split('/').next().unwrap_or_default().to_owned();
        }
    };
    assert!(addr.starts_with("127.0.0.1:"), "binds 127.0.0.1 only: {addr}");
    let out = private_folder(child.id()).expect("serve's folder").join("site");
    Watched {
        server: Server { child, addr },
        lines,
        out,
    }
}

/// Replaces `rel` with `text` at once, as editors save (a new file renamed over the old one),
/// and returns serve's line about the rebuild that follows: `rebuilt` after a full build,
/// `rebuilt REL in …: PAGES` after a partial one.
fn save_and_wait(w: &Watched, site: &Site, rel: &str, text: &str) -> String {
    let tmp = site.root().join(".edit.tmp");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, site.root().join(rel)).unwrap();
    loop {
        let line = w
            .lines
            .recv_timeout(Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("serve reports the edit of {rel}:\n{text}"));
        if line.starts_with("rebuilt") {
            return line;
        }
    }
}

/// Replaces a file at once (as editors save: a new file renamed over the old one), and returns
/// the pages that serve says the edit rewrote.
pub(crate) fn edit(w: &Watched, site: &Site, rel: &str, text: &str) -> Vec<String> {
    let line = save_and_wait(w, site, rel, text);
    assert!(
        line.starts_with(&format!("rebuilt {rel} in ")),
        "a partial rebuild: {line}"
    );
    let pages = line.split_once(": ").map(|(_, p)| p).unwrap_or_default();
    pages.split(' ').map(str::to_owned).collect()
}

#[test]
fn an_edit_rebuilds_exactly_the_pages_it_changes() {
    let site = Site::new(&[
        (
            "content/glossary.yaml",
            "- id: hund\n  term: Hund\n  definition: Ein Tier.\n- id: katze\n  term: Katze\n  definition: Auch eins.\n",
        ),
        ("seeds/a.md", "# Hunde\n\nDer Hund bellt laut.\n\nDie Katze schläft.\n"),
        ("seeds/a.yaml", "annotations:\n  - quote: bellt\n    gloss: barks\n"),
        ("seeds/b.md", "# Zweiter\n\nEin Hund und eine Katze.\n"),
        ("seeds/b.yaml", "annotations:\n  - quote: eine\n    gloss: one\n"),
        ("seeds/c.md", "# Dritter\n\nNoch ein Hund, siehe [A](doc:a).\n"),
        ("seeds/c.yaml", "annotations:\n  - quote: Noch\n    gloss: still\n"),
    ]);
    let w = start_watched(&site);
    // Only a gloss: only the document's own page.
    assert_eq!(
        edit(
            &w,
            &site,
            "seeds/a.yaml",
            "annotations:\n  - quote: bellt\n    gloss: woofs\n"
        ),
        ["a/index.html"]
    );
    // A link to b: b lists a among the pages that link to it.
    assert_eq!(
        edit(
            &w,
            &site,
            "seeds/a.yaml",
            "annotations:\n  - quote: bellt\n    gloss: woofs\n  - quote: laut\n    see: doc:b\n",
        ),
        ["a/index.html", "b/index.html"]
    );
    // A new title: the home page, the entries that quote the document, and the pages it
    // links to (their lists of who links to them show its title); c only links to it.
    assert_eq!(
        edit(
            &w,
            &site,
            "seeds/a.md",
            "# Hunde und Katzen\n\nDer Hund bellt laut.\n\nDie Katze schläft.\n"
        ),
        [
            "a/index.html",
            "b/index.html",
            "glossary/hund/index.html",
            "glossary/katze/index.html",
            "index.html"
        ]
    );
    // An occurrence fewer: that entry, the glossary's counts, the home page's term count (not
    // the other entry: its occurrence's context, another paragraph, is as it was).
    assert_eq!(
        edit(
            &w,
            &site,
            "seeds/a.md",
            "# Hunde und Katzen\n\nDer Hund bellt laut.\n\nSie schläft.\n"
        ),
        [
            "a/index.html",
            "glossary/index.html",
            "glossary/katze/index.html",
            "index.html"
        ]
    );
    // What serve holds is what a full build makes (annotations.jsonld comes a moment later).
    let full = site.beside("full");
    let run = glossa(
        &site.root(),
        &[
            "build",
            "--root",
            site.root().to_str().unwrap(),
            "--out",
            full.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{run}");
    let expected = crate::support::files_under(&full);
    // annotations.jsonld and the search index follow once the edits pause.
    let whole_site = |path: &String| path == "annotations.jsonld" || path.starts_with("search/");
    wait_for("annotations.jsonld and the search index", || {
        let served = crate::support::files_under(&w.out);
        expected
            .iter()
            .filter(|(path, _)| whole_site(path))
            .all(|(path, bytes)| served.get(path) == Some(bytes))
    });
    let served = crate::support::files_under(&w.out);
    assert_eq!(
        served.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "the same files"
    );
    for (path, bytes) in &expected {
        assert!(served[path] == *bytes, "{path} differs from a full build");
    }
    drop(w.server);
}

/// `kill` (SIGTERM) stops serve at once, even while a page holds its reload stream open, and
/// serve removes the folder it built into.
#[cfg(unix)]
#[test]
fn a_stopped_server_removes_its_folder_even_with_a_page_open() {
    let site = Site::new(&[("seeds/a.txt", "Titel\n\nText.\n")]);
    let mut w = start_watched(&site);
    assert!(
        w.out.join("a/index.html").exists(),
        "serve builds into {}",
        w.out.display()
    );
    let mut stream = TcpStream::connect(&w.server.addr).unwrap();
    write!(
        stream,
        "GET /__glossa/events HTTP/1.1\r\nHost: {}\r\n\r\n",
        w.server.addr
    )
    .unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).unwrap();
    assert_eq!(&head, b"HTTP/1.1 200", "the reload stream is open");
    let pid = w.server.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    wait_for("serve to exit", || w.server.child.try_wait().unwrap().is_some());
    assert!(!w.out.exists(), "{} is left behind", w.out.display());
    assert!(
        !w.out.parent().unwrap().exists(),
        "serve's private folder is left behind"
    );
}

/// serve builds in a folder of its own that no other user can have made first or can read
/// (not `glossa-serve-PID`, which anyone can guess and make), and removes it on SIGHUP, as a
/// closed terminal sends.
#[cfg(unix)]
#[test]
fn serve_builds_in_a_private_folder_removed_on_hangup() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::new(&[("seeds/a.txt", "Titel\n\nText.\n")]);
    let mut w = start_watched(&site);
    let folder = w.out.parent().unwrap().to_owned();
    let name = folder.file_name().unwrap().to_string_lossy().into_owned();
    let pid = w.server.child.id().to_string();
    assert!(
        name.len() > format!("glossa-serve-{pid}-").len(),
        "the name has a random part: {name}"
    );
    let mode = std::fs::metadata(&folder).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700, "{} is private", folder.display());
    assert!(w.out.join("a/index.html").is_file());
    assert!(Command::new("kill").args(["-HUP", &pid]).status().unwrap().success());
    wait_for("serve to exit", || w.server.child.try_wait().unwrap().is_some());
    assert!(!folder.exists(), "{} is left behind", folder.display());
}

/// Stopped while it builds the site again, serve lets that build finish before it removes its
/// folder: neither the folder nor the build's staging folder beside it is left behind.
#[cfg(unix)]
#[test]
fn a_server_stopped_during_a_rebuild_leaves_nothing_behind() {
    // Enough documents that building them all again takes a while.
    let site = Site::of_documents(300);
    let w = start_watched(&site);
    let folder = w.out.parent().unwrap().to_owned();
    let staging = || crate::support::stray_staging(&folder);
    // A new document: the whole site is built again, into a staging folder.
    std::fs::write(site.root().join("seeds/neu.md"), "# Neu\n\nNeu.\n").unwrap();
    wait_for("the rebuild to start", || !staging().is_empty());
    let pid = w.server.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let mut w = w;
    wait_for("serve to exit", || w.server.child.try_wait().unwrap().is_some());
    assert!(!folder.exists(), "{} is left behind", folder.display());
}

/// Every file of `dir` with its bytes; `None` while a file goes or comes under it (serve
/// renames pages into place while this reads).
fn files_now(dir: &std::path::Path) -> Option<std::collections::BTreeMap<String, Vec<u8>>> {
    fn walk(
        base: &std::path::Path,
        dir: &std::path::Path,
        out: &mut std::collections::BTreeMap<String, Vec<u8>>,
    ) -> Option<()> {
        for e in std::fs::read_dir(dir).ok()? {
            let path = e.ok()?.path();
            if path.is_dir() {
                walk(base, &path, out)?;
            } else {
                let rel = path.strip_prefix(base).ok()?.to_string_lossy().replace('\\', "/");
                out.insert(rel, std::fs::read(&path).ok()?);
            }
        }
        Some(())
    }
    let mut out = std::collections::BTreeMap::new();
    walk(dir, dir, &mut out)?;
    Some(out)
}

/// The files a full build of `site` makes, in a folder beside it (`full-N`).
fn full_build(site: &Site, n: usize) -> std::collections::BTreeMap<String, Vec<u8>> {
    let full = site.beside(&format!("full-{n}"));
    let root = site.root();
    let (root_arg, out_arg) = (root.to_str().unwrap(), full.to_str().unwrap());
    let run = glossa(&root, &["build", "--root", root_arg, "--out", out_arg]);
    assert_eq!(run.code, 0, "{run}");
    crate::support::files_under(&full)
}

/// Replaces a file as editors save it, waits for serve to report the rebuild — only the
/// pages the edit can change when `partial`, the whole site otherwise — and then for every
/// file serve holds (annotations.jsonld and the search index follow a moment later) to be,
/// byte for byte, what a full `glossa build` of the same files makes.
pub(crate) fn edit_and_compare(w: &Watched, site: &Site, n: usize, rel: &str, text: &str, partial: bool) {
    let line = save_and_wait(w, site, rel, text);
    if partial {
        assert!(
            line.starts_with(&format!("rebuilt {rel} in ")),
            "a partial rebuild: {line}"
        );
    } else {
        assert_eq!(line, "rebuilt", "a full rebuild");
    }
    let expected = full_build(site, n);
    let start = Instant::now();
    loop {
        let served = files_now(&w.out).unwrap_or_default();
        if served == expected {
            return;
        }
        if start.elapsed() > Duration::from_secs(20) {
            let differ: std::collections::BTreeSet<&String> = expected
                .keys()
                .chain(served.keys())
                .filter(|p| served.get(*p) != expected.get(*p))
                .collect();
            panic!("edit {n} ({rel}): serve's files differ from a full build: {differ:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Every field any page shows, edited under serve one at a time: after each edit, every file
/// serve holds is what a full build makes (issue #18: a document's `lang` changed its page, but
/// the home page and the glossary's entry pages went on showing the old one).
#[test]
fn after_any_edit_serve_holds_what_a_full_build_makes() {
    let glossary = |term: &str, kind: &str, forms: &str, definition: &str, see: &str| {
        format!(
            "- id: hund\n  term: {term}\n  kind: {kind}\n  forms: {forms}\n  definition: {definition}\n  see: {see}\n\
             - id: katze\n  term: Katze\n  definition: Auch ein Tier.\n"
        )
    };
    let text = |title: &str| format!("# {title}\n\nDer Hund bellt laut und lange. Die Katze schläft.\n");
    let sidecar = |meta: &str, annotations: &str| format!("{meta}annotations:\n{annotations}");
    let meta = "author: Anna\nlang: de\ndate: 2024-01-02\nsummary: Vom Hund.\nweight: 1\n";
    let notes = "  - quote: bellt\n    note: Ein *Laut*.\n  - quote: laut\n    gloss: loudly\n  \
                 - quote: schläft\n    term: katze\n  - quote: Die\n    see: doc:b\n";
    let site = Site::new(&[
        (
            "content/site.yaml",
            "title: Lesen\nlang: en\nbase_url: https://example.org/\n",
        ),
        (
            "content/glossary.yaml",
            &glossary("Hund", "animal", "[Hund]", "Ein Tier.", "[katze]"),
        ),
        ("seeds/a.md", &text("Hunde")),
        ("seeds/a.yaml", &sidecar(meta, notes)),
        ("seeds/b.md", "# Zweiter\n\nEin Hund und eine Katze.\n"),
        (
            "seeds/b.yaml",
            "date: 2024-03-04\nannotations:\n  - quote: eine\n    gloss: one\n",
        ),
    ]);
    let w = start_watched(&site);
    let a = "seeds/a.yaml";
    let mut n = 0;
    let mut edit = |rel: &str, text: &str, partial: bool| {
        n += 1;
        edit_and_compare(&w, &site, n, rel, text, partial);
    };
    // The document's fields, in its text and its sidecar.
    edit("seeds/a.md", &text("Hunde und Katzen"), true);
    let mut meta = meta.to_owned();
    for (from, to) in [
        ("author: Anna", "author: Berta"),
        ("lang: de", "lang: fr"),
        ("date: 2024-01-02", "date: 2023-05-06"),
        ("summary: Vom Hund.", "summary: Von Hund und Katze."),
        ("weight: 1", "weight: -1"),
    ] {
        meta = meta.replace(from, to);
        edit(a, &sidecar(&meta, notes), true);
    }
    // The annotations' fields.
    let mut notes = notes.to_owned();
    for (from, to) in [
        ("quote: laut", "quote: lange"),
        ("note: Ein *Laut*.", "note: Ein Geräusch."),
        ("gloss: loudly", "gloss: at length"),
        ("term: katze", "term: hund"),
        ("see: doc:b", "see: term:katze"),
    ] {
        notes = notes.replace(from, to);
        edit(a, &sidecar(&meta, &notes), true);
    }
    // What changes the site's set of pages: a full build.
    edit(a, &sidecar(&format!("{meta}draft: true\n"), &notes), false);
    edit(a, &sidecar(&meta, &notes), false);
    edit(a, &sidecar(&format!("slug: hunde\n{meta}"), &notes), false);
    // After a full build, documents are rebuilt on their own again.
    edit(
        a,
        &sidecar(&format!("slug: hunde\n{}", meta.replace("fr", "de")), &notes),
        true,
    );
    // The glossary's fields and the site's title.
    let g = "content/glossary.yaml";
    edit(
        g,
        &glossary("Haushund", "animal", "[Hund]", "Ein Tier.", "[katze]"),
        false,
    );
    edit(g, &glossary("Haushund", "pet", "[Hund]", "Ein Tier.", "[katze]"), false);
    edit(
        g,
        &glossary("Haushund", "pet", "[Hund, Hunde]", "Ein Tier.", "[katze]"),
        false,
    );
    edit(
        g,
        &glossary("Haushund", "pet", "[Hund, Hunde]", "Ein *bellendes* Tier.", "[katze]"),
        false,
    );
    edit(
        g,
        &glossary("Haushund", "pet", "[Hund, Hunde]", "Ein *bellendes* Tier.", "[]"),
        false,
    );
    edit(
        "content/site.yaml",
        "title: Lesen lernen\nlang: en\nbase_url: https://example.org/\n",
        false,
    );
    // The dated documents lose their dates: with the last, the site loses its feed, and every
    // page its link to it (a full build).
    edit("seeds/b.yaml", "annotations:\n  - quote: eine\n    gloss: one\n", true);
    let undated = meta.replace("fr", "de").replace("date: 2023-05-06\n", "");
    edit(a, &sidecar(&format!("slug: hunde\n{undated}"), &notes), false);
}

/// The text of the chapter `name` of the book at `path`, if there is a whole book there.
fn chapter_of(path: &std::path::Path, name: &str) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut text = String::new();
    zip.by_name(name).ok()?.read_to_string(&mut text).ok()?;
    Some(text)
}

#[test]
fn the_book_follows_an_edit_once_edits_pause() {
    let site = Site::new(&[
        ("content/site.yaml", "title: Tiere\nepub:\n  file: tiere.epub\n"),
        ("seeds/a.md", "# A\n\nDer Hund bellt.\n"),
        ("seeds/a.yaml", "annotations:\n  - quote: bellt\n    note: Laut.\n"),
    ]);
    let w = start_watched(&site);
    let book = w.out.join("tiere.epub");
    let first = chapter_of(&book, "EPUB/a.xhtml").expect("the first build writes the book");
    assert!(first.contains("Laut.") && !first.contains("Sehr laut."), "{first}");
    edit(
        &w,
        &site,
        "seeds/a.yaml",
        "annotations:\n  - quote: bellt\n    note: Sehr laut.\n",
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if chapter_of(&book, "EPUB/a.xhtml").is_some_and(|c| c.contains("Sehr laut.")) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the book was not written again after the edit"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The files made of every document (annotations.jsonld, the search index, the book) follow
/// each edit once edits pause, made from what they kept and the documents edited since: each
/// time what a full build makes.
#[test]
fn the_files_made_of_every_document_follow_each_edit_as_a_full_build_makes_them() {
    let note = |text: &str| format!("annotations:\n  - quote: bellt\n    note: {text}\n");
    let site = Site::new(&[
        (
            "content/site.yaml",
            "title: Tiere\nbase_url: https://example.org/\nepub:\n  file: tiere.epub\n",
        ),
        ("seeds/a.md", "# A\n\nDer Hund bellt.\n"),
        ("seeds/a.yaml", note("Laut.").as_str()),
        ("seeds/b.md", "# B\n\nDer Fuchs bellt.\n"),
        ("seeds/b.yaml", note("Leise.").as_str()),
        ("seeds/c.md", "# C\n\nDer Wolf bellt.\n"),
        ("seeds/c.yaml", note("Fern.").as_str()),
    ]);
    let w = start_watched(&site);
    let whole_site = |path: &String| path.ends_with(".jsonld") || path.starts_with("search/") || path == "tiere.epub";
    for (n, (rel, text)) in [
        ("seeds/b.yaml", "Sehr leise."),
        ("seeds/c.yaml", "Sehr fern, und länger."),
        ("seeds/b.yaml", "Still."),
    ]
    .into_iter()
    .enumerate()
    {
        edit(&w, &site, rel, &note(text));
        let expected: Vec<(String, Vec<u8>)> = (full_build(&site, n).into_iter())
            .filter(|(path, _)| whole_site(path))
            .collect();
        assert!(expected.len() > 3, "{expected:?}");
        wait_for(&format!("the files made of every document after edit {n}"), || {
            let served = crate::support::files_under(&w.out);
            let served: Vec<_> = served.into_iter().filter(|(path, _)| whole_site(path)).collect();
            served == expected
        });
    }
}

#[test]
fn removing_a_static_file_shows_the_links_to_it_as_errors_and_adding_it_back_mends_them() {
    let site = Site::new(&[
        ("seeds/a.md", "# Karte\n\nDie Karte: ![Karte](static:img/karte.svg)\n"),
        (
            "content/static/img/karte.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
        ),
    ]);
    let server = start(&site);
    let (status, page) = get(&server.addr, "/a/index.html");
    assert_eq!(status, 200);
    assert!(page.contains("src=\"../img/karte.svg\""), "{page}");
    std::fs::remove_file(site.root().join("content/static/img/karte.svg")).unwrap();
    wait_for("the overlay", || {
        get(&server.addr, "/a/index.html").1.contains("glossa-overlay")
    });
    let (_, page) = get(&server.addr, "/a/index.html");
    assert!(
        page.contains("seeds/a.md:3:12: error: no file `img/karte.svg` in content/static/"),
        "{page}"
    );
    site.write(
        "content/static/img/karte.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    wait_for("the mended site", || {
        let (status, page) = get(&server.addr, "/a/index.html");
        status == 200 && !page.contains("glossa-overlay")
    });
    assert_eq!(get(&server.addr, "/img/karte.svg").0, 200);
}
