//! The EPUB edition (docs/epub.md): `glossa epub`, and the book `glossa build` writes with
//! `epub.file`. The book is read as a reading system reads it: the ZIP, then each XHTML file
//! parsed as XML (so a file that is not well-formed fails), its links followed inside the book.

use crate::support::{Page, Site, build_demo, files_under, glossa};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

const OPS: &str = "http://www.idpf.org/2007/ops";

/// A book as its entries, in the order the ZIP holds them.
struct Book {
    names: Vec<String>,
    files: BTreeMap<String, Vec<u8>>,
    bytes: Vec<u8>,
}

impl Book {
    fn open(path: &Path) -> Book {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("no book at {}: {e}", path.display()));
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).expect("a ZIP file");
        let mut names = Vec::new();
        let mut files = BTreeMap::new();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).expect("an entry");
            let mut data = Vec::new();
            entry.read_to_end(&mut data).expect("the entry's bytes");
            let name = entry.name().expect("a UTF-8 name").into_owned();
            names.push(name.clone());
            files.insert(name, data);
        }
        Book { names, files, bytes }
    }

    fn text(&self, name: &str) -> &str {
        std::str::from_utf8(&self.files[name]).unwrap_or_else(|_| panic!("{name} is not UTF-8"))
    }

    /// Every XHTML file of the book, parsed.
    fn xhtml(&self) -> Vec<(&str, roxmltree::Document<'_>)> {
        (self.names.iter())
            .filter(|n| n.ends_with(".xhtml"))
            .map(|n| {
                let doc = parse(self.text(n)).unwrap_or_else(|e| panic!("{n}: not well-formed: {e}"));
                (n.as_str(), doc)
            })
            .collect()
    }

    /// The ids of `name`'s elements.
    fn ids(&self, name: &str) -> BTreeSet<String> {
        let doc = parse(self.text(name)).expect("well-formed");
        doc.descendants()
            .filter_map(|n| n.attribute("id"))
            .map(str::to_owned)
            .collect()
    }
}

/// An XHTML file of the book as XML (its `<!DOCTYPE html>` allowed).
fn parse(text: &str) -> Result<roxmltree::Document<'_>, roxmltree::Error> {
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    roxmltree::Document::parse_with_options(text, options)
}

fn epub_type<'a>(n: roxmltree::Node<'a, '_>) -> Option<&'a str> {
    n.attribute((OPS, "type"))
}

/// `glossa epub --root ROOT --out PATH ARGS…` in the site's folder.
fn epub(site: &Site, out: &Path, args: &[&str]) -> crate::support::Run {
    let root = site.root();
    let mut all = vec!["epub", "--root", root.to_str().unwrap(), "--out", out.to_str().unwrap()];
    all.extend_from_slice(args);
    glossa(&root, &all)
}

