//! Search: a static full-text index that the search page loads piece by piece.
//!
//! The site is cut into *pages* (documents, extra pages, glossary entries) and each page into
//! *sections*: a paragraph or heading, a note, a gloss, an entry's definition. The index has
//! three kinds of file under `search/`, each a small script that hands its data to
//! `glossaSearch` (scripts load from `file://` as well as from any static host, where `fetch`
//! of a JSON file would not):
//!
//! - `meta.js`: the number of pages, the folding rules, the first word and the file of every
//!   chunk;
//! - `c/NAME.js`: a chunk of the word list, in sorted order, named by a hash of its first word:
//!   each folded word with its postings, `[page delta, count, page delta, count, …]`;
//! - `f/K.js`: the titles, URLs and sections of pages 5K to 5K+4 (`f/pN.js`: a long page's
//!   alone), loaded only for the results on screen.
//!
//! Files are cut where their content says (`cuts`), so that an edit to one page changes a few
//! files; after an edit the index is made from what the last build kept (`kept`).
//!
//! A query folds and splits its words exactly as [`fold`] and [`words`] do here, loads the
//! chunks whose word range can hold each word as a prefix, ranks the pages that hold every
//! word, and loads the fragments of the first results. So a query downloads the meta file,
//! a few chunks and ten fragments, however large the site.

mod cuts;
mod index;
mod kept;
mod output;
mod words;

use super::body::RenderedNote;
use crate::concat::cat;
use crate::layout;
use crate::parse::Entry;
use crate::resolve::{PageBody, ResolvedDoc};
use crate::text::collapse;
use serde::Serialize;

pub use cuts::{ALONE_BYTES, CHUNK_MAX, CHUNK_MIN, GROUP_PAGES};
use index::IndexBuilder;
pub(super) use output::SearchIndex;
use words::WordCounter;
pub use words::{Folding, WORD_CHARS, fold, words};

/// Words in a page's title count this many times over, so that title hits rank first.
const TITLE_WEIGHT: u32 = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    Text,
    Heading,
    Note,
    Gloss,
    Entry,
    /// A block of a document's translation, linked by the id of the block it translates.
    Translation,
}

impl SectionKind {
    /// Its name in the index, as serde writes it.
    fn name(self) -> &'static str {
        match self {
            SectionKind::Text => "text",
            SectionKind::Heading => "heading",
            SectionKind::Note => "note",
            SectionKind::Gloss => "gloss",
            SectionKind::Entry => "entry",
            SectionKind::Translation => "translation",
        }
    }
}

/// A piece of a page that a result can link to.
#[derive(Debug, Serialize)]
pub struct Section {
    /// The fragment id on the page; empty for the page's top.
    pub anchor: String,
    pub kind: SectionKind,
    pub text: String,
}

/// One page of the index.
#[derive(Debug, Serialize)]
pub struct PageRecord {
    pub title: String,
    /// Relative to the site's root: `erlkoenig/index.html`.
    pub url: String,
    /// `document`, `page` or `entry`.
    pub kind: &'static str,
    pub sections: Vec<Section>,
}

impl PageRecord {
    /// The page's share of the index: its folded words with their counts (title words
    /// weighted) and its fragment.
    pub fn index_entry(&self, folding: Folding) -> PageEntry {
        // About one word in eight bytes of text, and fewer different ones.
        let size: usize = self.sections.iter().map(|s| s.text.len()).sum();
        let mut counter = WordCounter::new(folding, size / 16);
        counter.add(&self.title, TITLE_WEIGHT);
        for s in &self.sections {
            counter.add(&s.text, 1);
        }
        PageEntry {
            // Whole characters only (`WordCounter::words`): never the empty string.
            words: String::from_utf8(counter.words).unwrap_or_default(),
            spans: counter.spans,
            counts: counter.counts,
            hashes: counter.hashes,
            fragment: self.fragment(),
        }
    }
}

