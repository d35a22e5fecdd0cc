//! Annotating in `glossa serve` (docs/authoring.md, "Annotating in the browser"): the editor
//! is only in served pages; its endpoint writes through `glossa add`'s code only with the
//! run's token, only for documents under seeds/, with the shortest picker that makes a
//! repeated quote unique; refusals write nothing.

use crate::serve::{get, response, start, start_watched, wait_for};
use crate::support::Site;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::Duration;

const SIDECAR: &str = "annotations:\n  - quote: bellt\n    gloss: barks # kept\n";

fn site() -> Site {
    Site::new(&[
        (
            "seeds/a.md",
            "# Hunde\n\nDer Hund bellt. Ein Hund schläft.\n\nKein Hund hier.\n",
        ),
        ("seeds/a.yaml", SIDECAR),
    ])
}

/// A raw POST to the editor's endpoint; the status and the body.
fn post(addr: &str, token: Option<&str>, origin: Option<&str>, body: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut head = format!(
        "POST /__glossa/annotate HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(t) = token {
        head.push_str(&format!("x-glossa-token: {t}\r\n"));
    }
    if let Some(o) = origin {
        head.push_str(&format!("Origin: {o}\r\n"));
    }
    write!(s, "{head}\r\n{body}").unwrap();
    response(s)
}

/// The token the served page of `a` carries.
fn token(addr: &str) -> String {
    let (status, page) = get(addr, "/a/");
    assert_eq!(status, 200);
    let at = page
        .find("\"token\":\"")
        .expect("the served page carries the editor's token")
        + 9;
    page[at..at + 48].to_owned()
}

fn gloss(document: &str, before: &str, quote: &str, after: &str, text: &str) -> String {
    serde_json::json!({
        "document": document, "before": before, "quote": quote, "after": after,
        "kind": "gloss", "text": text,
    })
    .to_string()
}

#[test]
fn the_editor_is_in_served_pages_only_and_writes_only_with_the_runs_token() {
    let site = site();
    let server = start(&site);
    let addr = &server.addr;
    let token = token(addr);
    assert!(token.bytes().all(|b| b.is_ascii_hexdigit()), "{token}");
    let (_, home) = get(addr, "/");
    assert!(!home.contains("glossaEditor"), "only a document's page has the editor");
    let sidecar = site.root().join("seeds/a.yaml");
    let body = gloss("seeds/a.md", "Kein ", "Hund", " hier.", "dog");
    for (token, origin) in [
        (None, None),
        (Some("0".repeat(48)), None),
        (Some(token.clone()), Some("http://evil.example")),
    ] {
        let (status, _) = post(addr, token.as_deref(), origin, &body);
        assert_eq!(status, 403, "{token:?} {origin:?}");
        assert_eq!(std::fs::read_to_string(&sidecar).unwrap(), SIDECAR);
    }
    for outside in ["content/site.yaml", "../a.md", "/etc/passwd", "seeds/../content/x.md"] {
        let (status, _) = post(addr, Some(&token), None, &gloss(outside, "", "Hund", "", "dog"));
        assert_eq!(status, 403, "{outside}");
    }
    assert_eq!(std::fs::read_to_string(&sidecar).unwrap(), SIDECAR);
    // With the token, the same request writes; the page then shows the gloss.
    let (status, answer) = post(addr, Some(&token), Some(&format!("http://{addr}")), &body);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        std::fs::read_to_string(&sidecar).unwrap(),
        format!("{SIDECAR}  - quote: Hund\n    prefix: \"Kein \"\n    gloss: dog\n")
    );
    wait_for("the page to show the gloss", || {
        get(addr, "/a/").1.contains(">dog</span>")
    });
    // Built pages never carry the editor.
    site.build_ok(&["--out", "public"]);
    let built = std::fs::read_to_string(site.root().join("public/a/index.html")).unwrap();
    assert!(!built.contains("glossaEditor") && !built.contains("__glossa"));
}

