//! Files of content/static/ in texts (docs/documents.md, "Files of content/static/"):
//! `static:PATH` links and images from every kind of Markdown and `see:`, made relative to the
//! page they show on; a path that names no file, or leaves the folder, is an error at the link;
//! an image with a relative address that misses content/static/ is a warning.

use crate::support::{Site, resolve_href};

const MAP: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2400\" height=\"300\"/>";

/// A site that shows content/static/img/karte.svg and links quellen/brief.pdf from each kind of
/// Markdown: a document's body and footnote, a note, a `see:`, an extra page, a glossary
/// definition and a translation.
fn site_with_statics(body_extra: &str) -> Site {
    Site::new(&[
        ("seeds/a.md", &document(body_extra)),
        (
            "seeds/a.yaml",
            "annotations:\n  - quote: Hund\n    note: |\n      Ein Bild: ![Notenkarte](static:img/karte.svg)\n  - quote: bellt\n    see: static:quellen/brief.pdf\n",
        ),
        (
            "content/pages/about.md",
            "# Über\n\n![Seitenkarte](static:img/karte.svg) und [der Brief](static:quellen/brief.pdf).\n",
        ),
        (
            "content/glossary.yaml",
            "- id: krim\n  term: Krim\n  definition: |\n    Eine Halbinsel. ![Krimkarte](static:img/karte.svg)\n    [Quelle](static:quellen/brief.pdf)\n",
        ),
        (
            "content/translations/en/a.md",
            "# Alpha\n\nThe map: ![Map](static:img/karte.svg) and the [letter](static:quellen/brief.pdf#page=3).\
             \n\nThe Crimea lies in the south.\n\nThe dog barks.\n",
        ),
        ("content/static/img/karte.svg", MAP),
        ("content/static/quellen/brief.pdf", "%PDF-1.4\n"),
    ])
}

/// The document of [`site_with_statics`], with `extra` after its third paragraph.
fn document(extra: &str) -> String {
    format!(
        "# Alpha\n\nDie Karte: ![Karte](static:img/karte.svg) und der [Brief](static:quellen/brief.pdf#page=3).\
         \n\nDie Krim liegt im Süden.[^fn]\n\nDer Hund bellt.{extra}\n\n[^fn]: Siehe ![die Fußnotenkarte](static:img/karte.svg).\n"
    )
}

/// Every `src` of an `<img>` and `href` of an `<a>` on `page` that names content/static/'s files,
/// checked to lead to the copied file from where the page stands.
fn static_addresses(site: &Site, rel: &str) -> Vec<String> {
    let page = site.page(rel);
    let path = site.out().join(rel);
    let mut found = Vec::new();
    for (css, attr) in [("img", "src"), ("a", "href")] {
        for e in page.all(css) {
            let Some(url) = e.value().attr(attr) else { continue };
            let file = url.split('#').next().unwrap_or_default();
            if file.ends_with("karte.svg") || file.ends_with("brief.pdf") {
                assert!(resolve_href(&path, file).is_file(), "{rel}: {url} leads to no file");
                found.push(url.to_owned());
            }
        }
    }
    found
}

#[test]
fn static_links_and_images_lead_to_the_file_from_every_page() {
    let site = site_with_statics("");
    let run = site.build_ok(&[]);
    assert!(
        !run.stderr.contains("relative-image") && !run.stderr.contains("static:"),
        "{run}"
    );
    let doc = static_addresses(&site, "a/index.html");
    for url in [
        "../img/karte.svg",
        "../quellen/brief.pdf#page=3",
        "../quellen/brief.pdf",
    ] {
        assert!(doc.iter().any(|u| u == url), "{url} on the document page: {doc:?}");
    }
    // The body's, the footnote's, the note's and the translation's images.
    let images = site.page("a/index.html").all("img").len();
    assert!(images >= 4, "{images} images on the document page");
    let note = site.page("a/index.html");
    assert!(
        note.all("aside img, .note img, [id^=note-] img")
            .iter()
            .any(|i| i.value().attr("src") == Some("../img/karte.svg")),
        "the note's image"
    );
    assert_eq!(
        static_addresses(&site, "about/index.html"),
        ["../img/karte.svg", "../quellen/brief.pdf"]
    );
    assert_eq!(
        static_addresses(&site, "glossary/krim/index.html"),
        ["../../img/karte.svg", "../../quellen/brief.pdf"]
    );
}