impl PageRecord {
    /// The page's fragment as search.js reads it: compact JSON, keys in sorted order,
    /// `{"k": kind, "s": [[anchor, section kind, text], …], "t": title, "u": url}`.
    fn fragment(&self) -> String {
        use super::jsonld::push_json_string;
        let mut out = String::with_capacity(self.sections.iter().map(|s| s.text.len() + 32).sum::<usize>() + 256);
        out.push_str("{\"k\":");
        push_json_string(&mut out, self.kind);
        out.push_str(",\"s\":[");
        for (i, s) in self.sections.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('[');
            push_json_string(&mut out, &s.anchor);
            out.push_str(",\"");
            out.push_str(s.kind.name());
            out.push_str("\",");
            push_json_string(&mut out, &s.text);
            out.push(']');
        }
        out.push_str("],\"t\":");
        push_json_string(&mut out, &self.title);
        out.push_str(",\"u\":");
        push_json_string(&mut out, &self.url);
        out.push('}');
        out
    }
}

/// What one page adds to the index; made in parallel where the page is rendered, added in
/// page order.
pub struct PageEntry {
    /// Its folded words, in no particular order, each followed by a line break (one string,
    /// not one per word: words never hold white space).
    words: String,
    /// Where each word stands in `words`, its line break left out.
    spans: Vec<(u32, u32)>,
    /// How often each word occurs, in the order of `words`.
    counts: Vec<u32>,
    /// Each word's hash, in the order of `words` (`IndexBuilder::add` finds the word by it).
    hashes: Vec<u64>,
    /// The page's fragment as JSON: `{"t": title, "u": url, "k": kind, "s": sections}`.
    pub fragment: String,
}

/// A document or extra page as a search page: its blocks (linked by paragraph or heading id),
/// its glosses and its notes.
pub fn document_record(
    rd: &ResolvedDoc,
    page: &PageBody,
    translations: &[PageBody],
    notes: &[RenderedNote],
    kind: &'static str,
) -> PageRecord {
    let reading = &page.reading;
    // The block of each heading: the block of the first text after the heading's start event.
    let mut heading_of_block: crate::hash::FastMap<usize, &str> = crate::hash::FastMap::default();
    for (event, id) in &reading.heading_ids {
        if let Some(piece) = reading.pieces.iter().skip(event + 1).flatten().next() {
            heading_of_block.entry(piece.block).or_insert(id);
        }
    }
    let mut sections = Vec::new();
    // A list item or table cell has no id of its own: it links to the last id before it.
    let mut anchor = String::new();
    let mut anchors = Vec::with_capacity(if translations.is_empty() {
        0
    } else {
        reading.blocks.len()
    });
    for (i, block) in reading.blocks.iter().enumerate() {
        let kind = if let Some(n) = block.paragraph {
            anchor = cat!["p-", n];
            SectionKind::Text
        } else if let Some(id) = heading_of_block.get(&i) {
            anchor = (*id).to_owned();
            SectionKind::Heading
        } else {
            SectionKind::Text
        };
        if !translations.is_empty() {
            anchors.push(anchor.clone());
        }
        let text = collapse(&block.text);
        if !text.is_empty() {
            sections.push(Section {
                anchor: anchor.clone(),
                kind,
                text,
            });
        }
    }
    translation_sections(translations, &anchors, &mut sections);
    for (a, at) in rd.doc.annotations.iter().zip(&rd.anchors) {
        if let (Some(gloss), Some(at)) = (&a.gloss, at) {
            let quote = &reading.blocks[at.block].text[at.range.clone()];
            sections.push(Section {
                anchor: a.id.to_string(),
                kind: SectionKind::Gloss,
                text: cat![collapse(quote), ": ", collapse(gloss)],
            });
        }
    }
    for n in notes {
        sections.push(Section {
            anchor: cat!["note-", n.number],
            kind: SectionKind::Note,
            text: n.text.clone(),
        });
    }
    PageRecord {
        title: rd.doc.title.clone(),
        url: layout::doc_page(&rd.doc.slug),
        kind,
        sections,
    }
}

/// The blocks of a document's translations as sections, each linked to the block it translates
/// (`anchors`, by block), where it is shown.
fn translation_sections(translations: &[PageBody], anchors: &[String], sections: &mut Vec<Section>) {
    for t in translations {
        for (block, anchor) in t.reading.blocks.iter().zip(anchors) {
            let text = collapse(&block.text);
            if !text.is_empty() {
                sections.push(Section {
                    anchor: anchor.clone(),
                    kind: SectionKind::Translation,
                    text,
                });
            }
        }
    }
}

