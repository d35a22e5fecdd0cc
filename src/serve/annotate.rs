//! Annotating from a served page: the editor's script and what it needs, spliced into each
//! document's page on the way out (never into what `build` writes), and the endpoint it
//! posts to, which writes the new item through the same code as `glossa add`
//! ([`crate::add::plan`], [`crate::add::check`], [`crate::add::commit`]).
//!
//! Only the page serve itself sent can write: each run makes a random token, which is in the
//! pages and must come back in a header (`x-glossa-token`). A page of another origin can
//! neither read the token nor send that header without the browser asking first, and serve
//! answers no such question. Requests must also come from this machine (a loopback address),
//! and name a document under the site's `seeds/`. Anything else is refused with 403, and
//! nothing is written.
//!
//! The same endpoint edits and deletes an item that is there (`action`: `edit`, `delete`;
//! `revise.rs` makes the new text), and with a term item may add the glossary entry it names
//! ("New entry…"). Every change is checked before it is written: against the site serve keeps
//! in memory, for the one document ([`LiveSite::check_sidecar`], a few milliseconds where a
//! whole-site check of 10,000 documents takes seconds), or in full where that cannot tell
//! (a new sidecar, a new glossary entry, no site kept yet). `glossa add` checks in full.

use super::live::LiveSite;
use super::place::{Selection, place};
use super::revise::{self, Change, Target, strings};
use crate::add::{Plan, Refusal, Request};
use crate::{BuildOptions, Fatal};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

pub(super) const ANNOTATE_PATH: &str = "/__glossa/annotate";
const TOKEN_HEADER: &str = "x-glossa-token";

/// The editor's script, and its styles.
const EDITOR_JS: &str = include_str!("editor.js");

/// What the editor of a serve run knows: its token, and from the last good build, which
/// document each page shows and the glossary's entries.
pub(super) struct Editor {
    token: String,
    root: PathBuf,
    drafts: bool,
    known: Mutex<Known>,
    /// The site the watcher keeps, which the editor checks an edit against; held by one of
    /// them at a time.
    site: Mutex<Option<LiveSite>>,
    /// Set to make the watcher's background work (annotations.jsonld) give way at once.
    interrupt: OnceLock<Arc<AtomicBool>>,
}

#[derive(Default)]
struct Known {
    /// A document's page (`slug/index.html`) → its path relative to the site (`seeds/x.txt`).
    documents: HashMap<String, String>,
    /// The glossary's entries, for the term search: id, term, forms and kind.
    entries: Vec<serde_json::Value>,
    /// The glossary's kinds, in the order they first appear, and the file a new entry goes to.
    kinds: Vec<String>,
    glossary: Option<PathBuf>,
    lang: String,
}

impl Editor {
    pub(super) fn new(root: &Path, drafts: bool) -> Result<Editor, String> {
        let mut bytes = [0u8; 24];
        getrandom::fill(&mut bytes).map_err(|e| format!("cannot make a random token: {e}"))?;
        Ok(Editor {
            token: bytes.iter().map(|b| format!("{b:02x}")).collect(),
            root: root.to_path_buf(),
            drafts,
            known: Mutex::new(Known::default()),
            site: Mutex::new(None),
            interrupt: OnceLock::new(),
        })
    }

    /// The site the watcher keeps between edits (shared with the editor's checks).
    pub(super) fn live_site(&self) -> std::sync::MutexGuard<'_, Option<LiveSite>> {
        self.site.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The flag that makes the watcher's background work stop for an edit.
    /// Makes the watcher's background work give way: the editor is about to check and write.
    pub(super) fn interrupt(&self) {
        if let Some(flag) = self.interrupt.get() {
            flag.store(true, Ordering::Relaxed);
        }
    }

    pub(super) fn interrupt_with(&self, flag: Arc<AtomicBool>) {
        let _ = self.interrupt.set(flag);
    }

