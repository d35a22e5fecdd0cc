//! Sidecar parsing, anchoring and rendering of one document, fed by libFuzzer.
//!
//! The input is `FLAGS TEXT 0xFF SIDECAR [0xFF GLOSSARY]`: 0xFF never occurs in UTF-8, so the
//! parts split cleanly and a corpus can be made from real files (`make-corpus.sh`). FLAGS bit 0
//! picks Markdown (else plain text), bit 1 `markdown.raw_html`, bit 2 `glossary.link: all`,
//! bit 3 smart punctuation. The document and sidecar go through glossa's own stages — decode,
//! parse_document, resolve — and, when there is no error (as in `glossa build`), render_site
//! into memory with the built-in theme.
//!
//! Besides "no panic, no hang", it checks what rendering promises: the document page holds
//! every annotation's id exactly once, and every note its id once and a reference to it.

#![no_main]

use glossa::config::{Config, GlossaryLink};
use glossa::parse::document::{ParseOptions, decode, parse_document};
use glossa::render::{Bodies, Sink, render_site};
use glossa::theme;
use glossa::resolve::{PageBody, ResolvedDoc, SourceChanged};
use libfuzzer_sys::fuzz_target;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::{Mutex, OnceLock};

/// The pages rendered, by path.
#[derive(Default)]
struct Pages(Mutex<BTreeMap<String, Vec<u8>>>);

impl Sink for Pages {
    fn put(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        if path.ends_with(".html") {
            let mut pages = self.0.lock().expect("the page map");
            pages.insert(path.to_owned(), bytes.to_vec());
        }
        Ok(())
    }

    fn stream(&self, _: &str) -> std::io::Result<Box<dyn std::io::Write + Send + '_>> {
        Ok(Box::new(std::io::sink()))
    }
}

/// A folder that does not exist: the built-in theme, and no file read for messages.
const ROOT: &str = "/nonexistent/glossa-fuzz";

fn theme() -> &'static theme::Theme {
    static THEME: OnceLock<theme::Theme> = OnceLock::new();
    THEME.get_or_init(|| {
        let mut diags = Vec::new();
        theme::load(Path::new(ROOT), "default", "en", &mut diags).expect("the built-in theme")
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let mut parts = rest.splitn(3, |&b| b == 0xFF);
    let text = parts.next().unwrap_or_default().to_vec();
    let sidecar = parts.next().map(<[u8]>::to_vec);
    let glossary = parts.next().map(<[u8]>::to_vec);

    let root = Path::new(ROOT);
    let markdown = flags & 1 == 1;
    let doc_path = root.join(if markdown { "seeds/a.md" } else { "seeds/a.txt" });
    let side_path = root.join("seeds/a.yaml");
    let glossary_path = root.join("content/glossary.yaml");
    let mut diags = Vec::new();

    let Ok(text) = decode(text, &doc_path) else {
        return;
    };
    let side = match sidecar.map(|s| decode(s, &side_path)) {
        Some(Ok(s)) => Some((side_path.as_path(), s)),
        Some(Err(_)) => return,
        None => None,
    };
    let opts = ParseOptions {
        smart_punctuation: flags & 8 != 0,
    };
    let source = text.clone();
    let Some(parsed) = parse_document(&doc_path, text, side, &opts, &mut diags) else {
        assert!(
            diags.iter().any(|d| d.is_error()),
            "a document dropped without an error"
        );
        return;
    };
    let entries = match glossary.map(|g| decode(g, &glossary_path)) {
        Some(Ok(g)) => glossa::parse::glossary::parse_glossary(&g, &glossary_path, &mut diags),
        _ => Vec::new(),
    };
    let annotations: Vec<String> = parsed.doc.annotations.iter().map(|a| a.id.to_string()).collect();
    let config = Config {
        raw_html: flags & 2 != 0,
        glossary_link: if flags & 4 != 0 {
            GlossaryLink::All
        } else {
            GlossaryLink::First
        },
        ..Config::default()
    };
    let glossary = glossa::resolve::Glossary::new(&entries);
    let (resolved, _) = glossa::resolve::resolve_doc(
        parsed.doc,
        parsed.body,
        &parsed.sidecar_source,
        &config,
        &entries,
        &glossary,
        &mut diags,
    );
    let site = glossa::resolve::resolve(root, config, vec![resolved], Vec::new(), entries, glossary, &mut diags);
    for d in &diags {
        assert!(d.path.starts_with(root), "a diagnostic outside the site: {d:?}");
        assert!(!d.message.is_empty(), "a diagnostic without a message: {d:?}");
    }
    if diags.iter().any(|d| d.is_error()) {
        return;
    }

    let pages = Pages::default();
    let bodies = InMemory {
        source,
        opts,
        raw_html: flags & 2 != 0,
    };
    render_site(&site, &bodies, theme(), &pages).expect("rendering into memory");
    let slug = &site.docs[0].doc.slug;
    let pages = pages.0.into_inner().expect("the page map");
    let page = pages
        .get(&format!("{slug}/index.html"))
        .map(|b| String::from_utf8_lossy(b).into_owned())
        .expect("the document's page");
    if flags & 2 != 0 {
        return; // raw HTML may bring ids of its own
    }
    let ids = attribute_values(&page, " id=\"");
    let hrefs = attribute_values(&page, " href=\"");
    for id in &annotations {
        let n = ids.get(id.as_str()).copied().unwrap_or(0);
        assert_eq!(n, 1, "annotation `{id}` stands {n} times in the page");
    }
    let notes = page.matches("role=\"doc-footnote\"").count();
    for n in 1..=notes {
        let note = format!("note-{n}");
        assert_eq!(ids.get(note.as_str()).copied(), Some(1), "note {n}");
        assert!(
            hrefs.contains_key(format!("#{note}").as_str()),
            "no reference to note {n}"
        );
    }
});

/// The document's body made again from the text in memory, as `glossa build` makes it again
/// from the file.
struct InMemory {
    source: String,
    opts: ParseOptions,
    raw_html: bool,
}

impl Bodies for InMemory {
    fn body(&self, doc: &ResolvedDoc) -> Result<PageBody, SourceChanged> {
        let mut body = doc.doc.body(self.source.clone(), &self.opts);
        let reading = glossa::resolve::prepare(&mut body, self.raw_html);
        Ok(PageBody { body, reading })
    }

    /// The fuzzed site has no translations: none is ever asked for.
    fn translation(&self, t: &glossa::resolve::translation::Translation) -> Result<PageBody, SourceChanged> {
        Err(SourceChanged {
            path: t.path.clone(),
            reason: "the fuzzed site has no translations".into(),
        })
    }
}

/// How often each value of an attribute stands in `html`, found by its lead (` id="`): one
/// pass over the page, however many values are asked for.
fn attribute_values<'h>(html: &'h str, lead: &str) -> HashMap<&'h str, usize> {
    let mut out = HashMap::new();
    for (at, _) in html.match_indices(lead) {
        let rest = &html[at + lead.len()..];
        if let Some(end) = rest.find('"') {
            *out.entry(&rest[..end]).or_insert(0) += 1;
        }
    }
    out
}
