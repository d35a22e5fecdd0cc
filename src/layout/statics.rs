//! The files of content/static/ as a text names them: `static:PATH` checked against the files a
//! site has (a path that names none, leaves the folder or starts at `/` is an error), and an
//! image written with a relative address, which the page's own folder reads (`SLUG/`), where
//! content/static/'s files are not (a warning). content/static/ is copied to the output's root,
//! so `static:PATH` is `PATH` from there ([`super::href`]).

use crate::concat::cat;
use crate::diagnostics::{Code, did_you_mean};
use percent_encoding::percent_decode_str;

/// How a link or an image names a file of content/static/.
pub(crate) const STATIC_SCHEME: &str = "static:";

/// Why a `static:` path names no file: its code, the message and a hint (as
/// `resolve::links::LinkError`).
pub(crate) type StaticError = (Code, String, Option<String>);

/// The paths of content/static/'s files (relative to it, `/`-separated), sorted: filled by the
/// loading edge from the walk that lists them, asked by every link check.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StaticSet {
    paths: Vec<String>,
}

impl StaticSet {
    pub(crate) fn new(paths: impl IntoIterator<Item = String>) -> StaticSet {
        let mut paths: Vec<String> = paths.into_iter().collect();
        paths.sort_unstable();
        paths.dedup();
        StaticSet { paths }
    }

    /// The file an address's path names: as written, or percent-decoded as a browser reads it
    /// (`my%20map.png` is `my map.png`).
    fn find(&self, path: &str) -> Option<&str> {
        let decoded = percent_decode_str(path).decode_utf8().ok();
        [Some(path), decoded.as_deref()]
            .into_iter()
            .flatten()
            .find_map(|p| self.paths.get(self.paths.binary_search_by(|q| q.as_str().cmp(p)).ok()?))
            .map(String::as_str)
    }

    /// Checks the path of a `static:` link (without its fragment): relative to content/static/,
    /// inside it, and naming one of its files.
    pub(crate) fn check(&self, path: &str) -> Result<(), StaticError> {
        let invalid = |message: &str, hint: String| Err((Code::InvalidStaticPath, message.to_owned(), Some(hint)));
        let example = "write the file's path under content/static/, e.g. `static:img/map.png`";
        if path.is_empty() {
            return invalid("a `static:` link names no file", example.into());
        }
        if let Some(rest) = path.strip_prefix('/') {
            return invalid(
                "a `static:` path is relative to content/static/: it does not start with `/`",
                cat!["write `static:", rest.trim_start_matches('/'), "`"],
            );
        }
        let decoded = percent_decode_str(path).decode_utf8_lossy();
        if decoded.split(['/', '\\']).any(|part| part == "..") {
            return invalid("a `static:` path stays inside content/static/: no `..`", example.into());
        }
        if self.find(path).is_some() {
            return Ok(());
        }
        Err((
            Code::StaticNotFound,
            cat!["no file `", path, "` in content/static/"],
            Some(self.closest(path).map_or_else(
                || cat!["put the file at content/static/", &*decoded],
                |p| cat!["did you mean `", p, "`?"],
            )),
        ))
    }

    /// The file whose path is closest to `path`, or else one of the same name in another folder.
    fn closest(&self, path: &str) -> Option<&str> {
        let name = |p: &str| p.rsplit('/').next().unwrap_or_default().to_owned();
        did_you_mean(path, self.paths.iter().map(String::as_str)).or_else(|| {
            let wanted = name(path);
            self.paths.iter().map(String::as_str).find(|p| name(p) == wanted)
        })
    }