    /// Takes in what a good build made: its documents' pages and its glossary.
    pub(super) fn learn(&self, site: &crate::resolve::Site) {
        let documents = site
            .docs
            .iter()
            .filter_map(|d| {
                let rel = d.doc.path.strip_prefix(&self.root).ok()?;
                let rel = rel.to_str()?.replace('\\', "/");
                Some((crate::layout::doc_page(&d.doc.slug), rel))
            })
            .collect();
        let entries = site
            .entries
            .iter()
            .map(|e| serde_json::json!({ "id": e.id, "term": e.term, "forms": e.forms, "kind": e.kind }))
            .collect();
        let mut kinds: Vec<String> = Vec::new();
        for e in &site.entries {
            if !kinds.contains(&e.kind) {
                kinds.push(e.kind.clone());
            }
        }
        let glossary = self.root.join("content").join("glossary.yaml");
        if let Ok(mut known) = self.known.lock() {
            *known = Known {
                documents,
                entries,
                kinds,
                glossary: glossary.is_file().then_some(glossary),
                lang: site.config.lang.clone(),
            };
        }
    }

    /// The editor for the page at `page` (relative to the output folder), if it shows a
    /// document: its settings as JSON, then its script.
    pub(super) fn snippet(&self, page: &str) -> String {
        let Ok(known) = self.known.lock() else {
            return String::new();
        };
        let Some(document) = known.documents.get(page) else {
            return String::new();
        };
        let sidecar = std::fs::read_to_string(self.root.join(document).with_extension("yaml")).unwrap_or_default();
        let settings = serde_json::json!({
            "endpoint": ANNOTATE_PATH,
            "token": self.token,
            "document": document,
            "lang": known.lang,
            "entries": known.entries,
            "kinds": known.kinds,
            "newEntries": known.glossary.is_some(),
            "version": revise::version(&sidecar),
            "annotations": items_of(&sidecar),
        });
        // In a script element, `</` could end it early.
        let settings = settings.to_string().replace("</", "<\\/");
        format!("<script>window.glossaEditor={settings};</script><script>{EDITOR_JS}</script>")
    }

    /// Answers a post of the editor: the new item written, or why not. `build` builds the files
    /// written at once, and gives the number of its reload, which the answer names (`update`)
    /// so that the page knows the reload for its own.
    pub(super) fn annotate(
        &self,
        peer: SocketAddr,
        headers: &HeaderMap,
        body: &[u8],
        build: impl FnOnce(&[PathBuf]) -> Option<u64>,
    ) -> Response {
        if !peer.ip().is_loopback() {
            return forbidden("only this machine may annotate");
        }
        let token = headers.get(TOKEN_HEADER).and_then(|v| v.to_str().ok());
        if token != Some(self.token.as_str()) || !same_origin(headers) {
            return forbidden("this request does not come from a page of this serve run");
        }
        let Ok(post) = serde_json::from_slice::<Post>(body) else {
            return refused(StatusCode::BAD_REQUEST, "the request is not the editor's JSON".into());
        };
        let Some(document) = self.seeds_document(&post.document) else {
            return forbidden("only documents under the site's seeds/ can be annotated");
        };
        let done = match post.action.as_str() {
            "" | "add" => self.write(&document, &post),
            "edit" | "delete" => self.revise(&document, &post),
            _ => Err("the request is not the editor's JSON".into()),
        };
        match done {
            Ok(saved) => {
                let written: Vec<PathBuf> = saved.written.iter().map(|p| self.as_watched(p)).collect();
                let update = build(&written);
                (
                    StatusCode::OK,
                    [(header::CONTENT_TYPE, "application/json")],
                    serde_json::json!({ "id": saved.id, "update": update }).to_string(),
                )
                    .into_response()
            }
            Err(message) => refused(StatusCode::UNPROCESSABLE_ENTITY, message),
        }
    }

    /// `path` (canonical, as `seeds_document` makes it) under the site's root as given, as the
    /// watcher and the kept site name it.
    fn as_watched(&self, path: &Path) -> PathBuf {
        std::fs::canonicalize(&self.root)
            .ok()
            .and_then(|root| path.strip_prefix(root).ok().map(|rel| self.root.join(rel)))
            .unwrap_or_else(|| path.to_path_buf())
    }

    /// `document` (relative to the site) when it is a file under the site's seeds/.
    fn seeds_document(&self, document: &str) -> Option<PathBuf> {
        let seeds = std::fs::canonicalize(self.root.join("seeds")).ok()?;
        let path = std::fs::canonicalize(self.root.join(document)).ok()?;
        (path.starts_with(&seeds) && path.is_file()).then_some(path)
    }