/// A glossary entry as a search page: its forms and its definition.
pub fn entry_record(e: &Entry, raw_html: bool) -> PageRecord {
    let mut text = e.forms.join(", ");
    if !text.is_empty() {
        text.push_str(": ");
    }
    text.push_str(&super::plain_text(&e.definition, raw_html));
    PageRecord {
        title: e.term.clone(),
        url: layout::entry_page(&e.id),
        kind: "entry",
        sections: vec![Section {
            anchor: String::new(),
            kind: SectionKind::Entry,
            text,
        }],
    }
}

#[cfg(test)]
mod tests {
    use super::words::*;
    use super::*;
    use crate::text::is_collapsed;

    const DE: Folding = Folding { digraphs: true };
    const EN: Folding = Folding { digraphs: false };

    /// A finished index's files: paths relative to the output root, and their text.
    fn files_of(b: IndexBuilder) -> Vec<(String, String)> {
        let mut files = Vec::new();
        b.finish(
            0,
            &mut |path, text| {
                files.push((path, text));
                Ok(())
            },
            None,
        )
        .unwrap();
        files
    }

    #[test]
    fn folds_case_diacritics_and_sharp_s() {
        assert_eq!(fold("Außenminister", EN), "aussenminister");
        assert_eq!(fold("AUSSENMINISTER", EN), "aussenminister");
        assert_eq!(fold("Ärger Öl Übel", EN), "arger ol ubel");
        assert_eq!(fold("Ærø Łódź", EN), "aero lodz");
        assert_eq!(fold("café", EN), "cafe");
        // Sigma folds the same at a word's end and inside it.
        assert_eq!(fold("ΟΔΟΣ", EN), fold("οδος", EN));
        // Decomposed input folds like composed input.
        assert_eq!(fold("cafe\u{301}", EN), fold("caf\u{e9}", EN));
    }

    #[test]
    fn german_digraphs_fold_like_umlauts() {
        assert_eq!(fold("Müller", DE), fold("Mueller", DE));
        assert_eq!(fold("Größe", DE), fold("Groesse", DE));
        assert_eq!(fold("Bär", DE), fold("Baer", DE));
        // Left to right, without overlaps: "aue" → "au", "aee" → "ae".
        assert_eq!(fold("aue", DE), "au");
        assert_eq!(fold("aee", DE), "ae");
        // Only for German.
        assert_eq!(fold("Mueller", EN), "mueller");
    }

    #[test]
    fn words_split_on_everything_but_letters_and_digits() {
        let folded = fold("US-Präsident, „Waffenstillstand“ (2025)!", DE);
        assert_eq!(
            words(&folded).collect::<Vec<_>>(),
            ["us", "prasident", "waffenstillstand", "2025"]
        );
    }

    #[test]
    fn folding_follows_the_site_language() {
        assert!(Folding::for_lang("de").digraphs);
        assert!(Folding::for_lang("de-CH").digraphs);
        assert!(!Folding::for_lang("en").digraphs);
        assert!(!Folding::for_lang("").digraphs);
        assert!(Folding::for_site("en", ["fr", "de-AT"]).digraphs);
        assert!(!Folding::for_site("en", ["fr"]).digraphs);
    }

    fn page(title: &str, text: &str) -> PageRecord {
        PageRecord {
            title: title.into(),
            url: "x/index.html".into(),
            kind: "document",
            sections: vec![Section {
                anchor: "p-1".into(),
                kind: SectionKind::Text,
                text: text.into(),
            }],
        }
    }

    #[test]
    fn postings_are_delta_coded_page_and_count_pairs() {
        let mut b = IndexBuilder::new(EN);
        for (t, x) in [("A", "rot rot blau"), ("B", "gelb"), ("C", "rot")] {
            assert!(
                b.add(page(t, x).index_entry(EN)).is_empty(),
                "three small pages fill no file"
            );
        }
        let files = files_of(b);
        let chunk = &files.iter().find(|(p, _)| p.starts_with("search/c/")).unwrap().1;
        assert!(chunk.contains("\"rot\":[0,2,2,1]"), "{chunk}");
        assert!(chunk.contains("\"blau\":[0,1]"), "{chunk}");
        // The title is indexed, weighted.
        assert!(chunk.contains("\"b\":[1,3]"), "{chunk}");
        let meta = &files.iter().find(|(p, _)| p == "search/meta.js").unwrap().1;
        assert!(meta.contains("\"pages\":3"), "{meta}");
        assert!(meta.contains("\"chunks\":[\"a\"]"), "{meta}");
    }

