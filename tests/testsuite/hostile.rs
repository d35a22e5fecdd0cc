//! Hostile input is harmless (issue #5): `<script>`, event-handler attributes and script URLs
//! written anywhere an author can write text — a .txt, a Markdown document and its front
//! matter, a sidecar's metadata, notes and glosses, the glossary, a page, site.yaml — never
//! reach the output as markup. They are shown as text, or they are errors (script links).
//! Only `markdown.raw_html: true` lets raw HTML of Markdown through, as the contract says.
//!
//! Every HTML file of each build is parsed and searched for what a browser would run: script
//! elements, `on…` attributes, URL attributes whose scheme (read as a browser reads it) is
//! `javascript:`, `vbscript:` or `data:`, and elements that load or replace documents.

use crate::support::{Page, Site, files_under, reading_text, selector, text_of};
use std::path::Path;

/// The hostile text planted at `place`: a script element, an image with an event handler, an
/// attribute break-out and a script URL, each naming the place so that a leak says where.
fn payload(place: &str) -> String {
    format!(
        r#"<script>alert("{place}")</script> <img src=x onerror=alert("{place}")> " onmouseover="alert('{place}')" javascript:alert('{place}')"#
    )
}

/// A YAML scalar holding `s` exactly (JSON strings are YAML).
fn yaml(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// Attributes that hold a URL a browser loads or follows.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "cite",
    "background",
    "data",
    "srcset",
    "ping",
    "xlink:href",
    "manifest",
];

/// Elements that load, embed or redirect to other documents; no theme of glossa uses them
/// (but the search form, which [`is_search_form`] tells apart).
const LOADING_ELEMENTS: &[&str] = &[
    "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form",
];

/// The theme's search forms: the header's box and the search page's own form, both with
/// `role="search"` and sending the query to the search page.
fn is_search_form(e: &scraper::ElementRef) -> bool {
    let el = e.value();
    el.name() == "form"
        && el.attr("role") == Some("search")
        && el.attr("method") == Some("get")
        && el
            .attr("action")
            .is_some_and(|a| a.ends_with("search/index.html") || a == "index.html")
}

/// A URL's scheme as a browser reads it — leading and trailing controls and spaces dropped,
/// tabs and line breaks anywhere ignored, case folded — if it runs code or carries a document.
fn script_scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let scheme = cleaned.split_once(':')?.0.to_ascii_lowercase();
    ["javascript", "vbscript", "data"]
        .contains(&scheme.as_str())
        .then_some(scheme)
}

/// Everything in `page` a browser would run or load on the author's behalf, one line each.
/// A theme may bring its own scripts, but only as files under `static/`, never inline; a data
/// block (`<script type="application/json">`) is not run, and text that broke out of one
/// would show here as elements of its own.
fn active_content(page: &Page) -> Vec<String> {
    let mut found = Vec::new();
    for e in page.all("*") {
        let el = e.value();
        let name = el.name();
        let show = || {
            let html = e.html();
            html.chars().take(160).collect::<String>()
        };
        if name == "script" {
            let from_theme = el.attr("src").is_some_and(|s| s.contains("static/")) && text_of(&e).is_empty();
            let data = matches!(
                el.attr("type").map(str::to_ascii_lowercase).as_deref(),
                Some("application/json" | "application/ld+json")
            );
            if !from_theme && !data {
                found.push(format!("a script element: {}", show()));
            }
        }
        if LOADING_ELEMENTS.contains(&name) && !is_search_form(&e) {
            found.push(format!("a <{name}> element: {}", show()));
        }
        if name == "meta" && el.attr("http-equiv").is_some() {
            found.push(format!("a meta http-equiv: {}", show()));
        }
        for (attr, value) in el.attrs() {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") {
                found.push(format!("an event-handler attribute `{attr}`: {}", show()));
            }
            if URL_ATTRS.contains(&attr.as_str())
                && let Some(scheme) = script_scheme(value)
            {
                found.push(format!("a `{scheme}:` URL in `{attr}`: {}", show()));
            }
        }
    }
    found
}