    /// Places the selection, and writes the item as `glossa add` does.
    fn write(&self, document: &Path, post: &Post) -> Result<Saved, String> {
        let (config, _) = crate::config::load(&self.root).map_err(|e| format!("cannot read site.yaml: {e}"))?;
        let sidecar = document.with_extension("yaml");
        let sidecar = sidecar.is_file().then_some(sidecar);
        let mut diags = Vec::new();
        let reading = crate::load::reading_of(document, sidecar.as_deref(), &config, &mut diags)
            .map_err(|Fatal(e)| e)?
            .ok_or_else(|| self.render(&diags))?;
        let placed = place(&reading, &post.selection)?;
        let text = post.text.trim();
        if text.is_empty() {
            return Err(strings(&config.lang).empty.into());
        }
        let mut request = Request {
            document: document.to_path_buf(),
            quote: placed.quote,
            prefix: placed.prefix,
            suffix: placed.suffix,
            occurrence: placed.occurrence,
            id: Some(post.id.trim().to_owned()).filter(|id| !id.is_empty()),
            ..Request::default()
        };
        let mut glossary = None;
        match post.kind.as_str() {
            "note" => request.note = Some(text.to_owned()),
            "gloss" => request.gloss = Some(text.to_owned()),
            "term" if post.new_entry => {
                let (path, source, new) = self.new_entry(text, &post.entry_kind)?;
                request.term = Some(new.1);
                glossary = Some((path, source, new.0));
            }
            "term" => request.term = Some(text.to_owned()),
            _ => return Err("choose Note, Gloss or Glossary term".into()),
        }
        let outcome = crate::add::plan(&self.root, &request).and_then(|plan| match &glossary {
            Some((path, source, text)) => self.commit_with_entry(&plan, path, source, text),
            None => self.check_and_commit(&plan),
        });
        outcome.map_err(|r| self.refusal(r))
    }

    /// Edits or deletes the item the post names, as `glossa add` writes: planned, checked,
    /// committed (the id of the item is empty once deleted).
    fn revise(&self, document: &Path, post: &Post) -> Result<Saved, String> {
        let (config, _) = crate::config::load(&self.root).map_err(|e| format!("cannot read site.yaml: {e}"))?;
        let s = strings(&config.lang);
        let quote = post.selection.quote.as_str();
        let target = &post.target;
        let outcome = crate::add::plan_rewrite(&self.root, document, |source| {
            if post.action == "delete" {
                return revise::delete(source, target, quote, &s);
            }
            let text = post.text.trim();
            if text.is_empty() {
                return Err(Refusal::Usage(s.empty.into()));
            }
            let key = revise::kind_key(&post.kind)
                .ok_or_else(|| Refusal::Usage("choose Note, Gloss or Glossary term".into()))?;
            let change = Change {
                key,
                text,
                id: post.id.trim(),
            };
            revise::edit(source, target, quote, &change, &s)
        })
        .and_then(|plan| self.check_and_commit(&plan));
        outcome.map_err(|r| self.refusal(r))
    }