    /// The warning for an image whose address `url` is relative (no scheme, not from the root):
    /// its message and hint, unless it names a file of content/static/ from `page_dir`, the folder
    /// of the one page it shows on (`SLUG/`). `page_dir` is `None` for Markdown shown on pages
    /// in several folders (a glossary definition), which no relative address serves.
    pub(crate) fn relative_image(&self, url: &str, page_dir: Option<&str>) -> Option<(String, String)> {
        if !is_relative(url) {
            return None;
        }
        let message = match page_dir {
            Some(dir) => {
                let landed = resolve_from(dir, url);
                // The theme's files, written to `static/`, are the site's too.
                if landed
                    .as_deref()
                    .is_some_and(|p| p.starts_with("static/") || self.find(p).is_some())
                {
                    return None;
                }
                cat![
                    "the image address `",
                    url,
                    "` is relative to its page, ",
                    dir,
                    "index.html, and names no file from there"
                ]
            }
            None => cat![
                "the image address `",
                url,
                "` is relative, and a glossary definition shows on pages in several folders"
            ],
        };
        let written = url.split(['#', '?']).next().unwrap_or_default();
        let from_root = written.trim_start_matches(['.', '/']);
        let hint = match self.find(from_root) {
            Some(file) => cat!["write `static:", from_root, "` for content/static/", file],
            None => "put the image under content/static/ and write `static:PATH`, PATH as there".to_owned(),
        };
        Some((message, hint))
    }
}

/// Whether `url` is a relative address: no scheme (`https:`, `static:`), not from the root
/// (`/x`, `//host`), not a fragment or a query of the page itself.
fn is_relative(url: &str) -> bool {
    let scheme = url.split_once(':').is_some_and(|(s, _)| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
    });
    !scheme && !url.is_empty() && !url.starts_with(['/', '#', '?'])
}

/// The path from the site's root that the relative address `url` names from the folder `dir`
/// (`SLUG/`), as a browser resolves it; `None` when it leaves the site.
fn resolve_from(dir: &str, url: &str) -> Option<String> {
    let path = url.split(['#', '?']).next().unwrap_or_default();
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> StaticSet {
        StaticSet::new(["img/karte.png", "my map.png", "docs/quelle.pdf"].map(String::from))
    }

    #[test]
    fn a_static_path_names_a_file_inside_content_static() {
        let s = set();
        assert_eq!(s.check("img/karte.png"), Ok(()));
        assert_eq!(s.check("my%20map.png"), Ok(()));
        assert_eq!(s.check("my map.png"), Ok(()));
        let (code, message, hint) = s.check("img/krate.png").unwrap_err();
        assert_eq!(code, Code::StaticNotFound);
        assert_eq!(message, "no file `img/krate.png` in content/static/");
        assert_eq!(hint.as_deref(), Some("did you mean `img/karte.png`?"));
        let (_, _, hint) = s.check("maps/quelle.pdf").unwrap_err();
        assert_eq!(hint.as_deref(), Some("did you mean `docs/quelle.pdf`?"));
        let (_, _, hint) = s.check("x/y/z/nothing-like-it.gif").unwrap_err();
        assert_eq!(
            hint.as_deref(),
            Some("put the file at content/static/x/y/z/nothing-like-it.gif")
        );
        for bad in ["../secret", "img/../../x", "img/%2e%2e/x", "/img/karte.png", ""] {
            assert_eq!(s.check(bad).unwrap_err().0, Code::InvalidStaticPath, "{bad}");
        }
        assert_eq!(
            s.check("/img/karte.png").unwrap_err().2.as_deref(),
            Some("write `static:img/karte.png`")
        );
    }

    #[test]
    fn a_relative_image_warns_unless_it_lands_on_a_static_file() {
        let s = set();
        let (message, hint) = s.relative_image("img/karte.png", Some("a/")).unwrap();
        assert!(
            message.contains("`img/karte.png`") && message.contains("a/"),
            "{message}"
        );
        assert_eq!(hint, "write `static:img/karte.png` for content/static/img/karte.png");
        assert_eq!(s.relative_image("../img/karte.png", Some("a/")), None);
        assert_eq!(s.relative_image("./../my%20map.png#x", Some("a/")), None);
        assert_eq!(s.relative_image("../static/glossa.css", Some("a/")), None);
        let (_, hint) = s.relative_image("../../img/karte.png", Some("a/")).unwrap();
        assert!(hint.contains("`static:img/karte.png`"), "{hint}");
        let (_, hint) = s.relative_image("bild.png", Some("a/")).unwrap();
        assert!(hint.starts_with("put the image under content/static/"), "{hint}");
        assert!(s.relative_image("../img/karte.png", None).is_some());
        for not_relative in [
            "static:img/karte.png",
            "https://x.org/a.png",
            "/img/karte.png",
            "//cdn.org/a.png",
            "#x",
            "",
        ] {
            assert_eq!(s.relative_image(not_relative, None), None, "{not_relative}");
        }
    }
}
