//! site.yaml's `epub:`: the EPUB edition of the site (docs/epub.md). Its values are checked
//! here where they can be without the disk or the site; the cover's file is checked by
//! `config::load`, the extra pages' names once the site is loaded
//! (`render::epub::check_pages`), each error pointing at the value in site.yaml.

use crate::diagnostics::{Code, Diagnostic};
use crate::yaml::pos::{Seg, YamlPositions};
use crate::yaml::value_error_in;
use schemars::JsonSchema;
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEpub {
    /// A file name ending in `.epub`: `glossa build` then writes the book into the output
    /// under this name, and the home page links it. Without it, only `glossa epub` writes one.
    file: Option<String>,
    /// The book's identifier (`dc:identifier`), e.g. `urn:uuid:…`; default the site's
    /// `base_url`, else `urn:glossa:` and the slug of the title.
    id: Option<String>,
    /// The language of the translation to print after each block of a document that has one
    /// (one of content/translations/LANG/); default none.
    translation: Option<String>,
    /// The cover image: a JPEG, PNG, GIF, SVG or WebP file under content/static/ (its path
    /// there, e.g. `images/cover.jpg`).
    cover: Option<String>,
    /// Extra pages (their names under content/pages/) put before the texts, in this order.
    front: Option<Vec<String>>,
    /// Extra pages put after the texts and the glossary, in this order. Default: every extra
    /// page not in `front`.
    back: Option<Vec<String>>,
}

/// A value of `epub:` and an error already pointing at it in site.yaml, for the checks that
/// can only run later (a cover that is missing, a page that does not exist): only the message
/// is left to say.
#[derive(Clone, Debug)]
pub struct Placed {
    pub value: String,
    at: Diagnostic,
}

impl Placed {
    /// The error about this value: `message`, of kind `code`, where site.yaml writes it.
    pub fn error(&self, code: Code, message: impl Into<String>) -> Diagnostic {
        let mut d = self.at.clone();
        d.code = code;
        d.message = message.into();
        d
    }
}

/// `epub:` with every value checked.
#[derive(Clone, Debug, Default)]
pub struct EpubConfig {
    /// The book's file name in the output, when `glossa build` writes it.
    pub file: Option<String>,
    pub id: Option<String>,
    pub translation: Option<String>,
    pub cover: Option<Placed>,
    pub front: Vec<Placed>,
    /// `None`: every extra page not in `front`.
    pub back: Option<Vec<Placed>>,
}

/// The media type of an image a book may hold (EPUB's core media types), by its extension.
pub fn image_media_type(path: &str) -> Option<&'static str> {
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "jpg" | "jpeg" => "image/jpeg",
        "png" => "image/png",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        _ => return None,
    })
}

/// Checks `epub:` as written; `source` and `path` are site.yaml's, for the errors.
pub(super) fn checked(raw: Option<RawEpub>, source: &str, path: &Path, diags: &mut Vec<Diagnostic>) -> EpubConfig {
    let Some(raw) = raw else {
        return EpubConfig::default();
    };
    let positions = YamlPositions::index(source);
    let place = |at: &[Seg], value: String| Placed {
        value,
        at: value_error_in(Code::InvalidValue, &positions, source, path, at, ""),
    };
    let key = |k: &str| -> Vec<Seg> { vec!["epub".into(), k.into()] };
    let mut config = EpubConfig {
        id: raw.id.filter(|id| !id.trim().is_empty()),
        ..EpubConfig::default()
    };
    if let Some(file) = raw.file {
        if is_plain_epub_name(&file) {
            config.file = Some(file);
        } else {
            diags.push(
                place(&key("file"), file.clone())
                    .error(
                        Code::InvalidValue,
                        format!("`{file}` is not a file name ending in `.epub`"),
                    )
                    .hint("a name without folders, such as `readings.epub`"),
            );
        }
    }
    if let Some(lang) = raw.translation {
        if super::is_valid_lang(&lang) {
            config.translation = Some(lang);
        } else {
            diags.push(
                place(&key("translation"), lang.clone())
                    .error(Code::InvalidLang, format!("`{lang}` is not a BCP 47 language tag"))
                    .hint("the language of a folder under content/translations/, such as `en`"),
            );
        }
    }
    if let Some(cover) = raw.cover {
        let placed = place(&key("cover"), cover.clone());
        if image_media_type(&cover).is_none() || cover.split('/').any(|s| s.is_empty() || s == "..") {
            diags.push(
                placed
                    .error(
                        Code::InvalidValue,
                        format!("`{cover}` is not an image path under content/static/"),
                    )
                    .hint("a JPEG, PNG, GIF, SVG or WebP file, such as `images/cover.jpg`"),
            );
        } else {
            config.cover = Some(placed);
        }
    }
    let list = |name: &str, names: Vec<String>| -> Vec<Placed> {
        (names.into_iter().enumerate())
            .map(|(i, n)| place(&[Seg::from("epub"), name.into(), i.into()], n))
            .collect()
    };
    config.front = list("front", raw.front.unwrap_or_default());
    config.back = raw.back.map(|b| list("back", b));
    config
}

/// `NAME.epub`, a file name of the output's top folder.
fn is_plain_epub_name(name: &str) -> bool {
    name.len() > ".epub".len()
        && name.ends_with(".epub")
        && !name.starts_with('.')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::is_plain_epub_name;

    #[test]
    fn a_book_file_is_a_plain_name() {
        assert!(is_plain_epub_name("readings.epub"));
        assert!(is_plain_epub_name("Lesebuch-2024.epub"));
        for bad in [".epub", "a/b.epub", "../b.epub", "b.zip", ".hidden.epub", "a b.epub"] {
            assert!(!is_plain_epub_name(bad), "{bad}");
        }
    }
}
