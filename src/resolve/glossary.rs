//! Glossary matching: every form of every entry, found in one pass over each block.
//!
//! One Aho-Corasick automaton holds all forms, so matching stays linear in the text whatever
//! the glossary's size. We collect overlapping candidates, keep those that stand as whole words
//! (no Unicode letter or digit right before or after, whole grapheme clusters) and lie outside
//! inline code, then choose leftmost-longest among them — so a shorter form still matches where
//! a longer one failed the word test.

use crate::parse::Entry;
use crate::resolve::fold::is_cluster_boundary;
use crate::resolve::reading::Block;
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::collections::HashMap;
use std::ops::Range;

pub struct Matcher {
    automaton: Option<AhoCorasick>,
    /// Entry index of each pattern.
    entry_of: Vec<usize>,
}

/// A form found in a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormMatch {
    pub entry: usize,
    pub range: Range<usize>,
}

/// How much text a matcher is built to search: its automaton is chosen for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scan {
    /// Every document of a site: a DFA, whose larger build pays, as overlapping search in an
    /// NFA costs several times more per byte.
    Site,
    /// A few documents (an edit's, against the kept site): an NFA, built in a fraction of the
    /// DFA's time and memory (at 2,000 entries, the DFA takes about 7 ms and 4 MB more).
    Few,
}

impl Matcher {
    /// Builds the automaton. Forms listed by two entries are returned as clashes
    /// `(form, first entry, second entry)`; the form then stays with the first.
    pub fn new(entries: &[Entry], scan: Scan) -> (Matcher, Vec<(String, usize, usize)>) {
        let mut owner: HashMap<&str, usize> = HashMap::new();
        let mut patterns = Vec::new();
        let mut entry_of = Vec::new();
        let mut clashes = Vec::new();
        for (i, e) in entries.iter().enumerate() {
            for form in &e.forms {
                match owner.get(form.as_str()) {
                    Some(&j) if j != i => clashes.push((form.clone(), j, i)),
                    Some(_) => {}
                    None => {
                        owner.insert(form, i);
                        patterns.push(form.as_str());
                        entry_of.push(i);
                    }
                }
            }
        }
        let automaton = if patterns.is_empty() {
            None
        } else {
            let kind = match scan {
                Scan::Site => AhoCorasickKind::DFA,
                Scan::Few => AhoCorasickKind::ContiguousNFA,
            };
            AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(Some(kind))
                .build(&patterns)
                .ok()
        };
        (Matcher { automaton, entry_of }, clashes)
    }

    pub fn find(&self, block: &Block) -> Vec<FormMatch> {
        let Some(ac) = &self.automaton else {
            return Vec::new();
        };
        let text = block.text.as_str();
        let mut candidates: Vec<FormMatch> = ac
            .find_overlapping_iter(text)
            .filter(|m| is_whole_word(text, m.start(), m.end()))
            .filter(|m| !block.code.iter().any(|c| c.start < m.end() && m.start() < c.end))
            .map(|m| FormMatch {
                entry: self.entry_of[m.pattern().as_usize()],
                range: m.start()..m.end(),
            })
            .collect();
        candidates.sort_by_key(|m| (m.range.start, std::cmp::Reverse(m.range.end)));
        let mut chosen: Vec<FormMatch> = Vec::new();
        for m in candidates {
            if chosen.last().is_none_or(|last| m.range.start >= last.range.end) {
                chosen.push(m);
            }
        }
        chosen
    }
}

/// No letter or digit right before or after, and no combining mark or joiner either: a form
/// is whole characters as a reader sees them (`Cafe` is not a word of `Café` spelled with a
/// combining accent).
fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric)
        && !after.is_some_and(char::is_alphanumeric)
        && is_cluster_boundary(text, start)
        && is_cluster_boundary(text, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn entry(id: &str, forms: &[&str]) -> Entry {
        Entry {
            id: id.into(),
            term: forms[0].into(),
            kind: "term".into(),
            forms: forms.iter().map(|s| s.to_string()).collect(),
            definition: String::new(),
            see: vec![],
            path: PathBuf::new(),
            index: 0,
        }
    }

    /// What the matcher finds in `text`, built for a whole site; built for a few documents, it
    /// must find the same.
    fn find(entries: &[Entry], text: &str) -> Vec<(String, String)> {
        let block = Block {
            text: text.into(),
            ..Block::default()
        };
        let found = |scan| {
            let (m, _) = Matcher::new(entries, scan);
            (m.find(&block).into_iter())
                .map(|f| (entries[f.entry].id.clone(), text[f.range].to_owned()))
                .collect::<Vec<_>>()
        };
        let site = found(Scan::Site);
        assert_eq!(found(Scan::Few), site, "the NFA finds what the DFA finds in {text:?}");
        site
    }

    #[test]
    fn longest_form_wins_and_whole_words_only() {
        let e = [
            entry("un", &["UN"]),
            entry("unsr", &["UN-Sicherheitsrates"]),
            entry("lawrow", &["Lawrow", "Sergej Lawrow"]),
        ];
        assert_eq!(
            find(&e, "Sergej Lawrow im UN-Sicherheitsrates, die UN, UNO und Lawrows"),
            [
                ("lawrow".into(), "Sergej Lawrow".into()),
                ("unsr".into(), "UN-Sicherheitsrates".into()),
                ("un".into(), "UN".into())
            ]
        );
    }

    #[test]
    fn a_form_is_whole_characters() {
        let e = [entry("cafe", &["Cafe"]), entry("frau", &["\u{1F469}"])];
        assert_eq!(find(&e, "im Cafe\u{301} \u{1F469}\u{200D}\u{1F52C}"), []);
        assert_eq!(find(&e, "im Cafe, \u{1F469}!").len(), 2);
    }

    #[test]
    fn a_shorter_form_matches_where_the_longer_fails_the_word_test() {
        let e = [entry("ny", &["New York", "New York Timesx"])];
        assert_eq!(find(&e, "New York Timesxy"), [("ny".into(), "New York".into())]);
    }

    #[test]
    fn umlauts_are_letters_for_word_boundaries() {
        let e = [entry("krim", &["Krim"])];
        assert!(find(&e, "Krimä").is_empty());
        assert!(find(&e, "Krimi").is_empty());
        assert_eq!(find(&e, "der Krim.").len(), 1);
        assert!(find(&e, "krim").is_empty());
    }

    #[test]
    fn code_is_not_searched() {
        let (m, _) = Matcher::new(&[entry("x", &["Lawrow"])], Scan::Site);
        let block = Block {
            text: "Lawrow Lawrow".into(),
            code: std::iter::once(0..6).collect(),
            ..Block::default()
        };
        assert_eq!(m.find(&block), [FormMatch { entry: 0, range: 7..13 }]);
    }

    #[test]
    fn a_form_of_two_entries_is_a_clash() {
        let (_, clashes) = Matcher::new(&[entry("a", &["X"]), entry("b", &["X"])], Scan::Site);
        assert_eq!(clashes, [("X".to_string(), 0, 1)]);
    }
}
