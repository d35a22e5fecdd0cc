//! What every test module shares: a fixture site in a temporary folder, the real `glossa`
//! binary run on it, and the pages it wrote, parsed.
//!
//! Tests talk to glossa only the way a user does — files on disk, the command line, the
//! output folder — so they pin the contract, not the internals.

use scraper::{ElementRef, Html, Selector};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A site written into a fresh temporary folder. The site itself is `TMP/site`, so a test can
/// use siblings of it (`TMP/elsewhere`) for `--out`.
pub struct Site {
    tmp: tempfile::TempDir,
}

impl Site {
    /// A site made of `(path relative to the site root, contents)` pairs.
    pub fn new(files: &[(&str, &str)]) -> Site {
        let site = Site {
            tmp: tempfile::tempdir().expect("a temporary folder"),
        };
        std::fs::create_dir_all(site.root()).expect("the site folder");
        for (path, contents) in files {
            site.write(path, contents);
        }
        site
    }

    /// A site of `n` small Markdown documents (`seeds/d000.md`, …), enough for a build that
    /// takes a while.
    pub fn of_documents(n: usize) -> Site {
        let docs: Vec<(String, String)> = (0..n)
            .map(|i| {
                (
                    format!("seeds/d{i:03}.md"),
                    format!("# Titel {i}\n\nDer Hund {i} bellt, und die Katze {i} schläft.\n"),
                )
            })
            .collect();
        let files: Vec<(&str, &str)> = docs.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
        Site::new(&files)
    }

    /// A copy of a fixture folder under `tests/testsuite/fixtures/`.
    pub fn from_fixture(name: &str) -> Site {
        let site = Site::new(&[]);
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/testsuite/fixtures")
            .join(name);
        for (rel, bytes) in files_under(&from) {
            site.write(&rel, bytes);
        }
        site
    }

    pub fn root(&self) -> PathBuf {
        self.tmp.path().join("site")
    }

    /// A path beside the site (not inside it), for `--out`.
    pub fn beside(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.root().join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("create folders");
        std::fs::write(&path, contents).expect("write a fixture file");
    }

    /// The default output folder, `ROOT/public`.
    pub fn out(&self) -> PathBuf {
        self.root().join("public")
    }

    /// `glossa build --root ROOT ARGS…`
    pub fn build(&self, args: &[&str]) -> Run {
        let root = self.root();
        let mut all = vec!["build", "--root", root.to_str().expect("a UTF-8 temp path")];
        all.extend_from_slice(args);
        glossa(&root, &all)
    }

    /// Builds and insists on success.
    pub fn build_ok(&self, args: &[&str]) -> Run {
        let run = self.build(args);
        assert_eq!(run.code, 0, "the build should succeed\n{run}");
        run
    }

    /// A page of the default output folder, e.g. `"a/index.html"`.
    pub fn page(&self, rel: &str) -> Page {
        Page::open(&self.out().join(rel))
    }

    /// Asserts what every failed build promises: exit 1, each `needle` in stderr, and nothing
    /// written — no output folder and no staging folder left beside it.
    pub fn assert_fails(&self, run: &Run, needles: &[&str]) {
        assert_eq!(run.code, 1, "the build should fail with exit code 1\n{run}");
        for needle in needles {
            assert!(run.stderr.contains(needle), "stderr should contain {needle:?}\n{run}");
        }
        assert!(
            !self.out().exists(),
            "a failed build must write nothing, but {} exists",
            self.out().display()
        );
        assert_eq!(
            stray_staging(&self.root()),
            Vec::<String>::new(),
            "a failed build left a staging folder"
        );
    }
}

/// Builds the repository's own demo site (its seeds/, content/, themes/) into `TMP/demo` of a
/// fresh temporary folder, with `--quiet` and `args`; insists on success.
pub fn build_demo(args: &[&str]) -> (tempfile::TempDir, PathBuf, Run) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let out = tmp.path().join("demo");
    let mut all = vec![
        "build",
        "--root",
        root.to_str().expect("a UTF-8 repository path"),
        "--out",
        out.to_str().expect("a UTF-8 temp path"),
        "--quiet",
    ];
    all.extend_from_slice(args);
    let run = glossa(tmp.path(), &all);
    assert_eq!(run.code, 0, "the demo should build\n{run}");
    (tmp, out, run)
}

/// Runs the real binary with `args` in `cwd`.
pub fn glossa(cwd: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_glossa"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run glossa");
    Run {
        args: args.iter().map(|s| s.to_string()).collect(),
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// One run of the binary.
pub struct Run {
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "--- glossa {}\n--- exit code: {}\n--- stdout:\n{}--- stderr:\n{}---",
            self.args.join(" "),
            self.code,
            self.stdout,
            self.stderr
        )
    }
}

impl Run {
    /// The stderr lines that start a diagnostic (`PATH…: error: …`).
    pub fn errors(&self) -> Vec<&str> {
        self.stderr.lines().filter(|l| l.contains(": error: ")).collect()
    }

    /// The messages of the errors, without their `PATH:LINE:COL: error: ` lead.
    pub fn error_messages(&self) -> Vec<&str> {
        self.errors()
            .into_iter()
            .filter_map(|l| l.split_once(": error: ").map(|(_, m)| m))
            .collect()
    }