    /// The build options of the checks.
    fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            drafts: self.drafts,
            ..BuildOptions::default()
        }
    }

    /// Checks `plan` (against the kept site when it can tell, else in full) and writes it.
    fn check_and_commit(&self, plan: &Plan) -> Result<Saved, Refusal> {
        let opts = self.options();
        let fast = match self.live_site().as_mut() {
            Some(site) => site.check_sidecar(&opts, &plan.document, &plan.sidecar, &plan.text)?,
            None => None,
        };
        match fast {
            Some(outcome) => crate::add::judge(plan, outcome)?,
            None => crate::add::check(&opts, plan)?,
        };
        crate::add::commit(plan)?;
        Ok(Saved {
            id: plan.id.clone(),
            written: vec![plan.sidecar.clone()],
        })
    }

    /// The glossary file a new entry goes to, its text as read, and the new text with the
    /// entry for `term` (kind `kind`, else the glossary's first) and the entry's id.
    #[allow(clippy::type_complexity)]
    fn new_entry(&self, term: &str, kind: &str) -> Result<(PathBuf, String, (String, String)), String> {
        let (path, first_kind) = {
            let known = self.known.lock().map_err(|_| "the editor is not ready".to_string())?;
            let path = known
                .glossary
                .clone()
                .ok_or("the site has no content/glossary.yaml to add an entry to")?;
            (path, known.kinds.first().cloned().unwrap_or_else(|| "term".into()))
        };
        let source = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let kind = if kind.trim().is_empty() {
            first_kind
        } else {
            kind.trim().to_owned()
        };
        let new = revise::new_entry(&source, term, &kind)?;
        Ok((path, source, new))
    }

    /// Checks the item and the new glossary entry together, in full, and writes both (the
    /// glossary first, put back if the sidecar cannot be written).
    fn commit_with_entry(&self, plan: &Plan, path: &Path, read: &str, text: &str) -> Result<Saved, Refusal> {
        crate::add::check_with_glossary(&self.options(), plan, Some((path, text)))?;
        // The kept site does not know the new entry: it is dropped, so that the watcher builds
        // the whole site for these writes, however their events come (an update of the one
        // document against the old glossary would say the entry is unknown).
        let mut kept = self.live_site();
        *kept = None;
        let now = std::fs::read_to_string(path).map_err(|e| Fatal(format!("cannot read {}: {e}", path.display())))?;
        if now != read {
            return Err(Refusal::Usage(format!(
                "{} changed meanwhile; nothing was written",
                path.display()
            )));
        }
        crate::write::replace_file(path, text.as_bytes())
            .map_err(|e| Fatal(format!("cannot write {}: {e}", path.display())))?;
        if let Err(refusal) = crate::add::commit(plan) {
            let _ = crate::write::replace_file(path, read.as_bytes());
            return Err(refusal);
        }
        Ok(Saved {
            id: plan.id.clone(),
            written: vec![path.to_path_buf(), plan.sidecar.clone()],
        })
    }

    fn refusal(&self, refusal: Refusal) -> String {
        match refusal {
            Refusal::Usage(message) => message,
            Refusal::Diagnostics(d) | Refusal::Check { diagnostics: d, .. } => self.render(&d),
            Refusal::Fatal(Fatal(e)) => e,
        }
    }

    fn render(&self, diags: &[crate::diagnostics::Diagnostic]) -> String {
        diags.iter().map(|d| d.render(&self.root)).collect()
    }
}

/// What a Save wrote: the item's id, and the files.
struct Saved {
    id: String,
    written: Vec<PathBuf>,
}

/// What the editor posts: a new item (its selection), or a change to one that is there (its
/// target: place, version, edited key; its quote in `selection`).
#[derive(serde::Deserialize)]
struct Post {
    #[serde(default)]
    action: String,
    document: String,
    #[serde(flatten)]
    selection: Selection,
    #[serde(flatten)]
    target: Target,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    id: String,
    /// A term item whose text is a new entry's term, to be added to the glossary.
    #[serde(default)]
    new_entry: bool,
    #[serde(default)]
    entry_kind: String,
}

/// The items of a sidecar's text, for the page's Edit and Delete: place, id (given, or the
/// default of its place), quote and what it says.
fn items_of(sidecar: &str) -> Vec<serde_json::Value> {
    let tree: serde_yaml::Value =
        serde_yaml::from_str(sidecar.strip_prefix('\u{feff}').unwrap_or(sidecar)).unwrap_or_default();
    let Some(items) = tree.get("annotations").and_then(|a| a.as_sequence()) else {
        return Vec::new();
    };
    let text = |item: &serde_yaml::Value, key: &str| item.get(key).and_then(|v| v.as_str()).map(str::to_owned);
    items
        .iter()
        .enumerate()
        .map(|(index, item)| {
            serde_json::json!({
                "index": index,
                "id": text(item, "id").unwrap_or_else(|| format!("a-{}", index + 1)),
                "ownId": text(item, "id"),
                "quote": text(item, "quote"),
                "note": text(item, "note"),
                "gloss": text(item, "gloss"),
                "term": text(item, "term"),
                "see": text(item, "see"),
            })
        })
        .collect()
}

/// Whether the request's `Origin`, when it has one, is the server it was sent to.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let origin = origin.to_str().ok().and_then(|o| o.strip_prefix("http://"));
    origin.is_some() && origin == host
}

fn forbidden(why: &str) -> Response {
    (
        StatusCode::FORBIDDEN,
        format!("glossa serve: {why}; nothing was written\n"),
    )
        .into_response()
}