#[test]
fn a_repeated_quote_gets_the_shortest_picker_and_refusals_write_nothing() {
    let site = site();
    let server = start(&site);
    let addr = &server.addr;
    let token = token(addr);
    let sidecar = site.root().join("seeds/a.yaml");
    // "Hund" stands three times: the second is told by the word after it.
    let (status, answer) = post(
        addr,
        Some(&token),
        None,
        &gloss("seeds/a.md", "Der Hund bellt. Ein ", "Hund", " schläft.", "dog"),
    );
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("\"id\":\"a-2\""), "{answer}");
    let written = std::fs::read_to_string(&sidecar).unwrap();
    assert_eq!(
        written,
        format!("{SIDECAR}  - quote: Hund\n    prefix: \"Ein \"\n    gloss: dog\n")
    );
    // A selection that cuts through the annotation of "bellt", one of no passage, and an
    // unknown term are refused with a message, and nothing is written.
    for (body, says) in [
        (
            gloss("seeds/a.md", "Der Hund bel", "lt. Ein", " Hund schläft.", "x"),
            "cross",
        ),
        (gloss("seeds/a.md", "", "Hund bellt. Kein", "", "x"), "not one passage"),
        (
            serde_json::json!({"document": "seeds/a.md", "before": "Kein ", "quote": "Hund",
                "after": " hier.", "kind": "term", "text": "nothing"})
            .to_string(),
            "nothing",
        ),
    ] {
        let (status, answer) = post(addr, Some(&token), None, &body);
        assert_eq!(status, 422, "{answer}");
        assert!(answer.contains(says), "{answer}");
        assert_eq!(std::fs::read_to_string(&sidecar).unwrap(), written);
    }
}

/// The version of the sidecar the served page of `a` carries.
fn version(addr: &str) -> String {
    let (_, page) = get(addr, "/a/");
    let at = page
        .find("\"version\":\"")
        .expect("the page carries the sidecar's version")
        + 11;
    page[at..at + 16].to_owned()
}

#[test]
fn edit_and_delete_change_only_their_item_and_refuse_a_stale_page() {
    let site = site();
    let server = start(&site);
    let addr = &server.addr;
    let token = token(addr);
    let sidecar = site.root().join("seeds/a.yaml");
    let change = |action: &str, version: &str, quote: &str, kind: &str, text: &str| {
        serde_json::json!({"action": action, "document": "seeds/a.md", "index": 0, "quote": quote,
            "version": version, "key": "gloss", "kind": kind, "text": text})
        .to_string()
    };
    let v = version(addr);
    // Without the token, or for an item that is not the page's, or from a stale page: refused.
    let (status, _) = post(addr, None, None, &change("delete", &v, "bellt", "", ""));
    assert_eq!(status, 403);
    let (status, answer) = post(addr, Some(&token), None, &change("delete", &v, "Hund", "", ""));
    assert_eq!(status, 422);
    assert!(answer.contains("no longer at its place"), "{answer}");
    let (status, answer) = post(
        addr,
        Some(&token),
        None,
        &change("edit", "0000000000000000", "bellt", "gloss", "x"),
    );
    assert_eq!(status, 422);
    assert!(answer.contains("reload the page"), "{answer}");
    // An unknown term is refused by the check, and nothing is written.
    let (status, answer) = post(
        addr,
        Some(&token),
        None,
        &change("edit", &v, "bellt", "term", "nothing"),
    );
    assert_eq!(status, 422, "{answer}");
    assert!(answer.contains("nothing"), "{answer}");
    assert_eq!(std::fs::read_to_string(&sidecar).unwrap(), SIDECAR);
    // Gloss → note with a new text: the key and the value change, the comment stays.
    let (status, answer) = post(
        addr,
        Some(&token),
        None,
        &change("edit", &v, "bellt", "note", "Barks, *loudly*."),
    );
    assert_eq!(status, 200, "{answer}");
    let edited = "annotations:\n  - quote: bellt\n    note: Barks, *loudly*. # kept\n";
    assert_eq!(std::fs::read_to_string(&sidecar).unwrap(), edited);
    // The page served before the edit is stale now.
    let (status, _) = post(addr, Some(&token), None, &change("delete", &v, "bellt", "", ""));
    assert_eq!(status, 422);
    wait_for("the page to carry the new version", || version(addr) != v);
    let body = change("delete", &version(addr), "bellt", "", "").replace("\"gloss\"", "\"note\"");
    let (status, answer) = post(addr, Some(&token), None, &body);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(std::fs::read_to_string(&sidecar).unwrap(), "annotations: []\n");
}