    #[test]
    fn fragments_carry_sections() {
        let mut b = IndexBuilder::new(EN);
        b.add(page("Titel", "Text <b>").index_entry(EN));
        let files = files_of(b);
        let js = &files.iter().find(|(p, _)| p == "search/f/0.js").unwrap().1;
        assert!(js.starts_with("glossaSearch.fragments(\"0\",0,[{"), "{js}");
        assert!(js.contains("[\"p-1\",\"text\",\"Text <b>\"]"), "{js}");
    }

    /// Fragment files hold five pages in a row each; a page of 16 kB or more is a file of its
    /// own, and its group holds `0` in its place.
    #[test]
    fn fragments_are_grouped_by_five_pages_and_long_pages_stand_alone() {
        let mut b = IndexBuilder::new(EN);
        let mut written = Vec::new();
        for n in 0..12 {
            let text = if n == 6 {
                "wort ".repeat(4000)
            } else {
                format!("kurz {n}")
            };
            written.extend(b.add(page(&format!("Seite {n}"), &text).index_entry(EN)));
        }
        let files = files_of(b);
        written.extend(files.iter().filter(|(p, _)| p.starts_with("search/f/")).cloned());
        let heads: Vec<(&str, &str)> = written
            .iter()
            .map(|(p, t)| (p.as_str(), &t[..t.find('[').unwrap()]))
            .collect();
        assert_eq!(
            heads,
            [
                ("search/f/0.js", "glossaSearch.fragments(\"0\",0,"),
                ("search/f/p6.js", "glossaSearch.fragments(\"p6\",6,"),
                ("search/f/1.js", "glossaSearch.fragments(\"1\",5,"),
                ("search/f/2.js", "glossaSearch.fragments(\"2\",10,"),
            ]
        );
        let group = &written[2].1;
        let list: serde_json::Value = serde_json::from_str(&group[group.find('[').unwrap()..group.len() - 3]).unwrap();
        assert_eq!(list.as_array().unwrap().len(), 5);
        assert_eq!(list[1], 0, "page 6 is in its own file");
        assert_eq!(list[0]["t"], "Seite 5");
        let meta = &files.iter().find(|(p, _)| p == "search/meta.js").unwrap().1;
        assert!(meta.contains("\"alone\":[6]") && meta.contains("\"group\":5"), "{meta}");
    }

    #[test]
    fn postings_keep_large_numbers() {
        let mut p = index::Postings::default();
        for (page, count) in [(0, 1), (127, 128), (20_000, 3), (u32::MAX, u32::MAX)] {
            p.push(page, count);
        }
        let numbers: Vec<u32> = index::numbers(&p.bytes).collect();
        assert_eq!(numbers, [0, 1, 127, 128, 19_873, 3, u32::MAX - 20_000, u32::MAX]);
    }

    #[test]
    fn the_latin_table_folds_as_the_general_rules_do() {
        for u in 0x80..LATIN_END {
            let Some(c) = char::from_u32(u) else { continue };
            let mut general = String::new();
            fold_char(c, &mut general);
            assert_eq!(latin(c).map(|f| f.text.as_str()), Some(general.as_str()), "U+{u:04X}");
        }
        assert!(latin('\u{250}').is_none());
        assert!(latin('a').is_none());
    }

    #[test]
    fn general_punctuation_folds_to_no_word_character() {
        for c in PUNCTUATION {
            let mut folded = String::new();
            fold_char(c, &mut folded);
            assert!(!folded.is_empty(), "U+{:04X}", c as u32);
            assert!(!folded.chars().any(is_word_char), "U+{:04X} → {folded}", c as u32);
        }
    }

    /// The quick check takes text with typographic punctuation as it is, and no text with a
    /// white space character other than a single ASCII space inside it.
    #[test]
    fn collapsed_text_is_told_by_its_characters() {
        for kept in ["„Wort“ – und … ‚so‘", "a\u{200b}b", "Ærø → ½", "x", ""] {
            assert!(is_collapsed(kept), "{kept:?}");
            assert_eq!(collapse(kept), kept);
        }
        let spaces = (0..=0x10FFFF).filter_map(char::from_u32).filter(|c| c.is_whitespace());
        for space in spaces {
            for text in [format!("a{space}b"), format!("{space}a"), format!("a{space}")] {
                assert_eq!(is_collapsed(&text), text == "a b", "{text:?}");
            }
        }
        assert!(!is_collapsed("a  b") && !is_collapsed("a\u{1f}b"));
    }