fn refused(status: StatusCode, message: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::json!({ "error": message }).to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The check against the kept site refuses what the whole-site check refuses, with the
    /// same errors: an unknown glossary id, an id used twice, quotes that cross, a link to
    /// no page and one to an id the edit takes away (from another document), a quote not
    /// found; and passes what it passes.
    #[test]
    fn the_fast_check_refuses_what_the_full_check_refuses() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        let files = [
            ("seeds/a.md", "# A\n\nDer Hund bellt. Ein Hund schläft.\n"),
            (
                "seeds/a.yaml",
                "annotations:\n  - id: hb\n    quote: Hund bellt\n    gloss: dog barks\n",
            ),
            ("seeds/b.md", "# B\n\nSiehe [dort](doc:a#hb).\n"),
            ("seeds/b.yaml", "annotations: []\n"),
            ("content/glossary.yaml", "- id: hund\n  term: Hund\n  definition: dog\n"),
        ];
        for (path, text) in files {
            std::fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
            std::fs::write(root.join(path), text).unwrap();
        }
        let opts = BuildOptions {
            root: root.to_path_buf(),
            out: Some(root.join("out")),
            ..BuildOptions::default()
        };
        let (outcome, built) = crate::build_site(&opts, crate::Keep::Site).unwrap();
        assert!(!outcome.has_errors(), "{:?}", outcome.diagnostics);
        let mut live = LiveSite::new(built.unwrap());
        let document = root.join("seeds/a.md");
        let sidecar = root.join("seeds/a.yaml");
        let item =
            |extra: &str| format!("annotations:\n  - id: hb\n    quote: Hund bellt\n    gloss: dog barks\n{extra}");
        let errors = |outcome: &crate::Outcome| {
            let mut e: Vec<(String, String)> = outcome
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| (d.code.as_str().to_owned(), d.message.clone()))
                .collect();
            e.sort();
            e
        };
        for (text, code) in [
            (item("  - quote: schläft\n    term: katze\n"), Some("unknown-term")),
            (
                item("  - id: hb\n    quote: schläft\n    gloss: sleeps\n"),
                Some("duplicate-id"),
            ),
            (item("  - quote: bellt. Ein\n    gloss: x\n"), Some("quotes-cross")),
            (
                item("  - quote: schläft\n    see: doc:nirgends\n"),
                Some("link-not-found"),
            ),
            (
                "annotations:\n  - quote: Hund bellt\n    gloss: dog barks\n".to_owned(),
                Some("link-fragment-not-found"),
            ),
            (item("  - quote: Katze\n    gloss: cat\n"), Some("quote-not-found")),
            (item("  - quote: schläft\n    term: hund\n"), None),
        ] {
            let fast = live
                .check_sidecar(&opts, &document, &sidecar, &text)
                .unwrap()
                .expect("checked fast");
            let overlay = crate::load::Overlay {
                document: document.clone(),
                sidecar: sidecar.clone(),
                text: text.clone(),
                glossary: None,
            };
            let full = crate::check_with(&opts, Some(&overlay)).unwrap();
            assert_eq!(errors(&fast), errors(&full), "{text}");
            match code {
                Some(code) => assert!(
                    errors(&fast).iter().any(|(c, _)| c == code),
                    "{code}: {:?}",
                    errors(&fast)
                ),
                None => assert!(errors(&fast).is_empty(), "{:?}", errors(&fast)),
            }
        }
        // The kept site is as it was: the original text checks clean.
        let original = std::fs::read_to_string(&sidecar).unwrap();
        let again = live
            .check_sidecar(&opts, &document, &sidecar, &original)
            .unwrap()
            .unwrap();
        assert!(errors(&again).is_empty());
    }

    /// A request from another machine is refused before anything else is looked at, even
    /// with the token; one from this machine with the token gets as far as reading its body.
    #[test]
    fn only_loopback_peers_may_annotate() {
        let dir = tempfile::tempdir().unwrap();
        let editor = Editor::new(dir.path(), false).unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(TOKEN_HEADER, editor.token.parse().unwrap());
        let far: SocketAddr = "192.0.2.7:40000".parse().unwrap();
        assert_eq!(
            editor.annotate(far, &headers, b"{}", |_| None).status(),
            StatusCode::FORBIDDEN
        );
        let near: SocketAddr = "127.0.0.1:40000".parse().unwrap();
        assert_eq!(
            editor.annotate(near, &headers, b"{}", |_| None).status(),
            StatusCode::BAD_REQUEST
        );
        let near6: SocketAddr = "[::1]:40000".parse().unwrap();
        assert_eq!(
            editor.annotate(near6, &headers, b"{}", |_| None).status(),
            StatusCode::BAD_REQUEST
        );
    }
}
