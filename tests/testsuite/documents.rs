//! Documents (contract §1, §2): what is read from seeds/, how .txt and .md become pages, and
//! which metadata they carry.

use crate::support::{Site, reading_text, text_of};

#[test]
fn nothing_in_a_txt_is_markup() {
    let site = Site::new(&[(
        "seeds/a.txt",
        "Titel\n\nEins *nicht fett* <b>kein html</b> &amp; [kein](link) `code`.\n",
    )]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let p = page.by_id("p-1");
    assert_eq!(
        reading_text(&p),
        "Eins *nicht fett* <b>kein html</b> &amp; [kein](link) `code`."
    );
    assert!(
        p.select(&crate::support::selector("b, em, a, code")).next().is_none(),
        "{}",
        p.html()
    );
}

#[test]
fn a_bom_is_dropped_and_crlf_is_read_as_lf() {
    let site = Site::new(&[("seeds/a.txt", "\u{feff}Titel\r\n\r\nEins\r\nzwei.\r\n\r\nDrei.\r\n")]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    assert_eq!(text_of(&page.one("h1")), "Titel");
    assert!(!page.source.contains('\u{feff}') && !page.source.contains('\r'));
    assert_eq!(reading_text(&page.by_id("p-1")), "Eins zwei.");
    assert_eq!(reading_text(&page.by_id("p-2")), "Drei.");
}

#[test]
fn txt_line_breaks_are_joined_or_kept() {
    let site = Site::new(&[
        ("seeds/prosa.txt", "Prosa\n\nZeile eins\nZeile zwei\n"),
        ("seeds/vers.txt", "Vers\n\nZeile eins\nZeile zwei\n"),
        ("seeds/vers.yaml", "lines: keep\n"),
    ]);
    site.build_ok(&[]);
    assert!(
        site.page("prosa/index.html")
            .by_id("p-1")
            .select(&crate::support::selector("br"))
            .next()
            .is_none()
    );
    let vers = site.page("vers/index.html");
    let p = vers.by_id("p-1");
    assert_eq!(p.select(&crate::support::selector("br")).count(), 1, "{}", p.html());
    assert_eq!(reading_text(&p), "Zeile eins Zeile zwei");
}

#[test]
fn a_txt_title_is_its_first_single_line_paragraph() {
    let site = Site::new(&[
        ("seeds/single.txt", "Der Titel\n\nDer Text.\n"),
        ("seeds/multi.txt", "Erste Zeile\nzweite Zeile\n\nDer Text.\n"),
        ("seeds/meta.txt", "Kein Titel\n\nDer Text.\n"),
        ("seeds/meta.yaml", "title: Aus dem Sidecar\n"),
    ]);
    site.build_ok(&[]);
    let single = site.page("single/index.html");
    assert_eq!(text_of(&single.one("h1")), "Der Titel");
    assert!(!single.has_id("p-2"), "the title is not repeated in the body");
    let multi = site.page("multi/index.html");
    assert_eq!(
        text_of(&multi.one("h1")),
        "multi",
        "no single-line first paragraph: the file stem"
    );
    assert_eq!(reading_text(&multi.by_id("p-1")), "Erste Zeile zweite Zeile");
    let meta = site.page("meta/index.html");
    assert_eq!(text_of(&meta.one("h1")), "Aus dem Sidecar");
    assert_eq!(
        reading_text(&meta.by_id("p-1")),
        "Kein Titel",
        "with a title in the metadata, the first paragraph is text"
    );
}

#[test]
fn a_markdown_title_is_its_first_level_1_heading() {
    let site = Site::new(&[
        ("seeds/h1.md", "# Die Überschrift\n\nDer Text.\n"),
        ("seeds/stem.md", "Nur Text.\n"),
        (
            "seeds/front.md",
            "---\ntitle: Aus dem Vorspann\n---\n# Eine Überschrift\n\nDer Text.\n",
        ),
        ("seeds/side.md", "---\ntitle: Aus dem Vorspann\n---\nDer Text.\n"),
        ("seeds/side.yaml", "title: Aus dem Sidecar\n"),
    ]);
    site.build_ok(&[]);
    let h1 = site.page("h1/index.html");
    assert_eq!(
        h1.all("h1").iter().map(text_of).collect::<Vec<_>>(),
        ["Die Überschrift"],
        "the title is not repeated"
    );
    assert_eq!(text_of(&site.page("stem/index.html").one("h1")), "stem");
    let front = site.page("front/index.html");
    assert_eq!(
        front.all("h1").iter().map(text_of).collect::<Vec<_>>(),
        ["Aus dem Vorspann"]
    );
    assert_eq!(
        text_of(&front.one(".doc-body h2")),
        "Eine Überschrift",
        "the # heading stays in the body, one level under the title"
    );
    assert_eq!(
        text_of(&site.page("side/index.html").one("h1")),
        "Aus dem Sidecar",
        "the sidecar wins"
    );
}

#[test]
fn markdown_extensions_are_on() {
    let site = Site::new(&[(
        "seeds/a.md",
        "# T\n\n| A | B |\n| - | - |\n| 1 | 2 |\n\n~~weg~~\n\n- [x] erledigt\n- [ ] offen\n\n## Eigene {#eigene-id}\n\nText.[^1]\n\n[^1]: Fußnote.\n",
    )]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    assert_eq!(page.all("table td").len(), 2);
    assert_eq!(page.all("del").iter().map(text_of).collect::<Vec<_>>(), ["weg"]);
    assert_eq!(page.all("input[type=\"checkbox\"]").len(), 2);
    assert_eq!(page.by_id("eigene-id").value().name(), "h2");
    assert!(page.has_id("note-1"));
}

#[test]
fn raw_html_is_escaped_unless_allowed() {
    let doc = "# T\n\nText <em>roh</em> und <script>alert(1)</script>.\n";
    let site = Site::new(&[("seeds/a.md", doc)]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    assert!(page.all("main script, main em").is_empty());
    assert!(reading_text(&page.by_id("p-1")).contains("<em>roh</em>"));
    let allowed = Site::new(&[
        ("seeds/a.md", doc),
        ("content/site.yaml", "markdown: { raw_html: true }\n"),
    ]);
    allowed.build_ok(&[]);
    assert_eq!(
        allowed
            .page("a/index.html")
            .all("main em")
            .iter()
            .map(text_of)
            .collect::<Vec<_>>(),
        ["roh"]
    );
}

#[test]
fn hidden_files_are_skipped_and_other_files_ignored_with_a_warning() {
    let site = Site::new(&[
        ("seeds/a.txt", "A\n\nText.\n"),
        ("seeds/.hidden.txt", "Hidden\n\nText.\n"),
        ("seeds/.drafts/b.txt", "B\n\nText.\n"),
        ("seeds/deeper/c.md", "# C\n\nText.\n"),
        ("seeds/notes.docx", "junk"),
    ]);
    let run = site.build_ok(&[]);
    assert!(site.out().join("a/index.html").is_file());
    assert!(site.out().join("c/index.html").is_file(), "folders may nest");
    assert!(!site.out().join("hidden/index.html").exists() && !site.out().join("b/index.html").exists());
    assert!(run.warnings().iter().any(|w| w.contains("seeds/notes.docx")), "{run}");
    assert!(
        !run.stderr.contains(".hidden") && !run.stderr.contains(".drafts"),
        "hidden files are skipped silently\n{run}"
    );
}

#[test]
fn metadata_is_shown_on_the_document_page_and_the_home_page() {
    let site = Site::new(&[
        ("seeds/a.txt", "Der Titel\n\nDer Text.\n"),
        (
            "seeds/a.yaml",
            "author: Dave DeCamp\ndate: 2023-07-06\nsummary: A short summary.\nsource: { title: Antiwar.com, url: \"https://example.org/src\" }\ntags: [russland]\n",
        ),
    ]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let main = text_of(&page.one("main"));
    for needle in ["Dave DeCamp", "6 July 2023", "Antiwar.com", "russland"] {
        assert!(main.contains(needle), "{needle} on the document page: {main}");
    }
    assert_eq!(page.one("main time").attr("datetime"), Some("2023-07-06"));
    assert_eq!(page.hrefs_of("Antiwar.com"), ["https://example.org/src"]);
    let home = text_of(&site.page("index.html").one("main"));
    for needle in ["Der Titel", "Dave DeCamp", "6 July 2023", "A short summary."] {
        assert!(home.contains(needle), "{needle} on the home page: {home}");
    }
}

#[test]
fn the_site_title_and_description_come_from_site_yaml() {
    let site = Site::new(&[
        ("seeds/a.txt", "A\n\nText.\n"),
        (
            "content/site.yaml",
            "title: Meine Lektüren\ndescription: Texte mit Anmerkungen.\n",
        ),
    ]);
    site.build_ok(&[]);
    let home = site.page("index.html");
    assert!(text_of(&home.one("title")).contains("Meine Lektüren"));
    assert!(text_of(&home.one("main")).contains("Texte mit Anmerkungen."));
}

#[test]
fn content_static_is_copied_to_the_output_root() {
    let site = Site::new(&[
        ("seeds/a.txt", "A\n\nText.\n"),
        ("content/static/favicon.svg", "<svg/>"),
        ("content/static/img/x.png", "png"),
    ]);
    site.build_ok(&[]);
    assert_eq!(
        std::fs::read_to_string(site.out().join("favicon.svg")).unwrap_or_default(),
        "<svg/>"
    );
    assert!(site.out().join("img/x.png").is_file());
}

#[test]
fn the_first_level_1_heading_is_the_title_wherever_it_stands() {
    let site = Site::new(&[("seeds/a.md", "Ein Satz vorweg.\n\n# Später\n\nDer Text.\n")]);
    site.build_ok(&[]);
    let page = site.page("a/index.html");
    let h1: Vec<String> = page.all("h1").iter().map(text_of).collect();
    assert_eq!(h1, ["Später"], "the title, once");
}
