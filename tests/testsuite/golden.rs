//! Golden files: the `<main>` of a few representative pages, kept in `tests/testsuite/golden/`
//! and compared byte for byte, so that any change to rendering shows up as a diff in review.
//!
//! The fixture (`fixtures/golden/`) has a plain-text document with glosses, notes and a `see`
//! link, a Markdown document with footnotes, code, a table and nested lists, two glossary
//! entries and an about page. It is built in the default theme and in `classic`.
//!
//! After an intended change, write the files anew with `UPDATE_EXPECT=1 cargo test golden`,
//! then read the diff before committing it.

use crate::support::Site;
use std::path::{Path, PathBuf};

/// (page in the output, golden file) for the default theme.
const DEFAULT_PAGES: &[(&str, &str)] = &[
    ("ballade/index.html", "txt-document.html"),
    ("aufsatz/index.html", "md-document.html"),
    ("glossary/erlkoenig/index.html", "glossary-entry.html"),
    ("index.html", "home.html"),
];

/// The same for the classic theme (endnotes instead of sidenotes).
const CLASSIC_PAGES: &[(&str, &str)] = &[
    ("ballade/index.html", "classic-txt-document.html"),
    ("aufsatz/index.html", "classic-md-document.html"),
];

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/testsuite/golden")
}

/// The page's `<main …>…</main>`, with a newline at the end.
fn main_of(html: &str, page: &str) -> String {
    let start = html.find("<main").unwrap_or_else(|| panic!("{page} has no <main>"));
    let end = html[start..]
        .find("</main>")
        .map(|e| start + e + "</main>".len())
        .unwrap_or_else(|| panic!("{page} has no </main>"));
    format!("{}\n", &html[start..end])
}

/// Compares each page's `<main>` with its golden file, or writes the file under
/// `UPDATE_EXPECT=1`. Every difference is reported, not only the first.
fn compare(out: &Path, pages: &[(&str, &str)]) {
    let update = std::env::var_os("UPDATE_EXPECT").is_some_and(|v| v == "1");
    let mut differ = Vec::new();
    for (page, golden) in pages {
        let html = std::fs::read_to_string(out.join(page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        let actual = main_of(&html, page);
        let path = golden_dir().join(golden);
        if update {
            std::fs::create_dir_all(golden_dir()).expect("the golden folder");
            std::fs::write(&path, &actual).expect("write a golden file");
            continue;
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_default();
        if expected != actual {
            let line = expected
                .lines()
                .zip(actual.lines())
                .position(|(e, a)| e != a)
                .unwrap_or(expected.lines().count().min(actual.lines().count()));
            differ.push(format!(
                "{page} differs from tests/testsuite/golden/{golden} from line {}:\n  expected: {}\n  actual:   {}",
                line + 1,
                expected.lines().nth(line).unwrap_or("(end of file)"),
                actual.lines().nth(line).unwrap_or("(end of file)"),
            ));
        }
    }
    assert!(
        differ.is_empty(),
        "{}\nif the change is intended, run `UPDATE_EXPECT=1 cargo test golden` and review the diff",
        differ.join("\n")
    );
}

#[test]
fn main_of_representative_pages_in_the_default_theme() {
    let site = Site::from_fixture("golden");
    site.build_ok(&["--quiet"]);
    compare(&site.out(), DEFAULT_PAGES);
}

#[test]
fn main_of_representative_pages_in_the_classic_theme() {
    let site = Site::from_fixture("golden");
    // The theme is chosen in site.yaml, as a user would.
    let config = std::fs::read_to_string(site.root().join("content/site.yaml")).expect("site.yaml");
    site.write("content/site.yaml", format!("{config}theme: classic\n"));
    site.build_ok(&["--quiet"]);
    compare(&site.out(), CLASSIC_PAGES);
}