/// Parses every HTML file under `out` and fails on any active content, naming file and find.
fn assert_inert(out: &Path) {
    let mut problems = Vec::new();
    let mut pages = 0;
    for rel in files_under(out).keys().filter(|f| f.ends_with(".html")) {
        pages += 1;
        let page = Page::open(&out.join(rel));
        problems.extend(active_content(&page).into_iter().map(|p| format!("{rel}: {p}")));
    }
    assert!(pages > 0, "no HTML page under {}", out.display());
    assert!(
        problems.is_empty(),
        "active content in the output:\n{}",
        problems.join("\n")
    );
}

/// The whole text of a page (all text nodes, whitespace folded): where escaped markup shows.
fn page_text(page: &Page) -> String {
    text_of(&page.html.root_element())
}

fn assert_shows(page: &Page, text: &str) {
    assert!(
        page_text(page).contains(text),
        "{} should show {text:?} as text",
        page.path.display()
    );
}

/// A site with hostile text in every place an author writes text.
fn hostile_site() -> Site {
    let txt = format!(
        "{title}\n\nBefore {body} after.\n\nThe Gift is named here.\n",
        title = payload("txt-title"),
        body = payload("txt-body"),
    );
    let txt_sidecar = format!(
        "author: {author}\nsummary: {summary}\ntags: [{tag}]\nsource:\n  title: {source_title}\n  url: {source_url}\nannotations:\n  - id: img\n    quote: {quote}\n    note: {note}\n    gloss: {gloss}\n  - id: away\n    quote: after\n    see: {see}\n  - id: named\n    quote: named\n    term: gift\n    gloss: {term_gloss}\n",
        author = yaml(&payload("txt-author")),
        summary = yaml(&payload("txt-summary")),
        tag = yaml(&payload("txt-tag")),
        source_title = yaml(&payload("source-title")),
        source_url = yaml(r#"https://example.org/"onmouseover="alert('source-url')"#),
        quote = yaml(r#"<img src=x onerror=alert("txt-body")>"#),
        note = yaml(&format!(
            "Note: {} and [a link](https://example.org/ \"{}\")",
            payload("note"),
            payload("note-link-title").replace('"', "\\\"")
        )),
        gloss = yaml(&payload("gloss")),
        see = yaml(r#"https://example.org/?q="><script>alert('see')</script>"#),
        term_gloss = yaml(&payload("term-gloss")),
    );
    let md = format!(
        "---\ntitle: {title}\nauthor: {author}\nsummary: {summary}\n---\nText: {body}.\n\nx <div onclick=\"alert('md-block')\">a block</div>\n\n## Heading {{#sect data-x={data} title={attr_title}}}\n\nA footnote.[^f]\n\n```\"><img src=x onerror=alert('code-lang')>\ncode {code}\n```\n\n[^f]: Foot {foot}.\n",
        title = yaml(&payload("md-title")),
        author = yaml(&payload("md-author")),
        summary = yaml(&payload("md-summary")),
        body = payload("md-body"),
        data = r#""&quot;onclick=alert('data-attr')&amp;"#,
        attr_title = r#""onmouseover="alert('title-attr')""#,
        foot = payload("footnote"),
        code = payload("code"),
    );
    let glossary = format!(
        "- id: gift\n  term: {term}\n  forms: [Gift]\n  kind: {kind}\n  definition: {definition}\n  see: [handler]\n- id: handler\n  term: Handler\n  forms: [onerror]\n  definition: {definition2}\n",
        term = yaml(&format!("Gift {}", payload("term"))),
        kind = yaml(r#"k" onmouseover="alert('kind')"#),
        definition = yaml(&payload("definition")),
        definition2 = yaml("An event handler; [see the term](term:gift)."),
    );
    let page = format!(
        "---\ntitle: {title}\n---\nPage {body}.\n",
        title = yaml(&payload("page-title")),
        body = payload("page-body"),
    );
    let site_yaml = format!(
        "title: {title}\ndescription: {description}\nbase_url: https://example.org/site/\n",
        title = yaml(&payload("site-title")),
        description = yaml(&payload("site-description")),
    );
    Site::new(&[
        ("seeds/plain.txt", txt.as_str()),
        ("seeds/plain.yaml", txt_sidecar.as_str()),
        ("seeds/md.md", md.as_str()),
        ("content/glossary.yaml", glossary.as_str()),
        ("content/pages/about.md", page.as_str()),
        ("content/site.yaml", site_yaml.as_str()),
    ])
}

#[test]
fn hostile_text_everywhere_reaches_no_page_as_markup() {
    let site = hostile_site();
    site.build_ok(&[]);
    assert_inert(&site.out());
}

#[test]
fn hostile_text_is_shown_as_text_where_it_was_written() {
    let site = hostile_site();
    site.build_ok(&[]);

    let doc = site.page("plain/index.html");
    assert_eq!(text_of(&doc.one("h1")), payload("txt-title"));
    assert!(text_of(&doc.one("title")).contains(&payload("txt-title")));
    assert!(text_of(&doc.one("title")).contains(&payload("site-title")));
    assert!(reading_text(&doc.by_id("p-1")).contains(&payload("txt-body")));
    for place in ["txt-author", "txt-tag", "source-title", "note"] {
        assert_shows(&doc, &payload(place));
    }
    assert_shows(&doc, &payload("page-title")); // the navigation
    assert_eq!(
        doc.one("meta[name=\"description\"]").attr("content"),
        Some(payload("txt-summary").as_str()),
        "the summary, in an attribute, comes back exactly as written"
    );
    // The annotation over the image tag is one element holding it as text, with the gloss.
    let img = doc.by_id("img");
    assert!(text_of(&img).starts_with(r#"<img src=x onerror=alert("txt-body")>"#));
    let gloss = img.select(&selector(".gloss-text")).next().expect("the gloss text");
    assert_eq!(text_of(&gloss), payload("gloss"));
    let term_gloss = doc.by_id("named").select(&selector(".gloss-text")).next();
    assert_eq!(term_gloss.map(|g| text_of(&g)), Some(payload("term-gloss")));
    // The note's link title stays an attribute value.
    let link = doc
        .one("[role=\"doc-footnote\"] a[href=\"https://example.org/\"]")
        .attr("title")
        .map(str::to_owned);
    assert_eq!(link, Some(payload("note-link-title")));
    // The see link keeps the harmless URL, quotes and brackets encoded inside the value.
    let see = doc.one("a.see");
    let href = see.attr("href").unwrap_or_default();
    assert!(href.starts_with("https://example.org/?q="), "{href}");
    assert!(!href.contains('<') && !href.contains('"'), "{href}");
    assert_eq!(text_of(&see), "after");
    // A source URL with quotes stays one attribute value.
    let source = doc
        .all("a[href^=\"https://example.org/\"]")
        .into_iter()
        .find(|a| text_of(a) == payload("source-title"))
        .expect("the source link");
    assert_eq!(
        source.attr("href"),
        Some(r#"https://example.org/"onmouseover="alert('source-url')"#)
    );

    let md = site.page("md/index.html");
    assert_eq!(text_of(&md.one("h1")), payload("md-title"));
    assert_shows(&md, &payload("md-author"));
    assert!(text_of(&md.by_id("p-1")).contains(&payload("md-body")));
    assert!(text_of(&md.by_id("p-2")).contains(r#"<div onclick="alert('md-block')">a block</div>"#));
    assert_shows(&md, &payload("footnote"));
    assert_shows(&md, &format!("code {}", payload("code")));
    assert_eq!(
        md.one("meta[name=\"description\"]").attr("content"),
        Some(payload("md-summary").as_str())
    );
    let heading = md.by_id("sect");
    assert_eq!(
        heading.attr("data-x"),
        Some(r#""&quot;onclick=alert('data-attr')&amp;"#)
    );
    assert_eq!(heading.attr("title"), Some(r#""onmouseover="alert('title-attr')""#));

    let entry = site.page("glossary/gift/index.html");
    assert_eq!(text_of(&entry.one("h1")), format!("Gift {}", payload("term")));
    assert_shows(&entry, &payload("definition"));
    assert_shows(&entry, r#"k" onmouseover="alert('kind')"#);
    assert_shows(&entry, &payload("txt-title")); // the document its occurrences stand in
    let index = site.page("glossary/index.html");
    assert_shows(&index, &format!("Gift {}", payload("term")));
    assert_shows(&index, r#"k" onmouseover="alert('kind')"#);

    let about = site.page("about/index.html");
    assert_eq!(text_of(&about.one("h1")), payload("page-title"));
    assert_shows(&about, &payload("page-body"));

    let home = site.page("index.html");
    assert!(text_of(&home.one("title")).contains(&payload("site-title")));
    assert_shows(&home, &payload("site-description"));
    assert_shows(&home, &payload("txt-title"));
    assert_shows(&home, &payload("md-title"));
    assert_eq!(
        home.one("meta[name=\"description\"]").attr("content"),
        Some(payload("site-description").as_str())
    );

    let not_found = site.page("404.html");
    assert!(text_of(&not_found.one("title")).contains(&payload("site-title")));
    assert_shows(&not_found, &payload("page-title"));
}

#[test]
fn annotations_jsonld_carries_hostile_text_as_data() {
    let site = hostile_site();
    site.build_ok(&[]);
    let text = std::fs::read_to_string(site.out().join("annotations.jsonld")).expect("annotations.jsonld");
    let json: serde_json::Value = serde_json::from_str(&text).expect("annotations.jsonld is JSON");
    assert_eq!(json["label"], payload("site-title"));
    let items = json["first"]["items"].as_array().expect("items");
    let img = items
        .iter()
        .find(|i| i["id"] == "https://example.org/site/plain/index.html#img")
        .expect("the annotation `img`");
    let bodies = img["body"].as_array().expect("a note and a gloss");
    assert!(
        bodies
            .iter()
            .any(|b| b["value"].as_str().is_some_and(|v| v.contains(&payload("note"))))
    );
    assert!(bodies.iter().any(|b| b["value"] == payload("gloss")));
    assert_eq!(
        img["target"]["selector"][0]["exact"],
        r#"<img src=x onerror=alert("txt-body")>"#
    );
    // No page embeds the collection, where `</script>` in a value could end a script element.
    for (rel, bytes) in files_under(&site.out()) {
        if rel.ends_with(".html") {
            assert!(
                !String::from_utf8_lossy(&bytes).contains("annotations.jsonld\"></script"),
                "{rel} embeds annotations.jsonld"
            );
        }
    }
}

#[test]
fn heading_attributes_cannot_add_event_handlers() {
    let md = "# T\n\n## One {#one onmouseover=alert(1) x/onclick=alert(2) autofocus onfocus=alert(3) style=color:red data-ok=1 lang=de}\n\nText.\n";
    let note = "## In a note {onclick=alert(4) data-n=1}\n\nBody.";
    let definition = "## In a definition {onclick=alert(5)}\n\nBody.";
    let site = Site::new(&[
        ("seeds/a.md", md),
        (
            "seeds/a.yaml",
            &format!("annotations:\n  - quote: Text\n    note: {}\n", yaml(note)),
        ),
        (
            "content/glossary.yaml",
            &format!("- id: t\n  term: Text\n  definition: {}\n", yaml(definition)),
        ),
    ]);
    site.build_ok(&[]);
    assert_inert(&site.out());
    let page = site.page("a/index.html");
    let one = page.by_id("one");
    let mut attrs: Vec<&str> = one.value().attrs().map(|(n, _)| n).collect();
    attrs.sort();
    assert_eq!(attrs, ["data-ok", "id", "lang"], "{}", one.html());
    // The note stands in the section of `## One`: its heading goes under it (docs/documents.md).
    assert_eq!(text_of(&page.one("[role=\"doc-footnote\"] h3")), "In a note");
}

#[test]
fn with_raw_html_markdown_documents_pass_html_through_but_nothing_else_does() {
    let raw = r#"<span class="raw">raw</span>"#;
    let site = Site::new(&[
        ("content/site.yaml", "markdown: { raw_html: true }\n"),
        (
            "seeds/md.md",
            &format!(
                "---\ntitle: {}\n---\nMarkdown with {raw} inside.\n\n<div class=\"raw-block\">a block</div>\n\nMore.[^f]\n\n[^f]: A footnote with {raw}.\n\nAn author's own <script>let raw = 1;</script> <a href=\" JavaScript:void(0)\" onclick=\"raw()\">script</a>.\n",
                yaml(&format!("Title {raw}"))
            ),
        ),
        (
            "seeds/md.yaml",
            &format!(
                "annotations:\n  - quote: More\n    gloss: {gloss}\n    note: {note}\n",
                gloss = yaml(&format!("Gloss {raw}")),
                note = yaml(&format!("Note {raw}")),
            ),
        ),
        ("seeds/plain.txt", &format!("Plain\n\nA text with {raw} inside.\n")),
        (
            "content/glossary.yaml",
            &format!(
                "- id: x\n  term: {}\n  forms: [More]\n  definition: Def {raw}\n",
                yaml(&format!("Term {raw}"))
            ),
        ),
    ]);
    site.build_ok(&[]);
    let md = site.page("md/index.html");
    let spans = md.all("main span.raw");
    // In the body, the footnote and the note (notes are Markdown of the same author).
    assert_eq!(spans.len(), 3, "{}", md.source);
    // The glossary entry's preview shows its definition as the entry's page does.
    let previews = scraper::Html::parse_fragment(&md.one("template.glossary-previews").inner_html());
    assert_eq!(previews.select(&crate::support::selector("span.raw")).count(), 1);
    assert_eq!(md.all(".doc-body div.raw-block, div.raw-block").len(), 1);
    // Titles and glosses are plain text, whatever the option.
    assert_eq!(text_of(&md.one("h1")), format!("Title {raw}"));
    assert_eq!(text_of(&md.one(".gloss-text")), format!("Gloss {raw}"));
    // What the author wrote runs, and the check above sees every kind of it.
    let mut active = active_content(&md);
    active.sort();
    assert_eq!(active.len(), 3, "{active:#?}");
    assert!(active[0].starts_with("a `javascript:` URL in `href`"), "{active:#?}");
    assert!(active[1].starts_with("a script element"), "{active:#?}");
    assert!(
        active[2].starts_with("an event-handler attribute `onclick`"),
        "{active:#?}"
    );
    let plain = site.page("plain/index.html");
    assert!(plain.all("span.raw").is_empty(), "a .txt is never markup");
    assert!(text_of(&plain.by_id("p-1")).contains(raw));
    let entry = site.page("glossary/x/index.html");
    assert_eq!(text_of(&entry.one("h1")), format!("Term {raw}"));
    assert_eq!(entry.all("span.raw").len(), 1, "the definition is Markdown");

    // And without the option, the same Markdown shows its tags as text.
    site.write("content/site.yaml", "markdown: { raw_html: false }\n");
    site.build_ok(&[]);
    let md = site.page("md/index.html");
    assert!(md.all("span.raw, div.raw-block").is_empty(), "{}", md.source);
    assert!(text_of(&md.by_id("p-1")).contains(raw));
    assert_inert(&site.out());
}

/// A site whose one Markdown document and sidecar are given; returns the run.
fn build_with(files: &[(&str, &str)]) -> (Site, crate::support::Run) {
    let mut all = vec![("seeds/a.md", "# A\n\nDer Hund bellt.\n")];
    all.extend_from_slice(files);
    let site = Site::new(&all);
    let run = site.build(&[]);
    (site, run)
}

#[test]
fn script_links_are_errors_where_they_are_written() {
    // (files, where the error stands, what it says)
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: &[Case] = &[
        (
            &[("seeds/a.md", "# A\n\nDer [Hund](javascript:alert(1)) bellt.\n")],
            "seeds/a.md:3:",
            "`javascript:` links are not allowed",
        ),
        (
            &[("seeds/a.md", "# A\n\nDer Hund <JavaScript:alert(1)> bellt.\n")],
            "seeds/a.md:3:",
            "`javascript:` links are not allowed",
        ),
        (
            &[("seeds/a.md", "# A\n\nDer [Hund][r] bellt.\n\n[r]: vbscript:msgbox(1)\n")],
            "seeds/a.md:3:",
            "`vbscript:` links are not allowed",
        ),
        (
            &[(
                "seeds/a.md",
                "# A\n\nDer Hund bellt.[^f]\n\n[^f]: See [this](data:text/html,<script>alert(1)</script>).\n",
            )],
            "seeds/a.md:5:",
            "`data:` links are not allowed",
        ),
        (
            &[(
                "seeds/a.yaml",
                "annotations:\n  - quote: Hund\n    note: |\n      First line.\n      A [link](javascript:alert(1)).\n",
            )],
            "seeds/a.yaml:5:",
            "`javascript:` links are not allowed",
        ),
        (
            &[(
                "seeds/a.yaml",
                "annotations:\n  - quote: Hund\n    see: \" javascript:alert(1)\"\n",
            )],
            "seeds/a.yaml:3:",
            "`javascript:` links are not allowed",
        ),
        (
            &[(
                "content/glossary.yaml",
                "- id: hund\n  term: Hund\n  definition: |\n    A dog;\n    [more](javascript:alert(1)).\n",
            )],
            "content/glossary.yaml:5:",
            "`javascript:` links are not allowed",
        ),
        (
            &[(
                "content/pages/about.md",
                "# About\n\nSee [here](javascript:alert(1)).\n",
            )],
            "content/pages/about.md:3:",
            "`javascript:` links are not allowed",
        ),
        (
            &[(
                "seeds/a.md",
                "---\nsource: { title: S, url: \"javascript:alert(1)\" }\n---\n# A\n\nDer Hund bellt.\n",
            )],
            "seeds/a.md:2:",
            "`javascript:` URLs are not allowed as a source",
        ),
        (
            &[(
                "seeds/a.yaml",
                "source:\n  title: S\n  url: \"Java\\tScript:alert(1)\"\n",
            )],
            "seeds/a.yaml:3:",
            "`javascript:` URLs are not allowed as a source",
        ),
    ];
    for (files, at, message) in cases {
        let (site, run) = build_with(files);
        site.assert_fails(&run, &[at, message]);
        let line = run
            .errors()
            .into_iter()
            .find(|l| l.contains(message))
            .unwrap_or_default()
            .to_owned();
        assert!(
            line.starts_with(at),
            "the error should start with `{at}`: {line}\n{run}"
        );
    }
}

#[test]
fn script_urls_that_pass_the_checks_still_reach_no_page() {
    // Forms a browser reads as `javascript:` although they do not start with it: a tab inside
    // the scheme, an entity for one, a leading control character. Images are not links, but a
    // script URL in `src` is refused all the same. Whether the build calls these errors or
    // not, nothing it writes may run them.
    let site = Site::new(&[
        (
            "seeds/a.md",
            "# A\n\nOne [a](java&#9;script:alert(1)) two [b](<java\tscript:alert(2)>) three.\n\nFour ![i](javascript:alert(3)) five ![j](data:text/html;base64,PHNjcmlwdD4=) six.\n",
        ),
        (
            "seeds/a.yaml",
            "annotations:\n  - quote: One\n    see: \"java\\tscript:alert(4)\"\n  - quote: two\n    see: \"\\x01javascript:alert(5)\"\n  - quote: three\n    note: \"![n](JAVASCRIPT:alert(6))\"\n",
        ),
    ]);
    let run = site.build(&[]);
    assert!(!run.stderr.contains("panicked"), "{run}");
    if run.code == 0 {
        assert_inert(&site.out());
        let page = site.page("a/index.html");
        for img in page.all("img") {
            assert_eq!(img.attr("src"), Some("#"), "{}", img.html());
        }
    } else {
        site.assert_fails(&run, &["seeds/a."]);
    }
}

#[test]
fn ids_and_slugs_cannot_carry_markup_into_attributes() {
    let site = Site::new(&[
        ("seeds/a.md", "# A\n\nDer Hund bellt.\n"),
        (
            "seeds/a.yaml",
            "slug: \"a\\\" onclick=\\\"x\"\nannotations:\n  - id: \"x\\\" onmouseover=\\\"alert(1)\"\n    quote: Hund\n    gloss: dog\n",
        ),
        (
            "content/glossary.yaml",
            "- id: \"h\\\"><script>alert(1)</script>\"\n  term: Hund\n  definition: A dog.\n",
        ),
    ]);
    let run = site.build(&[]);
    site.assert_fails(
        &run,
        &[
            "seeds/a.yaml:1:",
            "seeds/a.yaml:3:",
            "content/glossary.yaml:1:",
            "is not `[a-z0-9-]+`",
        ],
    );
}
