//! What a page tells those who share, index or subscribe to it: the `meta` every template sees
//! ([`MetaView`]): Open Graph and Twitter card values, the alternate links (the feed,
//! `annotations.jsonld`) and schema.org JSON-LD (an `Article` on document pages, a
//! `DefinedTerm` on glossary entry pages), made here as data and handed to the template as
//! text safe for a `<script>` element, never assembled by a template.

use super::PageMaker;
use super::views::{DocSummary, MetaView};
use crate::concat::cat;
use crate::layout;
use crate::markdown::plain_text;
use crate::parse::Entry;
use crate::resolve::{ResolvedDoc, Site};
use serde_json::{Map, Value, json};

impl PageMaker<'_> {
    /// What every page's head says when the page says nothing more of itself: its title, the
    /// site's description, `website`, the locale of `lang`.
    pub(super) fn meta(&self, kind: &str, root: &str, lang: &str, title: &str) -> MetaView {
        let site = self.site;
        MetaView {
            title: (if kind == "home" { &site.config.title } else { title }).to_owned(),
            description: site.config.description.clone(),
            og_type: "website",
            locale: og_locale(lang).unwrap_or_default(),
            published: String::new(),
            feed_url: if self.has_feed {
                cat![root, layout::FEED]
            } else {
                String::new()
            },
            annotations_url: cat![root, layout::ANNOTATIONS],
            json_ld: String::new(),
        }
    }

    /// A document page's head: its summary, `article`, its date and its `Article`.
    pub(super) fn document_meta(&self, rd: &ResolvedDoc, summary: &DocSummary, root: &str, path: &str) -> MetaView {
        let site = self.site;
        let mut meta = self.meta("document", root, &summary.lang, &rd.doc.title);
        if !summary.summary.is_empty() {
            meta.description.clone_from(&summary.summary);
        }
        meta.og_type = "article";
        meta.published.clone_from(&summary.date);
        let mut article = Map::new();
        article.insert("@context".into(), "https://schema.org".into());
        article.insert("@type".into(), "Article".into());
        article.insert("headline".into(), rd.doc.title.as_str().into());
        if !summary.author.is_empty() {
            article.insert("author".into(), json!({"@type": "Person", "name": summary.author}));
        }
        article.insert("inLanguage".into(), summary.lang.as_str().into());
        if !summary.date.is_empty() {
            article.insert("datePublished".into(), summary.date.as_str().into());
        }
        if !summary.summary.is_empty() {
            article.insert("description".into(), summary.summary.as_str().into());
        }
        if let Some(url) = absolute(site, path) {
            article.insert("url".into(), url.into());
        }
        article.insert("isPartOf".into(), website(site));
        meta.json_ld = script_json(&Value::Object(article));
        meta
    }

    /// An extra page's head: its summary, when it has one.
    pub(super) fn page_meta(&self, rd: &ResolvedDoc, root: &str, lang: &str) -> MetaView {
        let mut meta = self.meta("page", root, lang, &rd.doc.title);
        if let Some(summary) = rd.doc.meta.summary.as_ref().filter(|s| !s.is_empty()) {
            meta.description.clone_from(summary);
        }
        meta
    }

    /// A glossary entry page's head: the first sentence of the definition, and the entry as a
    /// `DefinedTerm` of the glossary, a `DefinedTermSet`.
    pub(super) fn entry_meta(&self, entry: &Entry, description: String, root: &str, path: &str) -> MetaView {
        let site = self.site;
        let lang = &site.config.lang;
        let mut meta = self.meta("entry", root, lang, &entry.term);
        if !description.is_empty() {
            meta.description = description;
        }
        let mut set = Map::new();
        set.insert("@type".into(), "DefinedTermSet".into());
        let glossary = self.theme.strings.get("glossary");
        set.insert("name".into(), cat![glossary, " · ", site.config.title].into());
        if let Some(url) = absolute(site, layout::GLOSSARY) {
            set.insert("url".into(), url.into());
        }
        let mut term = Map::new();
        term.insert("@context".into(), "https://schema.org".into());
        term.insert("@type".into(), "DefinedTerm".into());
        term.insert("name".into(), entry.term.as_str().into());
        let definition = plain_text(&entry.definition, site.config.raw_html);
        if !definition.is_empty() {
            term.insert("description".into(), definition.into());
        }
        term.insert("inLanguage".into(), lang.as_str().into());
        if let Some(url) = absolute(site, path) {
            term.insert("url".into(), url.into());
        }
        term.insert("inDefinedTermSet".into(), Value::Object(set));
        meta.json_ld = script_json(&Value::Object(term));
        meta
    }
}

/// The site as a schema.org `WebSite`: what a page `isPartOf`.
fn website(site: &Site) -> Value {
    let mut w = Map::new();
    w.insert("@type".into(), "WebSite".into());
    w.insert("name".into(), site.config.title.as_str().into());
    if let Some(base) = &site.config.base_url {
        w.insert("url".into(), base.as_str().into());
    }
    Value::Object(w)
}