#[test]
fn a_new_glossary_entry_is_appended_with_its_term_item_or_neither_is_written() {
    const GLOSSARY: &str = "# The glossary.\n\n- id: hund\n  term: Hund\n  kind: animal\n  definition: A dog.\n\n- id: bellen # a verb\n  term: bellen\n  kind: verb\n  forms: [Hunde]\n  definition: To bark.\n";
    let site = Site::new(&[
        ("seeds/a.md", "# Hunde\n\nDer Hund bellt. Ein Kater schläft.\n"),
        ("seeds/a.yaml", SIDECAR),
        ("content/glossary.yaml", GLOSSARY),
    ]);
    let server = start(&site);
    let addr = &server.addr;
    let token = token(addr);
    let sidecar = site.root().join("seeds/a.yaml");
    let glossary = site.root().join("content/glossary.yaml");
    let new_term = |quote: &str, before: &str, text: &str| {
        serde_json::json!({"document": "seeds/a.md", "before": before, "quote": quote, "after": " schläft.",
            "kind": "term", "text": text, "new_entry": true, "entry_kind": "animal"})
        .to_string()
    };
    // An entry whose id is taken, and a term that gives no id: refused, nothing written.
    for (body, says) in [
        (new_term("Kater", "Der Hund bellt. Ein ", "Hund"), "hund"),
        (new_term("Kater", "Der Hund bellt. Ein ", "…"), "no id"),
    ] {
        let (status, answer) = post(addr, Some(&token), None, &body);
        assert_eq!(status, 422, "{answer}");
        assert!(answer.contains(says), "{answer}");
        assert_eq!(std::fs::read_to_string(&glossary).unwrap(), GLOSSARY);
        assert_eq!(std::fs::read_to_string(&sidecar).unwrap(), SIDECAR);
    }
    // Without the token: 403, nothing written.
    let body = new_term("Kater", "Der Hund bellt. Ein ", "Kater");
    let (status, _) = post(addr, None, None, &body);
    assert_eq!(status, 403);
    assert_eq!(std::fs::read_to_string(&glossary).unwrap(), GLOSSARY);
    // "New entry…": the glossary gains exactly the minimal entry, in its style (a blank line
    // between entries); the sidecar gains the term item.
    let (status, answer) = post(addr, Some(&token), None, &body);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        std::fs::read_to_string(&glossary).unwrap(),
        format!("{GLOSSARY}\n- id: kater\n  term: Kater\n  kind: animal\n  definition: \"\"\n")
    );
    assert_eq!(
        std::fs::read_to_string(&sidecar).unwrap(),
        format!("{SIDECAR}  - quote: Kater\n    term: kater\n")
    );
    wait_for("the page to link the occurrence to the new entry", || {
        get(addr, "/a/").1.contains("glossary/kater/")
    });
    let (status, entry) = get(addr, "/glossary/kater/");
    assert_eq!(status, 200);
    assert!(entry.contains("Kater"), "{entry}");
}

