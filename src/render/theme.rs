//! Themes: Tera templates and static files. The default theme is compiled into the binary, so
//! glossa works in a folder with no `themes/`; a site's `themes/NAME/` overrides it file by file.

use std::path::{Path, PathBuf};

/// The default theme, as shipped in `themes/default` of this repository.
pub const DEFAULT_TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../themes/default/templates/base.html")),
    ("index.html", include_str!("../../themes/default/templates/index.html")),
    (
        "document.html",
        include_str!("../../themes/default/templates/document.html"),
    ),
    ("page.html", include_str!("../../themes/default/templates/page.html")),
    (
        "glossary.html",
        include_str!("../../themes/default/templates/glossary.html"),
    ),
    ("entry.html", include_str!("../../themes/default/templates/entry.html")),
    ("404.html", include_str!("../../themes/default/templates/404.html")),
    (
        "search.html",
        include_str!("../../themes/default/templates/search.html"),
    ),
];

pub const DEFAULT_STATIC: &[(&str, &str)] = &[
    ("glossa.css", include_str!("../../themes/default/static/glossa.css")),
    ("search.js", include_str!("../../themes/default/static/search.js")),
];

pub struct Theme {
    pub tera: tera::Tera,
    /// Static files from disk: (path relative to `static/`, absolute source path).
    pub disk_static: Vec<(String, PathBuf)>,
}

#[derive(Debug)]
pub struct ThemeError(pub String);

/// A Tera error as a diagnostic at the template file on disk (or the built-in one).
pub fn template_diagnostic(root: &Path, theme: &str, error: &str) -> crate::diagnostics::Diagnostic {
    use crate::diagnostics::{Diagnostic, Pos};
    // Tera reports `error: MESSAGE` then ` --> NAME:LINE:COL`.
    let message = error.lines().next().unwrap_or(error).trim();
    let message = message.strip_prefix("error: ").unwrap_or(message).to_owned();
    let located = error
        .lines()
        .find_map(|l| l.trim().strip_prefix("--> "))
        .and_then(|loc| {
            let mut parts = loc.rsplitn(3, ':');
            let col = parts.next()?.parse::<usize>().ok()?;
            let line = parts.next()?.parse::<usize>().ok()?;
            Some((parts.next()?.to_owned(), line, col))
        });
    let Some((name, line, col)) = located else {
        return Diagnostic::error(root.join("themes").join(theme), message);
    };
    let on_disk = [theme, "default"]
        .iter()
        .map(|t| root.join("themes").join(t).join("templates").join(&name))
        .find(|p| p.is_file());
    match on_disk {
        Some(path) => {
            let source = std::fs::read_to_string(&path).unwrap_or_default();
            Diagnostic::error(path, message).at(&source, Pos { line, col, width: 1 })
        }
        None => {
            let source = DEFAULT_TEMPLATES
                .iter()
                .find(|(n, _)| *n == name)
                .map_or("", |(_, s)| s);
            Diagnostic::error(format!("(built-in default theme) templates/{name}"), message)
                .at(source, Pos { line, col, width: 1 })
        }
    }
}

/// Loads the built-in default theme, then the files of `themes/default` and `themes/NAME`
/// under `root` over it.
pub fn load(root: &Path, name: &str) -> Result<Theme, ThemeError> {
    let mut templates: Vec<(String, String)> = DEFAULT_TEMPLATES
        .iter()
        .map(|(n, s)| (n.to_string(), s.to_string()))
        .collect();
    let mut disk_static = Vec::new();
    let mut dirs = vec![root.join("themes").join("default")];
    if name != "default" {
        let dir = root.join("themes").join(name);
        if !dir.is_dir() {
            return Err(ThemeError(format!(
                "theme `{name}` not found: there is no folder themes/{name}/"
            )));
        }
        dirs.push(dir);
    }
    for dir in dirs {
        let tdir = dir.join("templates");
        if tdir.is_dir() {
            for entry in walkdir::WalkDir::new(&tdir)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
            {
                if !entry.file_type().is_file() {
                    continue;
                }
                let rel = entry
                    .path()
                    .strip_prefix(&tdir)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
                    .replace('\\', "/");
                let text = std::fs::read_to_string(entry.path())
                    .map_err(|e| ThemeError(format!("{}: {e}", entry.path().display())))?;
                match templates.iter_mut().find(|(n, _)| *n == rel) {
                    Some(t) => t.1 = text,
                    None => templates.push((rel, text)),
                }
            }
        }
        let sdir = dir.join("static");
        if sdir.is_dir() {
            for entry in walkdir::WalkDir::new(&sdir)
                .sort_by_file_name()
                .into_iter()
                .filter_map(Result::ok)
            {
                if entry.file_type().is_file() {
                    let rel = entry
                        .path()
                        .strip_prefix(&sdir)
                        .unwrap_or(entry.path())
                        .to_string_lossy()
                        .replace('\\', "/");
                    disk_static.retain(|(r, _): &(String, PathBuf)| *r != rel);
                    disk_static.push((rel, entry.path().to_path_buf()));
                }
            }
        }
    }
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.add_raw_templates(templates.iter().map(|(n, s)| (n.as_str(), s.as_str())))
        .map_err(|e| ThemeError(e.to_string()))?;
    Ok(Theme { tera, disk_static })
}