/// Every link and image of every chapter, and every file of the manifest, found in the book,
/// and every fragment an id of its file.
fn assert_links_resolve(book: &Book) {
    let mut checked = 0;
    for (name, doc) in book.xhtml() {
        let dir = name.rsplit_once('/').map_or("", |(d, _)| d);
        for node in doc.descendants().filter(|n| n.is_element()) {
            let Some(href) = node.attribute("href").or_else(|| node.attribute("src")) else {
                continue;
            };
            if href.contains(':') {
                assert!(
                    href.starts_with("https://") || href.starts_with("http://") || href.starts_with("mailto:"),
                    "{name}: {href}"
                );
                continue;
            }
            let (file, fragment) = href.split_once('#').map_or((href, None), |(f, x)| (f, Some(x)));
            let target = if file.is_empty() {
                name.to_owned()
            } else {
                format!("{dir}/{file}")
            };
            let target = target.replace("%20", " ");
            assert!(book.files.contains_key(&target), "{name}: `{href}` is not in the book");
            if let Some(fragment) = fragment {
                assert!(
                    book.ids(&target).contains(fragment),
                    "{name}: `{href}`: no such id in {target}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 0, "no link was checked");
    let opf = roxmltree::Document::parse(book.text("EPUB/package.opf")).expect("the package document parses");
    for item in opf.descendants().filter(|n| n.has_tag_name("item")) {
        let href = item.attribute("href").unwrap().replace("%20", " ");
        assert!(
            book.files.contains_key(&format!("EPUB/{href}")),
            "the manifest's {href} is not in the book"
        );
    }
}

/// Each note of the site's page is a footnote of the book's chapter, referenced by a noteref,
/// with a link back; returns how many.
fn assert_notes_are_footnotes(page: &Page, book: &Book, chapter: &str) -> usize {
    let notes: Vec<String> = page
        .all("[role=doc-footnote]")
        .iter()
        .map(|n| n.value().id().unwrap().to_owned())
        .collect();
    let doc = parse(book.text(chapter)).expect("well-formed");
    let footnotes: Vec<&str> = (doc.descendants())
        .filter(|n| n.has_tag_name("aside") && epub_type(*n) == Some("footnote"))
        .map(|n| n.attribute("id").unwrap())
        .collect();
    assert_eq!(footnotes, notes, "{chapter}: the page's notes, each a footnote");
    for id in &footnotes {
        let refs = (doc.descendants())
            .filter(|n| epub_type(*n) == Some("noteref") && n.attribute("href") == Some(&format!("#{id}")))
            .count();
        assert!(refs >= 1, "{chapter}: no noteref to {id}");
        let back = doc.descendants().find(|n| n.attribute("id") == Some(id)).unwrap();
        assert!(
            back.descendants().any(|n| n.attribute("role") == Some("doc-backlink")),
            "{chapter}: {id} has no way back"
        );
    }
    footnotes.len()
}

#[test]
fn the_demos_book_holds_every_note_as_a_footnote_and_every_entry_and_its_links_resolve() {
    let (_tmp, out, _) = build_demo(&[]);
    let book = Book::open(&out.join("glossa-readings.epub"));
    assert_links_resolve(&book);
    let html = files_under(&out);
    let mut notes = 0;
    for page in html
        .keys()
        .filter(|p| p.ends_with("/index.html") && !p.starts_with("glossary") && !p.starts_with("search"))
    {
        let slug = page.trim_end_matches("/index.html");
        let chapter = format!("EPUB/{slug}.xhtml");
        assert!(book.files.contains_key(&chapter), "{page} has no chapter");
        notes += assert_notes_are_footnotes(&Page::open(&out.join(page)), &book, &chapter);
    }
    assert!(notes >= 20, "the demo has its notes: {notes}");
    let entries: BTreeSet<String> = (html.keys())
        .filter_map(|p| {
            p.strip_prefix("glossary/")?
                .strip_suffix("/index.html")
                .map(|id| format!("g-{id}"))
        })
        .collect();
    assert!(entries.len() > 20);
    let back_matter = book.ids("EPUB/glossary_terms.xhtml");
    assert_eq!(
        entries.difference(&back_matter).collect::<Vec<_>>(),
        Vec::<&String>::new()
    );
    // Each entry links back to its occurrences: Lawrow occurs in the article.
    let glossary = book.text("EPUB/glossary_terms.xhtml");
    assert!(
        glossary.contains("href=\"lawrow-gespraeche.xhtml#t-lawrow-1\""),
        "{glossary}"
    );
    // The home page links the book, in the interface's language.
    let home = Page::open(&out.join("index.html"));
    assert_eq!(home.hrefs_of("Download EPUB"), ["glossa-readings.epub"]);
}

#[test]
fn the_demos_translation_follows_each_block_and_glosses_stand_in_the_text() {
    let (_tmp, out, _) = build_demo(&[]);
    let book = Book::open(&out.join("glossa-readings.epub"));
    let chapter = book.text("EPUB/lawrow-gespraeche.xhtml");
    assert!(chapter.contains("xml:lang=\"de\""), "the chapter's language");
    assert!(
        chapter.contains("<p id=\"p-2\">")
            && chapter.contains("<p class=\"translation\" lang=\"en\" data-translates=\"p-2\">"),
        "the English translation after the paragraph"
    );
    assert!(!chapter.contains(" hidden"), "no block of the book is hidden");
    assert!(
        chapter.contains("<span class=\"gloss-text\" lang=\"en\"> (spokeswoman)</span>"),
        "a gloss in parentheses"
    );
    assert!(
        !chapter.contains("tabindex=\"0\">Sprecherin"),
        "a gloss needs no focus in a book"
    );
}

#[test]
fn the_crawl_fixtures_book_keeps_its_links_inside_and_takes_its_images() {
    let site = Site::from_fixture("crawl");
    let out = site.beside("crawl.epub");
    let run = epub(&site, &out, &["--quiet"]);
    assert_eq!(run.code, 0, "{run}");
    let book = Book::open(&out);
    assert_links_resolve(&book);
    assert!(book.files.contains_key("EPUB/media/img/karte.svg"), "{:?}", book.names);
    let opf = book.text("EPUB/package.opf");
    for needed in [
        "<meta property=\"schema:accessMode\">textual</meta>",
        "<meta property=\"schema:accessibilityFeature\">structuralNavigation</meta>",
        "<meta property=\"schema:accessibilityHazard\">none</meta>",
        "<meta property=\"schema:accessibilitySummary\">",
        "<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.2 Level AA</meta>",
        "<dc:identifier id=\"uid\">urn:glossa:crawl-fixture</dc:identifier>",
    ] {
        assert!(opf.contains(needed), "{needed} in\n{opf}");
    }
    // The newest document's date, not the clock.
    let dates: Vec<&str> = opf.lines().filter(|l| l.contains("dcterms:modified")).collect();
    assert_eq!(dates.len(), 1);
    assert!(dates[0].contains("T00:00:00Z"), "{}", dates[0]);
}

#[test]
fn two_runs_give_the_same_bytes_with_mimetype_first_and_stored() {
    let site = Site::from_fixture("crawl");
    let (a, b) = (site.beside("a.epub"), site.beside("b.epub"));
    assert_eq!(epub(&site, &a, &["--quiet"]).code, 0);
    // A newer file time changes nothing in the book.
    let seed = site.root().join("seeds/gedicht.txt");
    std::fs::write(&seed, std::fs::read(&seed).unwrap()).unwrap();
    assert_eq!(epub(&site, &b, &["--quiet"]).code, 0);
    let (a, b) = (Book::open(&a), Book::open(&b));
    assert!(a.bytes == b.bytes, "two runs, two books");
    assert_eq!(a.names[0], "mimetype");
    assert_eq!(a.names[1], "META-INF/container.xml");
    assert_eq!(&a.bytes[8..10], &[0, 0], "mimetype is stored");
    assert_eq!(&a.bytes[28..30], &[0, 0], "mimetype has no extra field");
    assert_eq!(&a.bytes[30..58], b"mimetypeapplication/epub+zip");
}

#[test]
fn a_bad_epub_key_is_an_error_at_its_place_and_nothing_is_written() {
    let site = Site::new(&[
        ("seeds/a.txt", "A\n\nText.\n"),
        (
            "content/site.yaml",
            "title: T\nepub:\n  file: a.epub\n  cover_image: c.png\n",
        ),
    ]);
    let run = site.build(&[]);
    site.assert_fails(&run, &["content/site.yaml:4:3: error:", "cover_image"]);
    let out = site.beside("a.epub");
    let run = epub(&site, &out, &[]);
    assert_eq!(run.code, 1, "{run}");
    assert!(run.stderr.contains("content/site.yaml:4:3: error:"), "{run}");
    assert!(!out.exists());
}

#[test]
fn a_missing_cover_or_page_is_an_error_at_its_value_and_nothing_is_written() {
    let site = Site::new(&[
        ("seeds/a.txt", "A\n\nText.\n"),
        ("content/pages/about.md", "# About\n\nThis site.\n"),
        (
            "content/site.yaml",
            "title: T\nepub:\n  cover: images/cover.jpg\n  front: [abuot]\n",
        ),
    ]);
    let out = site.beside("t.epub");
    let run = epub(&site, &out, &[]);
    assert_eq!(run.code, 1, "{run}");
    let errors = run.errors();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("content/site.yaml:3:10: error: no cover image `images/cover.jpg`")),
        "{run}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("content/site.yaml:4:11: error: no extra page `abuot`")),
        "{run}"
    );
    assert!(run.stderr.contains("did you mean `about`?"), "{run}");
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_dir(site.beside("")).unwrap().count(),
        1,
        "no temporary file left beside the book"
    );
}

#[test]
fn pages_go_before_or_after_the_texts_and_a_cover_comes_first() {
    let site = Site::new(&[
        ("seeds/a.md", "# A text\n\nText with a [link](page:imprint).\n"),
        ("content/pages/about.md", "# About\n\nThis site.\n"),
        ("content/pages/imprint.md", "# Imprint\n\nWho.\n"),
        ("content/pages/drafty.md", "# Left out\n\nNot in the book.\n"),
        ("content/static/cover.png", "\u{89}PNG\r\n"),
        (
            "content/site.yaml",
            "title: T\nepub:\n  cover: cover.png\n  front: [about]\n  back: [imprint]\n",
        ),
    ]);
    let out = site.beside("t.epub");
    let run = epub(&site, &out, &["--quiet"]);
    assert_eq!(run.code, 0, "{run}");
    let book = Book::open(&out);
    assert_links_resolve(&book);
    let opf = book.text("EPUB/package.opf");
    let spine: Vec<&str> = (opf.lines())
        .filter_map(|l| l.trim().strip_prefix("<itemref idref=\"")?.strip_suffix("\"/>"))
        .collect();
    assert_eq!(
        spine,
        ["x-cover_page", "x-title_page", "nav", "x-about", "x-a", "x-imprint"],
        "{opf}"
    );
    assert!(
        opf.contains("href=\"media/cover.png\" media-type=\"image/png\" properties=\"cover-image\""),
        "{opf}"
    );
    assert!(!book.files.contains_key("EPUB/drafty.xhtml"));
    assert!(book.text("EPUB/a.xhtml").contains("<a href=\"imprint.xhtml\">link</a>"));
}

#[test]
fn a_site_without_epub_gets_no_book_and_no_link() {
    let site = Site::new(&[("seeds/a.txt", "A\n\nText.\n")]);
    site.build_ok(&["--quiet"]);
    assert!(
        !site
            .out()
            .read_dir()
            .unwrap()
            .any(|e| e.unwrap().path().extension().is_some_and(|x| x == "epub"))
    );
    assert!(site.page("index.html").all("p.download").is_empty());
}

#[test]
fn a_footnote_of_a_text_in_another_language_keeps_the_texts_lang_in_the_book() {
    let site = Site::new(&[
        ("content/site.yaml", "title: Reader\nlang: en\n"),
        (
            "seeds/d.md",
            "---\ntitle: Ein Text\nlang: de\n---\nDer Hund[^f] bellt laut.\n\n[^f]: Eine Fussnote.\n",
        ),
        (
            "seeds/d.yaml",
            "annotations:\n  - quote: bellt\n    note: An English note.\n",
        ),
    ]);
    let out = site.beside("d.epub");
    assert_eq!(epub(&site, &out, &["--quiet"]).code, 0);
    let book = Book::open(&out);
    let chapter = book.text("EPUB/d.xhtml");
    assert!(
        chapter.contains("<div class=\"note-body\" lang=\"de\"><p>Eine Fussnote.</p>"),
        "{chapter}"
    );
    assert!(
        chapter.contains("<div class=\"note-body\"><p>An English note.</p>"),
        "{chapter}"
    );
}

#[test]
fn glossa_epub_says_it_wrote_the_book_of_chapters_and_build_still_speaks_of_pages() {
    let site = Site::new(&[
        ("content/site.yaml", "title: Two Texts\n"),
        (
            "content/glossary.yaml",
            "- id: hund\n  term: Hund\n  definition: Ein Tier.\n",
        ),
        ("content/pages/about.md", "# About\n\nThis site.\n"),
        ("seeds/a.txt", "A\n\nDer Hund.\n"),
        ("seeds/b.txt", "B\n\nKein Hund.\n"),
    ]);
    let root = site.root();
    let run = glossa(&root, &["epub", "--root", root.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{run}");
    assert!(root.join("two-texts.epub").is_file());
    assert!(
        run.stdout.starts_with(
            "wrote the book two-texts.epub: 2 documents, 0 notes, 1 glossary entry, 2 occurrences in 4 chapters, in "
        ),
        "the two texts, the page and the glossary are its chapters: {run}"
    );
    assert!(!run.stdout.contains("pages"), "{run}");
    let out = site.beside("elsewhere.epub");
    let run = epub(&site, &out, &[]);
    assert!(
        run.stdout.starts_with(&format!("wrote the book {}: ", out.display())),
        "{run}"
    );
    let run = glossa(&root, &["build", "--root", root.to_str().unwrap()]);
    assert!(
        run.stdout
            .starts_with("built 2 documents, 0 notes, 1 glossary entry, 2 occurrences: "),
        "{run}"
    );
    assert!(run.stdout.contains(" pages in "), "{run}");
}

#[test]
fn raw_html_in_a_translation_is_text_in_the_book_as_in_its_chapters_and_stays_html_on_the_pages() {
    let site = Site::new(&[
        (
            "content/site.yaml",
            "title: T\nmarkdown: { raw_html: true }\nepub:\n  file: t.epub\n  translation: en\n",
        ),
        ("seeds/a.md", "# Ein Text\n\nDer Hund <i>bellt</i>.\n\n- Eins\n- Zwei\n"),
        (
            "content/translations/en/a.md",
            "# A text\n\nThe dog <b>barks</b> <script>alert(1)</script> & <br>.\n\n- One <img src=x onerror=y>\n- Two <span>\n",
        ),
    ]);
    site.build_ok(&["--quiet"]);
    let book = Book::open(&site.out().join("t.epub"));
    let chapters = book.xhtml();
    let (_, chapter) = chapters
        .iter()
        .find(|(n, _)| *n == "EPUB/a.xhtml")
        .expect("a's chapter");
    let translation: Vec<String> = (chapter.descendants())
        .filter(|n| n.attribute("class") == Some("translation"))
        .map(|n| {
            let elements: Vec<&str> = n
                .descendants()
                .skip(1)
                .filter(|c| c.is_element())
                .map(|c| c.tag_name().name())
                .collect();
            assert!(elements.is_empty(), "no element in a translation block: {elements:?}");
            n.descendants()
                .filter(|c| c.is_text())
                .filter_map(|c| c.text())
                .collect()
        })
        .collect();
    assert_eq!(
        translation,
        [
            "The dog <b>barks</b> <script>alert(1)</script> & <br>.",
            "One <img src=x onerror=y>",
            "Two <span>"
        ]
    );
    assert!(
        book.text("EPUB/a.xhtml")
            .contains("<p id=\"p-1\">Der Hund &lt;i&gt;bellt&lt;/i&gt;.</p>"),
        "the chapter's own raw HTML is text too"
    );
    let page = std::fs::read_to_string(site.out().join("a/index.html")).unwrap();
    assert!(
        page.contains("data-translates=\"p-1\">The dog <b>barks</b> <script>alert(1)</script> &amp; <br>.</p>"),
        "the page keeps raw HTML, as raw_html asks"
    );
}

#[test]
fn static_images_go_into_the_book_and_static_links_to_the_site() {
    let site = Site::new(&[
        (
            "seeds/a.md",
            "# A\n\nDie Karte: ![Die Karte](static:img/karte.png) und der [Brief](static:quellen/brief.pdf#page=3).\n\nDer Hund bellt.\n",
        ),
        (
            "seeds/a.yaml",
            "annotations:\n  - quote: Hund\n    note: \"Ein Foto: ![Der Hund](<static:img/der hund.jpg>)\"\n",
        ),
        (
            "content/glossary.yaml",
            "- id: hund\n  term: Hund\n  definition: \"Ein Tier. ![Ein Hund](static:img/karte.png)\"\n",
        ),
        ("content/static/img/karte.png", "\u{89}PNG\r\n"),
        ("content/static/img/der hund.jpg", "\u{ff}\u{d8}"),
        ("content/static/quellen/brief.pdf", "%PDF-1.4\n"),
        ("content/site.yaml", "title: T\nbase_url: https://u.example/repo/\n"),
    ]);
    let out = site.beside("t.epub");
    let run = epub(&site, &out, &["--quiet"]);
    assert_eq!(run.code, 0, "{run}");
    let book = Book::open(&out);
    assert_links_resolve(&book);
    for image in ["EPUB/media/img/karte.png", "EPUB/media/img/der hund.jpg"] {
        assert!(book.files.contains_key(image), "{image} in {:?}", book.names);
    }
    let opf = book.text("EPUB/package.opf");
    for item in [
        "href=\"media/img/karte.png\" media-type=\"image/png\"",
        "href=\"media/img/der%20hund.jpg\" media-type=\"image/jpeg\"",
    ] {
        assert!(opf.contains(item), "{item} in\n{opf}");
    }
    let chapter = book.text("EPUB/a.xhtml");
    assert!(
        chapter.contains("<img src=\"media/img/karte.png\" alt=\"Die Karte\""),
        "{chapter}"
    );
    assert!(
        chapter.contains("<img src=\"media/img/der%20hund.jpg\" alt=\"Der Hund\""),
        "{chapter}"
    );
    // A book links only its chapters: the PDF stays on the site.
    assert!(
        chapter.contains("<a href=\"https://u.example/repo/quellen/brief.pdf#page=3\">Brief</a>"),
        "{chapter}"
    );
    let glossary = book.text("EPUB/glossary_terms.xhtml");
    assert!(
        glossary.contains("<img src=\"media/img/karte.png\" alt=\"Ein Hund\""),
        "{glossary}"
    );
}