    /// Text of every kind the fast paths treat apart: ASCII, Latin letters from the table,
    /// letters outside it, every white space character, and digraph candidates at the edges.
    fn mixed_texts() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        const PIECES: &[&str] = &[
            "a",
            "e",
            "o",
            "u",
            "ae",
            "Ue",
            "OE",
            "aee",
            "aue",
            // A digraph whose letters come one from ASCII, one from a folded character.
            "äe",
            "aé",
            "Müller",
            "Größe",
            "Ærø",
            "ΟΔΟΣ",
            "cafe\u{301}",
            "İ",
            "x",
            "Zeile",
            "1984",
            "²",
            "x1",
            " ",
            "  ",
            "\t",
            "\n",
            "\r\n",
            "\u{b}",
            "\u{c}",
            "\u{85}",
            "\u{a0}",
            "\u{1680}",
            "\u{2003}",
            "\u{200a}",
            "\u{2028}",
            "\u{2029}",
            "\u{202f}",
            "\u{205f}",
            "\u{3000}",
            "\u{200b}",
            "—",
            "„",
            "é",
            "…",
            "“",
            "×",
            "\u{ad}",
            "ª",
            "\u{e2}\u{80}",
        ];
        proptest::collection::vec(proptest::sample::select(PIECES), 0..30).prop_map(|v| v.concat())
    }

    proptest::proptest! {
        /// The passes the build makes fast give exactly what their plain definitions give:
        /// the digraphs as the left-to-right scan of `/ae|oe|ue/`, white space as
        /// `split_whitespace` joins it, and a page's word counts as folding, splitting and
        /// counting in turn.
        #[test]
        fn fast_paths_match_the_plain_definitions(text in mixed_texts()) {
            let folded = fold(&text, EN);
            let mut scanned = String::new();
            let mut after_vowel = false;
            for c in folded.chars() {
                if after_vowel && c == 'e' {
                    after_vowel = false;
                    continue;
                }
                after_vowel = matches!(c, 'a' | 'o' | 'u');
                scanned.push(c);
            }
            let mut digraphs = folded.clone();
            fold_digraphs(&mut digraphs);
            proptest::prop_assert_eq!(&digraphs, &scanned);

            let words: Vec<&str> = text.split_whitespace().collect();
            proptest::prop_assert_eq!(collapse(&text), words.join(" "));

            for folding in [DE, EN] {
                let record = page("Titel Mueller", &text);
                let entry = record.index_entry(folding);
                let counted: std::collections::BTreeMap<&str, u32> =
                    entry.words.lines().zip(entry.counts.iter().copied()).collect();
                proptest::prop_assert_eq!(counted.len(), entry.counts.len(), "each word once");
                let mut expected: std::collections::BTreeMap<&str, u32> = Default::default();
                let title = fold(&record.title, folding);
                let body = fold(&record.sections[0].text, folding);
                for w in super::words(&title) {
                    *expected.entry(w).or_default() += TITLE_WEIGHT;
                }
                for w in super::words(&body) {
                    *expected.entry(w).or_default() += 1;
                }
                proptest::prop_assert_eq!(counted, expected);
            }
        }
    }

    /// Text of single characters from every script and class the counter treats apart:
    /// ASCII, the Latin table (its one-letter folds read without decoding), Latin beyond it,
    /// Greek, Cyrillic, CJK, combining marks, general punctuation, and the digraphs' letters,
    /// often enough that words pass the cap of [`WORD_CHARS`] characters.
    fn scripts() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        const RANGES: &[(u32, u32)] = &[
            (0x20, 0x7E),
            (0x80, 0x24F),
            (0x1E00, 0x1EFF),
            (0x370, 0x3FF),
            (0x400, 0x4FF),
            (0x4E00, 0x4E40),
            (0x300, 0x36F),
            (0x2000, 0x206F),
            (0xFB00, 0xFB06),
        ];
        let any = proptest::sample::select(RANGES)
            .prop_flat_map(|(from, to)| (from..=to).prop_filter_map("a character", char::from_u32));
        let letter = proptest::sample::select(&['a', 'o', 'u', 'e', 'E', 'ä', 'Ü', 'é', 'ß'][..]);
        let c = prop_oneof![3 => any, 2 => letter];
        proptest::collection::vec(c, 0..200).prop_map(|v| v.into_iter().collect())
    }

    proptest::proptest! {
        /// A page's words as the counter finds them are the words of the folded text,
        /// whatever the mix of scripts, each once with its count, and each with its hash.
        #[test]
        fn counting_matches_folding_and_splitting(text in scripts()) {
            for folding in [DE, EN] {
                let record = page(&text, &text);
                let entry = record.index_entry(folding);
                let words: Vec<&str> = (entry.spans.iter())
                    .map(|&(start, end)| &entry.words[start as usize..end as usize])
                    .collect();
                let counted: std::collections::BTreeMap<&str, u32> =
                    words.iter().copied().zip(entry.counts.iter().copied()).collect();
                proptest::prop_assert_eq!(counted.len(), entry.counts.len(), "each word once");
                let mut expected: std::collections::BTreeMap<&str, u32> = Default::default();
                let folded = fold(&text, folding);
                for w in super::words(&folded) {
                    *expected.entry(w).or_default() += TITLE_WEIGHT + 1;
                }
                proptest::prop_assert_eq!(counted, expected);
                for (w, &hash) in words.iter().zip(&entry.hashes) {
                    proptest::prop_assert_eq!(hash, word_hash(w.as_bytes()));
                }
            }
        }
    }

    #[test]
    fn words_are_the_same_exactly_when_their_bytes_are() {
        for len in 0..=24 {
            let a: Vec<u8> = (0..len as u8).map(|i| b'a' + i).collect();
            assert!(same_word(&a, &a.clone()), "{len}");
            for at in 0..len {
                let mut b = a.clone();
                b[at] = b'Z';
                assert!(!same_word(&a, &b), "{len} at {at}");
            }
            assert!(!same_word(&a, &a[..len.saturating_sub(1)]) || len == 0, "{len}");
        }
    }

    #[test]
    fn the_two_byte_letters_are_the_latin_tables_one_letter_folds() {
        for (i, &letter) in two_byte_letters().iter().enumerate() {
            let c = char::from_u32(0x80 + i as u32).unwrap();
            let fold = fold(&c.to_string(), EN);
            let one_letter = fold.len() == 1 && fold.chars().all(|c| c.is_ascii_alphanumeric());
            assert_eq!(
                letter != 0,
                one_letter && (i as u32) < LATIN_END - 0x80,
                "U+{:04X}",
                c as u32
            );
            if letter != 0 {
                assert_eq!(fold, char::from(letter).to_string(), "U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn fragments_are_the_json_serde_writes() {
        #[derive(Serialize)]
        struct Fragment<'a> {
            k: &'a str,
            s: Vec<(&'a str, SectionKind, &'a str)>,
            t: &'a str,
            u: &'a str,
        }
        let kinds = [
            SectionKind::Text,
            SectionKind::Heading,
            SectionKind::Note,
            SectionKind::Gloss,
            SectionKind::Entry,
        ];
        let record = PageRecord {
            title: "Ein \"Titel\" \\ mit\tTab".into(),
            url: "a/index.html".into(),
            kind: "document",
            sections: kinds
                .iter()
                .enumerate()
                .map(|(i, &kind)| Section {
                    anchor: format!("p-{i}"),
                    kind,
                    text: format!("Text {i}: „Zitat“ \u{1} \n ende"),
                })
                .collect(),
        };
        let serde = serde_json::to_string(&Fragment {
            k: record.kind,
            s: record
                .sections
                .iter()
                .map(|s| (s.anchor.as_str(), s.kind, s.text.as_str()))
                .collect(),
            t: &record.title,
            u: &record.url,
        })
        .unwrap();
        assert_eq!(record.fragment(), serde);
    }

    /// The chunks `search.js` loads for a query word: those whose word range can hold words
    /// starting with it, at most three.
    fn chunks_for(firsts: &[String], term: &str) -> Vec<usize> {
        let mut out = Vec::new();
        for (i, first) in firsts.iter().enumerate() {
            if firsts.get(i + 1).is_some_and(|next| next.as_str() <= term) {
                continue;
            }
            if first.as_str() > term && !first.starts_with(term) {
                break;
            }
            out.push(i);
            if out.len() == 3 {
                break;
            }
        }
        out
    }

    /// A site of 10,000 documents of a German-like vocabulary (Zipf-distributed, so a few
    /// words are on every page): a query must download far less than the whole index.
    #[test]
    fn a_query_on_ten_thousand_documents_downloads_little() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let syllables = [
            "wa", "ffen", "still", "stand", "au", "ssen", "mi", "nis", "ter", "ge", "spräch", "be", "richt", "ung",
            "ver", "hand", "lun", "gen", "krieg", "frie", "den", "zeit", "ber", "lin", "mos", "kau",
        ];
        let vocabulary: Vec<String> = (0..40_000)
            .map(|_| {
                let n = 1 + next() % 4;
                let word: String = (0..n)
                    .map(|_| syllables[(next() % syllables.len() as u64) as usize])
                    .collect();
                fold(&word, DE)
            })
            .collect();
        let mut b = IndexBuilder::new(DE);
        for _ in 0..10_000 {
            let mut counts = std::collections::HashMap::new();
            for _ in 0..700 {
                // Zipf-like: rank ~ 1/u.
                let u = (next() % 1_000_000) as f64 / 1_000_000.0 + 1e-6;
                let rank = ((1.0 / u) as usize).min(vocabulary.len()) - 1;
                *counts.entry(vocabulary[rank].clone()).or_insert(0) += 1;
            }
            let (words, counts): (Vec<String>, Vec<u32>) = counts.into_iter().unzip();
            let (mut text, mut spans) = (String::new(), Vec::new());
            let hashes = words.iter().map(|w| words::word_hash(w.as_bytes())).collect();
            for w in &words {
                let start = text.len() as u32;
                text.push_str(w);
                spans.push((start, text.len() as u32));
                text.push('\n');
            }
            b.add(PageEntry {
                words: text,
                spans,
                counts,
                hashes,
                fragment: "{}".into(),
            });
        }
        let files = files_of(b);
        let size = |path: &str| files.iter().find(|(p, _)| p == path).map(|(_, t)| t.len()).unwrap();
        let meta = &files.iter().find(|(p, _)| p == "search/meta.js").unwrap().1;
        let json = meta.trim_start_matches("glossaSearch.meta(").trim_end_matches(");\n");
        let meta_json: serde_json::Value = serde_json::from_str(json).unwrap();
        let firsts: Vec<String> = serde_json::from_value(meta_json["chunks"].clone()).unwrap();
        let names: Vec<String> = serde_json::from_value(meta_json["chunk_files"].clone()).unwrap();
        assert!(firsts.len() > 20, "the index is cut into chunks: {}", firsts.len());
        let total: usize = files.iter().map(|(_, t)| t.len()).sum();
        // A chunk stays near the target size, unless one word's postings alone pass it.
        let chunk_sizes: Vec<usize> = names.iter().map(|n| size(&format!("search/c/{n}.js"))).collect();
        for (n, &bytes) in chunk_sizes.iter().enumerate() {
            let text = &files
                .iter()
                .find(|(p, _)| *p == format!("search/c/{}.js", names[n]))
                .unwrap()
                .1;
            let words = text.matches(":[").count();
            assert!(
                bytes < CHUNK_MAX + 64 || words == 1,
                "chunk {n}: {bytes} bytes, {words} words"
            );
        }
        // What typical queries download (fragments come on top: 10 of a few kB each).
        for query in ["waffenstill", "aussenminister", "gespräch", "wa"] {
            let term = fold(query, DE);
            let chunks = chunks_for(&firsts, &term);
            assert!(!chunks.is_empty(), "{query}");
            let bytes = meta.len() + chunks.iter().map(|&n| chunk_sizes[n]).sum::<usize>();
            eprintln!(
                "{query}: {bytes} bytes in {} chunks of an index of {total} bytes in {} chunks",
                chunks.len(),
                firsts.len()
            );
            assert!(bytes < 250 * 1024, "{query}: {bytes} bytes of an index of {total}");
            assert!(bytes * 20 < total, "{query}: {bytes} bytes of an index of {total}");
        }
    }
}
