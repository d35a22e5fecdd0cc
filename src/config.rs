//! `content/site.yaml`: the raw serde struct, then a validated [`Config`] with every default.
//!
//! [`parse`] takes the file's text, so it is testable without a disk; [`load`] reads it.

use crate::diagnostics::{Code, Diagnostic};
use crate::yaml::{self, from_yaml};
use schemars::JsonSchema;
use serde::Deserialize;
use std::path::{Path, PathBuf};

mod epub;
pub use epub::{EpubConfig, Placed, image_media_type};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Default, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum GlossaryLink {
    #[default]
    First,
    All,
    None,
}

/// `content/site.yaml`. Doc comments here become the descriptions of `glossa schema`.
#[derive(Debug, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "glossa site.yaml")]
pub struct RawConfig {
    /// Default "Annotated readings".
    title: Option<String>,
    description: Option<String>,
    /// Interface language and default document language (BCP 47). Default `en`.
    lang: Option<String>,
    /// Where the site is served, e.g. `https://USER.github.io/REPO/`: absolute URLs (sitemap,
    /// canonical links, annotation ids).
    base_url: Option<String>,
    /// The theme: `default` (built in, sidenotes), `classic` (built in, endnotes and a serif
    /// book page), or a folder under themes/. Default `default`.
    theme: Option<String>,
    /// The output folder, relative to the site's root; default `public`.
    output: Option<String>,
    glossary: Option<RawGlossaryOptions>,
    markdown: Option<RawMarkdownOptions>,
    /// Write the search page. Default true.
    search: Option<bool>,
    /// The languages of the documents' translations (under content/translations/LANG/), in the
    /// order a reader is offered them: the first a document has is shown by default. Languages
    /// not listed come after, alphabetically.
    translations: Option<Vec<String>>,
    /// The EPUB edition of the site (`glossa epub`; docs/epub.md).
    epub: Option<epub::RawEpub>,
}

#[derive(Debug, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawGlossaryOptions {
    /// `first` (default): the first occurrence of each entry in a document links to it;
    /// `all`: every occurrence; `none`: occurrences only carry an id.
    link: Option<GlossaryLink>,
}

#[derive(Debug, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawMarkdownOptions {
    /// Pass raw HTML in Markdown documents through (default false: it is shown as text).
    raw_html: Option<bool>,
    /// Curly quotes and dashes from straight ones in Markdown (default false).
    smart_punctuation: Option<bool>,
}

/// The site's configuration with every default filled in.
#[derive(Clone, Debug)]
pub struct Config {
    pub title: String,
    pub description: String,
    pub lang: String,
    /// Always ends with `/` when set.
    pub base_url: Option<String>,
    pub theme: String,
    pub output: PathBuf,
    pub glossary_link: GlossaryLink,
    pub raw_html: bool,
    pub smart_punctuation: bool,
    pub search: bool,
    /// `translations:`: the order in which a document's translations are offered.
    pub translations: Vec<String>,
    /// `epub:`: the EPUB edition.
    pub epub: EpubConfig,
    /// The files of content/static/, which `static:` links name. Not site.yaml's: the loading
    /// edge fills it from its walk of content/ (empty until then), so that every stage given
    /// the site's configuration can check a link against them.
    pub statics: std::sync::Arc<crate::layout::StaticSet>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Annotated readings".into(),
            description: String::new(),
            lang: "en".into(),
            base_url: None,
            theme: "default".into(),
            output: PathBuf::from("public"),
            glossary_link: GlossaryLink::First,
            raw_html: false,
            smart_punctuation: false,
            search: true,
            translations: Vec::new(),
            epub: EpubConfig::default(),
            statics: Default::default(),
        }
    }
}

/// Parses site.yaml's text. `path` is only for messages.
pub fn parse(source: &str, path: &Path) -> (Config, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let raw: RawConfig = match from_yaml(source, path) {
        Ok(Some(raw)) => raw,
        Ok(None) => RawConfig::default(),
        Err(d) => {
            diags.push(d);
            RawConfig::default()
        }
    };
    let defaults = Config::default();
    let mut config = Config {
        title: raw.title.unwrap_or(defaults.title),
        description: raw.description.unwrap_or_default(),
        lang: raw.lang.unwrap_or(defaults.lang),
        base_url: raw.base_url.map(|u| if u.ends_with('/') { u } else { format!("{u}/") }),
        theme: raw.theme.unwrap_or(defaults.theme),
        output: raw.output.map(PathBuf::from).unwrap_or(defaults.output),
        glossary_link: raw.glossary.and_then(|g| g.link).unwrap_or_default(),
        raw_html: raw.markdown.as_ref().and_then(|m| m.raw_html).unwrap_or(false),
        smart_punctuation: raw.markdown.as_ref().and_then(|m| m.smart_punctuation).unwrap_or(false),
        search: raw.search.unwrap_or(true),
        translations: checked_translations(raw.translations, source, path, &mut diags),
        epub: epub::checked(raw.epub, source, path, &mut diags),
        statics: defaults.statics,
    };
    if let Some(url) = &config.base_url
        && !(url.starts_with("http://") || url.starts_with("https://"))
    {
        diags.push(
            yaml::value_error(
                Code::InvalidBaseUrl,
                source,
                path,
                &["base_url".into()],
                "`base_url` must be an absolute http(s) URL",
            )
            .hint("for a GitHub Pages project site: https://USER.github.io/REPO/"),
        );
        config.base_url = None;
    }
    if let Some(refusal) = crate::output::config_output_refusal(&config.output) {
        diags.push(
            yaml::value_error(refusal.code(), source, path, &["output".into()], refusal.message(None))
                .hint(refusal.hint(false)),
        );
        config.output = Config::default().output;
    }
    if !crate::slug::is_valid_id(&config.theme) {
        diags.push(yaml::value_error(
            Code::InvalidThemeName,
            source,
            path,
            &["theme".into()],
            "a theme name must be `[a-z0-9-]+`",
        ));
        config.theme = "default".into();
    }
    if !is_valid_lang(&config.lang) {
        diags.push(
            yaml::value_error(
                Code::InvalidLang,
                source,
                path,
                &["lang".into()],
                format!("`{}` is not a BCP 47 language tag", config.lang),
            )
            .hint("for example `en`, `de` or `de-AT`"),
        );
        config.lang = "en".into();
    }
    (config, diags)
}