/// The absolute URL of the file at `path`, when the site has a base URL.
fn absolute(site: &Site, path: &str) -> Option<String> {
    site.config.base_url.as_deref().map(|b| cat![b, path])
}

/// JSON as the text of a `<script>` element: an HTML parser ends a script at `</script` and
/// reads `<!--` in it, whatever JSON's quotes say. `<`, `>` and `&` appear in JSON only inside
/// strings, where `\u003c` means the same character, so the text is the same JSON with none of
/// them raw.
pub(super) fn script_json(value: &Value) -> String {
    let text = value.to_string();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

/// The Open Graph locale (`language_TERRITORY`, `de_DE`) of a BCP 47 tag. A tag with a region
/// keeps it (`de-CH` → `de_CH`); a bare language takes the region it is most used in, after
/// the Unicode CLDR's likely subtags (`de` → `de_DE`, `en` → `en_US`, `pt` → `pt_BR`,
/// `zh-Hant` → `zh_TW`). A language the table does not hold, or a region that is a number
/// (`es-419`), has no such form: `None`, and the page says no `og:locale`.
pub(super) fn og_locale(tag: &str) -> Option<String> {
    let mut subtags = tag.split(['-', '_']);
    let language = subtags.next()?.to_ascii_lowercase();
    if !(2..=3).contains(&language.len()) || !language.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let mut script = None;
    for subtag in subtags {
        match subtag.len() {
            2 if subtag.bytes().all(|b| b.is_ascii_alphabetic()) => {
                return Some(cat![language, "_", subtag.to_ascii_uppercase()]);
            }
            3 if subtag.bytes().all(|b| b.is_ascii_digit()) => return None,
            4 => script = Some(subtag.to_ascii_lowercase()),
            _ => {}
        }
    }
    let region = match (language.as_str(), script.as_deref()) {
        ("zh", Some("hant")) => "TW",
        (language, _) => likely_region(language)?,
    };
    Some(cat![language, "_", region])
}

/// The region a language is most used in (CLDR likely subtags), for the languages a reading
/// site is likely to be written in.
fn likely_region(language: &str) -> Option<&'static str> {
    Some(match language {
        "af" => "ZA",
        "ar" => "EG",
        "be" => "BY",
        "bg" => "BG",
        "bn" => "BD",
        "bs" => "BA",
        "ca" => "ES",
        "cs" => "CZ",
        "cy" => "GB",
        "da" => "DK",
        "de" => "DE",
        "el" => "GR",
        "en" => "US",
        "es" => "ES",
        "et" => "EE",
        "eu" => "ES",
        "fa" => "IR",
        "fi" => "FI",
        "fr" => "FR",
        "ga" => "IE",
        "gl" => "ES",
        "he" => "IL",
        "hi" => "IN",
        "hr" => "HR",
        "hu" => "HU",
        "hy" => "AM",
        "id" => "ID",
        "is" => "IS",
        "it" => "IT",
        "ja" => "JP",
        "ka" => "GE",
        "kk" => "KZ",
        "ko" => "KR",
        "la" => "VA",
        "lt" => "LT",
        "lv" => "LV",
        "mk" => "MK",
        "ms" => "MY",
        "mt" => "MT",
        "nb" | "nn" | "no" => "NO",
        "nl" => "NL",
        "pl" => "PL",
        "pt" => "BR",
        "ro" => "RO",
        "ru" => "RU",
        "sk" => "SK",
        "sl" => "SI",
        "sq" => "AL",
        "sr" => "RS",
        "sv" => "SE",
        "sw" => "TZ",
        "ta" => "IN",
        "th" => "TH",
        "tr" => "TR",
        "uk" => "UA",
        "ur" => "PK",
        "vi" => "VN",
        "zh" => "CN",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn og_locale_keeps_a_region_and_supplies_the_likely_one() {
        let cases = [
            ("de", Some("de_DE")),
            ("en", Some("en_US")),
            ("pt", Some("pt_BR")),
            ("de-CH", Some("de_CH")),
            ("en_gb", Some("en_GB")),
            ("DE-at", Some("de_AT")),
            ("sr-Latn", Some("sr_RS")),
            ("sr-Latn-ME", Some("sr_ME")),
            ("zh-Hant", Some("zh_TW")),
            ("zh-Hans", Some("zh_CN")),
            ("es-419", None),
            ("grc", None),
            ("x-klingon", None),
            ("", None),
        ];
        for (tag, want) in cases {
            assert_eq!(og_locale(tag).as_deref(), want, "{tag}");
        }
    }

    #[test]
    fn script_json_never_holds_markup_raw_and_stays_the_same_json() {
        let value = json!({"headline": "</script><!-- a & b -->", "n": 1});
        let text = script_json(&value);
        assert!(
            !text.contains('<') && !text.contains('>') && !text.contains('&'),
            "{text}"
        );
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
    }
}
