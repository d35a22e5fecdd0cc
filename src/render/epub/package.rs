//! The book's machine-read files: `META-INF/container.xml`, the package document (metadata,
//! with the accessibility metadata of EPUB Accessibility 1.1; manifest; spine) and the NCX
//! for reading systems older than EPUB 3. Not theme matter: made here, escaped for XML.

use super::links::MEDIA;
use super::matter::{Ref, Spine};
use super::{CSS_FILE, NAV_FILE};
use crate::concat::{cat, push};
use crate::config::{Config, image_media_type};
use crate::render::xml::escape;
use std::collections::BTreeSet;

const XML_HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

/// `META-INF/container.xml`: where the package document is.
pub(super) fn container_xml() -> String {
    cat![
        XML_HEAD,
        "<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n",
        "  <rootfiles>\n",
        "    <rootfile full-path=\"EPUB/package.opf\" media-type=\"application/oebps-package+xml\"/>\n",
        "  </rootfiles>\n",
        "</container>\n"
    ]
}

/// What the package document says.
pub(super) struct Package<'a> {
    pub(super) config: &'a Config,
    pub(super) identifier: &'a str,
    pub(super) modified: &'a str,
    pub(super) spine: &'a Spine,
    /// The images of content/static/ in the book (the cover among them).
    pub(super) images: &'a BTreeSet<String>,
    pub(super) cover: Option<&'a str>,
}

/// How the book serves readers who need it, for `accessibilitySummary`.
const SUMMARY: &str = "A text-only edition: every chapter has headings in order, every note is a footnote \
linked from its reference and back, glosses stand in the text in parentheses, and the glossary links back to \
each occurrence. Text can be resized and restyled; no content depends on colour, sound or motion.";

/// `EPUB/package.opf`.
pub(super) fn opf(p: &Package) -> String {
    let config = p.config;
    let mut s = cat![
        XML_HEAD,
        "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"uid\" xml:lang=\"",
        escape(&config.lang),
        "\">\n  <metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n",
        "    <dc:identifier id=\"uid\">",
        escape(p.identifier),
        "</dc:identifier>\n    <dc:title>",
        escape(&config.title),
        "</dc:title>\n    <dc:language>",
        escape(&config.lang),
        "</dc:language>\n"
    ];
    if !config.description.is_empty() {
        push!(
            &mut s,
            "    <dc:description>",
            escape(&config.description),
            "</dc:description>\n"
        );
    }
    push!(
        &mut s,
        "    <meta property=\"dcterms:modified\">",
        p.modified,
        "</meta>\n"
    );
    s.push_str(&accessibility(!p.images.is_empty()));
    if p.cover.is_some() {
        s.push_str("    <meta name=\"cover\" content=\"cover-image\"/>\n");
    }
    s.push_str("  </metadata>\n  <manifest>\n");
    manifest(&mut s, p);
    s.push_str("  </manifest>\n  <spine toc=\"ncx\">\n");
    for file in &p.spine.files {
        push!(&mut s, "    <itemref idref=\"", item_id(file), "\"/>\n");
    }
    s.push_str("  </spine>\n</package>\n");
    s
}

/// Schema.org's accessibility properties and the conformance claim. Images come with their
/// alternative text (a Markdown image's), so a book with images is still read as text.
fn accessibility(images: bool) -> String {
    let meta = |property: &str, value: &str| cat!["    <meta property=\"", property, "\">", value, "</meta>\n"];
    let mut s = meta("schema:accessMode", "textual");
    if images {
        s.push_str(&meta("schema:accessMode", "visual"));
    }
    s.push_str(&meta("schema:accessModeSufficient", "textual"));
    for feature in [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "annotations",
        "displayTransformability",
    ] {
        s.push_str(&meta("schema:accessibilityFeature", feature));
    }
    if images {
        s.push_str(&meta("schema:accessibilityFeature", "alternativeText"));
    }
    s.push_str(&meta("schema:accessibilityHazard", "none"));
    s.push_str(&meta("schema:accessibilitySummary", SUMMARY));
    s.push_str(&meta(
        "dcterms:conformsTo",
        "EPUB Accessibility 1.1 - WCAG 2.2 Level AA",
    ));
    s
}

/// Every file of the book but `mimetype`, container.xml and the package document itself.
fn manifest(s: &mut String, p: &Package) {
    let item = |s: &mut String, id: &str, href: &str, media: &str, props: &str| {
        push!(
            s,
            "    <item id=\"",
            id,
            "\" href=\"",
            escape(href),
            "\" media-type=\"",
            media,
            "\""
        );
        if !props.is_empty() {
            push!(s, " properties=\"", props, "\"");
        }
        s.push_str("/>\n");
    };
    item(s, "nav", NAV_FILE, "application/xhtml+xml", "nav");
    item(s, "ncx", "toc.ncx", "application/x-dtbncx+xml", "");
    item(s, "css", CSS_FILE, "text/css", "");
    for file in p.spine.files.iter().filter(|f| *f != NAV_FILE) {
        item(s, &item_id(file), file, "application/xhtml+xml", "");
    }
    for (i, image) in p.images.iter().enumerate() {
        let media = image_media_type(image).unwrap_or("application/octet-stream");
        let (id, props) = match p.cover {
            Some(cover) if cover == image => ("cover-image".to_owned(), "cover-image"),
            _ => (cat!["img-", i + 1], ""),
        };
        let href = cat![MEDIA, percent_encoding::utf8_percent_encode(image, PATH).to_string()];
        item(s, &id, &href, media, props);
    }
}

/// What stays as it is in an image's address in the manifest (as `links` writes it).
const PATH: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A file's manifest id: `x-` and its name, `.` as `-` (an XML name; slugs may start with a
/// digit).
fn item_id(file: &str) -> String {
    if file == NAV_FILE {
        return "nav".to_owned();
    }
    cat!["x-", file.trim_end_matches(".xhtml").replace('.', "-")]
}

/// `EPUB/toc.ncx`, the table of contents for EPUB 2 reading systems.
pub(super) fn ncx(config: &Config, identifier: &str, toc: &[Ref]) -> String {
    let mut s = cat![
        XML_HEAD,
        "<ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" version=\"2005-1\" xml:lang=\"",
        escape(&config.lang),
        "\">\n  <head>\n    <meta name=\"dtb:uid\" content=\"",
        escape(identifier),
        "\"/>\n    <meta name=\"dtb:depth\" content=\"1\"/>\n    <meta name=\"dtb:totalPageCount\" content=\"0\"/>\n    <meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n  </head>\n  <docTitle><text>",
        escape(&config.title),
        "</text></docTitle>\n  <navMap>\n"
    ];
    for (i, r) in toc.iter().enumerate() {
        let n = i + 1;
        push!(
            &mut s,
            "    <navPoint id=\"nav-",
            n,
            "\" playOrder=\"",
            n,
            "\"><navLabel><text>",
            escape(&r.title),
            "</text></navLabel><content src=\"",
            escape(&r.href),
            "\"/></navPoint>\n"
        );
    }
    s.push_str("  </navMap>\n</ncx>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_ids_are_xml_names() {
        assert_eq!(item_id("2024-bericht.xhtml"), "x-2024-bericht");
        assert_eq!(item_id("a.xhtml"), "x-a");
        assert_eq!(item_id("glossary_terms.xhtml"), "x-glossary_terms");
    }
}
