//! Themes: templates, static files, interface strings and `theme.yaml`, resolved along the
//! `extends:` chain. Reads the site's `themes/` folder; everything else here is built in.
//!
//! A theme is looked up by name in two places: the themes compiled into the binary (`default`
//! and `classic`, from this repository's `themes/`), so that `theme: classic` works in any
//! folder, and the site's own `themes/NAME/`. Where both exist, the site's files override the
//! built-in ones one by one, and its theme.yaml overrides the built-in one key by key.
//!
//! Every theme but `default` extends another one: the one its theme.yaml names in `extends:`,
//! else `default`; `default` extends nothing. The chain `NAME → … → default` is resolved once,
//! with unknown themes and circles reported at the line that names them. Along the chain:
//! - a template is the one of the most specific theme that has it. Tera's fallback prefixes do
//!   the lookup: each theme's templates are registered as `THEME/templates/FILE` (the way Zola
//!   names theme templates, so `{% extends "default/templates/base.html" %}` reaches a parent's
//!   version of a template a theme overrides), and a bare `FILE` tries the themes in order;
//! - a static file likewise: the most specific theme's file is written to `static/`;
//! - an interface string is looked up in the site's language first (`de-CH`, then `de`) in
//!   every theme of the chain, and only then in English: a language match beats a more
//!   specific theme, so a theme that overrides one English string does not lose the German
//!   strings of the theme it extends.

mod chain;

use crate::diagnostics::{Code, Diagnostic, Pos, did_you_mean};
use crate::yaml::{from_yaml, value_error};
use chain::{Member, resolve_chain};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A theme compiled into the binary.
pub struct Builtin {
    pub name: &'static str,
    pub manifest: &'static str,
    pub templates: &'static [(&'static str, &'static str)],
    pub static_files: &'static [(&'static str, &'static [u8])],
    /// `(language, text of i18n/LANG.yaml)`.
    pub i18n: &'static [(&'static str, &'static str)],
}

macro_rules! theme_file {
    ($theme:literal, $path:literal) => {
        include_str!(concat!("../../themes/", $theme, "/", $path))
    };
}

/// The shipped themes, as they are in `themes/` of this repository.
pub const BUILTIN: &[Builtin] = &[
    Builtin {
        name: "default",
        manifest: theme_file!("default", "theme.yaml"),
        templates: &[
            ("base.html", theme_file!("default", "templates/base.html")),
            ("index.html", theme_file!("default", "templates/index.html")),
            ("document.html", theme_file!("default", "templates/document.html")),
            ("page.html", theme_file!("default", "templates/page.html")),
            ("glossary.html", theme_file!("default", "templates/glossary.html")),
            ("entry.html", theme_file!("default", "templates/entry.html")),
            ("404.html", theme_file!("default", "templates/404.html")),
            ("search.html", theme_file!("default", "templates/search.html")),
            // The EPUB edition (docs/epub.md).
            (
                "epub/chapter.xhtml",
                theme_file!("default", "templates/epub/chapter.xhtml"),
            ),
            ("epub/title.xhtml", theme_file!("default", "templates/epub/title.xhtml")),
            ("epub/cover.xhtml", theme_file!("default", "templates/epub/cover.xhtml")),
            (
                "epub/glossary.xhtml",
                theme_file!("default", "templates/epub/glossary.xhtml"),
            ),
            ("epub/nav.xhtml", theme_file!("default", "templates/epub/nav.xhtml")),
            ("epub/epub.css", theme_file!("default", "templates/epub/epub.css")),
        ],
        static_files: &[
            ("favicon.svg", include_bytes!("../../themes/default/static/favicon.svg")),
            ("glossa.css", include_bytes!("../../themes/default/static/glossa.css")),
            ("previews.js", include_bytes!("../../themes/default/static/previews.js")),
            ("search.js", include_bytes!("../../themes/default/static/search.js")),
            ("settings.js", include_bytes!("../../themes/default/static/settings.js")),
            (
                "sidenotes.js",
                include_bytes!("../../themes/default/static/sidenotes.js"),
            ),
            (
                "translations.js",
                include_bytes!("../../themes/default/static/translations.js"),
            ),
        ],
        i18n: &[
            ("en", theme_file!("default", "i18n/en.yaml")),
            ("de", theme_file!("default", "i18n/de.yaml")),
        ],
    },
    Builtin {
        name: "classic",
        manifest: theme_file!("classic", "theme.yaml"),
        templates: &[],
        static_files: &[("classic.css", include_bytes!("../../themes/classic/static/classic.css"))],
        i18n: &[],
    },
];