/// Edit can give an item an id and take it away again: only the id's line changes, and the
/// check runs first (an id another item has is refused, nothing written).
#[test]
fn edit_gives_an_item_an_id_and_takes_it_away() {
    let site = Site::new(&[
        ("seeds/a.md", "# Hunde\n\nDer Hund bellt. Ein Kater schläft.\n"),
        (
            "seeds/a.yaml",
            "annotations:\n  - id: kater\n    quote: Kater\n    gloss: tomcat\n  - quote: bellt\n    gloss: barks # kept\n",
        ),
    ]);
    let server = start(&site);
    let addr = &server.addr;
    let token = token(addr);
    let sidecar = site.root().join("seeds/a.yaml");
    let original = std::fs::read_to_string(&sidecar).unwrap();
    let change = |version: &str, id: &str| {
        serde_json::json!({"action": "edit", "document": "seeds/a.md", "index": 1, "quote": "bellt",
            "version": version, "key": "gloss", "kind": "gloss", "text": "barks", "id": id})
        .to_string()
    };
    let (status, answer) = post(addr, Some(&token), None, &change(&version(addr), "kater"));
    assert_eq!(status, 422, "{answer}");
    assert!(answer.contains("kater"), "{answer}");
    assert_eq!(std::fs::read_to_string(&sidecar).unwrap(), original);
    let (status, answer) = post(addr, Some(&token), None, &change(&version(addr), "bellt"));
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("\"id\":\"bellt\""), "{answer}");
    let with_id = original.replace("  - quote: bellt", "  - id: bellt\n    quote: bellt");
    assert_eq!(std::fs::read_to_string(&sidecar).unwrap(), with_id);
    wait_for("the page to show the new id", || {
        get(addr, "/a/").1.contains("id=\"bellt\"")
    });
    let (status, answer) = post(addr, Some(&token), None, &change(&version(addr), ""));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(std::fs::read_to_string(&sidecar).unwrap(), original);
}

/// The numbers of the reload events serve sends from now on (each event's `id`).
fn reloads(addr: &str) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET /__glossa/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines().map_while(Result::ok) {
            if let Some(id) = line.strip_prefix("id: ") {
                let _ = tx.send(id.to_owned());
            }
        }
    });
    // The stream is open once its headers have come: serve sends them at once.
    std::thread::sleep(Duration::from_millis(300));
    rx
}

/// serve builds what a Save wrote before it answers, without waiting for the watcher's
/// debounce: the page asked for right after the answer shows the edit (a new item; a new
/// glossary entry, which builds the whole site), the answer names the reload of that build,
/// and the watcher's event for the same write builds nothing again and asks for no second
/// reload (docs/serve.md, "Speed of the editor").
#[test]
fn a_save_is_built_before_it_is_answered_and_reloads_the_page_once() {
    let site = Site::new(&[
        (
            "seeds/a.md",
            "# Hunde\n\nDer Hund bellt. Ein Kater schläft.\n\nKein Hund hier.\n",
        ),
        ("seeds/a.yaml", SIDECAR),
        (
            "content/glossary.yaml",
            "- id: hund\n  term: Hund\n  definition: A dog.\n",
        ),
    ]);
    let watched = start_watched(&site);
    let addr = &watched.server.addr;
    let token = token(addr);
    let events = reloads(addr);
    let entry = serde_json::json!({"document": "seeds/a.md", "before": "Der Hund bellt. Ein ", "quote": "Kater",
        "after": " schläft.", "kind": "term", "text": "Kater", "new_entry": true})
    .to_string();
    for (body, shown) in [
        (gloss("seeds/a.md", "Kein ", "Hund", " hier.", "dog"), ">dog</span>"),
        (entry, "glossary/kater/"),
    ] {
        while watched.lines.try_recv().is_ok() {}
        let (status, answer) = post(addr, Some(&token), None, &body);
        assert_eq!(status, 200, "{answer}");
        let (_, page) = get(addr, "/a/");
        assert!(
            page.contains(shown),
            "the page is built when the Save is answered: {shown}"
        );
        let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
        let update = answer["update"].as_u64().expect("the answer names its reload");
        // The watcher's debounce (50 ms) and its look at the files, with room to spare.
        std::thread::sleep(Duration::from_millis(1500));
        let sent: Vec<String> = events.try_iter().collect();
        assert_eq!(sent, [update.to_string()], "one reload, the Save's own");
        let built: Vec<String> = watched.lines.try_iter().filter(|l| l.starts_with("rebuilt")).collect();
        assert_eq!(built.len(), 1, "built once: {built:?}");
    }
}
