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

use super::place::{Selection, place};
use crate::add::{Refusal, Request};
use crate::{BuildOptions, Fatal};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

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
}

#[derive(Default)]
struct Known {
    /// A document's page (`slug/index.html`) → its path relative to the site (`seeds/x.txt`).
    documents: HashMap<String, String>,
    /// The glossary's entries: id and term.
    entries: Vec<(String, String)>,
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
        })
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
        let entries = site.entries.iter().map(|e| (e.id.clone(), e.term.clone())).collect();
        if let Ok(mut known) = self.known.lock() {
            *known = Known {
                documents,
                entries,
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
        let settings = serde_json::json!({
            "endpoint": ANNOTATE_PATH,
            "token": self.token,
            "document": document,
            "lang": known.lang,
            "entries": known.entries,
        });
        // In a script element, `</` could end it early.
        let settings = settings.to_string().replace("</", "<\\/");
        format!("<script>window.glossaEditor={settings};</script><script>{EDITOR_JS}</script>")
    }

    /// Answers a post of the editor: the new item written, or why not.
    pub(super) fn annotate(&self, peer: SocketAddr, headers: &HeaderMap, body: &[u8]) -> Response {
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
        match self.write(&document, &post) {
            Ok(id) => (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                serde_json::json!({ "id": id }).to_string(),
            )
                .into_response(),
            Err(message) => refused(StatusCode::UNPROCESSABLE_ENTITY, message),
        }
    }

    /// `document` (relative to the site) when it is a file under the site's seeds/.
    fn seeds_document(&self, document: &str) -> Option<PathBuf> {
        let seeds = std::fs::canonicalize(self.root.join("seeds")).ok()?;
        let path = std::fs::canonicalize(self.root.join(document)).ok()?;
        (path.starts_with(&seeds) && path.is_file()).then_some(path)
    }

    /// Places the selection, and writes the item as `glossa add` does; the id written.
    fn write(&self, document: &Path, post: &Post) -> Result<String, String> {
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
        match post.kind.as_str() {
            "note" => request.note = Some(text.to_owned()),
            "gloss" => request.gloss = Some(text.to_owned()),
            "term" => request.term = Some(text.to_owned()),
            _ => return Err("choose Note, Gloss or Glossary term".into()),
        }
        let opts = BuildOptions {
            root: self.root.clone(),
            drafts: self.drafts,
            ..BuildOptions::default()
        };
        let outcome = crate::add::plan(&self.root, &request).and_then(|plan| {
            crate::add::check(&opts, &plan)?;
            crate::add::commit(&plan)?;
            Ok(plan.id)
        });
        outcome.map_err(|refusal| match refusal {
            Refusal::Usage(message) => message,
            Refusal::Diagnostics(d) | Refusal::Check { diagnostics: d, .. } => self.render(&d),
            Refusal::Fatal(Fatal(e)) => e,
        })
    }

    fn render(&self, diags: &[crate::diagnostics::Diagnostic]) -> String {
        diags.iter().map(|d| d.render(&self.root)).collect()
    }
}

/// What the editor posts.
#[derive(serde::Deserialize)]
struct Post {
    document: String,
    #[serde(flatten)]
    selection: Selection,
    kind: String,
    text: String,
    #[serde(default)]
    id: String,
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

/// The server's own messages in the interface language.
struct Strings {
    empty: &'static str,
}

fn strings(lang: &str) -> Strings {
    if lang == "de" || lang.starts_with("de-") {
        Strings {
            empty: "Das Feld „Text“ ist leer.",
        }
    } else {
        Strings {
            empty: "The field “Text” is empty.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request from another machine is refused before anything else is looked at, even
    /// with the token; one from this machine with the token gets as far as reading its body.
    #[test]
    fn only_loopback_peers_may_annotate() {
        let dir = tempfile::tempdir().unwrap();
        let editor = Editor::new(dir.path(), false).unwrap();
        let mut headers = HeaderMap::new();
        headers.insert(TOKEN_HEADER, editor.token.parse().unwrap());
        let far: SocketAddr = "192.0.2.7:40000".parse().unwrap();
        assert_eq!(editor.annotate(far, &headers, b"{}").status(), StatusCode::FORBIDDEN);
        let near: SocketAddr = "127.0.0.1:40000".parse().unwrap();
        assert_eq!(editor.annotate(near, &headers, b"{}").status(), StatusCode::BAD_REQUEST);
        let near6: SocketAddr = "[::1]:40000".parse().unwrap();
        assert_eq!(
            editor.annotate(near6, &headers, b"{}").status(),
            StatusCode::BAD_REQUEST
        );
    }
}