    pub fn warnings(&self) -> Vec<&str> {
        self.stderr.lines().filter(|l| l.contains(": warning: ")).collect()
    }
}

/// Folders whose name says they are glossa's staging folders, directly in `dir`.
pub fn stray_staging(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.contains("glossa-staging"))
                .collect()
        })
        .unwrap_or_default()
}

/// Every file under `dir` (hidden ones too), by path relative to it with `/`, and its bytes.
pub fn files_under(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("read a folder")
            .filter_map(Result::ok)
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let path = e.path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .expect("under base")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&path).expect("read a file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// A parsed HTML page.
pub struct Page {
    pub path: PathBuf,
    pub source: String,
    pub html: Html,
}

pub fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css:?}: {e:?}"))
}

impl Page {
    pub fn open(path: &Path) -> Page {
        let source = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        Page {
            path: path.to_owned(),
            html: Html::parse_document(&source),
            source,
        }
    }

    pub fn all(&self, css: &str) -> Vec<ElementRef<'_>> {
        self.html.select(&selector(css)).collect()
    }

    /// The one element matching `css`; fails the test unless there is exactly one.
    pub fn one(&self, css: &str) -> ElementRef<'_> {
        let found = self.all(css);
        assert_eq!(
            found.len(),
            1,
            "expected exactly one `{css}` in {}, found {}",
            self.path.display(),
            found.len()
        );
        found[0]
    }

    /// The one element with this `id`.
    pub fn by_id(&self, id: &str) -> ElementRef<'_> {
        self.one(&format!("[id=\"{id}\"]"))
    }

    pub fn has_id(&self, id: &str) -> bool {
        !self.all(&format!("[id=\"{id}\"]")).is_empty()
    }

    /// Every `id` attribute in document order.
    pub fn ids(&self) -> Vec<String> {
        self.all("[id]")
            .iter()
            .filter_map(|e| e.attr("id"))
            .map(str::to_owned)
            .collect()
    }

    /// The `<html lang>` attribute.
    pub fn lang(&self) -> String {
        self.one("html").attr("lang").unwrap_or_default().to_owned()
    }

    /// The `href` of every `<a>` whose text (whitespace-folded) is `text`.
    pub fn hrefs_of(&self, text: &str) -> Vec<String> {
        self.hrefs_in("html", text)
    }

    /// The `href` of every `<a>` inside `scope` (a selector) whose text is `text`.
    pub fn hrefs_in(&self, scope: &str, text: &str) -> Vec<String> {
        self.all(&format!("{scope} a[href]"))
            .iter()
            .filter(|a| text_of(a) == text)
            .filter_map(|a| a.attr("href"))
            .map(str::to_owned)
            .collect()
    }
}

/// An element's text with whitespace runs folded to one space and trimmed.
pub fn text_of(e: &ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The node right after `e` (text or element), as an element if it is one.
pub fn next_node_element<'a>(e: &ElementRef<'a>) -> Option<ElementRef<'a>> {
    e.next_sibling().and_then(ElementRef::wrap)
}

/// Whether a node is part of what a reader reads as the text, not glossa's additions to it
/// (gloss texts, note numbers, note bodies).
fn is_reading_text<'a>(mut ancestors: impl Iterator<Item = ElementRef<'a>>) -> bool {
    let added = selector(".gloss-text, [role=\"doc-noteref\"], [role=\"doc-footnote\"]");
    !ancestors.any(|a| added.matches(&a))
}

/// The reading text inside `e`: its text without gloss texts, note numbers and note bodies,
/// whitespace-folded.
pub fn reading_text(e: &ElementRef) -> String {
    let s: String = e
        .descendants()
        .filter(|n| is_reading_text(n.ancestors().filter_map(ElementRef::wrap)))
        .filter_map(|n| n.value().as_text().map(|t| t.to_string()))
        .collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The reading text right before and right after `e` inside its block (the nearest `p`, `li`,
/// heading or table cell), for checking *which* match an element wraps.
pub fn surroundings(e: &ElementRef) -> (String, String) {
    let block = e
        .ancestors()
        .filter_map(ElementRef::wrap)
        .find(|a| {
            matches!(
                a.value().name(),
                "p" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "td" | "th"
            )
        })
        .expect("an element inside a block");
    let (mut before, mut after, mut seen) = (String::new(), String::new(), false);
    for node in block.descendants() {
        if let Some(t) = node.value().as_text() {
            if node.ancestors().any(|a| a.id() == e.id()) {
                seen = true;
            } else if !is_reading_text(node.ancestors().filter_map(ElementRef::wrap)) {
                continue;
            } else if seen {
                after.push_str(t);
            } else {
                before.push_str(t);
            }
        }
    }
    (before, after)
}

/// Whether `e` lies inside an element matching `css`.
pub fn is_inside(e: &ElementRef, css: &str) -> bool {
    let sel = selector(css);
    e.ancestors().filter_map(ElementRef::wrap).any(|a| sel.matches(&a))
}

/// A relative URL (without its fragment) resolved against the folder of `page`.
pub fn resolve_href(page: &Path, href: &str) -> PathBuf {
    let mut path = page.parent().expect("a page's folder").to_path_buf();
    for part in href.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                path.pop();
            }
            p => path.push(p),
        }
    }
    path
}