#[test]
fn a_static_path_that_names_no_file_is_an_error_at_the_link_with_the_closest_file() {
    let site = site_with_statics(" Ein Foto: ![Foto](static:img/krate.svg)");
    site.write(
        "seeds/b.yaml",
        "annotations:\n  - quote: Text\n    note: \"Siehe [die Quelle](static:quellen/brif.pdf).\"\n  - quote: zwei\n    see: static:nirgends/nichts-dergleichen.png\n",
    );
    site.write("seeds/b.md", "# Beta\n\nText zwei.\n");
    site.write(
        "content/glossary.yaml",
        "- id: krim\n  term: Krim\n  definition: |\n    Eine Halbinsel.\n    ![Krimkarte](static:karte.svg)\n",
    );
    let run = site.build(&[]);
    site.assert_fails(
        &run,
        &[
            "seeds/a.md:7:27: error: no file `img/krate.svg` in content/static/",
            "= hint: did you mean `img/karte.svg`?",
            "seeds/b.yaml:3:11: error: no file `quellen/brif.pdf` in content/static/",
            "= hint: did you mean `quellen/brief.pdf`?",
            "seeds/b.yaml:5:10: error: no file `nirgends/nichts-dergleichen.png` in content/static/",
            "= hint: put the file at content/static/nirgends/nichts-dergleichen.png",
            "content/glossary.yaml:5:5: error: no file `karte.svg` in content/static/",
            // Not close by its whole path, but by its name.
            "= hint: did you mean `img/karte.svg`?",
        ],
    );
    assert_eq!(run.errors().len(), 4, "every error of the run at once\n{run}");
}

#[test]
fn a_static_path_stays_inside_content_static() {
    let site = Site::new(&[
        (
            "seeds/a.md",
            "# A\n\n[Passwörter](static:../../etc/passwd), ![x](static:/img/karte.svg), [leer](static:).\n",
        ),
        ("content/static/img/karte.svg", MAP),
        ("content/site.yaml", "title: T\n"),
    ]);
    let run = site.build(&[]);
    site.assert_fails(
        &run,
        &[
            "seeds/a.md:3:1: error: a `static:` path stays inside content/static/: no `..`",
            "seeds/a.md:3:40: error: a `static:` path is relative to content/static/: it does not start with `/`",
            "= hint: write `static:img/karte.svg`",
            "seeds/a.md:3:69: error: a `static:` link names no file",
        ],
    );
}

#[test]
fn a_relative_image_that_misses_content_static_is_a_warning_with_the_static_address() {
    let site = Site::new(&[
        (
            "seeds/a.md",
            "# A\n\nEine Karte: ![Karte](img/karte.svg)\n\nVon oben: ![Logo](../img/karte.svg), ![fern](https://x.org/a.png)\n\nDer Hund bellt.\n",
        ),
        (
            "seeds/a.yaml",
            "annotations:\n  - quote: Hund\n    note: \"Ein ![Bild](bild.png).\"\n",
        ),
        (
            "content/glossary.yaml",
            "- id: hund\n  term: Hund\n  definition: \"Ein Tier. ![Hund](../../img/karte.svg)\"\n",
        ),
        ("content/static/img/karte.svg", MAP),
    ]);
    let run = site.build_ok(&[]);
    let warnings: Vec<&str> = run
        .warnings()
        .into_iter()
        .filter(|w| w.contains("image address"))
        .collect();
    assert_eq!(
        warnings,
        [
            "content/glossary.yaml:3:15: warning: the image address `../../img/karte.svg` is relative, and a glossary definition shows on pages in several folders",
            "seeds/a.md:3:13: warning: the image address `img/karte.svg` is relative to its page, a/index.html, and names no file from there",
            "seeds/a.yaml:3:11: warning: the image address `bild.png` is relative to its page, a/index.html, and names no file from there",
        ],
        "{run}"
    );
    assert!(
        run.stderr
            .contains("= hint: write `static:img/karte.svg` for content/static/img/karte.svg"),
        "{run}"
    );
    assert!(
        run.stderr
            .contains("= hint: put the image under content/static/ and write `static:PATH`, PATH as there"),
        "{run}"
    );
    // Left as written: the warning changes nothing in the page.
    let page = site.page("a/index.html");
    assert!(
        page.all("img")
            .iter()
            .any(|i| i.value().attr("src") == Some("img/karte.svg"))
    );
}

#[test]
fn removing_a_static_file_makes_its_links_errors_at_the_next_build_and_adding_it_mends_them() {
    let site = site_with_statics("");
    let first = site.build_ok(&[]);
    assert!(first.errors().is_empty(), "{first}");
    std::fs::remove_file(site.root().join("content/static/quellen/brief.pdf")).unwrap();
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{run}");
    let messages = run.error_messages();
    assert!(
        messages.len() == 5
            && messages
                .iter()
                .all(|m| *m == "no file `quellen/brief.pdf` in content/static/"),
        "each link to the removed file (body, `see:`, page, definition, translation): {run}"
    );
    assert!(
        site.out().join("quellen/brief.pdf").is_file(),
        "a failed build leaves the output as it was"
    );
    site.write("content/static/quellen/brief.pdf", "%PDF-1.4\n");
    let again = site.build_ok(&[]);
    assert!(again.errors().is_empty(), "{again}");
    // An edit of a document after that: its `static:` links are checked against the folder.
    site.write(
        "seeds/a.yaml",
        "annotations:\n  - quote: Hund\n    note: |\n      Ein Bild: ![Notenkarte](static:img/kart.svg)\n  - quote: bellt\n    see: static:quellen/brief.pdf\n",
    );
    let edited = site.build(&[]);
    assert!(
        edited
            .error_messages()
            .contains(&"no file `img/kart.svg` in content/static/"),
        "{edited}"
    );
}