/// Where the notes of the reading text stand.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum NotePlacement {
    /// Each block's notes follow it in `aside.notes` inside `doc.body_html` (the default
    /// theme floats them into the margin).
    #[default]
    Side,
    /// Notes are left out of `doc.body_html` and collected in `doc.notes_html`, a numbered
    /// list for the end of the text.
    End,
}

// Doc comments here become the descriptions of `glossa schema`.
/// `themes/NAME/theme.yaml`: the theme a theme builds on, where it puts notes, which
/// stylesheets it links. Every key is optional.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "glossa theme.yaml")]
pub struct RawManifest {
    /// What the theme is, for people; glossa does not show it.
    #[allow(dead_code)] // read by people and editors (through the schema), not by glossa
    description: Option<String>,
    /// The theme this one builds on: its templates, static files and interface strings are
    /// used wherever this theme has none of its own. Default `default`; the default theme
    /// extends nothing.
    extends: Option<String>,
    /// Where notes stand: `side` (after each block, inside `doc.body_html`; the default) or
    /// `end` (collected in `doc.notes_html`). Inherited from the theme this one extends.
    notes: Option<NotePlacement>,
    /// Stylesheets under `static/` that every page links, after those of the theme this one
    /// extends (the template variable `theme.stylesheets`).
    stylesheets: Option<Vec<String>>,
}

/// Where a template, static file or theme.yaml comes from, for messages.
#[derive(Clone, Debug)]
enum Origin {
    Builtin { theme: &'static str, text: &'static str },
    Disk(PathBuf),
}

/// Where a static file of the theme comes from: built into glossa, or a file of the site.
#[derive(Clone, Debug)]
pub enum StaticSource {
    Builtin(&'static [u8]),
    Disk(PathBuf),
}

/// The interface strings in one language, with English under every missing key.
#[derive(Clone, Debug, Default)]
pub struct Strings {
    map: BTreeMap<String, String>,
}

impl Strings {
    /// The string under `key`, or `""` when no theme of the chain has it.
    pub fn get(&self, key: &str) -> &str {
        self.map.get(key).map_or("", String::as_str)
    }

    /// Every string, for templates (`t`).
    pub fn map(&self) -> &BTreeMap<String, String> {
        &self.map
    }

    /// The string under `key` with `{n}` replaced by `n`.
    pub fn with_number(&self, key: &str, n: usize) -> String {
        self.get(key).replace("{n}", &n.to_string())
    }

    /// A `YYYY-MM-DD` date as words, by the strings `date_format` (`{day}`, `{month}`,
    /// `{year}`) and `month_1` … `month_12`: `29 November 2026`, `29. November 2026`. Anything
    /// else is returned as it is.
    pub fn date(&self, iso: &str) -> String {
        let parts: Vec<&str> = iso.split('-').collect();
        let (Some(year), Some(month), Some(day)) = (
            parts
                .first()
                .filter(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit())),
            parts.get(1).and_then(|m| m.parse::<u8>().ok()),
            parts.get(2).and_then(|d| d.parse::<u8>().ok()),
        ) else {
            return iso.to_owned();
        };
        let month_name = self.get(&format!("month_{month}"));
        let format = self.get("date_format");
        if parts.len() != 3 || !(1..=12).contains(&month) || month_name.is_empty() || format.is_empty() {
            return iso.to_owned();
        }
        format
            .replace("{day}", &day.to_string())
            .replace("{month}", month_name)
            .replace("{year}", year)
    }
}

