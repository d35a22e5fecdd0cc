//! The stable code of every kind of diagnostic (`quote-not-found`), for tools: editors and CI
//! filter and link by it (`--message-format json|github`), and docs/diagnostics.md lists each
//! one with an example (a test keeps the two lists the same).
//!
//! A new kind of problem gets a new variant here, with a doc comment that says what it means,
//! and an entry in docs/diagnostics.md. A code, once released, keeps its name.

/// Declares [`Code`]: each variant with its name and a doc comment, and [`Code::ALL`] in the
/// order written.
macro_rules! codes {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $name:literal, )+) => {
        /// What kind of problem a [`super::Diagnostic`] is, as a stable kebab-case name.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[doc = $doc])+ $variant, )+
        }

        impl Code {
            /// Every code, in the order of docs/diagnostics.md.
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            /// The code as tools see it, e.g. `quote-not-found`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)+
                }
            }

            /// The code named `name` ([`Code::as_str`]'s inverse).
            pub fn named(name: &str) -> Option<Code> {
                match name {
                    $($name => Some(Code::$variant),)+
                    _ => None,
                }
            }
        }
    };
}

codes! {
    // YAML and files.
    /// A YAML file does not parse (bad indentation, an unclosed quote, a tab, a control character).
    YamlSyntax = "yaml-syntax",
    /// Lists and mappings nest deeper than glossa reads.
    YamlTooDeep = "yaml-too-deep",
    /// A key glossa does not know (often a typo: the hint names the closest key).
    UnknownKey = "unknown-key",
    /// A key that must be there is not (such as an annotation's `quote`).
    MissingKey = "missing-key",
    /// A key stands twice in one mapping.
    DuplicateKey = "duplicate-key",
    /// A value of the wrong type: a list where a string belongs, a string where a number does.
    WrongType = "wrong-type",
    /// A value outside the allowed ones (such as `lines: sometimes`).
    InvalidValue = "invalid-value",
    /// A file that is not UTF-8.
    NotUtf8 = "not-utf8",

    // Annotations as written.
    /// An annotation or glossary id that is not `[a-z0-9-]+`.
    InvalidId = "invalid-id",
    /// Two annotations of one page, or two glossary entries, have the same id.
    DuplicateId = "duplicate-id",
    /// An annotation's quote is empty.
    EmptyQuote = "empty-quote",
    /// An annotation with no `note`, `gloss`, `term` or `see`.
    EmptyAnnotation = "empty-annotation",
    /// A key given with an empty value (`note: ""`, an empty glossary form or `kind`).
    EmptyValue = "empty-value",
    /// `occurrence: 0` (occurrences count from 1).
    InvalidOccurrence = "invalid-occurrence",

    // Quotes in the text.
    /// A quote that does not occur in the document.
    QuoteNotFound = "quote-not-found",
    /// A quote that occurs more than once, with nothing to pick one.
    QuoteAmbiguous = "quote-ambiguous",
    /// An `occurrence` past the quote's last match.
    OccurrenceOutOfRange = "occurrence-out-of-range",
    /// A quote that matches only after folding whitespace or quotation marks.
    QuoteFolded = "quote-folded",
    /// Two quotes overlap in part (they may nest or coincide, not cross).
    QuotesCross = "quotes-cross",
    /// `check --fix` rewrote a quote to the text's new wording.
    QuoteFixed = "quote-fixed",
    /// `check --fix` found no one passage to move a quote to, or could not rewrite it.
    QuoteOrphaned = "quote-orphaned",

    // Ids, terms and links.
    /// A `term:` (or a glossary entry's `see`) names no glossary entry.
    UnknownTerm = "unknown-term",
    /// A `see` link, or a note's reference, would lie inside or around another link.
    NestedLink = "nested-link",
    /// An annotation id that the theme uses (`main`).
    ReservedId = "reserved-id",
    /// An annotation id that another element of the page has.
    IdClash = "id-clash",
    /// Two headings of a page get the same id.
    DuplicatePageId = "duplicate-page-id",
    /// A Markdown footnote that no reference points to.
    UnusedFootnote = "unused-footnote",
    /// A `javascript:`, `vbscript:` or `data:` address in a link or `source`.
    UnsafeLink = "unsafe-link",
    /// A `term:` link with a `#fragment`.
    TermLinkFragment = "term-link-fragment",
    /// A `doc:`, `page:` or `term:` link to something the site does not have.
    LinkNotFound = "link-not-found",
    /// A link to an id the target page does not have.
    LinkFragmentNotFound = "link-fragment-not-found",
    /// A `static:` link or image to a file that content/static/ does not have.
    StaticNotFound = "static-not-found",
    /// A `static:` path that leaves content/static/ (`..`), starts with `/`, or is empty.
    InvalidStaticPath = "invalid-static-path",
    /// An image with a relative address that names no file of content/static/ from its page.
    RelativeImage = "relative-image",

    // Documents.
    /// Annotations in a Markdown document's front matter.
    AnnotationsInFrontMatter = "annotations-in-front-matter",
    /// A `slug` that is not `[a-z0-9-]+`.
    InvalidSlug = "invalid-slug",
    /// A file name that makes no slug.
    EmptySlug = "empty-slug",
    /// A slug the site's own pages use (`glossary`, `search`, `static`).
    ReservedSlug = "reserved-slug",
    /// Two documents or pages with the same slug.
    DuplicateSlug = "duplicate-slug",
    /// A `date` that is not YYYY-MM-DD.
    InvalidDate = "invalid-date",
    /// A `lang` that is not a BCP 47 language tag.
    InvalidLang = "invalid-lang",
    /// `lines` on a Markdown document (it is for .txt).
    LinesNotTxt = "lines-not-txt",
    /// A document without a sidecar where other documents have one.
    MissingSidecar = "missing-sidecar",
    /// No .txt or .md file under seeds/.
    NoDocuments = "no-documents",

    // The glossary.
    /// One form names two glossary entries.
    DuplicateForm = "duplicate-form",
    /// A glossary entry that occurs in no document.
    UnusedEntry = "unused-entry",

    // Files and folders of the site.
    /// A sidecar ending in `.yml`, which glossa ignores.
    YmlSidecar = "yml-sidecar",
    /// A file under seeds/ that is no document or sidecar.
    UnknownFile = "unknown-file",
    /// A sidecar whose stem two documents share (`a.txt` and `a.md`).
    AmbiguousSidecar = "ambiguous-sidecar",
    /// A sidecar with no document beside it.
    SidecarWithoutDocument = "sidecar-without-document",
    /// A file under content/translations/ that is not in a language's folder; it is ignored.
    TranslationMisplaced = "translation-misplaced",
    /// A translation whose original is not under seeds/.
    TranslationWithoutOriginal = "translation-without-original",
    /// Two translations of one document into one language.
    DuplicateTranslation = "duplicate-translation",
    /// A translation whose path and name fit more than one document.
    AmbiguousTranslation = "ambiguous-translation",
    /// A translation whose blocks stop matching its original's, in number or kind.
    TranslationMismatch = "translation-mismatch",
    /// A symlink to nothing.
    BrokenSymlink = "broken-symlink",
    /// A symlink that leads out of the site's folder.
    SymlinkOutsideSite = "symlink-outside-site",
    /// A symlink to a folder that holds it.
    SymlinkLoop = "symlink-loop",
    /// A FIFO, socket or device where a file or folder should be.
    SpecialFile = "special-file",
    /// A folder that cannot be read.
    UnreadableFolder = "unreadable-folder",
    /// A theme's file that cannot be read.
    UnreadableFile = "unreadable-file",

    // site.yaml.
    /// A `base_url` that is not an absolute http(s) URL.
    InvalidBaseUrl = "invalid-base-url",
    /// A theme name that is not `[a-z0-9-]+`.
    InvalidThemeName = "invalid-theme-name",
    /// No `base_url`, so `build` leaves sitemap.xml out.
    NoBaseUrl = "no-base-url",
    /// `epub.cover` names no file under content/static/.
    MissingCover = "missing-cover",
    /// `epub.front` or `epub.back` names no extra page, or one page twice.
    UnknownEpubPage = "unknown-epub-page",

    // The output folder.
    /// site.yaml's `output` is absolute or leaves the site's folder.
    OutputOutsideSite = "output-outside-site",
    /// The output folder is the site's folder or holds it.
    OutputHoldsSite = "output-holds-site",
    /// The output folder is, lies in or holds one of the site's sources.
    OutputOverlapsSources = "output-overlaps-sources",
    /// The output path is a file.
    OutputNotAFolder = "output-not-a-folder",
    /// The output path is a symbolic link.
    OutputSymlink = "output-symlink",
    /// The output folder is a mount point.
    OutputMountPoint = "output-mount-point",
    /// The output folder has files, and glossa did not build it.
    OutputNotBuiltByGlossa = "output-not-built-by-glossa",
    /// The output folder cannot be created or resolved.
    OutputUnusable = "output-unusable",
    /// A folder beside the output named like a staging folder, which glossa did not make.
    StrayStagingFolder = "stray-staging-folder",
    /// The build cache beside the output could not be used (another glossa made it, or it is
    /// truncated or corrupt): the build starts from nothing and makes it again.
    CacheIgnored = "cache-ignored",

    // Themes.
    /// A theme that is neither built in nor under themes/.
    UnknownTheme = "unknown-theme",
    /// Themes that extend each other in a circle.
    ThemeCycle = "theme-cycle",
    /// The `default` theme given an `extends`.
    DefaultThemeExtends = "default-theme-extends",
    /// A stylesheet that is no static file of the theme.
    UnknownStylesheet = "unknown-stylesheet",
    /// A key in an i18n file that is close to, but not, an interface string.
    UnknownInterfaceString = "unknown-interface-string",
    /// A template that does not compile or render.
    TemplateError = "template-error",

    // Commands.
    /// A file changed on disk while the build read it.
    ChangedDuringBuild = "changed-during-build",
    /// `glossa add`: the sidecar changed between reading and writing.
    ChangedSinceRead = "changed-since-read",
    /// `glossa add`: a sidecar whose `annotations` cannot be appended to.
    SidecarNotEditable = "sidecar-not-editable",
    /// The import file is not JSON (its line and column say where).
    ImportNotJson = "import-not-json",
    /// A page of the imported collection named by its address (`next`) is not in the `annotations/` folder beside the file.
    ImportPageMissing = "import-page-missing",
    /// An annotation of the import file that glossa cannot keep (a tag, one that quotes nothing or says nothing): left out.
    ImportLeftOut = "import-left-out",
    /// An imported annotation targets a page that is no document of the site.
    ImportNoDocument = "import-no-document",
    /// An imported annotation's quote is not in its document: orphaned, not written.
    ImportOrphaned = "import-orphaned",
    /// An imported annotation's quote matches several times and nothing tells which: orphaned, not written.
    ImportAmbiguous = "import-ambiguous",
    /// An imported annotation its sidecar already has (the same passage, the same note, gloss, term and see): skipped, a note.
    ImportAlreadyThere = "import-already-there",
    /// A run that could not go on: a file or folder that cannot be read or written.
    Fatal = "fatal",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A code is written as its name (the build cache keeps diagnostics so).
impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Code, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Code::named(&name).ok_or_else(|| serde::de::Error::custom(format!("no diagnostic code {name}")))
    }
}

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            let name = code.as_str();
            assert!(seen.insert(name), "{name} twice");
            assert!(
                !name.is_empty()
                    && !name.starts_with('-')
                    && !name.ends_with('-')
                    && !name.contains("--")
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{name} is not kebab-case"
            );
        }
    }
}
