//! The reading settings of the default theme (docs/themes.md, "Reading settings"): a button in
//! every page's header with a panel of settings, its strings in the interface language, the
//! script in `<head>` that puts remembered choices on `<html>` before the page is drawn, and
//! `static/settings.js`. How they behave in a browser, and print, is checked by
//! tests/browser/reader.mjs.

use crate::support::{Page, Site, selector, text_of};

const DOC: &str = "Der Titel\n\nErster Absatz mit Lawrow.\n";
const SIDECAR: &str = "annotations:\n  - quote: Erster\n    note: Note one.\n    gloss: first\n";
const GLOSSARY: &str = "- id: lawrow\n  term: Sergej Lawrow\n  forms: [Lawrow]\n  definition: Foreign minister.\n";

fn site(site_yaml: &str) -> Site {
    Site::new(&[
        ("seeds/a.txt", DOC),
        ("seeds/a.yaml", SIDECAR),
        ("content/glossary.yaml", GLOSSARY),
        ("content/site.yaml", site_yaml),
    ])
}

/// Every page glossa writes with the theme's base.html.
const PAGES: [&str; 6] = [
    "index.html",
    "a/index.html",
    "glossary/index.html",
    "glossary/lawrow/index.html",
    "search/index.html",
    "404.html",
];

/// One choice of a setting: `(value, label, checked)`.
type Choice = (String, String, bool);
/// One setting of the panel: `(data-setting, legend, its choices)`.
type Setting = (String, String, Vec<Choice>);

/// The panel's settings, in order.
fn settings(page: &Page) -> Vec<Setting> {
    page.all("header .reader-settings-panel fieldset.setting")
        .iter()
        .map(|f| {
            let name = f.attr("data-setting").unwrap_or_default().to_owned();
            let legend = text_of(&f.select(&selector("legend")).next().expect("a legend"));
            let choices = f
                .select(&selector("label"))
                .map(|label| {
                    let radio = label.select(&selector("input")).next().expect("a radio");
                    assert_eq!(radio.attr("type"), Some("radio"));
                    assert_eq!(
                        radio.attr("name"),
                        Some(name.as_str()),
                        "a radio is named by its setting"
                    );
                    (
                        radio.attr("value").unwrap_or_default().to_owned(),
                        text_of(&label),
                        radio.attr("checked").is_some(),
                    )
                })
                .collect();
            (name, legend, choices)
        })
        .collect()
}

fn choices(list: &[(&str, &str, bool)]) -> Vec<Choice> {
    list.iter()
        .map(|(v, l, c)| ((*v).to_owned(), (*l).to_owned(), *c))
        .collect()
}

#[test]
fn every_page_has_the_reading_settings_button_and_its_panel_closed_in_the_header() {
    let site = site("");
    site.build_ok(&[]);
    for rel in PAGES {
        let page = site.page(rel);
        let button = page.one("header.site-header .reader-settings > button.reader-settings-toggle");
        assert_eq!(button.attr("type"), Some("button"), "{rel}");
        assert_eq!(button.attr("aria-expanded"), Some("false"), "{rel}");
        assert_eq!(text_of(&button), "Reading settings", "{rel}");
        let panel = page.one(".reader-settings > .reader-settings-panel");
        assert!(panel.attr("hidden").is_some(), "{rel}: the panel starts closed");
        assert_eq!(panel.attr("aria-label"), Some("Reading settings"), "{rel}");
        assert!(
            page.all(".reader-settings [id]").is_empty(),
            "{rel}: the panel adds no id that could clash with the text's"
        );
    }
    let doc = site.page("a/index.html");
    assert_eq!(
        settings(&doc),
        vec![
            (
                "glosses".into(),
                "Glosses".into(),
                choices(&[("shown", "Shown", true), ("hidden", "Hidden", false)])
            ),
            (
                "notes".into(),
                "Notes".into(),
                choices(&[("shown", "Shown", true), ("hidden", "Hidden", false)])
            ),
            (
                "terms".into(),
                "Glossary links".into(),
                choices(&[("marked", "Marked", true), ("plain", "Plain", false)])
            ),
            (
                "size".into(),
                "Text size".into(),
                choices(&[
                    ("small", "Small", false),
                    ("normal", "Normal", true),
                    ("large", "Large", false),
                    ("larger", "Larger", false)
                ])
            ),
            (
                "scheme".into(),
                "Colours".into(),
                choices(&[
                    ("light", "Light", false),
                    ("dark", "Dark", false),
                    ("system", "System", true)
                ])
            ),
        ]
    );
}

#[test]
fn settings_js_runs_in_head_before_the_stylesheets_without_defer_so_choices_precede_the_first_paint() {
    let site = site("");
    site.build_ok(&[]);
    for (rel, root) in [
        ("index.html", ""),
        ("a/index.html", "../"),
        ("glossary/lawrow/index.html", "../../"),
    ] {
        let page = site.page(rel);
        let head = page.all("head > script, head > link[rel=stylesheet]");
        let src = format!("{root}static/settings.js");
        let script = head
            .iter()
            .position(|e| e.attr("src") == Some(src.as_str()))
            .unwrap_or_else(|| panic!("{rel}: no {src} in <head>"));
        let first_css = head.iter().position(|e| e.value().name() == "link");
        assert!(
            Some(script) < first_css,
            "{rel}: settings.js comes before the stylesheets"
        );
        let attrs: Vec<_> = head[script].value().attrs().map(|(name, _)| name).collect();
        assert_eq!(
            attrs,
            ["src"],
            "{rel}: neither defer nor async: it runs before the body is drawn"
        );
        assert!(text_of(&head[script]).is_empty(), "{rel}: no inline code");
    }
    let js = std::fs::read_to_string(site.out().join("static/settings.js")).expect("static/settings.js");
    assert!(js.contains("'glossa-reader'"), "the key the choices are kept under");
}

#[test]
fn a_german_site_has_german_reading_settings() {
    let site = site("lang: de\n");
    site.build_ok(&[]);
    let doc = site.page("a/index.html");
    assert_eq!(text_of(&doc.one(".reader-settings-toggle")), "Leseeinstellungen");
    assert_eq!(
        doc.one(".reader-settings-panel").attr("aria-label"),
        Some("Leseeinstellungen")
    );
    let legends: Vec<_> = settings(&doc).into_iter().map(|(_, legend, _)| legend).collect();
    assert_eq!(
        legends,
        ["Glossen", "Anmerkungen", "Glossarverweise", "Schriftgröße", "Farben"]
    );
    let labels: Vec<_> = settings(&doc)
        .into_iter()
        .flat_map(|(_, _, c)| c.into_iter().map(|(_, label, _)| label))
        .collect();
    assert_eq!(
        labels,
        [
            "Sichtbar",
            "Ausgeblendet",
            "Sichtbar",
            "Ausgeblendet",
            "Hervorgehoben",
            "Schlicht",
            "Klein",
            "Normal",
            "Groß",
            "Größer",
            "Hell",
            "Dunkel",
            "System"
        ]
    );
}

#[test]
fn classic_has_the_same_reading_settings() {
    let site = site("theme: classic\n");
    site.build_ok(&[]);
    let doc = site.page("a/index.html");
    assert_eq!(text_of(&doc.one("header .reader-settings-toggle")), "Reading settings");
    assert_eq!(settings(&doc).len(), 5);
    assert!(site.out().join("static/settings.js").is_file());
}