/// A theme ready to render: its templates compiled, its static files and strings chosen.
pub struct Theme {
    /// The theme named in site.yaml.
    pub name: String,
    pub tera: tera::Tera,
    /// `(path under static/, source)`, sorted by path.
    pub static_files: Vec<(String, StaticSource)>,
    pub strings: Strings,
    pub notes: NotePlacement,
    /// Paths under `static/`, the most general theme's first.
    pub stylesheets: Vec<String>,
    /// Where each registered template (`THEME/templates/FILE`) comes from.
    origins: BTreeMap<String, Origin>,
}

impl Theme {
    /// A Tera error as a diagnostic at its template, on disk or built in.
    pub fn template_diagnostic(&self, root: &Path, error: &str) -> Diagnostic {
        template_diagnostic(&self.origins, root, &self.name, error)
    }
}

/// Loads the theme `name` for a site whose interface language is `lang`. Problems (an unknown
/// theme, a circle of `extends:`, a bad theme.yaml or i18n file, a template that does not
/// compile) are pushed to `diags`; `None` when any of them is an error.
pub fn load(root: &Path, name: &str, lang: &str, diags: &mut Vec<Diagnostic>) -> Option<Theme> {
    let errors_before = diags.iter().filter(|d| d.is_error()).count();
    let chain = resolve_chain(root, name, diags)?;
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html", ".xml", ".xhtml"]);
    let prefixes: Vec<String> = chain.iter().map(|m| format!("{}/templates/", m.name)).collect();
    if let Err(e) = tera.set_fallback_prefixes(prefixes) {
        diags.push(Diagnostic::error(
            Code::TemplateError,
            root.join("themes"),
            e.to_string(),
        ));
        return None;
    }

    let (templates, static_files) = gather_files(root, &chain, diags);
    let notes = chain
        .iter()
        .find_map(|m| m.key(|r| r.notes))
        .map_or(NotePlacement::Side, |(n, ..)| n);
    let stylesheets = stylesheets(&chain, &static_files, diags);
    let strings = load_strings(root, &chain, lang, diags);

    let origins: BTreeMap<String, Origin> = templates.iter().map(|(n, (_, o))| (n.clone(), o.clone())).collect();
    if let Err(e) = tera.add_raw_templates(templates.iter().map(|(n, (text, _))| (n.as_str(), text.as_str()))) {
        diags.push(template_diagnostic(&origins, root, name, &e.to_string()));
        return None;
    }
    if diags.iter().filter(|d| d.is_error()).count() > errors_before {
        return None;
    }
    Some(Theme {
        name: name.to_owned(),
        tera,
        static_files: static_files.into_iter().collect(),
        strings,
        notes,
        stylesheets,
        origins,
    })
}

/// Every theme's templates, as `THEME/templates/FILE` (a theme's built-in files, then its
/// site folder's over them), and the static files of the whole chain, the most specific
/// theme's under each name.
fn gather_files(
    root: &Path,
    chain: &[Member],
    diags: &mut Vec<Diagnostic>,
) -> (BTreeMap<String, (String, Origin)>, BTreeMap<String, StaticSource>) {
    let mut templates = BTreeMap::new();
    let mut static_files = BTreeMap::new();
    // Most general first, so that a more specific theme's static file wins.
    for member in chain.iter().rev() {
        let mut own: BTreeMap<String, (String, Origin)> = BTreeMap::new();
        if let Some(b) = member.builtin {
            for (file, text) in b.templates {
                let origin = Origin::Builtin { theme: b.name, text };
                own.insert((*file).to_owned(), ((*text).to_owned(), origin));
            }
            for (file, bytes) in b.static_files {
                static_files.insert((*file).to_owned(), StaticSource::Builtin(bytes));
            }
        }
        if let Some(dir) = &member.dir {
            for (rel, path) in files_under(root, &dir.join("templates"), diags) {
                match std::fs::read_to_string(&path) {
                    Ok(text) => {
                        own.insert(rel, (text, Origin::Disk(path)));
                    }
                    Err(e) => diags.push(Diagnostic::error(
                        Code::UnreadableFile,
                        &path,
                        format!("cannot read this template: {e}"),
                    )),
                }
            }
            for (rel, path) in files_under(root, &dir.join("static"), diags) {
                static_files.insert(rel, StaticSource::Disk(path));
            }
        }
        for (file, entry) in own {
            templates.insert(format!("{}/templates/{file}", member.name), entry);
        }
    }
    (templates, static_files)
}