/// `translations:`, each a language tag (an error for each other, at its place in the list).
fn checked_translations(
    langs: Option<Vec<String>>,
    source: &str,
    path: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Vec<String> {
    let mut out = Vec::new();
    for (i, l) in langs.unwrap_or_default().into_iter().enumerate() {
        if is_valid_lang(&l) {
            out.push(l);
        } else {
            diags.push(
                yaml::value_error(
                    Code::InvalidLang,
                    source,
                    path,
                    &["translations".into(), i.into()],
                    format!("`{l}` is not a BCP 47 language tag"),
                )
                .hint("for example `en`, `de` or `de-AT`"),
            );
        }
    }
    out
}

/// Reads `content/site.yaml` under `root` if it exists (and is a file to read: see
/// `crate::site_files::is_file`).
pub fn load(root: &Path) -> Result<(Config, Vec<Diagnostic>), std::io::Error> {
    let path = root.join("content").join("site.yaml");
    let mut skipped = Vec::new();
    if !crate::site_files::is_file(root, &path, &mut skipped) {
        return Ok((Config::default(), skipped));
    }
    match std::fs::read_to_string(&path) {
        Ok(source) => {
            let (config, mut diags) = parse(&source, &path);
            diags.extend(missing_cover(root, &config));
            Ok((config, diags))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok((Config::default(), Vec::new())),
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => Ok((
            Config::default(),
            vec![Diagnostic::error(Code::NotUtf8, path, "site.yaml is not UTF-8")],
        )),
        Err(e) => Err(e),
    }
}

/// `epub.cover` names a file that is not under content/static/: an error at the value.
fn missing_cover(root: &Path, config: &Config) -> Option<Diagnostic> {
    let cover = config.epub.cover.as_ref()?;
    let file = root.join("content").join("static").join(&cover.value);
    if crate::site_files::is_file(root, &file, &mut Vec::new()) {
        return None;
    }
    Some(
        cover
            .error(
                Code::MissingCover,
                format!("no cover image `{}` in content/static/", cover.value),
            )
            .hint(format!("put the image at content/static/{}", cover.value)),
    )
}

/// A loose check of BCP 47's shape: letters, digits and hyphens, starting with 2–8 letters.
pub fn is_valid_lang(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=8).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_when_empty() {
        let (c, d) = parse("", Path::new("site.yaml"));
        assert!(d.is_empty());
        assert_eq!(c.title, "Annotated readings");
        assert_eq!(c.glossary_link, GlossaryLink::First);
        assert!(c.search);
    }

    #[test]
    fn reads_every_key() {
        let src = "title: T\ndescription: D\nlang: de\nbase_url: https://u.github.io/r\ntheme: classic\noutput: out\nglossary: { link: all }\nmarkdown: { raw_html: true, smart_punctuation: true }\nsearch: false\n";
        let (c, d) = parse(src, Path::new("site.yaml"));
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.base_url.as_deref(), Some("https://u.github.io/r/"));
        assert_eq!(c.glossary_link, GlossaryLink::All);
        assert!(c.raw_html && c.smart_punctuation && !c.search);
        assert_eq!(c.output, PathBuf::from("out"));
    }

    #[test]
    fn unknown_key_is_an_error_with_a_suggestion() {
        let (_, d) = parse("title: T\ndescripton: x\n", Path::new("site.yaml"));
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, Some(2));
        assert!(d[0].message.contains("descripton"), "{}", d[0].message);
        assert_eq!(d[0].hint.as_deref(), Some("did you mean `description`?"));
    }

    #[test]
    fn an_output_outside_the_site_points_at_its_line() {
        for bad in ["/tmp/x", "../elsewhere", "a/../../x"] {
            let (c, d) = parse(&format!("title: T\noutput: {bad}\n"), Path::new("site.yaml"));
            assert_eq!(d.len(), 1, "{bad}");
            assert_eq!((d[0].line, d[0].col), (Some(2), Some(9)), "{bad}");
            assert_eq!(c.output, PathBuf::from("public"));
        }
    }

    #[test]
    fn bad_values_point_at_their_line() {
        let (_, d) = parse("title: T\nlang: 'de_DE'\nbase_url: foo\n", Path::new("site.yaml"));
        assert_eq!(d.iter().map(|d| d.line.unwrap()).collect::<Vec<_>>(), [3, 2]);
    }
}