/// The stylesheets of the chain, the most general theme's first; each must be a static file.
fn stylesheets(
    chain: &[Member],
    static_files: &BTreeMap<String, StaticSource>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for member in chain.iter().rev() {
        let Some((list, path, source)) = member.key(|r| r.stylesheets.as_ref()) else {
            continue;
        };
        for (i, css) in list.iter().enumerate() {
            if !static_files.contains_key(css) {
                let d = value_error(
                    Code::UnknownStylesheet,
                    source,
                    path,
                    &["stylesheets".into(), i.into()],
                    format!("no static file `{css}` in this theme or the themes it extends"),
                );
                diags.push(match did_you_mean(css, static_files.keys().map(String::as_str)) {
                    Some(best) => d.hint(format!("did you mean `{best}`?")),
                    None => d.hint(format!("put it in themes/{}/static/{css}", member.name)),
                });
            } else if !out.contains(css) {
                out.push(css.clone());
            }
        }
    }
    out
}

/// Files under `dir` as `(path relative to dir with /, path)`, sorted, skipping hidden ones;
/// symlinks and special files by the site's one rule ([`crate::site_files::files`]).
fn files_under(root: &Path, dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<(String, PathBuf)> {
    crate::site_files::files(root, dir, diags)
        .into_iter()
        .map(|path| {
            let rel = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            (rel, path)
        })
        .collect()
}

/// The languages to look strings up in, most wanted first: `de-CH` → `de-ch`, `de`; English is
/// the fallback after them.
fn language_candidates(lang: &str) -> Vec<String> {
    let lang = lang.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut tag = lang.as_str();
    loop {
        out.push(tag.to_owned());
        match tag.rfind('-') {
            Some(i) => tag = &tag[..i],
            None => break,
        }
    }
    out
}

/// One i18n file of the chain: its language, path and text.
struct I18nFile {
    lang: String,
    path: PathBuf,
    source: String,
}

/// The strings in `lang`, with English under every key the language lacks.
fn load_strings(root: &Path, chain: &[Member], lang: &str, diags: &mut Vec<Diagnostic>) -> Strings {
    // Every i18n file of the chain, most general theme first, the built-in before the site's.
    let mut files: Vec<I18nFile> = Vec::new();
    for member in chain.iter().rev() {
        if let Some(b) = member.builtin {
            for (l, text) in b.i18n {
                files.push(I18nFile {
                    lang: (*l).to_owned(),
                    path: PathBuf::from(format!("(built-in {} theme) i18n/{l}.yaml", b.name)),
                    source: (*text).to_owned(),
                });
            }
        }
        if let Some(dir) = &member.dir {
            for (rel, path) in files_under(root, &dir.join("i18n"), diags) {
                let Some(l) = rel.strip_suffix(".yaml").filter(|l| !l.contains('/')) else {
                    continue;
                };
                match std::fs::read_to_string(&path) {
                    Ok(source) => files.push(I18nFile {
                        lang: l.to_ascii_lowercase(),
                        path,
                        source,
                    }),
                    Err(e) => diags.push(Diagnostic::error(
                        Code::UnreadableFile,
                        &path,
                        format!("cannot read this file: {e}"),
                    )),
                }
            }
        }
    }
    let mut wanted = language_candidates(lang);
    wanted.retain(|l| l != "en");
    wanted.push("en".to_owned());

    let mut parsed: Vec<(&I18nFile, BTreeMap<String, String>)> = Vec::new();
    for file in files.iter().filter(|f| wanted.contains(&f.lang)) {
        match from_yaml::<BTreeMap<String, String>>(&file.source, &file.path) {
            Ok(map) => parsed.push((file, map.unwrap_or_default())),
            Err(d) => diags.push(d.hint("an i18n file maps each key to a string: `notes: Anmerkungen`")),
        }
    }

    // A key of another language that no English file has is most likely a typo.
    let english: Vec<&str> = parsed
        .iter()
        .filter(|(f, _)| f.lang == "en")
        .flat_map(|(_, m)| m.keys().map(String::as_str))
        .collect();
    for (file, map) in parsed.iter().filter(|(f, _)| f.lang != "en") {
        for key in map.keys().filter(|k| !english.contains(&k.as_str())) {
            if let Some(best) = did_you_mean(key, english.iter().copied()) {
                let positions = crate::yaml::pos::YamlPositions::index(&file.source);
                let mut d = Diagnostic::warning(
                    Code::UnknownInterfaceString,
                    &file.path,
                    format!("`{key}` is not an interface string"),
                );
                if let Some(pos) = positions.key(&[key.as_str().into()]) {
                    d = d.at(&file.source, pos);
                }
                diags.push(d.hint(format!("did you mean `{best}`?")));
            }
        }
    }

    let mut map = BTreeMap::new();
    for l in wanted.iter().rev() {
        for (_, strings) in parsed.iter().filter(|(f, _)| &f.lang == l) {
            map.extend(strings.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }
    Strings { map }
}

/// A Tera error as a diagnostic at the template it names (`THEME/templates/FILE:LINE:COL`).
fn template_diagnostic(origins: &BTreeMap<String, Origin>, root: &Path, theme: &str, error: &str) -> Diagnostic {
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
        return Diagnostic::error(Code::TemplateError, root.join("themes").join(theme), message);
    };
    let pos = Pos { line, col, width: 1 };
    match origins.get(&name) {
        Some(Origin::Disk(path)) => {
            let source = std::fs::read_to_string(path).unwrap_or_default();
            Diagnostic::error(Code::TemplateError, path, message).at(&source, pos)
        }
        Some(Origin::Builtin { theme, text }) => {
            let file = name.rsplit("/templates/").next().unwrap_or(&name);
            Diagnostic::error(
                Code::TemplateError,
                format!("(built-in {theme} theme) templates/{file}"),
                message,
            )
            .at(text, pos)
        }
        None => Diagnostic::error(
            Code::TemplateError,
            root.join("themes").join(theme),
            format!("{name}: {message}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_candidates_narrow_the_tag() {
        assert_eq!(language_candidates("de-CH"), ["de-ch", "de"]);
        assert_eq!(language_candidates("en"), ["en"]);
    }

    #[test]
    fn the_built_in_themes_load_without_a_site() {
        let empty = tempfile_free_root();
        for b in BUILTIN {
            for lang in ["en", "de-AT"] {
                let mut diags = Vec::new();
                let theme = load(&empty, b.name, lang, &mut diags);
                assert!(diags.is_empty(), "{}: {diags:?}", b.name);
                let theme = theme.expect("a theme");
                assert!(!theme.strings.get("notes").is_empty());
                assert!(theme.stylesheets.contains(&"glossa.css".to_owned()));
            }
        }
    }

    #[test]
    fn every_german_string_has_an_english_one_and_back() {
        let keys = |text: &str| -> Vec<String> {
            let map: BTreeMap<String, String> = serde_yaml::from_str(text).expect("valid i18n YAML");
            map.into_keys().collect()
        };
        let default = &BUILTIN[0];
        assert_eq!(keys(default.i18n[0].1), keys(default.i18n[1].1));
    }

    #[test]
    fn dates_as_words() {
        let strings = |format: &str| Strings {
            map: [("date_format", format), ("month_11", "November")]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
        };
        assert_eq!(strings("{day} {month} {year}").date("2026-11-29"), "29 November 2026");
        assert_eq!(strings("{day}. {month} {year}").date("2026-11-09"), "9. November 2026");
        assert_eq!(strings("{day} {month} {year}").date("2026-10-09"), "2026-10-09");
        assert_eq!(strings("{day} {month} {year}").date("someday"), "someday");
    }

    /// A root with nothing in it: the built-in themes alone.
    fn tempfile_free_root() -> PathBuf {
        PathBuf::from("/nonexistent/glossa-theme-test")
    }
}
